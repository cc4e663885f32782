"""The form to suggest an organisation that helps, or a correction to one: one page, no
JavaScript. The editors' queue uses the same form to accept it (as they edited it). What it
gives is checked once more by help.clean_organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from visiblework.cases.forms import SuggestionForm, countries_as_names, country_codes
from visiblework.cases.models import ActorKind, Term
from visiblework.core.countries import countries_by_name
from visiblework.reports.models import TaskType

from .help import JUSTICE_AREA, MAX_ROWS, language_codes, language_name, languages_by_name
from .models import ContactKind, HelpKind


class OrganisationForm(SuggestionForm):
    """With the note to the editors and the honeypot of every suggestion form."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("What it is"), widget=forms.RadioSelect,
                             choices=[(ActorKind.ORGANISATION, _("An organisation")),
                                      (ActorKind.GROUP, _("A group of people"))],
                             initial=ActorKind.ORGANISATION)
    url = forms.URLField(label=_("Website"), required=False, max_length=200,
                         assume_scheme="https", help_text=_("Optional. Its public website."))
    summary = forms.CharField(label=_("How they help"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One to three plain sentences, in your own words. "
                                          "HTML is removed."))
    help_kinds = forms.MultipleChoiceField(label=_("Kinds of help"), choices=HelpKind.choices,
                                           widget=forms.CheckboxSelectMultiple)
    worldwide = forms.BooleanField(label=_("They help people in every country"),
                                   required=False)
    countries = forms.CharField(label=_("Countries they serve"), required=False, max_length=4000,
                                widget=forms.TextInput(attrs={"list": "country-names",
                                                              "autocomplete": "off"}),
                                help_text=_("Country names separated by commas, e.g. Kenya, "
                                            "Philippines."))
    languages = forms.CharField(label=_("Languages they work in"), required=False,
                                max_length=2000,
                                widget=forms.TextInput(attrs={"list": "language-names",
                                                              "autocomplete": "off"}),
                                help_text=_("Language names separated by commas, e.g. "
                                            "English, Swahili."))
    task_types = forms.MultipleChoiceField(
        label=_("Kinds of work they cover"), choices=TaskType.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if they help with every kind of work."))
    justice_areas = forms.MultipleChoiceField(label=_("Justice areas"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["justice_areas"].choices = [
            (t.slug, _(t.name)) for t in Term.objects.filter(taxonomy__key=JUSTICE_AREA)]

    def clean_countries(self) -> list[str]:
        return country_codes(self.cleaned_data.get("countries") or "")

    def clean_languages(self) -> list[str]:
        return language_codes(self.cleaned_data.get("languages") or "")

    def add_errors(self, exc: ValidationError) -> None:
        """The service's errors, on their fields where the form has them."""
        for field, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    @property
    def country_names(self) -> list[tuple[str, str]]:
        return countries_by_name()

    @property
    def language_names(self) -> list[tuple[str, str]]:
        return languages_by_name()


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", "—"), *ContactKind.choices])
    value = forms.CharField(label=_("Address, number or link"), required=False, max_length=500)
    label = forms.CharField(label=_("Label (optional)"), required=False, max_length=100)


class SourceForm(forms.Form):
    url = forms.URLField(label=_("Address (URL)"), required=False, max_length=1000,
                         assume_scheme="https")
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    publisher = forms.CharField(label=_("Publisher"), required=False, max_length=200)


ContactFormSet = formset_factory(ContactForm, extra=2, max_num=MAX_ROWS, absolute_max=MAX_ROWS,
                                 validate_max=True)
SourceFormSet = formset_factory(SourceForm, extra=2, max_num=MAX_ROWS, absolute_max=MAX_ROWS,
                                validate_max=True)


def forms_for(data: Any) -> tuple[OrganisationForm, Any, Any]:
    """The form and its two formsets, bound to posted data."""
    return (OrganisationForm(data), ContactFormSet(data, prefix="contacts"),
            SourceFormSet(data, prefix="sources"))


def initial_forms(facts: dict[str, Any] | None) -> tuple[OrganisationForm, Any, Any]:
    """Unbound forms, filled with an organisation's facts (to correct it) or empty."""
    if not facts:
        return (OrganisationForm(), ContactFormSet(prefix="contacts"),
                SourceFormSet(prefix="sources"))
    initial = {key: facts.get(key) for key in ("name", "kind", "url", "summary", "worldwide",
                                               "help_kinds", "task_types", "justice_areas")}
    initial["countries"] = countries_as_names(facts.get("countries") or [])
    initial["languages"] = ", ".join(language_name(c) for c in facts.get("languages") or [])
    contacts = [{k: c.get(k, "") for k in ("kind", "value", "label")}
                for c in facts.get("contacts") or []]
    sources = [{k: s.get(k, "") for k in ("url", "title", "publisher")}
               for s in facts.get("sources") or []]
    return (OrganisationForm(initial=initial), ContactFormSet(prefix="contacts", initial=contacts),
            SourceFormSet(prefix="sources", initial=sources))


def proposal_from_forms(form: OrganisationForm, contacts: Any, sources: Any,
                        accessed: dict[str, str] | None = None) -> dict[str, Any]:
    """The facts the valid forms give, in the shape help.clean_organisation takes. `accessed`:
    the day each source address was read, when known (a source kept from before)."""
    data = form.cleaned_data
    accessed = accessed or {}
    return {
        "name": data["name"], "kind": data["kind"], "url": data.get("url") or "",
        "summary": data["summary"], "worldwide": data.get("worldwide", False),
        "countries": data.get("countries", []), "languages": data.get("languages", []),
        "task_types": data.get("task_types", []), "help_kinds": data.get("help_kinds", []),
        "justice_areas": data.get("justice_areas", []),
        "contacts": [c.cleaned_data for c in contacts.forms
                     if c.cleaned_data and c.cleaned_data.get("value")],
        "sources": [{**s.cleaned_data, "accessed": accessed.get(s.cleaned_data.get("url"), "")}
                    for s in sources.forms
                    if s.cleaned_data and (s.cleaned_data.get("url") or s.cleaned_data.get("title"))],
    }

"""The contribution form: one page, no JavaScript, every field explained."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from visiblework.core.countries import code_for_name, countries_by_name, country_name

from .models import Role, Term

MAX_SOURCES = 10
MAX_ACTORS = 10


def _choices(taxonomy: str) -> list[tuple[str, str]]:
    return [(t.slug, _(t.name)) for t in Term.objects.filter(taxonomy__key=taxonomy)]


class SuggestionForm(forms.Form):
    """What every suggestion form ends with: a note to the editors and the honeypot."""

    note = forms.CharField(label=_("Note to the editors"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Optional. Anything the editors should know. It is not "
                                       "published."))
    # The honeypot: hidden from people by CSS, filled in by many bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class ContributionForm(SuggestionForm):
    title = forms.CharField(label=_("Title"), max_length=300,
                            help_text=_("One line that says what happened."))
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False,
                              help_text=_("When it happened or came to light."))
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("One or two plain sentences."))
    body = forms.CharField(label=_("More detail"), required=False, max_length=100_000,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Optional. What happened, who did the hidden work, why it "
                                       "matters. You can use Markdown; HTML is removed."))
    justice_areas = forms.MultipleChoiceField(label=_("Justice areas"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    impacts = forms.MultipleChoiceField(label=_("AI impacts"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    layers = forms.MultipleChoiceField(label=_("Layers of invisible labour"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    regions = forms.MultipleChoiceField(label=_("Regions"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    countries = forms.CharField(label=_("Countries"), required=False, max_length=2000,
                                widget=forms.TextInput(attrs={"list": "country-names",
                                                              "autocomplete": "off"}),
                                help_text=_("Country names separated by commas, e.g. Kenya, "
                                            "United States."))
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["justice_areas"].choices = _choices("justice_area")
        self.fields["impacts"].choices = _choices("impact")
        self.fields["layers"].choices = _choices("layer")
        self.fields["regions"].choices = _choices("region")

    def clean_countries(self) -> list[str]:
        return country_codes(self.cleaned_data.get("countries") or "")

    @property
    def country_names(self) -> list[tuple[str, str]]:
        """(code, name) of every country in the page's language, for the list of choices."""
        return countries_by_name()


# Between countries: commas (the Arabic one too), semicolons and line ends.
COUNTRY_SEPARATORS = re.compile(r"[,;\n\u060c]")


def country_codes(raw: str) -> list[str]:
    """Country names (in the page's language or English) or two-letter codes, separated by
    commas, as codes. Raises forms.ValidationError naming the ones not known."""
    codes: list[str] = []
    unknown: list[str] = []
    for name in (n.strip() for n in COUNTRY_SEPARATORS.split(raw)):
        code = code_for_name(name) if name else None
        if code and code not in codes:
            codes.append(code)
        elif name and not code:
            unknown.append(name[:60])
    if unknown:
        raise forms.ValidationError(
            gettext("We do not know these countries: %(names)s. Check the spelling, or "
                    "choose from the list that opens as you type.")
            % {"names": ", ".join(unknown[:5])})
    return codes


def countries_as_names(codes: list[str]) -> str:
    """Country codes as the names the form shows (a name with a comma in it stays a code)."""
    names = [country_name(code) for code in codes]
    return ", ".join(name if "," not in name and "\u060c" not in name else code
                     for name, code in zip(names, codes, strict=True))


class SourceForm(forms.Form):
    url = forms.URLField(label=_("Address (URL)"), required=False, max_length=1000,
                         assume_scheme="https")
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    publisher = forms.CharField(label=_("Publisher"), required=False, max_length=200)
    date = forms.CharField(label=_("Date (2023, 2023-08 or 2023-08-07)"), required=False,
                           max_length=10)


class ActorForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", "—"), *Role.choices])


SourceFormSet = formset_factory(SourceForm, extra=3, max_num=MAX_SOURCES, absolute_max=MAX_SOURCES,
                                validate_max=True)
ActorFormSet = formset_factory(ActorForm, extra=3, max_num=MAX_ACTORS, absolute_max=MAX_ACTORS,
                               validate_max=True)


def initial_from_case_data(data: dict[str, Any]) -> tuple[dict, list[dict], list[dict]]:
    """Form, sources and actors initial values from case data (for updates and editing)."""
    terms = data.get("terms", {})
    form = {
        "title": data.get("title", ""), "year": data.get("year"), "summary": data.get("summary", ""),
        "body": data.get("body", ""), "justice_areas": terms.get("justice_area", []),
        "impacts": terms.get("impact", []), "layers": terms.get("layer", []),
        "regions": terms.get("region", []),
        "countries": countries_as_names(data.get("countries", [])),
    }
    sources = [{k: s.get(k, "") for k in ("url", "title", "publisher", "date")}
               for s in data.get("sources", [])]
    actors = [{"name": a["name"], "role": a["role"]} for a in data.get("actors", [])]
    return form, sources, actors


def proposal_from_forms(form: ContributionForm, sources, actors) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    return {
        "title": data["title"], "year": data.get("year"), "summary": data["summary"],
        "body": data.get("body", ""), "justice_areas": data.get("justice_areas", []),
        "impacts": data.get("impacts", []), "layers": data.get("layers", []),
        "regions": data.get("regions", []), "countries": data.get("countries", []),
        "sources": [s.cleaned_data for s in sources.forms
                    if s.cleaned_data and (s.cleaned_data.get("url") or s.cleaned_data.get("title"))],
        "actors": [a.cleaned_data for a in actors.forms
                   if a.cleaned_data and a.cleaned_data.get("name")],
    }

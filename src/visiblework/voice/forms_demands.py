"""The demand proposal form: a thin shell over demands.clean_proposal (the one validation
path)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from visiblework.cases.editing import find_actor

from . import demands


class DemandForm(forms.Form):
    title = forms.CharField(label=_("Your demand, in one sentence"), max_length=demands.TITLE_MAX,
                            help_text=_("For example: “Pay us for qualification tests”."))
    addressed = forms.CharField(
        label=_("Addressed to"), max_length=200,
        help_text=_("The company, platform or organisation, by its name as in the database."))
    text = forms.CharField(label=_("What you ask for and why"), max_length=demands.TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Plain text. Do not write your name or anything that "
                                       "could identify you or a colleague."))

    proposal: demands.Proposal

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.proposal = demands.clean_proposal(
                data.get("title", ""), data.get("text", ""),
                find_actor(data.get("addressed", "")))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data

    @property
    def error_links(self) -> list[tuple[str, str, str]]:
        """(element id, label, message) for the error summary, in the page's order."""
        return [(self[name].auto_id, str(field.label), message)
                for name, field in self.fields.items() for message in self.errors.get(name, [])]

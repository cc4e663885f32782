"""The editors' forms for consultations. Their checks are the services' (voice/consultations.py):
one validation path for the review screens and the demo."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import consultations


class DateInput(forms.DateInput):
    input_type = "date"


class ConsultationForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=consultations.MAX_QUESTION)
    explanation = forms.CharField(
        label=_("Explanation"), required=False, max_length=consultations.MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the question matters and what each option would change. Plain text."))
    options = forms.CharField(
        label=_("Options"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One option a line, from 2 to 8. They cannot change once the consultation "
                    "is open."))
    opens_on = forms.DateField(label=_("Voting opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Voting closes after"), widget=DateInput(),
                                help_text=_("The last day on which workers can vote."))

    draft: consultations.Draft

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.draft = consultations.clean_draft(
                data["question"], data.get("explanation", ""),
                data["options"].splitlines(), data["opens_on"], data["closes_on"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return data


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision taken"), max_length=consultations.MAX_DECISION,
        help_text=_("One line: it becomes the title of the entry in the method's change log."))
    reason = forms.CharField(label=_("Reason"), max_length=consultations.MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 5}))

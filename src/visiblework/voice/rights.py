"""Data-rights letters and their optional follow-ups: the forms (one validation path), the
follow-up service, and the answer rates read from the latest published release.

A letter's personal fields (name, e-mail, details) are validated here and handed to
:func:`visiblework.voice.letters.compose`; they are never saved, cached or logged. A follow-up
stores the company, law, request, month sent and outcome only (no name, no day, no letter); a
signed-in worker's account is attached so that a release can count them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from visiblework.cases.models import Actor
from visiblework.core.audit import record
from visiblework.core.models import AuditAction
from visiblework.insights.releases import latest_release

from .laws import LAWS, REQUESTS
from .letters import Addressee
from .models import FollowUpOutcome, PrivacyContact, RightsFollowUp

MAX_COMPANIES = 200
FIRST_MONTH = date(2018, 1, 1)  # no follow-up about a letter sent before the GDPR applied
RATES_DIMS_KEY = "actor,law"
OUTCOMES = [choice.value for choice in FollowUpOutcome]


def companies() -> list[PrivacyContact]:
    """The companies a letter can be addressed to (those with a privacy contact), by name."""
    return list(PrivacyContact.objects.select_related("actor").order_by("actor__name")
                [:MAX_COMPANIES])


def addressee(contact: PrivacyContact) -> Addressee:
    return Addressee(name=contact.actor.name, email=contact.email, web_form=contact.web_form,
                     postal=contact.postal)


def _law_choices() -> list[tuple[str, str]]:
    return [(law.key, f"{law.short} ({law.jurisdiction})") for law in LAWS.values()]


def _request_choices() -> list[tuple[str, Any]]:
    return list(REQUESTS.items())


class _CompanyField(forms.ChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose a company from the list: we have no privacy contact for "
                            "that one."),
    }


class _LetterChoices(forms.Form):
    """The company, law and request, shared by the letter and its follow-up."""

    actor = _CompanyField(label=_("Company"))
    law = forms.ChoiceField(label=_("Law"), error_messages={
        "invalid_choice": _("Choose one of the laws listed.")})
    request = forms.ChoiceField(label=_("What you ask for"), error_messages={
        "invalid_choice": _("Choose one of the requests listed.")})

    def __init__(self, *args: Any, contacts: list[PrivacyContact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contacts = {contact.actor.slug: contact for contact in contacts}
        _set_choices(self, "actor", [("", "—")] + [
            (contact.actor.slug, contact.actor.name) for contact in contacts])
        _set_choices(self, "law", [("", "—"), *_law_choices()])
        _set_choices(self, "request", [("", "—"), *_request_choices()])

    def contact(self) -> PrivacyContact:
        return self.contacts[self.cleaned_data["actor"]]


class RightsLetterForm(_LetterChoices):
    name = forms.CharField(label=_("Your name"), max_length=200,
                           help_text=_("As the company knows you. It is only put in the letter."))
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             help_text=_("Where the company should answer. It is only put in "
                                         "the letter."))
    details = forms.CharField(
        label=_("Details that help the company find your data"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: e.g. the account, the worker ID or the project. Only put in the "
                    "letter."))
    language = forms.ChoiceField(label=_("Language of the letter"),
                                 help_text=_("When it is not English, the English text is "
                                             "added beside it."))

    def __init__(self, *args: Any, contacts: list[PrivacyContact], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("language", _page_language())
        super().__init__(*args, contacts=contacts, **kwargs)
        _set_choices(self, "language", list(settings.LANGUAGES))
        for name in ("name", "email", "details"):
            # The browser should not offer these for saving on a shared phone.
            self.fields[name].widget.attrs["autocomplete"] = "off"


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _page_language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else "en"


def _months() -> list[tuple[str, str]]:
    today = timezone.now().date()
    out: list[tuple[str, str]] = []
    year, month = today.year, today.month
    while date(year, month, 1) >= FIRST_MONTH and len(out) < 36:
        out.append((f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}"))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


class FollowUpForm(_LetterChoices):
    month = forms.ChoiceField(label=_("Month you sent it"),
                              help_text=_("The month only: we never ask for the day."),
                              error_messages={"invalid_choice": _(
                                  "Choose a month from the list (the last three years).")})
    outcome = forms.ChoiceField(label=_("What happened"), choices=FollowUpOutcome.choices,
                                widget=forms.RadioSelect, error_messages={
                                    "invalid_choice": _("Choose one of the answers listed.")})
    # The honeypot: hidden from people by CSS, filled in by many bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, contacts: list[PrivacyContact], **kwargs: Any) -> None:
        super().__init__(*args, contacts=contacts, **kwargs)
        self.fields["request"].label = _("What you asked for")
        _set_choices(self, "month", [("", "—"), *_months()])

    def month_sent(self) -> date:
        year, month = self.cleaned_data["month"].split("-")
        return date(int(year), int(month), 1)


def record_follow_up(*, actor: Actor, law: str, request: str, month_sent: date, outcome: str,
                     user: Any = None) -> RightsFollowUp:
    """Store one follow-up: month only, no name, no letter. The account is attached only for
    a signed-in worker (so that a release counts them once per company and law)."""
    if law not in LAWS or request not in REQUESTS or outcome not in OUTCOMES:
        raise ValidationError(_("Unknown law, request or outcome."))
    month_sent = month_sent.replace(day=1)
    today = timezone.now().date()
    if not FIRST_MONTH <= month_sent <= today:
        raise ValidationError(_("The month must be between January 2018 and this month."))
    worker = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        follow_up = RightsFollowUp.objects.create(actor=actor, law=law, request=request,
                                                  month_sent=month_sent, outcome=outcome,
                                                  worker=worker)
        # No user on the entry: it would tie an account to a letter to this company.
        record(None, AuditAction.CREATE, follow_up, "rights follow-up recorded",
               label="rights follow-up")
    return follow_up


# --- Answer rates, from the latest published release only ---------------------------------

@dataclass(frozen=True)
class Rate:
    law: str
    suppressed: bool
    answers: int | None = None  # noisy
    shares: dict[str, float] | None = None


def published_rates() -> tuple[Any, dict[str, list[Rate]]]:
    """The latest published release and its answer rates per company slug (never live rows)."""
    release = latest_release()
    if release is None:
        return None, {}
    out: dict[str, list[Rate]] = {}
    for cell in release.cells.filter(dims_key=RATES_DIMS_KEY).order_by("id")[:5000]:
        slug, law = cell.dims.get("actor"), cell.dims.get("law")
        if law not in LAWS:
            continue
        if cell.suppressed:
            rate = Rate(law=law, suppressed=True)
        else:
            rate = Rate(law=law, suppressed=False, answers=cell.workers,
                        shares={o: float(cell.stats.get(f"{o}_share") or 0.0) for o in OUTCOMES})
        out.setdefault(slug, []).append(rate)
    return release, out

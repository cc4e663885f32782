"""Consultations: editors put a question about the method to the workers; worker accounts
that have filed a report vote once and may change their vote until it closes; the results are
published once, after closing, as noisy shares (OpenDP), and only with at least k voters
(noisy); the decision and its reason go to the method's change log (insights.MethodChange).

Votes are worker data: never listed, stored with the day only and no address, seen only by
their author. Casting or changing a vote writes no audit entry, since an entry's exact time
would time the vote finer than a day; what editors do (create, open, close, decide) is audited.
Nothing public is computed from live votes: the page shows only `Consultation.results`,
written once by `close`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from opendp import measurements, transformations
from opendp.domains import atom_domain, vector_domain
from opendp.metrics import symmetric_distance
from opendp.mod import Measurement, binary_search_param, enable_features

from visiblework.accounts.models import Role, User
from visiblework.core.audit import record
from visiblework.core.models import AuditAction
from visiblework.core.text import strip_markup
from visiblework.insights.models import MethodChange
from visiblework.reports.models import Report, ReportStatus

from .models import Consultation, ConsultationStatus, Vote

enable_features("contrib")

MIN_OPTIONS = 2
MAX_OPTIONS = 8
MAX_OPTION_LABEL = 200
MAX_QUESTION = 300
MAX_EXPLANATION = 5000
MAX_DECISION = 200  # the decision becomes a MethodChange title
MAX_REASON = 5000
MECHANISM = "discrete Laplace (OpenDP make_count_by_categories >> then_laplace)"
SYSTEM_LABEL = "consultations close"
DEMO_LABEL = "demo"


class ConsultationError(Exception):
    """An action that the consultation's state does not allow; the message says why."""


class NotEligible(ConsultationError):
    """The account may not vote."""


# --- States -------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def state(consultation: Consultation, on: datetime.date | None = None) -> str:
    """What the consultation is now, derived on read: "draft", "upcoming" (open, before its
    first day), "open", or "closed" (closed by an editor, or its closing day has passed)."""
    on = on or today()
    if consultation.status == ConsultationStatus.DRAFT:
        return "draft"
    if consultation.status == ConsultationStatus.CLOSED or consultation.closes_on < on:
        return "closed"
    if consultation.opens_on > on:
        return "upcoming"
    return "open"


def is_public(consultation: Consultation) -> bool:
    return consultation.status != ConsultationStatus.DRAFT


# --- Creating -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    question: str
    explanation: str
    options: list[dict[str, str]]
    opens_on: datetime.date
    closes_on: datetime.date


def option_keys(labels: Sequence[str]) -> list[str]:
    """Stable keys for the options: the label's slug, else "option-N", never twice."""
    keys: list[str] = []
    for number, label in enumerate(labels, start=1):
        key = slugify(label)[:40].strip("-") or f"option-{number}"
        while key in keys:
            key = f"{key[:34]}-{number}"
        keys.append(key)
    return keys


def clean_draft(question: str, explanation: str, options: Iterable[str],
                opens_on: datetime.date | None, closes_on: datetime.date | None, *,
                on: datetime.date | None = None) -> Draft:
    """The one validation of a new consultation (the editors' form and the demo use it):
    markup stripped, 2–8 distinct options, a closing day not before the opening day nor in
    the past. Raises ValidationError with a message per field."""
    on = on or today()
    errors: dict[str, list[str]] = {}
    question = strip_markup(question or "").strip()
    explanation = strip_markup(explanation or "").strip()
    labels = [strip_markup(o).strip() for o in options]
    labels = [o for o in labels if o]
    if not question:
        errors["question"] = [_("Write the question.")]
    elif len(question) > MAX_QUESTION:
        errors["question"] = [_("Keep the question under %(n)s characters.") % {"n": MAX_QUESTION}]
    if len(explanation) > MAX_EXPLANATION:
        errors["explanation"] = [_("Keep the explanation under %(n)s characters.")
                                 % {"n": MAX_EXPLANATION}]
    if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
        errors["options"] = [_("Give between %(min)s and %(max)s options, one a line.")
                             % {"min": MIN_OPTIONS, "max": MAX_OPTIONS}]
    elif len({o.casefold() for o in labels}) != len(labels):
        errors["options"] = [_("Each option must be different.")]
    elif any(len(o) > MAX_OPTION_LABEL for o in labels):
        errors["options"] = [_("Keep each option under %(n)s characters.")
                             % {"n": MAX_OPTION_LABEL}]
    if opens_on is None:
        errors["opens_on"] = [_("Give the day voting opens.")]
    if closes_on is None:
        errors["closes_on"] = [_("Give the day voting closes.")]
    elif closes_on < on:
        errors["closes_on"] = [_("The closing day is already past.")]
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"] = [_("Voting cannot close before it opens.")]
    if errors:
        raise ValidationError(errors)
    assert opens_on is not None and closes_on is not None
    options_json = [{"key": k, "label": label}
                    for k, label in zip(option_keys(labels), labels, strict=True)]
    return Draft(question, explanation, options_json, opens_on, closes_on)


def _unique_slug(question: str) -> str:
    base = slugify(question)[:70].strip("-") or "consultation"
    slug, n = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create(editor: User | None, draft: Draft) -> Consultation:
    """A new consultation, as a draft only editors see."""
    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=_unique_slug(draft.question), question=draft.question,
            explanation=draft.explanation, options=draft.options, opens_on=draft.opens_on,
            closes_on=draft.closes_on, status=ConsultationStatus.DRAFT)
        record(editor, AuditAction.CREATE, consultation,
               f"consultation created: {consultation.slug}", label=DEMO_LABEL)
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def open_consultation(editor: User | None, consultation: Consultation, *,
                      on: datetime.date | None = None) -> Consultation:
    """A draft becomes public; workers vote from its opening day. Its options are fixed."""
    on = on or today()
    with transaction.atomic():
        locked = _locked(consultation)
        if locked.status != ConsultationStatus.DRAFT:
            raise ConsultationError(_("Only a draft can be opened."))
        if locked.closes_on < on:
            raise ConsultationError(_("Its closing day is already past."))
        locked.status = ConsultationStatus.OPEN
        locked.save(update_fields=["status"])
        record(editor, AuditAction.EDIT, locked, f"consultation opened: {locked.slug}",
               label=DEMO_LABEL)
    return locked


# --- Voting -------------------------------------------------------------------------------


def _has_report() -> Any:
    return Exists(Report.objects.filter(worker=OuterRef("worker")).exclude(
        status=ReportStatus.WITHDRAWN))


def may_vote(user: Any) -> bool:
    """Worker accounts that have filed at least one report they have not withdrawn."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role != Role.WORKER:
        return False
    return Report.objects.filter(worker=user).exclude(status=ReportStatus.WITHDRAWN).exists()


def own_vote(user: Any, consultation: Consultation) -> str | None:
    """The option the user chose, for their eyes only."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Vote.objects.filter(consultation=consultation, worker=user)
            .values_list("option", flat=True).first())


def vote(user: Any, consultation: Consultation, option: str, *,
         on: datetime.date | None = None) -> Vote:
    """Cast or change the user's vote. Stored with the day only; no audit entry (see above)."""
    on = on or today()
    if not may_vote(user):
        raise NotEligible(_("Only worker accounts that have sent at least one report can vote."))
    with transaction.atomic():
        locked = _locked(consultation)
        current = state(locked, on)
        if current == "upcoming":
            raise ConsultationError(_("Voting has not opened yet."))
        if current != "open":
            raise ConsultationError(_("Voting has closed."))
        if option not in {o["key"] for o in locked.options}:
            raise ConsultationError(_("Choose one of the options."))
        ballot, _created = Vote.objects.update_or_create(
            consultation=locked, worker=user, defaults={"option": option, "day": on})
    return ballot


# --- Results --------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def count_measurement(keys: tuple[str, ...], epsilon: float) -> Measurement:
    """OpenDP: the votes (one option key per voter) → a count per option → discrete Laplace
    noise on each count. Adding or removing one voter changes one count by one (L1
    sensitivity 1), so the privacy map at one voter is ε = 1/scale; the scale is found by
    OpenDP's own binary search against that map."""

    def make(scale: float) -> Measurement:
        counts = transformations.make_count_by_categories(
            vector_domain(atom_domain(T=str)), symmetric_distance(),
            categories=list(keys), null_category=False)
        return cast(Measurement, counts >> measurements.then_laplace(scale))

    scale = binary_search_param(make, d_in=1, d_out=epsilon, T=float)
    return make(scale)


def noisy_results(keys: Sequence[str], votes: list[str], *, epsilon: float,
                  k: int) -> dict[str, Any]:
    """One noisy release of the votes: the shares per option (noisy counts clamped at zero,
    normalised) and the noisy number of voters (their sum), withheld below k. Post-processing
    of one measurement: the whole costs ε once."""
    measurement = count_measurement(tuple(keys), epsilon)
    counts = [int(c) for c in measurement(votes)]
    voters = max(0, sum(counts))
    clamped = [max(0, c) for c in counts]
    base = {"epsilon": epsilon, "k": k, "mechanism": MECHANISM}
    if voters < k or sum(clamped) == 0:
        return {**base, "suppressed": True, "shares": {}, "voters": None}
    total = sum(clamped)
    return {**base, "suppressed": False, "voters": voters,
            "shares": {key: round(c / total, 4) for key, c in zip(keys, clamped, strict=True)}}


def _counted_votes(consultation: Consultation) -> list[str]:
    """The options chosen by the voters who may still vote when it closes (a worker who has
    since withdrawn every report is left out, like a release leaves out withdrawn reports)."""
    keys = {o["key"] for o in consultation.options}
    return [option for option in Vote.objects.filter(consultation=consultation)
            .filter(_has_report(), worker__role=Role.WORKER, worker__is_active=True)
            .values_list("option", flat=True).iterator() if option in keys]


def close(consultation: Consultation, *, editor: User | None = None,
          on: datetime.date | None = None) -> Consultation:
    """Close voting and publish the results, once: a consultation whose results are stored
    keeps them (never recomputed). Editors may close early; `close_due` closes the rest."""
    on = on or today()
    with transaction.atomic():
        locked = _locked(consultation)
        if locked.status == ConsultationStatus.DRAFT:
            raise ConsultationError(_("A draft cannot be closed; open it first."))
        if locked.results is not None:
            return locked
        keys = [o["key"] for o in locked.options]
        locked.results = noisy_results(keys, _counted_votes(locked),
                                       epsilon=settings.VISIBLEWORK_CONSULTATION_EPSILON,
                                       k=settings.VISIBLEWORK_K)
        locked.status = ConsultationStatus.CLOSED
        locked.results_published_on = on
        if locked.closes_on > on:  # closed early: the page says when it really closed
            locked.closes_on = on
        locked.save(update_fields=["results", "status", "results_published_on", "closes_on"])
        published = "suppressed" if locked.results["suppressed"] else "published"
        record(editor, AuditAction.EDIT, locked,
               f"consultation closed: {locked.slug}; results {published}",
               label="" if editor else SYSTEM_LABEL)
    return locked


def close_due(on: datetime.date | None = None, *, limit: int = 100) -> list[Consultation]:
    """Close the consultations whose closing day has passed and publish their results (the
    command `visiblework consultations close`, run daily; the demo runs it too)."""
    on = on or today()
    due = list(Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_on__lt=on)
               .order_by("closes_on", "pk")[:limit])
    due += list(Consultation.objects.filter(status=ConsultationStatus.CLOSED, results=None)
                .order_by("closes_on", "pk")[:limit])
    return [close(c, on=on) for c in due]


def options_with_results(consultation: Consultation) -> list[dict[str, Any]]:
    """The options, each with its published share (None before publication or if withheld)."""
    shares = (consultation.results or {}).get("shares") or {}
    return [{"key": o["key"], "label": o["label"], "share": shares.get(o["key"])}
            for o in consultation.options]


def label_of(consultation: Consultation, key: str | None) -> str | None:
    return next((o["label"] for o in consultation.options if o["key"] == key), None)


# --- Deciding -------------------------------------------------------------------------------


def url_of(consultation: Consultation) -> str:
    return reverse("voice:consultation", args=[consultation.slug])


def decide(editor: User | None, consultation: Consultation, decision: str, reason: str, *,
           on: datetime.date | None = None) -> MethodChange:
    """Record the decision taken and why; it enters the method's change log, linked to the
    consultation's page. Once only."""
    on = on or today()
    decision = strip_markup(decision or "").strip()
    reason = strip_markup(reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not decision:
        errors["decision"] = [_("Say what was decided.")]
    elif len(decision) > MAX_DECISION:
        errors["decision"] = [_("Keep the decision under %(n)s characters; give the details "
                                "in the reason.") % {"n": MAX_DECISION}]
    if not reason:
        errors["reason"] = [_("Give the reason.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("Keep the reason under %(n)s characters.") % {"n": MAX_REASON}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(consultation)
        if locked.status != ConsultationStatus.CLOSED or locked.results is None:
            raise ConsultationError(_("Record the decision once the consultation is closed "
                                      "and its results are published."))
        if locked.decided_on is not None:
            raise ConsultationError(_("A decision is already recorded."))
        locked.decision, locked.decision_reason, locked.decided_on = decision, reason, on
        locked.save(update_fields=["decision", "decision_reason", "decided_on"])
        change = MethodChange.objects.create(
            changed_on=on, title=decision, reason=reason, decided_at_url=url_of(locked),
            decided_at_title=locked.question[:300])
        record(editor, AuditAction.EDIT, locked, f"consultation decided: {locked.slug}",
               label=DEMO_LABEL)
        record(editor, AuditAction.CREATE, change, f"method change: {decision[:200]}",
               label=DEMO_LABEL)
    return change

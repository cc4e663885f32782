"""Contributions: anyone proposes a new case or an update; editors claim, accept or reject.

A contributor gets a private tracking code. Only its SHA-256 is stored, so the tracking
page cannot be found from the database alone.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.core.audit import record
from visiblework.core.models import AuditAction
from visiblework.core.search import parse_query
from visiblework.core.text import strip_markup

from .editing import clean_case_data, save_case, snapshot
from .models import (
    CASE_KINDS,
    Actor,
    Case,
    CaseStatus,
    Contribution,
    ContributionKind,
    ContributionStatus,
    Source,
)
from .search import get_backend

if TYPE_CHECKING:
    from visiblework.accounts.models import User

# API / form field -> taxonomy key
TERM_FIELDS = {"justice_areas": "justice_area", "impacts": "impact", "layers": "layer",
               "regions": "region"}
MAX_NOTE = 5000


def tracking_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


# Tracking codes are read aloud, copied by hand and typed on phones: small letters and digits
# without the look-alikes l, 1, o and 0 (and no capitals, so no I or O), in groups of four.
# 32 characters, 5 bits each: 24 of them hold 120 bits.
TRACKING_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
TRACKING_LENGTH = 24
_TRACKING_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def new_tracking_code() -> str:
    """A new private tracking code, like "k7dm-2qxe-..." (six groups of four)."""
    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return "-".join(chars[i : i + 4] for i in range(0, TRACKING_LENGTH, 4))


def normal_tracking_code(code: str) -> str:
    """A new-style code as it was given out, from what someone typed (any case, spaces, with
    or without dashes); any other text (a code from before, which is case-sensitive) as it
    was, stripped."""
    compact = _TRACKING_SEPARATORS.sub("", code).lower()
    if len(compact) != TRACKING_LENGTH or any(c not in TRACKING_ALPHABET for c in compact):
        return code.strip()
    return "-".join(compact[i : i + 4] for i in range(0, TRACKING_LENGTH, 4))


def proposal_to_case_data(proposal: dict[str, Any]) -> dict[str, Any]:
    """The API/form shape (justice_areas, impacts, ...) to case data (terms by taxonomy)."""
    terms = {key: list(proposal.get(field) or []) for field, key in TERM_FIELDS.items()}
    for key, slugs in (proposal.get("terms") or {}).items():
        terms.setdefault(key, []).extend(slugs)
    return {
        "title": proposal.get("title"), "year": proposal.get("year"),
        "year_end": proposal.get("year_end"), "date": proposal.get("date") or "",
        "summary": proposal.get("summary"),
        "body": proposal.get("body") or "", "status": CaseStatus.PUBLISHED,
        "terms": {k: v for k, v in terms.items() if v},
        "countries": proposal.get("countries") or [],
        "actors": proposal.get("actors") or [],
        "sources": proposal.get("sources") or [],
    }


@dataclass
class Submitted:
    contribution: Contribution
    tracking_code: str


def _plain(value: Any) -> Any:
    """Text without markup; text with a NUL is left for clean_case_data to refuse by name."""
    return strip_markup(value) if isinstance(value, str) and "\x00" not in value else value


def without_markup(proposal: dict[str, Any]) -> dict[str, Any]:
    """The proposal with every HTML tag removed from its text (the form promises "HTML is
    removed"): what an editor accepts and the case page shows has no markup."""
    out = dict(proposal)
    for field in ("title", "summary", "body"):
        out[field] = _plain(out.get(field))
    for key, fields in (("sources", ("title", "publisher", "authors")), ("actors", ("name",))):
        rows = out.get(key)
        if isinstance(rows, list):
            out[key] = [{k: _plain(v) if k in fields else v for k, v in row.items()}
                        if isinstance(row, dict) else row for row in rows]
    return out


@transaction.atomic
def submit(proposal: dict[str, Any], *, kind: str, case_id: int | None = None, note: str = "",
           honeypot: str = "") -> Submitted:
    """Check and store a proposal. Raises ValidationError naming each bad field. A filled
    honeypot field stores the proposal as spam, out of the queue."""
    errors: dict[str, list[str]] = {}
    case = None
    if kind not in CASE_KINDS:
        errors["kind"] = [_("Choose a new case or an update.")]
    if kind == ContributionKind.UPDATE:
        case = (Case.objects.filter(pk=case_id, status=CaseStatus.PUBLISHED).first()
                if case_id is not None else None)
        if case is None:
            errors["case_id"] = [_("There is no published case with this number.")]
    try:
        note = clean_note(note)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        data = clean_case_data(proposal_to_case_data(without_markup(proposal)))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        data = {}
    if errors:
        raise ValidationError(errors)
    return store(data, kind=kind, case=case, note=note, honeypot=honeypot)


def clean_note(note: str) -> str:
    """The note to the editors, checked and without markup. Raises ValidationError."""
    if "\x00" in note:
        raise ValidationError({"note": [_("This contains a NUL character.")]})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("Keep the note under 5,000 characters.")]})
    return str(_plain(note)).strip()


def store(payload: dict[str, Any], *, kind: str, case: Case | None = None,
          organisation: Actor | None = None, note: str = "", honeypot: str = "") -> Submitted:
    """Store a proposal already checked (by `submit`, or by the app whose kind it is) with a
    new tracking code. A filled honeypot field stores it as spam, out of the queue."""
    code = new_tracking_code()
    contribution = Contribution.objects.create(
        kind=kind, case=case, organisation=organisation, payload=payload, note=note.strip(),
        tracking_hash=tracking_hash(code),
        status=ContributionStatus.SPAM if honeypot else ContributionStatus.PENDING,
    )
    return Submitted(contribution, code)


def by_tracking_code(code: str) -> Contribution | None:
    """The contribution a tracking code follows: a code from before as it was given (exactly),
    a new one however it was typed."""
    if not code or len(code) > 100:
        return None
    hashes = {tracking_hash(code), tracking_hash(normal_tracking_code(code))}
    return Contribution.objects.select_related("case", "result_case").filter(
        tracking_hash__in=hashes).first()


# --- The queue ---------------------------------------------------------------------------------


@dataclass
class QueueFilter:
    status: str = ContributionStatus.PENDING
    kind: str = ""
    case_id: int | None = None
    claimed: str = ""  # "", "me", "unclaimed", "others"
    order: str = "oldest"  # or "newest"


def queue(filters: QueueFilter, user: User, limit: int = 50, offset: int = 0) -> tuple[int,
                                                                                list[Contribution]]:
    items: QuerySet[Contribution] = Contribution.objects.select_related("case", "claimed_by")
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.case_id:
        items = items.filter(case_id=filters.case_id)
    if filters.claimed == "me":
        items = items.filter(claimed_by=user)
    elif filters.claimed == "unclaimed":
        items = items.filter(claimed_by__isnull=True)
    elif filters.claimed == "others":
        items = items.filter(claimed_by__isnull=False).exclude(claimed_by=user)
    items = items.order_by("-created_at" if filters.order == "newest" else "created_at", "id")
    return items.count(), list(items[offset : offset + limit])


@transaction.atomic
def claim(contribution: Contribution, user: User) -> Contribution:
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != ContributionStatus.PENDING:
        raise ValidationError(_("This contribution has already been decided."))
    contribution.claimed_by = user
    contribution.claimed_at = timezone.now()
    contribution.save(update_fields=["claimed_by", "claimed_at"])
    record(user, AuditAction.CLAIM, contribution, f"#{contribution.pk}")
    return contribution


def _decide(contribution: Contribution, user: User, status: str, reason: str) -> None:
    contribution.status = status
    contribution.decided_by = user
    contribution.decided_at = timezone.now()
    contribution.reason = reason
    contribution.save()


def lock_pending(contribution: Contribution) -> Contribution:
    """The contribution, locked for this transaction; ValidationError once it is decided."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != ContributionStatus.PENDING:
        raise ValidationError(_("This contribution has already been decided."))
    return contribution


def mark_accepted(contribution: Contribution, user: User, reason: str = "", *,
                  organisation: Actor | None = None) -> None:
    """Record the editor's acceptance of a contribution another app applied (inside that
    app's transaction, after `lock_pending`)."""
    if organisation is not None:
        contribution.organisation = organisation
    _decide(contribution, user, ContributionStatus.ACCEPTED, reason.strip())


@transaction.atomic
def accept(contribution: Contribution, user: User, data: dict[str, Any] | None = None,
           reason: str = "") -> Case:
    """Apply the proposal (or the editor's edited version of it), write a revision."""
    contribution = lock_pending(contribution)
    if contribution.kind not in CASE_KINDS:
        raise ValidationError(_("This suggestion is about an organisation, not a case."))
    data = data if data is not None else contribution.payload
    summary = _("Accepted contribution #%(number)d") % {"number": contribution.pk}
    if contribution.kind == ContributionKind.UPDATE:
        if contribution.case is None:
            raise ValidationError(_("The case this update was for no longer exists."))
        if contribution.case.status != CaseStatus.PUBLISHED:
            raise ValidationError(_("The case this update was for is no longer published; "
                                    "reject the update or restore the case first."))
        case = save_case(data, case=contribution.case, user=user, summary=summary,
                         action=AuditAction.ACCEPT)
    else:
        case = save_case(data, user=user, summary=summary, action=AuditAction.ACCEPT)
    contribution.result_case = case
    _decide(contribution, user, ContributionStatus.ACCEPTED, reason.strip())
    return case


@transaction.atomic
def reject(contribution: Contribution, user: User, reason: str) -> Contribution:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the contributor a reason.")]})
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != ContributionStatus.PENDING:
        raise ValidationError(_("This contribution has already been decided."))
    _decide(contribution, user, ContributionStatus.REJECTED, reason)
    record(user, AuditAction.REJECT, contribution, f"#{contribution.pk}: {reason}")
    return contribution


@transaction.atomic
def reject_as_spam(ids: list[int], user: User) -> int:
    """Reject many pending contributions as spam in one action (one audit entry)."""
    ids = list(ids)[:500]
    pending = Contribution.objects.select_for_update().filter(
        pk__in=ids, status=ContributionStatus.PENDING)
    decided = list(pending.values_list("pk", flat=True))
    pending.update(status=ContributionStatus.SPAM, decided_by=user, decided_at=timezone.now(),
                   reason=_("Rejected as spam."))
    if decided:
        record(user, AuditAction.SPAM, None,
               ngettext("%(n)d contribution rejected as spam", "%(n)d contributions rejected as spam",
                        len(decided)) % {"n": len(decided)}, {"ids": decided})
    return len(decided)


# --- Helping the editor decide -----------------------------------------------------------------


def current_data(contribution: Contribution) -> dict[str, Any] | None:
    """The case as it is now, for an update (None for a new case)."""
    return snapshot(contribution.case) if contribution.case else None


def possible_duplicates(contribution: Contribution, limit: int = 5) -> list[Case]:
    """Cases with the same source address, or whose text is most like the proposal's title."""
    payload = contribution.payload
    urls = [s["url"] for s in payload.get("sources", []) if s.get("url")]
    same_source = set(Source.objects.filter(url__in=urls).values_list("case_id", flat=True)[:20])
    words = [g[0] for g in parse_query(payload.get("title", "")).groups if len(g[0]) > 3]
    similar = get_backend().similar(words[:12], limit) if words else []
    ids = list(dict.fromkeys([*same_source, *similar]))
    if contribution.case_id:
        ids = [i for i in ids if i != contribution.case_id]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids[: limit * 2]).filter(
        Q(status=CaseStatus.PUBLISHED) | Q(status=CaseStatus.DRAFT))}
    return [cases[i] for i in ids if i in cases][:limit]

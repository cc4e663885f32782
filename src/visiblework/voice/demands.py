"""Collective demands held in escrow (issue 16, part 2; DESIGN.md, "Voice").

A worker account proposes a demand addressed to an actor; an editor approves its text (the
demand then gathers support) or rejects it with a reason; worker accounts support it and may
withdraw. Until the *published* count passes the demand's threshold, nothing public says how
many support it. Once a day at most, `refresh_counts` releases the number of supporters through
OpenDP as a noisy count (discrete Laplace, sensitivity 1: one worker supports a demand at most
once) with ε = settings.VISIBLEWORK_DEMAND_EPSILON; the threshold decision is taken on the noisy
count, never the true one. Nothing public depends on live support rows: pages read only the
stored snapshot (published_count and its dates).

Supports are never listed anywhere (no page, feed, export, API answer, editor screen or admin)
and carry the day only: no address, no time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from opendp import measurements, transformations
from opendp.domains import atom_domain, vector_domain
from opendp.metrics import symmetric_distance
from opendp.mod import Measurement, binary_search_chain, enable_features

from visiblework.accounts.models import Role, User
from visiblework.cases.models import Actor
from visiblework.core.audit import record
from visiblework.core.models import AuditAction
from visiblework.core.text import strip_markup
from visiblework.reports.models import Reply, Representation

from .models import Demand, DemandAnswer, DemandStatus, DemandSupport

enable_features("contrib")

TITLE_MAX = 200
TEXT_MAX = 5000
REASON_MAX = 2000
# Approved demands: what the public index lists and the demand page shows to anyone.
APPROVED = (DemandStatus.GATHERING, DemandStatus.PUBLIC, DemandStatus.ANSWERED,
            DemandStatus.MET, DemandStatus.CLOSED)
# Demands that can still gain supporters (and whose count is still refreshed).
SUPPORTABLE = (DemandStatus.GATHERING, DemandStatus.PUBLIC, DemandStatus.ANSWERED)
# The statuses an editor can set on an approved demand.
EDITOR_STATUSES = (DemandStatus.ANSWERED, DemandStatus.MET, DemandStatus.CLOSED)
MAX_REPLIES = 20

Viewer = User | AnonymousUser  # whoever looks at a page


def is_worker(user: Viewer) -> bool:
    return isinstance(user, User) and user.is_active and user.role == Role.WORKER


def is_editor(user: Viewer) -> bool:
    return isinstance(user, User) and user.is_editor


def today() -> datetime.date:
    """The day, the only time kept with a support (a function so tests can move it)."""
    return datetime.date.today()


# --- Reading ---------------------------------------------------------------------------------


def approved() -> QuerySet[Demand]:
    return Demand.objects.filter(status__in=APPROVED).select_related("addressed")


def visible_to(user: Viewer, public_id: str) -> Demand | None:
    """The demand at this address if this user may see it: approved demands to anyone; a
    pending or rejected one to its proposer and editors only."""
    demand = Demand.objects.select_related("addressed").filter(public_id=public_id).first()
    if demand is None:
        return None
    if demand.status in APPROVED:
        return demand
    if is_editor(user) or (isinstance(user, User) and demand.proposer_id == user.pk):
        return demand
    return None


def supports(user: Viewer, demand: Demand) -> bool:
    """Whether this worker supports the demand: shown to that worker only."""
    return (isinstance(user, User) and is_worker(user)
            and DemandSupport.objects.filter(demand=demand, worker=user).exists())


def count_is_public(demand: Demand) -> bool:
    return demand.published_count is not None


def answers(demand: Demand) -> list[DemandAnswer]:
    return list(demand.answers.order_by("id")[:MAX_REPLIES])


def replies(demand: Demand) -> list[Reply]:
    """The addressed actor's right-of-reply texts (reports.models.Reply)."""
    return list(Reply.objects.filter(actor_id=demand.addressed_id).order_by("id")[:MAX_REPLIES])


def can_answer(user: Viewer, demand: Demand) -> bool:
    """Only a verified representative of the addressed actor answers, on an approved demand."""
    return bool(isinstance(user, User) and user.is_active
                and demand.status in APPROVED
                and Representation.objects.filter(user=user, actor_id=demand.addressed_id,
                                                  verified=True).exists())


# --- Proposing and reviewing -----------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    title: str
    text: str
    addressed: Actor


def clean_proposal(title: str, text: str, addressed: Actor | None) -> Proposal:
    """The one validation path of a proposal (the form and any API call this): plain text,
    markup removed, lengths bounded."""
    errors: dict[str, list[str]] = {}
    title = strip_markup(title or "").strip()
    text = strip_markup(text or "").strip()
    if not title:
        errors["title"] = [_("Say in a few words what you ask for.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep the demand to %(n)d characters or fewer.") % {"n": TITLE_MAX}]
    if not text:
        errors["text"] = [_("Explain what you ask for and why.")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [_("Keep the explanation to %(n)d characters or fewer.")
                          % {"n": TEXT_MAX}]
    if addressed is None:
        errors["addressed"] = [_("Name a company, platform or organisation that is already in "
                                 "the database.")]
    if errors:
        raise ValidationError(errors)
    assert addressed is not None
    return Proposal(title=title, text=text, addressed=addressed)


@transaction.atomic
def propose(user: Viewer, proposal: Proposal) -> Demand:
    """A worker account proposes a demand; it waits for an editor."""
    if not isinstance(user, User) or not is_worker(user):
        raise PermissionDenied(_("Only worker accounts can propose a demand."))
    demand = Demand.objects.create(
        title=proposal.title, text=proposal.text, addressed=proposal.addressed, proposer=user,
        status=DemandStatus.PENDING, threshold=settings.VISIBLEWORK_DEMAND_THRESHOLD)
    # The proposer is not named in the entry: the demand keeps them, shown to nobody.
    record(None, AuditAction.CREATE, demand, f"demand proposed: {demand.title}",
           label="a worker")
    return demand


def _editor_only(user: Viewer) -> None:
    if not is_editor(user):
        raise PermissionDenied(_("Only editors can review demands."))


@transaction.atomic
def approve(demand: Demand, editor: Viewer) -> Demand:
    """An editor approves a pending demand's text: it starts gathering support."""
    _editor_only(editor)
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.status != DemandStatus.PENDING:
        raise ValidationError(_("Only a demand waiting for an editor can be approved."))
    demand.status = DemandStatus.GATHERING
    demand.approved_on = demand.status_changed_on = today()
    demand.editor_reason = ""
    demand.save(update_fields=["status", "approved_on", "status_changed_on", "editor_reason"])
    record(editor, AuditAction.ACCEPT, demand, f"demand approved: {demand.title}")
    return demand


@transaction.atomic
def reject(demand: Demand, editor: Viewer, reason: str) -> Demand:
    """An editor rejects a pending demand, with a reason its proposer can read."""
    _editor_only(editor)
    reason = strip_markup(reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the proposer reads it."))
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.status != DemandStatus.PENDING:
        raise ValidationError(_("Only a demand waiting for an editor can be rejected."))
    demand.status = DemandStatus.REJECTED
    demand.editor_reason = reason[:REASON_MAX]
    demand.status_changed_on = today()
    demand.save(update_fields=["status", "editor_reason", "status_changed_on"])
    record(editor, AuditAction.REJECT, demand, f"demand rejected: {demand.title}",
           {"reason": demand.editor_reason})
    return demand


@transaction.atomic
def set_status(demand: Demand, editor: Viewer, status: str) -> Demand:
    """An editor marks an approved demand answered, met or closed. A met or closed demand
    takes no more supports and its count is no longer refreshed."""
    _editor_only(editor)
    if status not in EDITOR_STATUSES:
        raise ValidationError(_("Choose answered, met or closed."))
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.status not in APPROVED:
        raise ValidationError(_("Approve the demand first."))
    if demand.status == status:
        return demand
    old = demand.status
    demand.status = status
    demand.status_changed_on = today()
    demand.save(update_fields=["status", "status_changed_on"])
    record(editor, AuditAction.EDIT, demand, f"demand status: {old} -> {status}",
           {"from": old, "to": status})
    return demand


# --- Supporting ------------------------------------------------------------------------------
#
# No audit entry is written for a support or a withdrawal, on purpose. An entry carries its
# author and an exact time: naming the worker would let anyone who reads the audit log
# (editors, an operator who later turns hostile) list a demand's supporters, and even an
# anonymous "a support changed" entry would time a support to the second, finer than the day
# the design allows, and count supporters before the threshold. The support row itself, with
# its day, is the only trace.


def _worker_only(user: Viewer) -> User:
    if not isinstance(user, User) or not is_worker(user):
        raise PermissionDenied(_("Only worker accounts can support a demand."))
    return user


@transaction.atomic
def support(demand: Demand, user: Viewer) -> bool:
    """The worker supports the demand (once; again is harmless). True if this is new."""
    worker = _worker_only(user)
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.status not in SUPPORTABLE:
        raise ValidationError(_("This demand no longer takes support."))
    try:
        with transaction.atomic():
            DemandSupport.objects.create(demand=demand, worker=worker, day=today())
    except IntegrityError:
        return False
    return True


@transaction.atomic
def withdraw(demand: Demand, user: Viewer) -> bool:
    """The worker withdraws their support; the row is deleted. True if there was one. A
    worker may withdraw at any time, whatever the demand's status."""
    worker = _worker_only(user)
    deleted, _rows = DemandSupport.objects.filter(demand=demand, worker=worker).delete()
    return bool(deleted)


# --- Answers ---------------------------------------------------------------------------------


def clean_answer(text: str) -> str:
    text = strip_markup(text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write your answer.")]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [_("Keep the answer to %(n)d characters or fewer.")
                                        % {"n": TEXT_MAX}]})
    return text


@transaction.atomic
def answer(demand: Demand, user: Viewer, text: str) -> DemandAnswer:
    """The addressed actor's verified representative answers (one answer each, editable)."""
    if not can_answer(user, demand):
        raise PermissionDenied(_("Only a verified representative of %(actor)s can answer.")
                               % {"actor": demand.addressed.name})
    text = clean_answer(text)
    reply, created = DemandAnswer.objects.update_or_create(demand=demand, author=user,
                                                           defaults={"text": text})
    record(user, AuditAction.CREATE if created else AuditAction.EDIT, reply,
           f"answer to demand {demand.public_id}")
    return reply


# --- The noisy count -------------------------------------------------------------------------


@lru_cache(maxsize=8)
def count_measurement(epsilon: float) -> Measurement:
    """OpenDP's measurement: the number of supports (one per worker, so adding or removing a
    supporter moves it by 1) plus discrete Laplace noise, calibrated so that its privacy map
    at a distance of one supporter is at most `epsilon`."""
    if not epsilon > 0:
        raise ValueError("epsilon must be above 0")
    space = vector_domain(atom_domain(T=bool)), symmetric_distance()

    def make(scale: float) -> Measurement:
        counts = transformations.make_count(*space, TO=int)
        return cast(Measurement, counts >> measurements.then_laplace(scale))

    measurement = make(1.0 / epsilon)
    if measurement.map(1) > epsilon:  # rounding: let OpenDP find a scale that fits
        measurement = binary_search_chain(make, d_in=1, d_out=epsilon, T=float)
    return measurement


def noisy_count(true_count: int, epsilon: float) -> tuple[int, float]:
    """(the noisy count, at least 0; the ε it spent, from OpenDP's privacy map)."""
    measurement = count_measurement(epsilon)
    noisy = int(measurement([True] * true_count))
    return max(noisy, 0), float(measurement.map(1))


@dataclass(frozen=True)
class RefreshResult:
    refreshed: int
    published: int


def _refresh_one(demand_pk: int, day: datetime.date, epsilon: float) -> bool:
    """Refresh one demand's count if it is due; True if a count was published."""
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand_pk)
        if demand.status not in SUPPORTABLE or demand.count_refreshed_on == day:
            return False
        true_count = DemandSupport.objects.filter(demand=demand).count()
        noisy, spent = noisy_count(true_count, epsilon)
        demand.count_refreshed_on = day
        demand.count_epsilon = spent
        demand.count_epsilon_total += spent
        fields = ["count_refreshed_on", "count_epsilon", "count_epsilon_total"]
        published = noisy >= demand.threshold  # decided on the noisy count only
        if published:
            demand.published_count = noisy
            demand.count_published_on = day
            fields += ["published_count", "count_published_on"]
            if demand.status == DemandStatus.GATHERING:
                demand.status = DemandStatus.PUBLIC
                demand.status_changed_on = day
                fields += ["status", "status_changed_on"]
        demand.save(update_fields=fields)
        # Neither the true count nor the noisy one below the threshold goes into the log.
        record(None, AuditAction.EDIT, demand,
               "demand count refreshed" + (": published" if published else ""),
               {"epsilon": spent, "published": published}, label="demands refresh")
        return published


def refresh_counts(*, day: datetime.date | None = None, limit: int = 10_000) -> RefreshResult:
    """Release a noisy count for every demand still taking support that was not refreshed
    today (so each at most once a day). Each refresh spends ε, whether or not the noisy count
    reaches the threshold; a count below it is not stored."""
    day = day or today()
    epsilon = settings.VISIBLEWORK_DEMAND_EPSILON
    due = list(Demand.objects.filter(status__in=SUPPORTABLE).exclude(count_refreshed_on=day)
               .order_by("id").values_list("pk", flat=True)[:limit])
    published = sum(1 for pk in due if _refresh_one(pk, day, epsilon))
    return RefreshResult(refreshed=len(due), published=published)

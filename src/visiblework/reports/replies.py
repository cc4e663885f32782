"""The right of reply: a company's representative asks to be verified from the site, an
editor approves, refuses or later withdraws that, and a verified representative publishes one
reply per actor, shown on the actor's page, on the cases that name the actor, and on the
demands addressed to it (the voice floor includes reports/_replies.html).

Who may ask: a company account (accounts.Role.REPRESENTATIVE, made at /accounts/signup/company/).
A worker's pseudonymous account is never turned into a company one, and editors do not speak
for companies. What a requester sends to prove who they are (name, role, work e-mail, a public
page) is seen only by them and by editors; the public sees the actor's name, the reply and
its date.

A reply is shown only while its author's representation is verified, so withdrawing a
representation takes its reply down (the row is kept). A reply is its own text: it cannot
edit, hide or reorder what workers wrote or what a case says.

Cached pages: anonymous case pages are kept per process until the catalogue version moves
(cases/pages.py), so every change to what replies show (a reply written or changed, a
representation verified or withdrawn) bumps that version (reports/models.py, on save).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visiblework.accounts.models import Role, User
from visiblework.cases.models import Actor, Case, CaseActor, CaseStatus
from visiblework.core.audit import record
from visiblework.core.models import AuditAction
from visiblework.core.sections import Section

from .models import Reply, Representation, RepresentationStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_REPLY = 5000
MAX_REPLIES = 20  # shown on one page
MAX_PENDING = 5  # open requests one account may have at once
MAX_LISTED = 50  # a company account's own requests, on its account page


# --- Who may do what ---------------------------------------------------------------------------


def is_company_account(user: User | AnonymousUser) -> bool:
    """A signed-in, active company account: the only kind that may ask to represent an actor."""
    return bool(user.is_authenticated and user.is_active
                and getattr(user, "role", "") == Role.REPRESENTATIVE)


def can_reply(user: User | AnonymousUser, actor: Actor) -> bool:
    """A company account whose representation of `actor` an editor has verified."""
    return (isinstance(user, User) and is_company_account(user)
            and Representation.objects.filter(user=user, actor=actor, verified=True).exists())


def representation_of(user: User | AnonymousUser, actor: Actor) -> Representation | None:
    if not isinstance(user, User):
        return None
    return Representation.objects.filter(user=user, actor=actor).first()


# --- What the public sees ----------------------------------------------------------------------


def _shown() -> QuerySet[Reply]:
    """Replies whose author still represents the actor, verified, with an active account."""
    return Reply.objects.filter(Exists(Representation.objects.filter(
        user=OuterRef("author"), actor=OuterRef("actor"), verified=True,
        user__is_active=True))).select_related("actor")


def replies_for_actor(actor: Actor) -> list[Reply]:
    """The published replies of an actor's verified representatives (one query, bounded)."""
    return list(_shown().filter(actor=actor).order_by("id")[:MAX_REPLIES])


def replies_on_case(case: Case) -> list[Reply]:
    """The replies of the actors a case names, by actor name (one query, bounded)."""
    actors = CaseActor.objects.filter(case=case).values("actor")
    return list(_shown().filter(actor__in=actors).order_by("actor__name", "id")[:MAX_REPLIES])


def case_replies(request: HttpRequest, case: Case) -> Section | None:
    """The case page's section (settings.VISIBLEWORK_PAGE_SECTIONS["case"]). The same for
    every visitor: anonymous case pages are cached."""
    if case.status == CaseStatus.RETRACTED:
        return None
    replies = replies_on_case(case)
    if not replies:
        return None
    return Section("reports/_replies.html", {"replies": replies, "on_case": True})


def actor_replies(request: HttpRequest, actor: Actor) -> Section:
    """The actor page's section: the replies, and a way to write one or to ask for the right."""
    return Section("reports/_replies.html", {
        "replies": replies_for_actor(actor), "reply_actor": actor,
        "can_reply": can_reply(request.user, actor)})


def my_representations(request: HttpRequest) -> Section | None:
    """A company account's own page: where each of its requests stands."""
    user = request.user
    if not isinstance(user, User) or not is_company_account(user):
        return None
    rows = list(Representation.objects.filter(user=user).select_related("actor")
                .order_by("actor__name")[:MAX_LISTED])
    return Section("reports/_my_representations.html", {"representations": rows})


# --- Asking to represent an actor --------------------------------------------------------------

if TYPE_CHECKING:  # the stubs' ModelForm is generic; Django's own is not subscriptable
    _ModelForm = forms.ModelForm[Representation]
else:
    _ModelForm = forms.ModelForm


class RepresentationRequestForm(_ModelForm):
    """What a requester sends: who they are, their role, a work e-mail or a public page that
    proves it, a note. The one check for the page (and any API)."""

    class Meta:
        model = Representation
        fields = ["full_name", "job_title", "work_email", "evidence_url", "note"]
        labels = {
            "full_name": gettext_lazy("Your name"),
            "job_title": gettext_lazy("Your role at the organisation"),
            "work_email": gettext_lazy("Your work e-mail address (at the organisation's own "
                                       "domain)"),
            "evidence_url": gettext_lazy("Or a public page that shows your role (the "
                                         "organisation's website, a press page)"),
            "note": gettext_lazy("Anything else the editors should know (optional)"),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["job_title"].required = True
        self.fields["full_name"].error_messages["required"] = _("Write your name.")
        self.fields["job_title"].error_messages["required"] = _("Write your role.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("work_email") or data.get("evidence_url")):
            raise ValidationError(_("Give a work e-mail address or a public page that shows "
                                    "your role, so that an editor can check it."))
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your reply"), max_length=MAX_REPLY,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": gettext_lazy("Write your reply.")})


@transaction.atomic
def request_representation(user: User, actor: Actor, form: RepresentationRequestForm
                           ) -> Representation:
    """Ask to represent `actor`, or update a pending request, or ask again after a refusal.
    `form` must be valid. Raises ValidationError when this account may not ask."""
    if not is_company_account(user):
        raise ValidationError(_("Only a company account can ask to reply for an organisation."))
    existing = Representation.objects.select_for_update().filter(user=user, actor=actor).first()
    if existing is not None and existing.status == RepresentationStatus.VERIFIED:
        raise ValidationError(_("You are already verified for this organisation."))
    if existing is not None and existing.status == RepresentationStatus.REVOKED:
        raise ValidationError(_("An editor withdrew your right of reply for this "
                                "organisation. Write to the editors if you think this is "
                                "wrong."))
    if existing is None or existing.status != RepresentationStatus.PENDING:
        pending = Representation.objects.filter(user=user,
                                                status=RepresentationStatus.PENDING).count()
        if pending >= MAX_PENDING:
            raise ValidationError(_("You have %(n)d requests waiting for an editor. Wait for "
                                    "their answer before you ask again.") % {"n": pending})
    representation = existing or Representation(user=user, actor=actor)
    for name in RepresentationRequestForm.Meta.fields:
        setattr(representation, name, form.cleaned_data.get(name) or "")
    action = AuditAction.EDIT if existing else AuditAction.CREATE
    representation.status = RepresentationStatus.PENDING
    representation.verified = False
    representation.requested_on = timezone.localdate()
    representation.decided_on = None
    representation.reason = ""
    representation.save()
    record(user, action, representation,
           f"asked to represent {actor.slug} ({'again' if existing else 'new request'})")
    return representation


# --- Editors' decisions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    allowed_from: tuple[str, ...]
    result: str
    needs_reason: bool
    not_allowed: StrOrPromise  # the message when the request is not in an allowed state


DECISIONS = {
    # verify a waiting (or refused) request: the account may reply from now on
    "approve": Decision((RepresentationStatus.PENDING, RepresentationStatus.REFUSED),
                        RepresentationStatus.VERIFIED, False,
                        gettext_lazy("Only a waiting or refused request can be approved.")),
    "refuse": Decision((RepresentationStatus.PENDING,), RepresentationStatus.REFUSED, True,
                       gettext_lazy("Only a waiting request can be refused.")),
    # withdraw a verified representation: its reply comes down everywhere (kept, not shown)
    "revoke": Decision((RepresentationStatus.VERIFIED,), RepresentationStatus.REVOKED, True,
                       gettext_lazy("Only a verified representative can be withdrawn.")),
}


@transaction.atomic
def decide(representation: Representation, editor: User, decision: str,
           reason: str = "") -> Representation:
    """An editor's decision on a representation ("approve", "refuse" or "revoke"), with a
    reason the requester reads (needed to refuse or withdraw)."""
    rule = DECISIONS.get(decision)
    if rule is None:
        raise ValidationError(_("Choose approve, refuse or withdraw."))
    current = Representation.objects.select_for_update().select_related("actor", "user").get(
        pk=representation.pk)
    if current.status not in rule.allowed_from:
        raise ValidationError(str(rule.not_allowed))
    if rule.result == RepresentationStatus.VERIFIED and not is_company_account(current.user):
        raise ValidationError(_("This account is not a company account: it cannot be "
                                "verified."))
    if rule.needs_reason and not reason.strip():
        raise ValidationError(_("Write the reason: the requester will read it."))
    current.status = rule.result
    current.verified = rule.result == RepresentationStatus.VERIFIED
    current.reason = reason.strip()[:2000]
    current.decided_on = timezone.localdate()
    if current.verified:
        current.verified_by = editor
    current.save()
    record(editor, AuditAction.EDIT, current,
           f"representative {current.user} for {current.actor.slug}: {rule.result}",
           {"status": rule.result, "reason": current.reason})
    return current


def approve(representation: Representation, editor: User, reason: str = "") -> Representation:
    return decide(representation, editor, "approve", reason)


def refuse(representation: Representation, editor: User, reason: str) -> Representation:
    return decide(representation, editor, "refuse", reason)


def revoke(representation: Representation, editor: User, reason: str) -> Representation:
    return decide(representation, editor, "revoke", reason)


@dataclass(frozen=True)
class ReviewList:
    status: str
    representations: QuerySet[Representation]


def for_review(status: str) -> ReviewList:
    """The requests editors see, by status (pending by default), oldest first."""
    if status not in RepresentationStatus.values:
        status = RepresentationStatus.PENDING
    rows = (Representation.objects.filter(status=status).select_related("user", "actor")
            .order_by("requested_on", "id"))
    return ReviewList(status, rows)


# --- The reply ---------------------------------------------------------------------------------


@transaction.atomic
def post_reply(user: User, actor: Actor, text: str) -> Reply:
    """A verified representative's one reply for their organisation, written or changed."""
    if not can_reply(user, actor):
        raise ValidationError(_("Only a verified representative of this organisation can "
                                "reply."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your reply."))
    reply, created = Reply.objects.update_or_create(actor=actor, author=user,
                                                    defaults={"text": text[:MAX_REPLY]})
    record(user, AuditAction.CREATE if created else AuditAction.EDIT, reply,
           f"reply for {actor.slug} {'written' if created else 'changed'}")
    return reply

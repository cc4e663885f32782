"""The demo's right of reply: a demo company account, verified by the demo's editors, speaks
for Sama and has published a reply. The reply says plainly that it is demo text, not a
statement by the company. Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from visiblework.accounts.models import Role, User
from visiblework.cases.models import Actor, ActorKind
from visiblework.core.audit import record
from visiblework.core.models import AuditAction

from .models import Reply, Representation, RepresentationStatus

DEMO_ACTOR = ("sama", "Sama", ActorKind.VENDOR)
DEMO_ACCOUNT = "demo-representative-sama"
DEMO_REPLY = (
    "This is a demonstration reply, written for the demo site. It is not a statement by Sama.\n\n"
    "On a real site, a representative whom an editor has verified answers here what workers "
    "and cases say about their organisation. The reply is shown beside their words: it cannot "
    "change, hide or reorder them.")


@transaction.atomic
def seed() -> str | None:
    """Create the demo representative, its verified representation and its reply, once."""
    slug, name, kind = DEMO_ACTOR
    actor, _created = Actor.objects.get_or_create(slug=slug, defaults={"name": name,
                                                                       "kind": kind})
    if Reply.objects.filter(actor=actor, author__username=DEMO_ACCOUNT).exists():
        return None
    user = User.objects.filter(username=DEMO_ACCOUNT).first()
    if user is None:
        user = User(username=DEMO_ACCOUNT, role=Role.REPRESENTATIVE)
        user.set_unusable_password()  # shows a reply; nobody signs in as it
        user.save()
    today = timezone.localdate()
    Representation.objects.update_or_create(user=user, actor=actor, defaults={
        "verified": True, "status": RepresentationStatus.VERIFIED,
        "full_name": "Demo representative", "job_title": "Demo",
        "evidence_url": "https://example.org/", "requested_on": today, "decided_on": today,
        "reason": "Demo data."})
    reply = Reply.objects.create(actor=actor, author=user, text=DEMO_REPLY)
    record(None, AuditAction.CREATE, reply, f"demo reply for {actor.slug}", label="demo")
    return _("Right of reply: a demo representative of %(name)s with a reply") % {
        "name": actor.name}

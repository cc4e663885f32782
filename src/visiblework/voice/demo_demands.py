"""Demo demands: two approved demands addressed to seeded actors, one past its threshold (60
synthetic demo supporters, then a refresh publishes a noisy count well above 25; OpenDP's noise
cannot be seeded, so the true count is kept far from the threshold), one below it (four
supporters), with an answer from a demo representative. The demo accounts are clearly named
(demo-supporter-NN, demo-representative-...) and cannot sign in (no usable password).
Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from visiblework.accounts.models import Role, User
from visiblework.cases.models import Actor
from visiblework.reports.models import Representation

from . import demands
from .models import Demand, DemandAnswer, DemandStatus, DemandSupport

PAST = ("sama", "Pay us for the qualification tests we take",
        "Before we may work on a project we take unpaid qualification tests that can last "
        "hours. Most of us are then not chosen, and the time is never paid. We ask that every "
        "qualification test be paid at the project's hourly rate, and that the time it takes "
        "be stated before we start.", 60)
BELOW = ("openai", "Tell us what the data we label trains",
         "We label text and images without knowing which product they are for or how they "
         "will be used. We ask to be told, before a project starts, what the data trains and "
         "whether we may refuse work that we find harmful.", 4)
ANSWER = ("Thank you for raising this. This is a demo answer written for the demonstration "
          "site; it is not a statement by the company.")
SUPPORTERS = 60


def _supporters(n: int) -> list[User]:
    users = []
    for i in range(1, n + 1):
        user, created = User.objects.get_or_create(username=f"demo-supporter-{i:02d}",
                                                   defaults={"role": Role.WORKER})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def _demand(slug: str, title: str, text: str, supporters: list[User]) -> Demand | None:
    actor = Actor.objects.filter(slug=slug).first()
    if actor is None:
        return None
    demand = Demand.objects.filter(title=title, addressed=actor).first()
    if demand is not None:
        return demand
    day = demands.today()
    demand = Demand.objects.create(
        title=title, text=text, addressed=actor, proposer=supporters[0],
        status=DemandStatus.GATHERING, threshold=25, approved_on=day, status_changed_on=day)
    DemandSupport.objects.bulk_create([DemandSupport(demand=demand, worker=u, day=day)
                                       for u in supporters])
    return demand


@transaction.atomic
def _seed() -> int:
    if Demand.objects.filter(title__in=[PAST[1], BELOW[1]]).count() == 2:
        return 0
    users = _supporters(SUPPORTERS)
    made = 0
    for slug, title, text, n in (PAST, BELOW):
        if not Demand.objects.filter(title=title).exists():
            made += _demand(slug, title, text, users[:n]) is not None
    below = Demand.objects.filter(title=BELOW[1]).first()
    if below is not None:
        rep, created = User.objects.get_or_create(
            username=f"demo-representative-{below.addressed.slug}",
            defaults={"role": Role.REPRESENTATIVE})
        if created:
            rep.set_unusable_password()
            rep.save(update_fields=["password"])
        Representation.objects.update_or_create(user=rep, actor=below.addressed,
                                                defaults={"verified": True})
        _answer, answered = DemandAnswer.objects.get_or_create(demand=below, author=rep,
                                                              defaults={"text": ANSWER})
        if answered and below.status == DemandStatus.GATHERING:
            below.status = DemandStatus.ANSWERED
            below.status_changed_on = demands.today()
            below.save(update_fields=["status", "status_changed_on"])
    return made


def seed() -> str | None:
    made = _seed()
    result = demands.refresh_counts()  # at most once a day per demand
    if not made and not result.published:
        return None
    return _("Demo demands: %(made)d new; noisy counts published: %(published)d.") % {
        "made": made, "published": result.published}

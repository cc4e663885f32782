"""Helpers shared by the demands tests: demands in a given state, many worker accounts."""

from __future__ import annotations

import datetime

from visiblework.accounts.models import Role, User
from visiblework.cases.models import Actor
from visiblework.reports.models import Representation
from visiblework.voice.models import Demand, DemandStatus, DemandSupport

CANARY_SUPPORTER = "canary-supporter-zx91q"


def make_demand(actor: Actor, *, status: str = DemandStatus.GATHERING, threshold: int = 25,
                title: str = "Pay for qualification tests", proposer: User | None = None,
                ) -> Demand:
    day = datetime.date(2026, 1, 5)
    approved = status not in (DemandStatus.PENDING, DemandStatus.REJECTED)
    return Demand.objects.create(title=title, text="We ask that tests be paid.", addressed=actor,
                                 status=status, threshold=threshold, proposer=proposer,
                                 approved_on=day if approved else None)


def make_workers(n: int, prefix: str = "w") -> list[User]:
    return User.objects.bulk_create([User(username=f"{prefix}-{i}", role=Role.WORKER)
                                     for i in range(n)])


def add_supports(demand: Demand, workers: list[User]) -> None:
    DemandSupport.objects.bulk_create([DemandSupport(demand=demand, worker=w,
                                                     day=datetime.date(2026, 1, 6))
                                       for w in workers])


def verify(user: User, actor: Actor) -> Representation:
    return Representation.objects.create(user=user, actor=actor, verified=True)

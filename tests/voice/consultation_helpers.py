"""Shared by the consultation tests: a worker's report (which makes them eligible to vote)
and consultations in each state."""

from __future__ import annotations

import datetime

from visiblework.accounts.models import Role, User
from visiblework.reports.models import Report
from visiblework.reports.services import submit_report
from visiblework.voice import consultations
from visiblework.voice.models import Consultation

OPTIONS = ["The US federal minimum wage", "The local minimum wage", "A living wage"]
KEYS = ["the-us-federal-minimum-wage", "the-local-minimum-wage", "a-living-wage"]


def today() -> datetime.date:
    return consultations.today()


def file_report(user: User) -> Report:
    return submit_report({
        "platform": "Remotasks", "task_type": "text_annotation", "country": "KE",
        "year": today().year - 1, "quarter": 2, "pay_amount": "150", "currency": "USD",
        "pay_basis": "per_month", "paid_hours": "80"}, worker=user).report


def eligible_worker(username: str) -> User:
    user = User.objects.create_user(username, role=Role.WORKER)
    file_report(user)
    return user


def draft(question: str = "Which reference wage should scorecards use?", *,
          days: int = 10) -> Consultation:
    d = consultations.clean_draft(question, "Why it matters.", OPTIONS, today(),
                                  today() + datetime.timedelta(days=days))
    return consultations.create(None, d)


def open_consultation(question: str = "Which reference wage should scorecards use?", *,
                      days: int = 10) -> Consultation:
    return consultations.open_consultation(None, draft(question, days=days))


def closed_consultation(votes: dict[str, int] | None = None, *,
                        prefix: str = "voter") -> Consultation:
    """Open, with `votes` (option key → voters), then closed and published."""
    consultation = open_consultation()
    number = 0
    for key, n in (votes or {}).items():
        for _i in range(n):
            number += 1
            consultations.vote(eligible_worker(f"{prefix}-{number}"), consultation, key)
    return consultations.close(consultation)

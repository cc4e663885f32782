"""The demo's consultations: one closed, with real (noisy) results from synthetic demo worker
accounts and a recorded decision in the method's change log, and one open for votes.
Idempotent. The voters are clearly labelled demo accounts, each with one synthetic report
sent through the reports service (so they may vote like any worker)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from visiblework.accounts.models import Role, User
from visiblework.reports.models import Report
from visiblework.reports.services import submit_report

from . import consultations
from .models import Consultation

VOTER_PREFIX = "demo-voter-"
# option key → how many demo voters choose it
CLOSED_VOTES = {"the-us-federal-minimum-wage": 9, "the-local-minimum-wage": 11,
                "a-living-wage": 20}
CLOSED = {
    "question": "Which reference wage should scorecards use?",
    "explanation": (
        "Demo consultation: the voters are synthetic demo accounts, not real workers.\n\n"
        "A scorecard judges the pay of a platform against a reference wage. The US federal "
        "minimum wage is the same everywhere and easy to cite; a local minimum wage follows "
        "the country of work; a living wage says what a decent life costs where the worker "
        "lives, but needs a cited figure for every country."),
    "options": ["The US federal minimum wage", "The local minimum wage", "A living wage"],
}
DECISION = ("Scorecards keep the US federal minimum wage as the default reference wage; each "
            "instance can set its own")
REASON = ("Demo decision, on synthetic votes. Voters leaned towards a living wage, but this "
          "instance ships no cited living-wage figure per country yet. Until it does, the "
          "default stays the US federal minimum (7.25 USD an hour), and the setting "
          "VISIBLEWORK_REFERENCE_WAGE_USD lets each instance choose its own.")
OPEN = {
    "question": "Which ratings should count towards a scorecard's points?",
    "explanation": ("Demo consultation. Workers rate communication, promptness of payment and "
                    "the fairness of rejections. Should these ratings count towards the "
                    "ten points of a scorecard, or be shown beside them?"),
    "options": ["Count them towards the points", "Show them beside the points",
                "Leave them out of scorecards"],
}


def _demo_report(user: User, number: int, year: int) -> None:
    submission = submit_report({
        "platform": "Remotasks", "task_type": "text_annotation", "country": "KE",
        "year": year, "quarter": 1 + number % 4, "pay_amount": str(120 + number),
        "currency": "USD", "pay_basis": "per_month", "paid_hours": "80",
        "unpaid_hours": {"waiting": "10"}}, worker=user)
    Report.objects.filter(pk=submission.report.pk).update(synthetic=True)


def _voters(n: int, year: int) -> list[User]:
    """n demo worker accounts (no usable password), each with one synthetic report."""
    voters = []
    for number in range(1, n + 1):
        user, created = User.objects.get_or_create(
            username=f"{VOTER_PREFIX}{number:02d}", defaults={"role": Role.WORKER})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not Report.objects.filter(worker=user).exists():
            _demo_report(user, number, year)
        voters.append(user)
    return voters


def _closed(today: datetime.date) -> bool:
    slug_question = CLOSED["question"]
    consultation = Consultation.objects.filter(question=slug_question).first()
    if consultation is not None and consultation.decided_on is not None:
        return False
    opens_on, closes_on = today - datetime.timedelta(days=30), today - datetime.timedelta(days=2)
    if consultation is None:
        draft = consultations.clean_draft(CLOSED["question"], CLOSED["explanation"],
                                          CLOSED["options"], opens_on, closes_on, on=opens_on)
        consultation = consultations.create(None, draft)
        consultations.open_consultation(None, consultation, on=opens_on)
    if consultation.results is None:
        voters = _voters(sum(CLOSED_VOTES.values()), today.year - 1)
        choices = [key for key, n in CLOSED_VOTES.items() for _i in range(n)]
        for number, (user, option) in enumerate(zip(voters, choices, strict=True)):
            day = opens_on + datetime.timedelta(days=number % 25)
            consultations.vote(user, consultation, option, on=day)
        consultations.close_due(today)  # what `visiblework consultations close` runs
        consultation.refresh_from_db()
    consultations.decide(None, consultation, DECISION, REASON, on=today)
    return True


def _open(today: datetime.date) -> bool:
    if Consultation.objects.filter(question=OPEN["question"]).exists():
        return False
    draft = consultations.clean_draft(OPEN["question"], OPEN["explanation"], OPEN["options"],
                                      today, today + datetime.timedelta(days=60), on=today)
    consultations.open_consultation(None, consultations.create(None, draft), on=today)
    return True


def seed() -> str | None:
    today = consultations.today()
    closed, opened = _closed(today), _open(today)
    if not (closed or opened):
        return None
    return _("Consultations: one closed with published results and a decision, one open.")

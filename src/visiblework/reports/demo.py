"""A clearly labelled synthetic demo set of reports, so that a fresh demo has real charts.
Every row has synthetic=True; releases built on them say so on every page."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from visiblework.cases.models import Actor, ActorKind
from visiblework.refdata.services import get_rates, region_of

from . import wages
from .models import PayBasis, Report, ReportStatus, TaskType

# (platform slug, name, kind) — created if the seed content lacks them.
PLATFORMS = [("sama", "Sama", ActorKind.VENDOR), ("remotasks", "Remotasks", ActorKind.PLATFORM),
             ("appen", "Appen", ActorKind.PLATFORM),
             ("amazon-mechanical-turk", "Amazon Mechanical Turk", ActorKind.PLATFORM),
             ("clickworker", "Clickworker", ActorKind.PLATFORM)]
# country, currency, median USD an hour before unpaid time (made up, shaped like published
# research: the same work pays several times more in the North)
COUNTRIES = [("KE", "KES", 1.6), ("PH", "PHP", 1.9), ("IN", "INR", 1.5), ("VE", "USD", 1.2),
             ("MG", "MGA", 1.0), ("NG", "NGN", 1.4), ("US", "USD", 11.0), ("GB", "GBP", 10.0),
             ("DE", "EUR", 10.5)]
TASKS = [TaskType.IMAGE_VIDEO_ANNOTATION, TaskType.TEXT_ANNOTATION, TaskType.CONTENT_MODERATION,
         TaskType.RESPONSE_RANKING, TaskType.SEARCH_ADS_RATING, TaskType.DATA_GENERATION]
# the share of workers paid late or not at all, per platform (made up)
LATE = {"sama": 0.3, "remotasks": 0.5, "appen": 0.15, "amazon-mechanical-turk": 0.05,
        "clickworker": 0.08}
TASK_FACTOR = {TaskType.CONTENT_MODERATION: 1.1, TaskType.RESPONSE_RANKING: 1.4,
               TaskType.DATA_GENERATION: 0.8}


def _platforms() -> list[Actor]:
    out = []
    for slug, name, kind in PLATFORMS:
        actor, _created = Actor.objects.get_or_create(slug=slug, defaults={"name": name,
                                                                           "kind": kind})
        out.append(actor)
    return out


@transaction.atomic
def make_demo_reports(n: int = 20_000, seed: int = 7) -> int:
    """Create `n` synthetic reports unless some exist already. Returns how many were made."""
    if Report.objects.filter(synthetic=True).exists():
        return 0
    rng = random.Random(seed)
    platforms = _platforms()
    rates = get_rates()
    today = timezone.now().date()
    year = today.year - 1
    received = today.replace(day=1)
    rows = []
    for i in range(n):
        country, currency, median_usd = rng.choice(COUNTRIES)
        task = rng.choice(TASKS)
        platform = rng.choices(platforms, weights=[5, 4, 3, 2, 1])[0]
        hourly_usd = median_usd * TASK_FACTOR.get(task, 1.0) * rng.lognormvariate(0, 0.35)
        usd_per_unit = rates.usd_per_unit(currency, year) or Decimal(1)
        paid = Decimal(rng.choice([10, 20, 30, 40]))
        unpaid = {"waiting": Decimal(rng.randint(0, 12)), "training": Decimal(rng.randint(0, 4))}
        amount = (Decimal(str(round(hourly_usd, 4))) * paid / usd_per_unit).quantize(
            Decimal("0.01"))
        work = wages.WorkInput(pay_amount=amount, pay_basis=PayBasis.PER_WEEK, units=None,
                               paid_hours=paid, unpaid_hours=unpaid, fees=Decimal(0),
                               costs=Decimal(0), currency=currency, country=country, year=year)
        wage = wages.compute_wage(work, rates)
        harmful = (["violence"] if task == TaskType.CONTENT_MODERATION and rng.random() < 0.8
                   else [])
        rows.append(Report(
            receipt_hash=f"synthetic-{seed}-{i}", synthetic=True, platform=platform,
            task_type=task, country=country, region=region_of(country), year=year,
            quarter=rng.randint(1, 4), received_month=received, pay_amount=amount,
            currency=currency, pay_basis=PayBasis.PER_WEEK, paid_hours=paid,
            unpaid_hours={k: str(v) for k, v in unpaid.items()},
            unpaid_hours_total=sum(unpaid.values(), Decimal(0)),
            payment_problems=(rng.choice(["late", "missing"])
                              if rng.random() < LATE.get(platform.slug, 0.25) else "none"),
            harmful_content=harmful, status=ReportStatus.PENDING,
            rating_fair_pay=rng.randint(1, 4), rating_communication=rng.randint(1, 5),
            rating_fair_conditions=rng.randint(1, 5), rating_fair_contracts=rng.randint(1, 4),
            rating_fair_management=rng.randint(1, 3), rating_fair_representation=rng.randint(1, 3),
            rating_payment_promptness=rng.randint(1, 5),
            effective_hourly=wage.effective_hourly, nominal_hourly=wage.nominal_hourly,
            unpaid_share=wage.unpaid_share,
            effective_hourly_usd=wage.usd.effective_hourly if wage.usd else None,
            effective_hourly_ppp=wage.ppp.effective_hourly if wage.ppp else None))
    Report.objects.bulk_create(rows, batch_size=1000)
    return n

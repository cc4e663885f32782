"""The wage engine: the true hourly wage of the work a report describes.

Pure functions over Decimal; no database, no floats. The exchange rates and PPP factors come
from a rate source (visiblework.refdata.services.get_rates()) passed in by the caller.

    total pay        = pay_amount × units        (per_task: the rate per task, units = tasks)
                     = pay_amount × paid hours   (per_hour: the hourly rate)
                     = pay_amount                (per_day / per_week / per_month / per_project:
                                                  the pay for that day, week, month, project)
    effective hourly = (total pay − fees − costs) / (paid hours + unpaid hours)
    nominal hourly   = total pay / paid hours    (None when nothing was paid for no paid hours)
    unpaid share     = unpaid hours / (paid hours + unpaid hours)

Worked example (docs/wages-and-reference-data.md): 7391.37 KES per week, 40 paid hours,
6 hours of training and 4 of waiting for tasks, no fees or costs: effective 7391.37 / 50 =
147.83 KES an hour, nominal 7391.37 / 40 = 184.78, unpaid share 10 / 50 = 0.20.

Values keep full precision; `money()` and `share()` round them for people (2 places,
ROUND_HALF_UP). Fees and costs above the pay give a negative effective wage: that is allowed
(it happens: paying for equipment and connection on a platform that pays little) and shown
as it is; `Wage.below_zero` says so.

Conversions: US$ = amount × the US$ per unit of the report year's average rate; PPP
international $ = the amount in the currency the country used that year (through the US$ when
the pay currency is another) / the year's PPP factor. A year after the last published one
converts at the last published year's rate or factor (refdata.services.Rates.rate_years) and
says so: `Converted.rate_year`, `Converted.year_note` ("at the 2025 rate"). No rate, no
conversion: `usd` or `ppp` is None ("cannot be converted").

Aggregation: per worker first (hours-weighted: the sum of net pay in US$ over the sum of
hours of all of one worker's reports, `worker_effective_hourly`), then across workers, each
worker counting once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from visiblework.core.countries import is_country_code
from visiblework.core.formats import money as format_money
from visiblework.core.formats import number

from . import bounds
from .bounds import FIRST_YEAR, QUARTER_HOURS

PAY_BASES = ("per_task", "per_hour", "per_day", "per_week", "per_month", "per_project")
# training, qualification tests, searching or waiting for tasks, rejected or unpaid tasks,
# screened-out or returned tasks, managing payments, off-the-clock homework
UNPAID_KINDS = ("training", "qualification", "waiting", "rejected", "returned", "payments", "homework")

# The most hours (paid and unpaid together) one report can describe, by pay basis.
MAX_HOURS: dict[str, Decimal] = {
    "per_task": QUARTER_HOURS,
    "per_hour": QUARTER_HOURS,
    "per_day": Decimal(24),
    "per_week": Decimal(168),
    "per_month": Decimal(31 * 24),
    "per_project": QUARTER_HOURS,
}
USD = "USD"
INTERNATIONAL_DOLLAR = "Int$"  # Converted.currency of PPP-adjusted amounts
CENT = Decimal("0.01")
ZERO = Decimal(0)


class RateSource(Protocol):
    """What the wage engine needs from the reference data (refdata.services.Rates)."""

    def usd_rate(self, currency: str, year: int) -> tuple[Decimal, int] | None: ...

    def ppp_factor(self, iso2: str, year: int) -> tuple[Decimal, int] | None: ...

    def local_currency(self, iso2: str, year: int) -> str | None: ...

    def currency_known(self, code: str) -> bool: ...


@dataclass(frozen=True)
class WorkInput:
    pay_amount: Decimal
    pay_basis: str
    units: int | None
    paid_hours: Decimal
    unpaid_hours: Mapping[str, Decimal]
    fees: Decimal
    costs: Decimal
    currency: str
    country: str
    year: int


@dataclass(frozen=True)
class Converted:
    currency: str  # "USD" or INTERNATIONAL_DOLLAR
    effective_hourly: Decimal
    nominal_hourly: Decimal | None
    rate_note: str  # which rate was used, for people
    net_pay: Decimal = ZERO  # total pay − fees − costs, converted
    rate_year: int = 0  # the year of the rate (or PPP factor) used
    year_note: str = ""  # "" for the report's own year; else "at the 2025 rate (...)"


@dataclass(frozen=True)
class Wage:
    currency: str
    total_pay: Decimal
    effective_hourly: Decimal
    nominal_hourly: Decimal | None
    unpaid_share: Decimal
    paid_hours: Decimal
    unpaid_hours: Decimal
    usd: Converted | None  # None: cannot be converted
    ppp: Converted | None  # None: cannot be converted
    net_pay: Decimal = ZERO  # total pay − fees − costs, in `currency`

    @property
    def total_hours(self) -> Decimal:
        return self.paid_hours + self.unpaid_hours

    @property
    def net_pay_usd(self) -> Decimal | None:
        return self.usd.net_pay if self.usd else None

    @property
    def below_zero(self) -> bool:
        """Fees and costs took more than the pay."""
        return self.effective_hourly < 0


def money(value: Decimal) -> Decimal:
    """An amount for people: 2 decimal places, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def share(value: Decimal) -> Decimal:
    """A share (0-1) for people: 2 decimal places, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Checking ----------------------------------------------------------------------------------


def _number(value: object) -> Decimal | None:
    """A finite Decimal (ints are taken as they are); None for anything else, floats included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def validate_work(work: WorkInput, rates: RateSource, *, today_year: int) -> dict[str, list[str]]:
    """What is impossible about `work`: {field: [messages]}, {} when it can be computed and
    every value derived from it fits its column and the plausibility bound.

    Fields are WorkInput's (pay_amount, pay_basis, units, paid_hours, unpaid_hours, fees,
    costs, currency, country, year). The bounds and the words are reports.bounds', the same
    as services.clean_report's."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    def checked(field: str, value: object, bound: bounds.Bound) -> Decimal | None:
        number = _number(value)
        try:
            if number is None:
                raise bounds.NumberError(bounds.not_a_number())
            return bounds.bounded(number, bound)
        except bounds.NumberError as exc:
            add(field, str(exc))
            return None

    basis_ok = work.pay_basis in PAY_BASES
    if not basis_ok:
        add("pay_basis", bounds.unknown_pay_basis())

    pay = checked("pay_amount", work.pay_amount, bounds.BOUNDS["pay_amount"])

    units = work.units
    if units is not None and (isinstance(units, bool) or not isinstance(units, int)):
        add("units", bounds.bad_units())
    else:
        if units is not None:
            checked("units", units, bounds.BOUNDS["units"])
        if work.pay_basis == "per_task" and not units:
            add("units", bounds.per_task_needs_units())

    paid = checked("paid_hours", work.paid_hours, bounds.BOUNDS["paid_hours"])

    unpaid_total: Decimal | None = ZERO
    unpaid_items = work.unpaid_hours.items() if isinstance(work.unpaid_hours, Mapping) else None
    if unpaid_items is None:
        add("unpaid_hours", bounds.unpaid_not_by_kind())
        unpaid_total = None
    else:
        for kind, hours in unpaid_items:
            if kind not in UNPAID_KINDS:
                add("unpaid_hours", bounds.unknown_unpaid_kind(kind))
                unpaid_total = None
                continue
            value = checked("unpaid_hours", hours, bounds.BOUNDS["unpaid_hours"])
            if value is None:
                unpaid_total = None
            elif unpaid_total is not None:
                unpaid_total += value

    for field in ("fees", "costs"):
        checked(field, getattr(work, field), bounds.BOUNDS[field])

    if not (isinstance(work.currency, str) and rates.currency_known(work.currency)):
        add("currency", bounds.unknown_currency())

    if not (isinstance(work.country, str) and is_country_code(work.country)):
        add("country", bounds.unknown_country())

    if isinstance(work.year, bool) or not isinstance(work.year, int) or not (
            FIRST_YEAR <= work.year <= today_year):
        add("year", bounds.bad_year(today_year))

    # Hours: only when each part could be read.
    if paid is not None and unpaid_total is not None:
        total = paid + unpaid_total
        if total == 0:
            add("paid_hours", _("Enter the hours this work took."))
        elif pay is not None and pay > 0 and paid == 0:
            add("paid_hours", _("You were paid for this work: enter the paid hours it took."))
        elif basis_ok:
            limit = MAX_HOURS[work.pay_basis]
            field = "paid_hours" if paid > limit else "unpaid_hours"
            if total > limit:
                add(field, _limit_message(work.pay_basis, limit, total))
    if not errors:
        for field, messages in _derived_problems(work, rates).items():
            for message in messages:
                add(field, message)
    return errors


def _derived_problems(work: WorkInput, rates: RateSource) -> dict[str, list[str]]:
    """The wage of valid `work` against the plausibility bound (bounds.MAX_HOURLY_USD) and the
    columns that keep it (reports.models MONEY: 16 digits, 4 places): {field: [messages]}.

    The US$ check uses the rate the wage converts at: the report year's average, or the last
    published year's when the year has none yet (the current year, usually); with neither,
    only the columns' limits apply. The
    unpaid share (0 to 1) and the unpaid hours (at most a quarter's, by MAX_HOURS) always fit
    theirs."""
    wage = compute_wage(work, rates)
    highest = max(wage.effective_hourly, wage.nominal_hourly or ZERO)
    found = rates.usd_rate(work.currency, work.year)
    rate = found[0] if found is not None else None
    if rate is not None and highest * rate > bounds.MAX_HOURLY_USD:
        return {"pay_amount": [bounds.implausible_wage(
            money_text(highest, work.currency), money_text(highest * rate, USD),
            money_text(bounds.MAX_HOURLY_USD, USD))]}
    if rate is not None and wage.effective_hourly * rate < -bounds.MAX_HOURLY_USD:
        field = "fees" if work.fees >= work.costs else "costs"
        return {field: [bounds.implausible_loss(
            money_text(-wage.effective_hourly, work.currency),
            money_text(-wage.effective_hourly * rate, USD), money_text(bounds.MAX_HOURLY_USD, USD))]}
    hourly = [wage.effective_hourly, wage.nominal_hourly]
    for converted in (wage.usd, wage.ppp):
        if converted is not None:
            hourly += [converted.effective_hourly, converted.nominal_hourly]
    if not all(value is None or bounds.fits_money_column(value) for value in hourly):
        return {"pay_amount": [bounds.too_large_to_keep(money_text(highest, work.currency))]}
    return {}


def money_text(value: Decimal, currency: str) -> str:
    """An amount in a message: money as the reader writes it, in whole units from 1,000 up."""
    return format_money(value, currency, digits=0 if abs(value) >= 1000 else 2)


def _limit_message(basis: str, limit: Decimal, total: Decimal) -> str:
    values = {"limit": number(limit, None), "total": number(total.normalize(), None)}
    if basis == "per_day":
        return _("A day has %(limit)s hours; paid and unpaid hours add up to %(total)s.") % values
    if basis == "per_week":
        return _("A week has %(limit)s hours; paid and unpaid hours add up to %(total)s.") % values
    if basis == "per_month":
        return _("A month has at most %(limit)s hours; paid and unpaid hours add up to %(total)s."
                 ) % values
    return _("Report at most a quarter of work (13 weeks, %(limit)s hours) at a time; paid and "
             "unpaid hours add up to %(total)s.") % values


# --- Computing ---------------------------------------------------------------------------------


def total_pay(work: WorkInput) -> Decimal:
    """The pay for the work the report describes (see the module docstring)."""
    if work.pay_basis == "per_task":
        if work.units is None:
            raise ValueError("per_task pay needs units")
        return work.pay_amount * work.units
    if work.pay_basis == "per_hour":
        return work.pay_amount * work.paid_hours
    if work.pay_basis in PAY_BASES:
        return work.pay_amount
    raise ValueError(f"unknown pay basis {work.pay_basis!r}")


def _rate_text(value: Decimal) -> str:
    """A rate for people: 6 significant digits, no exponent."""
    if value == 0:
        return "0"
    rounded = round(value, max(0, 5 - value.adjusted()))
    return f"{rounded.normalize():f}"


def compute_wage(work: WorkInput, rates: RateSource) -> Wage:
    """The wage of valid `work` (check it with validate_work first).

    Raises ValueError when the hours add up to zero or the pay basis is unknown."""
    paid = Decimal(work.paid_hours)
    unpaid = sum((Decimal(v) for v in work.unpaid_hours.values()), ZERO)
    hours = paid + unpaid
    if hours <= 0:
        raise ValueError("the hours add up to zero")
    gross = total_pay(work)
    net = gross - work.fees - work.costs
    effective = net / hours
    nominal = gross / paid if paid > 0 else None
    source = _describe(rates)

    usd: Converted | None = None
    usd_rate: Decimal | None = None
    found = rates.usd_rate(work.currency, work.year)
    if found is not None:
        usd_rate, rate_year = found
        usd = Converted(
            USD, effective * usd_rate, None if nominal is None else nominal * usd_rate,
            _("1 %(currency)s = %(rate)s US$, the %(year)d average (%(source)s)") % {
                "currency": work.currency, "rate": _rate_text(usd_rate), "year": rate_year,
                "source": source},
            net * usd_rate, rate_year, _year_note(rate_year, work.year))

    ppp: Converted | None = None
    local = rates.local_currency(work.country, work.year)
    found_factor = rates.ppp_factor(work.country, work.year)
    if local is not None and found_factor is not None and found_factor[0] > 0:
        factor, factor_year = found_factor
        if work.currency == local:
            per_unit: Decimal | None = Decimal(1)  # local units per unit of the pay currency
        else:
            local_found = rates.usd_rate(local, work.year)
            per_unit = (None if usd_rate is None or local_found is None or not local_found[0]
                        else usd_rate / local_found[0])
        if per_unit is not None:
            scale = per_unit / factor
            ppp = Converted(
                INTERNATIONAL_DOLLAR, effective * scale,
                None if nominal is None else nominal * scale,
                _("%(factor)s %(currency)s per international $ in %(year)d (%(source)s)") % {
                    "factor": _rate_text(factor), "currency": local, "year": factor_year,
                    "source": source},
                net * scale, factor_year, _year_note(factor_year, work.year))

    return Wage(currency=work.currency, total_pay=gross, effective_hourly=effective,
                nominal_hourly=nominal, unpaid_share=unpaid / hours, paid_hours=paid,
                unpaid_hours=unpaid, usd=usd, ppp=ppp, net_pay=net)


def _year_note(rate_year: int, year: int) -> str:
    """Says when a conversion uses another year's rate than the report's: never silently."""
    if rate_year == year:
        return ""
    return _("at the %(rate_year)d rate (the %(year)d rate is not published yet)") % {
        "rate_year": rate_year, "year": year}


def _describe(rates: RateSource) -> str:
    describe = getattr(rates, "describe", None)
    return str(describe()) if callable(describe) else _("reference data")


# --- Aggregating -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerAggregate:
    """One worker's reports taken together (hours-weighted)."""

    effective_hourly: Decimal | None  # sum of net pay / sum of hours; None without hours
    unpaid_share: Decimal | None
    hours: Decimal
    reports: int


def aggregate_per_worker(rows: Sequence[tuple[Decimal, Decimal, Decimal]]) -> WorkerAggregate:
    """Combine one worker's reports, given as (net pay in one currency - US$ for
    comparisons -, paid hours, unpaid hours) each: hours-weighted, so a long report counts
    for more than a short one, and the worker's rate is what they earned over all the time
    they gave."""
    net = sum((r[0] for r in rows), ZERO)
    paid = sum((r[1] for r in rows), ZERO)
    unpaid = sum((r[2] for r in rows), ZERO)
    hours = paid + unpaid
    if hours <= 0:
        return WorkerAggregate(None, None, hours, len(rows))
    return WorkerAggregate(net / hours, unpaid / hours, hours, len(rows))


class _NetPayAndHours(Protocol):
    @property
    def net_pay_usd(self) -> Decimal | None: ...

    @property
    def total_hours(self) -> Decimal: ...


def worker_effective_hourly(reports: Sequence[_NetPayAndHours]) -> Decimal | None:
    """One worker's effective hourly wage in US$ over all their reports: sum(net pay in US$)
    / sum(hours). Reports that cannot be converted to US$ are left out; None if none is left.
    Across workers, each worker then counts once (releases take this per-worker value)."""
    rows = [(r.net_pay_usd, r.total_hours, ZERO) for r in reports if r.net_pay_usd is not None]
    return aggregate_per_worker(rows).effective_hourly

"""The bounds of every number a report holds, the one rule for reading a number someone typed,
and the messages that say what is wrong (docs/wages-and-reference-data.md, "Bounds").

Pure: no database. `services.clean_report` reads and checks every field with these functions,
for the web form and the API alike, and `wages.validate_work` says the same words; the JSON
schema of the API (schemas.ReportIn) declares the same minimum and maximum.

Each bound is what the field's database column holds (decimal places, digits) narrowed to
what a report can describe. A number is rounded to its column's places (ROUND_HALF_UP); a
number above zero that rounds to zero is refused, never stored as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from visiblework.core.formats import number

# The columns (reports.models: MONEY and HOURS). tests/reports/test_bounds.py checks they agree.
MONEY_PLACES = 4
MONEY_DIGITS = 16
HOURS_PLACES = 2
HOURS_DIGITS = 8
SHARE_PLACES = 4  # unpaid_share
# The largest magnitude a MONEY column holds: 12 digits before the point.
MONEY_LIMIT = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)

FIRST_YEAR = 2000
QUARTER_HOURS = Decimal(13 * 168)  # the most hours one report describes: a quarter of work
MAX_PAY = Decimal(1_000_000_000)
MAX_UNITS = 10_000_000
# The plausibility bound of a derived hourly wage (effective or nominal), in US$ (see the docs:
# well above the best-paid expert annotation work, far below what a typing slip produces).
MAX_HOURLY_USD = Decimal(10_000)

MAX_TEXT_NUMBER = 40  # characters: a longer "number" is not one


@dataclass(frozen=True)
class Bound:
    """A number a report holds: its least and greatest value and the decimal places kept."""

    minimum: Decimal
    maximum: Decimal
    places: int

    @property
    def step(self) -> Decimal:
        """The smallest amount above zero the column keeps (0.01 for 2 places)."""
        return Decimal(1).scaleb(-self.places)

    def as_json_schema(self) -> dict[str, float | int]:
        """minimum and maximum, as JSON numbers."""
        if self.places == 0:
            return {"minimum": int(self.minimum), "maximum": int(self.maximum)}
        return {"minimum": float(self.minimum), "maximum": float(self.maximum)}


MONEY = Bound(Decimal(0), MAX_PAY, MONEY_PLACES)
HOURS = Bound(Decimal(0), QUARTER_HOURS, HOURS_PLACES)

# Every number of a report but `year` (2000 to the current year, see `year_bound`).
BOUNDS: dict[str, Bound] = {
    "pay_amount": MONEY,
    "fees": MONEY,
    "costs": MONEY,
    "units": Bound(Decimal(0), Decimal(MAX_UNITS), 0),
    "paid_hours": HOURS,
    "unpaid_hours": HOURS,  # each kind; together they stay within the pay basis's limit
    "rejected_percent": Bound(Decimal(0), Decimal(100), 2),
    "harmful_hours_per_week": Bound(Decimal(0), Decimal(168), HOURS_PLACES),
    "quarter": Bound(Decimal(1), Decimal(4), 0),
    "rating": Bound(Decimal(1), Decimal(5), 0),  # each of the eight ratings
}


def year_bound(today_year: int) -> Bound:
    return Bound(Decimal(FIRST_YEAR), Decimal(today_year), 0)


# --- Messages: the only words for these problems, on the form and in the API --------------------


def not_a_number() -> str:
    return _("Enter a number, like 12.50.")


def not_a_whole_number() -> str:
    return _("Enter a whole number, like 12.")


def negative() -> str:
    return _("This cannot be negative.")


def too_large(bound: Bound) -> str:
    return _("Give at most %(max)s.") % {"max": number(bound.maximum, None)}


def too_low(bound: Bound) -> str:
    return _("Give at least %(min)s.") % {"min": number(bound.minimum, None)}


def too_small(bound: Bound) -> str:
    return _("This is too small to keep: the smallest amount above zero is %(step)s.") % {
        "step": number(bound.step, None)}


def ambiguous(whole: str, fraction: str) -> str:
    return _("This could mean %(whole)s or %(fraction)s: write it without the thousands "
             "separator (%(whole)s) or with a decimal point (%(fraction)s).") % {
        "whole": whole, "fraction": fraction}


def bad_year(today_year: int) -> str:
    return _("Give a year between 2000 and %(year)d.") % {"year": today_year}


def missing_task_type() -> str:
    return _("Choose the kind of work you did.")


def missing_pay() -> str:
    return _("Give the amount you were paid, like 12.50.")


def missing_paid_hours() -> str:
    return _("Give the hours you worked and were paid for, like 40.")


def missing_year() -> str:
    return _("Give the year you did the work, like 2024.")


def bad_quarter() -> str:
    return _("Choose the months you did the work in: January–March, April–June, "
             "July–September or October–December (quarters 1 to 4).")


def bad_rating() -> str:
    return _("Rate from 1 to 5.")


def bad_units() -> str:
    return _("Give the number of tasks as a whole number.")


def per_task_needs_units() -> str:
    return _("Paid per task: enter how many tasks this pay is for (at least one).")


def unknown_currency() -> str:
    return _("Give a currency code of three letters, like USD or KES.")


def unknown_country() -> str:
    return _("Choose the country where you did the work.")


def unknown_pay_basis() -> str:
    return _("Choose how you were paid: per task, hour, day, week, month or project.")


def unknown_unpaid_kind(kind: object) -> str:
    shown = kind[:40] if isinstance(kind, str) and kind.isprintable() else "?"
    return _("Unknown kind of unpaid time: %(kind)s") % {"kind": shown}


def unpaid_not_by_kind() -> str:
    return _("Give unpaid hours by kind.")


def implausible_wage(wage: str, usd: str, limit: str) -> str:
    return _("This pay comes to %(wage)s an hour (about %(usd)s), more than the %(limit)s an "
             "hour no report here can exceed: check the amount, what it pays for (per task, "
             "hour, day, week, month or project), the number of tasks and the hours.") % {
        "wage": wage, "usd": usd, "limit": limit}


def implausible_loss(wage: str, usd: str, limit: str) -> str:
    return _("Fees and costs come to a loss of %(wage)s an hour (about %(usd)s), more than the "
             "%(limit)s an hour no report here can exceed: check the fees, the costs and the "
             "hours.") % {"wage": wage, "usd": usd, "limit": limit}


def too_large_to_keep(wage: str) -> str:
    return _("This pay comes to %(wage)s an hour, more than can be kept: check the amount, what "
             "it pays for (per task, hour, day, week, month or project), the number of tasks "
             "and the hours.") % {"wage": wage}


class NumberError(ValueError):
    """A number that cannot be read or is out of bounds; str() is the message for people.
    `kind`: "number" (not a number), "whole" (not a whole number) or "range" (out of bounds)."""

    def __init__(self, message: str, kind: str = "number") -> None:
        super().__init__(message)
        self.kind = kind


# --- Reading numbers --------------------------------------------------------------------------

# Characters that group thousands and are only that: spaces (plain, no-break, narrow no-break,
# thin) and apostrophes (Swiss "1'234.50").
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'\u2019]+")
_DIGITS = re.compile(r"\d+")  # \d: any decimal digit, Arabic-Indic digits too
_SHAPE = re.compile(r"[+-]?[\d.,]+")


def parse_number(raw: object, *, whole: bool = False) -> Decimal:
    """A finite Decimal from what a person or a client sent; NumberError when it is not one.

    JSON numbers (int, float) are taken as they are (a float through its shortest repr); a
    bool, a list or an object is not a number. Text follows one rule (the docs have it):
    - spaces and apostrophes group thousands; "\u066b" is a decimal sign and "\u066c" a thousands
      sign (Arabic); "\u2212" is a minus;
    - with both "." and ",", the last one is the decimal sign: "1,234.50" and "1.234,50" are
      1234.50;
    - one kind, repeated, groups thousands: "1,234,567" and "1.234.567" are 1234567;
    - one "." alone is a decimal point: "12.50", "1.234"; one "," alone is a decimal comma:
      "12,50", "0,125", "1234,567" - except "1,234" (one to three digits, not zero, then
      exactly three), which is refused as ambiguous. In a whole number (`whole`: tasks, year,
      quarter, ratings), one sign alone before exactly three digits groups thousands:
      "5,000" and "5.000" tasks are 5000;
    - groups after the first have exactly three digits; no exponent, no "NaN", no "inf".
    """
    if isinstance(raw, bool) or raw is None:
        raise NumberError(not_a_number())
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float | Decimal):
        value = Decimal(repr(raw)) if isinstance(raw, float) else raw
        if not value.is_finite():
            raise NumberError(not_a_number())
        return value
    if not isinstance(raw, str) or len(raw) > MAX_TEXT_NUMBER:
        raise NumberError(not_a_number())
    text = (raw.replace("\u066b", ".").replace("\u066c", ",").replace("\u2212", "-"))
    text = _SPACES.sub(" ", text).strip()
    if not _SHAPE.fullmatch(text.replace(" ", "")):
        raise NumberError(not_a_number())
    sign = "-" if text[0] == "-" else ""
    body = text.lstrip("+-").strip()
    return Decimal(sign + _plain(body, whole=whole))


def _plain(body: str, *, whole: bool) -> str:
    """Digits, separators and spaces ("1 234,50") as plain decimal text ("1234.50")."""
    if "." in body and "," in body:
        point = "." if body.rfind(".") > body.rfind(",") else ","
    elif body.count(".") == 1 or body.count(",") == 1:
        point = "." if "." in body else ","
    else:
        point = ""  # no sign, or one kind repeated: thousands only
    integer, fraction = body.split(point) if point and body.count(point) == 1 else (body, None)
    if point and fraction is None:  # the decimal sign twice: "1,234.5.6"
        raise NumberError(not_a_number())
    lone = (point and fraction is not None and len(fraction) == 3 and _DIGITS.fullmatch(integer)
            and len(integer) <= 3)
    if lone and whole:
        integer, fraction = f"{integer} {fraction}", None  # "5,000" tasks
    elif lone and point == "," and integer.strip("0"):
        raise NumberError(ambiguous(f"{int(integer)}{fraction}", f"{int(integer)}.{fraction}"))
    groups = re.split(r"[ .,]", integer)
    if len(groups) > 1 and not (_DIGITS.fullmatch(groups[0]) and len(groups[0]) <= 3 and all(
            len(g) == 3 and _DIGITS.fullmatch(g) for g in groups[1:])):
        raise NumberError(not_a_number())
    if len(groups) == 1 and not (_DIGITS.fullmatch(integer) or (integer == "" and fraction)):
        raise NumberError(not_a_number())
    if fraction is not None and not _DIGITS.fullmatch(fraction):
        raise NumberError(not_a_number())
    digits = "".join(groups) or "0"
    return f"{digits}.{fraction}" if fraction else digits


def bounded(value: Decimal, bound: Bound) -> Decimal:
    """`value` rounded to the bound's places (half up), or NumberError: below the minimum,
    above the maximum, not whole where the bound keeps no places, or above zero but zero
    once rounded."""
    if value < bound.minimum:
        raise NumberError(negative() if bound.minimum == 0 else too_low(bound), "range")
    if value > bound.maximum:
        raise NumberError(too_large(bound), "range")
    if bound.places == 0 and value != value.to_integral_value():
        raise NumberError(not_a_whole_number(), "whole")
    rounded = value.quantize(bound.step, rounding=ROUND_HALF_UP)  # fits: within the bounds
    if rounded.is_zero():
        if value > 0:
            raise NumberError(too_small(bound), "range")
        rounded = abs(rounded)  # no negative zero
    return rounded


def read_number(raw: object, bound: Bound) -> Decimal:
    """parse_number, then bounded: the value a report keeps."""
    return bounded(parse_number(raw, whole=bound.places == 0), bound)


def read_whole(raw: object, bound: Bound) -> int:
    return int(read_number(raw, bound))


def fits_money_column(value: Decimal) -> bool:
    """Whether `value`, rounded to 4 places, fits a MONEY column (16 digits, 4 places)."""
    return value.is_finite() and abs(value) < MONEY_LIMIT - Decimal("0.00005")

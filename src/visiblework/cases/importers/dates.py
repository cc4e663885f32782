"""Reading the dates and years of cells as partial ISO dates ("2019", "2019-03", "2019-03-07"),
at the precision they have, and spans of years ("2019-2021", "2023-", "2019 to 2021", "Mar
2019 – Jun 2020") as a start and a last year, with a message saying why when a value cannot
be read, and the years a value that cannot be read still names ("Summer 2019")."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date

from django.utils.translation import gettext as _

from .text import one_line, shown

MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")], start=1)
    for name in names
}
_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}.*)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")


def _partial(year: int, month: int = 0, day: int = 0) -> str:
    """A partial ISO date; a zero month or day means "not known" ("2019-03-00" → 2019-03)."""
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueError
    if not day:
        return f"{year:04d}-{month:02d}"
    return Date(year, month, day).isoformat()  # raises ValueError for 2019-02-30


def _format_precision(fmt: str) -> int:
    if any(d in fmt for d in ("%d", "%j", "%c", "%x", "%-d")):
        return 3
    if any(d in fmt for d in ("%m", "%b", "%B", "%-m")):
        return 2
    return 1


def parse_date(value: str, formats: Iterable[str] = ()) -> str:
    """Read a date (see _parse_date) and check that its year is one a case may have."""
    result = _parse_date(value, formats)
    if result and not 1900 <= int(result[:4]) <= 2100:
        raise ValueError(_("the date %(value)s is not between 1900 and 2100")
                         % {"value": shown(value)})
    return result


def _parse_date(value: str, formats: Iterable[str] = ()) -> str:
    """Read a date as "YYYY", "YYYY-MM" or "YYYY-MM-DD". Tries the given strptime formats,
    then the usual shapes: 2019, 2019-03, 2019-03-07, 2019-03-00, 2019/03/07, Mar 2019,
    March 7, 2019, 7 March 2019, 07/03/2019 (only when unambiguous). Empty gives "".
    Raises ValueError with a message saying why."""
    text = one_line(value)
    if not text:
        return ""
    for fmt in formats:
        try:
            parsed = time.strptime(text, fmt)
        except ValueError:
            continue
        precision = _format_precision(fmt)
        return _partial(parsed.tm_year, parsed.tm_mon if precision > 1 else 0,
                        parsed.tm_mday if precision > 2 else 0)
    cannot = _("cannot read %(value)s as a date") % {"value": shown(text)}
    lowered = text.lower()
    try:
        if m := _ISO.fullmatch(text):
            return _partial(int(m[1]), int(m[2] or 0), int(m[3] or 0))
        if m := _NUMERIC.fullmatch(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a <= 12 and b <= 12 and a != b:
                raise _Ambiguous
            return _partial(year, b, a) if a > 12 else _partial(year, a, b)
        if (m := _MONTH_YEAR.fullmatch(lowered)) and m[1] in MONTHS:
            return _partial(int(m[2]), MONTHS[m[1]])
        if (m := _MONTH_DAY_YEAR.fullmatch(lowered)) and m[1] in MONTHS:
            return _partial(int(m[3]), MONTHS[m[1]], int(m[2]))
        if (m := _DAY_MONTH_YEAR.fullmatch(lowered)) and m[2] in MONTHS:
            return _partial(int(m[3]), MONTHS[m[2]], int(m[1]))
    except _Ambiguous:
        raise ValueError(_("%(value)s could be day/month or month/day: set date_format in the "
                           "mapping (e.g. \"%%d/%%m/%%Y\")") % {"value": shown(text)}) from None
    except ValueError:  # no such month or day
        pass
    raise ValueError(cannot)


class _Ambiguous(Exception):
    pass


def parse_year(value: str) -> int | None:
    text = one_line(value)
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})(?:\.0+)?", text)  # spreadsheets write 2019 as 2019.0
    if not m or not 1900 <= int(m[1]) <= 2100:
        raise ValueError(_("cannot read %(value)s as a year between 1900 and 2100")
                         % {"value": shown(text)})
    return int(m[1])


@dataclass(frozen=True)
class When:
    """A date at the precision it has ("" for none) and, for a span, its last year."""

    date: str = ""
    year_end: int | None = None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


# Between the two ends of a span: a dash (any), "to", "until", "through". A plain hyphen
# only between years ("2019-2021", "2023-"): "2019-03" is a month.
_SPAN = re.compile(r"\s*(?:[\u2013\u2014\u2212]|--|\s-\s|\bto\b|\buntil\b|\btill\b|\bthrough\b|"
                   r"\bthru\b)\s*", re.IGNORECASE)
_YEAR_SPAN = re.compile(r"(\d{4})\s*-\s*(\d{4})?")
_OPEN_END = {"", "present", "now", "today", "ongoing", "current", "date", "..."}
_YEARS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def read_when(value: str, formats: Iterable[str] = ()) -> When:
    """A date or a span of years. "2019-2021", "2019–2021", "2019 to 2021" and "Mar 2019 –
    Jun 2020" keep the start (at its precision) and the last year; an open span ("2023-",
    "2019 – present") keeps the start. Raises ValueError with a message saying why."""
    formats = list(formats)
    text = one_line(value)
    try:
        return When(parse_date(text, formats))
    except ValueError as exc:
        error = exc
    if m := _YEAR_SPAN.fullmatch(text):
        start, end = m[1], m[2] or ""
    else:
        parts = _SPAN.split(text, maxsplit=1)
        if len(parts) != 2 or not parts[0]:
            raise error
        start, end = parts
    date = parse_date(start, formats)
    if not date:
        raise error
    if end.strip(" .").casefold() in _OPEN_END:
        return When(date)
    last = int(parse_date(end, formats)[:4])
    if last < int(date[:4]):
        raise ValueError(_("in %(value)s the end comes before the start") % {"value": shown(text)})
    return When(date, last if last != int(date[:4]) else None)


def read_years(value: str) -> When:
    """A year column's value: a year ("2019", "2019.0") or a span of years ("2019-2021")."""
    text = one_line(value)
    if not text:
        return When()
    m = re.fullmatch(r"(\d{4})(?:\.0+)?", text)
    if m:
        return When(str(parse_year(text)))
    when = read_when(text)
    if len(when.date) != 4:  # a month or a day in a year column
        raise ValueError(_("cannot read %(value)s as a year between 1900 and 2100")
                         % {"value": shown(text)})
    return when


def years_named(value: str) -> When:
    """The years between 1900 and 2100 that a value nobody could read still names: "Summer
    2019" → 2019; "07/03/2019" → 2019; "2019 or 2020" → 2019 to 2020. Empty if none."""
    years = sorted({int(y) for y in _YEARS.findall(one_line(value)) if 1900 <= int(y) <= 2100})
    if not years:
        return When()
    return When(str(years[0]), years[-1] if years[-1] != years[0] else None)


def check_format(fmt: str) -> str | None:
    """Why a strptime format cannot be used, or None. Run once per format, when the mapping
    is read: a bad format would otherwise fail on every row."""
    if "%" not in fmt:
        return _("%(format)s has no %%-directive (e.g. %%Y, %%m, %%d)") % {"format": fmt}
    try:
        time.strptime("", fmt)
    except ValueError as exc:
        if str(exc).startswith("time data"):
            return None  # the format compiled; the empty text did not match it
        return _("%(format)s is not a format (%(error)s)") % {"format": fmt, "error": exc}
    except re.error:
        return _("%(format)s names the same part twice; a span of years such as "
                 "2019-2021 is read without a date_format") % {"format": fmt}
    return None

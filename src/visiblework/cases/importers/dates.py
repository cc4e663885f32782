"""Reading the dates and years of cells as partial ISO dates ("2019", "2019-03", "2019-03-07"),
at the precision they have, with a message saying why when a value cannot be read."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
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

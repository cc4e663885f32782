"""Numbers, money and lists written the way the reader's language writes them, from Babel
(CLDR): "US$7.25" in English, "7,25 $US" in French, "7,25 US$" in Spanish, "US$ 7.25" in
Swahili and "‏7.25 US$" in Arabic (CLDR's default for Arabic is Latin digits, with a
right-to-left mark so the amount reads correctly in right-to-left text).

Every public page shows money and large counts through these functions (or the template
filters of the same names in `vw`), so that tables, sentences and SVG charts agree.
"""

from __future__ import annotations

from copy import copy
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import NumberPattern, format_currency, parse_pattern
from django.utils import timezone
from django.utils.translation import get_language

EMPTY = "—"
Number = int | float | Decimal | str

# Django's language code → the CLDR locale used for numbers. Plain "en" is American English,
# which writes US dollars as "$": readers of this site live everywhere, and many of them use
# other dollars, so English follows international English (en_001): "US$7.25".
_LOCALES = {"en": "en_001"}


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale for a Django language code (default: the active language)."""
    return _locale_for((language or get_language() or "en").replace("-", "_").lower())


@lru_cache(maxsize=32)
def _locale_for(code: str) -> Locale:
    try:
        return Locale.parse(_LOCALES.get(code, code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(_LOCALES["en"])


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@lru_cache(maxsize=256)
def _with_digits(pattern: str, digits: int) -> NumberPattern:
    """The locale's pattern with exactly `digits` decimals (parsed once, then shared: it is
    never changed after this)."""
    parsed = copy(parse_pattern(pattern))
    parsed.frac_prec = (digits, digits)
    return parsed


def money(
    amount: Number | None, currency: str = "USD", *, digits: int | None = None, language: str | None = None
) -> str:
    """An amount of money with its currency sign, in the reader's language. `digits` fixes
    the number of decimals (default: the currency's own, 2 for the US dollar)."""
    if amount is None or amount == "":
        return EMPTY
    locale = babel_locale(language)
    value = _decimal(amount)
    code = (currency or "USD").upper()
    if digits is None:
        return format_currency(value, code, locale=locale)
    pattern = _with_digits(locale.currency_formats["standard"].pattern, digits)
    return pattern.apply(value, locale, currency=code, currency_digits=False)


def number(value: Number | None, digits: int | None = 0, *, language: str | None = None) -> str:
    """A number with the reader's decimal sign and digit grouping, and exactly `digits`
    decimals: number(1234) is "1,234" in English and "1 234" in French; number(14.5, 2) is
    "14.50" and "14,50". With digits=None, the decimals the value is written with (at most
    six): a privacy parameter ε of 1.0 stays "1.0" ("1,0" in French), 0.25 stays "0.25"."""
    if value is None or value == "":
        return EMPTY
    locale = babel_locale(language)
    amount = _decimal(value)
    if digits is None:
        exponent = amount.as_tuple().exponent
        digits = min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0
    pattern = _with_digits(locale.decimal_formats[None].pattern, digits)
    return pattern.apply(amount, locale)


def percent(share: Number | None, digits: int = 0, *, language: str | None = None) -> str:
    """A share between 0 and 1 as a percentage: percent(0.25) is "25%" in English and
    "25 %" in French."""
    if share is None or share == "":
        return EMPTY
    locale = babel_locale(language)
    pattern = _with_digits(locale.percent_formats[None].pattern, digits)
    return pattern.apply(_decimal(share), locale)


def quarter(year: int, number: int, *, language: str | None = None) -> str:
    """A quarter of a year: "Q2 2023", "T2 2023", "Robo ya 2 2023", "الربع الثاني 2023"."""
    month = 3 * (int(number) - 1) + 1
    return format_skeleton("yQQQ", date(int(year), month, 1), locale=babel_locale(language))


def when(value: date | datetime | str | None, *, time: bool = False, language: str | None = None) -> str:
    """A date the one way the reader's language writes dates, everywhere on the site: "7 May
    2019", "7 mai 2019", "7 may 2019", "7 Mei 2019", "7 مايو 2019". A partial date as the data
    holds it keeps its precision: "2019-05" is "May 2019" and "2019" stays "2019". A moment
    (datetime) is shown on the site's clock; with time=True, with the hour: "7 May 2019, 14:05".
    A value that is not a date is shown as it is."""
    if value is None or value == "":
        return EMPTY
    locale = babel_locale(language)
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        if time:
            glue = str(locale.datetime_formats["medium"])  # "{1}, {0}": the date, then the hour
            return glue.replace("{1}", format_skeleton("yMMMd", moment, locale=locale)).replace(
                "{0}", format_skeleton("Hm", moment, locale=locale))
        value = moment.date()
    if isinstance(value, date):
        return format_skeleton("yMMMd", value, locale=locale)
    text = str(value).strip()
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1 and len(parts[0]) == 4:
            return format_skeleton("y", date(numbers[0], 1, 1), locale=locale)
        if len(numbers) == 2:
            return format_skeleton("yMMM", date(numbers[0], numbers[1], 1), locale=locale)
        if len(numbers) == 3:
            return format_skeleton("yMMMd", date(*numbers), locale=locale)
    except ValueError:
        pass
    return text


def join(items: list[str], *, language: str | None = None) -> str:
    """A list in the reader's language: "a, b and c", "a, b et c", "a وb وc"."""
    items = [str(item) for item in items]
    if not items:
        return ""
    return format_list(items, style="standard", locale=babel_locale(language))

"""Money and countries: exchange rates, PPP factors, currencies in use, regions.

Everything here reads the reference data through one *rate source* (`get_rates()`): the rows
loaded by `migrate` from the snapshot shipped in the package (packaged.py), or by `visiblework
refdata load DIR` from newer files (World Bank WDI, CC BY 4.0; datasets/country-codes, PDDL;
see loader.py). A rate source holds its data in memory, so computing a wage runs no query
beyond the one that finds the current snapshot.

Rules (docs/wages-and-reference-data.md):
- `usd_per_unit(currency, year)`: how many US$ one unit was worth on average that year. The
  euro uses the euro-area (EMU) row; any other currency the row of a country whose series is
  expressed in it (the issuer first). An old or new code of a redenominated currency
  (REDENOMINATIONS) converts by the legal factor. No row, no rate: None, never a guess.
- `usd_rate(currency, year)`: the same with the year the rate is from. A year after the
  currency's last published one converts at that last year's rate, when the series is still
  published: its last year is the data's last year or the one before (`rate_years`). A series
  that stopped earlier is a gap (Syria after 2022, Venezuela after 2017): None.
- `ppp_lcu_per_intl(iso2, year)`: the PPP conversion factor in the currency the country used
  that year (`local_currency`), converted by the legal factor when the World Bank publishes
  it in a later unit. `ppp_factor(iso2, year)` falls back to the last published year like
  `usd_rate`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pycountry
from django.utils.translation import gettext as _

from visiblework.core.countries import is_country_code
from visiblework.core.versioned import VersionedCache
from visiblework.refdata.regions import NORTH, SOUTH, fallback_region

from .models import Country, ExchangeRate, IncomeClass, PPPFactor, Snapshot

USD = "USD"
EUR = "EUR"
EURO_AREA = "EMU"  # the World Bank's code for the euro area's row in PA.NUS.FCRF

# ISO 4217 codes that are not money a worker is paid in: precious metals, accounting units,
# fund codes and the testing / "no currency" codes.
NOT_MONEY = frozenset({
    "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
    "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW",
})


@dataclass(frozen=True)
class Redenomination:
    """`factor` units of `old` make one unit of `new`.

    A *redenomination* (kind "unit") only moves the decimal point, so the factor holds for
    every year, and the World Bank re-expresses whole series in the new unit. A change of
    currency at a fixed rate (kind "adoption": the euro, the US dollar) holds from 1 January
    of `year`; before that the two currencies floated and convert at market rates.
    """

    old: str
    new: str
    factor: Decimal
    year: int
    kind: str = "unit"
    note: str = ""


# The redenominations and fixed-rate changes of currency that matter for reports from 2000
# on. The first six are the ones data/README.md lists; the others were found in the WDI series
# themselves (see loader.SERIES_UNITS for the values that show each one).
REDENOMINATIONS: tuple[Redenomination, ...] = (
    Redenomination("SLL", "SLE", Decimal(1000), 2022, note="Sierra Leone, 1 July 2022"),
    Redenomination("VEF", "VES", Decimal(100_000), 2018, note="Venezuela, 20 August 2018"),
    Redenomination("VES", "VED", Decimal(1_000_000), 2021, note="Venezuela, 1 October 2021"),
    Redenomination("MRO", "MRU", Decimal(10), 2018, note="Mauritania"),
    Redenomination("STD", "STN", Decimal(1000), 2018, note="São Tomé and Príncipe"),
    Redenomination("HRK", EUR, Decimal("7.53450"), 2023, "adoption", "Croatia"),
    Redenomination("VEB", "VEF", Decimal(1000), 2008, note="Venezuela, bolívar fuerte"),
    Redenomination("TMM", "TMT", Decimal(5000), 2009, note="Turkmenistan"),
    Redenomination("ANG", "XCG", Decimal(1), 2025, note="Curaçao and Sint Maarten, 31 March 2025"),
    Redenomination("SVC", USD, Decimal("8.75"), 2001, "adoption", "El Salvador"),
    # Euro adoptions from 2001 on, at the irrevocable conversion rates (Council decisions).
    Redenomination("GRD", EUR, Decimal("340.750"), 2001, "adoption", "Greece"),
    Redenomination("SIT", EUR, Decimal("239.640"), 2007, "adoption", "Slovenia"),
    Redenomination("CYP", EUR, Decimal("0.585274"), 2008, "adoption", "Cyprus"),
    Redenomination("MTL", EUR, Decimal("0.429300"), 2008, "adoption", "Malta"),
    Redenomination("SKK", EUR, Decimal("30.1260"), 2009, "adoption", "Slovakia"),
    Redenomination("EEK", EUR, Decimal("15.6466"), 2011, "adoption", "Estonia"),
    Redenomination("LVL", EUR, Decimal("0.702804"), 2014, "adoption", "Latvia"),
    Redenomination("LTL", EUR, Decimal("3.45280"), 2015, "adoption", "Lithuania"),
    Redenomination("BGN", EUR, Decimal("1.95583"), 2026, "adoption", "Bulgaria"),
)

# The currency a country used in a year, where it is not its current one: (first year, code)
# in order. A change during a year counts from the year whose 1 July it preceded.
CURRENCY_HISTORY: dict[str, tuple[tuple[int, str], ...]] = {
    "VE": ((0, "VEB"), (2008, "VEF"), (2019, "VES"), (2022, "VED")),
    "SL": ((0, "SLL"), (2022, "SLE")),
    "MR": ((0, "MRO"), (2018, "MRU")),
    "ST": ((0, "STD"), (2018, "STN")),
    "TM": ((0, "TMM"), (2009, "TMT")),
    "CW": ((0, "ANG"), (2025, "XCG")),
    "SX": ((0, "ANG"), (2025, "XCG")),
    "SV": ((0, "SVC"), (2001, USD)),
    "GR": ((0, "GRD"), (2001, EUR)),
    "SI": ((0, "SIT"), (2007, EUR)),
    "CY": ((0, "CYP"), (2008, EUR)),
    "MT": ((0, "MTL"), (2008, EUR)),
    "SK": ((0, "SKK"), (2009, EUR)),
    "EE": ((0, "EEK"), (2011, EUR)),
    "LV": ((0, "LVL"), (2014, EUR)),
    "LT": ((0, "LTL"), (2015, EUR)),
    "HR": ((0, "HRK"), (2023, EUR)),
    "BG": ((0, "BGN"), (2026, EUR)),
}

HISTORIC_CODES = frozenset(r.old for r in REDENOMINATIONS)


@lru_cache(maxsize=4096)
def related_codes(code: str, year: int) -> tuple[tuple[str, Decimal], ...]:
    """Every code linked to `code` by a fixed factor valid in `year`, nearest first, with how
    many units of `code` one unit of the other is worth."""
    edges: dict[str, list[tuple[str, Decimal]]] = {}
    for r in REDENOMINATIONS:
        if r.kind == "unit" or year >= r.year:
            edges.setdefault(r.old, []).append((r.new, r.factor))  # 1 new = factor old
            edges.setdefault(r.new, []).append((r.old, 1 / r.factor))
    seen = {code: Decimal(1)}
    found: list[tuple[str, Decimal]] = []
    queue = deque([code])
    while queue:
        current = queue.popleft()
        for other, factor in edges.get(current, ()):
            if other not in seen:
                seen[other] = seen[current] * factor
                found.append((other, seen[other]))
                queue.append(other)
    return tuple(found)


def fixed_factor(from_code: str, to_code: str, year: int) -> Decimal | None:
    """Units of `to_code` one unit of `from_code` is worth by law in `year`, if they are linked."""
    if from_code == to_code:
        return Decimal(1)
    for other, per_other in related_codes(to_code, year):
        if other == from_code:
            return per_other
    return None


def _is_money(code: str) -> bool:
    return (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isalpha()
            and code.isupper() and code not in NOT_MONEY)


@lru_cache(maxsize=1)
def iso4217_codes() -> frozenset[str]:
    """Current ISO 4217 codes (pycountry) that are money, plus the historic codes this module
    can convert."""
    return frozenset(c.alpha_3 for c in pycountry.currencies if _is_money(c.alpha_3)) | HISTORIC_CODES


@dataclass(frozen=True)
class CountryInfo:
    iso2: str
    iso3: str
    name: str
    currency: str  # current ISO 4217 code, "" if none is known
    region: str  # "global-north", "global-south" or ""


class Rates:
    """A rate source held in memory: countries, the FCRF and PPP series (each value with the
    currency it is expressed in) and the income classification.

    `fcrf` and `ppp` rows are (iso3 or "EMU", year, value, currency); `income` rows are
    (iso3, year, group).
    """

    def __init__(self, *, countries: Iterable[CountryInfo],
                 fcrf: Iterable[tuple[str, int, Decimal, str]],
                 ppp: Iterable[tuple[str, int, Decimal, str]],
                 income: Iterable[tuple[str, int, str]] = (),
                 source: str = "wdi", version: str = "") -> None:
        self.source = source  # "wdi" (loaded data) or "none" (nothing loaded)
        self.version = version  # the snapshot's digest
        self.countries: dict[str, CountryInfo] = {c.iso2: c for c in countries}
        self._iso2_of = {c.iso3: c.iso2 for c in self.countries.values()}
        self._iso3_of = {c.iso2: c.iso3 for c in self.countries.values()}
        # (currency, year) -> (rank, iso3, LCU per US$): the row chosen for that currency.
        chosen: dict[tuple[str, int], tuple[tuple[int, str], Decimal]] = {}
        self._fcrf: dict[tuple[str, int], tuple[Decimal, str]] = {}
        for iso3, year, value, currency in fcrf:
            self._fcrf[(iso3, year)] = (value, currency)
            if value <= 0:
                continue
            rank = (self._rank(iso3, currency), iso3)
            key = (currency, year)
            if key not in chosen or rank < chosen[key][0]:
                chosen[key] = (rank, value)
        self._lcu_per_usd: dict[tuple[str, int], Decimal] = {k: v for k, (_r, v) in chosen.items()}
        self._ppp: dict[tuple[str, int], tuple[Decimal, str]] = {
            (iso3, year): (value, currency) for iso3, year, value, currency in ppp if value > 0}
        # The last year each series was published for any economy (None: no data at all).
        self.last_year: dict[str, int | None] = {
            "fcrf": max((year for _c, year in self._fcrf), default=None),
            "ppp": max((year for _c, year in self._ppp), default=None)}
        self._income: dict[tuple[str, int], str] = {(iso3, year): g for iso3, year, g in income}
        self._currencies = frozenset(c for c, _y in self._lcu_per_usd) | frozenset(
            c.currency for c in self.countries.values() if c.currency)

    def _rank(self, iso3: str, currency: str) -> int:
        """Which country's row speaks for a currency: the euro area for the euro, then the
        issuer (ISO 4217 codes start with the issuer's ISO 3166 code: KES, INR), then any
        country whose current currency it is, then any other row in it."""
        if iso3 == EURO_AREA:
            return 0 if currency == EUR else 9
        iso2 = self._iso2_of.get(iso3, "")
        if iso2 and currency[:2] == iso2:
            return 1
        if iso2 and self.countries[iso2].currency == currency:
            return 2
        return 3

    # --- currencies ------------------------------------------------------------------------

    def currency_known(self, code: str) -> bool:
        """An ISO 4217 code of money (current, or historic and convertible here)."""
        return _is_money(code) and (code in iso4217_codes() or code in self._currencies)

    def lcu_per_usd(self, currency: str, year: int) -> Decimal | None:
        """Units of `currency` per US$, average of `year`; None when there is no rate."""
        if currency == USD:
            return Decimal(1)
        direct = self._lcu_per_usd.get((currency, year))
        if direct is not None:
            return direct
        for other, per_other in related_codes(currency, year):
            other_rate = Decimal(1) if other == USD else self._lcu_per_usd.get((other, year))
            if other_rate is not None:
                return other_rate * per_other
        return None

    def usd_per_unit(self, currency: str, year: int) -> Decimal | None:
        """How many US$ one unit of `currency` was worth on average in `year` (USD: 1)."""
        rate = self.lcu_per_usd(currency, year)
        return None if rate is None else 1 / rate

    def rate_years(self, series: str, year: int) -> tuple[int, ...]:
        """The years whose value of `series` ("fcrf" or "ppp") may stand for `year`, in order:
        `year` itself, then - for a year after the series' last published years - the data's
        last year and the one before, so that a series still published converts a year not
        published yet, and one that stopped earlier does not."""
        last = self.last_year.get(series)
        if last is None:
            return (year,)
        return (year, *(y for y in (last, last - 1) if y < year))

    def usd_rate(self, currency: str, year: int) -> tuple[Decimal, int] | None:
        """(US$ per unit of `currency`, the year of that rate) for a report of `year`: the
        year's own average, or the last published year's (rate_years); None when neither."""
        for rate_year in self.rate_years("fcrf", year):
            rate = self.usd_per_unit(currency, rate_year)
            if rate is not None:
                return rate, rate_year
        return None

    def convert(self, amount: Decimal, from_code: str, to_code: str, year: int) -> Decimal | None:
        """`amount` of `from_code` in `to_code`: by the legal factor when the two are linked by
        a redenomination, otherwise through the US dollar at `year`'s average rates."""
        fixed = fixed_factor(from_code, to_code, year)
        if fixed is not None:
            return amount * fixed
        from_rate = self.lcu_per_usd(from_code, year)
        to_rate = self.lcu_per_usd(to_code, year)
        if from_rate is None or to_rate is None:
            return None
        return amount * to_rate / from_rate

    # --- countries -------------------------------------------------------------------------

    def country(self, iso2: str) -> CountryInfo | None:
        return self.countries.get(iso2.upper()) if isinstance(iso2, str) else None

    def local_currency(self, iso2: str, year: int) -> str | None:
        """The currency `iso2` used in `year`, or None for an unknown country or currency."""
        info = self.country(iso2)
        if info is None:
            return None
        for first_year, code in reversed(CURRENCY_HISTORY.get(info.iso2, ())):
            if year >= first_year:
                return code
        return info.currency or None

    def ppp_lcu_per_intl(self, iso2: str, year: int, data_year: int | None = None) -> Decimal | None:
        """PPP conversion factor: units of the currency `iso2` used in `year` per
        international $ (World Bank PA.NUS.PPP, GDP), from the row of `data_year` (default:
        `year`). None when there is none."""
        info = self.country(iso2)
        if info is None:
            return None
        data_year = year if data_year is None else data_year
        row = self._ppp.get((info.iso3, data_year))
        if row is None:
            return None
        value, currency = row
        local = self.local_currency(info.iso2, year)
        if local is None or local == currency:
            return value
        fixed = fixed_factor(currency, local, year)
        per_unit = fixed if fixed is not None else self.convert(Decimal(1), currency, local, data_year)
        return None if per_unit is None else value * per_unit

    def ppp_factor(self, iso2: str, year: int) -> tuple[Decimal, int] | None:
        """(PPP factor in the currency `iso2` used in `year`, the year of the factor): the
        year's own, or the last published year's (rate_years); None when neither."""
        for data_year in self.rate_years("ppp", year):
            factor = self.ppp_lcu_per_intl(iso2, year, data_year)
            if factor is not None:
                return factor, data_year
        return None

    def region_of(self, iso2: str) -> str:
        """The country's region by the rule in refdata/regions.py: never "" for a code."""
        info = self.country(iso2)
        if info is not None and info.region:
            return info.region
        return fallback_region(iso2) if is_country_code(iso2) else ""

    def income_group(self, iso2: str, year: int) -> str | None:
        """World Bank income group (L, LM, UM, H) for the GNI data year, if classified."""
        info = self.country(iso2)
        return self._income.get((info.iso3, year)) if info else None

    def series_row(self, series: str, iso3: str, year: int) -> tuple[Decimal, str] | None:
        """The stored (value, currency) of one row of "fcrf" or "ppp", as published."""
        return (self._fcrf if series == "fcrf" else self._ppp).get((iso3, year))

    def describe(self) -> str:
        if self.source == "none":
            return _("no reference data loaded")
        return _("World Bank WDI (CC BY 4.0)")


# --- The current rate source -------------------------------------------------------------------


def get_rates() -> Rates:
    """The loaded reference data (one query to find the snapshot). `migrate` loads the
    packaged snapshot, so there always is some; without any (tables emptied by hand), nothing
    converts."""
    from django.db import connection

    # Written out: every report reads it, and compiling the ORM query cost more than running it.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, digest FROM {Snapshot._meta.db_table}"  # noqa: S608
                       " ORDER BY loaded_at DESC, id DESC LIMIT 1")
        latest = cursor.fetchone()
    if latest is None:
        return NO_RATES
    pk, digest = latest
    return _loaded.get((pk, digest), "rates", lambda: _db_rates(pk, digest))


# The loaded snapshot, kept per process until another is loaded (core/versioned.py).
_loaded: VersionedCache[Rates] = VersionedCache("reference data", 1)


def _db_rates(pk: int, digest: str) -> Rates:
    countries = [CountryInfo(iso2, iso3, name, currency, region) for iso2, iso3, name, currency, region
                 in Country.objects.values_list("iso2", "iso3", "name", "currency", "region")]
    return Rates(
        countries=countries,
        fcrf=ExchangeRate.objects.values_list("country", "year", "lcu_per_usd", "currency"),
        ppp=PPPFactor.objects.values_list("country", "year", "lcu_per_intl", "currency"),
        income=IncomeClass.objects.values_list("country", "year", "group"),
        source="wdi", version=digest)


NO_RATES = Rates(countries=(), fcrf=(), ppp=(), source="none", version="")


def clear_cache() -> None:
    """Forget the cached rate sources (the loader calls it after a load)."""
    _loaded.clear()


def region_of(iso2: str) -> str:
    """"global-north" for UNSD's "Developed", "global-south" for "Developing"; a code the
    reference data does not classify gets one by the rule in refdata/regions.py.

    UNSD dropped the developed / developing grouping from M49 in 2021; we use its last (2020)
    version, from datasets/country-codes (PDDL)."""
    return get_rates().region_of(iso2)


def income_group(iso2: str, year: int) -> str | None:
    return get_rates().income_group(iso2, year)


def region_from_unsd(label: str) -> str:
    """Map the 2020 M49 "Developed / Developing Countries" value to our region."""
    return {"Developed": NORTH, "Developing": SOUTH}.get(label.strip(), "")


def country_infos(rows: Mapping[str, tuple[str, str, str, str]]) -> list[CountryInfo]:
    """CountryInfo from {iso2: (iso3, name, currency, region)}."""
    return [CountryInfo(iso2, *values) for iso2, values in sorted(rows.items())]

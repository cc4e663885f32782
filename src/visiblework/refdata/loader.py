"""Load the reference data from a folder of public files: `visiblework refdata load DIR`.

Sources (read from DIR at run time, never copied into this repository; the package ships a
compact snapshot derived from them, which this loader reads too: packaged.py):

- World Bank, World Development Indicators, PA.NUS.FCRF "Official exchange rate (LCU per
  US$, period average)" -> `wdi_pa.nus.fcrf.csv`. Licence: CC BY 4.0.
- World Bank, World Development Indicators, PA.NUS.PPP "PPP conversion factor, GDP (LCU per
  international $)" -> `wdi_pa.nus.ppp.csv`. Licence: CC BY 4.0.
  (Both as published by the `datasets/world-development-indicators` repository.)
- World Bank, historical income classification (OGHIST) ->
  `wb_OGHIST_income_history_to2023.csv`. Licence: CC BY 4.0.
- `datasets/country-codes` (UN M49, ISO 3166, ISO 4217): the current version for codes, names
  and current currencies (`country-codes_datasets_*.csv`) and its 2020 version, the last to
  carry UNSD's "Developed / Developing Countries" column (`*_2020_with_developed.csv`).
  Licence: ODC Public Domain Dedication and Licence (PDDL).

Attribution: "Source: World Bank, World Development Indicators (CC BY 4.0)".

Loading is atomic (one transaction) and idempotent (rows are matched on their keys and only
changed values are written; rows no longer in the files are removed). Rows before FIRST_YEAR
are not loaded: reports cannot be older.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from visiblework.core.bulk import insert_values
from visiblework.refdata import services
from visiblework.refdata.models import (
    Country,
    ExchangeRate,
    IncomeClass,
    PPPFactor,
    Snapshot,
    SnapshotOrigin,
)

FIRST_YEAR = 2000
LOADER_VERSION = "1"  # part of the snapshot digest: bump when the tables below change
SIGNIFICANT = Context(prec=15)  # the WDI files carry 15 significant digits; SQLite keeps 15

# (key, file name pattern, required columns)
FILES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("fcrf", "wdi_pa.nus.fcrf*.csv", ("Country Code", "Year", "Value")),
    ("ppp", "wdi_pa.nus.ppp*.csv", ("Country Code", "Year", "Value")),
    ("codes", "country-codes*.csv", ("ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3",
                                     "ISO4217-currency_alphabetic_code")),
    ("developed", "country-codes*with_developed*.csv", ("ISO3166-1-Alpha-3",
                                                         "Developed / Developing Countries")),
    ("income", "*OGHIST*.csv", ()),
)

# --- The unit of each row ----------------------------------------------------------------------
# A row of a WDI series is expressed in the economy's *current* currency (datasets/country-
# codes) unless this table says otherwise: the World Bank re-expresses a series in the new unit
# after a redenomination, but not always, and not after a change of currency. Each entry was
# read off the values around the switch (quoted in the comment).
# (series, economy, first year or None, last year or None, ISO 4217 code of the values)
SERIES_UNITS: tuple[tuple[str, str, int | None, int | None, str], ...] = (
    # Venezuela, FCRF: 2007-2009 2.147, 2016 9.25734444444167, 2017 9.975 - the official rate
    # in bolívares fuertes (Bs.F 10 / US$ in 2017); 2000 0.679966666666667 is Bs 680 / 1000.
    # The whole series is in VEF (VEB re-expressed, VEF -> VES never applied) and it stops in
    # 2017: there is no VES rate.
    ("fcrf", "VEN", None, None, "VEF"),
    # Venezuela, PPP: 2010 2.13412278559432E-11, 2011 2.68098258972168E-11 (stops in 2011).
    # About 2.7 bolívares fuertes per international $ divided by 10^5 (VEF -> VES) and by 10^6
    # (VES -> VED): the series is in VED.
    ("ppp", "VEN", None, None, "VED"),
    # Sierra Leone, FCRF: 2019 9.01022114400915, 2021 10.4394253194587, 2022 14.0476497942157,
    # 2023 21.3048751103818 - the market was about 9,000 old leones (SLL) per US$ in 2019, so
    # the whole series is in new leones (SLE = SLL / 1000). PPP: 2019 2.81, 2023 4.79, no jump:
    # SLE too.
    ("fcrf", "SLE", None, None, "SLE"),
    ("ppp", "SLE", None, None, "SLE"),
    # Mauritania, FCRF: 2017 35.7944166666667, 2018 35.6775, 2019 36.6908333333334 - no jump
    # at the 2018 switch, and the old ouguiya traded near 358 / US$: the series is in MRU
    # (= MRO / 10). PPP: 2017 10.80, 2018 11.32: MRU too.
    ("fcrf", "MRT", None, None, "MRU"),
    ("ppp", "MRT", None, None, "MRU"),
    # São Tomé and Príncipe, FCRF: 2017 21.7411383607116, 2018 20.7508592370914 - no jump at
    # the 2018 switch, and the old dobra traded near 21,700 / US$: the series is in STN
    # (= STD / 1000). PPP: 2017 9.92, 2018 9.68: STN too.
    ("fcrf", "STP", None, None, "STN"),
    ("ppp", "STP", None, None, "STN"),
    # Croatia, FCRF: 2022 7.1597415 (kuna), 2023 0.924839558470698 = the euro area's 2023
    # value. PPP: 2022 0.416285914711201, 2023 0.429571541796623, no jump: EUR throughout.
    ("fcrf", "HRV", None, 2022, "HRK"),
    # Euro adopters after 2000: FCRF in the old currency up to the year before adoption, then
    # the euro area's value; PPP in euros throughout (no jump). The last old value divided by
    # the conversion rate is close to that year's EMU value:
    # Greece 2000 365.398560833333 / 340.750 = 1.0723 (EMU 1.0827); Slovenia 2006
    # 191.028257833333 / 239.640 = 0.7971 (EMU 0.7964); Cyprus 2007 0.426125 / 0.585274 =
    # 0.7281 and Malta 2007 0.311675 / 0.4293 = 0.7260 (EMU 0.7297); Slovakia 2008
    # 21.3614166666667 / 30.126 = 0.7091 (EMU 0.6799); Estonia 2010 11.8068482348947 / 15.6466
    # = 0.7546 (EMU 0.7543); Latvia 2013 0.529391666666667 / 0.702804 = 0.7533 (EMU 0.7529);
    # Lithuania 2014 2.60029166666667 / 3.4528 = 0.7531 (EMU 0.7527); Bulgaria (euro from
    # 2026) 2025 1.73519166666667 / 1.95583 = 0.8872 (EMU 0.8850).
    ("fcrf", "GRC", None, 2000, "GRD"),
    ("fcrf", "SVN", None, 2006, "SIT"),
    ("fcrf", "CYP", None, 2007, "CYP"),
    ("fcrf", "MLT", None, 2007, "MTL"),
    ("fcrf", "SVK", None, 2008, "SKK"),
    ("fcrf", "EST", None, 2010, "EEK"),
    ("fcrf", "LVA", None, 2013, "LVL"),
    ("fcrf", "LTU", None, 2014, "LTL"),
    ("fcrf", "BGR", None, 2025, "BGN"),
    # El Salvador, FCRF: 2000 8.755 (colones), 2001 1 (US dollar, legal tender from 2001).
    ("fcrf", "SLV", None, 2000, "SVC"),
    # Turkmenistan, FCRF: 1999-2001 5200 - old manats (TMM); the new manat (TMT = TMM / 5000,
    # 2009) would be 1.04. PPP: 2005 0.644, 2009 1.276, no jump: TMT.
    ("fcrf", "TKM", None, 2008, "TMM"),
    # Curaçao and Sint Maarten, FCRF: 1.79 every year, the Netherlands Antillean guilder's peg,
    # kept 1:1 by the Caribbean guilder (XCG) from 31 March 2025.
    ("fcrf", "CUW", None, 2024, "ANG"),
    ("fcrf", "SXM", None, 2024, "ANG"),
    # West Bank and Gaza, PPP: 2019 0.561863300477572 - a price level well below the US in
    # US dollars (the World Bank's currency for these accounts; the shekel trades near 3.5 /
    # US$). datasets/country-codes lists no currency for Palestine.
    ("ppp", "PSE", None, None, services.USD),
)

# Series left out entirely because the unit of their rows cannot be established.
SKIPPED_ECONOMIES: dict[str, Promise] = {
    # Zimbabwe, FCRF: 2002 0.0551, 2003 0.698, 2005 22.39, 2006 164.5, 2007 9686.8, 2008
    # 6723052073.3 - through three redenominations (2006, 2008, 2009) that the series does not
    # follow - then 2020-2024 in ZWL (2024 3266.33) and 2025 in ZiG (26.60); the PPP series
    # jumps too (2022 0.085, 2023 0.713, 2024 8.335).
    "ZWE": gettext_lazy("the units of Zimbabwe's series cannot be established"),
    "CHI": gettext_lazy("Channel Islands is an aggregate, not a country"),
}

# datasets/country-codes leaves these out or lists several currencies.
EXTRA_COUNTRIES = (
    # (iso2, iso3, m49, name, currency, developed): Kosovo is in the WDI series but not in
    # ISO 3166 / M49.
    ("XK", "XKX", "", "Kosovo", "EUR", None),
)
CURRENCY_OVERRIDES = {
    "SV": services.USD,  # "SVC,USD": the colón is legal tender in name only since 2001
    "VE": "VED",  # "VES,VED": the 2021 bolívar digital
    "PS": "ILS",  # none listed; the shekel is the main currency in use
}


class RefdataError(Exception):
    """A folder or file that cannot be loaded; the message says which and why."""


@dataclass
class TableStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadStats:
    digest: str = ""
    tables: dict[str, TableStats] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows

    def skip(self, reason: str, rows: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + rows


# --- Reading -----------------------------------------------------------------------------------


def find_files(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        raise RefdataError(_("%(dir)s is not a folder") % {"dir": directory})
    found: dict[str, Path] = {}
    for key, pattern, _columns in FILES:
        matches = sorted(p for p in directory.glob(pattern) if p.is_file())
        if key == "codes":
            matches = [p for p in matches if "with_developed" not in p.name]
        if not matches:
            raise RefdataError(_("%(dir)s has no file matching %(pattern)s") % {
                "dir": directory, "pattern": pattern})
        if len(matches) > 1:
            raise RefdataError(_("%(dir)s has several files matching %(pattern)s: %(names)s") % {
                "dir": directory, "pattern": pattern, "names": ", ".join(p.name for p in matches)})
        found[key] = matches[0]
    return found


def _read(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each row; the header must have `columns`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise RefdataError(ngettext("%(file)s: missing column %(columns)s",
                                            "%(file)s: missing columns %(columns)s", len(missing))
                                   % {"file": path.name, "columns": ", ".join(missing)})
            for row in reader:
                yield reader.line_num, row
    except UnicodeDecodeError as exc:
        raise RefdataError(_("%(file)s is not UTF-8 text: %(error)s") % {
            "file": path.name, "error": exc}) from None
    except csv.Error as exc:
        raise RefdataError(_("%(file)s is not a readable CSV file: %(error)s") % {
            "file": path.name, "error": exc}) from None


def _bad(path: Path, line: int, what: str, value: str) -> RefdataError:
    return RefdataError(_("%(file)s, line %(line)d: cannot read %(what)s %(value)r") % {
        "file": path.name, "line": line, "what": what, "value": value})


def _year(path: Path, line: int, text: str) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError):
        raise _bad(path, line, _("the year"), text) from None
    if not 1900 <= year <= 2200:
        raise _bad(path, line, _("the year"), text)
    return year


def _value(path: Path, line: int, text: str) -> Decimal:
    try:
        value = SIGNIFICANT.create_decimal((text or "").strip())
    except InvalidOperation:
        raise _bad(path, line, _("the value"), text) from None
    if not value.is_finite():
        raise _bad(path, line, _("the value"), text)
    return value


def _pick_currency(iso2: str, listed: str) -> str:
    if iso2 in CURRENCY_OVERRIDES:
        return CURRENCY_OVERRIDES[iso2]
    codes = [c.strip() for c in listed.split(",") if c.strip()]
    for code in codes:
        if code[:2] == iso2:
            return code
    return codes[0] if codes else ""


def read_countries(files: dict[str, Path]) -> dict[str, dict]:
    """{iso2: fields of Country} from the two country-codes files."""
    developed: dict[str, bool | None] = {}
    old_currency: dict[str, str] = {}
    for _line, row in _read(files["developed"], FILES[3][2]):
        iso3 = row["ISO3166-1-Alpha-3"].strip()
        if iso3:
            developed[iso3] = {"Developed": True, "Developing": False}.get(
                row["Developed / Developing Countries"].strip())
            old_currency[iso3] = (row.get("ISO4217-currency_alphabetic_code") or "").strip()
    countries: dict[str, dict] = {}
    for line, row in _read(files["codes"], FILES[2][2]):
        iso2 = row["ISO3166-1-Alpha-2"].strip()
        iso3 = row["ISO3166-1-Alpha-3"].strip()
        if not iso2 and not iso3:
            continue
        if not (re.fullmatch(r"[A-Z]{2}", iso2) and re.fullmatch(r"[A-Z]{3}", iso3)):
            raise _bad(files["codes"], line, _("the country codes"), f"{iso2} {iso3}")
        listed = row["ISO4217-currency_alphabetic_code"].strip() or old_currency.get(iso3, "")
        name = ((row.get("official_name_en") or "").strip()
                or (row.get("CLDR display name") or "").strip() or iso3)
        m49 = (row.get("M49") or "").strip()
        countries[iso2] = {
            "iso3": iso3, "m49": m49.zfill(3) if m49.isdigit() else "", "name": name[:200],
            "currency": _pick_currency(iso2, listed), "developed": developed.get(iso3),
        }
    for iso2, iso3, m49, name, currency, dev in EXTRA_COUNTRIES:
        countries.setdefault(iso2, {"iso3": iso3, "m49": m49, "name": name, "currency": currency,
                                    "developed": dev})
    for values in countries.values():
        values["region"] = {True: services.NORTH, False: services.SOUTH}.get(values["developed"], "")
    return countries


def unit_of(series: str, iso3: str, year: int, current: dict[str, str]) -> str:
    """The ISO 4217 code a row of `series` ("fcrf" or "ppp") is expressed in."""
    for s, economy, first, last, code in SERIES_UNITS:
        if s == series and economy == iso3 and (first is None or year >= first) and (
                last is None or year <= last):
            return code
    if iso3 == services.EURO_AREA:
        return services.EUR
    return current.get(iso3, "")


def read_series(series: str, path: Path, current: dict[str, str], stats: LoadStats
                ) -> dict[tuple[str, int], tuple[Decimal, str]]:
    """{(iso3, year): (value, currency)} for one WDI indicator file."""
    rows: dict[tuple[str, int], tuple[Decimal, str]] = {}
    for line, row in _read(path, FILES[0][2]):
        iso3 = row["Country Code"].strip()
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise _bad(path, line, _("the country code"), iso3)
        year = _year(path, line, row["Year"])
        value = _value(path, line, row["Value"])
        if year < FIRST_YEAR:
            continue
        if iso3 in SKIPPED_ECONOMIES:
            stats.skip(_("%(file)s: %(reason)s") % {"file": path.name,
                                                    "reason": SKIPPED_ECONOMIES[iso3]})
            continue
        if value <= 0:
            stats.skip(_("%(file)s: a value that is not above zero") % {"file": path.name})
            continue
        currency = unit_of(series, iso3, year, current)
        if not currency:
            stats.skip(_("%(file)s: an economy with no known currency (%(code)s)") % {
                "file": path.name, "code": iso3})
            continue
        if (iso3, year) in rows:
            raise RefdataError(_("%(file)s, line %(line)d: %(code)s %(year)d appears twice") % {
                "file": path.name, "line": line, "code": iso3, "year": year})
        rows[(iso3, year)] = (value, currency)
    return rows


INCOME_GROUPS = {"L", "LM", "UM", "H"}


def read_income(path: Path, stats: LoadStats) -> dict[tuple[str, int], str]:
    """{(iso3, year): group} from the wide OGHIST table; footnote rows have no ISO3 code."""
    result: dict[tuple[str, int], str] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header or len(header) < 3:
                raise RefdataError(_("%(file)s: no header row") % {"file": path.name})
            years: list[int | None] = []
            for cell in header[2:]:
                years.append(int(cell) if cell.strip().isdigit() else None)
            if not any(years):
                raise RefdataError(_("%(file)s: the header has no year columns") % {"file": path.name})
            for row in reader:
                code = row[0].strip() if row else ""
                if not re.fullmatch(r"[A-Z]{3}", code):
                    continue
                for year, cell in zip(years, row[2:], strict=False):
                    group = cell.strip().rstrip("*")
                    if year is None or year < FIRST_YEAR or group in ("", ".."):
                        continue
                    if group not in INCOME_GROUPS:
                        raise _bad(path, reader.line_num, _("the income group"), cell)
                    result[(code, year)] = group
    except (UnicodeDecodeError, csv.Error) as exc:
        raise RefdataError(_("%(file)s is not a readable CSV file: %(error)s") % {
            "file": path.name, "error": exc}) from None
    return result


def digest_of(files: dict[str, Path]) -> str:
    sha = hashlib.sha256(f"visiblework-refdata-{LOADER_VERSION}\n".encode())
    for key in sorted(files):
        sha.update(f"{key}:{files[key].name}\n".encode())
        with files[key].open("rb") as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                sha.update(chunk)
    return sha.hexdigest()


# --- Writing -----------------------------------------------------------------------------------


def _sync(model: type[models.Model], key_fields: tuple[str, ...], value_fields: tuple[str, ...],
          wanted: dict[tuple, tuple]) -> TableStats:
    """Make `model`'s rows equal `wanted` ({key: values}) with as few writes as possible."""
    stats = TableStats()
    existing = {tuple(getattr(o, f) for f in key_fields): o for o in model.objects.all()}
    to_create: list[tuple] = []
    to_update = []
    for key, values in wanted.items():
        obj = existing.pop(key, None)
        if obj is None:
            # Plain rows, not model objects: a first load (every `migrate` of a new data
            # folder) writes some 16,000 rows, and building an object for each was half its time.
            to_create.append((*key, *values))
        elif tuple(getattr(obj, f) for f in value_fields) != values:
            for name, value in zip(value_fields, values, strict=True):
                setattr(obj, name, value)
            to_update.append(obj)
        else:
            stats.unchanged += 1
    insert_values(model, (*key_fields, *value_fields), to_create)
    if to_update:
        model.objects.bulk_update(to_update, list(value_fields), batch_size=500)
    if existing:
        model.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    stats.created, stats.updated, stats.deleted = len(to_create), len(to_update), len(existing)
    return stats


@contextmanager
def _progress(enabled: bool) -> Iterator:
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  transient=True) as progress:
        yield progress


@dataclass
class Tables:
    """Everything read from a folder, as the tables will hold it."""

    countries: dict[str, dict]  # {iso2: fields of Country}
    fcrf: dict[tuple[str, int], tuple[Decimal, str]]  # {(iso3, year): (value, currency)}
    ppp: dict[tuple[str, int], tuple[Decimal, str]]
    income: dict[tuple[str, int], str]  # {(iso3, year): group}


def read_tables(files: dict[str, Path], stats: LoadStats, step=lambda description: None) -> Tables:
    """Read and check the five files (find_files): the one parsing path, for `refdata load`
    and for the generator of the packaged snapshot (packaged.py)."""
    countries = read_countries(files)
    step(_("Countries read"))
    current = {v["iso3"]: v["currency"] for v in countries.values()}
    fcrf = read_series("fcrf", files["fcrf"], current, stats)
    step(_("Exchange rates read"))
    ppp = read_series("ppp", files["ppp"], current, stats)
    step(_("PPP factors read"))
    income = read_income(files["income"], stats)
    step(_("Income groups read"))
    return Tables(countries, fcrf, ppp, income)


def load_refdata(directory: Path | str, *, progress: bool | None = None,
                 origin: str = SnapshotOrigin.FOLDER, made_on: date | None = None) -> LoadStats:
    """Load (or reload) every reference table from the files in `directory`.

    Raises RefdataError when the folder or a file is missing or malformed; then nothing is
    written. `progress`: show a rich progress bar (default: when stderr is a terminal).
    `origin` and `made_on` are recorded on the Snapshot: a folder an administrator loads is
    made on the day it is loaded; packaged.py passes the packaged snapshot's own date."""
    directory = Path(directory)
    files = find_files(directory)
    stats = LoadStats(digest=digest_of(files))
    if progress is None:
        progress = sys.stderr.isatty()
    steps = 8
    with _progress(progress) as bar:
        task = bar.add_task(_("Loading reference data"), total=steps) if bar else None

        def step(description: str) -> None:
            if bar is not None:
                bar.update(task, advance=1, description=description)

        tables = read_tables(files, stats, step)
        with transaction.atomic():
            stats.tables["countries"] = _sync(
                Country, ("iso2",), ("iso3", "m49", "name", "currency", "developed", "region"),
                {(iso2,): (v["iso3"], v["m49"], v["name"], v["currency"], v["developed"],
                           v["region"]) for iso2, v in tables.countries.items()})
            step(_("Countries written"))
            stats.tables["exchange_rates"] = _sync(
                ExchangeRate, ("country", "year"), ("lcu_per_usd", "currency"), tables.fcrf)
            step(_("Exchange rates written"))
            stats.tables["ppp_factors"] = _sync(
                PPPFactor, ("country", "year"), ("lcu_per_intl", "currency"), tables.ppp)
            step(_("PPP factors written"))
            stats.tables["income_classes"] = _sync(
                IncomeClass, ("country", "year"), ("group",),
                {key: (group,) for key, group in tables.income.items()})
            now = timezone.now()
            Snapshot.objects.update_or_create(digest=stats.digest, defaults={
                "loaded_at": now,
                "origin": origin,
                "made_on": made_on or timezone.localdate(now),
                "files": {key: path.name for key, path in sorted(files.items())},
                "counts": {name: t.total for name, t in stats.tables.items()},
            })
            step(_("Done"))
            transaction.on_commit(services.clear_cache)
    return stats

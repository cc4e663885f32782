"""The reference data shipped inside the package, so that a fresh install converts real
currencies with no extra files.

`snapshot/` beside this module holds a compact snapshot *derived* from the public files
(never copies of them): the rows `refdata load` would load from those files (2000 on; Zimbabwe
and the Channel Islands left out, see loader.py), written in the same CSV shapes with only
the columns the loader reads, and `metadata.json` (sources, licences, version, date, the
command that made it). The loader reads it like any other folder: one parsing path.

- `generate(source, out, made_on=...)` makes the snapshot from a folder of public files:
  `visiblework refdata snapshot ../shared/data/refdata` (the command in metadata.json).
- `load_on_migrate` (a post_migrate handler, apps.py) loads it into the tables on `migrate`,
  and so on `visiblework demo`: once on a fresh database, again when the package ships a
  newer snapshot, and never over data made later (a folder an administrator loaded with
  `refdata load` after the snapshot was made). Otherwise it costs one query.

Sources and licences: World Bank WDI PA.NUS.FCRF and PA.NUS.PPP and the OGHIST income
classification (CC BY 4.0); datasets/country-codes (UN M49, ISO 3166, ISO 4217; PDDL).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.translation import gettext as _

from . import loader
from .models import Snapshot, SnapshotOrigin
from .services import CountryInfo, Rates

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"
METADATA_FILE = "metadata.json"
COMMAND = "visiblework refdata snapshot ../shared/data/refdata"
MAX_BYTES = 400_000  # the whole snapshot, metadata included: "a few hundred KB at most"

# The file names of the snapshot: each matches the loader's pattern for its key.
FILE_NAMES = {
    "fcrf": "wdi_pa.nus.fcrf.csv",
    "ppp": "wdi_pa.nus.ppp.csv",
    "codes": "country-codes.csv",
    "developed": "country-codes_2020_with_developed.csv",
    "income": "wb_OGHIST_income_history.csv",
}

CC_BY = {"licence": "CC BY 4.0", "licence_url": "https://creativecommons.org/licenses/by/4.0/"}
PDDL = {"licence": "PDDL 1.0", "licence_url": "https://opendatacommons.org/licenses/pddl/1-0/"}
# What each public file is: (key, title, publisher, address, licence).
SOURCES: tuple[tuple[str, str, str, str, dict[str, str]], ...] = (
    ("fcrf", "Official exchange rate (LCU per US$, period average), PA.NUS.FCRF",
     "World Bank, World Development Indicators",
     "https://data.worldbank.org/indicator/PA.NUS.FCRF", CC_BY),
    ("ppp", "PPP conversion factor, GDP (LCU per international $), PA.NUS.PPP",
     "World Bank, World Development Indicators",
     "https://data.worldbank.org/indicator/PA.NUS.PPP", CC_BY),
    ("income", "Historical income classification (OGHIST)", "World Bank",
     "https://datahelpdesk.worldbank.org/knowledgebase/articles/906519", CC_BY),
    ("codes", "Country codes (UN M49, ISO 3166, ISO 4217)", "datasets/country-codes",
     "https://github.com/datasets/country-codes", PDDL),
    ("developed", "Country codes, 2020 version with UNSD's Developed / Developing Countries",
     "datasets/country-codes", "https://github.com/datasets/country-codes", PDDL),
)
ATTRIBUTION = ("Source: World Bank, World Development Indicators and historical income "
               "classification (CC BY 4.0); datasets/country-codes, UN M49, ISO 3166 and ISO 4217 "
               "(PDDL). Derived: rows from 2000 on, only the columns Visible Work reads.")


class SnapshotError(Exception):
    """The packaged snapshot is missing or unreadable; the message says which file."""


@dataclass(frozen=True)
class PackagedSnapshot:
    """metadata.json of a snapshot."""

    version: str  # the first 12 hex digits of `digest`
    digest: str  # loader.digest_of() of the snapshot's files: Snapshot.digest once loaded
    made_on: date
    command: str
    attribution: str
    sources: tuple[dict[str, Any], ...]
    files: dict[str, dict[str, Any]]
    years: dict[str, list[int]]  # table -> [first year, last year]


# --- Making it ---------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(path: Path, header: list[str], rows: list[list[str]]) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def _series_rows(series: dict[tuple[str, int], tuple[Decimal, str]]) -> list[list[str]]:
    return [[iso3, str(year), str(value)] for (iso3, year), (value, _unit) in sorted(series.items())]


def _span(keys: Any) -> list[int]:
    years = [year for _code, year in keys]
    return [min(years), max(years)] if years else []


def generate(source: Path | str, out: Path | str = SNAPSHOT_DIR, *, made_on: date) -> PackagedSnapshot:
    """Read the public files in `source` with the loader and write the compact snapshot and
    its metadata.json to `out`. Raises loader.RefdataError for a bad source folder."""
    source, out = Path(source), Path(out)
    files = loader.find_files(source)
    tables = loader.read_tables(files, loader.LoadStats())
    out.mkdir(parents=True, exist_ok=True)
    rows = {
        "fcrf": _write(out / FILE_NAMES["fcrf"], ["Country Code", "Year", "Value"],
                       _series_rows(tables.fcrf)),
        "ppp": _write(out / FILE_NAMES["ppp"], ["Country Code", "Year", "Value"],
                      _series_rows(tables.ppp)),
        # The currency written is the one the loader picked, so it picks it again.
        "codes": _write(out / FILE_NAMES["codes"],
                        ["ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "M49", "official_name_en",
                         "ISO4217-currency_alphabetic_code"],
                        [[iso2, v["iso3"], v["m49"], v["name"], v["currency"]]
                         for iso2, v in sorted(tables.countries.items())]),
        "developed": _write(out / FILE_NAMES["developed"],
                            ["ISO3166-1-Alpha-3", "Developed / Developing Countries"],
                            sorted([v["iso3"], "Developed" if v["developed"] else "Developing"]
                                   for v in tables.countries.values() if v["developed"] is not None)),
    }
    income_years = sorted({year for _code, year in tables.income})
    rows["income"] = _write(
        out / FILE_NAMES["income"], ["Code", "Economy", *map(str, income_years)],
        [[code, "", *(tables.income.get((code, year), "..") for year in income_years)]
         for code in sorted({code for code, _year in tables.income})])
    digest = loader.digest_of(loader.find_files(out))
    metadata = {
        "name": "Visible Work reference data snapshot",
        "version": digest[:12],
        "digest": digest,
        "made_on": made_on.isoformat(),
        "command": COMMAND,
        "attribution": ATTRIBUTION,
        "sources": [{"file": files[key].name, "sha256": _sha256(files[key]), "title": title,
                     "publisher": publisher, "url": url, **licence}
                    for key, title, publisher, url, licence in SOURCES],
        "files": {FILE_NAMES[key]: {"rows": rows[key], "sha256": _sha256(out / FILE_NAMES[key])}
                  for key in FILE_NAMES},
        "years": {"exchange_rates": _span(tables.fcrf), "ppp_factors": _span(tables.ppp),
                  "income_classes": _span(tables.income)},
    }
    (out / METADATA_FILE).write_text(json.dumps(metadata, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return read_metadata(out)


# --- Reading it --------------------------------------------------------------------------------


def read_metadata(folder: Path = SNAPSHOT_DIR) -> PackagedSnapshot:
    try:
        raw = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
        return PackagedSnapshot(
            version=raw["version"], digest=raw["digest"], made_on=date.fromisoformat(raw["made_on"]),
            command=raw["command"], attribution=raw["attribution"], sources=tuple(raw["sources"]),
            files=raw["files"], years=raw["years"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(_("%(file)s cannot be read: %(error)s") % {
            "file": folder / METADATA_FILE, "error": exc}) from None


@lru_cache(maxsize=1)
def metadata() -> PackagedSnapshot:
    """The metadata of the snapshot shipped in this package."""
    return read_metadata(SNAPSHOT_DIR)


@lru_cache(maxsize=1)
def packaged_rates() -> Rates:
    """The packaged snapshot as a rate source read straight from the files, with no database:
    for the wage engine's pure tests and tools (the site reads the loaded tables)."""
    tables = loader.read_tables(loader.find_files(SNAPSHOT_DIR), loader.LoadStats())
    return Rates(
        countries=[CountryInfo(iso2, v["iso3"], v["name"], v["currency"], v["region"])
                   for iso2, v in sorted(tables.countries.items())],
        fcrf=[(iso3, year, value, unit) for (iso3, year), (value, unit) in tables.fcrf.items()],
        ppp=[(iso3, year, value, unit) for (iso3, year), (value, unit) in tables.ppp.items()],
        income=[(iso3, year, group) for (iso3, year), group in tables.income.items()],
        source="wdi", version=metadata().digest)


def in_use() -> Snapshot | None:
    """The snapshot whose data the site uses now (the latest loaded), if any."""
    return Snapshot.objects.order_by("-loaded_at", "-id").first()


# --- Loading it on migrate ---------------------------------------------------------------------


def newer_in_use(latest: Snapshot | None, packaged: PackagedSnapshot) -> bool:
    """Whether the snapshot in use should stay rather than the packaged one be loaded: it is
    the packaged one, or it was made later. A folder an administrator loaded on the day the
    packaged snapshot was made stays too."""
    if latest is None:
        return False
    if latest.digest == packaged.digest:
        return True
    made_on = latest.made_on or timezone.localdate(latest.loaded_at)
    if latest.origin == SnapshotOrigin.FOLDER:
        return made_on >= packaged.made_on
    return made_on > packaged.made_on


def load_packaged(*, folder: Path | None = None) -> loader.LoadStats | None:
    """Load the packaged snapshot (or the one in `folder`) unless the data in use is it or
    newer (newer_in_use). Returns the load's statistics, or None when nothing was loaded."""
    folder = SNAPSHOT_DIR if folder is None else folder
    packaged = read_metadata(folder)
    if newer_in_use(in_use(), packaged):
        return None
    return loader.load_refdata(folder, progress=False, origin=SnapshotOrigin.PACKAGE,
                               made_on=packaged.made_on)


def load_on_migrate(sender: Any, *, apps: Any = None, using: str = DEFAULT_DB_ALIAS,
                    verbosity: int = 1, stdout: Any = None, **kwargs: Any) -> None:
    """post_migrate: load the packaged snapshot once the refdata tables are fully migrated
    (not after `migrate refdata zero` or to an older migration)."""
    if using != DEFAULT_DB_ALIAS:
        return
    try:
        model = apps.get_model("refdata", "Snapshot") if apps is not None else Snapshot
    except LookupError:
        return
    if not {"origin", "made_on"} <= {f.name for f in model._meta.get_fields()}:
        return
    try:
        stats = load_packaged()
    except (SnapshotError, loader.RefdataError) as exc:  # a broken install: say so, migrate on
        if stdout is not None:
            stdout.write(_("The packaged reference data was not loaded: %(error)s") % {"error": exc})
        return
    if stats is not None and verbosity >= 1 and stdout is not None:
        packaged = metadata()
        stdout.write(_("Loaded the packaged reference data (version %(version)s, made on %(date)s)")
                     % {"version": packaged.version, "date": packaged.made_on.isoformat()})

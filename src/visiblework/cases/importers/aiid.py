"""Import a snapshot of the AI Incident Database (https://incidentdatabase.ai/).

The snapshot is the folder of CSV files of the database's public weekly backup (mongoexport):
`incidents.csv` (required), `classifications_MIT.csv`, `classifications_GMF.csv` and
`duplicates.csv` (optional). Licence: the database is shared under CC BY-SA 4.0 (see the
snapshot's `license.txt`); report contents have their own rights, and are not imported.

- each incident becomes a published case with external id "aiid:<incident_id>", so a second
  import updates it (or, when nothing changed, leaves it alone: no new revision);
- the entity slugs of "Alleged deployer / developer / harmed or nearly harmed parties" (JSON
  lists inside CSV cells) become actors with the roles deployer, developer, harmed party; an
  entity found among the existing actors by its name (not its slug) leaves its slug as an
  alias's slug on that actor, so later imports find it by the slug;
- the MIT and GMF classifications become terms of the taxonomies in CLASSIFICATIONS;
- the incident itself is cited as the case's source;
- incidents listed as duplicates in duplicates.csv are left out, with a message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from ..models import ActorKind, Role
from .dates import parse_date
from .indexes import ActorIndex, TermIndex
from .merge import Ownership
from .problems import ImportFileError, Problem, unexpected
from .reading import RawRow, read_table, record_cells, rows_with_cells
from .text import one_line, shown
from .writing import BATCH_SIZE, Importer, ImportStats, Incoming, cases_with_external_ids

LABEL = "import aiid"
SOURCE_NAME = "AI Incident Database"
PUBLISHER = "AI Incident Database (Responsible AI Collaborative)"
CITE_URL = "https://incidentdatabase.ai/cite/{id}/"
LICENCE = "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"

INCIDENTS = "incidents.csv"
DUPLICATES = "duplicates.csv"
ID, DATE, TITLE, DESCRIPTION = "incident_id", "date", "title", "description"
ROLE_COLUMNS = [
    ("Alleged deployer of AI system", Role.DEPLOYER),
    ("Alleged developer of AI system", Role.DEVELOPER),
    ("Alleged harmed or nearly harmed parties", Role.HARMED_PARTY),
]
REQUIRED = [ID, DATE, TITLE, DESCRIPTION, *(column for column, _role in ROLE_COLUMNS)]
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or",
               "the", "to", "with"}


@dataclass(frozen=True)
class Classification:
    """One column of a classification file, imported as a taxonomy."""

    file: str
    column: str
    key: str
    name: str
    description: str
    is_facet: bool = False
    multiple: bool = False  # comma-separated values


MIT = gettext_noop("From the AI Incident Database's classifications after the MIT AI Risk Repository "
         "taxonomy (CC BY-SA 4.0).")
GMF = gettext_noop("From the AI Incident Database's Goals, Methods and Failures (GMF) taxonomy "
         "(CC BY-SA 4.0).")
CLASSIFICATIONS = [
    Classification("classifications_MIT.csv", "Risk Domain", "mit_risk_domain",
                   gettext_noop("MIT risk domain"), MIT, is_facet=True),
    Classification("classifications_MIT.csv", "Risk Subdomain", "mit_risk_subdomain",
                   gettext_noop("MIT risk subdomain"), MIT),
    Classification("classifications_MIT.csv", "Entity", "mit_entity",
                   gettext_noop("MIT risk: caused by"), MIT),
    Classification("classifications_MIT.csv", "Intent", "mit_intent",
                   gettext_noop("MIT risk: intent"), MIT),
    Classification("classifications_MIT.csv", "Timing", "mit_timing",
                   gettext_noop("MIT risk: timing"), MIT),
    Classification("classifications_GMF.csv", "Known AI Goal", "gmf_ai_goal",
                   gettext_noop("GMF: AI goal"), GMF, multiple=True),
    Classification("classifications_GMF.csv", "Known AI Technology", "gmf_ai_technology",
                   gettext_noop("GMF: AI technology"), GMF, multiple=True),
    Classification("classifications_GMF.csv", "Known AI Technical Failure", "gmf_technical_failure",
                   gettext_noop("GMF: technical failure"), GMF, multiple=True),
]
TAXONOMY_ORDER = 100  # after the built-in taxonomies


def readable_name(slug: str) -> str:
    """An AIID entity slug as a name: "keolis-north-america" → "Keolis North America"."""
    words = one_line(slug.replace("-", " ")).split(" ")
    return " ".join(
        w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:]
        for i, w in enumerate(words))[:200]


def parse_entities(value: str) -> list[str]:
    """A JSON list of entity slugs inside a cell: '["youtube","google"]'. Empty is []."""
    text = value.strip()
    if not text:
        return []
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        raise ValueError(_("cannot read %(value)s as a list (expected JSON like "
                           "[\"openai\"])") % {"value": shown(text)}) from None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(_("expected a list of names, found %(value)s") % {"value": shown(text)})
    return list(dict.fromkeys(s for s in (one_line(i) for i in items) if s))


def parse_incident_id(value: str) -> int:
    text = one_line(value)
    if not re.fullmatch(r"\d{1,9}", text) or int(text) == 0:
        raise ValueError(_("cannot read %(value)s as an incident number") % {"value": shown(text)})
    return int(text)


class AiidImport:
    def __init__(self, directory: str | Path, *, limit: int | None = None, dry_run: bool = False,
                 batch_size: int = BATCH_SIZE):
        self.directory = Path(directory)
        self.limit = limit
        self.actors = ActorIndex()
        self.terms = TermIndex()
        self.notes: list[str] = []  # about the files as a whole
        self.importer = Importer(
            label=LABEL, source=SOURCE_NAME, dry_run=dry_run, batch_size=batch_size,
            owns=Ownership(taxonomies=frozenset(c.key for c in CLASSIFICATIONS),
                           roles=frozenset(role for _column, role in ROLE_COLUMNS)),
            indexes=[self.actors, self.terms])
        if not self.directory.is_dir():
            raise ImportFileError(_("%(path)s is not a folder") % {"path": self.directory})
        path = self.directory / INCIDENTS
        if not path.is_file():
            raise ImportFileError(_("%(path)s has no %(file)s: is it an AI Incident Database "
                                    "snapshot?") % {"path": self.directory, "file": INCIDENTS})
        self.table = read_table(path)
        missing = [c for c in REQUIRED if c not in self.table.header]
        if missing:
            raise ImportFileError(_("%(file)s lacks the columns %(columns)s")
                                  % {"file": INCIDENTS, "columns": ", ".join(missing)})
        self.rows = self.table.rows[:limit] if limit is not None else self.table.rows
        self.duplicates = self._read_duplicates()
        self.classifications = self._read_classifications()
        self.makers = self._makers()

    @property
    def total(self) -> int:
        return len(self.rows)

    # --- Reading ---------------------------------------------------------------------------------

    def _read_duplicates(self) -> dict[int, int]:
        path = self.directory / DUPLICATES
        if not path.is_file():
            return {}
        table = read_table(path)
        index = table.index()
        if not {"duplicate_incident_number", "true_incident_number"} <= set(index):
            self.notes.append(_("%(file)s lacks its columns; no incident is treated as a "
                                "duplicate") % {"file": DUPLICATES})
            return {}
        out = {}
        for row in table.rows:
            cells = row if isinstance(row, Problem) else record_cells(row, len(table.header))
            if cells is None or isinstance(cells, Problem):
                continue
            try:
                out[parse_incident_id(cells[index["duplicate_incident_number"]])] = \
                    parse_incident_id(cells[index["true_incident_number"]])
            except ValueError:
                continue
        return out

    def _makers(self) -> set[str]:
        """Entities named anywhere as a deployer or developer: they are made as companies,
        the others (only ever harmed) as groups of people."""
        index = self.table.index()
        out: set[str] = set()
        for row in self.table.rows:
            if isinstance(row, Problem):
                continue
            for column, role in ROLE_COLUMNS:
                if role == Role.HARMED_PARTY or index[column] >= len(row.cells):
                    continue
                try:
                    out.update(parse_entities(row.cells[index[column]]))
                except ValueError:
                    continue
        return out

    def _read_classifications(self) -> dict[int, dict[str, list[str]]]:
        """incident id → taxonomy key → term names. Unpublished classifications are left out."""
        out: dict[int, dict[str, list[str]]] = {}
        for file in dict.fromkeys(c.file for c in CLASSIFICATIONS):
            path = self.directory / file
            if not path.is_file():
                self.notes.append(_("No %(file)s: its taxonomies are left out") % {"file": file})
                continue
            table = read_table(path)
            index = table.index()
            if "Incident ID" not in index:
                self.notes.append(_("%(file)s has no column Incident ID: left out") % {"file": file})
                continue
            fields = []
            for c in CLASSIFICATIONS:
                if c.file != file:
                    continue
                if c.column in index:
                    fields.append(c)
                else:
                    self.notes.append(_("%(file)s has no column %(column)s: taxonomy %(key)s left "
                                        "out") % {"file": file, "column": c.column, "key": c.key})
            unpublished = 0
            for row in table.rows:
                cells = row if isinstance(row, Problem) else record_cells(row, len(table.header))
                if cells is None or isinstance(cells, Problem):
                    continue
                if "Published" in index and cells[index["Published"]].strip().lower() == "false":
                    unpublished += 1
                    continue
                try:
                    incident = parse_incident_id(cells[index["Incident ID"]])
                except ValueError:
                    continue
                for c in fields:
                    value = cells[index[c.column]]
                    values = value.split(",") if c.multiple else [value]
                    names = [n for n in (one_line(v)[:200] for v in values) if n]
                    if names:
                        terms = out.setdefault(incident, {}).setdefault(c.key, [])
                        terms.extend(n for n in names if n not in terms)
            if unpublished:
                self.notes.append(ngettext("%(file)s: %(count)d unpublished classification left out",
                                           "%(file)s: %(count)d unpublished classifications left out",
                                           unpublished) % {"file": file, "count": unpublished})
        return out

    def items(self) -> Iterator[Incoming | Problem]:
        index = self.table.index()
        width = len(self.table.header)
        for item in rows_with_cells(self.rows, width):
            if isinstance(item, Problem):
                yield item
                continue
            row, cells = item
            try:
                yield self._incoming(row, {name: cells[i] for name, i in index.items()})
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the import half-way
                yield unexpected(row.line, exc)

    def _incoming(self, row: RawRow, cell: dict[str, str]) -> Incoming | Problem:
        try:
            incident = parse_incident_id(cell[ID])
        except ValueError as exc:
            return Problem(row.line, ID, str(exc))
        true = self.duplicates.get(incident)
        if true is not None:
            message = _("incident %(id)d is a duplicate of incident %(true)d (duplicates.csv); "
                        "left out") % {"id": incident, "true": true}
            earlier = cases_with_external_ids([f"aiid:{incident}"]).first()
            if earlier is not None:
                message += " " + _("(an earlier import made case %(case)d from it: retract it if "
                                   "it should go)") % {"case": earlier.pk}
            return Problem(row.line, ID, message)
        try:
            date = parse_date(cell[DATE])
        except ValueError as exc:
            return Problem(row.line, DATE, str(exc))
        entities: list[tuple[str, str, str]] = []  # (slug, role, column)
        for column, role in ROLE_COLUMNS:
            try:
                entities.extend((slug, role, column) for slug in parse_entities(cell[column]))
            except ValueError as exc:
                return Problem(row.line, column, str(exc))
        title = one_line(cell[TITLE])
        summary = clean_summary(cell[DESCRIPTION])
        terms = self.classifications.get(incident, {})
        source = {"url": CITE_URL.format(id=incident),
                  "title": _("AI Incident Database, incident %(id)d") % {"id": incident},
                  "publisher": PUBLISHER, "authors": "", "date": date, "archived_url": ""}

        def build(warn: Callable[[str, str], None]) -> dict[str, Any]:
            actors = []
            for slug, role, column in entities:
                if len(slug) > 200:
                    warn(column, _("the name %(value)s is too long for an actor; left out")
                         % {"value": shown(slug)})
                    continue
                kind = ActorKind.COMPANY if slug in self.makers else ActorKind.GROUP
                actor = self.actors.get_or_create(readable_name(slug), slug=slug, kind=kind)
                # found by its name: the entity's slug becomes an alias's, for next time
                self.actors.remember_slug(actor, slug, readable_name(slug))
                actors.append({"name": actor.name, "slug": actor.slug, "role": role})
            case_terms: dict[str, list[str]] = {}
            for key, names in terms.items():
                for name in names:
                    term = self.terms.get_or_create(key, name)
                    if term is None:
                        warn(key, _("taxonomy %(key)s is full; %(value)s left out")
                             % {"key": key, "value": shown(name)})
                    else:
                        case_terms.setdefault(key, []).append(term.slug)
            return {"title": title, "summary": summary, "date": date, "terms": case_terms,
                    "actors": actors, "sources": [source]}

        columns = {"id": ID, "title": TITLE, "summary": DESCRIPTION, "date": DATE, "year": DATE,
                   "actors": "; ".join(c for c, _r in ROLE_COLUMNS), "sources": ID}
        columns.update({c.key: f"{c.file}: {c.column}" for c in CLASSIFICATIONS})
        return Incoming(row.line, f"aiid:{incident}", build, columns, actors=len(entities))

    # --- Writing ---------------------------------------------------------------------------------

    def setup(self) -> None:
        keys_used = {key for terms in self.classifications.values() for key in terms}
        for order, c in enumerate(CLASSIFICATIONS):
            if c.key in keys_used:
                self.terms.ensure_taxonomy(c.key, c.name, description=c.description,
                                           is_facet=c.is_facet, order=TAXONOMY_ORDER + order)

    def run(self, progress: Callable[[int], None] | None = None) -> ImportStats:
        return self.importer.run(
            self.items(), setup=self.setup, progress=progress,
            audit={"source": "aiid", "path": str(self.directory), "licence": LICENCE,
                   "notes": self.notes})


def clean_summary(value: str) -> str:
    return "\n".join(one_line(line) for line in value.strip().splitlines()).strip()

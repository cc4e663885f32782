"""Writing rows as cases: the import loop that every importer runs.

Rows are written in batches, each batch in a transaction with search indexing deferred to
its end. Every row is written whole or not at all: it runs in its own savepoint inside its
batch's transaction, so a row that fails half-way (a refused value, a database error) leaves no
actor, term, revision or audit entry behind. Problems are reported per row with the line
number and the column, never as a traceback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from visiblework.core.audit import record
from visiblework.core.formats import join, number
from visiblework.core.models import AuditAction

from ..editing import clean_case_data, save_case, snapshot
from ..external_ids import add_other_ids, cases_by_external_id
from ..indexing import deferred_indexing
from ..models import Case, CaseStatus
from .indexes import RowJournal
from .merge import Ownership, comparable, merge, new_case_data
from .problems import Problem, RowSkip, first_line, unexpected
from .text import shown

BATCH_SIZE = 200
# Django 5.2 on SQLite prefetches a foreign key as "id = 1 OR id = 2 OR ...", which fails past
# about 1,000 values; the search reindex at the end of a batch prefetches the batch's actors.
# So a batch also ends when its rows name this many actors.
MAX_ACTORS_PER_BATCH = 800


@dataclass
class Incoming:
    """One row, read and checked, ready to be written. `build` runs inside the row's
    savepoint (it may create actors and terms) and returns the row's case data: title,
    summary, and whichever of body, date, year, terms, countries, actors, sources it has."""

    line: int
    external_id: str
    build: Callable[[Callable[[str, str], None]], dict[str, Any]]
    columns: dict[str, str] = field(default_factory=dict)  # case-data field → column, for messages
    warnings: list[Problem] = field(default_factory=list)
    actors: int = 0  # how many actors the row names (see MAX_ACTORS_PER_BATCH)
    other_ids: list[str] = field(default_factory=list)  # merged duplicates' ids (an export's)


@dataclass
class ImportStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False
    stopped_at: int | None = None  # interrupted (Ctrl-C): the first line not written
    interrupted: bool = False

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.skipped:
            self.skipped += 1
        else:
            self.warnings += 1

    def as_dict(self) -> dict[str, Any]:
        out = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
               "skipped": self.skipped, "warnings": self.warnings,
               "seconds": round(self.seconds, 2)}
        if self.interrupted:
            out.update(interrupted=True, stopped_at=self.stopped_at)
        return out


class Importer:
    """Writes Incoming rows as cases, in batches of `batch_size`, each batch in a transaction
    with search indexing deferred to its end, each row in a savepoint."""

    def __init__(self, *, label: str, source: str, owns: Ownership,
                 status: str = CaseStatus.PUBLISHED, batch_size: int = BATCH_SIZE,
                 dry_run: bool = False, indexes: Iterable[RowJournal] = ()):
        self.label = label  # who, in revisions and the audit log: "import aiid"
        self.source = source  # where from, in revision summaries
        self.owns = owns
        self.status = status
        self.batch_size = max(1, batch_size)
        self.dry_run = dry_run
        self.indexes = list(indexes)
        self.stats = ImportStats(dry_run=dry_run)
        self._seen: dict[str, int] = {}

    def run(self, items: Iterable[Incoming | Problem], *,
            setup: Callable[[], None] | None = None,
            progress: Callable[[int], None] | None = None,
            audit: dict[str, Any] | None = None) -> ImportStats:
        """Write every row; then (unless a dry run) one audit entry for the whole import.
        A dry run does all the work in a transaction and rolls it back."""
        started = time.monotonic()
        with transaction.atomic() if self.dry_run else nullcontext():
            if setup is not None:
                with transaction.atomic():
                    setup()
            next_line: int | None = None  # the first line of the batch under way, or after
            try:
                for batch in _chunks(items, self.batch_size):
                    next_line = _first_line(batch) or next_line
                    self._run_batch(batch, progress or (lambda n: None))
                    last = _last_line(batch)
                    next_line = last + 1 if last else next_line
            except KeyboardInterrupt:
                # Ctrl-C: the batch under way rolled back (its transaction ended with the
                # exception); the batches before it stay. A dry run keeps nothing anyway.
                if self.dry_run:
                    raise
                self.stats.interrupted = True
                self.stats.stopped_at = next_line
            self.stats.seconds = time.monotonic() - started
            if self.dry_run:
                transaction.set_rollback(True)
            else:
                with transaction.atomic():
                    record(None, AuditAction.IMPORT, None, self._summary(),
                           {**(audit or {}), **self.stats.as_dict()}, label=self.label)
        return self.stats

    def _summary(self) -> str:
        """The audit entry's summary: "AIID: 3 created, 0 updated, 1 unchanged and 0 skipped"."""
        stats = self.stats
        counts = [
            npgettext("rows of an import", "%(n)s created", "%(n)s created", stats.created)
            % {"n": number(stats.created)},
            npgettext("rows of an import", "%(n)s updated", "%(n)s updated", stats.updated)
            % {"n": number(stats.updated)},
            npgettext("rows of an import", "%(n)s unchanged", "%(n)s unchanged", stats.unchanged)
            % {"n": number(stats.unchanged)},
            npgettext("rows of an import", "%(n)s skipped", "%(n)s skipped", stats.skipped)
            % {"n": number(stats.skipped)},
        ]
        summary = f"{self.source}: {join(counts)}"
        if stats.interrupted:
            summary += " " + (_("(stopped at line %(line)s)") % {"line": number(stats.stopped_at)}
                              if stats.stopped_at else _("(stopped)"))
        return summary

    def _run_batch(self, batch: list[Incoming | Problem], progress: Callable[[int], None]) -> None:
        counts = ImportStats()
        try:
            with transaction.atomic(), deferred_indexing():
                ids = [i.external_id for i in batch if isinstance(i, Incoming) and i.external_id]
                existing = cases_by_external_id(ids)
                for item in batch:
                    if isinstance(item, Problem):
                        counts.add(item)
                    else:
                        self._run_row(item, existing.get(item.external_id), counts)
                    progress(1)
        except DatabaseError as exc:
            for index in self.indexes:
                index.reset()
            for item in batch:
                self.stats.add(item if isinstance(item, Problem) else Problem(item.line, "", _(
                    "not saved: the database refused this batch of rows (%(error)s)")
                    % {"error": first_line(exc)}))
            return
        self.stats.created += counts.created
        self.stats.updated += counts.updated
        self.stats.unchanged += counts.unchanged
        for problem in counts.problems:
            self.stats.add(problem)

    def _run_row(self, item: Incoming, case: Case | None, counts: ImportStats) -> None:
        if item.external_id:
            first = self._seen.get(item.external_id)
            if first is not None:
                counts.add(Problem(item.line, item.columns.get("id", ""), _(
                    "the id %(id)s already appeared on line %(first)d; this row was left out")
                    % {"id": shown(item.external_id.split(":", 1)[-1]), "first": first}))
                return
            self._seen[item.external_id] = item.line
        warnings = list(item.warnings)

        def warn(column: str, message: str) -> None:
            warnings.append(Problem(item.line, column, message, skipped=False))

        for index in self.indexes:
            index.begin_row()
        try:
            with transaction.atomic():
                outcome = self._write(item, case, warn)
                if item.other_ids and add_other_ids(item.external_id, item.other_ids, warn,
                                                    item.columns.get("id", "")):
                    outcome = "updated" if outcome == "unchanged" else outcome
        except Exception as exc:  # noqa: BLE001 - any failure leaves the row out, never half-written
            for index in self.indexes:
                index.discard_row()
            counts.add(self._problem(item, exc))
            return
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        for warning in warnings:
            counts.add(warning)

    def _problem(self, item: Incoming, exc: Exception) -> Problem:
        if isinstance(exc, RowSkip):
            return Problem(item.line, exc.column, exc.message)
        if isinstance(exc, ValidationError):
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            if len(errors) == 1:
                (name, messages), = errors.items()
                return Problem(item.line, item.columns.get(name, name), " ".join(messages))
            return Problem(item.line, "", "; ".join(
                f"{item.columns.get(name, name)}: {' '.join(messages)}"
                for name, messages in errors.items()))
        if isinstance(exc, DatabaseError):
            return Problem(item.line, "", _("the database refused this row (%(error)s)")
                           % {"error": first_line(exc)})
        return unexpected(item.line, exc)

    def _write(self, item: Incoming, case: Case | None, warn) -> str:
        incoming = item.build(warn)
        if case is None:  # save_case checks the data before it writes anything
            save_case(new_case_data(incoming, self.status), user=None, label=self.label,
                      action=AuditAction.IMPORT, external_id=item.external_id,
                      summary=_("Imported from %(source)s") % {"source": self.source})
            return "created"
        current = snapshot(case)
        if case.external_id != item.external_id:
            # Found by a merged duplicate's id: the kept case's own source keeps its words and
            # date (else two sources would take turns rewriting them); the rest merges.
            incoming = {**incoming, "title": current["title"], "summary": current["summary"],
                        "date": "", "year": None, "body": ""}
        clean = clean_case_data(merge(current, incoming, self.owns))
        if comparable(clean) == comparable(current):
            return "unchanged"
        save_case(clean, case=case, user=None, label=self.label, action=AuditAction.IMPORT,
                  summary=_("Updated from %(source)s") % {"source": self.source})
        return "updated"


def cases_with_external_ids(ids: Iterable[str]) -> QuerySet[Case]:
    """The cases with these external ids. The condition "not empty" repeats the one of the
    unique index on external_id (a partial index: editors' cases have none): SQLite and
    PostgreSQL seek in that index only when the query says so, and read every case otherwise."""
    return Case.objects.filter(external_id__in=list(ids)).exclude(external_id="").order_by()


def _first_line(batch: list[Incoming | Problem]) -> int | None:
    return next((item.line for item in batch if item.line), None)


def _last_line(batch: list[Incoming | Problem]) -> int | None:
    return next((item.line for item in reversed(batch) if item.line), None)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    actors = 0
    for item in items:
        weight = getattr(item, "actors", 0)
        if batch and actors + weight > MAX_ACTORS_PER_BATCH:
            yield batch
            batch, actors = [], 0
        batch.append(item)
        actors += weight
        if len(batch) >= size:
            yield batch
            batch, actors = [], 0
    if batch:
        yield batch

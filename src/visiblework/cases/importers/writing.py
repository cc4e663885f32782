"""Writing rows as cases: the import loop that every importer runs.

Rows are written in batches, each batch in a transaction with search indexing deferred to
its end. Every row is written whole or not at all: it runs in its own savepoint inside its
batch's transaction, so a row that fails half-way (a refused value, a database error) leaves no
actor, term, revision or audit entry behind. Problems are reported per row with the line
number and the column, never as a traceback.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from visiblework.core.audit import record
from visiblework.core.bulk import (
    MIN_ROWS,
    WriterTurns,
    commit_by,
    fewer_collections,
    rows_for_lock,
    shares_one_write_lock,
)
from visiblework.core.formats import join, number
from visiblework.core.models import AuditAction

from ..editing import (
    clean_case_data,
    create_cases,
    existing_terms,
    save_case,
    snapshot,
    snapshots,
    update_cases,
)
from ..external_ids import add_other_ids, cases_by_external_id
from ..indexing import deferred_indexing
from ..models import ActorAlias, Case, CaseStatus, Term
from .indexes import RowJournal
from .merge import Ownership, comparable, merge, new_case_data
from .problems import Problem, RowSkip, first_line, unexpected
from .text import shown

BATCH_SIZE = 500
# A batch also ends when its rows name this many actors: it bounds the lists of ids that the
# queries of a batch (its snapshots and search documents) pass as parameters.
MAX_ACTORS_PER_BATCH = 2000


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
    fingerprint: str = ""  # a digest of the row as read (see Importer `rules`)


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
    with search indexing deferred to its end, each row in a savepoint. On SQLite, whose one
    write lock a batch holds, batches are cut to hold it about LOCK_HOLD (and end at their
    commit_by time), and a pause once the lock was held that long lets a writer that waits
    for it (an editor) in (core.bulk)."""

    def __init__(self, *, label: str, source: str, owns: Ownership,
                 status: str = CaseStatus.PUBLISHED, batch_size: int = BATCH_SIZE,
                 dry_run: bool = False, indexes: Iterable[RowJournal] = (),
                 rules: str = "", fixed_taxonomies: Iterable[str] = ()):
        """`rules`: a digest of everything besides the row that decides what a row becomes
        (the mapping, the importer's version). With it, a row whose fingerprint, rules and
        vocabulary are those the case was last imported with, and whose case was not saved
        since, is counted unchanged without being read further (see Case.import_digest).
        `fixed_taxonomies`: the taxonomies whose terms the import may not add (their terms,
        and every actor alias, are the vocabulary)."""
        self.label = label  # who, in revisions and the audit log: "import aiid"
        self.source = source  # where from, in revision summaries
        self.owns = owns
        self.status = status
        self.batch_size = max(1, batch_size)
        self.dry_run = dry_run
        self.indexes = list(indexes)
        self.stats = ImportStats(dry_run=dry_run)
        self._seen: dict[str, int] = {}
        self._terms_known: set[tuple[str, str]] = set()
        self.rules = rules
        self.fixed_taxonomies = sorted(set(fixed_taxonomies))
        self._vocabulary = ""
        self._stamped: list[Case] = []
        # Changed cases of the batch under way, written together at its end (update_cases):
        # case id: (case, new data, snapshot before, import digest).
        self._updates: dict[int, tuple[Case, dict[str, Any], dict[str, Any], str]] = {}

    def run(self, items: Iterable[Incoming | Problem], *,
            setup: Callable[[], None] | None = None,
            progress: Callable[[int], None] | None = None,
            audit: dict[str, Any] | None = None) -> ImportStats:
        """Write every row; then (unless a dry run) one audit entry for the whole import.
        A dry run does all the work in a transaction and rolls it back; on SQLite, whose one
        write lock that transaction would hold from the first row to the last, each batch
        is its own transaction, rolled back at its end (see _preview_batch)."""
        started = time.monotonic()
        by_batch = self.dry_run and shares_one_write_lock()
        with (transaction.atomic() if self.dry_run and not by_batch else nullcontext(),
              fewer_collections()):
            if setup is not None and not by_batch:  # by batch: each batch runs it
                with transaction.atomic():
                    setup()
            if self.rules:
                self._vocabulary = vocabulary_state(self.fixed_taxonomies)
            next_line: int | None = None  # the first line of the batch under way, or after
            show = progress or (lambda n: None)
            try:
                size = [rows_for_lock(self.batch_size)]  # on SQLite: hold the lock briefly
                turns = WriterTurns()  # and pause for other writers now and then
                for chunk in _chunks(items, lambda: size[0]):
                    while chunk:  # a transaction that ran out of time leaves rows to the next
                        batch = chunk
                        next_line = _first_line(batch) or next_line
                        took = time.monotonic()
                        if by_batch:
                            chunk = self._preview_batch(batch, setup, show, commit_by())
                        else:
                            chunk = self._run_batch(batch, show, commit_by())
                        took = time.monotonic() - took
                        done = batch[:len(batch) - len(chunk)]
                        size[0] = rows_for_lock(self.batch_size, len(done), took)
                        turns.after(took)
                        last = _last_line(done)
                        next_line = last + 1 if last else next_line
            except KeyboardInterrupt:
                # Ctrl-C: the batch under way rolled back (its transaction ended with the
                # exception); the batches before it stay. A dry run keeps nothing anyway.
                if self.dry_run:
                    raise
                self.stats.interrupted = True
                self.stats.stopped_at = next_line
            self.stats.seconds = time.monotonic() - started
            if not self.dry_run:
                with transaction.atomic():
                    record(None, AuditAction.IMPORT, None, self._summary(),
                           {**(audit or {}), **self.stats.as_dict()}, label=self.label)
            elif not by_batch:
                transaction.set_rollback(True)
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

    def _run_batch(self, batch: list[Incoming | Problem], progress: Callable[[int], None],
                   deadline: float | None = None) -> list[Incoming | Problem]:
        """Write a batch: rows are read and checked one by one (each in a savepoint, so that a
        refused row leaves no actor or term behind), unchanged cases are told apart from
        one read of the batch's cases, and new cases are written together in bulk
        statements. Should the database refuse the bulk write, the batch is written again
        row by row, so that the message names the row it refused. Past `deadline` (see
        core.bulk.commit_by) the batch takes no more rows (once it has MIN_ROWS): they are
        returned, for the next transaction."""
        seen = dict(self._seen)
        try:
            counts, rest = self._write_batch(batch, progress, bulk=True, deadline=deadline)
        except DatabaseError:
            self._forget(seen)
            try:
                counts, rest = self._write_batch(batch, lambda n: None, bulk=False,
                                                 deadline=deadline)
            except DatabaseError as exc:
                self._forget(seen)
                for item in batch:
                    self.stats.add(item if isinstance(item, Problem) else Problem(item.line, "", _(
                        "not saved: the database refused this batch of rows (%(error)s)")
                        % {"error": first_line(exc)}))
                return []
        self.stats.created += counts.created
        self.stats.updated += counts.updated
        self.stats.unchanged += counts.unchanged
        for problem in counts.problems:
            self.stats.add(problem)
        return rest

    def _preview_batch(self, batch: list[Incoming | Problem], setup: Callable[[], None] | None,
                       progress: Callable[[int], None],
                       deadline: float | None) -> list[Incoming | Problem]:
        """A dry run's batch on SQLite: written (after the setup, which makes the import's
        taxonomies) and rolled back in its own transaction, so that the dry run holds the
        write lock no longer than the import's own batches do. What the caches learnt from
        the batch's writes is forgotten with them; the ids seen stay, as in the import. A batch
        does not see the actors and terms the batches before it added: it makes them again.
        The counts are the import's; only the cap on new terms (MAX_TERMS_PER_TAXONOMY) is
        counted per batch."""
        with transaction.atomic():
            if setup is not None:
                setup()
            rest = self._run_batch(batch, progress, deadline)
            transaction.set_rollback(True)
        self._forget(self._seen)
        return rest

    def _forget(self, seen: dict[str, int]) -> None:
        """After a batch rolled back: what the caches learnt in it is gone from the database."""
        self._seen = seen
        self._terms_known.clear()
        for index in self.indexes:
            index.reset()

    def _write_batch(self, batch: list[Incoming | Problem], progress: Callable[[int], None], *,
                     bulk: bool, deadline: float | None = None,
                     ) -> tuple[ImportStats, list[Incoming | Problem]]:
        counts = ImportStats()
        rest: list[Incoming | Problem] = []
        with transaction.atomic(), deferred_indexing():
            ids = [i.external_id for i in batch if isinstance(i, Incoming) and i.external_id]
            existing = cases_by_external_id(ids)
            same = {item.external_id for item in batch if isinstance(item, Incoming)
                    and item.external_id in existing
                    and existing[item.external_id].import_digest
                    and existing[item.external_id].import_digest == self._stamp(item)}
            current = snapshots([c for key, c in existing.items() if key not in same])
            new: list[tuple[Incoming, dict[str, Any], list[Problem]]] = []
            self._stamped = []
            self._updates = {}
            touched: set[int] = set()  # the cases rows of this batch found
            for n, item in enumerate(batch):
                if deadline is not None and n >= MIN_ROWS and time.monotonic() > deadline:
                    rest = batch[n:]
                    break
                if isinstance(item, Problem):
                    counts.add(item)
                else:
                    case = existing.get(item.external_id)
                    again = case is not None and case.pk in touched
                    if item.other_ids or again:
                        # merged ids: the new cases before it must exist; a case that a row
                        # before it found (by another id): that row's change is written first
                        self._create(new, counts)
                        self._update()
                    if case is not None and again:  # and read again, as that row left it
                        case.refresh_from_db()
                        current[case.pk] = snapshot(case)
                    self._run_row(item, case, current.get(case.pk) if case else None, counts,
                                  new if bulk and not item.other_ids else None,
                                  item.external_id in same)
                    if case is not None:
                        touched.add(case.pk)
                progress(1)
            self._create(new, counts)
            self._update()
            counts.problems.sort(key=lambda problem: problem.line)  # in the file's order
            if self._stamped:
                Case.objects.bulk_update(self._stamped, ["import_digest"], batch_size=500)
        return counts, rest

    def _create(self, new: list[tuple[Incoming, dict[str, Any], list[Problem]]],
                counts: ImportStats) -> None:
        """Write the new cases queued so far, in bulk, and empty the queue."""
        if not new:
            return
        create_cases([(data, item.external_id, self._stamp(item)) for item, data, _w in new],
                     summary=_("Imported from %(source)s") % {"source": self.source},
                     label=self.label, action=AuditAction.IMPORT)
        counts.created += len(new)
        for _item, _data, warnings in new:
            for warning in warnings:
                counts.add(warning)
        new.clear()

    def _update(self) -> None:
        """Write the changed cases queued so far, in bulk, and empty the queue."""
        if self._updates:
            update_cases(list(self._updates.values()), label=self.label,
                         action=AuditAction.IMPORT,
                         summary=_("Updated from %(source)s") % {"source": self.source})
            self._updates = {}

    def _stamp(self, item: Incoming) -> str:
        """What Case.import_digest says after this row was imported; "" when rows are not
        fingerprinted."""
        if not (self.rules and item.fingerprint):
            return ""
        return hashlib.blake2b("\x1f".join((self.rules, self._vocabulary, item.fingerprint))
                               .encode(), digest_size=16).hexdigest()

    def _mark(self, item: Incoming, case: Case) -> None:
        stamp = self._stamp(item)
        if stamp and case.import_digest != stamp:
            case.import_digest = stamp
            self._stamped.append(case)  # written without saving (which would forget it)

    def _run_row(self, item: Incoming, case: Case | None, current: dict[str, Any] | None,
                 counts: ImportStats,
                 new: list[tuple[Incoming, dict[str, Any], list[Problem]]] | None,
                 same: bool = False) -> None:
        """Read and check one row; write it, or (`new` given) queue a new case for the bulk
        write at the end of the batch. `same`: the row is the one this case was last
        imported from, and nothing changed since (see Importer)."""
        if item.external_id:
            first = self._seen.get(item.external_id)
            if first is not None:
                counts.add(Problem(item.line, item.columns.get("id", ""), _(
                    "the id %(id)s already appeared on line %(first)d; this row was left out")
                    % {"id": shown(item.external_id.split(":", 1)[-1]), "first": first}))
                return
            self._seen[item.external_id] = item.line
        if same:
            counts.unchanged += 1
            return
        warnings = list(item.warnings)

        def warn(column: str, message: str) -> None:
            warnings.append(Problem(item.line, column, message, skipped=False))

        # A case queued for the bulk write (new or changed) writes nothing itself unless it
        # makes an actor or a term: its savepoint is taken then (two statements fewer for
        # most rows).
        savepoint = RowSavepoint()
        for index in self.indexes:
            index.begin_row()
            index.before_write = savepoint.take
        if new is None:
            savepoint.take()
        try:
            outcome = self._write(item, case, current, warn, new)
            if (outcome != "queued" and item.other_ids
                    and add_other_ids(item.external_id, item.other_ids, warn,
                                      item.columns.get("id", ""))):
                outcome = "updated" if outcome == "unchanged" else outcome
        except Exception as exc:  # noqa: BLE001 - any failure leaves the row out, never half-written
            if isinstance(exc, DatabaseError) and new is not None:
                raise  # the bulk batch is written again row by row
            savepoint.rollback()
            for index in self.indexes:
                index.discard_row()
            self._terms_known.clear()
            counts.add(self._problem(item, exc))
            return
        savepoint.commit()
        if outcome == "queued":
            assert new is not None
            new[-1][2].extend(warnings)
            return
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        if case is not None:
            self._mark(item, case)
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

    def _known_terms(self, asked: dict[str, list[str]]) -> set[tuple[str, str]]:
        """editing.existing_terms, remembered for the run: rows name the same terms again
        and again. Forgotten when a row or a batch rolls back."""
        pairs = {(key, slug) for key, slugs in asked.items() for slug in slugs}
        missing = pairs - self._terms_known
        if missing:
            keys: dict[str, list[str]] = {}
            for key, slug in missing:
                keys.setdefault(key, []).append(slug)
            self._terms_known |= existing_terms(keys)
        return pairs & self._terms_known

    def _write(self, item: Incoming, case: Case | None, current: dict[str, Any] | None, warn,
               new: list[tuple[Incoming, dict[str, Any], list[Problem]]] | None) -> str:
        incoming = item.build(warn)
        if case is None:
            data = clean_case_data(new_case_data(incoming, self.status),
                                   known_terms=self._known_terms)
            if new is not None:
                new.append((item, data, []))
                return "queued"
            created = save_case(data, user=None, label=self.label, action=AuditAction.IMPORT,
                                external_id=item.external_id,
                                summary=_("Imported from %(source)s") % {"source": self.source})
            self._mark(item, created)
            return "created"
        if current is None:
            current = snapshot(case)
        if case.external_id != item.external_id:
            # Found by a merged duplicate's id: the kept case's own source keeps its words and
            # date (else two sources would take turns rewriting them); the rest merges.
            incoming = {**incoming, "title": current["title"], "summary": current["summary"],
                        "date": "", "year": None, "body": ""}
        merged = merge(current, incoming, self.owns)
        before = comparable(current)
        if comparable(merged) == before:  # the current data is clean: so would this be
            return "unchanged"
        clean = clean_case_data(merged, known_terms=self._known_terms)
        if comparable(clean) == before:
            return "unchanged"
        if new is not None:  # written with the batch's other changed cases, at its end
            case.import_digest = self._stamp(item)
            self._updates[case.pk] = (case, clean, current, case.import_digest)
            return "updated"
        save_case(clean, case=case, user=None, label=self.label, action=AuditAction.IMPORT,
                  summary=_("Updated from %(source)s") % {"source": self.source})
        return "updated"


class RowSavepoint:
    """The savepoint of one row, taken at most once, when the row first writes."""

    def __init__(self) -> None:
        self.sid: str | None = None

    def take(self) -> None:
        if self.sid is None:
            self.sid = transaction.savepoint()

    def commit(self) -> None:
        if self.sid is not None:
            transaction.savepoint_commit(self.sid)

    def rollback(self) -> None:
        if self.sid is not None:
            transaction.savepoint_rollback(self.sid)


def cases_with_external_ids(ids: Iterable[str]) -> QuerySet[Case]:
    """The cases with these external ids. The condition "not empty" repeats the one of the
    unique index on external_id (a partial index: editors' cases have none): SQLite and
    PostgreSQL seek in that index only when the query says so, and read every case otherwise."""
    return Case.objects.filter(external_id__in=list(ids)).exclude(external_id="").order_by()


def _first_line(batch: list[Incoming | Problem]) -> int | None:
    return next((item.line for item in batch if item.line), None)


def _last_line(batch: list[Incoming | Problem]) -> int | None:
    return next((item.line for item in reversed(batch) if item.line), None)


def _chunks(items: Iterable[Any], size: Callable[[], int]) -> Iterator[list[Any]]:
    """Batches of `size()` rows (asked again for each batch), fewer when their actors reach
    MAX_ACTORS_PER_BATCH."""
    batch: list[Any] = []
    actors = 0
    for item in items:
        weight = getattr(item, "actors", 0)
        if batch and actors + weight > MAX_ACTORS_PER_BATCH:
            yield batch
            batch, actors = [], 0
        batch.append(item)
        actors += weight
        if len(batch) >= size():
            yield batch
            batch, actors = [], 0
    if batch:
        yield batch


def vocabulary_state(taxonomies: Iterable[str]) -> str:
    """What outside the rows can change how rows are read, as a short text: how many actor
    aliases and terms of these taxonomies there are, and the highest id of each. Adding an
    alias or a term (or merging actors, which adds aliases) changes it, so rows are read
    again in full."""
    aliases = ActorAlias.objects.aggregate(n=Count("id"), top=Max("id"))
    terms = Term.objects.filter(taxonomy__key__in=list(taxonomies)).aggregate(
        n=Count("id"), top=Max("id"))
    return f"a{aliases['n']}.{aliases['top']}t{terms['n']}.{terms['top']}"


def fingerprint(cells: Iterable[str]) -> str:
    """A digest of a row's cells, as read from the file."""
    return hashlib.blake2b("\x1f".join(cells).encode(), digest_size=16).hexdigest()


def rules_digest(settings: str) -> str:
    """A digest of an import's settings (its mapping, say) and of the code that reads rows
    (every module of this package and the case editing rules): a new version of either reads
    every row again in full."""
    digest = hashlib.blake2b(settings.encode(), digest_size=16)
    for path in sorted([*Path(__file__).parent.glob("*.py"),
                        Path(__file__).parent.parent / "editing.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()

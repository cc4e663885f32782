"""`visiblework import aiid DIR` and `visiblework import csv FILE --mapping MAP.toml`.

See docs/importing.md. The module is called import.py because the command is `import`:
Django loads commands by name, so the keyword does not get in the way.
"""

from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from visiblework.cases.duplicates import find_duplicates_since
from visiblework.cases.importers import (
    BATCH_SIZE,
    AiidImport,
    CsvImport,
    ImportFileError,
    ImportStats,
    load_mapping,
)
from visiblework.core.formats import number

MAX_MESSAGES = 50


class Command(BaseCommand):
    help = ("Import cases: an AI Incident Database snapshot (import aiid DIR) or any spreadsheet "
            "of incidents saved as CSV (import csv FILE --mapping MAPPING.toml). Running an "
            "import again updates the cases it made instead of duplicating them.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{aiid,csv}",
                                    title=_("what to import"))
        aiid = sub.add_parser("aiid", help=_("an AI Incident Database snapshot folder"))
        aiid.add_argument("directory", help=_(
            "the folder with incidents.csv (and classifications_*.csv, duplicates.csv)"))
        aiid.add_argument("--limit", type=int, default=None,
                          help=_("import only the first N incidents"))
        spreadsheet = sub.add_parser("csv", help=_("a CSV file, through a mapping file"))
        spreadsheet.add_argument("file", help=_("the CSV file"))
        spreadsheet.add_argument("--mapping", required=True,
                                 help=_("the mapping file (TOML); see docs/importing.md"))
        spreadsheet.add_argument("--encoding", default=None, help=_(
            "the file's encoding (default: the mapping's, else guessed: UTF-8, then "
            "Windows-1252 / Latin-1)"))
        for p in (aiid, spreadsheet):
            p.add_argument("--dry-run", action="store_true", help=_(
                "read and check everything, write nothing"))
            p.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=_(
                "rows per transaction (default %(default)s)"))
            p.add_argument("--max-messages", type=int, default=MAX_MESSAGES, help=_(
                "how many row messages to print (default 50; 0 for all)"))
            p.add_argument("--no-duplicates", action="store_true", help=_(
                "do not look for possible duplicates of the imported cases afterwards "
                "(visiblework findduplicates does it later)"))

    def handle(self, *args, kind, dry_run=False, batch_size=BATCH_SIZE, max_messages=MAX_MESSAGES,
               no_duplicates=False, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1"))
        self._migrate()
        try:
            if kind == "aiid":
                if options.get("limit") is not None and options["limit"] < 0:
                    raise CommandError(_("--limit cannot be negative"))
                job = AiidImport(options["directory"], limit=options.get("limit"),
                                 dry_run=dry_run, batch_size=batch_size)
                what = _("AI Incident Database snapshot %(path)s") % {"path": options["directory"]}
            else:
                mapping = load_mapping(options["mapping"], strict=False)
                job = CsvImport(options["file"], mapping, dry_run=dry_run,
                                encoding=options.get("encoding"), batch_size=batch_size)
                what = _("%(file)s (%(encoding)s) as %(name)s") % {
                    "file": options["file"], "encoding": job.table.encoding, "name": mapping.name}
            self.stdout.write(ngettext("Importing %(what)s: %(rows)d row",
                                       "Importing %(what)s: %(rows)d rows", job.total)
                              % {"what": what, "rows": job.total})
            for note in job.notes:
                self.stdout.write(f"  {note}")
            started = timezone.now()
            stats = self._run(job)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if stats.interrupted:
            raise CommandError(self._stopped(stats))
        self._report(stats, max_messages)
        for note in getattr(job, "closing_notes", list)():
            self.stdout.write(note)
        if stats.dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        elif (stats.created or stats.updated) and not no_duplicates:
            self._duplicates(started)

    def _duplicates(self, since) -> None:
        """Look for possible duplicates of the cases the import wrote, and say how many."""
        try:
            found = find_duplicates_since(since)
        except DatabaseError as exc:
            self.stdout.write(_("Could not look for possible duplicates (%(error)s): run "
                                "visiblework findduplicates.")
                              % {"error": str(exc).strip().splitlines()[0] if str(exc).strip()
                                 else type(exc).__name__})
            return
        pairs = found.same_source + found.similar_title
        if not pairs:
            self.stdout.write(_("Possible duplicates: none found among the imported cases."))
            return
        self.stdout.write(ngettext(
            "Possible duplicates: %(pairs)s pair of cases (%(new)s new), for editors to merge "
            "or dismiss at %(url)s",
            "Possible duplicates: %(pairs)s pairs of cases (%(new)s new), for editors to merge "
            "or dismiss at %(url)s", pairs)
            % {"pairs": number(pairs), "new": number(found.new),
               "url": reverse("review:duplicates")})

    def _migrate(self) -> None:
        """A data folder whose database is not (fully) migrated is migrated first; one that
        cannot be opened or migrated stops the import with a message, not a traceback."""
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise CommandError(_("Cannot open the database: %(error)s")
                               % {"error": str(exc).strip().splitlines()[0] if str(exc).strip()
                                  else type(exc).__name__}) from None
        if not pending:
            return
        self.stdout.write(_("The database is not up to date: migrating it first (visiblework "
                            "migrate)."))
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except (DatabaseError, CommandError) as exc:
            raise CommandError(_("The database could not be migrated (%(error)s); run "
                                 "visiblework migrate and read its messages.")
                               % {"error": str(exc).strip().splitlines()[0] if str(exc).strip()
                                  else type(exc).__name__}) from None

    def _stopped(self, stats: ImportStats) -> str:
        """The one line an interrupted import ends with."""
        written = stats.created + stats.updated + stats.unchanged
        counts = _("%(written)s rows written (%(created)s created, %(updated)s updated, "
                   "%(unchanged)s unchanged), %(skipped)s skipped") % {
            "written": number(written), "created": number(stats.created),
            "updated": number(stats.updated), "unchanged": number(stats.unchanged),
            "skipped": number(stats.skipped)}
        where = (_("Stopped at line %(line)s") % {"line": number(stats.stopped_at)}
                 if stats.stopped_at else _("Stopped"))
        return _("%(where)s: %(counts)s; the rows from that line on were not written. Run the same "
                 "command again to finish.") % {"where": where, "counts": counts}

    def _run(self, job) -> ImportStats:
        console = Console(stderr=True)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console,
                      disable=not console.is_terminal) as progress:
            task = progress.add_task(_("Importing"), total=job.total)
            return job.run(progress=lambda n: progress.advance(task, n))

    def _report(self, stats: ImportStats, max_messages: int) -> None:
        table = Table(show_header=True, header_style="bold")
        table.add_column(_("rows"))
        table.add_column(_("count"), justify="right")
        # the table's rows say what became of the file's rows: "rows | created | 8"
        for label, value in [(pgettext("import summary: rows", "created"), stats.created),
                             (pgettext("import summary: rows", "updated"), stats.updated),
                             (pgettext("import summary: rows", "unchanged"), stats.unchanged),
                             (pgettext("import summary: rows", "skipped"), stats.skipped),
                             (_("warnings"), stats.warnings)]:
            table.add_row(label, number(value))
        table.add_row(_("rows per second"), number(stats.rows_per_second))
        buffer = io.StringIO()
        Console(file=buffer, width=60, color_system=None, highlight=False).print(table)
        self.stdout.write(buffer.getvalue().rstrip("\n"))
        skipped = [p for p in stats.problems if p.skipped]
        warnings = [p for p in stats.problems if not p.skipped]
        self._messages(skipped, _("Rows skipped"), _("skipped"), max_messages)
        self._messages(warnings, _("Values left out (the rows were kept)"), _("warning"),
                       max_messages)

    def _messages(self, problems, title: str, prefix: str, max_messages: int) -> None:
        """A kind of message: how many per column first, then the first `max_messages`."""
        if not problems:
            return
        by_column = Counter(p.column or _("(whole row)") for p in problems)
        self.stdout.write(_("%(title)s: %(n)s, by column: %(columns)s") % {
            "title": title, "n": number(len(problems)),
            "columns": ", ".join(f"{column} {number(n)}" for column, n in by_column.most_common(10))})
        shown = problems if max_messages <= 0 else problems[:max_messages]
        for problem in shown:
            self.stdout.write(f"  {prefix}: {problem}")
        if len(problems) > len(shown):
            more = len(problems) - len(shown)
            self.stdout.write(ngettext("  … and %(n)d more message (see --max-messages)",
                                       "  … and %(n)d more messages (see --max-messages)", more)
                              % {"n": more})

"""`visiblework refdata load DIR`: load exchange rates, PPP factors and countries.
`visiblework refdata snapshot DIR`: make the compact snapshot shipped in the package from the
same public files (refdata/packaged.py).

See docs/wages-and-reference-data.md and refdata/loader.py for the sources and licences
(World Bank WDI, CC BY 4.0; datasets/country-codes, PDDL).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext

from visiblework.core.formats import join, number
from visiblework.refdata.loader import LoadStats, RefdataError, load_refdata
from visiblework.refdata.packaged import SNAPSHOT_DIR, generate


class Command(BaseCommand):
    help = gettext_lazy(
        "Reference data. `refdata load DIR` loads the World Bank exchange rates and PPP factors "
        "(WDI PA.NUS.FCRF, PA.NUS.PPP; CC BY 4.0), the income classification (OGHIST) and the "
        "country codes (datasets/country-codes; PDDL) from the files in DIR. Running it again "
        "updates the tables in place. `refdata snapshot DIR` makes the compact snapshot that "
        "the package ships (and `migrate` loads) from the same files.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "snapshot"],
                            help=gettext_lazy("what to do: load, or snapshot"))
        parser.add_argument("directory", help=gettext_lazy(
            "the folder with wdi_pa.nus.fcrf.csv, wdi_pa.nus.ppp.csv, country-codes*.csv and "
            "the OGHIST income history"))
        parser.add_argument("--no-progress", action="store_true",
                            help=gettext_lazy("do not show a progress bar"))
        parser.add_argument("--out", default=str(SNAPSHOT_DIR), help=gettext_lazy(
            "snapshot: the folder to write (default: the package's refdata/snapshot)"))
        parser.add_argument("--date", help=gettext_lazy(
            "snapshot: the date it was made, YYYY-MM-DD (default: today)"))

    def handle(self, *args, action: str, directory: str, no_progress: bool = False,
               out: str = str(SNAPSHOT_DIR), date: str | None = None, **options):
        if action == "snapshot":
            self._snapshot(directory, out, date)
            return
        try:
            stats = load_refdata(Path(directory), progress=False if no_progress else None)
        except RefdataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Reference data loaded from %(dir)s (snapshot %(digest)s)") % {
            "dir": directory, "digest": stats.digest[:12]})
        self._counts(stats)

    def _snapshot(self, directory: str, out: str, made_on: str | None) -> None:
        try:
            day = _parse_date(made_on) if made_on else timezone.localdate()
        except ValueError:
            raise CommandError(_("--date must be a date written YYYY-MM-DD, not %(value)r") % {
                "value": made_on}) from None
        try:
            snapshot = generate(Path(directory), Path(out), made_on=day)
        except RefdataError as exc:
            raise CommandError(str(exc)) from None
        size = sum((Path(out) / name).stat().st_size for name in snapshot.files)
        self.stdout.write(_("Snapshot %(version)s of %(date)s written to %(dir)s: %(files)s, "
                            "%(size)s bytes") % {
            "version": snapshot.version, "date": snapshot.made_on.isoformat(), "dir": out,
            "files": join([ngettext("%(name)s (%(rows)s row)", "%(name)s (%(rows)s rows)",
                                    info["rows"]) % {"name": name, "rows": number(info["rows"])}
                           for name, info in snapshot.files.items()]),
            "size": number(size)})

    def _counts(self, stats: LoadStats) -> None:
        for name, table in stats.tables.items():
            counts = [
                npgettext("rows of a table", "%(n)s created", "%(n)s created", table.created),
                npgettext("rows of a table", "%(n)s updated", "%(n)s updated", table.updated),
                npgettext("rows of a table", "%(n)s unchanged", "%(n)s unchanged",
                          table.unchanged),
                npgettext("rows of a table", "%(n)s removed", "%(n)s removed", table.deleted),
            ]
            values = (table.created, table.updated, table.unchanged, table.deleted)
            self.stdout.write(f"  {name}: " + join([text % {"n": number(n)}
                                                    for text, n in zip(counts, values, strict=True)]))
        for reason, rows in sorted(stats.skipped.items()):
            self.stdout.write(ngettext("  skipped %(rows)s row: %(reason)s",
                                       "  skipped %(rows)s rows: %(reason)s", rows) % {
                "rows": number(rows), "reason": reason})


def _parse_date(text: str) -> date:
    return date.fromisoformat(text.strip())

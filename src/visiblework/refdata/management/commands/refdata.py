"""`visiblework refdata load DIR`: load exchange rates, PPP factors and countries.

See docs/wages-and-reference-data.md and refdata/loader.py for the sources and licences
(World Bank WDI, CC BY 4.0; datasets/country-codes, PDDL).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext

from visiblework.core.formats import join, number
from visiblework.refdata.loader import RefdataError, load_refdata


class Command(BaseCommand):
    help = gettext_lazy(
        "Reference data. `refdata load DIR` loads the World Bank exchange rates and PPP factors "
        "(WDI PA.NUS.FCRF, PA.NUS.PPP; CC BY 4.0), the income classification (OGHIST) and the "
        "country codes (datasets/country-codes; PDDL) from the files in DIR. Running it again "
        "updates the tables in place.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"], help=gettext_lazy("what to do: load"))
        parser.add_argument("directory", help=gettext_lazy(
            "the folder with wdi_pa.nus.fcrf.csv, wdi_pa.nus.ppp.csv, country-codes*.csv and "
            "the OGHIST income history"))
        parser.add_argument("--no-progress", action="store_true",
                            help=gettext_lazy("do not show a progress bar"))

    def handle(self, *args, action: str, directory: str, no_progress: bool = False, **options):
        try:
            stats = load_refdata(Path(directory), progress=False if no_progress else None)
        except RefdataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Reference data loaded from %(dir)s (snapshot %(digest)s)") % {
            "dir": directory, "digest": stats.digest[:12]})
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

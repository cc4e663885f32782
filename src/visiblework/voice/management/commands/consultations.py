from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.voice import consultations


class Command(BaseCommand):
    help = ("visiblework consultations close: close the consultations whose last day has "
            "passed and publish their results (once). Run it daily, e.g. from cron.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["close"])

    def handle(self, *args, action, **options):
        closed = consultations.close_due()
        self.stdout.write(ngettext("%(n)s consultation closed.", "%(n)s consultations closed.",
                                   len(closed)) % {"n": len(closed)})
        for c in closed:
            if c.results and c.results.get("suppressed"):
                self.stdout.write(_("%(slug)s: results withheld (too few voters).")
                                  % {"slug": c.slug})
            else:
                self.stdout.write(_("%(slug)s: results published.") % {"slug": c.slug})

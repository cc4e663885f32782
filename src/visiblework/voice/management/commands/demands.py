from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from visiblework.voice import demands


class Command(BaseCommand):
    help = ("visiblework demands refresh: publish each open demand's noisy count of supporters "
            "(OpenDP), at most once a day per demand; run it daily (cron or a timer).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh"])

    def handle(self, *args, action, **options):
        result = demands.refresh_counts()
        self.stdout.write(_("Demands counted: %(n)d; counts published: %(p)d.")
                          % {"n": result.refreshed, "p": result.published})

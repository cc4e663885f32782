from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.cases.seed import SEED_FILE, SeedError, load_seed
from visiblework.core.formats import number


class Command(BaseCommand):
    help = "Load (or update) the seed cases written from the founding documents."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_FILE))

    def handle(self, *args, file, **options):
        try:
            stats = load_seed(file)
        except (SeedError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        cases = ngettext("%(n)s case", "%(n)s cases", stats.cases) % {"n": number(stats.cases)}
        actors = ngettext("%(n)s actor", "%(n)s actors", stats.actors) % {
            "n": number(stats.actors)}
        self.stdout.write(_("Loaded %(cases)s and %(actors)s.") % {"cases": cases, "actors": actors})

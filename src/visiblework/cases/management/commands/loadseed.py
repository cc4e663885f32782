from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from visiblework.cases.seed import SEED_FILE, SeedError, load_seed


class Command(BaseCommand):
    help = "Load (or update) the seed cases written from the founding documents."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_FILE))

    def handle(self, *args, file, **options):
        try:
            stats = load_seed(file)
        except (SeedError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Loaded %(cases)d cases and %(actors)d actors.")
                          % {"cases": stats.cases, "actors": stats.actors})

from django.core.management.base import BaseCommand

from visiblework.cases.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text search documents of every case."

    def handle(self, *args, **options):
        self.stdout.write(f"{reindex_all()} cases reindexed.")

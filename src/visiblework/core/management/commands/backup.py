import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from visiblework.core import backup


class Command(BaseCommand):
    @property
    def help(self):  # translated when asked, in the active language
        return _(
            "Write a consistent backup of the database to FILE while the server keeps running: "
            "SQLite's online backup on SQLite, pg_dump --format=custom on PostgreSQL. The file "
            "holds raw worker reports: keep it as private as the database.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=_("where to write the backup"))

    def handle(self, *args, file, verbosity, **options):
        settings_dict = connections["default"].settings_dict
        try:
            target = backup.check_target(Path(file))
            vendor = backup.vendor_of(settings_dict)
            if vendor == "sqlite":
                db_path = backup.sqlite_path(settings_dict)
                with backup.ProgressDisplay(sys.stderr, enabled=verbosity >= 1) as display:
                    result = backup.backup_sqlite(db_path, target, display.task(_("Backing up")))
            else:
                result = backup.backup_postgres(settings_dict, target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(
                _("Backed up the %(vendor)s database to %(path)s (%(size)s, %(seconds).1f s).")
                % {"vendor": backup.VENDOR_NAMES[vendor], "path": result.path,
                   "size": backup.human_size(result.size), "seconds": result.seconds}))
            self.stdout.write(_("It holds raw worker reports: store it as privately as the "
                                "database. Keep the SECRET_KEY (or the data folder's secret_key "
                                "file) with it."))

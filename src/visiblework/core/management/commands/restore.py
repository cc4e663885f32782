import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from visiblework.core import backup


class Command(BaseCommand):
    @property
    def help(self):  # translated when asked, in the active language
        return _(
            "Replace everything in the database with the contents of a backup made by "
            "`visiblework backup`. Stop the server first. All or nothing: a restore that fails "
            "leaves the database as it was.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=_("the backup to restore"))
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help=_("do not ask for confirmation"))

    def handle(self, *args, file, interactive, verbosity, **options):
        settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
        source = Path(file)
        try:
            vendor = backup.vendor_of(settings_dict)
            backup.check_backup_file(source.expanduser().absolute(), vendor)
            where = (str(backup.sqlite_path(settings_dict)) if vendor == "sqlite"
                     else settings_dict.get("NAME", ""))
            if interactive and not self._confirmed(source, where):
                raise CommandError(_("Restore cancelled; nothing was changed."))
            connections.close_all()  # no open transaction of ours in the way
            if vendor == "sqlite":
                with backup.ProgressDisplay(sys.stderr, enabled=verbosity >= 1) as display:
                    result = backup.restore_sqlite(
                        source, backup.sqlite_path(settings_dict),
                        progress=display.task(_("Restoring")),
                        checking=display.task(_("Checking the backup")))
            else:
                result = backup.restore_postgres(settings_dict, source)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(
                _("Restored the %(vendor)s database %(where)s from %(path)s (%(seconds).1f s).")
                % {"vendor": backup.VENDOR_NAMES[vendor], "where": where, "path": source,
                   "seconds": result.seconds}))
            if self._pending_migrations():
                self.stdout.write(self.style.WARNING(
                    _("The backup is from an older version: run `visiblework migrate` before "
                      "starting the server.")))

    def _confirmed(self, source: Path, where: str) -> bool:
        self.stdout.write(_("This replaces everything in the database %(where)s with the "
                            "contents of %(path)s. Stop the server first: whatever it stored "
                            "after the backup was made will be lost.")
                          % {"where": where, "path": source})
        # "yes" always works, whatever the language; so does the word for it in the reader's
        # language, which the prompt asks for ("oui", "sí", "ndiyo", "نعم").
        word = pgettext("the word to type to confirm a restore", "yes")
        try:
            answer = input(_("Type '%(yes)s' to continue: ") % {"yes": word})
        except EOFError:  # no one to ask: run with --no-input in scripts
            return False
        return answer.strip().lower() in {"yes", word.strip().lower()}

    def _pending_migrations(self) -> bool:
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            executor = MigrationExecutor(connection)
            return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        finally:
            connection.close()

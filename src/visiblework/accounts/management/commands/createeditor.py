import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from visiblework.accounts.services import create_editor


class Command(BaseCommand):
    help = "Create an editor (or, with --admin, an administrator) who can sign in to /admin/."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--admin", action="store_true", help="make a superuser")
        parser.add_argument(
            "--password-env",
            default="VISIBLEWORK_PASSWORD",
            help="environment variable holding the password (asked for when unset)",
        )

    def handle(self, *args, username, admin, password_env, **options):
        password = os.environ.get(password_env)
        if not password:
            password = getpass.getpass(_("Password: "))
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user = create_editor(username, password, admin=admin)
        self.stdout.write(_("Editor %(name)s can now sign in at /admin/.") % {"name": user.username})

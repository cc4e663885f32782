import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.accounts.models import User
from visiblework.accounts.services import create_editor
from visiblework.cases.models import Actor
from visiblework.cases.seed import load_seed
from visiblework.core.formats import number
from visiblework.insights import releases, scorecards
from visiblework.insights.models import Scorecard
from visiblework.reports.demo import PLATFORMS as DEMO_PLATFORMS
from visiblework.reports.demo import make_demo_reports
from visiblework.site.server import serve
from visiblework.voice.demo import seed_voice

DEMO_EDITOR = "demo-editor"


class Command(BaseCommand):
    help = ("Set up a demo on this machine (data folder, database, seed content) and serve it. "
            "Safe to run again: it reuses what is there.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="set up only; do not serve")

    def handle(self, *args, port, host, no_serve, **options):
        self.stdout.write(_("Data folder: %(path)s") % {"path": settings.HOME})
        call_command("migrate", interactive=False, verbosity=0)
        stats = load_seed()
        cases = ngettext("%(n)s case", "%(n)s cases", stats.cases) % {"n": number(stats.cases)}
        actors = ngettext("%(n)s actor", "%(n)s actors", stats.actors) % {
            "n": number(stats.actors)}
        self.stdout.write(_("Seed content: %(cases)s, %(actors)s.") % {"cases": cases,
                                                                       "actors": actors})
        self._demo_release()
        for line in seed_voice():
            self.stdout.write(line)
        password = self._demo_editor_password()
        if not no_serve:
            url = f"http://{host}:{port}/"
            self.stdout.write(_("Visible Work is running at %(url)s") % {"url": url})
            self.stdout.write(_("Editors sign in at %(url)sadmin/ as %(user)s with password %(pw)s")
                              % {"url": url, "user": DEMO_EDITOR, "pw": password})
            self.stdout.write(_("Press Ctrl+C to stop."))
            self.stdout.flush()
            serve(f"{host}:{port}", workers=2)

    def _demo_release(self) -> None:
        """Synthetic, clearly labelled reports and a published release built on them, so that
        every insights page shows real charts on a fresh install."""

        made = make_demo_reports()
        if made:
            self.stdout.write(_("Synthetic demo reports: %(n)s.") % {"n": number(made)})
        if releases.latest_release() is None:
            release = releases.build_release("demo", epsilon=1.0, delta=1e-6, k=5)
            releases.publish(release)
            self.stdout.write(_("Published the demo release."))
        release = releases.latest_release()
        if release is not None and not Scorecard.objects.exists():
            filled = [a for a in Actor.objects.filter(slug__in=[p[0] for p in DEMO_PLATFORMS])
                      if scorecards.fill_from_release(a, release) is not None]
            self.stdout.write(_("Scorecards from the demo release: %(n)s.") % {
                "n": number(len(filled))})

    def _demo_editor_password(self) -> str:
        """A demo editor with a generated password kept in the data folder (0600)."""
        path = settings.HOME / "demo-editor-password"
        if path.exists() and User.objects.filter(username=DEMO_EDITOR).exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        create_editor(DEMO_EDITOR, password)
        path.write_text(password)
        path.chmod(0o600)
        return password

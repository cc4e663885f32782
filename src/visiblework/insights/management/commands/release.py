import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.core import jobs
from visiblework.core.formats import number
from visiblework.insights import releases
from visiblework.insights.models import Release

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("visiblework release build [--label L] [--epsilon E] [--delta D] [--k K] "
            "[--publish] [--job ID]; visiblework release publish LABEL; visiblework release list")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build", "publish", "list"])
        parser.add_argument("target", nargs="?", help="the label, for publish")
        parser.add_argument("--label")
        parser.add_argument("--epsilon", type=float, default=1.0)
        parser.add_argument("--delta", type=float, default=1e-6)
        parser.add_argument("--k", type=int, default=5)
        parser.add_argument("--publish", action="store_true", help="publish right after building")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--job", type=int, help="the job (started from /review/releases/) "
                            "to write the progress and the outcome to")

    def handle(self, *args, action, target, label, epsilon, delta, k, publish, no_progress,
               job=None, **options):
        if action == "list":
            for r in Release.objects.all()[:100]:
                left_out = "" if r.workers_excluded_budget is None else r.workers_excluded_budget
                self.stdout.write(f"{r.label}\t{r.status}\tε={r.epsilon}\tδ={r.delta:g}\tk={r.k}"
                                  f"\t{r.built_on}\tleft out={left_out}")
            return
        if action == "publish":
            release = Release.objects.filter(label=target or label).first()
            if release is None:
                raise CommandError(_("No release has the label %(l)s.") % {"l": target or label})
            self._publish(release)
            return
        label = label or timezone.now().strftime("%Y-%m-%d")
        if job is not None:
            release = self._build_for_job(job, label, epsilon, delta, k)
        else:
            try:
                release = self._build(label, epsilon, delta, k, progress=not no_progress)
            except releases.ReleaseError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(self._built(release))
        if release.workers_excluded_budget:
            self.stdout.write(ngettext(
                "%(n)s worker left out: this release would have taken them past their lifetime "
                "privacy budget (ε = %(epsilon)s, δ = %(delta)s). Keep this number private.",
                "%(n)s workers left out: this release would have taken them past their lifetime "
                "privacy budget (ε = %(epsilon)s, δ = %(delta)s). Keep this number private.",
                release.workers_excluded_budget) % {
                "n": number(release.workers_excluded_budget),
                "epsilon": release.worker_epsilon_budget, "delta": release.worker_delta_budget})
        else:
            self.stdout.write(_("No worker left out: nobody's lifetime privacy budget was used "
                                "up."))
        loss = releases.running_privacy_loss()
        self.stdout.write(ngettext(
            "Privacy loss per worker over %(builds)s build: at most ε = %(epsilon)s, "
            "δ = %(delta)s.",
            "Privacy loss per worker over all %(builds)s builds: at most ε = %(epsilon)s, "
            "δ = %(delta)s.", loss.builds) % {
            "builds": number(loss.builds), "epsilon": f"{loss.epsilon:.2f}",
            "delta": f"{loss.delta:g}"})
        if publish:
            self._publish(release)
        else:
            self.stdout.write(_("It is a preview. Publish it with: visiblework release publish "
                                "%(label)s") % {"label": release.label})

    def _build(self, label, epsilon, delta, k, *, progress: bool):
        if not progress:
            return releases.build_release(label, epsilon=epsilon, delta=delta, k=k)
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(_("Building release"), total=None)

            def step(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return releases.build_release(label, epsilon=epsilon, delta=delta, k=k,
                                          progress=step)

    @staticmethod
    def _built(release: Release) -> str:
        published = release.cells.filter(suppressed=False).count()
        total = release.cells.count()
        workers = ngettext("%(n)s worker", "%(n)s workers", release.workers_noisy) % {
            "n": number(release.workers_noisy)}
        return ngettext(
            "Built release %(label)s: %(published)s of %(total)s cell published; %(workers)s "
            "(noisy).",
            "Built release %(label)s: %(published)s of %(total)s cells published; %(workers)s "
            "(noisy).", total) % {
            "label": release.label, "published": number(published), "total": number(total),
            "workers": workers}

    def _build_for_job(self, job_id: int, label, epsilon, delta, k) -> Release:
        """Build for a job started from a page: its progress and its outcome go to the job,
        and a failure of any kind leaves the job failed with a message for the editor."""
        job = jobs.started(job_id)
        if job is None:
            raise CommandError(_("Job %(id)s is not waiting to run.") % {"id": job_id})
        try:
            release = releases.build_release(label, epsilon=epsilon, delta=delta, k=k,
                                             user=job.started_by,
                                             progress=jobs.reporter(job_id))
            built = self._built(release)
        except releases.ReleaseError as exc:
            jobs.fail(job_id, str(exc))
            raise CommandError(str(exc)) from None
        except Exception:
            # Logged through the configured (redacting) handlers, to VISIBLEWORK_HOME/jobs.log.
            logger.exception("release build of job %s failed", job_id)
            message = _("The build failed unexpectedly; the server's jobs.log says why.")
            jobs.fail(job_id, message)
            raise CommandError(message) from None
        jobs.finish(job_id, result=release.label, message=built)
        self.stdout.write(built)
        return release

    def _publish(self, release):
        try:
            releases.publish(release)
        except releases.ReleaseError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Published release %(label)s.") % {"label": release.label})

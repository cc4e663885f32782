"""`visiblework findduplicates [--job ID]`: store the possible duplicate cases for editors."""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from visiblework.cases.duplicates import FindStats, find_duplicates
from visiblework.core import jobs

logger = logging.getLogger(__name__)


def _summary(stats: FindStats) -> str:
    return _("%(same)d pairs cite the same source, %(similar)d have like titles; %(new)d of "
             "them are new suggestions.") % {"same": stats.same_source,
                                             "similar": stats.similar_title, "new": stats.new}


class Command(BaseCommand):
    help = ("Look for possible duplicate cases (the same source address, or like titles a year "
            "or less apart) and store them for editors at /review/duplicates/.")

    def add_arguments(self, parser):
        parser.add_argument("--job", type=int, help="the job (started from /review/duplicates/) "
                            "to write the outcome to")

    def handle(self, *args, job=None, **options):
        if job is None:
            self.stdout.write(_summary(find_duplicates()))
            return
        if jobs.started(job) is None:
            raise CommandError(_("Job %(id)s is not waiting to run.") % {"id": job})
        try:
            stats = find_duplicates()
        except Exception:
            # Logged through the configured handlers, to VISIBLEWORK_HOME/jobs.log.
            logger.exception("the search for duplicates of job %s failed", job)
            jobs.fail(job, _("The search failed unexpectedly; the server's jobs.log says why."))
            raise
        jobs.finish(job, result=str(stats.new), message=_summary(stats))

"""Release builds as jobs. A build reads every report in its window and takes tens of seconds
and more than a gigabyte at scale, so a page never runs one inside its request: it starts
`visiblework release build --job=<id>` in a process of its own (core.jobs), which writes its
progress and its outcome to the job. One build at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from visiblework.core import jobs
from visiblework.core.audit import record
from visiblework.core.models import AuditAction, Job

from . import releases

if TYPE_CHECKING:
    from visiblework.accounts.models import User

KIND = "release-build"


def start_build(label: str, *, epsilon: float, delta: float, k: int, user: User | None) -> Job:
    """Check the parameters, create the job and its audit entry together, then start its
    process. ReleaseError if the parameters are refused or a build is already running."""
    label = releases.check_build(label, epsilon=epsilon, delta=delta, k=k)
    with transaction.atomic():
        try:
            job = jobs.create(KIND, f"{label} (ε = {epsilon:g}, δ = {delta:g}, k = {k})", user)
        except jobs.JobBusy as busy:
            raise releases.ReleaseError(_(
                "A release is already being built (%(summary)s). Start this one when it has "
                "finished.") % {"summary": busy.job.summary}) from None
        record(user, AuditAction.CREATE, job, f"release {label} build started",
               {"label": label, "epsilon": epsilon, "delta": delta, "k": k})
    args = ["release", "build", f"--label={label}", f"--epsilon={epsilon!r}",
            f"--delta={delta!r}", f"--k={k}", "--no-progress"]
    # The process reads the job's row: start it once the row is committed.
    transaction.on_commit(lambda: jobs.launch(job, args))  # jobs.launch looked up when it runs
    return job


def recent_builds(limit: int = 10) -> list[Job]:
    return jobs.recent(KIND, limit)


def running(build_jobs: list[Job]) -> bool:
    """Whether one of these jobs is still working (a lost one is not)."""
    return any(job.active and not job.lost for job in build_jobs)

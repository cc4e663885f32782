"""Long jobs, run outside the web request.

A page creates the job (`create`, in the transaction that records it in the audit log), then
starts its command in a detached process (`launch`): `visiblework <command> --job=<id>`. The
command reports through `started`, `reporter` (progress), `finish` and `fail`. A job still
waiting or running whose process is gone is *lost*: pages show it as stopped, and the next
`create` of its kind marks it failed. One job of each kind runs at a time (a constraint on
the table, see models.Job).

Every write from the command is conditional on the job still being active, so a page that
marks a job lost can never overwrite the state its process wrote a moment before.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import ACTIVE_STATES, Job, JobState

LOG_FILE = "jobs.log"  # in VISIBLEWORK_HOME: what the jobs' processes write to stderr
PROGRESS_EVERY = 1.0  # seconds between two progress writes

logger = logging.getLogger(__name__)
_children: list[subprocess.Popen[bytes]] = []
_children_lock = threading.Lock()


class JobBusy(Exception):
    """A job of this kind is still waiting or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(job.summary)
        self.job = job


def _host() -> str:
    return socket.gethostname()[:255]


def _user_id(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    """The account's id, None for nobody (a command) or a visitor: core knows no user model."""
    return user.pk if isinstance(user, AbstractBaseUser) else None


# --- Starting ----------------------------------------------------------------------------------


def create(kind: str, summary: str, user: AbstractBaseUser | AnonymousUser | None) -> Job:
    """A new job, waiting to start. Raises JobBusy while another job of its kind is active;
    a lost one is marked failed first. Call inside the transaction that records it."""
    for job in Job.objects.filter(kind=kind, state__in=ACTIVE_STATES):
        if not is_lost(job):
            raise JobBusy(job)
        _mark_lost(job)
    try:
        with transaction.atomic():
            return Job.objects.create(kind=kind, summary=summary[:200],
                                      started_by_id=_user_id(user))
    except IntegrityError:  # another request created one between our check and our insert
        busy = Job.objects.filter(kind=kind, state__in=ACTIVE_STATES).first()
        raise JobBusy(busy or Job(kind=kind, summary=summary)) from None


def launch(job: Job, args: list[str]) -> None:
    """Start `visiblework <args> --job=<id>` in a process of its own session, which outlives
    the request: no shell, and nothing secret in `args` (any account can read a process's
    arguments). Its output is discarded, its errors appended to VISIBLEWORK_HOME/jobs.log.
    Call once the job's row is committed: the process reads it. If the command cannot be
    run, the job is marked failed."""
    argv = [sys.executable, "-m", "visiblework.cli", *args, f"--job={job.pk}"]
    log_path = Path(settings.HOME) / LOG_FILE
    try:
        log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            # Our own interpreter and command; the arguments were checked by the caller and
            # are passed as a list, never through a shell.
            child = subprocess.Popen(  # noqa: S603
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=log_fd, start_new_session=True, close_fds=True,
                env={**os.environ, "VISIBLEWORK_HOME": str(settings.HOME)})
        finally:
            os.close(log_fd)
    except OSError:
        logger.exception("job %s could not be started", job.pk)
        fail(job.pk, _("The job could not be started: the server could not run its command."))
        return
    with _children_lock:
        _children.append(child)
    Job.objects.filter(pk=job.pk, pid__isnull=True).update(pid=child.pid, host=_host())


# --- Reporting, from the job's own process -----------------------------------------------------


def started(job_id: int) -> Job | None:
    """Mark the job running in this process; None if it is not waiting to run."""
    if not Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.RUNNING, pid=os.getpid(), host=_host()):
        return None
    return Job.objects.select_related("started_by").get(pk=job_id)


def reporter(job_id: int, *, every: float = PROGRESS_EVERY) -> Callable[[int, int], None]:
    """A progress callback `(done, total)` that writes to the job at most once per `every`
    seconds, and always the first and the last step."""
    last: list[float] = [float("-inf")]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < every and 0 < done < total:
            return
        last[0] = now
        Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(done=max(done, 0),
                                                                     total=max(total, 0))

    return report


def finish(job_id: int, *, result: str = "", message: str = "") -> bool:
    return bool(Job.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(
        state=JobState.DONE, result=result[:200], message=message[:500],
        finished_on=date.today()))


def fail(job_id: int, message: str) -> bool:
    return bool(Job.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(
        state=JobState.FAILED, message=message[:500], finished_on=date.today()))


# --- Watching ----------------------------------------------------------------------------------


def process_alive(pid: int) -> bool:
    """Whether a process of this machine is still working (an ended process that its parent
    has not yet reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):  # no /proc (not Linux): os.kill is all we can know
        return True
    return state not in ("Z", "X")


def _reap() -> None:
    """Collect the exit status of the jobs this process started, so none stays a zombie."""
    with _children_lock:
        _children[:] = [child for child in _children if child.poll() is None]


def is_lost(job: Job) -> bool:
    """Active, but its process is gone (or it was never started, and not today)."""
    if not job.active:
        return False
    if job.pid is None:
        return job.created_on < date.today()
    if job.host != _host():
        return False  # another machine's process: nothing here can tell
    _reap()
    return not process_alive(job.pid)


def _mark_lost(job: Job) -> None:
    fail(job.pk, _("The job stopped without finishing: its process is gone."))


def recent(kind: str, limit: int = 10) -> list[Job]:
    """The latest jobs of a kind, each with `lost` set."""
    found = list(Job.objects.filter(kind=kind).select_related("started_by")[:limit])
    for job in found:
        job.lost = is_lost(job)
    return found

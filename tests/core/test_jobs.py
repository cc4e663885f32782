"""Jobs: one of a kind at a time, progress and outcome written by the job's process, and a job
whose process is gone told apart from one still working."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from visiblework.core import jobs
from visiblework.core.models import Job, JobState


def ended_pid() -> int:
    """The id of a process that has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def running_job(kind: str = "test", pid: int | None = None) -> Job:
    job = jobs.create(kind, "a test job", None)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, pid=pid, host=jobs._host())
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_it_refuses_a_second_job_of_a_kind_while_one_is_active(editor_user):
    first = jobs.create("test", "first", editor_user)
    Job.objects.filter(pk=first.pk).update(pid=os.getpid(), host=jobs._host())
    with pytest.raises(jobs.JobBusy) as refused:
        jobs.create("test", "second", editor_user)
    assert refused.value.job.pk == first.pk
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_two_active_jobs_of_a_kind_even_past_the_check():
    Job.objects.create(kind="test", summary="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test", summary="second")


@pytest.mark.django_db
def test_a_job_of_another_kind_may_run_at_the_same_time():
    jobs.create("test", "first", None)
    assert jobs.create("other", "second", None).state == JobState.QUEUED


@pytest.mark.django_db
def test_a_job_whose_process_is_gone_is_lost_and_no_longer_blocks_its_kind():
    lost = running_job(pid=ended_pid())
    assert jobs.is_lost(lost)
    assert [j.lost for j in jobs.recent("test")] == [True]
    new = jobs.create("test", "again", None)
    lost.refresh_from_db()
    assert lost.state == JobState.FAILED and "process is gone" in lost.message
    assert new.state == JobState.QUEUED


@pytest.mark.django_db
def test_a_job_whose_process_runs_is_not_lost():
    assert not jobs.is_lost(running_job(pid=os.getpid()))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.django_db
def test_a_process_that_ended_but_was_not_reaped_counts_as_gone():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    for _ in range(100):  # until it has exited (a zombie: nobody has waited for it yet)
        if Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.05)
    try:
        assert not jobs.process_alive(child.pid)
    finally:
        child.wait()


@pytest.mark.django_db
def test_a_job_of_another_machine_is_never_judged_lost_here():
    job = running_job(pid=ended_pid())
    job.host = "another-machine"
    assert not jobs.is_lost(job)


@pytest.mark.django_db
def test_a_job_never_started_is_lost_only_after_the_day_it_was_created():
    job = jobs.create("test", "never started", None)
    assert not jobs.is_lost(job)
    Job.objects.filter(pk=job.pk).update(created_on=date.today() - timedelta(days=1))
    job.refresh_from_db()
    assert jobs.is_lost(job)


@pytest.mark.django_db
def test_the_process_reports_its_progress_and_its_outcome():
    job = jobs.create("test", "a job", None)
    assert jobs.started(job.pk).state == JobState.RUNNING
    report = jobs.reporter(job.pk)
    report(0, 4)
    report(4, 4)
    job.refresh_from_db()
    assert (job.done, job.total) == (4, 4)
    assert jobs.finish(job.pk, result="r1", message="Built.")
    job.refresh_from_db()
    assert (job.state, job.result, job.message, job.finished_on) == (
        JobState.DONE, "r1", "Built.", date.today())


@pytest.mark.django_db
def test_progress_is_written_at_most_once_a_second_but_always_the_last_step():
    job = jobs.create("test", "a job", None)
    jobs.started(job.pk)
    report = jobs.reporter(job.pk, every=3600)
    report(0, 10)
    report(5, 10)
    job.refresh_from_db()
    assert job.done == 0
    report(10, 10)
    job.refresh_from_db()
    assert job.done == 10


@pytest.mark.django_db
def test_a_job_cannot_be_started_twice():
    job = jobs.create("test", "a job", None)
    assert jobs.started(job.pk) is not None
    assert jobs.started(job.pk) is None


@pytest.mark.django_db
def test_marking_a_job_lost_never_overwrites_the_outcome_its_process_wrote():
    job = running_job(pid=ended_pid())
    jobs.finish(job.pk, result="r1")
    assert not jobs.fail(job.pk, "lost")
    job.refresh_from_db()
    assert job.state == JobState.DONE


@pytest.mark.django_db
def test_a_job_is_launched_as_our_command_in_its_own_session_without_a_shell(monkeypatch,
                                                                              settings,
                                                                              tmp_path):
    settings.HOME = tmp_path
    seen = {}

    class FakePopen:
        pid = 4321

        def __init__(self, argv, **kwargs):
            seen.update(argv=argv, **kwargs)

        def poll(self):
            return None

    monkeypatch.setattr(jobs.subprocess, "Popen", FakePopen)
    job = jobs.create("test", "a job", None)
    jobs.launch(job, ["release", "build", "--label=r1"])
    assert seen["argv"] == [sys.executable, "-m", "visiblework.cli", "release", "build",
                            "--label=r1", f"--job={job.pk}"]
    assert seen["start_new_session"] is True and not seen.get("shell")
    assert seen["stdout"] == subprocess.DEVNULL
    assert (tmp_path / "jobs.log").exists()
    job.refresh_from_db()
    assert (job.pid, job.host) == (4321, jobs._host())


@pytest.mark.django_db
def test_a_job_whose_command_cannot_run_is_marked_failed(monkeypatch, settings, tmp_path):
    settings.HOME = tmp_path

    def refuse(*args, **kwargs):
        raise OSError("no such interpreter")

    monkeypatch.setattr(jobs.subprocess, "Popen", refuse)
    job = jobs.create("test", "a job", None)
    jobs.launch(job, ["release", "build"])
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message

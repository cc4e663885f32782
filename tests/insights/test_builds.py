"""Starting a release build as a job: checked first, recorded in the audit log with its job,
one at a time, and run by `visiblework release build --job=<id>`."""

import pytest

from visiblework.core.models import AuditEntry, Job, JobState
from visiblework.insights import builds, releases
from visiblework.insights.models import Release


@pytest.mark.django_db
def test_starting_a_build_creates_its_job_and_audit_entry_and_starts_the_command(
        catalogue, editor_user, jobs_run_here, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = builds.start_build("b1", epsilon=1.0, delta=1e-6, k=2, user=editor_user)
    assert jobs_run_here == [["release", "build", "--label=b1", "--epsilon=1.0",
                              "--delta=1e-06", "--k=2", "--no-progress"]]
    entry = AuditEntry.objects.get(object_type="core.job")
    assert entry.object_id == str(job.pk) and entry.user == editor_user
    assert entry.data == {"label": "b1", "epsilon": 1.0, "delta": 1e-6, "k": 2}
    job.refresh_from_db()
    assert job.state == JobState.DONE and Release.objects.filter(label="b1").exists()


@pytest.mark.django_db
def test_the_command_starts_only_once_the_job_is_committed(catalogue, editor_user,
                                                          jobs_run_here):
    builds.start_build("b1", epsilon=1.0, delta=1e-6, k=2, user=editor_user)
    assert jobs_run_here == []  # the test's transaction is still open


@pytest.mark.django_db
def test_it_refuses_parameters_before_starting_any_job(catalogue, editor_user, jobs_run_here):
    with pytest.raises(releases.ReleaseError):
        builds.start_build("b1", epsilon=0, delta=1e-6, k=2, user=editor_user)
    with pytest.raises(releases.ReleaseError):
        builds.start_build("not a slug", epsilon=1.0, delta=1e-6, k=2, user=editor_user)
    assert not Job.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_second_build_while_one_runs(catalogue, editor_user):
    import os

    first = builds.start_build("b1", epsilon=1.0, delta=1e-6, k=2, user=editor_user)
    Job.objects.filter(pk=first.pk).update(state=JobState.RUNNING, pid=os.getpid(),
                                           host=builds.jobs._host())
    with pytest.raises(releases.ReleaseError, match="already being built"):
        builds.start_build("b2", epsilon=1.0, delta=1e-6, k=2, user=editor_user)
    assert Job.objects.count() == 1 and AuditEntry.objects.count() == 1


SCRIPT = """
import json, os, time, django
django.setup()
from visiblework.core.models import Job
from visiblework.insights import builds
from visiblework.insights.models import Release
from visiblework.reports.demo import make_demo_reports
make_demo_reports(n=200, seed=1)
job = builds.start_build("own-process", epsilon=1.0, delta=1e-6, k=2, user=None)
deadline = time.monotonic() + 180
while job.state in ("queued", "running") and time.monotonic() < deadline:
    time.sleep(0.2)
    job.refresh_from_db()
print(json.dumps({"state": job.state, "done": job.done, "total": job.total,
                  "result": job.result, "message": job.message,
                  "own_process": job.pid not in (None, os.getpid()),
                  "release": Release.objects.filter(label="own-process").exists()}))
"""


def test_a_build_runs_in_a_process_of_its_own_and_reports_to_its_job(tmp_path):
    """The real thing, on a database file both processes share (not the tests' in-memory
    one): the request's side starts the build and returns; the build's process does the rest."""
    import json
    import os
    import subprocess
    import sys

    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env.update(VISIBLEWORK_HOME=str(tmp_path / "var"),
               DJANGO_SETTINGS_MODULE="visiblework.settings")
    subprocess.run([sys.executable, "-m", "visiblework.cli", "migrate", "-v0"], env=env,
                   cwd=tmp_path, check=True, timeout=300)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, check=True,
                          timeout=300, capture_output=True, text=True)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["state"] == "done", (outcome, (tmp_path / "var" / "jobs.log").read_text())
    assert outcome["own_process"] and outcome["release"] and outcome["result"] == "own-process"
    assert outcome["done"] == outcome["total"] > 0
    assert outcome["message"].startswith("Built release own-process:")

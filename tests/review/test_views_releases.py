"""The editors' release screens: a build starts as a job outside the request, and the page
shows its progress; publishing a preview."""

import os

import pytest
from django.urls import reverse

from visiblework.core import jobs
from visiblework.core.models import AuditEntry, Job, JobState
from visiblework.insights.models import Release

BUILD = {"label": "q4", "epsilon": "1.0", "delta": "0.000001", "k": "2"}


def running_build(done: int = 3, total: int = 8, pid: int | None = None) -> Job:
    job = jobs.create("release-build", "q3 (ε = 1, δ = 1e-06, k = 2)", None)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=done, total=total,
                                         pid=pid or os.getpid(), host=jobs._host())
    return job


def ended_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.django_db
def test_an_editor_starts_a_build_that_runs_as_a_job(catalogue, editor, jobs_run_here,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post("/review/releases/", BUILD)
    assert response.status_code == 302 and response["Location"] == "/review/releases/?follow=1"
    assert len(jobs_run_here) == 1
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.result == "q4"
    assert AuditEntry.objects.filter(object_type="core.job", object_id=str(job.pk)).exists()
    html = editor.get("/review/releases/").content.decode()
    assert "Built release q4" in html and 'href="/releases/q4/"' in html


@pytest.mark.django_db
def test_the_page_shows_a_running_build_with_its_progress(catalogue, editor):
    running_build(done=3, total=8)
    html = editor.get("/review/releases/").content.decode()
    assert '<progress value="3" max="8"' in html and "3 of 8 steps" in html
    assert "running" in html


@pytest.mark.django_db
def test_the_page_refreshes_itself_while_the_build_it_follows_runs(catalogue, editor):
    running_build()
    assert 'http-equiv="refresh"' in editor.get("/review/releases/?follow=1").content.decode()


@pytest.mark.django_db
def test_the_page_refreshes_itself_only_when_asked_to_follow(catalogue, editor):
    running_build()
    html = editor.get("/review/releases/").content.decode()
    assert 'http-equiv="refresh"' not in html and "/review/releases/?follow=1" in html


@pytest.mark.django_db
def test_the_page_stops_refreshing_when_no_build_runs(catalogue, editor):
    job = running_build()
    jobs.finish(job.pk, result="q3")
    assert 'http-equiv="refresh"' not in editor.get(
        "/review/releases/?follow=1").content.decode()


@pytest.mark.django_db
def test_a_build_whose_process_is_gone_is_shown_stopped_and_not_followed(catalogue, editor):
    running_build(pid=ended_pid())
    html = editor.get("/review/releases/?follow=1").content.decode()
    assert "stopped without finishing" in html and 'http-equiv="refresh"' not in html


@pytest.mark.django_db
def test_it_refuses_a_second_build_while_one_runs(catalogue, editor, jobs_run_here,
                                                  django_capture_on_commit_callbacks):
    running_build()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post("/review/releases/", BUILD)
    assert response.status_code == 400
    assert "A release is already being built" in response.content.decode()
    assert jobs_run_here == [] and Job.objects.count() == 1


@pytest.mark.django_db
def test_it_shows_a_mistyped_number_by_its_field_and_starts_nothing(catalogue, editor,
                                                                    jobs_run_here):
    response = editor.post("/review/releases/", {**BUILD, "epsilon": "one"})
    assert response.status_code == 400
    assert 'id="id_epsilon_error"' in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_an_editor_publishes_a_preview(catalogue, editor):
    from tests.insights.test_pages import make_release

    make_release("draft", published=False)
    response = editor.post(reverse("review:release-publish", args=["draft"]))
    assert response.status_code == 302 and response["Location"] == "/releases/draft/"
    assert Release.objects.get(label="draft").status == "published"

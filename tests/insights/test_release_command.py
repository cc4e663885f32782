"""`visiblework release build|publish|list` on real reports, with the OpenDP engine."""

import pytest
from django.core.management import CommandError, call_command

from visiblework.insights.models import Release
from visiblework.reports.demo import make_demo_reports


@pytest.mark.django_db
def test_the_release_command_builds_a_preview_and_publishes_it(catalogue, capsys):
    make_demo_reports(n=3000, seed=3)
    call_command("release", "build", "--label", "test-1", "--epsilon", "2", "--k", "5",
                 "--no-progress")
    release = Release.objects.get(label="test-1")
    assert release.status == "preview" and release.synthetic_reports == 3000
    assert release.cells.filter(suppressed=False).exists()
    out = capsys.readouterr().out
    assert "It is a preview" in out
    assert "No worker left out" in out
    assert "Privacy loss per worker over 1 build: at most ε = 2.00, δ = 1e-06." in out
    call_command("release", "publish", "test-1")
    assert Release.objects.get(label="test-1").status == "published"
    with pytest.raises(CommandError):
        call_command("release", "publish", "test-1")
    with pytest.raises(CommandError):
        call_command("release", "build", "--label", "test-1", "--no-progress")
    call_command("release", "list")
    assert "test-1" in capsys.readouterr().out


@pytest.mark.django_db
def test_withdrawn_reports_are_left_out_of_later_releases(catalogue):
    from visiblework.insights.releases import report_frame
    from visiblework.reports.models import Report

    make_demo_reports(n=200, seed=4)
    first = Report.objects.order_by("id").first()
    first.status = "withdrawn"
    first.save()
    frame = report_frame(first.received_month)
    assert frame.height == 199
    assert -first.pk not in set(frame["worker"].to_list())


@pytest.mark.django_db
def test_the_release_frame_holds_each_report_as_the_engine_expects(catalogue):
    from decimal import Decimal

    from visiblework.insights.releases import report_frame
    from visiblework.reports.models import RATING_FIELDS, Report

    make_demo_reports(n=60, seed=5)
    cutoff = max(Report.objects.values_list("received_month", flat=True))
    frame = report_frame(cutoff)
    reports = list(Report.objects.select_related("platform", "client").order_by("id"))
    assert frame.height == len(reports)
    assert any(r.harmful_content for r in reports) and any(not r.harmful_content for r in reports)
    for report, row in zip(reports, frame.iter_rows(named=True), strict=True):  # by report id
        assert row["worker"] == (report.worker_id if report.worker_id else -report.pk)
        hours = report.paid_hours + report.unpaid_hours_total
        assert row["hours"] == pytest.approx(float(hours))
        assert row["platform"] == (report.platform.slug if report.platform else "")
        assert row["client"] == (report.client.slug if report.client else "")
        assert row["period"] == f"{report.year}-Q{report.quarter}"
        assert row["harmful"] is bool(report.harmful_content)
        assert row["late_or_missing"] is (report.payment_problems in ("late", "missing", "both"))
        for name in RATING_FIELDS:
            assert row[name] == getattr(report, name)
        if report.effective_hourly_usd is not None:
            assert row["net_pay_usd"] == pytest.approx(
                float(report.effective_hourly_usd * Decimal(hours)))


@pytest.mark.django_db
def test_the_release_command_says_how_many_workers_it_left_out(catalogue, capsys, settings):
    settings.VISIBLEWORK_WORKER_EPSILON_BUDGET = 3.0
    make_demo_reports(n=30, seed=6)
    call_command("release", "build", "--label", "first", "--epsilon", "2", "--no-progress")
    call_command("release", "build", "--label", "second", "--epsilon", "2", "--no-progress")
    out = capsys.readouterr().out
    assert "30 workers left out: this release would have taken them past their lifetime " \
        "privacy budget (ε = 3.0, δ = 1e-05)" in out
    call_command("release", "list")
    assert "left out=30" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_release_command_with_a_job_writes_its_progress_and_marks_it_done(catalogue,
                                                                             editor_user):
    from visiblework.core import jobs
    from visiblework.core.models import JobState

    make_demo_reports(n=300, seed=7)
    job = jobs.create("release-build", "job-1", editor_user)
    call_command("release", "build", "--label=job-1", "--k=2", f"--job={job.pk}")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.finished_on is not None
    assert job.total > 2 and job.done == job.total
    assert job.result == "job-1" and job.message.startswith("Built release job-1:")
    assert Release.objects.get(label="job-1").built_by == editor_user


@pytest.mark.django_db
def test_a_build_that_is_refused_marks_its_job_failed_with_the_reason(catalogue):
    from visiblework.core import jobs
    from visiblework.core.models import JobState

    job = jobs.create("release-build", "bad", None)
    with pytest.raises(CommandError):
        call_command("release", "build", "--label=bad", "--k=1", f"--job={job.pk}")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == "k must be at least 2."


@pytest.mark.django_db
def test_a_build_that_crashes_marks_its_job_failed_without_its_error_text(catalogue,
                                                                          monkeypatch):
    from visiblework.core import jobs
    from visiblework.core.models import JobState
    from visiblework.insights import releases

    def crash(*args, **kwargs):
        raise RuntimeError("out of memory near report 12345")

    monkeypatch.setattr(releases, "build_release", crash)
    job = jobs.create("release-build", "crash", None)
    with pytest.raises(CommandError):
        call_command("release", "build", "--label=crash", f"--job={job.pk}")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_on is not None
    assert "failed unexpectedly" in job.message and "12345" not in job.message


@pytest.mark.django_db
def test_the_release_command_refuses_a_job_that_is_not_waiting(catalogue):
    from visiblework.core import jobs

    job = jobs.create("release-build", "twice", None)
    jobs.fail(job.pk, "stopped")
    with pytest.raises(CommandError):
        call_command("release", "build", "--label=twice", f"--job={job.pk}")
    assert not Release.objects.filter(label="twice").exists()


@pytest.mark.django_db
def test_reading_the_reports_in_small_chunks_gives_the_same_frame_as_reading_them_at_once(
        catalogue):
    from visiblework.insights.releases import report_frame
    from visiblework.reports.models import Report

    make_demo_reports(n=120, seed=6)
    cutoff = max(Report.objects.values_list("received_month", flat=True))
    at_once = report_frame(cutoff, chunk=1000)
    assert report_frame(cutoff, chunk=7).equals(at_once)
    assert at_once.height == 120


@pytest.mark.django_db
def test_only_the_reports_of_the_release_window_are_read_when_it_is_given(catalogue):
    from visiblework.insights.releases import report_frame
    from visiblework.reports.models import Report

    make_demo_reports(n=120, seed=7)
    cutoff = max(Report.objects.values_list("received_month", flat=True))
    report = Report.objects.order_by("id").first()
    period = f"{report.year}-Q{report.quarter}"
    frame = report_frame(cutoff, periods=[period])
    assert set(frame["period"].cast(str).to_list()) == {period}
    assert frame.height == Report.objects.filter(year=report.year, quarter=report.quarter).count()

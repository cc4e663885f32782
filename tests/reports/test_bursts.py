"""Bursts of anonymous reports about one organisation and country are marked for editors,
and their words wait until an editor says they looked."""

import datetime

import pytest
from django.utils import timezone

from visiblework.reports import bursts
from visiblework.reports.models import BurstCount, Report

from .test_reports import REPORT, post


@pytest.fixture
def burst_of_six(catalogue, anonymous, settings):
    settings.VISIBLEWORK_BURST_REPORTS = 5
    for i in range(6):
        post(anonymous, {**REPORT, "free_text": f"burst words {i}"})
    return Report.objects.order_by("pk")


@pytest.mark.django_db
def test_reports_under_the_burst_limit_are_not_marked(catalogue, anonymous, settings):
    settings.VISIBLEWORK_BURST_REPORTS = 5
    for _ in range(5):
        post(anonymous, REPORT)
    assert not Report.objects.filter(burst=True).exists()


@pytest.mark.django_db
def test_the_report_past_the_limit_and_those_before_it_are_marked_as_a_burst(burst_of_six):
    assert [r.burst for r in burst_of_six] == [True] * 6


@pytest.mark.django_db
def test_reports_from_a_worker_account_are_not_counted_in_bursts(catalogue, worker, settings):
    settings.VISIBLEWORK_BURST_REPORTS = 2
    for _ in range(4):
        post(worker, REPORT)
    assert not Report.objects.filter(burst=True).exists()


@pytest.mark.django_db
def test_another_country_is_another_burst(catalogue, anonymous, settings):
    settings.VISIBLEWORK_BURST_REPORTS = 2
    for country, currency in (("KE", "KES"), ("KE", "KES"), ("NG", "NGN"), ("NG", "NGN")):
        post(anonymous, {**REPORT, "country": country, "currency": currency})
    assert not Report.objects.filter(burst=True).exists()


@pytest.mark.django_db
def test_the_review_queue_marks_bursts_and_filters_them(burst_of_six, editor):
    html = editor.get("/review/reports/?status=pending&burst=1").content.decode()
    assert html.count("Sent in a burst") == 6


@pytest.mark.django_db
def test_the_words_of_a_burst_report_are_not_published_until_the_editor_confirms(burst_of_six,
                                                                                 editor):
    report = burst_of_six.first()
    editor.post(f"/review/reports/{report.pk}/text/", {"decision": "published"})
    report.refresh_from_db()
    assert report.status == "pending"
    editor.post(f"/review/reports/{report.pk}/text/", {"decision": "published",
                                                       "burst_checked": "1"})
    report.refresh_from_db()
    assert report.status == "published"



NEW_PLATFORM = {**REPORT, "platform": "Unknown Platform Zq", "client": None}


def _earlier_count(days_ago: int, count: int) -> None:
    report = Report(platform_name=NEW_PLATFORM["platform"], country=NEW_PLATFORM["country"])
    for key in bursts._keys(report):
        BurstCount.objects.create(key=key, count=count,
                                  day=timezone.now().date() - datetime.timedelta(days=days_ago))


@pytest.mark.django_db
def test_reports_of_the_previous_day_count_towards_a_burst(catalogue, anonymous, settings):
    settings.VISIBLEWORK_BURST_REPORTS = 5
    _earlier_count(1, 5)
    post(anonymous, NEW_PLATFORM)
    assert Report.objects.get().burst


@pytest.mark.django_db
def test_counts_older_than_yesterday_are_deleted_and_do_not_count(catalogue, anonymous,
                                                                  settings, monkeypatch):
    settings.VISIBLEWORK_BURST_REPORTS = 5
    monkeypatch.setattr(bursts, "_purged_on", None)
    _earlier_count(2, 50)
    post(anonymous, NEW_PLATFORM)
    assert not Report.objects.get().burst
    assert not BurstCount.objects.filter(day__lt=timezone.now().date()).exists()


@pytest.mark.django_db
def test_older_pending_reports_outside_the_burst_are_not_marked(catalogue, anonymous, settings):
    settings.VISIBLEWORK_BURST_REPORTS = 5
    post(anonymous, {**REPORT, "free_text": "an older, real report"})
    BurstCount.objects.all().delete()  # it came days ago: its count is gone
    for i in range(6):
        post(anonymous, {**REPORT, "free_text": f"burst words {i}"})
    assert not Report.objects.get(free_text="an older, real report").burst
    assert Report.objects.filter(burst=True).count() == 6

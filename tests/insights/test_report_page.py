"""After sending a report, a worker sees what workers doing the same work earn in each region,
from the latest published release (never from report rows), beside their own true wage."""

import pytest

from .test_platform_figures import platform_release

REPORT = {"idempotency_key": "k1", "platform": "Sama", "task_type": "text_annotation",
          "country": "KE", "year": "2026", "quarter": "2", "pay_amount": "10",
          "currency": "USD", "pay_basis": "per_hour", "paid_hours": "3"}


def section(response) -> str:
    page = response.content.decode()
    start = page.index('class="vw-same-work"')
    return page[start:page.index("</section>", start)]


@pytest.mark.django_db
def test_the_result_page_gives_the_release_median_for_the_same_work_in_the_global_north(
        catalogue, anonymous):
    platform_release()
    response = anonymous.post("/reports/new/", REPORT)
    assert response.status_code == 201
    shown = section(response)
    assert "Workers doing text annotation in the Global North: median true hourly wage " \
           "<strong>US$7.75</strong>" in shown
    assert "Your true wage is at or above this median." in shown  # US$10 an hour


@pytest.mark.django_db
def test_the_result_page_says_too_few_workers_where_the_release_suppressed_the_cell(
        catalogue, anonymous):
    platform_release()
    shown = section(anonymous.post("/reports/new/", REPORT))
    assert "Workers doing text annotation in the Global South: too few workers have " \
           "reported yet" in shown


@pytest.mark.django_db
def test_the_result_page_figures_do_not_move_with_the_reports_sent(catalogue, anonymous):
    platform_release()
    first = section(anonymous.post("/reports/new/", REPORT))
    second = section(anonymous.post("/reports/new/", {**REPORT, "idempotency_key": "k2",
                                                      "pay_amount": "900"}))
    assert first.replace("at or above", "") == second.replace("at or above", "")


@pytest.mark.django_db
def test_without_a_release_the_result_page_says_none_is_published(catalogue, anonymous):
    shown = section(anonymous.post("/reports/new/", REPORT))
    assert "No statistics are published yet" in shown


@pytest.mark.django_db
def test_the_workers_own_report_page_shows_the_same_work_figures_of_the_latest_release(
        catalogue, anonymous):
    from visiblework.reports.models import Report

    platform_release()
    anonymous.post("/reports/new/", REPORT)
    report = Report.objects.get()
    shown = section(anonymous.get(f"/reports/{report.public_id}/"))
    assert "median true hourly wage <strong>US$7.75</strong>" in shown

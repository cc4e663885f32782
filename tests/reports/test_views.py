"""The author's pages: opened on this device until the browser closes, and forgettable."""

import pytest

from visiblework.reports.models import Report

from .test_reports import REPORT, post


@pytest.mark.django_db
def test_an_anonymous_reporters_access_ends_with_the_browser(catalogue, anonymous):
    response = anonymous.post("/reports/new/", {
        "idempotency_key": "k1", "platform": "Sama", "task_type": "text_annotation",
        "country": "KE", "year": "2023", "quarter": "3", "pay_amount": "10",
        "currency": "USD", "pay_basis": "per_hour", "paid_hours": "3"})
    assert response.status_code == 201
    assert anonymous.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_forgetting_a_report_on_this_device_closes_its_page_but_keeps_the_report(
        catalogue, anonymous, anonymous_other):
    receipt = post(anonymous, REPORT).json()["receipt"]
    report = Report.objects.get()
    anonymous_other.post("/reports/receipt/", {"receipt": receipt})
    assert anonymous_other.get(f"/reports/{report.public_id}/").status_code == 200
    assert anonymous_other.post(f"/reports/{report.public_id}/forget/").status_code == 302
    assert anonymous_other.get(f"/reports/{report.public_id}/").status_code == 404
    assert Report.objects.filter(pk=report.pk, status="pending").exists()


@pytest.mark.django_db
def test_the_authors_page_is_addressed_by_the_public_id_not_the_primary_key(catalogue,
                                                                            anonymous):
    receipt = post(anonymous, REPORT).json()["receipt"]
    anonymous.post("/reports/receipt/", {"receipt": receipt})
    report = Report.objects.get()
    assert anonymous.get(f"/reports/{report.pk}/").status_code == 404
    page = anonymous.get(f"/reports/{report.public_id}/").content.decode()
    assert f"/reports/{report.public_id}/edit/" in page

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


@pytest.mark.django_db
def test_withdrawing_without_ticking_the_confirmation_withdraws_nothing(catalogue, anonymous):
    receipt = post(anonymous, REPORT).json()["receipt"]
    report = Report.objects.get()
    anonymous.post("/reports/receipt/", {"receipt": receipt})
    response = anonymous.post(f"/reports/{report.public_id}/withdraw/")
    assert response.status_code == 400
    assert "Nothing was withdrawn: tick the box to confirm first." in response.content.decode()
    report.refresh_from_db()
    assert report.status == "pending" and report.free_text == "We read terrible things."


@pytest.mark.django_db
def test_the_report_page_asks_to_confirm_a_withdrawal_with_a_required_box(catalogue, anonymous):
    receipt = post(anonymous, REPORT).json()["receipt"]
    anonymous.post("/reports/receipt/", {"receipt": receipt})
    html = anonymous.get(f"/reports/{Report.objects.get().public_id}/").content.decode()
    assert ('<input type="checkbox" id="withdraw-confirm" name="confirm" value="yes" required'
            in html)
    assert '<label for="withdraw-confirm">Yes, I want to withdraw this report</label>' in html


@pytest.mark.django_db
def test_the_receipt_has_a_copy_button_only_with_the_script(catalogue, anonymous):
    response = anonymous.post("/reports/new/", {
        "idempotency_key": "k1", "platform": "Sama", "task_type": "text_annotation",
        "country": "KE", "year": "2023", "quarter": "3", "pay_amount": "10",
        "currency": "USD", "pay_basis": "per_hour", "paid_hours": "3"})
    html = response.content.decode()
    assert 'data-copy="Copy" data-copied="Copied"' in html  # the script makes the button
    assert '<script src="/static/vw/enhance.js" defer></script>' in html
    assert "<button" not in html.split('id="receipt-title"')[1].split("</section>")[0]

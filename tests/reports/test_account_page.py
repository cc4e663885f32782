"""What the reports floor adds to a worker's own page: their reports and wage over time."""

import pytest

from visiblework.accounts import workers
from visiblework.reports.models import Report

from .test_reports import REPORT, post


@pytest.mark.django_db
def test_a_worker_account_collects_reports_and_shows_the_wage_over_time(catalogue, anonymous):
    page = anonymous.get("/accounts/signup/").content.decode()
    handle = page.split('id="handle" type="text" readonly value="')[1].split('"')[0]
    response = anonymous.post("/accounts/signup/", {"password": "a long passphrase 42",
                                                    "password2": "a long passphrase 42"})
    assert response.status_code == 201
    html = response.content.decode()
    assert handle in html and html.count("<code>") == workers.RECOVERY_CODES
    for quarter, amount in ((1, "5000"), (2, "7391.37")):
        post(anonymous, {**REPORT, "quarter": quarter, "pay_amount": amount})
    me = anonymous.get("/accounts/me/").content.decode()
    assert "<svg" in me and "Q1 2023" in me and "Q2 2023" in me and "147.83" in me
    assert Report.objects.filter(worker__username=handle).count() == 2

"""reports.services: the messages of the period, numbers with thousands separators (one check
for the form and the API) and receipt codes however they are typed."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.reports.test_reports import REPORT, form_data, post
from visiblework.reports import services
from visiblework.reports.models import Report


def problems(data: dict) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.clean_report(data)
    return caught.value.message_dict


@pytest.mark.django_db
def test_a_valid_year_without_a_quarter_is_told_only_about_the_quarter(catalogue):
    found = problems({**REPORT, "quarter": ""})
    assert "year" not in found
    assert found["quarter"] == ["Choose the months you did the work in: January–March, "
                                "April–June, July–September or October–December (quarters 1 "
                                "to 4)."]


@pytest.mark.django_db
def test_a_missing_year_is_asked_for_not_called_out_of_range(catalogue):
    assert problems({**REPORT, "year": ""})["year"] == ["Give the year you did the work, like "
                                                        "2024."]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1,234.50", "1 234,50", "1.234,50", "1'234.50", "1234.50"])
def test_the_form_reads_money_with_thousands_separators(catalogue, anonymous, typed):
    response = anonymous.post("/reports/new/", form_data(
        pay_amount=typed, pay_basis="per_project", units="", currency="KES", paid_hours="1,000.5",
        unpaid_waiting="", unpaid_qualification=""))
    summary = re.findall(r'<li><a href="#[^>]*>[^<]*', response.content.decode())
    assert response.status_code == 201, summary
    report = Report.objects.get()
    assert report.pay_amount == Decimal("1234.50") and report.paid_hours == Decimal("1000.50")


@pytest.mark.django_db
def test_the_api_reads_the_same_numbers_the_same_way(catalogue, anonymous):
    response = post(anonymous, {**REPORT, "pay_amount": "7,391.37", "paid_hours": "40.0"})
    assert response.status_code == 201
    assert Report.objects.get().pay_amount == Decimal("7391.37")


@pytest.mark.django_db
def test_an_ambiguous_number_is_refused_with_both_readings(catalogue):
    assert "1234 or 1.234" in problems({**REPORT, "pay_amount": "1,234"})["pay_amount"][0]


@pytest.mark.parametrize("typed", ["abcd-efgh-ijkl-mnop", "ABCDEFGHIJKLMNOP",
                                   " abcd efgh ijkl mnop ", "ABCD – EFGH – IJKL – MN0P"])
def test_a_receipt_code_is_read_in_any_case_with_or_without_dashes_and_spaces(typed):
    assert services.normal_receipt(typed) == "ABCD-EFGH-IJKL-MNOP"


@pytest.mark.django_db
def test_a_receipt_typed_without_dashes_in_small_letters_opens_the_report(catalogue, anonymous,
                                                                          anonymous_other):
    receipt = post(anonymous, REPORT).json()["receipt"]
    typed = receipt.replace("-", " ").lower()
    opened = anonymous_other.post("/reports/receipt/", {"receipt": typed})
    assert opened.status_code == 302
    assert opened.url == f"/reports/{Report.objects.get().public_id}/"
    assert anonymous.get(f"/api/v1/reports/{receipt.replace('-', '').lower()}").status_code == 200


@pytest.mark.django_db
def test_a_wrong_receipt_still_opens_nothing(catalogue, anonymous):
    post(anonymous, REPORT)
    assert services.find_by_receipt("AAAA-AAAA-AAAA-AAAA") is None

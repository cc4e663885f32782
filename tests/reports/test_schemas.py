"""reports/schemas.py: ReportIn's JSON schema declares what a valid report is (enums, bounds),
exactly what clean_report accepts, so that clients and fuzzers can send valid reports."""

from __future__ import annotations

import pytest

from visiblework.core.countries import is_country_code
from visiblework.refdata.packaged import packaged_rates
from visiblework.reports.bounds import BOUNDS
from visiblework.reports.models import (
    RATING_FIELDS,
    ContractType,
    HarmKind,
    PayBasis,
    PaymentProblem,
    Support,
    TaskType,
    UnpaidKind,
    YesNo,
)


@pytest.fixture(scope="module")
def report_in() -> dict:
    from visiblework.site.api import api

    return api.get_openapi_schema()["components"]["schemas"]["ReportIn"]


def test_the_required_fields_are_declared(report_in):
    assert set(report_in["required"]) == {"platform", "task_type", "country", "year", "quarter",
                                          "pay_amount", "currency", "pay_basis", "paid_hours"}


@pytest.mark.parametrize(("field", "choices", "blank"), [
    ("task_type", TaskType, False), ("pay_basis", PayBasis, False),
    ("payment_problems", PaymentProblem, True), ("contract_type", ContractType, True),
    ("nda", YesNo, True), ("told_purpose", YesNo, True), ("could_opt_out", YesNo, True),
])
def test_each_choice_field_declares_its_choices(report_in, field, choices, blank):
    assert report_in["properties"][field]["enum"] == [""] * blank + list(choices.values)


@pytest.mark.parametrize(("field", "choices"), [("harmful_content", HarmKind),
                                                ("support_offered", Support)])
def test_each_list_of_choices_declares_its_items(report_in, field, choices):
    schema = report_in["properties"][field]
    assert schema["type"] == "array" and schema["items"]["enum"] == list(choices.values)


def test_the_kinds_of_unpaid_time_are_the_only_keys_of_unpaid_hours(report_in):
    schema = report_in["properties"]["unpaid_hours"]
    assert schema["propertyNames"]["enum"] == list(UnpaidKind.values)
    assert set(schema["properties"]) == set(UnpaidKind.values)
    assert schema["additionalProperties"] is False


def test_every_declared_currency_is_one_the_reference_data_knows(report_in):
    currencies = report_in["properties"]["currency"]["enum"]
    assert {"KES", "USD", "EUR", "INR", "PHP", "VES"} <= set(currencies)
    assert all(packaged_rates().currency_known(code) for code in currencies)


def test_every_declared_country_is_one_the_code_accepts(report_in):
    countries = report_in["properties"]["country"]["enum"]
    assert len(countries) > 240 and all(is_country_code(code) for code in countries)


@pytest.mark.parametrize(("field", "bound"), [
    ("pay_amount", "pay_amount"), ("fees", "fees"), ("costs", "costs"),
    ("paid_hours", "paid_hours"), ("rejected_percent", "rejected_percent"),
    ("harmful_hours_per_week", "harmful_hours_per_week"),
])
def test_each_number_declares_the_bounds_clean_report_applies(report_in, field, bound):
    number = report_in["properties"][field]["anyOf"][0]
    assert number["type"] == "number"
    assert (number["minimum"], number["maximum"]) == (float(BOUNDS[bound].minimum),
                                                      float(BOUNDS[bound].maximum))


@pytest.mark.parametrize(("field", "bound"), [("units", "units"), ("quarter", "quarter"),
                                              *((f, "rating") for f in RATING_FIELDS)])
def test_each_whole_number_declares_its_bounds(report_in, field, bound):
    schema = report_in["properties"][field]
    assert (schema["minimum"], schema["maximum"]) == (int(BOUNDS[bound].minimum),
                                                      int(BOUNDS[bound].maximum))


def test_the_unpaid_hours_of_each_kind_are_bounded(report_in):
    for schema in report_in["properties"]["unpaid_hours"]["properties"].values():
        assert schema["anyOf"][0]["maximum"] == float(BOUNDS["unpaid_hours"].maximum)

"""reports/bounds.py: the bounds of a report's numbers agree with their columns, and the one rule
for reading a number someone typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import models

from visiblework.reports import bounds
from visiblework.reports.bounds import BOUNDS, NumberError, bounded, parse_number, read_number
from visiblework.reports.models import HOURS, MONEY, RATING_FIELDS, Report

# The column that keeps each bounded number.
COLUMNS = {"pay_amount": "pay_amount", "fees": "fees", "costs": "costs", "units": "units",
           "paid_hours": "paid_hours", "unpaid_hours": "unpaid_hours_total",
           "rejected_percent": "rejected_percent",
           "harmful_hours_per_week": "harmful_hours_per_week", "quarter": "quarter",
           "rating": RATING_FIELDS[0]}
INTEGER_LIMITS = {models.PositiveIntegerField: 2**31 - 1, models.PositiveSmallIntegerField: 32767}


def test_the_money_and_hours_columns_are_the_ones_the_bounds_were_written_for():
    assert MONEY == {"max_digits": bounds.MONEY_DIGITS, "decimal_places": bounds.MONEY_PLACES}
    assert HOURS == {"max_digits": bounds.HOURS_DIGITS, "decimal_places": bounds.HOURS_PLACES}
    share = Report._meta.get_field("unpaid_share")
    assert share.decimal_places == bounds.SHARE_PLACES and share.max_digits - share.decimal_places >= 1


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_every_bound_fits_its_column_and_keeps_its_places(name):
    bound, column = BOUNDS[name], Report._meta.get_field(COLUMNS[name])
    if isinstance(column, models.DecimalField):
        assert bound.places == column.decimal_places
        assert bound.maximum < Decimal(10) ** (column.max_digits - column.decimal_places)
    else:
        assert bound.places == 0 and bound.maximum <= INTEGER_LIMITS[type(column)]
    assert bound.minimum >= 0


def test_the_wage_bound_and_the_largest_pay_fit_a_money_column():
    assert bounds.fits_money_column(bounds.MAX_PAY / Decimal("0.01"))  # a billion over 0.01 h
    assert bounds.fits_money_column(Decimal("999999999999.99994"))
    assert not bounds.fits_money_column(Decimal("999999999999.99995"))
    assert not bounds.fits_money_column(Decimal("Infinity"))


@pytest.mark.parametrize(("typed", "value"), [
    ("12.50", "12.50"), ("12,50", "12.50"), ("1,234.50", "1234.50"), ("1.234,50", "1234.50"),
    ("1 234,50", "1234.50"), ("1\u00a0234,50", "1234.50"), ("1\u202f234,50", "1234.50"),
    ("1'234.50", "1234.50"), ("1,234,567", "1234567"), ("1.234.567", "1234567"),
    ("1.234", "1.234"), ("0,125", "0.125"), ("1234,567", "1234.567"), ("1,2345", "1.2345"),
    (",5", "0.5"), ("  7  ", "7"), ("+3", "3"), ("-3", "-3"), ("\u22123", "-3"),
    ("٣٫٥", "3.5"), ("١٬٢٣٤٫٥", "1234.5"), (12, "12"), (2**63, str(2**63)), (0.1, "0.1"),
    (1e-308, "1E-308"), (Decimal("2.5"), "2.5"),
])
def test_the_number_rule_reads_what_people_type(typed, value):
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", [
    "", " ", "-", ".", "5.", "1e5", "1E-308", "NaN", "nan", "inf", "-Infinity", "1,2,3",
    "12,5,0", "1,234.5.6", "1.2.3,4", "12 5", "1_000", "0x10", "½", "²", "9" * 41, "--1", "+-1",
    True, False, None, [1], {"a": 1}, float("nan"), float("inf"), Decimal("NaN"),
])
def test_anything_else_is_not_a_number(typed):
    with pytest.raises(NumberError) as refused:
        parse_number(typed)
    assert str(refused.value) == "Enter a number, like 12.50."


def test_a_lone_comma_before_three_digits_is_refused_as_ambiguous():
    with pytest.raises(NumberError, match="could mean 1234 or 1.234"):
        parse_number("1,234")


@pytest.mark.parametrize(("typed", "value"), [("5,000", 5000), ("5.000", 5000), ("12", 12),
                                              (12.0, 12), ("2023.0", 2023)])
def test_in_a_whole_number_a_lone_separator_before_three_digits_groups_thousands(typed, value):
    assert bounds.read_whole(typed, BOUNDS["units"]) == value


def test_a_number_of_tasks_must_be_whole():
    with pytest.raises(NumberError) as refused:
        read_number("12.5", BOUNDS["units"])
    assert refused.value.kind == "whole"


@pytest.mark.parametrize(("value", "kept"), [
    ("0.005", "0.01"), ("0.015", "0.02"), ("2.345", "2.35"), ("39.995", "40.00"),
    ("-0", "0.00"), ("0", "0.00"), ("2184", "2184.00"),
])
def test_hours_are_rounded_half_up_to_two_places(value, kept):
    result = bounded(Decimal(value), BOUNDS["paid_hours"])
    assert str(result) == kept and not result.is_signed()


@pytest.mark.parametrize(("value", "message"), [
    ("0.0049", "This is too small to keep: the smallest amount above zero is 0.01."),
    ("1E-308", "This is too small to keep: the smallest amount above zero is 0.01."),
    ("-0.01", "This cannot be negative."),
    ("2184.01", "Give at most 2,184."),
    ("1E+308", "Give at most 2,184."),
])
def test_hours_out_of_bounds_are_refused_with_what_to_give(value, message):
    with pytest.raises(NumberError) as refused:
        bounded(Decimal(value), BOUNDS["paid_hours"])
    assert str(refused.value) == message and refused.value.kind == "range"


def test_a_pay_keeps_four_places_and_refuses_what_would_round_to_nothing():
    assert read_number("0.00005", BOUNDS["pay_amount"]) == Decimal("0.0001")
    with pytest.raises(NumberError, match="smallest amount above zero is 0.0001"):
        read_number("0.00004", BOUNDS["pay_amount"])
    with pytest.raises(NumberError, match="Give at most 1,000,000,000."):
        read_number("1000000000.0001", BOUNDS["pay_amount"])

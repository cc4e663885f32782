"""Dates and years of cells: spans of years keep their start and their last year; a value that
cannot be read still gives the years it names; a date_format is checked once."""

from __future__ import annotations

import pytest

from visiblework.cases.importers.dates import When, check_format, read_when, read_years, years_named


@pytest.mark.parametrize(("cell", "when"), [
    ("2019-2021", When("2019", 2021)),
    ("2019 - 2021", When("2019", 2021)),
    ("2019\u20132021", When("2019", 2021)),
    ("2019 to 2021", When("2019", 2021)),
    ("Mar 2019 \u2013 Jun 2020", When("2019-03", 2020)),
    ("2019-03-07 to 2019-05-01", When("2019-03-07")),
])
def test_a_span_of_years_keeps_its_start_and_its_last_year(cell, when):
    assert read_when(cell) == when


@pytest.mark.parametrize("cell", ["2023-", "2023 - present", "2023 to now", "2023\u2013"])
def test_an_open_span_keeps_its_start_year(cell):
    assert read_when(cell) == When("2023")


def test_a_month_written_with_a_hyphen_is_a_month_not_a_span():
    assert read_when("2019-03") == When("2019-03")


def test_a_span_that_ends_before_it_starts_is_refused_with_a_message():
    with pytest.raises(ValueError, match="the end comes before the start"):
        read_when("2021-2019")


def test_a_year_column_reads_spans_of_years_and_the_spreadsheet_float_form():
    assert read_years("2019-2021") == When("2019", 2021)
    assert read_years("2019.0") == When("2019")
    with pytest.raises(ValueError, match="as a year"):
        read_years("2019-03")


@pytest.mark.parametrize(("cell", "when"), [
    ("Summer 2019", When("2019")), ("07/03/2019", When("2019")),
    ("2019 or 2020", When("2019", 2020)), ("soon", When()), ("1850", When())])
def test_a_value_that_cannot_be_read_still_gives_the_years_it_names(cell, when):
    assert years_named(cell) == when


@pytest.mark.parametrize(("fmt", "problem"), [
    ("%Y-%Y", "names the same part twice"), ("%Q", "is not a format"),
    ("dd/mm", "has no %-directive")])
def test_a_date_format_that_cannot_work_is_found_before_any_row_is_read(fmt, problem):
    assert problem in check_format(fmt)


def test_a_good_date_format_passes_the_check():
    assert check_format("%d/%m/%Y") is None

"""Reading CSV files: a header written over several rows becomes one name per column."""

from __future__ import annotations

from visiblework.cases.importers.reading import column_letter, join_header_rows, parse_table


def test_two_header_rows_join_as_top_and_sub_with_merged_top_cells_filled_rightwards():
    assert join_header_rows([["Case", "", "When", "", "Notes"],
                             ["Ref", "Headline", "Start", "End", ""]]) == [
        "Case / Ref", "Case / Headline", "When / Start", "When / End", "Notes"]


def test_a_column_blank_in_every_header_row_has_a_blank_name():
    assert join_header_rows([["", "Top"], ["", "Sub"]]) == ["", "Top / Sub"]


def test_a_third_header_row_fills_only_within_the_span_of_the_row_above():
    names = join_header_rows([["A", "", "B"], ["x", "", ""], ["1", "2", "3"]])
    assert names == ["A / x / 1", "A / x / 2", "B / 3"]


def test_a_table_with_two_header_rows_starts_its_rows_after_them():
    table = parse_table("Title line\nCase,\nRef,Headline\n1,First\n", skip_rows=1,
                        header_rows=2)
    assert table.header == ["Case / Ref", "Case / Headline"]
    assert table.header_line == 2
    assert [row.line for row in table.rows] == [4]


def test_spreadsheet_letters_count_from_a_to_z_then_aa():
    assert [column_letter(n) for n in (1, 3, 26, 27, 52, 703)] == ["A", "C", "Z", "AA", "AZ",
                                                                   "AAA"]

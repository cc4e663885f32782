"""Cleaning cells: the quick answer for plain cells is the one the full cleaning gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from visiblework.cases.importers.text import clean_text, one_line

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CELLS = st.text(alphabet=st.sampled_from(
    list("ab zé ك\t\r\n\x0b\x00\x1f\x7f\x85\x9f\u00a0\u2003\u2028\u202a\u202e\u2066\u2069\ufeff")),
    max_size=30)


def full_clean_text(value: str) -> str:
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=500, deadline=None)
@given(CELLS)
def test_a_cleaned_cell_is_what_the_full_cleaning_gives(value):
    assert clean_text(value) == full_clean_text(value)


@settings(max_examples=500, deadline=None)
@given(CELLS)
def test_a_one_line_value_is_what_the_full_cleaning_gives(value):
    assert one_line(value) == re.sub(r"\s+", " ", full_clean_text(value)).strip()


def test_a_cell_with_a_bidirectional_override_loses_it():
    assert clean_text("abc\u202edef") == "abcdef"

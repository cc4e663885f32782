"""Suggested citations of a case: its own date in BibTeX, RIS and CSL-JSON, the day it was
read as `urldate`, and the sentence in the reader's language."""

import json
from datetime import date

import pytest
from django.utils import translation

from tests.conftest import make_case
from visiblework.cases import citations

URL = "https://example.org/cases/1/x/"
READ = date(2026, 12, 5)


@pytest.fixture
def case(vocabularies):
    case = make_case("kenya", title="Moderators in Nairobi paid $1.50 an hour", year=2019,
                     summary="Content moderators were paid less than two dollars an hour.")
    case.date = "2019-05"
    case.save()
    return case


def test_bibtex_gives_the_cases_year_and_month_and_the_day_it_was_read(case):
    entry = citations.bibtex(case, URL, READ)
    assert "  year = {2019}," in entry and "  month = may," in entry and "  date = {2019-05}," in entry
    assert "  urldate = {2026-12-05}," in entry
    assert "\\$1.50" in entry  # escaped for TeX


def test_a_case_without_a_date_gives_its_year_only(case):
    case.date = ""
    entry = citations.bibtex(case, URL, READ)
    assert "  year = {2019}," in entry and "month" not in entry


def test_ris_has_the_date_the_year_and_the_access_date(case):
    record = citations.ris(case, URL, READ)
    lines = record.split("\r\n")
    assert lines[0] == "TY  - ELEC" and "PY  - 2019" in lines and "DA  - 2019/05//" in lines
    assert "Y2  - 2026/12/05" in lines and f"UR  - {URL}" in lines and lines[-2] == "ER  - "


def test_csl_json_is_issued_on_the_cases_date(case):
    data = json.loads(citations.csl(case, URL, READ))
    assert data["issued"] == {"date-parts": [[2019, 5]]}
    assert data["accessed"] == {"date-parts": [[2026, 12, 5]]}


def test_the_sentence_writes_dates_the_readers_way(case):
    with translation.override("fr"):
        sentence = citations.plain(case, URL, READ)
    assert "mai 2019" in sentence and "5 déc. 2026" in sentence


def test_on_a_page_the_sentence_isolates_the_title_and_escapes_it(case):
    case.title = "Pay <b>cut</b>"
    with translation.override("ar"):
        html = citations.plain_html(case, URL, READ)
    assert "«<bdi>Pay &lt;b&gt;cut&lt;/b&gt;</bdi>»" in html and f"<bdi>{URL}</bdi>" in html

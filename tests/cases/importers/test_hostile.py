"""Hypothesis writes spreadsheets of hostile cells (HTML, quotes, control characters, right-to-
left text, emoji, separators, huge values); the importer must never raise, and every row must
be either stored whole or reported with its line."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from visiblework.cases.importers import CsvImport
from visiblework.cases.importers.csvmap import parse_mapping
from visiblework.cases.importers.text import one_line
from visiblework.cases.models import Actor, Case, CaseActor, Term

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"', "'", '""', ";", ",", "|",
    "/", "\n", "\r", "\r\n", "\t", "\x1b[31m", "\x07", "\x7f", "\u0085", "\u202e", "\u2066",
    "\u200f", "مرحبا بالعالم", "שלום", "😀", "👩🏽‍💻", "=cmd|' /C calc'!A0", "{{ 7*7 }}", "%(x)s",
    "[a](javascript:alert(1))", "javascript:alert(1)", "  ", "\ufeff", "NULL", "None", "0",
    "2019-03-00", "Mar 2019", "32/13/2019", "\\", "`", "&amp;", "&#x3C;", "x" * 301,
]
CELL = st.lists(
    st.one_of(st.sampled_from(HOSTILE),
              st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                      max_size=12)),
    max_size=5).map("".join)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAPPING = parse_mapping({
    "source": {"name": "hostile", "id_column": "id"},
    "fields": {"title": "title", "summary": "summary", "body": "body", "date": "date",
               "countries": "countries"},
    "lists": {"separator": ";"},
    "actors": [{"column": "actors", "role": "deployer"}],
    "terms": [{"column": "terms", "taxonomy": "hostile_terms", "create": True},
              {"column": "regions", "taxonomy": "region", "separator": "/"}],
    "sources": [{"url_column": "url", "title_column": "title", "separator": " "}],
})
COLUMNS = ["id", "title", "summary", "body", "date", "countries", "actors", "terms", "regions",
           "url"]
USUALLY_FILLED = st.one_of(CELL, CELL.map(lambda s: f"{s} text"))  # so that many rows are stored
DATE = st.one_of(st.sampled_from(["", "2019", "Mar 2019", "2019-03-00", "7 March 2019"]), CELL)
ROW = st.fixed_dictionaries({c: USUALLY_FILLED if c in ("title", "summary")
                             else DATE if c == "date" else CELL for c in COLUMNS[1:]})


@pytest.mark.django_db
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=6))
def test_hostile_cells_never_raise_and_never_store_half_a_row(vocabularies, tmp_path, rows):
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    starts = []  # the line each record starts on
    for n, row in enumerate(rows, start=1):
        starts.append(len(re.findall(r"\r\n|\r|\n", text.getvalue())) + 1)
        writer.writerow([f"H-{n}", *(row[c] for c in COLUMNS[1:])])
    path = tmp_path / "hostile.csv"
    path.write_bytes(text.getvalue().encode("utf-8"))

    with transaction.atomic():
        stats = CsvImport(path, MAPPING, batch_size=4).run()
        skipped_lines = {p.line for p in stats.problems if p.skipped}
        event("some rows stored" if stats.created else "every row skipped")
        event("some rows skipped" if stats.skipped else "no row skipped")
        assert stats.created + stats.skipped == len(rows)
        assert all(p.line in starts for p in stats.problems)
        assert not any("unexpected error" in str(p) for p in stats.problems), stats.problems
        for n, (row, line) in enumerate(zip(rows, starts, strict=True), start=1):
            case = Case.objects.filter(external_id=f"hostile:H-{n}").first()
            if case is None:
                assert line in skipped_lines  # every row left out is reported, by its line
                continue
            assert line not in skipped_lines
            assert case.title == one_line(row["title"])
            for value in (case.title, case.summary, case.body):
                assert "\x00" not in value and not CONTROL.search(value.replace("\t", "")
                                                                  .replace("\n", ""))
            assert all(s.url.startswith(("http://", "https://")) for s in case.sources.exclude(url=""))
        # nothing of a skipped row is kept: every actor and created term belongs to a case
        assert not Actor.objects.exclude(pk__in=CaseActor.objects.values("actor")).exists()
        assert not Term.objects.filter(taxonomy__key="hostile_terms", cases=None).exists()
        assert Case.objects.count() == stats.created
        transaction.set_rollback(True)

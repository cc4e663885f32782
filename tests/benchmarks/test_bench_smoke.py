"""`visiblework bench generate` at tiny sizes and `visiblework bench run --quick` complete and
print a well-formed table. Timings are never asserted: they depend on the machine."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

RESULTS = {"pass", "miss", "info", "not available"}
COLUMNS = ["measure", "ours", "comparison", "ratio", "target", "result"]

# The run on PostgreSQL leaves these out: their commands run on SQLite data folders of their own.
pytestmark = pytest.mark.database_independent


def visiblework() -> list[str]:
    found = shutil.which("visiblework")
    return [found] if found else [sys.executable, "-m", "visiblework.cli"]


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "VISIBLEWORK_HOME", "SECRET_KEY", "DEBUG",
                 "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env["LANGUAGE"] = "en"
    return env


def generate(folder: Path, seed: int = 3) -> None:
    done = subprocess.run(
        [*visiblework(), "bench", "generate", "--cases", "30", "--reports", "200", "--seed",
         str(seed), "--into", str(folder), "--no-progress"],
        cwd=folder.parent, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def rows_of(database: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A data folder filled by `bench generate` at seed 3, once for the tests that read it."""
    folder = tmp_path_factory.mktemp("generated") / "data"
    generate(folder)
    return folder


def test_generate_fills_a_new_data_folder_with_marked_synthetic_data(generated):
    database = generated / "visiblework.sqlite3"
    assert rows_of(database, "SELECT count(*) FROM cases_case") == [(30,)]
    assert rows_of(database, "SELECT count(*), count(DISTINCT receipt_hash), sum(synthetic) "
                             "FROM reports_report") == [(200, 200, 200)]
    published = rows_of(database, "SELECT count(*) FROM cases_case WHERE status = 'published'")
    assert rows_of(database, "SELECT count(*) FROM cases_searchdocument") == published
    # The full-text index was rebuilt: a word of a published title finds its case.
    title = rows_of(database, "SELECT title FROM cases_case WHERE status = 'published' LIMIT 1")[0][0]
    word = title.split()[0].strip(":")
    assert rows_of(database, "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH ?",
                   (f'"{word}"',))[0][0] >= 1
    assert rows_of(database, "SELECT count(*) FROM cases_catalogueversion") == [(1,)]
    # Several reports per account, and every case has terms, countries and actors.
    assert rows_of(database, "SELECT max(n) FROM (SELECT count(*) AS n FROM reports_report "
                             "WHERE worker_id IS NOT NULL GROUP BY worker_id)")[0][0] > 1
    assert rows_of(database, "SELECT count(DISTINCT case_id) FROM cases_case_terms") == [(30,)]
    assert rows_of(database, "SELECT count(DISTINCT case_id) FROM cases_casecountry") == [(30,)]


def test_generate_gives_the_same_data_for_the_same_seed(generated, tmp_path):
    generate(tmp_path / "data")
    sql = ("SELECT country, task_type, pay_amount, currency, effective_hourly_usd "
           "FROM reports_report ORDER BY id")
    first, second = generated / "visiblework.sqlite3", tmp_path / "data" / "visiblework.sqlite3"
    assert rows_of(first, sql) == rows_of(second, sql)
    titles = "SELECT title, year FROM cases_case ORDER BY id"
    assert rows_of(first, titles) == rows_of(second, titles)


def table_rows(output: str) -> list[list[str]]:
    lines = [line for line in output.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]


def test_a_quick_run_completes_and_prints_one_well_formed_table(tmp_path):
    done = subprocess.run([*visiblework(), "bench", "run", "--quick", "--workdir",
                           str(tmp_path / "work")], cwd=tmp_path, env=clean_env(),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = table_rows(done.stdout)
    assert rows[0] == COLUMNS
    assert set(rows[1][0]) == {"-"}
    body = rows[2:]
    assert all(len(row) == len(COLUMNS) for row in body)
    assert all(row[5] in RESULTS for row in body), [row for row in body if row[5] not in RESULTS]
    assert not [row for row in body if row[1] == "failed"], done.stdout
    measures = " ".join(row[0] for row in body)
    for expected in ("three facets", "search", "case page", "JSON API", "release build",
                     "page weight", "report intake", "intake integrity", "import CSV",
                     "right after an edit", "while one case is edited",
                     "synthetic reports for the release"):
        assert expected in measures, expected
    # The import beside the browse load changes cases imported just before it.
    assert "changed rows ran throughout the load" in done.stdout or \
        "changed rows ended before the load did" in done.stdout
    assert "writes-import-first.log" in {p.name for p in (tmp_path / "work" / "logs").iterdir()}
    written = list((tmp_path / "bench" / "results").glob("*-quick.md"))
    assert len(written) == 1
    text = written[0].read_text()
    assert "## Machine" in text and "| measure" in text

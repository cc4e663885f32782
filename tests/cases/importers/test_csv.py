"""The spreadsheet importer: every option of the mapping format, on hand-made files."""

from __future__ import annotations

import csv
import importlib
import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError

from visiblework.cases.editing import save_case, snapshot
from visiblework.cases.importers import CsvImport, MappingError, csvmap, indexes, load_mapping, writing
from visiblework.cases.importers.csvmap import MAPPING_KEYS, parse_mapping
from visiblework.cases.models import (
    Actor,
    ActorAlias,
    Case,
    CaseActor,
    CaseStatus,
    Revision,
    Taxonomy,
    Term,
)
from visiblework.core.models import AuditAction, AuditEntry

DOCS = Path(__file__).resolve().parents[3] / "docs"
HEADER = "ID,Headline,Description,Occurred,Deployer,Sector\n"
SIMPLE = """
[source]
name = "simple"
id_column = "ID"
[fields]
title = "Headline"
summary = "Description"
date = "Occurred"
[[actors]]
column = "Deployer"
role = "deployer"
[[terms]]
column = "Sector"
taxonomy = "simple_sector"
create = true
"""


def run(data: Path, csv_name: str = "spreadsheet.csv", mapping: str = "spreadsheet.toml", **kw):
    job = CsvImport(data / csv_name, load_mapping(data / mapping), **kw)
    return job, job.run()


def write(tmp_path: Path, text: str | bytes, mapping: str = SIMPLE, name: str = "in.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    (tmp_path / "map.toml").write_text(mapping, encoding="utf-8")
    return path, tmp_path / "map.toml"


def import_text(tmp_path: Path, text: str | bytes, mapping: str = SIMPLE, **kw):
    path, mapping_path = write(tmp_path, text, mapping)
    job = CsvImport(path, load_mapping(mapping_path), **kw)
    return job, job.run()


def case(external_id: str) -> Case:
    return Case.objects.get(external_id=external_id)


def roles(c: Case) -> list[tuple[str, str]]:
    return sorted(CaseActor.objects.filter(case=c).values_list("actor__name", "role"))


# --- Every option of the mapping ---------------------------------------------------------------


def test_the_test_mapping_and_the_documented_example_use_every_key_of_the_format(data):
    for path in (data / "spreadsheet.toml", DOCS / "examples" / "incident-tracker.toml"):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        used = {(table, key) for table, value in raw.items()
                for entry in (value if isinstance(value, list) else [value]) for key in entry}
        every = {(table, key) for table, keys in MAPPING_KEYS.items() for key in keys}
        assert used == every, (path.name, every - used)
        parse_mapping(raw)
    # the documentation shows the complete example and explains every key
    doc = (DOCS / "importing.md").read_text(encoding="utf-8")
    example = (DOCS / "examples" / "incident-tracker.toml").read_text(encoding="utf-8")
    for keys in MAPPING_KEYS.values():
        for key in keys:
            assert f"`{key}`" in doc, key
    for line in example.splitlines():
        code = line.split("#")[0].strip()
        if code:
            assert code in doc, code


@pytest.mark.django_db
def test_the_documented_example_imports_without_a_message(vocabularies):
    job = CsvImport(DOCS / "examples" / "incident-tracker.csv",
                    load_mapping(DOCS / "examples" / "incident-tracker.toml"))
    stats = job.run()
    assert (stats.created, stats.skipped, stats.warnings) == (3, 0, 0), stats.problems
    drivers = case("tracker:T-003")
    assert drivers.date == "2021-03"
    assert {t.slug for t in drivers.terms.all()} >= {"surveillance-trained-work", "global-north",
                                                     "logistics", "retail"}
    assert [s.url for s in drivers.sources.all()] == [
        "https://example.org/drivers", "https://example.org/drivers-follow-up", ""]
    assert drivers.sources.all()[0].date == "2021-03"
    assert case("tracker:T-002").year == 2021
    assert Actor.objects.get(name="Delivery drivers").kind == "group"


@pytest.mark.django_db
def test_a_spreadsheet_imports_through_every_option_of_its_mapping(vocabularies, data):
    job, stats = run(data)
    assert (stats.created, stats.updated, stats.skipped, stats.warnings) == (9, 0, 2, 4)
    assert [str(p) for p in stats.problems] == [
        "line 9, column Occurred: cannot read '32/13/2019' as a date; the year 2019 is kept",
        "line 11, column ID: the id 'VW-2' already appeared on line 6; this row was left out",
        "line 12, column Countries: 'Narnia' is not a country or region name or ISO code; left "
        "out",
        "line 12, column Region: 'Atlantis' is not a term of region; left out",
        "line 13, column Headline: A title is required.",
        "line 14, column Links: 'javascript:alert(1)' is not a web address (http or https); the "
        "source is left out",
    ]
    first = case("hiddenlabour:VW-1")
    # [source]: name and id, skip_rows (header on line 3), status
    assert first.status == CaseStatus.PUBLISHED
    assert first.title == "Moderators in Nairobi labelled toxic text for under $2 an hour"
    # [fields]: summary keeps its line break, body, date, countries (name and code)
    assert first.summary == ("Data workers read and labelled graphic content for a chatbot.\n"
                             "Many were left traumatised.")
    assert first.body == "Contractors in the **United States** earned about $15 an hour."
    assert (first.date, first.year) == ("2023-01-18", 2023)
    assert sorted(first.countries.values_list("code", flat=True)) == ["KE", "US"]
    # [[actors]]: a per-column separator (","), the default one, roles and kinds
    assert roles(first) == [("OpenAI", "deployer"), ("OpenAI", "developer"), ("Sama", "deployer")]
    # [[terms]]: a created taxonomy (facet) and a built-in one with its own separator
    sector = Taxonomy.objects.get(key="hl_sector")
    assert (sector.name, sector.is_facet) == ("Hidden labour: sector", True)
    assert sorted(first.terms.filter(taxonomy=sector).values_list("name", flat=True)) == [
        "Annotation", "Content moderation"]
    assert first.terms.filter(taxonomy__key="region", slug="global-south").exists()
    # [[sources]]: several links in a cell, every column, and a fixed source
    sources = list(first.sources.values("url", "title", "publisher", "authors", "date",
                                        "archived_url"))
    assert sources[0] == {"url": "https://time.com/6247678/",
                          "title": "Exclusive: OpenAI used Kenyan workers", "publisher": "TIME",
                          "authors": "Billy Perrigo", "date": "2023-01-18",
                          "archived_url": "https://web.archive.org/web/2023/https://time.com/6247678/"}
    assert sources[1]["url"] == "https://example.org/second-report"
    assert sources[2] == {"url": "", "title": "Hidden labour test sheet",
                          "publisher": "Visible Work test data", "authors": "", "date": "",
                          "archived_url": ""}
    # dates: "Mar 2019", "2019-03-00", a year column, date_format for "07/03/2019", "March 7, 2019"
    assert case("hiddenlabour:VW-2").date == "2019-03"
    assert case("hiddenlabour:VW-2").terms.filter(slug="global-south").exists()  # by slug
    assert case("hiddenlabour:VW-3").date == "2019-03"
    assert (case("hiddenlabour:VW-4").date, case("hiddenlabour:VW-4").year) == ("", 2021)
    assert case("hiddenlabour:VW-6").date == "2019-03-07"
    assert case("hiddenlabour:VW-9").date == "2019-03-07"
    assert not case("hiddenlabour:VW-9").sources.exclude(url="").exists()
    # an unknown term and country are left out, the rest of the row kept
    seventh = case("hiddenlabour:VW-7")
    assert list(seventh.countries.values_list("code", flat=True)) == ["KE"]
    assert list(seventh.terms.values_list("slug", flat=True)) == ["global-south"]
    # the run is in the audit log and every case has a revision by the import
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT, object_type="")
    assert entry.user_label == "import csv hiddenlabour"
    assert entry.data["created"] == 9 and entry.data["encoding"] == "utf-8"
    assert Revision.objects.filter(author_label="import csv hiddenlabour").count() == 9


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(vocabularies, data):
    run(data)
    revisions, actors, terms = Revision.objects.count(), Actor.objects.count(), Term.objects.count()
    _job, stats = run(data)
    assert (stats.created, stats.updated, stats.unchanged) == (0, 0, 9)
    assert (Revision.objects.count(), Actor.objects.count(), Term.objects.count()) == (
        revisions, actors, terms)


@pytest.mark.django_db
def test_a_changed_row_updates_its_case_and_keeps_what_editors_added(vocabularies, tmp_path):
    import_text(tmp_path, HEADER + "1,Title,First summary,2020,Acme,Retail\n")
    c = case("simple:1")
    edited = snapshot(c)
    edited["terms"]["justice_area"] = ["economic-justice"]
    edited["actors"].append({"name": "Helper Vendor", "role": "vendor"})
    edited["countries"] = ["KE"]
    edited["body"] = "Written by an editor."
    edited["status"] = CaseStatus.DRAFT
    save_case(edited, case=c, summary="editor")
    _job, stats = import_text(tmp_path, HEADER + "1,Title,Second summary,,Other Co,Health\n")
    assert (stats.updated, stats.unchanged) == (1, 0)
    c.refresh_from_db()
    assert c.summary == "Second summary"
    assert c.date == "2020"  # an empty cell does not erase
    assert c.status == CaseStatus.DRAFT
    assert c.body == "Written by an editor."
    assert list(c.countries.values_list("code", flat=True)) == ["KE"]
    assert roles(c) == [("Helper Vendor", "vendor"), ("Other Co", "deployer")]
    assert sorted(c.terms.values_list("slug", flat=True)) == ["economic-justice", "health"]


@pytest.mark.django_db
def test_without_an_id_column_a_second_import_creates_the_cases_again(vocabularies, tmp_path):
    mapping = SIMPLE.replace('id_column = "ID"\n', "")
    job, stats = import_text(tmp_path, HEADER + "1,Title,Summary,2020,,\n", mapping)
    assert "importing this file again will create its cases again" in job.notes[0]
    import_text(tmp_path, HEADER + "1,Title,Summary,2020,,\n", mapping)
    assert Case.objects.filter(title="Title").count() == 2
    assert not Case.objects.exclude(external_id="").exists()


@pytest.mark.django_db
def test_a_mapping_can_import_new_cases_as_drafts_from_a_semicolon_file(vocabularies, tmp_path):
    mapping = SIMPLE.replace('name = "simple"', 'name = "drafts"\nstatus = "draft"\n'
                             'delimiter = ";"')
    _job, stats = import_text(tmp_path, "ID;Headline;Description;Occurred;Deployer;Sector\n"
                              "1;A, with a comma;Summary;2020;A;B\n", mapping)
    assert stats.created == 1
    assert case("drafts:1").status == CaseStatus.DRAFT
    assert case("drafts:1").title == "A, with a comma"


@pytest.mark.django_db
def test_unknown_terms_of_a_taxonomy_that_does_not_create_are_left_out(vocabularies, tmp_path):
    mapping = SIMPLE.replace('taxonomy = "simple_sector"\ncreate = true', 'taxonomy = "impact"')
    _job, stats = import_text(tmp_path, HEADER + "1,T,S,2020,,Surveillance; Mind control\n",
                              mapping)
    assert [str(p) for p in stats.problems] == [
        "line 2, column Sector: 'Mind control' is not a term of impact; left out"]
    assert list(case("simple:1").terms.values_list("slug", flat=True)) == ["surveillance"]


@pytest.mark.django_db
def test_a_created_taxonomy_stops_growing_at_its_bound(vocabularies, tmp_path, monkeypatch):
    monkeypatch.setattr(indexes, "MAX_TERMS_PER_TAXONOMY", 2)
    _job, stats = import_text(tmp_path, HEADER + "1,T,S,2020,,a; b; c\n")
    assert "taxonomy simple_sector already has 2 terms; 'c' left out" in str(stats.problems[0])
    assert Term.objects.filter(taxonomy__key="simple_sector").count() == 2


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("encoding", "prefix"), [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("latin-1", b""), ("cp1252", b""),
    ("utf-16", b"")], ids=["utf-8", "utf-8 with BOM", "latin-1", "windows-1252", "utf-16 with BOM"])
def test_files_in_other_encodings_are_read_right(vocabularies, tmp_path, encoding, prefix):
    title = "Café in São Paulo at Zürich" + ("" if encoding == "latin-1" else " — “quoted”")
    text = HEADER + f"1,{title},Straße and façade,2020,Société Générale,\n"
    _job, stats = import_text(tmp_path, prefix + text.encode(encoding))
    assert stats.created == 1, stats.problems
    c = case("simple:1")
    assert c.title == title
    assert c.summary == "Straße and façade"
    assert roles(c) == [("Société Générale", "deployer")]


@pytest.mark.django_db
def test_a_mapping_that_names_the_wrong_encoding_stops_with_a_clear_error(vocabularies, tmp_path):
    path, mapping = write(tmp_path, (HEADER + "1,Café,Summary,2020,,\n").encode("latin-1"),
                          SIMPLE.replace('name = "simple"', 'name = "simple"\nencoding = "utf-8"'))
    with pytest.raises(CommandError, match=r"The file is not in utf-8 \(byte \d+\)"):
        call_command("import", "csv", str(path), "--mapping", str(mapping))
    # --encoding overrides the mapping
    call_command("import", "csv", str(path), "--mapping", str(mapping), "--encoding", "latin-1",
                 stdout=io.StringIO())
    assert case("simple:1").title == "Café"


@pytest.mark.django_db
@pytest.mark.parametrize(("cell", "stored"), [
    ("2019", "2019"), ("Mar 2019", "2019-03"), ("2019-03-00", "2019-03"), ("", ""),
    ("2019-03-07", "2019-03-07"), ("March 7, 2019", "2019-03-07"), ("13/03/2019", "2019-03-13")])
def test_dates_are_read_at_the_precision_they_have(vocabularies, tmp_path, cell, stored):
    _job, stats = import_text(tmp_path, HEADER + f'1,T,S,"{cell}",,\n')
    assert stats.created == 1
    assert case("simple:1").date == stored


@pytest.mark.django_db
@pytest.mark.parametrize(("cell", "message", "kept"), [
    ("32/13/2019", "cannot read '32/13/2019' as a date; the year 2019 is kept", "2019"),
    ("2019-02-30", "cannot read '2019-02-30' as a date; the year 2019 is kept", "2019"),
    ("07/03/2019", "'07/03/2019' could be day/month or month/day: set date_format", "2019"),
    ("Summer 2019", "cannot read 'Summer 2019' as a date; the year 2019 is kept", "2019"),
    ("1850", "the date '1850' is not between 1900 and 2100; the row is kept without it", ""),
    ("soon", "cannot read 'soon' as a date; the row is kept without it", "")])
def test_an_unreadable_date_is_a_warning_and_the_row_keeps_the_year_it_names(
        vocabularies, tmp_path, cell, message, kept):
    _job, stats = import_text(tmp_path, HEADER + f"1,T,S,{cell},,\n2,T2,S2,2020,,\n")
    assert (stats.created, stats.skipped, stats.warnings) == (2, 0, 1)
    assert str(stats.problems[0]).startswith(f"line 2, column Occurred: {message}")
    assert case("simple:1").date == kept


@pytest.mark.django_db
def test_malformed_rows_are_reported_and_the_rest_of_the_file_is_read(vocabularies, tmp_path):
    text = (HEADER
            + '1,Good one,Summary,2020,,\n'
            + '2,"Bad"quote,Summary,2020,,\n'
            + '3,Too,many,cells,here,x,y\n'
            + '4,Has a NUL\x00 inside,Summary,2020,,\n'
            + '\n'
            + '5,"Spans\ntwo lines",Summary,2020,,\n'
            + '6,Short row,Summary\n'
            + '7,"Never closed,Summary,2020,,\n'
            + '8,Swallowed,Summary,2020,,\n')
    _job, stats = import_text(tmp_path, text)
    assert sorted(Case.objects.values_list("title", flat=True)) == [
        "Good one", "Short row", "Spans two lines"]
    messages = [str(p) for p in stats.problems]
    assert messages[0].startswith("line 3: malformed CSV (',' expected after '\"')")
    assert messages[1] == ("line 4: this row has 7 cells but the header has 6 (is a comma or "
                           "quote missing?)")
    assert messages[2] == "line 5: this row contains a NUL character; the file may be damaged"
    assert messages[3].startswith("line 10: a quoted cell that starts on this line is never "
                                  "closed, so the rest of the file (to line 12) cannot be read")
    assert stats.skipped == 4


@pytest.mark.django_db
def test_a_file_that_is_not_csv_stops_with_a_clear_error(vocabularies, tmp_path):
    path, mapping = write(tmp_path, b"\x00\x01\x02\x00" * 100)
    with pytest.raises(CommandError, match="does not look like a text file"):
        call_command("import", "csv", str(path), "--mapping", str(mapping))
    path, mapping = write(tmp_path, b"")
    with pytest.raises(CommandError, match="The file has no header row"):
        call_command("import", "csv", str(path), "--mapping", str(mapping))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import", "csv", str(tmp_path / "nope.csv"), "--mapping", str(mapping))


@pytest.mark.django_db
def test_ten_megabyte_cells_are_refused_with_a_short_message(vocabularies, tmp_path):
    big = "x" * (10 * 1024 * 1024)
    text = (HEADER + f"1,{big},Summary,2020,,\n" + f"2,Title,{big},2020,,\n"
            + f"3,Title,Summary,2020,{big},{big}\n" + "4,Fine,Summary,2020,,\n")
    _job, stats = import_text(tmp_path, text)
    assert (stats.created, stats.skipped) == (2, 2)
    messages = [str(p) for p in stats.problems]
    assert messages[:2] == ["line 2, column Headline: Keep the title under 300 characters.",
                            "line 3, column Description: Keep the summary under 5,000 characters."]
    assert all(len(m) < 200 for m in messages)
    assert "column Deployer: a value of 10485760 characters was left out" in messages[2]
    assert not Actor.objects.exists() and not Term.objects.filter(
        taxonomy__key="simple_sector").exists()


@pytest.mark.django_db
def test_html_and_script_in_cells_are_stored_as_text_and_never_run_in_a_page(vocabularies, data,
                                                                            anonymous):
    run(data)
    hostile = case("hiddenlabour:VW-10")
    assert hostile.title.startswith("<script>alert('title')</script>")
    html = anonymous.get(hostile.get_absolute_url()).content.decode()
    for raw in ("<script>alert(", "<img src=x", "<b>Evil Corp</b>", 'href="javascript:'):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(" in html
    assert Actor.objects.get(name="<b>Evil Corp</b>")  # a name, as text
    browse = anonymous.get("/cases/").content.decode()
    assert "<script>alert(" not in browse


@pytest.mark.django_db
def test_a_row_that_fails_half_way_leaves_nothing_behind(vocabularies, tmp_path, monkeypatch):
    real = writing.save_case

    def failing(data, **kwargs):
        saved = real(data, **kwargs)  # the case, its actors, revision and audit entry...
        if data["title"] == "Fails late":
            raise IntegrityError("simulated failure after writing")
        return saved

    real_bulk = writing.create_cases

    def failing_bulk(rows, **kwargs):  # the database refuses the batch's bulk write...
        created = real_bulk(rows, **kwargs)
        if any(data["title"] == "Fails late" for data, _id, _digest in rows):
            raise IntegrityError("simulated failure of the bulk write")
        return created

    monkeypatch.setattr(writing, "create_cases", failing_bulk)
    monkeypatch.setattr(writing, "save_case", failing)  # ...and the row, written on its own
    _job, stats = import_text(tmp_path, HEADER + "1,Fine,S,2020,Acme,Retail\n"
                              "2,Fails late,S,2020,Ghost Co,Ghost sector\n3,Fine too,S,2020,,\n")
    assert (stats.created, stats.skipped) == (2, 1)
    assert str(stats.problems[0]) == ("line 3: the database refused this row (simulated failure "
                                      "after writing)")
    assert not Case.objects.filter(title="Fails late").exists()
    assert not Actor.objects.filter(name="Ghost Co").exists()
    assert not Term.objects.filter(name="Ghost sector").exists()
    assert not AuditEntry.objects.filter(summary__contains="Fails late").exists()
    assert Revision.objects.count() == 2


# --- The mapping itself ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), [
    (('[fields]', '[feilds]'), "unknown table [feilds] (did you mean fields?)"),
    (('title = "Headline"', 'titel = "Headline"'), "[fields]: unknown key titel (did you mean title?)"),
    (('summary = "Description"\n', ""), "[fields]: summary is required"),
    (('role = "deployer"', 'role = "owner"'), "role owner is not one of developer, deployer"),
    (('role = "deployer"', 'role = 3'), "[[actors]] #1: role must be text"),
    (('taxonomy = "simple_sector"', 'taxonomy = "region"'),
     "region is a built-in taxonomy: its terms cannot be created"),
    (('name = "simple"', 'name = "aiid"'), "name aiid is reserved"),
    (('name = "simple"', 'name = "Not A Slug"'), "must be a short lower-case name"),
    (('[[actors]]', '[actors]'), "actors must be written [[actors]]"),
    (('column = "Deployer"', 'column = "Deployers"'),
     "actors #1: the file has no column 'Deployers' (did you mean Deployer?)"),
    (('title = "Headline"', 'title = "Headline"\ndate_format = "dd/mm"'), "has no %-directive"),
    (('create = true', 'create = false'), "There is no taxonomy simple_sector"),
    (('[source]', '[source'), "is not valid TOML"),
])
def test_a_bad_mapping_is_refused_before_anything_is_written(vocabularies, tmp_path, change,
                                                             message):
    path, mapping = write(tmp_path, HEADER + "1,T,S,2020,,\n", SIMPLE.replace(*change))
    with pytest.raises(CommandError) as caught:
        call_command("import", "csv", str(path), "--mapping", str(mapping))
    assert message in str(caught.value)
    assert not Case.objects.exists() and not Taxonomy.objects.filter(key="simple_sector").exists()


def test_a_mapping_lists_all_its_problems_at_once():
    with pytest.raises(MappingError) as caught:
        parse_mapping({"fields": {"title": 1}, "extra": {}})
    text = str(caught.value)
    for expected in ("unknown table [extra]", "the table [source] is required",
                     "[fields]: title must be a column name", "[fields]: summary is required"):
        assert expected in text


@pytest.mark.django_db
def test_the_command_runs_a_spreadsheet_end_to_end_with_a_summary(vocabularies, data):
    out = io.StringIO()
    call_command("import", "csv", str(data / "spreadsheet.csv"), "--mapping",
                 str(data / "spreadsheet.toml"), "--dry-run", stdout=out)
    assert "Dry run: nothing was saved." in out.getvalue()
    assert not Case.objects.exists() and not Actor.objects.exists()
    assert not Taxonomy.objects.filter(key="hl_sector").exists()

    out = io.StringIO()
    call_command("import", "csv", str(data / "spreadsheet.csv"), "--mapping",
                 str(data / "spreadsheet.toml"), stdout=out)
    text = out.getvalue()
    assert "Importing" in text and "as hiddenlabour: 11 rows" in text
    for label, count in (("created", 9), ("skipped", 2), ("warnings", 4)):
        assert any(label in line and f" {count} " in line for line in text.splitlines()), label
    assert ("warning: line 9, column Occurred: cannot read '32/13/2019' as a date; the year "
            "2019 is kept") in text
    assert Case.objects.count() == 9


def test_the_csv_files_of_the_tests_are_well_formed(data):
    with open(data / "spreadsheet.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows[2]) == 17 and all(len(r) == 17 for r in rows[3:])


@pytest.mark.django_db
def test_progress_is_reported_row_by_row_and_the_bar_works_in_a_terminal(vocabularies, data,
                                                                        monkeypatch):
    from rich.console import Console

    steps: list[int] = []
    job = CsvImport(data / "spreadsheet.csv", load_mapping(data / "spreadsheet.toml"),
                    batch_size=3)
    job.run(progress=steps.append)
    assert steps == [1] * job.total

    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    out = io.StringIO()
    call_command("import", "csv", str(data / "spreadsheet.csv"), "--mapping",
                 str(data / "spreadsheet.toml"), stdout=out)
    assert "unchanged" in out.getvalue()


def test_the_command_explains_itself(capsys):
    from visiblework.cli import main

    for argv in (["import", "--help"], ["import", "csv", "--help"], ["import", "aiid", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "AI Incident Database snapshot" in text and "--mapping" in text and "--limit" in text


@pytest.mark.django_db
def test_a_fault_in_the_importer_leaves_the_row_out_and_goes_on(vocabularies, tmp_path,
                                                              monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(csvmap, "split_list", broken)
    mapping = SIMPLE.replace('title = "Headline"', 'title = "Headline"\ncountries = "Sector"')
    _job, stats = import_text(tmp_path, HEADER + "1,T,S,2020,,\n", mapping)
    assert stats.skipped == 1
    assert str(stats.problems[0]) == ("line 2: unexpected error, row left out (RuntimeError: "
                                      "boom); please report it")


# --- Real spreadsheets: headers over rows, columns by letter, spans, places, actor lists -------


@pytest.mark.django_db
def test_the_documented_two_row_header_example_imports_spans_places_and_actor_lists(
        vocabularies):
    job = CsvImport(DOCS / "examples" / "two-row-header.csv",
                    load_mapping(DOCS / "examples" / "two-row-header.toml"))
    stats = job.run()
    assert (stats.created, stats.skipped, stats.warnings) == (3, 0, 0), stats.problems
    first, second, third = (case(f"twrow:TW-{n}") for n in (1, 2, 3))
    assert (first.year, first.year_end, third.year_end) == (2019, 2021, 2021)
    assert (second.year, second.year_end) == (2023, None)
    assert sorted(second.countries.values_list("code", flat=True)) == ["GB", "US"]
    assert list(second.terms.values_list("slug", flat=True)) == ["global-north"]
    assert sorted(third.terms.values_list("slug", flat=True)) == ["global-north", "global-south"]
    assert roles(first) == [("Data labellers", "harmed_party"), ("OpenAI, Inc.", "client"),
                            ("Sama", "client")]
    assert roles(second) == [("OpenAI, Inc.", "client"), ("Voice recorders", "harmed_party")]
    assert first.sources.get().url == "https://example.org/labellers"  # { letter = "H" }


@pytest.mark.django_db
@pytest.mark.parametrize("column", ['{ letter = "B" }', '{ letter = "b" }', "{ position = 2 }"])
def test_a_column_can_be_named_by_its_letter_or_position(vocabularies, tmp_path, column):
    mapping = SIMPLE.replace('title = "Headline"', f"title = {column}")
    _job, stats = import_text(tmp_path, HEADER + "1,The title,S,2020,,\n", mapping)
    assert stats.created == 1
    assert case("simple:1").title == "The title"


@pytest.mark.django_db
def test_a_column_named_by_letter_is_shown_with_its_header_name_in_messages(vocabularies,
                                                                          tmp_path):
    mapping = SIMPLE.replace('title = "Headline"', 'title = { letter = "B" }')
    _job, stats = import_text(tmp_path, HEADER + "1,,S,2020,,\n", mapping)
    assert str(stats.problems[0]) == "line 2, column B (Headline): A title is required."


@pytest.mark.django_db
def test_repeated_column_names_can_be_told_apart_by_letter(vocabularies, tmp_path):
    mapping = SIMPLE.replace('summary = "Description"', 'summary = { letter = "C" }')
    _job, stats = import_text(tmp_path, "ID,Headline,Headline,Occurred,Deployer,Sector\n"
                              "1,T,The summary,2020,,\n", mapping.replace(
                                  'title = "Headline"', 'title = { letter = "B" }'))
    assert case("simple:1").summary == "The summary"


@pytest.mark.django_db
def test_every_mistake_of_a_mapping_is_reported_together_before_any_row(vocabularies,
                                                                       tmp_path):
    mapping = (SIMPLE.replace('title = "Headline"', 'title = ""\ndate_format = "%Y-%Y"')
               .replace('column = "Deployer"', 'column = "Deployers"')
               .replace('column = "Sector"', 'column = { letter = "Q" }')
               .replace("create = true", "create = false"))
    path, mapping_path = write(tmp_path, HEADER + "1,T,S,2020,,\n", mapping)
    with pytest.raises(CommandError) as caught:
        call_command("import", "csv", str(path), "--mapping", str(mapping_path))
    text = str(caught.value)
    for expected in ("[fields]: title is empty: name a column",
                     "date_format: %Y-%Y names the same part twice",
                     "actors #1: the file has no column 'Deployers' (did you mean Deployer?)",
                     "terms #1: there is no column Q: the file has 6 columns",
                     "There is no taxonomy simple_sector", "The columns are: A ID, B Headline"):
        assert expected in text, expected
    assert not Case.objects.exists()


def test_a_column_given_as_something_else_than_a_name_letter_or_position_is_refused():
    with pytest.raises(MappingError, match=r'title must be a column name, \{ letter = "C" \}'):
        parse_mapping({"source": {"name": "x"},
                       "fields": {"title": {"letter": "C1"}, "summary": "S"}})


@pytest.mark.django_db
def test_a_span_of_years_in_a_date_column_keeps_the_last_year_on_the_case(vocabularies,
                                                                         tmp_path):
    _job, stats = import_text(tmp_path, HEADER + "1,T,S,2019-2021,,\n2,T,S,2023-,,\n")
    assert stats.created == 2 and not stats.problems
    assert (case("simple:1").year, case("simple:1").year_end, case("simple:1").date) == (
        2019, 2021, "2019")
    assert (case("simple:2").year, case("simple:2").year_end) == (2023, None)


@pytest.mark.django_db
def test_a_later_import_that_ends_a_span_updates_the_last_year(vocabularies, tmp_path):
    import_text(tmp_path, HEADER + "1,T,S,2023-,,\n")
    _job, stats = import_text(tmp_path, HEADER + "1,T,S,2023-2025,,\n")
    assert stats.updated == 1
    assert case("simple:1").year_end == 2025


@pytest.mark.django_db
def test_countries_written_as_people_write_them_become_countries_and_regions(vocabularies,
                                                                            tmp_path):
    mapping = SIMPLE.replace('title = "Headline"', 'title = "Headline"\ncountries = "Sector"')
    mapping = mapping.replace("[[terms]]\ncolumn = \"Sector\"\ntaxonomy = \"simple_sector\"\n"
                              "create = true\n", "")
    job, stats = import_text(tmp_path, HEADER + '1,T,S,2020,,"USA, EU, UK"\n'
                             "2,T,S,2020,,California; Multiple; Narnia\n", mapping)
    assert sorted(case("simple:1").countries.values_list("code", flat=True)) == ["GB", "US"]
    assert list(case("simple:1").terms.values_list("slug", flat=True)) == ["global-north"]
    assert list(case("simple:2").countries.values_list("code", flat=True)) == ["US"]
    assert [str(p) for p in stats.problems] == [
        "line 3, column Sector: 'Narnia' is not a country or region name or ISO code; left out"]
    assert "'Multiple' (1)" in job.closing_notes()[0]


@pytest.mark.django_db
def test_a_list_of_actors_in_one_cell_finds_the_actors_people_wrote(vocabularies, tmp_path):
    openai = Actor.objects.create(name="OpenAI", slug="openai")
    _job, stats = import_text(tmp_path, HEADER + '1,T,S,2020,"OpenAI, Inc., You.com, xAI",\n'
                              "2,T,S,2020,Open AI,\n")
    assert roles(case("simple:1")) == [("OpenAI", "deployer"), ("You.com", "deployer"),
                                       ("xAI", "deployer")]
    assert case("simple:2").actors.get() == openai
    assert not stats.problems


@pytest.mark.django_db
def test_a_column_with_its_own_separator_keeps_commas_inside_names(vocabularies, tmp_path):
    mapping = SIMPLE.replace('role = "deployer"', 'role = "deployer"\nseparator = ";"')
    import_text(tmp_path, HEADER + '1,T,S,2020,"Smith, Jones & Partners; Acme",\n', mapping)
    assert roles(case("simple:1")) == [("Acme", "deployer"),
                                       ("Smith, Jones & Partners", "deployer")]


@pytest.mark.django_db
def test_a_name_that_matches_two_actors_is_reported_once_naming_both(vocabularies, tmp_path):
    Actor.objects.create(name="Meta", slug="meta")
    facebook = Actor.objects.create(name="Facebook", slug="facebook")
    ActorAlias.objects.create(actor=facebook, name="Meta Inc")
    _job, stats = import_text(tmp_path, HEADER + "1,T,S,2020,Meta,\n2,T,S,2020,Meta,\n")
    assert [str(p) for p in stats.problems] == [
        "line 2, column Deployer: 'Meta' matches two actors, Meta (meta) and Facebook "
        "(facebook); the case names Meta. If they are one, merge them in the back office"]


# --- The command: messages, an old database, Ctrl-C --------------------------------------------


@pytest.mark.django_db
def test_the_command_lists_skipped_rows_before_the_values_left_out(vocabularies, data):
    out = io.StringIO()
    call_command("import", "csv", str(data / "spreadsheet.csv"), "--mapping",
                 str(data / "spreadsheet.toml"), stdout=out)
    lines = out.getvalue().splitlines()
    skipped = lines.index("Rows skipped: 2, by column: ID 1, Headline 1")
    warnings = next(i for i, line in enumerate(lines) if line.startswith("Values left out"))
    assert skipped < warnings
    assert all(line.startswith("  skipped:") for line in lines[skipped + 1:warnings])


COMMAND = importlib.import_module("visiblework.cases.management.commands.import")


@pytest.mark.django_db
def test_a_database_that_is_not_migrated_is_migrated_before_the_import(vocabularies, tmp_path,
                                                                       monkeypatch):
    migrated = []
    monkeypatch.setattr(COMMAND.MigrationExecutor, "migration_plan", lambda self, t: [("x", 0)])
    monkeypatch.setattr(COMMAND, "call_command", lambda *a, **k: migrated.append(a))
    path, mapping = write(tmp_path, HEADER + "1,T,S,2020,,\n")
    out = io.StringIO()
    call_command("import", "csv", str(path), "--mapping", str(mapping), stdout=out)
    assert migrated == [("migrate",)]
    assert "migrating it first" in out.getvalue()


@pytest.mark.django_db
def test_a_database_that_cannot_be_migrated_stops_with_a_message(vocabularies, tmp_path,
                                                                 monkeypatch):
    def fails(*args, **kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(COMMAND.MigrationExecutor, "migration_plan", lambda self, t: [("x", 0)])
    monkeypatch.setattr(COMMAND, "call_command", fails)
    path, mapping = write(tmp_path, HEADER + "1,T,S,2020,,\n")
    with pytest.raises(CommandError, match=r"could not be migrated \(disk I/O error\)"):
        call_command("import", "csv", str(path), "--mapping", str(mapping))


@pytest.mark.django_db
def test_ctrl_c_keeps_the_finished_batches_and_ends_with_one_line_and_an_audit_entry(
        vocabularies, tmp_path, monkeypatch):
    real = writing.create_cases

    def interrupted(rows, **kwargs):
        if any(data["title"] == "Third" for data, _id, _digest in rows):
            raise KeyboardInterrupt
        return real(rows, **kwargs)

    monkeypatch.setattr(writing, "create_cases", interrupted)
    path, mapping = write(tmp_path, HEADER + "1,First,S,2020,,\n2,Second,S,2020,,\n"
                          "3,Third,S,2020,,\n4,Fourth,S,2020,,\n")
    with pytest.raises(CommandError) as caught:
        call_command("import", "csv", str(path), "--mapping", str(mapping), "--batch-size", "2")
    assert str(caught.value) == (
        "Stopped at line 4: 2 rows written (2 created, 0 updated, 0 unchanged), 0 skipped; the "
        "rows from that line on were not written. Run the same command again to finish.")
    assert sorted(Case.objects.values_list("title", flat=True)) == ["First", "Second"]
    entry = AuditEntry.objects.get(action=AuditAction.IMPORT, object_type="")
    assert entry.summary.endswith("(stopped at line 4)")
    assert (entry.data["interrupted"], entry.data["stopped_at"], entry.data["created"]) == (
        True, 4, 2)


def test_the_two_row_header_example_is_shown_in_the_documentation():
    doc = (DOCS / "importing.md").read_text(encoding="utf-8")
    example = (DOCS / "examples" / "two-row-header.toml").read_text(encoding="utf-8")
    for line in example.splitlines():
        code = line.split("#")[0].strip()
        if code:
            assert code in doc, code
    for line in (DOCS / "examples" / "two-row-header.csv").read_text(encoding="utf-8").splitlines()[:3]:
        assert line in doc, line

"""Atom feeds and the streamed CSV and JSON exports."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    root = ET.fromstring(b"".join(response.streaming_content) if response.streaming
                         else response.content)
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


@pytest.mark.django_db
def test_the_case_feed_lists_published_cases_newest_update_first(catalogue, anonymous):
    midas = catalogue.cases["midas"]
    midas.summary = "Updated summary."
    midas.save()
    response = anonymous.get("/feeds/cases.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = entries(response)
    assert titles[0] == midas.title
    assert len(titles) == 5
    assert catalogue.cases["draft"].title not in titles


@pytest.mark.django_db
def test_there_are_feeds_per_term_and_per_actor(catalogue, anonymous):
    assert set(entries(anonymous.get("/feeds/terms/region/global-south.atom"))) == {
        catalogue.cases["kenya"].title, catalogue.cases["madagascar"].title}
    assert set(entries(anonymous.get("/feeds/actors/amazon.atom"))) == {
        catalogue.cases["drivers"].title, catalogue.cases["recruiting"].title}
    assert anonymous.get("/feeds/actors/nobody.atom").status_code == 404
    assert anonymous.get("/feeds/terms/region/nowhere.atom").status_code == 404


@pytest.mark.django_db
def test_the_csv_export_streams_every_published_case(catalogue, anonymous):
    response = anonymous.get("/export/cases.csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    kenya = next(r for r in rows if r["title"] == catalogue.cases["kenya"].title)
    assert kenya["countries"] == "KE; US"
    assert kenya["actors_client"] == "OpenAI"
    assert kenya["terms_region"] == "Global South"


@pytest.mark.django_db
def test_the_csv_export_defuses_spreadsheet_formulas(catalogue, anonymous):
    case = catalogue.cases["midas"]
    case.title = "=HYPERLINK(\"http://evil\")"
    case.save()
    text = b"".join(anonymous.get("/export/cases.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_the_json_export_matches_the_filters_of_the_browse_page(catalogue, anonymous):
    response = anonymous.get("/export/cases.json", {"region": "global-north"})
    body = json.loads(b"".join(response.streaming_content))
    assert len(body["items"]) == 3
    assert all("global-north" in i["terms"]["region"] for i in body["items"])


@pytest.mark.django_db
def test_exports_read_cases_in_bounded_chunks(catalogue, anonymous, monkeypatch):
    from visiblework.cases import exports

    monkeypatch.setattr(exports, "CHUNK", 2)
    body = json.loads(b"".join(anonymous.get("/export/cases.json").streaming_content))
    assert len(body["items"]) == 5

"""Pages about the whole site."""

import re

import pytest

from visiblework.refdata import packaged
from visiblework.refdata.loader import load_refdata

from ..refdata.test_small_folders import make_folder


@pytest.mark.django_db
def test_the_data_use_policy_says_what_the_data_may_not_be_used_for(anonymous):
    html = anonymous.get("/about/data-use/").content.decode()
    assert "may not be used to identify, track, monitor or manage workers" in html
    assert "withdraw" in html.lower()


@pytest.mark.django_db
def test_the_reference_data_page_states_source_licence_version_and_date(anonymous):
    meta = packaged.metadata()
    html = anonymous.get("/about/data/").content.decode()
    assert "World Bank, World Development Indicators" in html and "datasets/country-codes" in html
    assert 'rel="license">CC BY 4.0</a>' in html and 'rel="license">PDDL 1.0</a>' in html
    assert f"<code>{meta.version}</code>" in html
    assert f'<time datetime="{meta.made_on.isoformat()}">' in html
    assert "visiblework refdata snapshot ../shared/data/refdata" in html
    assert "The packaged snapshot above." in html


@pytest.mark.django_db
def test_every_page_links_to_the_reference_data_from_its_footer(anonymous):
    assert 'href="/about/data/"' in anonymous.get("/about/data-use/").content.decode()


@pytest.mark.django_db
def test_the_reference_data_page_names_files_an_administrator_loaded(anonymous, tmp_path):
    stats = load_refdata(make_folder(tmp_path / "data"), progress=False)
    html = anonymous.get("/about/data/").content.decode()
    assert "Files an administrator loaded on" in html and stats.digest[:12] in html


@pytest.mark.django_db
def test_the_reference_data_page_survives_a_broken_package(anonymous, monkeypatch):
    def broken():
        raise packaged.SnapshotError("metadata.json cannot be read")

    monkeypatch.setattr(packaged, "metadata", broken)
    response = anonymous.get("/about/data/")
    assert response.status_code == 200 and "cannot be read" in response.content.decode()


@pytest.mark.django_db
def test_it_serves_a_favicon_and_every_page_links_one(anonymous):
    response = anonymous.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = anonymous.get("/about/data-use/").content.decode()
    assert '<link rel="icon" href="/static/vw/favicon.svg" type="image/svg+xml">' in html


@pytest.mark.django_db
def test_every_page_has_open_graph_and_twitter_card_tags(anonymous):
    html = anonymous.get("/about/data-use/?lang=fr").content.decode()
    title = re.search(r"<title>(.*?) · ", html).group(1)
    assert title and f'<meta property="og:title" content="{title}">' in html
    assert f'<meta name="twitter:title" content="{title}">' in html
    assert '<meta property="og:url" content="http://testserver/about/data-use/">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta property="og:description" content="' in html

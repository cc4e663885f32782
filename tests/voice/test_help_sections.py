"""The organisations that match, shown on pages other apps own: after a worker's report, on an
actor's page and on a country's page of cases."""

from __future__ import annotations

import pytest

from tests.reports.test_reports import form_data
from visiblework.voice.help import save_organisation

from .help_helpers import directory_fixture, facts  # noqa: F401


def section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start: html.index("</section>", start)]


@pytest.mark.django_db
def test_a_worker_sees_who_helps_with_their_work_in_their_country(anonymous, catalogue,
                                                                  directory):
    response = anonymous.post("/reports/new/", form_data(task_type="content_moderation"))
    assert response.status_code == 201
    box = section(response.content.decode(), 'id="vw-help-report"')
    assert "/help/kenya-union/" in box and "/help/global-research/" in box
    assert box.index("kenya-union") < box.index("global-research")
    assert "uk-data-rights" not in box and "hidden-org" not in box
    assert "/help/?country=KE&amp;task_type=content_moderation" in box


@pytest.mark.django_db
def test_the_match_follows_the_kind_of_work(anonymous, catalogue, directory):
    response = anonymous.post("/reports/new/", form_data(task_type="text_annotation"))
    box = section(response.content.decode(), 'id="vw-help-report"')
    assert "/help/global-research/" in box and "kenya-union" not in box


@pytest.mark.django_db
def test_a_platforms_page_shows_who_helps_in_its_countries(anonymous, catalogue, directory):
    html = anonymous.get("/actors/sama/").content.decode()  # a vendor in the US; cases in KE, MG
    box = section(html, 'id="vw-help-actor"')
    assert "/help/kenya-union/" in box and "/help/global-research/" in box
    assert "uk-data-rights" not in box


@pytest.mark.django_db
def test_an_organisations_actor_page_links_its_help_page_and_back(anonymous, directory):
    html = anonymous.get("/actors/kenya-union/").content.decode()
    box = section(html, 'id="vw-help-box"')
    assert 'href="/help/kenya-union/"' in box and "Kenya Moderators Union helps." in box
    assert 'id="vw-help-actor"' not in html  # it gives help; it is not a workplace
    assert 'href="/actors/kenya-union/"' in anonymous.get("/help/kenya-union/").content.decode()


@pytest.mark.django_db
def test_an_actor_without_a_help_profile_has_no_box(anonymous, catalogue, directory):
    assert 'id="vw-help-box"' not in anonymous.get("/actors/sama/").content.decode()


@pytest.mark.django_db
def test_a_countrys_page_of_cases_shows_who_helps_there(anonymous, catalogue, directory):
    html = anonymous.get("/cases/?country=KE").content.decode()
    box = section(html, 'id="vw-help-country"')
    assert "Kenya" in box
    assert "/help/kenya-union/" in box and "/help/global-research/" in box
    assert "uk-data-rights" not in box and "hidden-org" not in box


@pytest.mark.django_db
def test_only_a_single_country_gets_the_section(anonymous, catalogue, directory):
    assert 'id="vw-help-country"' not in anonymous.get("/cases/").content.decode()
    assert 'id="vw-help-country"' not in anonymous.get(
        "/cases/?country=KE&country=US").content.decode()


@pytest.mark.django_db
def test_a_kept_country_page_shows_a_new_organisation(anonymous, catalogue, directory, settings):
    settings.VISIBLEWORK_PAGE_CACHE = True
    assert "new-in-kenya" not in anonymous.get("/cases/?country=KE").content.decode()
    save_organisation(facts("New In Kenya", countries=["KE"]), slug="new-in-kenya")
    assert "/help/new-in-kenya/" in anonymous.get("/cases/?country=KE").content.decode()

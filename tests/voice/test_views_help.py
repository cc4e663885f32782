"""The pages of "who can help": the directory, an organisation's page, suggesting, the feed,
and the editors' queue for organisations."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from visiblework.cases.models import Contribution
from visiblework.voice.models import HelpProfile

from .help_helpers import directory_fixture  # noqa: F401

ATOM = "{http://www.w3.org/2005/Atom}"


def suggestion(**overrides) -> dict:
    data = {
        "name": "Moderators Helpline", "kind": "organisation", "url": "https://help.example.org",
        "summary": "They <b>listen</b>.", "help_kinds": ["mental_health"],
        "countries": "Kenya, Uganda", "languages": "Swahili, English",
        "task_types": ["content_moderation"], "note": "", "website": "",
        "contacts-TOTAL_FORMS": "2", "contacts-INITIAL_FORMS": "0",
        "contacts-0-kind": "email", "contacts-0-value": "care@help.example.org",
        "contacts-0-label": "", "contacts-1-kind": "", "contacts-1-value": "",
        "contacts-1-label": "",
        "sources-TOTAL_FORMS": "2", "sources-INITIAL_FORMS": "0",
        "sources-0-url": "https://help.example.org/about", "sources-0-title": "About",
        "sources-0-publisher": "Helpline", "sources-1-url": "", "sources-1-title": "",
        "sources-1-publisher": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_directory_lists_published_organisations(anonymous, directory):
    html = anonymous.get("/help/").content.decode()
    assert "Kenya Moderators Union" in html and "Global Research" in html
    assert "Hidden Org" not in html


@pytest.mark.django_db
def test_the_directory_filters_by_country_language_work_and_help(anonymous, directory):
    html = anonymous.get("/help/?country=GB&language=pl&task_type=text_annotation"
                         "&help=data_rights").content.decode()
    assert "UK Data Rights" in html
    assert "Kenya Moderators Union" not in html and "Global Research" not in html


@pytest.mark.django_db
def test_the_country_filter_shows_names_in_the_readers_language(anonymous, directory):
    html = anonymous.get("/help/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Royaume-Uni" in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["country=XX", "language=zz", "task_type=mining", "help=money",
                                   "country=KE&country=UG", "country=%3Cb%3E"])
def test_bad_filter_values_get_a_400_with_a_message(anonymous, directory, query):
    response = anonymous.get(f"/help/?{query}")
    assert response.status_code == 400
    assert b'role="alert"' in response.content


@pytest.mark.django_db
def test_an_organisations_page_shows_its_facts_contacts_and_sources(anonymous, directory):
    response = anonymous.get("/help/kenya-union/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "mailto:help@union.example.org" in html
    assert "https://example.org/about" in html
    assert "Kiswahili" in html or "Swahili" in html
    assert 'href="/actors/kenya-union/"' in html
    assert "/help/suggest/?organisation=kenya-union" in html


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["nobody", "hidden-org"])
def test_an_unknown_or_unpublished_organisation_is_not_found(anonymous, directory, slug):
    assert anonymous.get(f"/help/{slug}/").status_code == 404


@pytest.mark.django_db
def test_the_feed_is_valid_atom_listing_the_organisations(anonymous, directory):
    response = anonymous.get("/help/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = {e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")}
    assert titles == {"Kenya Moderators Union", "Global Research", "UK Data Rights"}
    assert all(e.find(f"{ATOM}updated") is not None for e in root.findall(f"{ATOM}entry"))


@pytest.mark.django_db
def test_suggesting_an_organisation_gives_a_tracking_code(anonymous, vocabularies):
    response = anonymous.post("/help/suggest/", suggestion())
    assert response.status_code == 201
    code = response.context["tracking_code"]
    contribution = Contribution.objects.get()
    assert contribution.kind == "organisation" and contribution.status == "pending"
    assert contribution.payload["summary"] == "They listen."
    assert contribution.payload["countries"] == ["KE", "UG"]
    assert contribution.payload["languages"] == ["sw", "en"]
    track = anonymous.get(f"/contribute/track/{code}/").content.decode()
    assert "Moderators Helpline" in track and "Waiting for review" in track


@pytest.mark.django_db
def test_a_bad_suggestion_gets_a_400_and_keeps_what_was_typed(anonymous, vocabularies):
    response = anonymous.post("/help/suggest/", suggestion(
        countries="Atlantis", **{"sources-0-url": "", "sources-0-title": ""}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Atlantis" in html and "Moderators Helpline" in html and 'role="alert"' in html
    assert not Contribution.objects.exists()


@pytest.mark.django_db
def test_suggestions_are_rate_limited(anonymous, vocabularies, settings):
    from visiblework.voice import views_help

    settings.VISIBLEWORK_RATE_LIMITS = True
    statuses = [anonymous.post("/help/suggest/", suggestion()).status_code
                for _ in range(views_help.SUGGESTIONS_PER_HOUR + 1)]
    assert statuses[-1] == 429
    assert Contribution.objects.count() == views_help.SUGGESTIONS_PER_HOUR


@pytest.mark.django_db
def test_a_correction_starts_from_what_the_directory_says(anonymous, directory):
    html = anonymous.get("/help/suggest/?organisation=kenya-union").content.decode()
    assert 'value="Kenya Moderators Union"' in html and "help@union.example.org" in html
    assert anonymous.get("/help/suggest/?organisation=hidden-org").status_code == 404


@pytest.mark.django_db
def test_a_correction_is_queued_against_the_organisation(anonymous, directory):
    response = anonymous.post("/help/suggest/", suggestion(
        organisation="kenya-union", name="Kenya Moderators Union"))
    assert response.status_code == 201
    contribution = Contribution.objects.get()
    assert contribution.kind == "org_update"
    assert contribution.organisation == directory.kenya.actor


@pytest.mark.django_db
def test_an_editor_accepts_a_suggestion_from_the_queue(anonymous, editor, vocabularies):
    anonymous.post("/help/suggest/", suggestion())
    contribution = Contribution.objects.get()
    page = editor.get(f"/review/contributions/{contribution.pk}/")
    assert page.status_code == 200 and "Moderators Helpline" in page.content.decode()
    assert "Moderators Helpline" in editor.get("/review/?kind=organisation").content.decode()
    response = editor.post(f"/review/contributions/{contribution.pk}/accept/",
                           suggestion(summary="They listen, in confidence."))
    assert response.status_code == 302
    assert response["Location"] == "/help/moderators-helpline/"
    profile = HelpProfile.objects.get(actor__slug="moderators-helpline")
    assert profile.summary == "They listen, in confidence."
    assert profile.sources[0]["url"] == "https://help.example.org/about"
    assert anonymous.get("/help/moderators-helpline/").status_code == 200
    assert "moderators-helpline" in anonymous.get("/help/?country=UG").content.decode()


@pytest.mark.django_db
def test_an_editor_sees_a_400_when_the_accepted_version_is_bad(anonymous, editor, vocabularies):
    anonymous.post("/help/suggest/", suggestion())
    contribution = Contribution.objects.get()
    response = editor.post(f"/review/contributions/{contribution.pk}/accept/",
                           suggestion(help_kinds=[]))
    assert response.status_code == 400
    assert Contribution.objects.get().status == "pending"


@pytest.mark.django_db
def test_an_editor_hides_an_organisation_in_the_back_office(editor, anonymous, directory):
    url = f"/admin/voice/helpprofile/{directory.kenya.pk}/change/"
    assert editor.get(url).status_code == 200
    response = editor.post(url, {"published": ""})
    assert response.status_code == 302
    assert anonymous.get("/help/kenya-union/").status_code == 404
    assert "kenya-union" not in anonymous.get("/help/?country=KE").content.decode()
    assert editor.get("/admin/voice/helpprofile/add/").status_code == 403

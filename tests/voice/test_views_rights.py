"""/rights/: the form, the letter on the page and as a download, never cached; bad input is
a 400 with a message and no letter."""

import pytest

from visiblework.voice.laws import LAWS, REQUESTS, Missing

pytestmark = pytest.mark.django_db

GOOD = {"actor": "openai", "law": "gdpr", "request": "access", "name": "Ann Writer",
        "email": "ann@example.org", "details": "", "language": "en"}


def test_the_form_lists_the_companies_laws_and_requests(anonymous, company):
    response = anonymous.get("/rights/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="openai"' in page
    for key in LAWS:
        assert f'value="{key}"' in page
    for key in REQUESTS:
        assert f'value="{key}"' in page
    assert "This is not legal advice." in page
    assert "https://openai.com/policies/privacy-policy" in page


def test_the_form_shows_every_law_with_its_sources(anonymous, company):
    page = anonymous.get("/rights/").content.decode()
    for law in LAWS.values():
        for source in law.all_sources():
            assert source.url.replace("&", "&amp;") in page, source.url


@pytest.mark.parametrize("law_key", list(LAWS))
@pytest.mark.parametrize("kind", list(REQUESTS))
def test_the_page_writes_a_letter_for_every_law_or_says_why_not(anonymous, company, law_key,
                                                                 kind):
    response = anonymous.post("/rights/", {**GOOD, "law": law_key, "request": kind})
    assert response.status_code == 200
    page = response.content.decode()
    right = LAWS[law_key].rights[kind]
    if isinstance(right, Missing):
        assert "No letter for this request" in page and 'id="letter-text"' not in page
    else:
        assert 'id="letter-text"' in page
        for provision in right.provisions:
            assert provision.replace("&", "&amp;") in page


def test_the_letter_page_is_never_cached(anonymous, company):
    for response in (anonymous.get("/rights/"), anonymous.post("/rights/", GOOD)):
        assert "no-store" in response["Cache-Control"]


def test_the_letter_page_is_not_kept_in_the_page_cache(anonymous, company, settings):
    settings.VISIBLEWORK_PAGE_CACHE = True
    anonymous.get("/rights/")
    company.email = "changed@openai.com"
    company.save()
    assert "changed@openai.com" in anonymous.get("/rights/").content.decode()


def test_a_letter_in_another_language_has_the_english_beside_it(anonymous, company):
    page = anonymous.post("/rights/", {**GOOD, "language": "fr"}).content.decode()
    assert 'id="letter-text"' in page and 'id="letter-text-en"' in page


def test_the_language_defaults_to_the_page_language(anonymous, company):
    page = anonymous.get("/rights/?lang=sw").content.decode()
    assert '<option value="sw" selected>' in page


def test_the_download_is_the_same_letter_as_a_text_attachment(anonymous, company):
    response = anonymous.post("/rights/", {**GOOD, "language": "es", "download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "Ann Writer" in text and "Art. 15(1)(h)" in text and "Dear privacy team," in text


@pytest.mark.parametrize("change,field", [
    ({"actor": "nobody"}, "actor"), ({"law": "martian"}, "law"),
    ({"request": "everything"}, "request"), ({"name": ""}, "name"),
    ({"email": "not-an-address"}, "email"), ({"email": ""}, "email"),
    ({"language": "xx"}, "language")])
def test_bad_input_is_a_400_with_a_message_and_no_letter(anonymous, company, change, field):
    response = anonymous.post("/rights/", {**GOOD, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and f'href="#id_{field}"' in page
    assert 'id="letter-text"' not in page


def test_a_company_without_a_privacy_contact_cannot_be_chosen(anonymous, company):
    from visiblework.cases.models import Actor
    Actor.objects.create(slug="sama", name="Sama", kind="vendor")
    assert anonymous.post("/rights/", {**GOOD, "actor": "sama"}).status_code == 400


def test_the_page_says_so_when_no_company_has_a_contact(anonymous, db):
    page = anonymous.get("/rights/").content.decode()
    assert "No company has a privacy contact here yet." in page

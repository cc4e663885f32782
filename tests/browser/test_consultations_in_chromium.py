"""Consultations in Chromium: no serious accessibility violation on the public pages, the
change log and the editors' screens, in English and Arabic, at desktop and phone widths; a
worker votes and changes the vote with JavaScript turned off."""

import pytest

from .conftest import seeded_site, shoot
from .test_accessibility import serious

PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(live_server, vocabularies, editor_user):
    return seeded_site(live_server.url, "consult")


def _public_pages() -> list[str]:
    from visiblework.voice.models import Consultation

    return ["/consultations/", "/insights/method/",
            *[f"/consultations/{c.slug}/" for c in Consultation.objects.exclude(status="draft")]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_consultation_pages_have_no_serious_accessibility_violation(site, browser, lang):
    from visiblework.voice.models import Consultation

    pages = _public_pages()
    assert len(pages) >= 4  # the demo's closed and open consultations
    problems = {}
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for path in pages:
            page.goto(f"{site}{path}?lang={lang}")
            found = serious(page)
            if found:
                problems[(width, path)] = found
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
        page.goto(f"{site}/admin/login/?next=/review/")
        page.fill("#id_username", "ed")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        closed = Consultation.objects.filter(status="closed").first()
        for path in ("/review/consultations/", f"/review/consultations/{closed.slug}/"):
            page.goto(f"{site}{path}?lang={lang}")
            found = serious(page)
            if found:
                problems[(width, path)] = found
        if width == 390:
            page.goto(f"{site}/consultations/{closed.slug}/?lang={lang}")
            shoot(page, f"60-consultation-{lang}.png")
        context.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_worker_votes_and_changes_the_vote_without_javascript(site, browser):
    from visiblework.accounts.models import Role, User
    from visiblework.voice.models import Consultation

    from ..voice.consultation_helpers import file_report

    worker = User.objects.create_user("quiet-lake-7", password=PASSWORD, role=Role.WORKER)
    file_report(worker)
    consultation = Consultation.objects.get(status="open")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "quiet-lake-7")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{site}/consultations/{consultation.slug}/")
    page.check(f"input[name=option][value={consultation.options[1]['key']}]")
    page.click("form[action$='/vote/'] button[type=submit]")
    assert "Your vote:" in page.inner_text("main")
    assert consultation.options[1]["label"] in page.inner_text(".notice")
    page.check(f"input[name=option][value={consultation.options[2]['key']}]")
    page.click("form[action$='/vote/'] button[type=submit]")
    assert consultation.options[2]["label"] in page.inner_text(".notice")
    assert page.is_checked(f"input[name=option][value={consultation.options[2]['key']}]")
    context.close()

"""The editors' consultation screens: bad input keeps what was typed and says why; no screen
shows a count before publication or who voted."""

from __future__ import annotations

import pytest

from visiblework.voice import consultations
from visiblework.voice.models import Consultation

from ..voice.consultation_helpers import KEYS, eligible_worker, open_consultation, today

pytestmark = pytest.mark.django_db


def test_a_consultation_with_one_option_is_a_400_that_keeps_what_was_typed(editor):
    response = editor.post("/review/consultations/", {
        "question": "Which k?", "explanation": "Some words", "options": "Only five",
        "opens_on": today(), "closes_on": today()})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'role="alert"' in text and "between 2 and 8 options" in text
    assert "Which k?" in text and "Some words" in text and "Only five" in text
    assert not Consultation.objects.exists()


def test_a_bad_date_is_a_400_with_a_message(editor):
    response = editor.post("/review/consultations/", {
        "question": "Q?", "options": "A\nB", "opens_on": "not a day", "closes_on": "2001-01-01"})
    assert response.status_code == 400 and b'role="alert"' in response.content


def test_a_new_consultation_is_saved_as_a_draft_with_markup_stripped(editor):
    editor.post("/review/consultations/", {
        "question": "<b>Which</b> k?", "options": "Five\n<i>Ten</i>\n\n", "opens_on": today(),
        "closes_on": today()})
    c = Consultation.objects.get()
    assert c.question == "Which k?" and c.status == "draft"
    assert [o["label"] for o in c.options] == ["Five", "Ten"]


def test_the_editors_screen_shows_no_count_and_no_voter_before_publication(editor):
    c = open_consultation()
    consultations.vote(eligible_worker("canary-voter-zz9"), c, KEYS[1])
    text = editor.get(f"/review/consultations/{c.slug}/").content.decode()
    assert "canary-voter-zz9" not in text and "%" not in text
    assert "No count is shown" in text


def test_a_decision_before_closing_is_a_400_with_the_reason(editor):
    c = open_consultation()
    response = editor.post(f"/review/consultations/{c.slug}/decide/",
                           {"decision": "D", "reason": "R"})
    assert response.status_code == 400 and b"once the consultation is closed" in response.content


def test_an_empty_decision_is_a_400_that_keeps_the_reason(editor, settings):
    settings.VISIBLEWORK_K = 1
    c = consultations.close(open_consultation())
    response = editor.post(f"/review/consultations/{c.slug}/decide/",
                           {"decision": "", "reason": "Kept words"})
    assert response.status_code == 400 and b"Kept words" in response.content
    c.refresh_from_db()
    assert c.decided_on is None


def test_opening_twice_says_why_it_cannot(editor):
    c = open_consultation()
    response = editor.post(f"/review/consultations/{c.slug}/open/", follow=True)
    assert b"Only a draft can be opened." in response.content

"""The method's change log, /insights/method/: its entries, their links, its bounds."""

from __future__ import annotations

import datetime

import pytest

from visiblework.insights import views_method
from visiblework.insights.models import MethodChange
from visiblework.voice import consultations

from ..voice.consultation_helpers import KEYS, closed_consultation

pytestmark = pytest.mark.django_db


def test_a_decided_consultation_appears_in_the_change_log_with_a_link_to_it(anonymous, settings,
                                                                             editor_user):
    settings.VISIBLEWORK_K = 1
    c = closed_consultation({KEYS[2]: 2})
    consultations.decide(editor_user, c, "Use a living wage", "Most voted so.")
    text = anonymous.get("/insights/method/").content.decode()
    assert "Use a living wage" in text and "Most voted so." in text
    assert f'href="/consultations/{c.slug}/"' in text and c.question in text
    assert anonymous.get(f"/consultations/{c.slug}/").status_code == 200


def test_a_link_to_another_site_is_not_made_a_link(anonymous):
    MethodChange.objects.create(changed_on=datetime.date(2026, 1, 1), title="T", reason="R",
                                decided_at_url="javascript:alert(1)", decided_at_title="Elsewhere")
    MethodChange.objects.create(changed_on=datetime.date(2026, 1, 2), title="T2", reason="R",
                                decided_at_url="//evil.example/", decided_at_title="Far")
    text = anonymous.get("/insights/method/").content.decode()
    assert "javascript:" not in text and "evil.example" not in text
    assert "Elsewhere" in text and "Far" in text


def test_the_change_log_is_paged(anonymous, monkeypatch):
    monkeypatch.setattr(views_method, "PAGE", 2)
    for day in range(1, 6):
        MethodChange.objects.create(changed_on=datetime.date(2026, 1, day), title=f"Change {day}",
                                    reason="R")
    first = anonymous.get("/insights/method/").content.decode()
    assert "Change 5" in first and "Change 4" in first and "Change 3" not in first
    assert 'href="?page=2"' in first
    assert "Change 1" in anonymous.get("/insights/method/?page=3").content.decode()
    assert anonymous.get("/insights/method/?page=x").status_code == 200


def test_the_insights_page_links_to_the_change_log(anonymous):
    assert 'href="/insights/method/"' in anonymous.get("/insights/").content.decode()


def test_an_empty_change_log_says_so(anonymous):
    assert b"No change to the method" in anonymous.get("/insights/method/").content

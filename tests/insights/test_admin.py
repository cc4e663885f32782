"""The editors' back office for scorecards: the points a release gives evidence for are
added with one action."""

import pytest

from visiblework.cases.models import Actor
from visiblework.insights.models import Scorecard

from .test_platform_figures import platform_release


@pytest.mark.django_db
def test_an_editor_adds_the_release_points_to_a_scorecard_with_one_action(catalogue, editor):
    platform_release()
    card = Scorecard.objects.create(actor=Actor.objects.get(slug="sama"), year=2026)
    response = editor.post("/admin/insights/scorecard/", {
        "action": "fill_from_latest_release", "_selected_action": [card.pk]}, follow=True)
    assert response.status_code == 200
    assert "1 scorecard now has the points of release p1." in response.content.decode()
    point = card.points.get(principle="pay", level=1)
    assert point.awarded and point.release_cells.get().dims == {"platform": "sama"}

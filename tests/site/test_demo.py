"""`visiblework demo` ends with a published release and scorecards filled from it."""

import pytest
from django.core.management import call_command

from visiblework.insights.models import Scorecard
from visiblework.reports import demo as demo_reports
from visiblework.site.management.commands import demo


@pytest.mark.django_db
def test_the_demo_ends_with_at_least_two_scorecards_whose_points_link_to_the_release(
        vocabularies, monkeypatch, settings, tmp_path):
    settings.HOME = tmp_path
    monkeypatch.setattr(demo, "make_demo_reports",
                        lambda: demo_reports.make_demo_reports(n=3000))
    call_command("demo", "--no-serve")
    cards = Scorecard.objects.filter(points__release_cells__release__label="demo").distinct()
    assert cards.count() >= 2
    for card in cards:
        assert card.points.filter(principle="pay", reasoning__contains="%").exists()

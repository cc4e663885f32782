"""Extra cells from higher floors (settings.VISIBLEWORK_RELEASE_EXTRAS): a release stores
them beside its own, records their separate ε in its budget, and its page states it."""

import pytest

from visiblework.insights import releases
from visiblework.insights.models import ReleaseCell
from visiblework.reports.demo import make_demo_reports

calls = []


def fake_extra(*, cutoff, k):
    calls.append((cutoff, k))
    return releases.ExtraCells(
        name="fake", title="Fake extra statistics", epsilon=0.25, dims=("actor", "law"),
        method="test method",
        cells=[{"dims": {"actor": "a", "law": "gdpr"}, "suppressed": False, "workers": 9,
                "stats": {"in_time_share": 1.0}},
               {"dims": {"actor": "a", "law": "ccpa"}, "suppressed": True, "workers": None,
                "stats": {}}])


def empty_extra(*, cutoff, k):
    return releases.ExtraCells(name="empty", title="Nothing", epsilon=9.0, dims=("x",),
                               method="none")


@pytest.fixture
def reports(catalogue):
    make_demo_reports(n=12, seed=11)


@pytest.mark.django_db
def test_a_build_stores_the_extra_cells_and_their_separate_epsilon(reports, settings):
    settings.VISIBLEWORK_RELEASE_EXTRAS = ["tests.insights.test_release_extras.fake_extra",
                                           "tests.insights.test_release_extras.empty_extra"]
    calls.clear()
    release = releases.build_release("x1", epsilon=1.0, delta=1e-6, k=2)
    assert calls == [(release.cutoff, 2)]
    cells = {c.dims["law"]: c for c in ReleaseCell.objects.filter(release=release,
                                                                  dims_key="actor,law")}
    assert cells["gdpr"].workers == 9 and cells["gdpr"].stats == {"in_time_share": 1.0}
    assert cells["ccpa"].suppressed and cells["ccpa"].workers is None and not cells["ccpa"].stats
    assert release.budget["extras"] == [{"name": "fake", "title": "Fake extra statistics",
                                         "epsilon": 0.25, "dims": ["actor", "law"],
                                         "method": "test method", "cells": 2}]
    assert release.epsilon == 1.0  # the release's own ε is unchanged


@pytest.mark.django_db
def test_the_release_page_states_the_extras_epsilon(reports, settings, editor):
    settings.VISIBLEWORK_RELEASE_EXTRAS = ["tests.insights.test_release_extras.fake_extra"]
    release = releases.build_release("x2", epsilon=1.0, delta=1e-6, k=2)
    releases.publish(release)
    page = editor.get(f"/releases/{release.label}/").content.decode()
    assert "Fake extra statistics: a separate privacy loss of ε = 0.25" in page


@pytest.mark.django_db
def test_without_extras_a_release_is_as_before(reports, settings):
    settings.VISIBLEWORK_RELEASE_EXTRAS = []
    release = releases.build_release("x3", epsilon=1.0, delta=1e-6, k=2)
    assert "extras" not in release.budget

"""Building a release from the reports: the public bound on its per-worker tables."""

import pytest
from django.test import override_settings

from visiblework.insights.models import Release
from visiblework.insights.releases import ReleaseError, build_release
from visiblework.reports.demo import make_demo_reports


@pytest.mark.django_db
def test_a_release_with_more_workers_than_its_public_bound_is_refused_naming_the_setting(
        catalogue):
    make_demo_reports(n=60, seed=8)
    with override_settings(VISIBLEWORK_RELEASE_MAX_LENGTH=5), \
            pytest.raises(ReleaseError, match="VISIBLEWORK_RELEASE_MAX_LENGTH"):
        build_release("too-many", epsilon=1.0, delta=1e-6, k=5)
    assert not Release.objects.filter(label="too-many").exists()

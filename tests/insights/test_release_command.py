"""`visiblework release build|publish|list` on real reports, with the OpenDP engine."""

import pytest
from django.core.management import CommandError, call_command

from visiblework.insights.models import Release
from visiblework.reports.demo import make_demo_reports


@pytest.mark.django_db
def test_the_release_command_builds_a_preview_and_publishes_it(catalogue, capsys):
    make_demo_reports(n=3000, seed=3)
    call_command("release", "build", "--label", "test-1", "--epsilon", "2", "--k", "5",
                 "--no-progress")
    release = Release.objects.get(label="test-1")
    assert release.status == "preview" and release.synthetic_reports == 3000
    assert release.cells.filter(suppressed=False).exists()
    assert "It is a preview" in capsys.readouterr().out
    call_command("release", "publish", "test-1")
    assert Release.objects.get(label="test-1").status == "published"
    with pytest.raises(CommandError):
        call_command("release", "publish", "test-1")
    with pytest.raises(CommandError):
        call_command("release", "build", "--label", "test-1", "--no-progress")
    call_command("release", "list")
    assert "test-1" in capsys.readouterr().out


@pytest.mark.django_db
def test_withdrawn_reports_are_left_out_of_later_releases(catalogue):
    from visiblework.insights.releases import report_frame
    from visiblework.reports.models import Report

    make_demo_reports(n=200, seed=4)
    first = Report.objects.order_by("id").first()
    first.status = "withdrawn"
    first.save()
    frame = report_frame(first.received_month)
    assert frame.height == 199
    assert f"r{first.pk}" not in set(frame["worker"].to_list())

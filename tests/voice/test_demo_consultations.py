"""The demo's consultations: one closed with published results and a decision in the method's
change log, one open; safe to run again."""

from __future__ import annotations

import pytest

from visiblework.insights.models import MethodChange
from visiblework.reports.models import Report
from visiblework.voice import demo, demo_consultations
from visiblework.voice.models import Consultation, ConsultationStatus, Vote

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_consultation_with_results_and_a_decision(settings, anonymous):
    settings.VISIBLEWORK_K = 5
    assert demo_consultations.seed()
    closed = Consultation.objects.get(question=demo_consultations.CLOSED["question"])
    assert closed.status == ConsultationStatus.CLOSED
    assert closed.results["suppressed"] is False and closed.results["voters"] >= 5
    change = MethodChange.objects.get()
    assert change.decided_at_url == f"/consultations/{closed.slug}/"
    assert Consultation.objects.filter(status=ConsultationStatus.OPEN).count() == 1
    text = anonymous.get(f"/consultations/{closed.slug}/").content.decode()
    assert "A living wage" in text and "%" in text and closed.decision in text
    assert anonymous.get("/insights/method/").content.decode().count(closed.slug) == 1


def test_the_demo_voters_are_labelled_demo_accounts_with_synthetic_reports():
    demo_consultations.seed()
    reports = Report.objects.filter(worker__username__startswith=demo_consultations.VOTER_PREFIX)
    assert reports.count() == sum(demo_consultations.CLOSED_VOTES.values())
    assert not reports.filter(synthetic=False).exists()


def test_the_demo_seed_is_idempotent_and_part_of_the_voice_demo():
    assert demo_consultations.seed in demo.PARTS
    demo_consultations.seed()
    counts = (Consultation.objects.count(), Vote.objects.count(), MethodChange.objects.count(),
              Report.objects.count())
    assert demo_consultations.seed() is None
    assert (Consultation.objects.count(), Vote.objects.count(), MethodChange.objects.count(),
            Report.objects.count()) == counts

"""Follow-ups: stored with the month only and no name; a signed-in worker's account is
attached, an anonymous one has none; rate-limited; the honeypot keeps nothing; bad input is a
400 with a message. Answer rates on /rights/ come from the latest published release only."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from visiblework.core.models import AuditEntry
from visiblework.insights.models import Release, ReleaseCell, ReleaseStatus
from visiblework.voice.models import RightsFollowUp
from visiblework.voice.rights import record_follow_up

pytestmark = pytest.mark.django_db


def this_month() -> str:
    return timezone.now().date().strftime("%Y-%m")


def answer(**change):
    return {"actor": "openai", "law": "gdpr", "request": "access", "month": this_month(),
            "outcome": "late", "website": "", **change}


def test_the_form_asks_for_the_month_only(anonymous, company):
    page = anonymous.get("/rights/follow-up/").content.decode()
    assert f'value="{this_month()}"' in page and 'type="date"' not in page
    assert 'name="name"' not in page and 'name="email"' not in page


def test_an_anonymous_follow_up_is_stored_with_the_month_only_and_no_account(anonymous,
                                                                             company):
    response = anonymous.post("/rights/follow-up/", answer())
    assert response.status_code == 201
    follow_up = RightsFollowUp.objects.get()
    assert follow_up.worker is None
    assert follow_up.month_sent == timezone.now().date().replace(day=1)
    assert (follow_up.law, follow_up.request, follow_up.outcome) == ("gdpr", "access", "late")
    fields = {f.name for f in RightsFollowUp._meta.get_fields()}
    assert not fields & {"name", "email", "details", "letter", "day", "created"}


def test_a_signed_in_workers_follow_up_carries_the_account_but_the_audit_does_not(
        worker, worker_user, company):
    assert worker.post("/rights/follow-up/", answer()).status_code == 201
    assert RightsFollowUp.objects.get().worker == worker_user
    entry = AuditEntry.objects.get(object_type="voice.rightsfollowup")
    assert entry.user is None and worker_user.username not in entry.user_label


def test_the_honeypot_thanks_a_bot_and_keeps_nothing(anonymous, company):
    assert anonymous.post("/rights/follow-up/", answer(website="spam")).status_code == 201
    assert not RightsFollowUp.objects.exists()


@pytest.mark.parametrize("change", [{"actor": "nobody"}, {"law": "mars"}, {"request": "all"},
                                    {"month": "2031-01"}, {"month": "2017-12"},
                                    {"month": "2024-13"}, {"outcome": "maybe"}, {"month": ""}])
def test_bad_input_is_a_400_with_a_message_and_stores_nothing(anonymous, company, change):
    response = anonymous.post("/rights/follow-up/", answer(**change))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not RightsFollowUp.objects.exists()


def test_follow_ups_are_rate_limited(anonymous, company, settings, monkeypatch):
    from visiblework.voice import views_rights
    monkeypatch.setattr(views_rights, "FOLLOW_UPS_PER_HOUR", 2)
    statuses = [anonymous.post("/rights/follow-up/", answer()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert RightsFollowUp.objects.count() == 2


def test_the_service_refuses_a_month_in_the_future_or_an_unknown_law(company):
    with pytest.raises(ValidationError):
        record_follow_up(actor=company.actor, law="gdpr", request="access",
                         month_sent=date(2099, 1, 1), outcome="late")
    with pytest.raises(ValidationError):
        record_follow_up(actor=company.actor, law="mars", request="access",
                         month_sent=date(2024, 1, 1), outcome="late")


def test_the_service_keeps_the_first_of_the_month(company):
    follow_up = record_follow_up(actor=company.actor, law="ndpa", request="erasure",
                                 month_sent=date(2024, 5, 17), outcome="none")
    assert follow_up.month_sent == date(2024, 5, 1)


def _release(status=ReleaseStatus.PUBLISHED) -> Release:
    return Release.objects.create(
        label="r1", status=status, published_on=timezone.now().date(),
        cutoff=timezone.now().date(), epsilon=1.0, delta=1e-6, k=5, method_version="vw-dp-1",
        workers_noisy=0, reports_noisy=0)


def test_rights_shows_the_latest_releases_rates_or_too_few_answers(anonymous, company):
    assert "too few answers yet" in anonymous.get("/rights/").content.decode()
    release = _release(status=ReleaseStatus.PREVIEW)
    ReleaseCell.objects.create(release=release, dims_key="actor,law",
                               dims={"actor": "openai", "law": "gdpr"}, suppressed=False,
                               workers=40, stats={"in_time_share": 0.5, "late_share": 0.25,
                                                  "none_share": 0.25, "refused_share": 0.0})
    ReleaseCell.objects.create(release=release, dims_key="actor,law",
                               dims={"actor": "openai", "law": "ccpa"}, suppressed=True,
                               workers=None, stats={})
    page = anonymous.get("/rights/").content.decode()
    assert "about 40 answers" not in page  # a preview is not public
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.PUBLISHED,
                                                 published_on=timezone.now().date())
    page = anonymous.get("/rights/").content.decode()
    assert "about 40 answers: 50% in time, 25% late" in page
    assert "CCPA/CPRA: too few answers yet" in page


def test_rights_never_counts_live_follow_ups(anonymous, company):
    for _i in range(30):
        record_follow_up(actor=company.actor, law="gdpr", request="access",
                         month_sent=date(2024, 1, 1), outcome="refused")
    page = anonymous.get("/rights/").content.decode()
    assert "30" not in page.split('id="companies"')[1].split('id="laws"')[0]

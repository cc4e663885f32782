"""Collective demands: the services, the escrow and the pages (voice/demands.py,
voice/views_demands.py, review/views_demands.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from visiblework.accounts.models import Role, User
from visiblework.core.models import AuditEntry
from visiblework.reports.models import Reply
from visiblework.voice import demands, demo_demands
from visiblework.voice.models import Demand, DemandAnswer, DemandStatus, DemandSupport

from .demand_helpers import add_supports, make_demand, make_workers, verify

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def sama(catalogue):
    return catalogue.actors["sama"]


@pytest.fixture
def gathering(sama):
    return make_demand(sama, threshold=25)


def _fixed_noise(monkeypatch, shift: int) -> None:
    """Replace OpenDP's noise by a fixed shift, to test the rules around it."""
    monkeypatch.setattr(demands, "noisy_count",
                        lambda true, eps: (max(true + shift, 0), eps))


# --- Proposing and reviewing -----------------------------------------------------------------


def test_a_worker_proposes_a_demand_that_waits_for_an_editor(worker_user, sama, settings):
    settings.VISIBLEWORK_DEMAND_THRESHOLD = 30
    proposal = demands.clean_proposal("Pay <b>tests</b>", "<script>x()</script>Because.", sama)
    demand = demands.propose(worker_user, proposal)
    assert demand.status == DemandStatus.PENDING
    assert demand.title == "Pay tests" and demand.text == "Because."
    assert demand.threshold == 30 and demand.proposer == worker_user


def test_the_proposal_audit_entry_does_not_name_the_worker(worker_user, sama):
    demand = demands.propose(worker_user, demands.clean_proposal("Pay tests", "Why.", sama))
    entry = AuditEntry.objects.get(object_type="voice.demand", object_id=str(demand.pk))
    assert entry.user is None and worker_user.username not in entry.user_label


@pytest.mark.parametrize("role", [Role.REPRESENTATIVE, Role.EDITOR, Role.ADMIN])
def test_it_refuses_a_proposal_from_an_account_that_is_not_a_worker(role, sama):
    user = User.objects.create_user(f"someone-{role}", role=role)
    with pytest.raises(PermissionDenied):
        demands.propose(user, demands.clean_proposal("Pay tests", "Why.", sama))


def test_it_rejects_an_empty_proposal_or_an_unknown_actor():
    with pytest.raises(ValidationError) as exc:
        demands.clean_proposal("<i></i>", "", None)
    assert set(exc.value.message_dict) == {"title", "text", "addressed"}


def test_an_editor_approves_a_demand_which_then_gathers_support(editor_user, sama):
    demand = make_demand(sama, status=DemandStatus.PENDING)
    demands.approve(demand, editor_user)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.GATHERING and demand.approved_on is not None


def test_an_editor_rejects_a_demand_only_with_a_reason(editor_user, sama):
    demand = make_demand(sama, status=DemandStatus.PENDING)
    with pytest.raises(ValidationError):
        demands.reject(demand, editor_user, "  ")
    demands.reject(demand, editor_user, "Names a person.")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REJECTED and demand.editor_reason == "Names a person."


def test_only_editors_approve_or_change_a_status(worker_user, sama, gathering):
    with pytest.raises(PermissionDenied):
        demands.approve(make_demand(sama, status=DemandStatus.PENDING), worker_user)
    with pytest.raises(PermissionDenied):
        demands.set_status(gathering, worker_user, DemandStatus.MET)


def test_an_editor_marks_a_demand_met(editor_user, gathering):
    demands.set_status(gathering, editor_user, DemandStatus.MET)
    gathering.refresh_from_db()
    assert gathering.status == DemandStatus.MET


def test_it_refuses_a_status_an_editor_cannot_set(editor_user, gathering):
    with pytest.raises(ValidationError):
        demands.set_status(gathering, editor_user, DemandStatus.PUBLIC)


# --- Supporting ------------------------------------------------------------------------------


def test_a_support_keeps_the_day_only(worker_user, gathering, monkeypatch):
    monkeypatch.setattr(demands, "today", lambda: DAY)
    assert demands.support(gathering, worker_user) is True
    support = DemandSupport.objects.get()
    assert support.day == DAY
    fields = {f.name for f in DemandSupport._meta.get_fields()}
    assert fields == {"id", "demand", "worker", "day"}  # no address, no time


def test_supporting_twice_keeps_one_support(worker_user, gathering):
    demands.support(gathering, worker_user)
    assert demands.support(gathering, worker_user) is False
    assert DemandSupport.objects.count() == 1


def test_a_support_writes_no_audit_entry(worker_user, gathering):
    before = AuditEntry.objects.count()
    demands.support(gathering, worker_user)
    demands.withdraw(gathering, worker_user)
    assert AuditEntry.objects.count() == before


def test_a_withdrawal_deletes_the_support(worker_user, gathering):
    demands.support(gathering, worker_user)
    assert demands.withdraw(gathering, worker_user) is True
    assert not DemandSupport.objects.exists()


@pytest.mark.parametrize("status", [DemandStatus.PENDING, DemandStatus.REJECTED,
                                    DemandStatus.MET, DemandStatus.CLOSED])
def test_it_refuses_support_for_a_demand_that_takes_none(worker_user, sama, status):
    with pytest.raises(ValidationError):
        demands.support(make_demand(sama, status=status), worker_user)


def test_it_refuses_support_from_an_account_that_is_not_a_worker(representative_user, gathering):
    with pytest.raises(PermissionDenied):
        demands.support(gathering, representative_user)


# --- The count --------------------------------------------------------------------------------


def test_a_refresh_publishes_a_noisy_count_past_the_threshold(gathering, settings):
    settings.VISIBLEWORK_DEMAND_EPSILON = 0.5
    add_supports(gathering, make_workers(60))
    result = demands.refresh_counts(day=DAY)
    gathering.refresh_from_db()
    assert result.published == 1
    assert gathering.status == DemandStatus.PUBLIC
    assert gathering.published_count is not None and gathering.published_count >= 25
    assert gathering.count_published_on == DAY == gathering.count_refreshed_on
    assert gathering.count_epsilon == pytest.approx(0.5)


def test_the_threshold_is_decided_on_the_noisy_count_not_the_true_one(gathering, monkeypatch):
    add_supports(gathering, make_workers(30))  # the true count is past 25...
    _fixed_noise(monkeypatch, -6)  # ...the noisy one (24) is not
    demands.refresh_counts(day=DAY)
    gathering.refresh_from_db()
    assert gathering.published_count is None and gathering.status == DemandStatus.GATHERING


def test_a_noisy_count_past_the_threshold_is_published_when_the_true_one_is_not(
        gathering, monkeypatch):
    add_supports(gathering, make_workers(22))
    _fixed_noise(monkeypatch, 3)
    demands.refresh_counts(day=DAY)
    gathering.refresh_from_db()
    assert gathering.published_count == 25


def test_a_count_below_the_threshold_is_not_stored_but_spends_epsilon(gathering, settings):
    settings.VISIBLEWORK_DEMAND_EPSILON = 0.5
    add_supports(gathering, make_workers(2))
    demands.refresh_counts(day=DAY)
    gathering.refresh_from_db()
    assert gathering.published_count is None
    assert gathering.count_epsilon_total == pytest.approx(0.5)
    assert gathering.count_refreshed_on == DAY


def test_a_demand_is_counted_at_most_once_a_day(gathering, settings):
    settings.VISIBLEWORK_DEMAND_EPSILON = 0.5
    add_supports(gathering, make_workers(40))
    assert demands.refresh_counts(day=DAY).refreshed == 1
    first = Demand.objects.get().published_count
    assert demands.refresh_counts(day=DAY).refreshed == 0
    demand = Demand.objects.get()
    assert demand.published_count == first and demand.count_epsilon_total == pytest.approx(0.5)
    demands.refresh_counts(day=DAY + datetime.timedelta(days=1))
    assert Demand.objects.get().count_epsilon_total == pytest.approx(1.0)


@pytest.mark.parametrize("status", [DemandStatus.MET, DemandStatus.CLOSED, DemandStatus.PENDING])
def test_a_met_closed_or_pending_demand_is_not_counted(sama, status):
    demand = make_demand(sama, status=status)
    add_supports(demand, make_workers(40))
    assert demands.refresh_counts(day=DAY).refreshed == 0
    demand.refresh_from_db()
    assert demand.count_refreshed_on is None and demand.count_epsilon_total == 0


def test_the_refresh_audit_entry_holds_no_count(gathering, monkeypatch):
    add_supports(gathering, make_workers(31))
    _fixed_noise(monkeypatch, 2)
    demands.refresh_counts(day=DAY)
    entry = AuditEntry.objects.get(object_type="voice.demand")
    assert "31" not in f"{entry.summary} {entry.data}" and "33" not in f"{entry.summary} {entry.data}"


def test_the_noise_comes_from_opendp_and_varies():
    values = {demands.noisy_count(100, 0.5)[0] for _ in range(50)}
    assert len(values) > 3


def test_the_command_refreshes_the_counts(gathering):
    add_supports(gathering, make_workers(60))
    call_command("demands", "refresh")
    gathering.refresh_from_db()
    assert gathering.count_refreshed_on is not None and gathering.published_count is not None


# --- Escrow on the pages ------------------------------------------------------------------------

NUMBER = re.compile(r"\b\d+\b")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_before_the_threshold_shows_only_that_it_gathers_support(anonymous, gathering):
    add_supports(gathering, make_workers(7))
    page = _page(anonymous, f"/demands/{gathering.public_id}/")
    assert "Gathering support" in page
    assert "About" not in page and "noisy count," not in page
    assert ">7<" not in page and " 7 " not in page


def test_an_anonymous_page_is_identical_before_and_after_a_support(
        anonymous, worker_user, gathering):
    add_supports(gathering, make_workers(3))
    urls = [f"/demands/{gathering.public_id}/", f"/demands/{gathering.public_id}/feed.atom",
            "/demands/", f"/demands/?actor={gathering.addressed.slug}",
            "/demands/?status=gathering"]
    before = {url: anonymous.get(url) for url in urls}
    demands.support(gathering, worker_user)
    for url in urls:
        after = anonymous.get(url)
        assert after.content == before[url].content, url
        assert {k: v for k, v in after.headers.items() if k.lower() != "date"} == \
            {k: v for k, v in before[url].headers.items() if k.lower() != "date"}, url


def test_a_worker_sees_only_their_own_support(worker, worker_user, gathering):
    url = f"/demands/{gathering.public_id}/"
    assert "Support this demand" in _page(worker, url)
    worker.post(f"{url}support/", {"action": "support"})
    page = _page(worker, url)
    assert "You support this demand" in page and "Withdraw my support" in page
    worker.post(f"{url}support/", {"action": "withdraw"})
    assert not DemandSupport.objects.exists()


def test_the_page_past_the_threshold_shows_the_noisy_count_and_its_budget(anonymous, gathering):
    gathering.published_count = 41
    gathering.status = DemandStatus.PUBLIC
    gathering.count_published_on = gathering.count_refreshed_on = DAY
    gathering.count_epsilon, gathering.count_epsilon_total = 0.5, 1.5
    gathering.save()
    page = _page(anonymous, f"/demands/{gathering.public_id}/")
    assert "About 41 workers support this demand" in page
    assert "ε = 0.5" in page and "ε = 1.5" in page and "at most once a day" in page
    feed = _page(anonymous, f"/demands/{gathering.public_id}/feed.atom")
    assert "about 41" in feed


def test_the_feed_lists_approval_status_and_answers_but_no_support(
        anonymous, representative_user, editor_user, gathering):
    add_supports(gathering, make_workers(5))
    verify(representative_user, gathering.addressed)
    demands.answer(gathering, representative_user, "We will pay for tests.")
    demands.set_status(gathering, editor_user, DemandStatus.ANSWERED)
    feed = _page(anonymous, f"/demands/{gathering.public_id}/feed.atom")
    assert feed.count("<entry>") == 3
    assert "We will pay for tests." in feed and "Status: Answered" in feed
    assert "supporter" not in feed.lower()


def test_the_page_shows_answers_and_the_actors_right_of_reply(
        anonymous, representative_user, gathering):
    verify(representative_user, gathering.addressed)
    DemandAnswer.objects.create(demand=gathering, author=representative_user, text="Answer A1")
    Reply.objects.create(actor=gathering.addressed, author=representative_user, text="Reply R1")
    page = _page(anonymous, f"/demands/{gathering.public_id}/")
    assert "Answer A1" in page and "Reply R1" in page
    assert representative_user.username not in page


def test_a_pending_demand_is_shown_to_its_proposer_only(anonymous, worker, worker_user, sama):
    demand = make_demand(sama, status=DemandStatus.PENDING, proposer=worker_user)
    assert anonymous.get(f"/demands/{demand.public_id}/").status_code == 404
    assert "An editor has not checked" in _page(worker, f"/demands/{demand.public_id}/")
    assert demand.title not in _page(anonymous, "/demands/")


def test_the_index_filters_by_actor_and_status(anonymous, catalogue, sama):
    make_demand(sama, title="To Sama")
    make_demand(catalogue.actors["openai"], title="To OpenAI", status=DemandStatus.MET)
    page = _page(anonymous, "/demands/?actor=sama")
    assert "To Sama" in page and "To OpenAI" not in page
    page = _page(anonymous, "/demands/?status=met")
    assert "To OpenAI" in page and "To Sama" not in page


def test_the_index_is_paginated(anonymous, sama):
    for i in range(25):
        make_demand(sama, title=f"Demand {i}")
    assert _page(anonymous, "/demands/").count('class="case-item"') == 20
    assert _page(anonymous, "/demands/?page=2").count('class="case-item"') == 5


# --- Forms -------------------------------------------------------------------------------------


def test_the_form_proposes_a_demand(worker, sama):
    response = worker.post("/demands/new/", {"title": "Pay tests", "addressed": "Sama",
                                             "text": "Because."})
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/demands/{demand.public_id}/")


def test_the_form_explains_a_mistake_and_keeps_what_was_typed(worker, catalogue):
    response = worker.post("/demands/new/", {"title": "Pay tests", "addressed": "Nobody Inc",
                                             "text": "Kept text"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "Kept text" in page and "already in the database" in page
    assert not Demand.objects.exists()


def test_a_representative_answers_through_the_form(representative, representative_user,
                                                    gathering):
    verify(representative_user, gathering.addressed)
    url = f"/demands/{gathering.public_id}/answer/"
    assert representative.post(url, {"text": ""}).status_code == 400
    assert representative.post(url, {"text": "Yes."}).status_code == 302
    assert DemandAnswer.objects.get().text == "Yes."


def test_an_unverified_representative_cannot_answer(representative_user, gathering):
    from visiblework.reports.models import Representation

    Representation.objects.create(user=representative_user, actor=gathering.addressed)
    with pytest.raises(PermissionDenied):
        demands.answer(gathering, representative_user, "Yes.")


def test_an_editor_approves_from_the_review_screen(editor, sama):
    demand = make_demand(sama, status=DemandStatus.PENDING, title="Waiting one")
    assert "Waiting one" in _page(editor, "/review/demands/")
    editor.post(f"/review/demands/{demand.public_id}/approve/")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.GATHERING


def test_an_editor_rejects_from_the_review_screen_with_a_reason(editor, sama):
    demand = make_demand(sama, status=DemandStatus.PENDING)
    editor.post(f"/review/demands/{demand.public_id}/reject/", {"reason": ""})
    assert Demand.objects.get().status == DemandStatus.PENDING
    editor.post(f"/review/demands/{demand.public_id}/reject/", {"reason": "Too vague."})
    assert Demand.objects.get().status == DemandStatus.REJECTED


# --- Demo --------------------------------------------------------------------------------------


def test_the_demo_seeds_one_demand_past_its_threshold_and_one_below(catalogue, anonymous):
    assert demo_demands.seed()
    past = Demand.objects.get(title=demo_demands.PAST[1])
    below = Demand.objects.get(title=demo_demands.BELOW[1])
    assert past.published_count is not None and past.published_count >= past.threshold
    assert below.published_count is None and below.status == DemandStatus.ANSWERED
    assert below.answers.count() == 1
    assert all(u.startswith("demo-") for u in
               User.objects.filter(role=Role.WORKER).values_list("username", flat=True))
    demo_demands.seed()  # idempotent
    assert Demand.objects.count() == 2 and DemandSupport.objects.count() == 64
    assert "Gathering support" in _page(anonymous, f"/demands/{below.public_id}/")


@pytest.mark.parametrize(("lang", "words"), [("fr", "Revendications collectives"),
                                             ("ar", "المطالب الجماعية")])
def test_the_demand_pages_speak_the_language_asked_for(anonymous, gathering, lang, words):
    assert words in _page(anonymous, f"/demands/?lang={lang}")
    page = _page(anonymous, f"/demands/{gathering.public_id}/?lang={lang}")
    assert f'lang="{lang}"' in page


def test_a_worker_finds_the_demands_they_proposed_on_their_own_page(worker, worker_user, sama):
    make_demand(sama, status=DemandStatus.REJECTED, title="My rejected one", proposer=worker_user)
    other = User.objects.create_user("other-worker", role=Role.WORKER)
    make_demand(sama, title="Someone else's", proposer=other)
    page = _page(worker, "/accounts/me/")
    assert "Demands you proposed" in page and "My rejected one" in page
    assert "Someone else's" not in page

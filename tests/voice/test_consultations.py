"""Consultations: who votes, one changeable vote until closing, results published once after
closing and only with at least k (noisy) voters, the decision in the method's change log."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from visiblework.accounts.models import Role, User
from visiblework.core.models import AuditEntry
from visiblework.insights.models import MethodChange
from visiblework.reports.models import ReportStatus
from visiblework.voice import consultations
from visiblework.voice.models import Consultation, ConsultationStatus, Vote

from .consultation_helpers import (
    KEYS,
    OPTIONS,
    closed_consultation,
    draft,
    eligible_worker,
    file_report,
    open_consultation,
    today,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


# --- Creating ---------------------------------------------------------------------------


def test_it_strips_html_from_the_question_explanation_and_options():
    d = consultations.clean_draft("<b>Which</b> wage?<script>x()</script>", "<i>Why</i>",
                                  ["<a href='x'>One</a>", "Two"], today(), today() + DAY)
    assert d.question == "Which wage?" and d.explanation == "Why"
    assert [o["label"] for o in d.options] == ["One", "Two"]


@pytest.mark.parametrize("options", [["Only one"], [f"o{i}" for i in range(9)], ["A", "a"]])
def test_it_refuses_fewer_than_two_more_than_eight_or_repeated_options(options):
    with pytest.raises(ValidationError) as caught:
        consultations.clean_draft("Q?", "", options, today(), today() + DAY)
    assert "options" in caught.value.message_dict


def test_it_refuses_a_closing_day_before_the_opening_day_or_in_the_past():
    with pytest.raises(ValidationError):
        consultations.clean_draft("Q?", "", ["A", "B"], today(), today() - DAY)
    with pytest.raises(ValidationError):
        consultations.clean_draft("Q?", "", ["A", "B"], today() + 5 * DAY, today() + DAY)


def test_option_keys_are_stable_distinct_and_never_empty():
    assert consultations.option_keys(["Un salaire vital", "مستوى المعيشة", "-"]) == [
        "un-salaire-vital", "option-2", "option-3"]


def test_a_new_consultation_is_a_draft_with_an_audit_entry():
    c = draft()
    assert c.status == ConsultationStatus.DRAFT and consultations.state(c) == "draft"
    assert AuditEntry.objects.filter(object_id=str(c.pk), summary__contains="created").exists()


# --- Who votes --------------------------------------------------------------------------


def test_a_worker_with_a_report_may_vote():
    assert consultations.may_vote(eligible_worker("w1"))


def test_a_worker_without_a_report_may_not_vote(worker_user):
    assert not consultations.may_vote(worker_user)
    with pytest.raises(consultations.NotEligible):
        consultations.vote(worker_user, open_consultation(), KEYS[0])


def test_a_worker_whose_only_report_is_withdrawn_may_not_vote(worker_user):
    report = file_report(worker_user)
    report.status = ReportStatus.WITHDRAWN
    report.save()
    assert not consultations.may_vote(worker_user)


@pytest.mark.parametrize("role", [Role.REPRESENTATIVE, Role.EDITOR, Role.ADMIN])
def test_accounts_that_are_not_workers_may_not_vote_even_with_a_report(role):
    user = User.objects.create_user(f"someone-{role}", role=role)
    file_report(user)
    assert not consultations.may_vote(user)


# --- One vote, changeable until closing -----------------------------------------------------


def test_a_worker_votes_once_and_may_change_the_vote_while_it_is_open():
    c, w = open_consultation(), eligible_worker("w1")
    consultations.vote(w, c, KEYS[0])
    consultations.vote(w, c, KEYS[2])
    assert Vote.objects.filter(consultation=c).count() == 1
    assert consultations.own_vote(w, c) == KEYS[2]


def test_a_vote_is_stored_with_the_day_only():
    c, w = open_consultation(), eligible_worker("w1")
    ballot = consultations.vote(w, c, KEYS[0])
    assert {f.name for f in Vote._meta.get_fields()} == {"id", "consultation", "worker",
                                                         "option", "day"}
    assert ballot.day == today() and type(ballot.day) is datetime.date


def test_voting_writes_no_audit_entry():
    c, w = open_consultation(), eligible_worker("w1")
    before = AuditEntry.objects.count()
    consultations.vote(w, c, KEYS[0])
    assert AuditEntry.objects.count() == before


def test_it_refuses_an_option_that_is_not_offered():
    c, w = open_consultation(), eligible_worker("w1")
    with pytest.raises(consultations.ConsultationError):
        consultations.vote(w, c, "something-else")
    assert not Vote.objects.exists()


def test_it_refuses_a_vote_on_a_draft_or_before_the_opening_day():
    w = eligible_worker("w1")
    with pytest.raises(consultations.ConsultationError):
        consultations.vote(w, draft(), KEYS[0])
    c = open_consultation()
    with pytest.raises(consultations.ConsultationError):
        consultations.vote(w, c, KEYS[0], on=today() - DAY)


def test_a_vote_is_refused_once_the_closing_day_has_passed_even_before_the_command_runs():
    c, w = open_consultation(days=1), eligible_worker("w1")
    consultations.vote(w, c, KEYS[0], on=today() + DAY)  # the last day still counts
    assert consultations.state(c, today() + 2 * DAY) == "closed"
    with pytest.raises(consultations.ConsultationError):
        consultations.vote(w, c, KEYS[1], on=today() + 2 * DAY)
    assert consultations.own_vote(w, c) == KEYS[0]


def test_a_vote_cannot_change_after_an_editor_closed_it(editor_user):
    c, w = open_consultation(), eligible_worker("w1")
    consultations.vote(w, c, KEYS[0])
    consultations.close(c, editor=editor_user)
    with pytest.raises(consultations.ConsultationError):
        consultations.vote(w, c, KEYS[1])
    assert consultations.own_vote(w, c) == KEYS[0]


# --- Results ----------------------------------------------------------------------------


def test_there_are_no_results_before_closing():
    c = open_consultation()
    for i in range(12):
        consultations.vote(eligible_worker(f"w{i}"), c, KEYS[0])
    c.refresh_from_db()
    assert c.results is None and c.results_published_on is None


def test_results_are_published_as_noisy_shares_with_the_noisy_number_of_voters(settings):
    settings.VISIBLEWORK_K = 5
    settings.VISIBLEWORK_CONSULTATION_EPSILON = 1.0
    c = closed_consultation({KEYS[0]: 4, KEYS[1]: 6, KEYS[2]: 20})
    assert c.status == ConsultationStatus.CLOSED and c.results_published_on == today()
    r = c.results
    assert r["suppressed"] is False and r["epsilon"] == 1.0 and r["k"] == 5
    assert set(r["shares"]) == set(KEYS) and abs(sum(r["shares"].values()) - 1) < 1e-3
    assert all(share >= 0 for share in r["shares"].values())
    assert 15 < r["voters"] < 45  # 30 voters and noise of scale 1 on three counts
    assert r["shares"][KEYS[2]] > r["shares"][KEYS[0]]


def test_results_are_withheld_below_k_noisy_voters(settings):
    settings.VISIBLEWORK_K = 1000
    c = closed_consultation({KEYS[0]: 3, KEYS[1]: 2})
    assert c.results["suppressed"] is True
    assert c.results["shares"] == {} and c.results["voters"] is None


def test_results_are_stored_once_and_not_changed_by_later_votes_closing_or_withdrawals(settings):
    settings.VISIBLEWORK_K = 1
    c = closed_consultation({KEYS[0]: 3, KEYS[1]: 8}, prefix="early")
    published = dict(c.results)
    Vote.objects.create(consultation=c, worker=eligible_worker("late"), option=KEYS[0],
                        day=today())  # even a row slipped in behind the service's back
    for user in User.objects.filter(username__startswith="early"):
        user.reports.update(status=ReportStatus.WITHDRAWN)
    consultations.close(c)
    call_command("consultations", "close")
    c.refresh_from_db()
    assert c.results == published


def test_the_results_count_only_voters_who_may_still_vote_when_it_closes(settings, monkeypatch):
    seen = {}

    def fake(keys, votes, *, epsilon, k):
        seen["votes"] = sorted(votes)
        return {"epsilon": epsilon, "k": k, "suppressed": True, "shares": {}, "voters": None}

    monkeypatch.setattr(consultations, "noisy_results", fake)
    c = open_consultation()
    stays, leaves = eligible_worker("stays"), eligible_worker("leaves")
    consultations.vote(stays, c, KEYS[0])
    consultations.vote(leaves, c, KEYS[1])
    leaves.reports.update(status=ReportStatus.WITHDRAWN)
    consultations.close(c)
    assert seen["votes"] == [KEYS[0]]


def test_the_close_command_closes_the_consultations_whose_last_day_has_passed(settings):
    settings.VISIBLEWORK_K = 1
    due = open_consultation("Due?", days=1)
    consultations.vote(eligible_worker("w1"), due, KEYS[0])
    running = open_consultation("Still open?", days=30)
    Consultation.objects.filter(pk=due.pk).update(closes_on=today() - DAY)
    call_command("consultations", "close")
    due.refresh_from_db()
    running.refresh_from_db()
    assert due.status == ConsultationStatus.CLOSED and due.results is not None
    assert running.status == ConsultationStatus.OPEN and running.results is None
    entry = AuditEntry.objects.filter(object_id=str(due.pk), summary__contains="closed").get()
    assert entry.user is None and entry.user_label == consultations.SYSTEM_LABEL


def test_a_draft_cannot_be_closed_and_only_a_draft_can_be_opened(editor_user):
    c = draft()
    with pytest.raises(consultations.ConsultationError):
        consultations.close(c, editor=editor_user)
    consultations.open_consultation(editor_user, c)
    with pytest.raises(consultations.ConsultationError):
        consultations.open_consultation(editor_user, c)


def test_no_audit_entry_names_a_voter_or_an_option(settings, editor_user):
    settings.VISIBLEWORK_K = 1
    c = closed_consultation({KEYS[0]: 2, KEYS[1]: 1}, prefix="audited")
    consultations.decide(editor_user, c, "Keep it", "Because.")
    for entry in AuditEntry.objects.all():
        text = f"{entry.user_label} {entry.summary} {entry.data}"
        assert "audited" not in text and not any(k in text for k in KEYS), text
        assert entry.object_type != "voice.vote"


# --- Deciding ---------------------------------------------------------------------------


def test_the_decision_creates_a_method_change_linked_to_the_consultation(settings, editor_user):
    settings.VISIBLEWORK_K = 1
    c = closed_consultation({KEYS[2]: 3})
    change = consultations.decide(editor_user, c, "<b>Use</b> a living wage", "Most voted so.")
    c.refresh_from_db()
    assert (c.decision, c.decision_reason, c.decided_on) == ("Use a living wage",
                                                             "Most voted so.", today())
    assert change.title == "Use a living wage" and change.reason == "Most voted so."
    assert change.decided_at_url == f"/consultations/{c.slug}/"
    assert change.decided_at_title == c.question
    assert MethodChange.objects.count() == 1


def test_a_decision_is_refused_before_closing_and_recorded_once(settings, editor_user):
    settings.VISIBLEWORK_K = 1
    c = open_consultation()
    with pytest.raises(consultations.ConsultationError):
        consultations.decide(editor_user, c, "Early", "Too early.")
    c = consultations.close(c)
    consultations.decide(editor_user, c, "Once", "Because.")
    with pytest.raises(consultations.ConsultationError):
        consultations.decide(editor_user, c, "Twice", "Again.")
    assert MethodChange.objects.count() == 1


def test_a_decision_needs_a_text_and_a_reason(settings, editor_user):
    settings.VISIBLEWORK_K = 1
    c = closed_consultation()
    with pytest.raises(ValidationError) as caught:
        consultations.decide(editor_user, c, "  ", "")
    assert set(caught.value.message_dict) == {"decision", "reason"}


# --- Pages ------------------------------------------------------------------------------


def test_the_list_shows_open_consultations_first_then_closed_ones_and_never_drafts(
        anonymous, settings):
    settings.VISIBLEWORK_K = 1
    closed = closed_consultation()
    Consultation.objects.filter(pk=closed.pk).update(question="Closed question?")
    open_consultation("Open question?")
    draft("Draft question?")
    text = anonymous.get("/consultations/").content.decode()
    assert text.index("Open question?") < text.index("Closed question?")
    assert "Draft question?" not in text


def test_a_draft_page_is_a_404_for_the_public(anonymous):
    assert anonymous.get(f"/consultations/{draft().slug}/").status_code == 404
    assert anonymous.get("/consultations/no-such-thing/").status_code == 404


def test_the_page_explains_who_may_vote_to_those_who_may_not(anonymous, worker,
                                                              representative):
    c = open_consultation()
    url = f"/consultations/{c.slug}/"
    assert "sign in" in anonymous.get(url).content.decode()
    assert "once it has sent a report" in worker.get(url).content.decode()
    assert "not a worker account" in representative.get(url).content.decode()
    for client in (anonymous, worker, representative):
        assert 'name="option"' not in client.get(url).content.decode()


def test_an_eligible_worker_votes_through_the_form_without_javascript(worker, worker_user):
    file_report(worker_user)
    c = open_consultation()
    page = worker.get(f"/consultations/{c.slug}/").content.decode()
    assert f'action="/consultations/{c.slug}/vote/"' in page and 'name="option"' in page
    response = worker.post(f"/consultations/{c.slug}/vote/", {"option": KEYS[1]}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your vote:" in text and OPTIONS[1] in text and "Change my vote" in text
    assert f'value="{KEYS[1]}" required checked' in text


def test_a_worker_sees_only_their_own_vote(worker, worker_user, anonymous):
    file_report(worker_user)
    c = open_consultation()
    other = eligible_worker("someone-else")
    consultations.vote(other, c, KEYS[2])
    page = worker.get(f"/consultations/{c.slug}/").content.decode()
    assert "Your vote:" not in page and " checked" not in page
    assert "Your vote:" not in anonymous.get(f"/consultations/{c.slug}/").content.decode()


def test_a_bad_option_is_a_400_with_a_message_and_keeps_the_earlier_vote(worker, worker_user):
    file_report(worker_user)
    c = open_consultation()
    consultations.vote(worker_user, c, KEYS[0])
    response = worker.post(f"/consultations/{c.slug}/vote/", {"option": "nope"})
    assert response.status_code == 400 and b'role="alert"' in response.content
    assert consultations.own_vote(worker_user, c) == KEYS[0]


def test_a_vote_from_someone_who_may_not_vote_is_a_403_with_the_explanation(worker):
    c = open_consultation()
    response = worker.post(f"/consultations/{c.slug}/vote/", {"option": KEYS[0]})
    assert response.status_code == 403 and b"at least one report" in response.content
    assert not Vote.objects.exists()


def test_a_closed_page_shows_the_stored_results_epsilon_k_and_method(anonymous, settings):
    settings.VISIBLEWORK_K = 2
    c = closed_consultation({KEYS[0]: 5, KEYS[2]: 10})
    c.results = {"epsilon": 1.0, "k": 2, "suppressed": False, "voters": 17, "mechanism": "x",
                 "shares": {KEYS[0]: 0.25, KEYS[1]: 0.0, KEYS[2]: 0.75}}
    c.save()
    text = anonymous.get(f"/consultations/{c.slug}/").content.decode()
    assert "25%" in text and "75%" in text and "About 17 voters" in text
    assert "ε = 1" in text and "below 2 voters" in text and "discrete Laplace" in text


def test_a_withheld_result_says_there_were_fewer_than_k_voters(anonymous, settings):
    settings.VISIBLEWORK_K = 1000
    c = closed_consultation({KEYS[0]: 1})
    text = anonymous.get(f"/consultations/{c.slug}/").content.decode()
    assert "fewer than 1000 voters" in text and "%" not in text.split("Options and results")[1]


def test_a_closed_page_shows_the_decision_and_links_to_the_change_log(anonymous, settings,
                                                                       editor_user):
    settings.VISIBLEWORK_K = 1
    c = closed_consultation()
    consultations.decide(editor_user, c, "Use a living wage", "Most voted so.")
    text = anonymous.get(f"/consultations/{c.slug}/").content.decode()
    assert "Use a living wage" in text and "Most voted so." in text
    assert 'href="/insights/method/"' in text


def test_the_list_is_bounded_and_says_so(anonymous, monkeypatch):
    from visiblework.voice import views_consultations

    monkeypatch.setattr(views_consultations, "LIST_LIMIT", 2)
    for n in range(3):
        open_consultation(f"Question {n}?")
    text = anonymous.get("/consultations/").content.decode()
    assert text.count('href="/consultations/question-') == 2
    assert "Only the 2 most recent consultations are listed." in text

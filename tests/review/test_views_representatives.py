"""The editors' screen of representatives (/review/representatives/): approve, refuse with a
reason, withdraw; editors only; audited."""

import pytest

from visiblework.accounts.models import Role, User
from visiblework.core.models import AuditEntry
from visiblework.reports.models import Reply, Representation, RepresentationStatus


@pytest.fixture
def request_row(catalogue, representative_user):
    return Representation.objects.create(
        user=representative_user, actor=catalogue.actors["sama"], full_name="Amina Otieno",
        job_title="Head of communications", work_email="amina@sama.example",
        evidence_url="https://www.sama.example/team", note="Call the office.")


def decide(client, row, decision, reason="", status="pending"):
    return client.post(f"/review/representatives/{row.pk}/decide/",
                       {"decision": decision, "reason": reason, "status": status})


@pytest.mark.django_db
def test_the_screen_lists_waiting_requests_with_their_proof(editor, request_row):
    page = editor.get("/review/representatives/").content.decode()
    assert "Amina Otieno" in page and "mailto:amina@sama.example" in page
    assert "https://www.sama.example/team" in page and "rep-acme" in page


@pytest.mark.django_db
def test_the_screen_filters_by_status(editor, request_row):
    assert "Amina Otieno" not in editor.get(
        "/review/representatives/?status=verified").content.decode()
    assert "Amina Otieno" in editor.get("/review/representatives/?status=bogus").content.decode()


@pytest.mark.django_db
def test_an_editor_approves_and_the_representative_may_reply(editor, editor_user, request_row,
                                                             representative):
    response = decide(editor, request_row, "approve")
    assert response.status_code == 302
    request_row.refresh_from_db()
    assert request_row.verified and request_row.status == RepresentationStatus.VERIFIED
    assert request_row.verified_by == editor_user and request_row.decided_on
    representative.post("/replies/sama/", {"text": "Now we answer."})
    assert Reply.objects.get().text == "Now we answer."


@pytest.mark.django_db
def test_an_editor_refuses_with_a_reason(editor, request_row):
    decide(editor, request_row, "refuse", "We could not reach that address.")
    request_row.refresh_from_db()
    assert request_row.status == RepresentationStatus.REFUSED and not request_row.verified
    assert request_row.reason == "We could not reach that address."


@pytest.mark.django_db
def test_refusing_without_a_reason_is_a_400_with_a_message_and_changes_nothing(editor,
                                                                                request_row):
    response = decide(editor, request_row, "refuse", "  ")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "Write the reason" in page
    request_row.refresh_from_db()
    assert request_row.status == RepresentationStatus.PENDING


@pytest.mark.django_db
def test_an_unknown_decision_is_a_400_with_a_message(editor, request_row):
    response = decide(editor, request_row, "promote")
    assert response.status_code == 400 and b'role="alert"' in response.content
    request_row.refresh_from_db()
    assert request_row.status == RepresentationStatus.PENDING


@pytest.mark.django_db
def test_a_decision_on_an_unknown_request_is_not_found(editor, catalogue):
    assert editor.post("/review/representatives/999/decide/",
                       {"decision": "approve"}).status_code == 404


@pytest.mark.django_db
def test_an_editor_withdraws_a_verified_representative(editor, request_row, anonymous):
    decide(editor, request_row, "approve")
    Reply.objects.create(actor=request_row.actor, author=request_row.user, text="Our view.")
    assert "Our view." in anonymous.get("/actors/sama/").content.decode()
    decide(editor, request_row, "revoke", "Left the company.", status="verified")
    request_row.refresh_from_db()
    assert request_row.status == RepresentationStatus.REVOKED and not request_row.verified
    assert "Our view." not in anonymous.get("/actors/sama/").content.decode()


@pytest.mark.django_db
def test_withdrawing_needs_a_reason(editor, request_row):
    decide(editor, request_row, "approve")
    assert decide(editor, request_row, "revoke", "").status_code == 400
    request_row.refresh_from_db()
    assert request_row.verified


@pytest.mark.django_db
def test_a_pending_request_cannot_be_withdrawn_nor_a_verified_one_refused(editor, request_row):
    assert decide(editor, request_row, "revoke", "x").status_code == 400
    decide(editor, request_row, "approve")
    assert decide(editor, request_row, "refuse", "x").status_code == 400
    request_row.refresh_from_db()
    assert request_row.status == RepresentationStatus.VERIFIED


@pytest.mark.django_db
def test_a_worker_account_cannot_be_approved(editor, catalogue, worker_user):
    row = Representation.objects.create(user=worker_user, actor=catalogue.actors["sama"])
    assert decide(editor, row, "approve").status_code == 400
    row.refresh_from_db()
    assert not row.verified


@pytest.mark.django_db
def test_every_decision_is_audited_with_the_editor_and_the_reason(editor, editor_user,
                                                                  request_row):
    decide(editor, request_row, "refuse", "Unclear.")
    decide(editor, request_row, "approve", "Checked by phone.", status="refused")
    decide(editor, request_row, "revoke", "Left.", status="verified")
    entries = list(AuditEntry.objects.filter(object_type="reports.representation",
                                             user=editor_user).order_by("id"))
    assert [e.data["status"] for e in entries] == ["refused", "verified", "revoked"]
    assert [e.data["reason"] for e in entries] == ["Unclear.", "Checked by phone.", "Left."]


@pytest.mark.django_db
def test_the_screen_is_paginated(editor, catalogue):
    from visiblework.cases.models import Actor
    from visiblework.review.views import PAGE
    user = User.objects.create_user("rep-many", role=Role.REPRESENTATIVE)
    for n in range(PAGE + 1):
        actor = Actor.objects.create(slug=f"a-{n}", name=f"A {n}", kind="company")
        Representation.objects.create(user=user, actor=actor)
    page = editor.get("/review/representatives/").content.decode()
    assert page.count('class="case-item"') == PAGE and "?page=2" in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_see_the_screen_or_decide(request, persona, request_row):
    client = request.getfixturevalue(persona)
    assert client.get("/review/representatives/").status_code in (302, 403)
    for decision in ("approve", "refuse", "revoke"):
        assert decide(client, request_row, decision, "x").status_code in (302, 403)
    request_row.refresh_from_db()
    assert request_row.status == RepresentationStatus.PENDING and not request_row.verified

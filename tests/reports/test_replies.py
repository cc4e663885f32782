"""The right of reply (reports/replies.py): asking to be verified from the site, the editors'
decision seen by the requester, writing the reply, and where replies are shown."""

import pytest

from visiblework.accounts.models import Role, User
from visiblework.core.models import AuditEntry
from visiblework.reports import replies
from visiblework.reports.models import Reply, Representation, RepresentationStatus

ASK = {"full_name": "Amina Otieno", "job_title": "Head of communications",
       "work_email": "amina@sama.example", "evidence_url": "", "note": "Call the office."}


def ask(client, slug="sama", **overrides):
    return client.post(f"/replies/{slug}/", {**ASK, **overrides})


def verify(user, actor, editor):
    representation = Representation.objects.get(user=user, actor=actor)
    return replies.approve(representation, editor)


# --- Asking --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_company_account_sees_the_request_form(catalogue, representative):
    page = representative.get("/replies/sama/").content.decode()
    assert 'name="full_name"' in page and 'name="work_email"' in page
    assert 'name="text"' not in page


@pytest.mark.django_db
def test_a_request_is_stored_unverified_and_waits_for_an_editor(catalogue, representative,
                                                                 representative_user):
    response = ask(representative)
    assert response.status_code == 302
    representation = Representation.objects.get(user=representative_user)
    assert representation.status == RepresentationStatus.PENDING and not representation.verified
    assert representation.full_name == "Amina Otieno"
    assert representation.work_email == "amina@sama.example"
    assert representation.requested_on is not None
    page = representative.get("/replies/sama/").content.decode()
    assert "Your request is waiting for an editor" in page


@pytest.mark.django_db
def test_a_request_writes_an_audit_entry_without_the_address(catalogue, representative):
    ask(representative)
    entry = AuditEntry.objects.get(object_type="reports.representation")
    assert "sama" in entry.summary and "amina@" not in entry.summary


@pytest.mark.django_db
def test_a_request_needs_a_name_a_role_and_some_proof(catalogue, representative):
    response = ask(representative, full_name="", job_title="", work_email="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write your name." in page and "Write your role." in page
    assert 'id="error-summary"' in page
    response = ask(representative, work_email="", evidence_url="")
    assert response.status_code == 400
    assert "Give a work e-mail address or a public page" in response.content.decode()
    assert not Representation.objects.exists()


@pytest.mark.django_db
def test_a_bad_address_is_refused_with_a_message_and_keeps_what_was_typed(catalogue,
                                                                            representative):
    response = ask(representative, work_email="not an address", evidence_url="ftp//x")
    assert response.status_code == 400
    assert "Amina Otieno" in response.content.decode()
    assert not Representation.objects.exists()


@pytest.mark.django_db
def test_a_pending_request_can_be_corrected(catalogue, representative, representative_user):
    ask(representative)
    ask(representative, job_title="Press officer")
    representation = Representation.objects.get(user=representative_user)
    assert representation.job_title == "Press officer"
    assert representation.status == RepresentationStatus.PENDING


@pytest.mark.django_db
def test_an_account_may_have_only_a_few_requests_waiting(catalogue, representative):
    for slug in ("sama", "openai", "amazon", "michigan-uia"):
        ask(representative, slug)
    from visiblework.cases.models import Actor
    for n in range(replies.MAX_PENDING - 4):
        Actor.objects.create(slug=f"extra-{n}", name=f"Extra {n}", kind="company")
        ask(representative, f"extra-{n}")
    Actor.objects.create(slug="one-too-many", name="One too many", kind="company")
    response = ask(representative, "one-too-many")
    assert response.status_code == 400
    assert Representation.objects.count() == replies.MAX_PENDING


@pytest.mark.django_db
def test_someone_not_signed_in_is_told_to_sign_in_with_a_company_account(catalogue, anonymous):
    response = anonymous.get("/replies/sama/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/accounts/signup/company/?next=/replies/sama/" in page
    assert "/accounts/login/?next=/replies/sama/" in page
    assert 'name="full_name"' not in page


@pytest.mark.django_db
def test_a_worker_account_is_never_turned_into_a_company_one(catalogue, worker, worker_user):
    page = worker.get("/replies/sama/").content.decode()
    assert "worker&#x27;s anonymous account" in page or "worker's anonymous account" in page
    assert 'name="full_name"' not in page
    assert ask(worker).status_code == 403
    assert not Representation.objects.exists()
    worker_user.refresh_from_db()
    assert worker_user.role == Role.WORKER


@pytest.mark.django_db
def test_an_editor_cannot_ask_to_speak_for_a_company(catalogue, editor):
    assert ask(editor).status_code == 403
    assert not Representation.objects.exists()


@pytest.mark.django_db
def test_the_reply_page_of_an_unknown_actor_is_not_found(catalogue, representative):
    assert representative.get("/replies/nobody/").status_code == 404
    assert ask(representative, "nobody").status_code == 404


# --- Decisions, as the requester sees them -------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_request_shows_the_reason_and_allows_no_reply(catalogue, representative,
                                                                representative_user,
                                                                editor_user):
    ask(representative)
    replies.refuse(Representation.objects.get(), editor_user, "The address is not Sama's.")
    page = representative.get("/replies/sama/").content.decode()
    assert "Your request was refused" in page and "The address is not Sama&#x27;s." in page
    assert 'name="text"' not in page
    representative.post("/replies/sama/", {"text": "Let me reply anyway."})
    assert not Reply.objects.exists()
    assert not replies.can_reply(representative_user, catalogue.actors["sama"])


@pytest.mark.django_db
def test_a_refused_requester_may_ask_again(catalogue, representative, editor_user):
    ask(representative)
    replies.refuse(Representation.objects.get(), editor_user, "Not enough proof.")
    ask(representative, evidence_url="https://www.sama.example/team")
    representation = Representation.objects.get()
    assert representation.status == RepresentationStatus.PENDING and representation.reason == ""


@pytest.mark.django_db
def test_refusing_needs_a_reason(catalogue, representative, editor_user):
    from django.core.exceptions import ValidationError
    ask(representative)
    with pytest.raises(ValidationError):
        replies.refuse(Representation.objects.get(), editor_user, "  ")
    assert Representation.objects.get().status == RepresentationStatus.PENDING


@pytest.mark.django_db
def test_an_approved_representative_can_write_the_reply(catalogue, representative,
                                                        representative_user, editor_user):
    ask(representative)
    verify(representative_user, catalogue.actors["sama"], editor_user)
    page = representative.get("/replies/sama/").content.decode()
    assert 'name="text"' in page
    response = representative.post("/replies/sama/", {"text": "We pay above the minimum."})
    assert response.status_code == 302 and response["Location"] == "/actors/sama/"
    reply = Reply.objects.get()
    assert reply.text == "We pay above the minimum." and reply.author == representative_user


@pytest.mark.django_db
def test_an_empty_reply_is_refused_with_a_message(catalogue, representative, representative_user,
                                                  editor_user):
    ask(representative)
    verify(representative_user, catalogue.actors["sama"], editor_user)
    response = representative.post("/replies/sama/", {"text": "   "})
    assert response.status_code == 400
    assert "Write your reply." in response.content.decode()
    assert not Reply.objects.exists()


@pytest.mark.django_db
def test_a_too_long_reply_is_refused_and_an_earlier_one_is_kept(catalogue, representative,
                                                                representative_user,
                                                                editor_user):
    ask(representative)
    verify(representative_user, catalogue.actors["sama"], editor_user)
    representative.post("/replies/sama/", {"text": "First words."})
    response = representative.post("/replies/sama/", {"text": "x" * (replies.MAX_REPLY + 1)})
    assert response.status_code == 400
    assert Reply.objects.get().text == "First words."


@pytest.mark.django_db
def test_writing_and_changing_a_reply_is_audited(catalogue, representative, representative_user,
                                                 editor_user):
    ask(representative)
    verify(representative_user, catalogue.actors["sama"], editor_user)
    representative.post("/replies/sama/", {"text": "One."})
    representative.post("/replies/sama/", {"text": "Two."})
    actions = list(AuditEntry.objects.filter(object_type="reports.reply")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "edit"]


@pytest.mark.django_db
def test_a_verified_representative_of_one_actor_cannot_reply_for_another(
        catalogue, representative, representative_user, editor_user):
    ask(representative)
    verify(representative_user, catalogue.actors["sama"], editor_user)
    representative.post("/replies/openai/", {"text": "Speaking for OpenAI."})
    assert not Reply.objects.filter(actor=catalogue.actors["openai"]).exists()


@pytest.mark.django_db
def test_an_unverified_user_cannot_reply_through_the_service(catalogue, representative_user):
    from django.core.exceptions import ValidationError
    Representation.objects.create(user=representative_user, actor=catalogue.actors["sama"])
    with pytest.raises(ValidationError):
        replies.post_reply(representative_user, catalogue.actors["sama"], "Hello.")
    assert not Reply.objects.exists()


@pytest.mark.django_db
def test_a_worker_linked_by_hand_still_cannot_reply(catalogue, worker, worker_user):
    Representation.objects.create(user=worker_user, actor=catalogue.actors["sama"],
                                  verified=True)
    assert not replies.can_reply(worker_user, catalogue.actors["sama"])
    worker.post("/replies/sama/", {"text": "Hello."})
    assert not Reply.objects.exists()


@pytest.mark.django_db
def test_a_revoked_representative_sees_the_reason_and_their_reply_comes_down(
        catalogue, anonymous, representative, representative_user, editor_user):
    ask(representative)
    representation = verify(representative_user, catalogue.actors["sama"], editor_user)
    representative.post("/replies/sama/", {"text": "Our answer to the workers."})
    assert "Our answer to the workers." in anonymous.get("/actors/sama/").content.decode()
    replies.revoke(representation, editor_user, "They left the company.")
    page = representative.get("/replies/sama/").content.decode()
    assert "Your right of reply was withdrawn" in page and "They left the company." in page
    assert 'name="text"' not in page and 'name="full_name"' not in page
    assert representative.post("/replies/sama/", {"text": "Back."}).status_code == 403
    assert ask(representative).status_code == 403
    assert "Our answer to the workers." not in anonymous.get("/actors/sama/").content.decode()
    assert Reply.objects.get().text == "Our answer to the workers."  # kept, not shown


@pytest.mark.django_db
def test_the_status_follows_verified_when_the_back_office_links_a_user(catalogue,
                                                                       representative_user):
    representation = Representation.objects.create(user=representative_user,
                                                   actor=catalogue.actors["sama"], verified=True)
    assert representation.status == RepresentationStatus.VERIFIED
    representation.verified = False
    representation.save(update_fields=["verified"])
    representation.refresh_from_db()
    assert representation.status == RepresentationStatus.REVOKED


# --- Where replies are shown --------------------------------------------------------------------


def verified_reply(actor, text, username="rep-sama"):
    user = User.objects.create_user(username, password="x" * 12, role=Role.REPRESENTATIVE)
    Representation.objects.create(user=user, actor=actor, verified=True)
    return Reply.objects.create(actor=actor, author=user, text=text)


@pytest.mark.django_db
def test_replies_for_an_actor_are_its_verified_representatives_only(catalogue):
    sama = catalogue.actors["sama"]
    shown = verified_reply(sama, "Shown.")
    hidden_user = User.objects.create_user("rep-pending", role=Role.REPRESENTATIVE)
    Representation.objects.create(user=hidden_user, actor=sama)
    Reply.objects.create(actor=sama, author=hidden_user, text="Not verified.")
    assert replies.replies_for_actor(sama) == [shown]
    assert replies.replies_for_actor(catalogue.actors["openai"]) == []


@pytest.mark.django_db
def test_replies_on_a_case_come_from_the_actors_it_names_in_one_query(
        catalogue, django_assert_num_queries):
    verified_reply(catalogue.actors["sama"], "From Sama.", "rep-sama")
    verified_reply(catalogue.actors["openai"], "From OpenAI.", "rep-openai")
    verified_reply(catalogue.actors["amazon"], "From Amazon.", "rep-amazon")
    with django_assert_num_queries(1):
        texts = [r.text for r in replies.replies_on_case(catalogue.cases["kenya"])]
    assert texts == ["From OpenAI.", "From Sama."]  # by actor name
    assert [r.text for r in replies.replies_on_case(catalogue.cases["madagascar"])] == [
        "From Sama."]


@pytest.mark.django_db
def test_an_actor_with_two_roles_in_a_case_shows_its_reply_once(catalogue):
    from visiblework.cases.models import CaseActor
    sama = catalogue.actors["sama"]
    CaseActor.objects.create(case=catalogue.cases["kenya"], actor=sama, role="client")
    verified_reply(sama, "Once.")
    assert len(replies.replies_on_case(catalogue.cases["kenya"])) == 1


@pytest.mark.django_db
def test_the_actor_page_invites_a_representative_to_ask(catalogue, anonymous):
    page = anonymous.get("/actors/sama/").content.decode()
    assert "Ask for the right of reply" in page and "/replies/sama/" in page


@pytest.mark.django_db
def test_a_reply_on_the_actor_page_is_isolated_text_with_its_date(catalogue, anonymous):
    verified_reply(catalogue.actors["sama"], "<script>alert(1)</script> We listen.")
    page = anonymous.get("/actors/sama/").content.decode()
    assert "Right of reply" in page and "Reply from <bdi>Sama</bdi>" in page
    assert '<div dir="auto"><p>&lt;script&gt;alert(1)&lt;/script&gt; We listen.</p></div>' in page
    assert "<time datetime=" in page.split("Reply from")[1]


@pytest.mark.django_db
def test_a_reply_stands_after_the_workers_words_and_changes_none_of_them(catalogue, anonymous):
    from visiblework.reports.models import Report
    sama = catalogue.actors["sama"]
    before = list(Report.objects.values())
    verified_reply(sama, "Our side.")
    assert list(Report.objects.values()) == before
    page = anonymous.get("/actors/sama/").content.decode()
    assert page.index("Did you work here?") < page.index("Our side.")


@pytest.mark.django_db
def test_a_company_accounts_page_lists_its_requests(catalogue, representative):
    ask(representative)
    page = representative.get("/accounts/me/").content.decode()
    assert "Your company account" in page and "waiting for an editor" in page
    assert "/replies/sama/" in page and "No reports yet." not in page

"""Every URL the right of reply touches × every persona, GET and POST: who may read, who may
act, and that nothing is stored by those who may not."""

import pytest

from visiblework.reports.models import Reply, Representation, RepresentationStatus

PERSONAS = ["anonymous", "worker", "representative", "editor", "admin"]
ASK = {"full_name": "Amina Otieno", "job_title": "Press officer",
       "work_email": "amina@sama.example"}
PASSWORDS = {"username": "new-company", "password": "a long passphrase 42",
             "password2": "a long passphrase 42"}


@pytest.fixture
def pending(catalogue, django_user_model):
    user = django_user_model.objects.create_user("rep-other", role="representative")
    return Representation.objects.create(user=user, actor=catalogue.actors["openai"],
                                         full_name="Other", job_title="CEO",
                                         work_email="ceo@openai.example")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_with_replies_answer_everyone(request, persona, catalogue, pending):
    client = request.getfixturevalue(persona)
    for url in ("/replies/sama/", "/actors/sama/", catalogue.cases["kenya"].get_absolute_url(),
                "/accounts/signup/company/"):
        assert client.get(url).status_code == 200, (persona, url)
    assert client.get("/replies/nobody/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 403), ("worker", 403), ("representative", 302), ("editor", 403),
    ("admin", 403)])
def test_only_a_company_account_may_ask_to_reply(request, persona, expected, catalogue):
    client = request.getfixturevalue(persona)
    assert client.post("/replies/sama/", ASK).status_code == expected
    assert Representation.objects.exists() == (persona == "representative")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_unverified_may_post_a_reply(request, persona, catalogue):
    client = request.getfixturevalue(persona)
    client.post("/replies/sama/", {"text": "A reply."})
    assert not Reply.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 403), ("worker", 403), ("representative", 302), ("editor", 403),
    ("admin", 403)])
def test_only_the_verified_representative_posts_the_reply(request, persona, expected, catalogue,
                                                          django_user_model):
    client = request.getfixturevalue(persona)
    user = (request.getfixturevalue(f"{persona}_user") if persona in ("worker", "representative",
                                                                      "editor") else None)
    if user is not None:  # even a verified link made by hand counts only for a company account
        Representation.objects.create(user=user, actor=catalogue.actors["sama"], verified=True)
    assert client.post("/replies/sama/", {"text": "A reply."}).status_code == expected
    assert Reply.objects.exists() == (persona == "representative")


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 302), ("worker", 403), ("representative", 403), ("editor", 200),
    ("admin", 200)])
def test_the_representatives_screen_answers_editors_only(request, persona, expected, pending):
    client = request.getfixturevalue(persona)
    response = client.get("/review/representatives/")
    assert response.status_code == expected
    if expected == 200:
        assert "ceo@openai.example" in response.content.decode()
    else:
        assert b"ceo@openai.example" not in response.content
    assert client.post("/review/representatives/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 302), ("worker", 403), ("representative", 403), ("editor", 302),
    ("admin", 302)])
def test_only_editors_decide(request, persona, expected, pending):
    client = request.getfixturevalue(persona)
    url = f"/review/representatives/{pending.pk}/decide/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"decision": "approve"}).status_code == expected
    pending.refresh_from_db()
    assert pending.verified == (persona in ("editor", "admin"))
    if persona in ("editor", "admin"):
        assert pending.status == RepresentationStatus.VERIFIED


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 201), ("worker", 400), ("representative", 400), ("editor", 400),
    ("admin", 400)])
def test_only_someone_signed_out_creates_a_company_account(request, persona, expected, db):
    from visiblework.accounts.models import User
    client = request.getfixturevalue(persona)
    assert client.post("/accounts/signup/company/", PASSWORDS).status_code == expected
    assert User.objects.filter(username="new-company").exists() == (persona == "anonymous")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_requesters_proof_never_reaches_a_public_page(request, persona, catalogue, pending):
    pending.verified = True
    pending.save()
    Reply.objects.create(actor=pending.actor, author=pending.user, text="OpenAI's reply.")
    client = request.getfixturevalue(persona)
    for url in ("/actors/openai/", catalogue.cases["kenya"].get_absolute_url(),
                "/replies/openai/"):
        html = client.get(url).content.decode()
        assert "ceo@openai.example" not in html and "rep-other" not in html, (persona, url)

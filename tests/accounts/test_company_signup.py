"""Company accounts (/accounts/signup/company/): the kind that may ask for the right of reply,
kept apart from workers' anonymous accounts."""

import pytest

from visiblework.accounts.models import Role, User

FORM = {"username": "amina.sama", "password": "a long passphrase 42",
        "password2": "a long passphrase 42"}


@pytest.mark.django_db
def test_a_company_account_is_made_with_its_chosen_name_and_recovery_codes(anonymous):
    response = anonymous.post("/accounts/signup/company/", {**FORM, "next": "/replies/sama/"})
    assert response.status_code == 201
    user = User.objects.get(username="amina.sama")
    assert user.role == Role.REPRESENTATIVE and user.check_password(FORM["password"])
    assert user.recovery_codes.count() == 8
    assert 'href="/replies/sama/"' in response.content.decode()


@pytest.mark.django_db
def test_a_company_account_verifies_nothing_by_itself(catalogue, anonymous):
    anonymous.post("/accounts/signup/company/", FORM)
    user = User.objects.get(username="amina.sama")
    assert not user.representations.exists() and not user.is_editor


@pytest.mark.django_db
def test_the_next_address_must_stay_on_the_site(anonymous):
    response = anonymous.post("/accounts/signup/company/",
                              {**FORM, "next": "https://evil.example/"})
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username,message", [
    ("ab", "3 to 150 characters"), ("no spaces here", "Enter a valid username"),
    ("quiet-river-42", "taken"), ("QUIET-RIVER-42", "taken")])
def test_a_bad_or_taken_name_is_a_400_with_a_message(anonymous, worker_user, username, message):
    response = anonymous.post("/accounts/signup/company/", {**FORM, "username": username})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(role=Role.REPRESENTATIVE).exists()


@pytest.mark.django_db
def test_different_passwords_are_a_400(anonymous):
    response = anonymous.post("/accounts/signup/company/", {**FORM, "password2": "other one 42"})
    assert response.status_code == 400 and b'role="alert"' in response.content
    assert not User.objects.filter(username="amina.sama").exists()


@pytest.mark.django_db
def test_a_signed_in_worker_is_told_to_sign_out_and_is_never_converted(worker, worker_user):
    page = worker.get("/accounts/signup/company/").content.decode()
    assert "Sign out first" in page and 'name="username"' not in page
    response = worker.post("/accounts/signup/company/", FORM)
    assert response.status_code == 400
    worker_user.refresh_from_db()
    assert worker_user.role == Role.WORKER
    assert not User.objects.filter(username="amina.sama").exists()


@pytest.mark.django_db
def test_a_company_account_recovers_with_a_code(anonymous):
    response = anonymous.post("/accounts/signup/company/", FORM)
    code = response.content.decode().split("<code>")[1].split("</code>")[0]
    other = type(anonymous)()
    response = other.post("/accounts/recover/", {"handle": "amina.sama", "code": code,
                                                 "password": "a new long passphrase 7"})
    assert response.status_code == 302
    assert User.objects.get(username="amina.sama").check_password("a new long passphrase 7")


@pytest.mark.django_db
def test_the_sign_in_page_points_representatives_to_company_accounts(anonymous):
    page = anonymous.get("/accounts/login/?next=/replies/sama/").content.decode()
    assert "/accounts/signup/company/?next=/replies/sama/" in page

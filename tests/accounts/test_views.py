"""Worker accounts: recovery codes, deleting an account and everything it holds."""

import pytest

from tests.reports.test_reports import REPORT, post
from visiblework.accounts import workers
from visiblework.accounts.models import User
from visiblework.reports.models import Report


@pytest.mark.django_db
def test_a_recovery_code_sets_a_new_password_once(catalogue, anonymous):
    user, codes = workers.create_worker("first passphrase 42", handle="gentle-heron-555")
    response = anonymous.post("/accounts/recover/", {"handle": "gentle-heron-555",
                                                     "code": codes[0],
                                                     "password": "second passphrase 42"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("second passphrase 42")
    again = anonymous.post("/accounts/recover/", {"handle": "gentle-heron-555",
                                                  "code": codes[0],
                                                  "password": "third passphrase 42"})
    assert again.status_code == 400


@pytest.mark.django_db
def test_deleting_an_account_deletes_all_its_reports(catalogue, worker, worker_user):
    post(worker, REPORT)
    assert Report.objects.filter(worker=worker_user).count() == 1
    worker.post("/accounts/delete/", {"confirm": worker_user.username})
    assert Report.objects.count() == 0
    assert not User.objects.filter(pk=worker_user.pk).exists()

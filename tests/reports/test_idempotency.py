"""An Idempotency-Key is scoped to its client and its request body: a retry of the same
request gets the first answer; anything else with the same key learns nothing."""

import pytest

from visiblework.reports.models import Report

from .test_reports import REPORT, form_data, post

VICTIM_KEY = "8f14e45f-ceea-467f-a0e6-d8a1c5b2e3f4"
SMALL_VALID = {"platform": "Sama", "task_type": "other", "country": "US", "year": 2023,
               "quarter": 1, "pay_amount": "10", "currency": "USD", "pay_basis": "per_hour",
               "paid_hours": 1}


@pytest.mark.django_db
def test_the_same_key_and_the_same_body_answer_the_first_receipt_again(catalogue, anonymous):
    first = post(anonymous, REPORT, key=VICTIM_KEY)
    again = post(anonymous, REPORT, key=VICTIM_KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_the_same_body_with_defaults_spelled_out_is_the_same_request(catalogue, anonymous):
    first = post(anonymous, SMALL_VALID, key=VICTIM_KEY).json()
    again = post(anonymous, {**SMALL_VALID, "fees": "0", "costs": "0", "client": None,
                             "harmful_content": [], "free_text": ""}, key=VICTIM_KEY)
    assert again.status_code == 200 and again.json()["receipt"] == first["receipt"]


@pytest.mark.django_db
def test_another_body_with_a_used_key_is_a_conflict_that_reveals_nothing(catalogue, anonymous,
                                                                         anonymous_other):
    victim = post(anonymous, REPORT, key=VICTIM_KEY).json()
    attack = post(anonymous_other, SMALL_VALID, key=VICTIM_KEY)
    assert attack.status_code == 409
    text = attack.content.decode()
    assert victim["receipt"] not in text and "receipt" not in attack.json()
    assert victim["wage"]["effective_hourly"] not in text
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_key_used_in_an_account_finds_nothing_without_that_account(catalogue, worker,
                                                                     anonymous_other):
    victim = post(worker, REPORT, key=VICTIM_KEY).json()
    attack = post(anonymous_other, REPORT, key=VICTIM_KEY)
    assert attack.status_code == 201  # a new report of the attacker's own
    assert attack.json()["receipt"] != victim["receipt"]
    assert Report.objects.filter(worker__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_forms_hidden_key_with_other_answers_is_refused_and_keeps_what_was_typed(
        catalogue, anonymous, anonymous_other):
    victim = anonymous.post("/reports/new/", form_data(idempotency_key=VICTIM_KEY))
    receipt = victim.content.decode().split('id="receipt" type="text" readonly value="')[1]
    receipt = receipt.split('"')[0]
    attack = anonymous_other.post("/reports/new/", form_data(
        idempotency_key=VICTIM_KEY, pay_amount="0.03", free_text="Other words"))
    html = attack.content.decode()
    assert attack.status_code == 409
    assert receipt not in html and "Other words" in html
    assert f'value="{VICTIM_KEY}"' not in html  # a fresh key for the next try
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_the_receipt_of_a_keyed_report_depends_on_the_body_not_on_the_key_alone(catalogue,
                                                                                anonymous):
    from visiblework.reports import services

    with_key = services.receipt_for(VICTIM_KEY, "anon", services.request_hash(REPORT))
    other_body = services.receipt_for(VICTIM_KEY, "anon", services.request_hash(SMALL_VALID))
    other_client = services.receipt_for(VICTIM_KEY, "u1", services.request_hash(REPORT))
    assert len({with_key, other_body, other_client}) == 3

"""Worker reports: the form and the API, receipts, idempotency, editing, withdrawing,
accounts, moderation, the actor page's reviews and replies."""

import re

import pytest
from django.db import connection

from visiblework.reports.models import Flag, Reply, Report, Representation

REPORT = {
    "platform": "Sama", "client": "OpenAI", "task_type": "content_moderation", "country": "KE",
    "year": 2023, "quarter": 2, "pay_amount": "7391.37", "currency": "KES",
    "pay_basis": "per_week", "units": None, "paid_hours": 40,
    "unpaid_hours": {"training": 6, "waiting": 4}, "fees": "0", "costs": "0",
    "harmful_content": ["violence"], "harmful_hours_per_week": 20, "nda": "yes",
    "rating_fair_pay": 1, "would_recommend": False, "free_text": "We read terrible things.",
}


def post(client, body, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/reports", body, content_type="application/json", **headers,
                       **extra)


def form_data(**overrides):
    data = {
        "idempotency_key": "form-key-1", "platform": "Sama", "client": "", "task_type":
        "text_annotation", "country": "KE", "year": "2023", "quarter": "3",
        "pay_amount": "0.02", "currency": "USD", "pay_basis": "per_task", "units": "5000",
        "paid_hours": "30", "unpaid_waiting": "10", "unpaid_qualification": "2",
        "fees": "3", "costs": "2", "free_text": "Long waits between tasks.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_api_takes_a_report_and_answers_the_true_wage(catalogue, anonymous):
    response = post(anonymous, REPORT, key="k-1")
    assert response.status_code == 201
    body = response.json()
    assert body["receipt"]
    wage = body["wage"]
    assert wage["currency"] == "KES"
    assert wage["effective_hourly"] == "147.83"
    assert wage["nominal_hourly"] == "184.78"
    assert wage["unpaid_share"] == "0.20"
    assert wage["usd"]["currency"] == "USD" and wage["ppp"] is not None
    report = Report.objects.get()
    assert report.platform == catalogue.actors["sama"] and report.client == catalogue.actors["openai"]
    assert report.region == "global-south"


@pytest.mark.django_db
def test_a_repeated_idempotency_key_stores_nothing_new_and_returns_the_first_receipt(
        catalogue, anonymous):
    first = post(anonymous, REPORT, key="same").json()
    second = post(anonymous, REPORT, key="same")
    assert second.status_code == 200
    assert second.json()["receipt"] == first["receipt"]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_invalid_reports_name_each_bad_field_and_store_nothing(catalogue, anonymous):
    bad = {**REPORT, "task_type": "nope", "country": "ZZ", "year": 2099, "quarter": 5,
           "pay_amount": "-3", "currency": "XYZ", "free_text": "x" * 1_000_001}
    response = post(anonymous, bad)
    assert response.status_code == 422
    fields = {d["loc"][-1] for d in response.json()["detail"]}
    assert {"task_type", "country", "year", "quarter", "pay_amount", "currency",
            "free_text"} <= fields
    hours = post(anonymous, {**REPORT, "paid_hours": 160, "unpaid_hours": {"waiting": 20}})
    assert hours.status_code == 422
    assert "paid_hours" in {d["loc"][-1] for d in hours.json()["detail"]} or "unpaid_hours" in {
        d["loc"][-1] for d in hours.json()["detail"]}
    zero = post(anonymous, {**REPORT, "paid_hours": 0, "unpaid_hours": {}})
    assert zero.status_code == 422
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_emoji_rtl_text_and_html_in_a_platform_name_are_kept_as_text(catalogue, anonymous,
                                                                      editor):
    response = post(anonymous, {**REPORT, "platform": "<b>Nouvelle</b> منصة 🙂",
                                "free_text": "عمل صعب 🙂 <script>alert(1)</script>"})
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.platform is None and report.platform_name == "<b>Nouvelle</b> منصة 🙂"
    html = editor.get("/review/reports/").content.decode()
    assert "&lt;b&gt;Nouvelle&lt;/b&gt;" in html and "<script>alert(1)" not in html


@pytest.mark.django_db
def test_no_ip_address_user_agent_or_exact_time_is_stored_with_a_report(catalogue, anonymous):
    post(anonymous, REPORT, key="k", REMOTE_ADDR="198.51.100.77",
         HTTP_USER_AGENT="CanaryBrowser/9.9")
    columns = {f.name for f in Report._meta.get_fields()}
    assert not columns & {"ip", "ip_address", "user_agent", "created_at", "created",
                          "timestamp"}
    report = Report.objects.get()
    assert report.received_month.day == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reports_report")
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "198.51.100.77" not in row and "CanaryBrowser" not in row


@pytest.mark.django_db
def test_the_form_shows_the_wage_and_a_receipt_once_and_a_double_submit_stores_one_report(
        catalogue, anonymous):
    page = anonymous.get("/reports/new/").content.decode()
    # no script makes the key: the only script is the optional enhancement, a static file
    assert 'name="idempotency_key"' in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/vw/enhance.js" defer>']
    response = anonymous.post("/reports/new/", form_data())
    html = response.content.decode()
    assert response.status_code == 201
    # 0.02 × 5000 = 100 USD; minus 5 fees and costs = 95 over 42 hours
    assert "US$2.26" in html and "US$3.33" in html  # effective and nominal
    receipt = html.split('id="receipt" type="text" readonly value="')[1].split('"')[0]
    again = anonymous.post("/reports/new/", form_data())
    assert again.status_code == 200 and receipt in again.content.decode()
    assert Report.objects.count() == 1


# The World Bank series of the packaged snapshot end in 2025: 2026 is the first year after.
KENYA_2026 = {"year": "2026", "quarter": "1", "currency": "KES", "pay_basis": "per_week",
              "pay_amount": "7391.37", "units": "", "paid_hours": "40", "unpaid_waiting": "10",
              "unpaid_qualification": "", "fees": "0", "costs": "0"}


@pytest.mark.django_db
def test_a_year_after_the_last_published_year_shows_the_wage_at_the_latest_rate_and_says_so(
        catalogue, anonymous):
    html = anonymous.post("/reports/new/", form_data(**KENYA_2026)).content.decode()
    # 147.8274 KES an hour / 129.302572099377 KES per US$ (Kenya, 2025) = US$1.14
    assert "US$1.14 per hour, at the 2025 rate (the 2026 rate is not published yet)" in html
    assert "3.39 international dollars per hour, at the 2025 rate" in html


@pytest.mark.django_db
def test_the_api_answer_says_which_years_rate_converted_the_wage(catalogue, anonymous):
    later = post(anonymous, {**REPORT, "year": 2026, "quarter": 1}, key="y-2026").json()["wage"]
    assert (later["usd"]["effective_hourly"], later["usd"]["rate_year"]) == ("1.14", 2025)
    assert later["usd"]["note"].startswith("at the 2025 rate")
    assert later["ppp"]["rate_year"] == 2025 and later["ppp"]["note"].startswith("at the 2025 rate")
    own = post(anonymous, REPORT, key="y-2023").json()["wage"]
    assert (own["usd"]["rate_year"], own["usd"]["note"], own["ppp"]["note"]) == (2023, None, None)


@pytest.mark.django_db
def test_a_currency_with_no_rate_at_all_still_cannot_be_converted(catalogue, anonymous):
    venezuela = {"currency": "VES", "country": "VE", "year": "2026", "pay_basis": "per_week",
                 "pay_amount": "5000", "units": ""}
    html = anonymous.post("/reports/new/", form_data(**venezuela)).content.decode()
    assert "Cannot be converted: there is no exchange rate" in html
    assert "Cannot be converted: there is no price-level factor" in html
    wage = post(anonymous, {**REPORT, "currency": "VES", "country": "VE", "year": 2026,
                            "quarter": 1, "pay_amount": "5000"}, key="ves").json()["wage"]
    assert wage["usd"] is None and wage["ppp"] is None


@pytest.mark.django_db
def test_a_failed_submission_keeps_what_was_typed_with_a_message_by_each_field(catalogue,
                                                                               anonymous):
    response = anonymous.post("/reports/new/", form_data(currency="QQQ", country="",
                                                         free_text="Kept words"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kept words" in html and 'value="0.02"' in html
    assert "Give a currency code" in html and "Choose the country" in html
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_receipt_opens_edits_and_withdraws_the_report(catalogue, anonymous, anonymous_other):
    receipt = post(anonymous, REPORT, key="r").json()["receipt"]
    report = Report.objects.get()
    assert anonymous_other.get(f"/reports/{report.public_id}/").status_code == 404
    assert anonymous_other.post("/reports/receipt/", {"receipt": "WRONG-CODE"}).status_code == 400
    opened = anonymous_other.post("/reports/receipt/", {"receipt": receipt})
    assert opened.status_code == 302
    page = anonymous_other.get(f"/reports/{report.public_id}/").content.decode()
    assert "KES147.83" in page  # the wage in the currency of the report, as English writes it
    edit = anonymous_other.post(f"/reports/{report.public_id}/edit/", form_data(
        pay_amount="8000", currency="KES", pay_basis="per_week", units="", paid_hours="40",
        unpaid_waiting="", unpaid_qualification="", fees="0", costs="0"))
    assert edit.status_code == 302
    report.refresh_from_db()
    assert report.pay_amount == 8000 and report.status == "pending"
    anonymous_other.post(f"/reports/{report.public_id}/withdraw/", {"confirm": "yes"})
    report.refresh_from_db()
    assert report.status == "withdrawn" and report.free_text == ""
    api = anonymous.get(f"/api/v1/reports/{receipt}").json()
    assert api["status"] == "withdrawn" and api["wage"] is None


@pytest.mark.django_db
def test_the_api_withdraws_with_the_receipt(catalogue, anonymous):
    receipt = post(anonymous, REPORT).json()["receipt"]
    assert anonymous.delete(f"/api/v1/reports/{receipt}").status_code == 204
    assert Report.objects.get().status == "withdrawn"
    assert anonymous.delete("/api/v1/reports/NOPE").status_code == 404


@pytest.mark.django_db
def test_moderated_words_appear_on_the_actor_page_with_coarse_metadata_only(
        catalogue, anonymous, editor, settings):
    settings.VISIBLEWORK_K = 3
    post(anonymous, {**REPORT, "free_text": "Published words."})
    post(anonymous, {**REPORT, "free_text": "Hidden words."})
    published, hidden = Report.objects.order_by("id")
    editor.post(f"/review/reports/{published.pk}/text/", {"decision": "published"})
    editor.post(f"/review/reports/{hidden.pk}/text/", {"decision": "hidden"})
    html = anonymous.get("/actors/sama/").content.decode()
    assert "Published words." in html and "Hidden words." not in html
    assert "Q2 2023" in html and "Global South" in html
    assert "Kenya" not in html.split("What workers say")[1].split("</section>")[0]
    assert "7391" not in html and "147.83" not in html


@pytest.mark.django_db
def test_flags_are_resolved_by_editors_and_can_hide_the_words(catalogue, anonymous, editor):
    post(anonymous, REPORT)
    report = Report.objects.get()
    editor.post(f"/review/reports/{report.pk}/text/", {"decision": "published"})
    assert anonymous.post(f"/reviews/{report.public_id}/flag/", {"reason": "made-up"}).status_code == 400
    anonymous.post(f"/reviews/{report.public_id}/flag/", {"reason": "identifies", "note": "names me"})
    flag = Flag.objects.get()
    assert "names me" in editor.get("/review/flags/").content.decode()
    editor.post(f"/review/flags/{flag.pk}/resolve/", {"resolution": "Names a manager",
                                                      "hide": "1"})
    report.refresh_from_db()
    flag.refresh_from_db()
    assert flag.resolved and report.status == "hidden"
    assert "We read terrible things." not in anonymous.get("/actors/sama/").content.decode()


@pytest.mark.django_db
def test_a_verified_representative_posts_one_reply_and_cannot_touch_reports(
        catalogue, anonymous, representative, representative_user, editor_user):
    post(anonymous, REPORT)
    report = Report.objects.get()
    assert b'name="text"' not in representative.get("/replies/sama/").content  # not verified
    Representation.objects.create(user=representative_user, actor=catalogue.actors["sama"],
                                  verified=True, verified_by=editor_user)
    representative.post("/replies/sama/", {"text": "We pay above the local minimum."})
    representative.post("/replies/sama/", {"text": "We now pay more."})
    assert Reply.objects.get().text == "We now pay more."
    assert "We now pay more." in anonymous.get("/actors/sama/").content.decode()
    for url in (f"/review/reports/{report.pk}/text/", "/review/reports/"):
        assert representative.post(url, {"decision": "hidden"}).status_code in (302, 403)
    report.refresh_from_db()
    assert report.status == "pending"

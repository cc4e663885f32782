"""Contributing a case or an update, following it, and the editors' decision, in the test
client; and the same through POST /api/v1/contributions."""

import re

import pytest

from visiblework.cases import contributions
from visiblework.cases.models import Case, Contribution, ContributionStatus, Revision


def form_data(**overrides):
    data = {
        "title": "Voice recordings for a few cents each",
        "year": "2022",
        "summary": "Workers in Venezuela recorded their voices without being told why.",
        "body": "",
        "justice_areas": ["economic-justice"],
        "layers": ["data-generation"],
        "regions": ["global-south"],
        "countries": "VE, AR",
        "note": "I did this work myself.",
        "website": "",
        "sources-TOTAL_FORMS": "1", "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0", "sources-MAX_NUM_FORMS": "10",
        "sources-0-url": "https://example.org/voices", "sources-0-title": "Voices for sale",
        "sources-0-publisher": "Example News", "sources-0-date": "2022-05",
        "actors-TOTAL_FORMS": "1", "actors-INITIAL_FORMS": "0",
        "actors-MIN_NUM_FORMS": "0", "actors-MAX_NUM_FORMS": "10",
        "actors-0-name": "Open AI", "actors-0-role": "client",
    }
    data.update(overrides)
    return data


def tracking_url(response) -> str:
    html = response.content.decode()
    return html.split('id="tracking" type="text" readonly value="')[1].split('"')[0]


@pytest.mark.django_db
def test_the_contribute_page_explains_why_there_is_no_captcha(vocabularies, anonymous):
    html = anonymous.get("/contribute/").content.decode()
    assert "There is no CAPTCHA here" in html
    assert 'name="website"' in html  # the honeypot


@pytest.mark.django_db
def test_a_contributor_proposes_a_case_and_follows_it_until_it_is_accepted(catalogue, anonymous,
                                                                           editor, editor_user):
    response = anonymous.post("/contribute/", form_data())
    assert response.status_code == 201
    url = tracking_url(response)
    path = url.split("testserver", 1)[1]
    assert "Waiting for review" in anonymous.get(path).content.decode()

    contribution = Contribution.objects.get()
    assert contribution.status == ContributionStatus.PENDING
    assert contribution.payload["countries"] == ["AR", "VE"]
    queue = editor.get("/review/").content.decode()
    assert "Voice recordings for a few cents each" in queue

    detail = editor.get(f"/review/contributions/{contribution.pk}/").content.decode()
    assert "<ins>Voice" in detail
    editor.post(f"/review/contributions/{contribution.pk}/claim/")
    contribution.refresh_from_db()
    assert contribution.claimed_by == editor_user

    accepted = editor.post(f"/review/contributions/{contribution.pk}/accept/", {
        **form_data(title="Voice recordings paid a few cents each"), "reason": "Thank you!"})
    assert accepted.status_code == 302
    case = Case.objects.get(title="Voice recordings paid a few cents each")
    assert case.status == "published"
    assert case.case_actors.get().actor == catalogue.actors["openai"]  # alias resolved
    revision = case.revisions.get()
    assert revision.author == editor_user
    assert revision.summary == f"Accepted contribution #{contribution.pk}"

    tracked = anonymous.get(path).content.decode()
    assert "Accepted" in tracked and "Thank you!" in tracked and case.get_absolute_url() in tracked
    assert anonymous.get("/cases/", {"q": "recordings"}).content.decode().count(case.title) == 1


@pytest.mark.django_db
def test_an_update_is_shown_as_a_diff_and_accepting_it_writes_a_revision(catalogue, anonymous,
                                                                         editor):
    case = catalogue.cases["midas"]
    page = anonymous.get(f"/contribute/?case={case.pk}").content.decode()
    assert case.summary in page  # the form starts from the current case
    response = anonymous.post("/contribute/", form_data(
        case=str(case.pk), title=case.title, summary="About 40,000 people were wrongly accused.",
        **{"actors-0-name": "Michigan Unemployment Insurance Agency", "actors-0-role": "deployer"}))
    assert response.status_code == 201
    contribution = Contribution.objects.get()
    assert contribution.kind == "update" and contribution.case == case
    detail = editor.get(f"/review/contributions/{contribution.pk}/").content.decode()
    assert "<del>An" in detail and "<ins>About" in detail
    contributions.accept(contribution, None)
    case.refresh_from_db()
    assert case.summary == "About 40,000 people were wrongly accused."
    summaries = list(Revision.objects.filter(case=case).order_by("number")
                     .values_list("summary", flat=True))
    assert summaries == ["State before the first recorded change",
                         f"Accepted contribution #{contribution.pk}"]


@pytest.mark.django_db
def test_an_update_to_a_case_retracted_meanwhile_cannot_be_accepted(catalogue, anonymous,
                                                                    editor_user):
    from django.core.exceptions import ValidationError

    from visiblework.cases.editing import retract_case

    case = catalogue.cases["midas"]
    anonymous.post("/contribute/", form_data(case=str(case.pk), title=case.title))
    retract_case(case, editor_user, "Withdrawn.")
    with pytest.raises(ValidationError):
        contributions.accept(Contribution.objects.get(), editor_user)
    case.refresh_from_db()
    assert case.status == "retracted"


@pytest.mark.django_db
def test_a_rejected_contribution_shows_the_editors_reason(catalogue, anonymous, editor):
    path = tracking_url(anonymous.post("/contribute/", form_data())).split("testserver", 1)[1]
    contribution = Contribution.objects.get()
    response = editor.post(f"/review/contributions/{contribution.pk}/reject/", {"reason": ""})
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PENDING  # a reason is required
    editor.post(f"/review/contributions/{contribution.pk}/reject/",
                {"reason": "Not supported by the sources."})
    assert response.status_code == 302
    html = anonymous.get(path).content.decode()
    assert "Rejected" in html and "Not supported by the sources." in html
    assert not Case.objects.filter(title__startswith="Voice").exists()


@pytest.mark.django_db
def test_bad_input_gets_a_message_next_to_each_field_and_keeps_what_was_typed(vocabularies,
                                                                              anonymous):
    response = anonymous.post("/contribute/", form_data(
        title="", summary="Kept text", countries="KE, XX", **{"sources-0-date": "March 2019",
                                                             "actors-0-role": "boss"}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html
    assert "Kept text" in html
    assert Contribution.objects.count() == 0
    response = anonymous.post("/contribute/", form_data(countries="KE, XX"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "We do not know these countries: XX." in html


@pytest.mark.django_db
def test_script_in_a_contribution_is_never_executed(vocabularies, anonymous, editor):
    anonymous.post("/contribute/", form_data(title="Pay cut <script>alert(1)</script>",
                                             summary="Hidden <img src=x onerror=alert(1)>"))
    contribution = Contribution.objects.get()
    for client, url in [(editor, "/review/"), (editor, f"/review/contributions/{contribution.pk}/")]:
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html


@pytest.mark.django_db
def test_the_honeypot_keeps_bots_out_of_the_queue(vocabularies, anonymous, editor):
    response = anonymous.post("/contribute/", form_data(website="http://spam.example"))
    assert response.status_code == 201
    assert Contribution.objects.get().status == ContributionStatus.SPAM
    assert "Voice recordings" not in editor.get("/review/").content.decode()


@pytest.mark.django_db
def test_contributions_are_rate_limited_per_client_without_storing_the_address(vocabularies,
                                                                               anonymous):
    for _ in range(20):
        assert anonymous.post("/contribute/", form_data()).status_code == 201
    response = anonymous.post("/contribute/", form_data())
    assert response.status_code == 429
    assert "nothing you typed is lost" in response.content.decode()
    assert "Voice recordings for a few cents each" in response.content.decode()
    other = anonymous.post("/contribute/", form_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 201
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM visiblework_cache")
        rows = cursor.fetchall()
    assert rows
    assert not any("127.0.0.1" in str(row) or "203.0.113.9" in str(row) for row in rows)


@pytest.mark.django_db
def test_editors_reject_many_contributions_as_spam_in_one_action(vocabularies, anonymous, editor):
    for n in range(3):
        anonymous.post("/contribute/", form_data(title=f"Buy cheap pills {n}"))
    ids = list(Contribution.objects.values_list("pk", flat=True))
    response = editor.post("/review/spam/", {"selected": ids[:2]})
    assert response.status_code == 302
    statuses = dict(Contribution.objects.values_list("pk", "status"))
    assert [statuses[i] for i in ids] == ["spam", "spam", "pending"]
    from visiblework.core.models import AuditEntry
    assert AuditEntry.objects.get(action="spam").data == {"ids": ids[:2]}


@pytest.mark.django_db
def test_the_queue_filters_and_sorts(catalogue, anonymous, editor, editor_user):
    anonymous.post("/contribute/", form_data(title="First new case"))
    anonymous.post("/contribute/", form_data(case=str(catalogue.cases["midas"].pk),
                                             title="Second, an update"))
    first = Contribution.objects.get(payload__title="First new case")
    contributions.claim(first, editor_user)
    def titles(**params):
        html = editor.get("/review/", params).content.decode()
        return [t for t in ("First new case", "Second, an update") if t in html], html
    assert titles(kind="update")[0] == ["Second, an update"]
    assert titles(claimed="me")[0] == ["First new case"]
    assert titles(claimed="unclaimed")[0] == ["Second, an update"]
    assert titles(case=str(catalogue.cases["midas"].pk))[0] == ["Second, an update"]
    html = titles(order="newest")[1]
    assert html.index("Second, an update") < html.index("First new case")


@pytest.mark.django_db
def test_possible_duplicates_are_shown_before_a_new_case_is_accepted(catalogue, anonymous,
                                                                     editor):
    anonymous.post("/contribute/", form_data(
        title="Kenyan workers labelled toxic text", **{"sources-0-url": "https://time.com/6247678/"}))
    contribution = Contribution.objects.get()
    html = editor.get(f"/review/contributions/{contribution.pk}/").content.decode()
    assert "Possible duplicates" in html and catalogue.cases["kenya"].title in html


@pytest.mark.django_db
def test_the_api_accepts_a_contribution_and_answers_with_a_tracking_code(catalogue, anonymous):
    response = anonymous.post("/api/v1/contributions", {
        "kind": "new_case", "title": "Moderators in Manila", "year": 2021,
        "summary": "Content moderators reviewed violent video for a social network.",
        "body": "", "sources": [{"url": "https://example.org/m", "title": "Report",
                                 "publisher": "X", "date": "2021"}],
        "justice_areas": ["economic-justice"], "impacts": ["psychological-harm"],
        "layers": ["content-moderation"], "countries": ["PH"],
        "actors": [{"name": "Sama", "role": "vendor"}], "note": "",
    }, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["tracking_code"]
    assert body["tracking_url"].endswith(f"/contribute/track/{body['tracking_code']}/")
    assert anonymous.get(body["tracking_url"].split("testserver")[1]).status_code == 200


@pytest.mark.django_db
def test_the_api_names_each_bad_field(catalogue, anonymous):
    response = anonymous.post("/api/v1/contributions", {
        "kind": "update", "case_id": 999999, "title": "", "summary": "x",
        "countries": ["XX"], "justice_areas": ["made-up"], "actors": [{"name": "A", "role": "boss"}],
        "sources": [{"url": "not a url", "title": "t"}],
    }, content_type="application/json")
    assert response.status_code == 422
    fields = {d["loc"][-1] for d in response.json()["detail"]}
    assert {"case_id", "title", "countries", "justice_area", "actors", "sources"} <= fields
    missing = anonymous.post("/api/v1/contributions", {"kind": "new_case"},
                             content_type="application/json")
    assert missing.status_code == 422
    assert {d["loc"][-1] for d in missing.json()["detail"]} >= {"title", "summary"}
    assert Contribution.objects.count() == 0


@pytest.mark.django_db
def test_a_new_tracking_code_has_no_look_alike_characters(vocabularies, anonymous):
    code = tracking_url(anonymous.post("/contribute/", form_data())).rstrip("/").split("/")[-1]
    assert re.fullmatch(r"[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){5}", code), code
    assert not set(code) & set("lI1O0o")


@pytest.mark.django_db
def test_a_tracking_code_typed_in_capitals_or_with_spaces_still_finds_the_contribution(
        vocabularies, anonymous):
    code = tracking_url(anonymous.post("/contribute/", form_data())).rstrip("/").split("/")[-1]
    typed = code.replace("-", " ").upper()
    assert contributions.by_tracking_code(typed) == Contribution.objects.get()


@pytest.mark.django_db
def test_a_tracking_code_from_before_keeps_working(vocabularies, anonymous):
    anonymous.post("/contribute/", form_data())
    old = "Xy_1lI0O-abcDEF123456789"  # secrets.token_urlsafe(18), as codes were made before
    Contribution.objects.update(tracking_hash=contributions.tracking_hash(old))
    assert anonymous.get(f"/contribute/track/{old}/").status_code == 200
    assert anonymous.get(f"/contribute/track/{old.lower()}/").status_code == 404


@pytest.mark.django_db
def test_the_thank_you_page_offers_to_copy_the_link_and_the_code(vocabularies, anonymous):
    html = anonymous.post("/contribute/", form_data()).content.decode()
    assert html.count('data-copy="Copy"') == 2
    assert '<script src="/static/vw/enhance.js" defer></script>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "typed"), [("en", "Venezuela, Argentina"),
                                             ("fr", "Venezuela ; Argentine"),
                                             ("ar", "فنزويلا، الأرجنتين")])
def test_countries_are_chosen_by_name_in_the_page_language(vocabularies, anonymous, lang, typed):
    response = anonymous.post(f"/contribute/?lang={lang}", form_data(countries=typed))
    assert response.status_code == 201
    assert Contribution.objects.get().payload["countries"] == ["AR", "VE"]


@pytest.mark.django_db
def test_the_contribute_page_lists_country_names_to_choose_from(vocabularies, anonymous):
    html = anonymous.get("/contribute/").content.decode()
    assert 'list="country-names"' in html and '<option value="Kenya"></option>' in html
    assert "Country names separated by commas" in html and "Two-letter" not in html


@pytest.mark.django_db
def test_an_update_shows_the_case_countries_by_name(catalogue, anonymous):
    case = catalogue.cases["kenya"]
    html = anonymous.get(f"/contribute/?case={case.pk}").content.decode()
    assert 'value="Kenya, United States"' in html


@pytest.mark.django_db
def test_html_typed_into_a_contribution_never_reaches_the_published_case(vocabularies, anonymous,
                                                                         editor, editor_user):
    anonymous.post("/contribute/", form_data(
        title="Voices <b>sold</b>", summary="Workers <script>alert(1)</script>recorded voices.",
        body="Paid <em>cents</em>.\n\n<iframe src=https://evil.example></iframe>",
        **{"sources-0-title": "Voices <i>for</i> sale", "actors-0-name": "Open AI<br>"}))
    contribution = Contribution.objects.get()
    assert contribution.payload["title"] == "Voices sold"
    assert contribution.payload["summary"] == "Workers recorded voices."
    reviewed = editor.get(f"/review/contributions/{contribution.pk}/").content.decode()
    assert 'value="Voices sold"' in reviewed and "&lt;b&gt;" not in reviewed
    contributions.accept(contribution, editor_user)  # as the queue's "Accept" does
    case = Case.objects.get(title="Voices sold")
    page = anonymous.get(case.get_absolute_url()).content.decode()
    for markup in ("<b>", "&lt;b&gt;", "<script>alert", "&lt;script", "&lt;iframe", "&lt;em"):
        assert markup not in page, markup
    assert "Workers recorded voices." in page and "Voices for sale" in page


@pytest.mark.django_db
def test_the_api_removes_html_from_a_contribution_too(catalogue, anonymous):
    response = anonymous.post("/api/v1/contributions", {
        "kind": "new_case", "title": "Moderators <script>alert(1)</script>in Manila",
        "summary": "They <b>reviewed</b> video.", "body": "<p>Long</p> hours",
        "sources": [{"url": "https://example.org/m", "title": "<i>Report</i>"}],
        "actors": [{"name": "<u>Sama</u>", "role": "vendor"}], "note": "<em>Note</em>",
    }, content_type="application/json")
    assert response.status_code == 201
    contribution = Contribution.objects.get()
    payload = contribution.payload
    assert (payload["title"], payload["summary"], payload["body"]) == (
        "Moderators in Manila", "They reviewed video.", "Long hours")
    assert payload["sources"][0]["title"] == "Report"
    assert payload["actors"][0]["name"] == "Sama" and contribution.note == "Note"

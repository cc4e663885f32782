"""Every URL × every persona: who may read and who may act."""

import pytest

from visiblework.cases import contributions

PUBLIC = ["/", "/cases/", "/actors/", "/contribute/", "/feeds/cases.atom", "/export/cases.csv",
          "/export/cases.json", "/export/mapping.toml", "/api/v1/cases", "/api/v1/openapi.json",
          "/api/v1/taxonomies",
          "/api/v1/actors", "/reports/new/", "/reports/receipt/", "/about/data-use/", "/about/data/",
          "/accounts/recover/", "/accounts/signup/", "/compare/", "/compare/?actor=sama",
          "/compare/?actor=sama&actor=openai", "/compare/?actor=sama&actor=openai&work=all&region=all",
          "/scorecards/", "/help/", "/help/feed.atom", "/help/suggest/", "/demands/",
          "/consultations/", "/insights/method/", "/rights/", "/rights/follow-up/"]
EDITORS_ONLY = ["/review/", "/review/audit/", "/review/reports/", "/review/flags/",
                "/review/releases/", "/review/actors/duplicates/", "/review/duplicates/", "/admin/",
                "/admin/cases/case/", "/admin/core/auditentry/", "/admin/insights/scorecard/",
                "/review/demands/", "/review/consultations/", "/review/representatives/",
                "/admin/voice/helpprofile/"]


@pytest.fixture
def urls(catalogue):
    case = catalogue.cases["kenya"]
    submitted = contributions.submit({"title": "T", "summary": "S"}, kind="new_case")
    return {
        "public": [*PUBLIC, case.get_absolute_url(), f"/cases/{case.pk}/{case.slug}/history/",
                   "/actors/openai/", f"/contribute/?case={case.pk}",
                   f"/contribute/track/{submitted.tracking_code}/", f"/api/v1/cases/{case.pk}"],
        "editors": [*EDITORS_ONLY, f"/review/contributions/{submitted.contribution.pk}/"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative", "editor", "admin"])
def test_public_pages_answer_everyone(request, persona, urls):
    client = request.getfixturevalue(persona)
    for url in urls["public"]:
        assert client.get(url).status_code == 200, (persona, url)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative", "editor", "admin"])
def test_the_comparison_answers_bad_input_with_a_message_for_everyone(request, persona,
                                                                       catalogue):
    client = request.getfixturevalue(persona)
    for query in ("actor=a&actor=b&actor=c&actor=d&actor=e", "actor=sama&actor=nobody",
                  "actor=sama&actor=openai&work=x"):
        response = client.get(f"/compare/?{query}")
        assert response.status_code == 400, (persona, query)
        assert b'role="alert"' in response.content, (persona, query)


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 302), ("worker", 403), ("representative", 403), ("editor", 200), ("admin", 200)])
def test_editors_pages_answer_editors_only(request, persona, expected, urls):
    client = request.getfixturevalue(persona)
    for url in urls["editors"]:
        status = client.get(url).status_code
        if url.startswith("/admin/") and persona in ("worker", "representative"):
            assert status == 302, (persona, url)  # the admin sends non-staff to sign in
        else:
            assert status == expected, (persona, url)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_may_act_on_the_queue(request, persona, urls):
    client = request.getfixturevalue(persona)
    pk = urls["editors"][-1].rstrip("/").split("/")[-1]
    for url in [f"/review/contributions/{pk}/claim/", f"/review/contributions/{pk}/accept/",
                f"/review/contributions/{pk}/reject/", "/review/spam/"]:
        assert client.post(url, {"reason": "x", "selected": [pk]}).status_code in (302, 403)
    from visiblework.cases.models import Contribution
    contribution = Contribution.objects.get(pk=pk)
    assert contribution.status == "pending" and contribution.claimed_by is None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_may_start_a_release_build_or_publish_one(request, persona, catalogue,
                                                               jobs_run_here):
    from tests.insights.test_pages import make_release
    from visiblework.core.models import Job
    from visiblework.insights.models import Release

    make_release("draft", published=False)
    client = request.getfixturevalue(persona)
    response = client.post("/review/releases/", {"label": "q4", "epsilon": "1", "delta": "0",
                                                 "k": "2"})
    assert response.status_code in (302, 403)
    assert client.post("/review/releases/draft/publish/").status_code in (302, 403)
    assert not Job.objects.exists() and jobs_run_here == []
    assert Release.objects.get(label="draft").status == "preview"


@pytest.mark.django_db
def test_an_unknown_tracking_code_is_not_found(anonymous, vocabularies):
    assert anonymous.get("/contribute/track/nope/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative", "editor", "admin"])
def test_a_report_page_answers_only_its_author(request, persona, catalogue, anonymous_other):
    from visiblework.reports.models import Report

    anonymous_other.post("/api/v1/reports", {
        "platform": "Sama", "task_type": "other", "country": "KE", "year": 2023, "quarter": 1,
        "pay_amount": "10", "currency": "USD", "pay_basis": "per_hour", "paid_hours": 5},
        content_type="application/json")
    report = Report.objects.get()
    client = request.getfixturevalue(persona)
    for pk in (report.public_id, report.pk):
        assert client.get(f"/reports/{pk}/").status_code == 404
        assert client.get(f"/reports/{pk}/edit/").status_code == 404
        assert client.post(f"/reports/{pk}/withdraw/").status_code == 404
    report.refresh_from_db()
    assert report.status == "pending"

"""Insights pages, release pages, downloads and the API, on hand-made releases: suppressed
cells never show a number anywhere; a published release never changes; budgets add up."""

import json
import re

import pytest

from tests.insights.test_release_method import ENGINE_BUDGET
from visiblework.insights import cards, releases
from visiblework.insights.models import (
    DisclosureStatement,
    Release,
    ReleaseCell,
    ReleaseIsImmutable,
    Scorecard,
    ScorecardPoint,
)

SECRET_VALUE = 77.123456  # only ever in a suppressed cell's stats: must never be shown


def make_release(label="r1", published=True, epsilon=1.0, budget=None):
    release = Release.objects.create(
        label=label, cutoff="2026-09-30", epsilon=epsilon, delta=1e-6, k=5,
        method_version="vw-dp-test", budget=budget or {"count": 0.2, "median": 0.8},
        workers_noisy=321, reports_noisy=654)
    stats = lambda m: {"median_effective_hourly_usd": m, "p25_effective_hourly_usd": m * 0.7,  # noqa: E731
                       "p75_effective_hourly_usd": m * 1.3, "median_effective_hourly_ppp": m * 2,
                       "unpaid_share": 0.25, "late_or_missing_share": 0.1, "harmful_share": 0.5}
    cells = [
        ({"task_type": "content_moderation", "region": "global-north"}, False, 40, stats(14.5)),
        ({"task_type": "content_moderation", "region": "global-south"}, False, 60, stats(1.9)),
        ({"task_type": "posing_as_ai", "region": "global-south"}, True, None,
         {"median_effective_hourly_usd": SECRET_VALUE}),
        ({"platform": "sama"}, False, 55, stats(1.8)),
        ({"platform": "appen"}, True, None, {}),
        ({"task_type": "content_moderation"}, False, 100, stats(4.0)),
        ({"task_type": "image_video_annotation"}, False, 80, stats(3.0)),
        ({"task_type": "text_annotation", "region": "global-north"}, False, 30,
         {**stats(9.5), "p25_effective_hourly_usd": None, "p75_effective_hourly_usd": None}),
    ]
    for dims, suppressed, workers, st in cells:
        ReleaseCell.objects.create(release=release, dims_key=",".join(sorted(dims)), dims=dims,
                                   suppressed=suppressed, workers=workers, stats=st)
    if published:
        releases.publish(release)
    return Release.objects.get(pk=release.pk)


def everything(client, label="r1") -> str:
    parts = [client.get("/insights/").content.decode(),
             client.get(f"/releases/{label}/").content.decode()]
    for dims in ("region,task_type", "platform", "task_type"):
        for fmt in ("csv", "json"):
            parts.append(client.get(f"/releases/{label}/cells.{fmt}?dims={dims}").content.decode())
        parts.append(client.get(f"/api/v1/releases/{label}/cells?dims={dims}").content.decode())
    return "\n".join(parts)


@pytest.mark.django_db
def test_suppressed_cells_never_show_a_number_in_html_csv_json_or_api(catalogue, anonymous):
    make_release()
    text = everything(anonymous)
    assert "14.50" in text  # the published cells are there
    assert "77.12" not in text and "77.123" not in text
    api = anonymous.get("/api/v1/releases/r1/cells?dims=platform").json()
    appen = next(c for c in api["items"] if c["dims"]["platform"] == "appen")
    assert appen == {"dims": {"platform": "appen"}, "suppressed": True}


@pytest.mark.django_db
def test_the_release_page_states_its_privacy_parameters_and_the_running_loss(catalogue,
                                                                            anonymous):
    make_release("r1", epsilon=1.0)
    make_release("r2", epsilon=0.5)
    html = anonymous.get("/releases/r1/").content.decode()
    for expected in ("2026-09-30", "ε = 1.0", "δ = 10⁻⁶", "vw-dp-test", "321", "654",
                     "count", "median"):
        assert expected in html, expected
    assert "ε = 1.00" in html  # running loss up to this release
    assert "ε = 1.50" in anonymous.get("/releases/r2/").content.decode()
    assert releases.running_privacy_loss().epsilon == pytest.approx(1.5)
    listed = anonymous.get("/api/v1/releases").json()
    assert [r["label"] for r in listed["items"]] == ["r2", "r1"]
    assert listed["running_privacy_loss"] == pytest.approx(1.5)
    assert listed["running_privacy_loss_delta"] == pytest.approx(2e-6)
    assert set(listed["items"][0]) >= {"label", "published_at", "epsilon", "delta", "k",
                                       "method_version"}


@pytest.mark.django_db
def test_the_insights_page_draws_shares_on_a_0_to_100_percent_axis(catalogue, anonymous):
    make_release()  # every kind of work: 25% unpaid, 50% exposed to harmful content
    html = anonymous.get("/insights/").content.decode()
    unpaid = html[html.index('aria-labelledby="c-unpaid-t'):]
    unpaid = unpaid[:unpaid.index("</svg>")]
    assert re.findall(r'width="([\d.]+%)" height="18"', unpaid) == ["25.00%", "25.00%"]
    assert '<text x="100.00%"' in unpaid and ">100%</text>" in unpaid


@pytest.mark.django_db
def test_the_release_page_splits_epsilon_between_the_tables_in_a_readable_table(catalogue,
                                                                               anonymous):
    make_release(budget=ENGINE_BUDGET)
    html = anonymous.get("/releases/r1/").content.decode()
    split = html[html.index('id="split"'):html.index('id="parameters"')]
    assert '<th scope="row">Kind of work × Region</th><td class="num">49.0%</td>' in split
    assert '<th scope="row">Totals: all workers and reports</th><td class="num">2.0%</td>' in split
    assert "Each table holds: workers (a count); ratings of the working conditions" in html


@pytest.mark.django_db
def test_the_release_page_lists_the_method_parameters_in_words_not_as_a_dict(catalogue,
                                                                            anonymous):
    make_release(budget=ENGINE_BUDGET)
    html = anonymous.get("/releases/r1/").content.decode()
    assert "<dt>Tables computed</dt><dd>Kind of work × Region; Platform</dd>" in html
    assert "<dt>Reports counted per worker</dt><dd>At most 50;" in html
    for dump in ("{&#x27;", "[&#x27;", "{'", "dimension_sets", "_r0_sum", "stat_weights"):
        assert dump not in html, dump


@pytest.mark.django_db
def test_the_release_page_says_why_a_cell_or_a_figure_is_not_published(catalogue, anonymous):
    make_release()
    html = anonymous.get("/releases/r1/").content.decode()
    withheld = html[html.index('<p class="withheld">'):]
    assert withheld[:withheld.index("</p>")].endswith(
        "<strong>Not published, too few workers</strong> (fewer than the threshold of at "
        "least 5): Global South · Posing as an AI system.")
    text_annotation = html[html.index("Text annotation"):]
    assert "too few wages reported" in text_annotation[:text_annotation.index("</tr>")]
    assert "—–—" not in html and "None" not in html


@pytest.mark.django_db
def test_the_release_page_offers_its_whole_privacy_accounting_as_json(catalogue, anonymous):
    make_release(budget=ENGINE_BUDGET)
    make_release("draft", published=False, budget=ENGINE_BUDGET)
    assert 'href="/releases/r1/privacy.json"' in anonymous.get("/releases/r1/").content.decode()
    body = anonymous.get("/releases/r1/privacy.json").json()
    assert body == {"release": "r1", "budget": ENGINE_BUDGET}
    assert anonymous.get("/releases/draft/privacy.json").status_code == 404


@pytest.mark.django_db
def test_a_published_release_never_changes(catalogue):
    release = make_release()
    release.epsilon = 9
    with pytest.raises(ReleaseIsImmutable):
        release.save()
    with pytest.raises(ReleaseIsImmutable):
        release.delete()
    cell = release.cells.first()
    cell.workers = 1
    with pytest.raises(ReleaseIsImmutable):
        cell.save()
    with pytest.raises(releases.ReleaseError):
        releases.publish(release)


@pytest.mark.django_db
def test_a_preview_is_seen_by_editors_only(catalogue, anonymous, worker, editor):
    make_release("draft", published=False)
    assert anonymous.get("/releases/draft/").status_code == 404
    assert worker.get("/releases/draft/").status_code == 404
    assert anonymous.get("/api/v1/releases/draft/cells").status_code == 404
    assert "Preview: only editors" in editor.get("/releases/draft/").content.decode()
    response = editor.post("/review/releases/draft/publish/")
    assert response.status_code == 302
    assert anonymous.get("/releases/draft/").status_code == 200


@pytest.mark.django_db
def test_the_api_filters_cells_and_refuses_unknown_dimensions(catalogue, anonymous):
    make_release()
    body = anonymous.get("/api/v1/releases/r1/cells?dims=task_type,region&region=global-south"
                         ).json()
    assert {c["dims"]["task_type"] for c in body["items"]} == {"content_moderation",
                                                               "posing_as_ai"}
    assert anonymous.get("/api/v1/releases/r1/cells?dims=worker").status_code == 422
    assert anonymous.get("/api/v1/releases/nope/cells").status_code == 404


@pytest.mark.django_db
def test_the_insights_page_has_svg_charts_with_text_alternatives_and_tables(catalogue,
                                                                           anonymous):
    make_release()
    html = anonymous.get("/insights/").content.decode()
    assert html.count("<svg") >= 3 and "<title" in html and "<desc" in html
    assert "<table" in html and "Content moderation" in html
    assert "cells.csv?dims=region,task_type" in html and "<script" not in html


@pytest.mark.django_db
def test_the_worth_calculator_values_unpaid_work_by_comparable_paid_tasks(catalogue,
                                                                         anonymous, settings):
    settings.VISIBLEWORK_REFERENCE_WAGE_USD = "7.25"
    make_release()
    result = cards.worth({"captchas": 360, "ratings": 0, "thumbs": 0, "content_reports": 120})
    rows = {r["name"]: r for r in result["rows"]}
    # captchas: 360 × 10 s = 1 hour at the image annotation median (3.00) = 3.00
    assert rows["captchas"]["week"] == pytest.approx(3.0)
    assert rows["captchas"]["source"] == "release"
    # reports: 120 × 30 s = 1 hour at the content moderation median (4.00) = 4.00
    assert rows["content_reports"]["week"] == pytest.approx(4.0)
    assert rows["ratings"]["source"] == "reference" and rows["ratings"]["hourly"] == 7.25
    assert result["year"] == pytest.approx(7.0 * 52)
    html = anonymous.get("/insights/worth/", {"captchas": "360", "content_reports": "120"})
    assert "7.00" in html.content.decode() and "364.00" in html.content.decode()
    bad = anonymous.get("/insights/worth/", {"captchas": "-4"})
    assert bad.status_code == 400 and 'value="-4"' in bad.content.decode()


@pytest.mark.django_db
def test_an_advanced_point_counts_only_with_the_basic_one(catalogue, anonymous):
    card = Scorecard.objects.create(actor=catalogue.actors["sama"], year=2025)
    ScorecardPoint.objects.create(scorecard=card, principle="pay", level=2, awarded=True)
    ScorecardPoint.objects.create(scorecard=card, principle="conditions", level=1, awarded=True,
                                  reasoning="Counselling is offered.")
    point = ScorecardPoint.objects.create(scorecard=card, principle="contracts", level=1,
                                          awarded=True)
    point.cases.add(catalogue.cases["kenya"])
    [summary] = cards.scorecards(catalogue.actors["sama"])
    assert summary["score"] == 2
    html = anonymous.get("/scorecards/sama/").content.decode()
    assert "2025: 2/10" in html and "Counselling is offered." in html
    assert catalogue.cases["kenya"].title in html


@pytest.mark.django_db
def test_the_disclosure_card_answers_from_the_release_and_flags_a_higher_stated_pay(
        catalogue, anonymous):
    make_release()
    DisclosureStatement.objects.create(actor=catalogue.actors["sama"], stated_hourly_usd="9.00",
                                       who="Trained annotators.")
    md = anonymous.get("/disclosures/sama.md").content.decode()
    assert "Median true hourly wage US$1.80" in md and "Trained annotators." in md
    assert "The company states US$9.00" in md
    data = json.loads(anonymous.get("/disclosures/sama.json").content)
    assert data["release"] == "r1" and any(a["flag"] for a in data["answers"])
    html = anonymous.get("/disclosures/sama/").content.decode()
    assert "Labour disclosure card" in html and "⚠" in html
    appen = anonymous.get("/disclosures/openai.md").content.decode()
    assert "Not published" in appen


@pytest.mark.django_db
def test_the_insights_page_shows_the_running_epsilon_and_delta_and_the_lifetime_budget(
        catalogue, anonymous, settings):
    settings.VISIBLEWORK_WORKER_EPSILON_BUDGET = 8.0
    settings.VISIBLEWORK_WORKER_DELTA_BUDGET = 4e-6
    make_release("r1", epsilon=1.0)
    make_release("draft", published=False, epsilon=0.5)  # a preview counts too
    html = anonymous.get("/insights/").content.decode()
    assert "lifetime privacy budget of ε = 8.0 and δ = 4 × 10⁻⁶" in html
    assert "Over all 2 builds so far, each worker has lost at most ε = 1.50 and δ = 2 × 10⁻⁶" in html


@pytest.mark.django_db
def test_the_release_page_shows_the_running_loss_up_to_it_and_its_lifetime_budget(catalogue,
                                                                                 anonymous):
    first = make_release("r1", epsilon=1.0)
    Release.objects.filter(pk=first.pk).update(worker_epsilon_budget=10.0,
                                               worker_delta_budget=1e-5,
                                               workers_excluded_budget=0)
    make_release("r2", epsilon=2.0)
    html = anonymous.get("/releases/r1/").content.decode()
    assert "Lifetime privacy budget per worker" in html and "ε = 10.0, δ = 10⁻⁵" in html
    assert "at most ε = 1.00, δ = 10⁻⁶ (1 build, editors' previews included)" in html
    assert "Nobody: the builds up to this one add up to no more than the budget." in html
    later = anonymous.get("/releases/r2/").content.decode()
    assert "at most ε = 3.00, δ = 2 × 10⁻⁶ (2 builds" in later
    assert "not yet enforced when this release was built" in later


@pytest.mark.django_db
def test_the_number_of_workers_left_out_is_shown_to_editors_only(catalogue, anonymous, editor):
    for i in range(11):
        release = make_release(f"r{i}", epsilon=1.0)
        Release.objects.filter(pk=release.pk).update(worker_epsilon_budget=10.0,
                                                     worker_delta_budget=1e-5,
                                                     workers_excluded_budget=0)
    Release.objects.filter(label="r10").update(workers_excluded_budget=4321)
    public = anonymous.get("/releases/r10/").content.decode()
    assert "4321" not in public and "4,321" not in public
    assert "may have been left out. How many is not published" in public
    assert "4321" not in anonymous.get("/api/v1/releases").content.decode()
    assert "4,321 workers (this number is shown to editors only)" in editor.get(
        "/releases/r10/").content.decode()
    assert "4321" in editor.get("/review/releases/").content.decode()


@pytest.mark.django_db
def test_the_ledger_never_reaches_a_public_response(catalogue, anonymous, settings):
    from tests.test_privacy_canary import crawl
    from visiblework.insights.models import PrivacyLedger
    from visiblework.reports.demo import make_demo_reports

    make_demo_reports(n=40, seed=12)
    releases.publish(releases.build_release("canary", epsilon=1.0, delta=1e-6, k=2))
    PrivacyLedger.objects.update(epsilon=6.02214076, delta=6.62607015e-07)
    pages = crawl(anonymous, catalogue)
    assert len(pages) > 30
    for url, text in pages.items():
        for canary in ("6.022", "6,022", "6.626", "6,626", "6.62607015e-07"):
            assert canary not in text, f"{canary!r} leaked at {url}"


@pytest.mark.django_db
def test_publishing_the_company_answers_writes_an_audit_entry(catalogue, representative,
                                                              representative_user):
    from visiblework.core.models import AuditEntry
    from visiblework.reports.models import Representation

    sama = catalogue.actors["sama"]
    Representation.objects.create(user=representative_user, actor=sama, verified=True)
    response = representative.post("/disclosures/sama/edit/",
                                    {"stated_hourly_usd": "9.50", "who": "Annotators"})
    assert response.status_code == 302
    statement = DisclosureStatement.objects.get(actor=sama)
    entry = AuditEntry.objects.get(object_type="insights.disclosurestatement")
    assert entry.object_id == str(statement.pk) and entry.user == representative_user
    assert entry.action == "create" and entry.data == {"fields": ["stated_hourly_usd", "who"]}


@pytest.mark.django_db
def test_changing_the_company_answers_writes_an_edit_entry(catalogue, representative,
                                                           representative_user):
    from visiblework.core.models import AuditEntry
    from visiblework.reports.models import Representation

    sama = catalogue.actors["sama"]
    Representation.objects.create(user=representative_user, actor=sama, verified=True)
    DisclosureStatement.objects.create(actor=sama, who="Annotators")
    representative.post("/disclosures/sama/edit/", {"who": "Moderators"})
    assert DisclosureStatement.objects.get(actor=sama).who == "Moderators"
    assert AuditEntry.objects.get(object_type="insights.disclosurestatement").action == "edit"


@pytest.mark.django_db
def test_only_a_verified_representative_may_publish_the_company_answers(catalogue,
                                                                        representative):
    response = representative.post("/disclosures/sama/edit/", {"who": "Annotators"})
    assert response.status_code == 404 and not DisclosureStatement.objects.exists()

"""What the public sees of reports: moderated words, a period and a place that never depend
on live report rows, under random public ids."""

import re

import pytest

from visiblework.insights.models import Release, ReleaseCell, ReleaseStatus
from visiblework.reports.models import Report, ReportStatus

from .test_reports import REPORT, post


def _footer(client, slug="sama") -> str:
    html = client.get(f"/actors/{slug}/").content.decode()
    return html.split("What workers say")[1].split("</section>")[0]


def _publish_words(text: str) -> Report:
    report = Report.objects.get(free_text=text)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED)
    return report


def _release(label: str, cells: list[dict], *, published: bool = True) -> Release:
    release = Release.objects.create(label=label, cutoff="2026-01-01", epsilon=1, delta=0, k=5,
                                     method_version="vw-dp-1", workers_noisy=100,
                                     reports_noisy=100)
    for dims in cells:
        ReleaseCell.objects.create(release=release, dims_key=",".join(sorted(dims)), dims=dims,
                                   suppressed=False, workers=12, stats={})
    if published:
        Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.PUBLISHED,
                                                      published_on="2026-01-02")
    return release


@pytest.mark.django_db
def test_throwaway_reports_never_flip_a_review_from_its_region_to_its_country(
        catalogue, anonymous, anonymous_other, settings):
    settings.VISIBLEWORK_K = 5
    post(anonymous, {**REPORT, "country": "NG", "currency": "NGN", "free_text": "Victim words."})
    _publish_words("Victim words.")
    before = _footer(anonymous_other)
    for i in range(6):  # an attacker's throwaway reports about Sama in Nigeria
        post(anonymous_other, {**REPORT, "country": "NG", "currency": "NGN",
                               "free_text": f"throwaway {i}"})
    after = _footer(anonymous_other)
    assert "Global South" in before and "Nigeria" not in before
    assert after == before


@pytest.mark.django_db
def test_a_review_names_its_country_only_when_the_latest_release_published_that_cell(
        catalogue, anonymous):
    post(anonymous, {**REPORT, "free_text": "Words from afar."})
    _publish_words("Words from afar.")
    assert "Kenya" not in _footer(anonymous)
    _release("r1", [{"platform": "sama", "country": "KE"}], published=False)  # a preview
    assert "Kenya" not in _footer(anonymous)
    _release("r2", [{"platform": "sama", "country": "KE"}])
    assert "Kenya" in _footer(anonymous)
    _release("r3", [{"platform": "sama", "region": "global-south"}])  # the latest names none
    assert "Kenya" not in _footer(anonymous)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["TW", "AQ", "GH", "VN"])
def test_a_review_from_a_country_without_a_region_in_the_data_shows_a_region_not_the_country(
        catalogue, anonymous, code):
    from visiblework.core.countries import country_name

    post(anonymous, {**REPORT, "country": code, "currency": "USD", "free_text": "Far words."})
    _publish_words("Far words.")
    footer = _footer(anonymous)
    assert "Far words." in footer and "Global South" in footer
    assert country_name(code) not in footer


@pytest.mark.django_db
def test_reviews_link_to_their_flag_form_by_a_random_id_not_the_primary_key(catalogue,
                                                                           anonymous):
    for text in ("First words.", "Second words."):
        post(anonymous, {**REPORT, "free_text": text})
        _publish_words(text)
    links = re.findall(r'href="/reviews/([^/"]+)/flag/"', _footer(anonymous))
    assert len(links) == 2
    ids = {str(pk) for pk in Report.objects.values_list("pk", flat=True)}
    assert not set(links) & ids
    assert all(len(link) >= 16 for link in links)  # 96 random bits
    assert anonymous.get(f"/reviews/{Report.objects.first().pk}/flag/").status_code == 404


@pytest.mark.django_db
def test_public_ids_are_random_not_in_the_order_reports_came(catalogue, anonymous):
    for i in range(12):
        post(anonymous, {**REPORT, "free_text": f"words {i}"})
    ids = list(Report.objects.order_by("pk").values_list("public_id", flat=True))
    assert len(set(ids)) == 12 and ids != sorted(ids)


@pytest.mark.django_db
def test_flagging_is_rate_limited(catalogue, anonymous, settings):
    post(anonymous, {**REPORT, "free_text": "Flag me."})
    report = _publish_words("Flag me.")
    url = f"/reviews/{report.public_id}/flag/"
    answers = [anonymous.post(url, {"reason": "spam"}).status_code for _ in range(32)]
    assert answers[0] == 302 and answers[-1] == 400
    assert report.flags.count() == 30

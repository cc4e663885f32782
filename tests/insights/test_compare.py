"""/compare/: two to four platforms side by side, for the same work and region, from the
latest published release; every bad input gets a message, never a 500."""

import pytest

from visiblework.insights.models import Release

from .test_platform_figures import platform_release


def get(client, query: str):
    response = client.get(f"/compare/{query}")
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_it_puts_two_platforms_side_by_side_for_the_chosen_work_and_region(catalogue,
                                                                          anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama&actor=appen&work=text_annotation"
                                  "&region=global-south")
    assert status == 200
    table = page[page.index('<table class="vw-compare"'):page.index("</table>")]
    assert "Sama" in table and "Appen" in table
    assert "US$1.45" in table and "US$2.35" in table  # the work × region cells
    assert "US$1.87" not in table  # not the platforms' overall cells
    assert "dims=platform%2Cregion%2Ctask_type" in table


@pytest.mark.django_db
def test_it_compares_over_every_kind_of_work_with_the_platform_by_region_cells(catalogue,
                                                                              anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama&actor=appen&work=all&region=global-north")
    table = page[page.index('<table class="vw-compare"'):page.index("</table>")]
    assert status == 200 and "US$9.35" in table and "Sama" not in table
    assert "No figures for Sama here: too few workers have reported" in page


@pytest.mark.django_db
def test_it_defaults_to_the_most_common_work_and_region_of_the_chosen_platforms(catalogue,
                                                                               anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama&actor=appen")
    assert status == 200
    assert '<option value="text_annotation" selected>' in page
    assert '<option value="global-south" selected>' in page
    assert "US$1.45" in page


@pytest.mark.django_db
def test_without_platforms_it_shows_the_form_and_asks_for_two_to_four(catalogue, anonymous):
    platform_release()
    status, page = get(anonymous, "")
    assert status == 200
    assert "Pick two to four platforms" in page
    assert page.count('name="actor"') == 4 and 'method="get"' in page
    assert '<option value="sama">Sama</option>' in page


@pytest.mark.django_db
def test_with_one_platform_it_asks_for_another_and_keeps_the_first_chosen(catalogue,
                                                                         anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama")
    assert status == 200
    assert "Pick at least one more platform to compare with Sama" in page
    assert '<option value="sama" selected>' in page
    assert "vw-compare\"" not in page


@pytest.mark.django_db
def test_it_refuses_more_than_four_platforms_with_a_message(catalogue, anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama&actor=appen&actor=remotasks&actor=openai"
                                  "&actor=amazon")
    assert status == 400
    assert "Compare at most 4 platforms at a time; you asked for 5." in page


@pytest.mark.django_db
def test_it_names_an_unknown_platform_in_its_message(catalogue, anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama&actor=no-such-platform")
    assert status == 400
    assert "We know no actor called “no-such-platform”" in page


@pytest.mark.django_db
def test_it_refuses_an_unknown_kind_of_work_or_region(catalogue, anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama&actor=appen&work=mining&region=mars")
    assert status == 400
    assert "Pick a kind of work from the list." in page
    assert "Pick a region from the list." in page


@pytest.mark.django_db
def test_it_says_so_when_no_release_is_published(catalogue, anonymous):
    status, page = get(anonymous, "?actor=sama&actor=openai")
    assert status == 200
    assert "No statistics are published yet" in page
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_it_says_so_when_no_chosen_platform_has_figures_for_the_work_and_region(catalogue,
                                                                               anonymous):
    platform_release()
    status, page = get(anonymous, "?actor=sama&actor=appen&work=content_moderation"
                                  "&region=global-south")
    assert status == 200
    assert "None of these platforms has published figures" in page


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    "?actor=%00&actor=sama", "?actor=" + "x" * 5000, "?actor=<script>&actor=%E2%80%AE",
    "?actor=sama&actor=appen&work=%00&region=", "?actor=" + "&actor=".join(["sama"] * 300),
    "?actor=sama&actor=Sama&actor=SAMA", "?work=text_annotation", "?region=global-north&actor=",
])
def test_it_never_answers_a_strange_query_with_a_server_error(catalogue, anonymous, query):
    platform_release()
    status, page = get(anonymous, query)
    assert status in (200, 400)
    assert "<script>&" not in page and "Compare platforms" in page


@pytest.mark.django_db
def test_each_column_links_to_its_cell_in_the_release_api(catalogue, anonymous):
    import re

    platform_release()
    _status, page = get(anonymous, "?actor=sama&actor=appen&work=text_annotation"
                                   "&region=global-south")
    links = re.findall(r'href="(/api/v1/releases/p1/cells\?[^"]+)"', page)
    assert len(links) == 2
    items = anonymous.get(links[0].replace("&amp;", "&")).json()["items"]
    assert [i["median_effective_hourly_usd"] for i in items] == [1.45]


@pytest.mark.django_db
def test_no_combination_of_actors_work_and_region_gets_a_server_error(catalogue, anonymous):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    platform_release()
    words = st.one_of(st.sampled_from(["sama", "appen", "remotasks", "openai", "all", "",
                                       "text_annotation", "global-north"]), st.text(max_size=30))

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(words, max_size=7), words, words)
    def check(actors, work, region):
        response = anonymous.get("/compare/", {"actor": actors, "work": work, "region": region})
        assert response.status_code in (200, 400)

    check()


@pytest.mark.django_db
def test_where_no_platform_has_a_median_wage_it_offers_every_kind_of_work(catalogue,
                                                                         anonymous):
    from visiblework.insights.models import ReleaseCell

    platform_release()
    ReleaseCell.objects.filter(dims_key="platform,region,task_type", suppressed=False).update(
        stats={"unpaid_share": 0.3})
    _status, page = get(anonymous, "?actor=sama&actor=appen&work=text_annotation"
                                   "&region=global-south")
    assert "Too few workers gave their pay for a median wage" in page
    assert '?actor=sama&amp;actor=appen&amp;work=all&amp;region=global-south"' in page

"""The public actor index (/actors/): search, facets with counts, published case counts, order,
pages, and a bounded number of statements."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_case
from visiblework.cases.actor_index import PAGE_SIZE, ActorQuery, actor_index
from visiblework.cases.models import Actor, ActorAlias, CaseStatus


def run(query: str = ""):
    return actor_index(ActorQuery.from_querydict(QueryDict(query)))


def names(result) -> list[str]:
    return [row.name for row in result.rows]


def counts(result, key: str) -> dict[str, int]:
    facet = next(f for f in result.facets if f.key == key)
    return {v.value: v.count for v in facet.values}


@pytest.mark.django_db
def test_the_index_lists_every_actor_by_name(catalogue):
    assert names(run()) == ["Amazon", "Michigan Unemployment Insurance Agency", "OpenAI", "Sama"]


@pytest.mark.django_db
def test_an_actor_counts_only_its_published_cases(catalogue):
    # OpenAI is named in the published Kenya case, a draft and a retracted case.
    openai = next(row for row in run().rows if row.slug == "openai")
    assert openai.cases == 1


@pytest.mark.django_db
def test_anonymous_visitors_see_the_published_count_on_the_page(anonymous, catalogue):
    page = anonymous.get("/actors/?q=openai").content.decode()
    assert "1 case<" in page and "3 cases" not in page


@pytest.mark.django_db
def test_the_kind_facet_counts_actors_of_each_kind(catalogue):
    assert counts(run(), "kind") == {"company": 2, "vendor": 1, "government": 1}


@pytest.mark.django_db
def test_the_country_facet_counts_actors_of_each_country(catalogue):
    Actor.objects.create(slug="samasource-kenya", name="Samasource Kenya", country="KE")
    assert counts(run(), "country") == {"US": 4, "KE": 1}


@pytest.mark.django_db
def test_the_role_facet_counts_roles_in_published_cases_only(catalogue):
    michigan = catalogue.actors["michigan-uia"]
    make_case("unpublished", title="A draft", year=2022, summary="Draft.",
              actors=[(michigan, "developer")], status=CaseStatus.DRAFT)
    assert counts(run(), "role") == {"deployer": 2, "developer": 1, "vendor": 1, "client": 1}


@pytest.mark.django_db
def test_facet_counts_follow_the_filters(catalogue):
    assert counts(run("kind=company"), "role") == {"client": 1, "deployer": 1, "developer": 1}


@pytest.mark.django_db
def test_two_kinds_give_the_actors_of_either(catalogue):
    assert names(run("kind=vendor&kind=government")) == [
        "Michigan Unemployment Insurance Agency", "Sama"]


@pytest.mark.django_db
def test_two_roles_give_the_actors_that_had_both(catalogue):
    assert names(run("role=deployer&role=developer")) == ["Amazon"]


@pytest.mark.django_db
def test_search_finds_an_actor_by_an_alias(catalogue):
    assert names(run("q=open+ai")) == ["OpenAI"]


@pytest.mark.django_db
def test_search_finds_an_actor_by_a_name_written_another_way(catalogue):
    assert names(run("q=OpenAI%2C+Inc.")) == ["OpenAI"]


@pytest.mark.django_db
def test_search_matches_part_of_a_name_in_any_case_and_without_accents(catalogue):
    Actor.objects.create(slug="nestle", name="Nestlé")
    assert names(run("q=NESTL")) == ["Nestlé"] and names(run("q=nestle")) == ["Nestlé"]


@pytest.mark.django_db
def test_search_takes_percent_and_underscore_literally(catalogue):
    Actor.objects.create(slug="hundred", name="100% Human")
    Actor.objects.create(slug="snake", name="snake_case Labs")
    assert names(run("q=%25")) == ["100% Human"]
    assert names(run("q=_")) == ["snake_case Labs"]


@pytest.mark.django_db
def test_sorting_by_cases_puts_the_most_named_first_and_ties_by_name(catalogue):
    assert names(run("sort=cases")) == ["Amazon", "Sama", "Michigan Unemployment Insurance Agency",
                                        "OpenAI"]


@pytest.mark.django_db
def test_a_long_list_comes_a_page_at_a_time(vocabularies):
    Actor.objects.bulk_create([Actor(slug=f"a{i:03}", name=f"Actor {i:03}")
                               for i in range(PAGE_SIZE + 5)])
    second = run("page=2")
    assert (second.page, second.pages, names(second)) == (
        2, 2, [f"Actor {i:03}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)])


@pytest.mark.django_db
def test_a_page_past_the_last_shows_the_last(catalogue):
    assert run("page=99").page == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page=abc", "page=-3", "kind=nope", "role=%00",
                                   "country=%25%25", "country=Kenya", "sort=drop+table",
                                   "facet=x", "q=" + "a" * 5000, "q=%00"])
def test_odd_parameters_get_a_page_not_an_error(anonymous, catalogue, query):
    assert anonymous.get(f"/actors/?{query}").status_code == 200


@pytest.mark.django_db
def test_a_facet_link_adds_its_value_to_the_query(anonymous, catalogue):
    page = anonymous.get("/actors/?q=a").content.decode()
    assert 'href="?q=a&amp;kind=company"' in page


@pytest.mark.django_db
def test_an_actor_added_appears_at_once(anonymous, catalogue):
    anonymous.get("/actors/")
    Actor.objects.create(slug="scale-ai", name="Scale AI")
    assert "Scale AI" in anonymous.get("/actors/").content.decode()


@pytest.mark.django_db
def test_an_alias_added_is_searchable_at_once(catalogue):
    run("q=samasource")
    ActorAlias.objects.create(actor=catalogue.actors["sama"], name="Samasource")
    assert names(run("q=samasource")) == ["Sama"]


def _statements(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/actors/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_number_of_statements_does_not_grow_with_the_actors_shown(anonymous, catalogue,
                                                                       settings):
    settings.VISIBLEWORK_PAGE_CACHE = False
    few = _statements(anonymous)
    michigan = catalogue.actors["michigan-uia"]
    actors = Actor.objects.bulk_create([Actor(slug=f"a{i}", name=f"Actor {i}", country="KE")
                                        for i in range(PAGE_SIZE)])
    ActorAlias.objects.bulk_create([ActorAlias(actor=a, name=f"Alias {a.slug}") for a in actors])
    make_case("many", title="Many actors", year=2020, summary="Many.",
              actors=[(a, "client") for a in actors] + [(michigan, "vendor")])
    assert _statements(anonymous) == few


@pytest.mark.django_db
def test_the_site_navigation_links_to_the_actor_index(anonymous, catalogue):
    assert 'href="/actors/"' in anonymous.get("/cases/").content.decode()


@pytest.mark.django_db
def test_the_index_is_drawn_right_to_left_in_arabic(anonymous, catalogue):
    page = anonymous.get("/actors/?lang=ar").content.decode()
    assert 'dir="rtl"' in page and "OpenAI" in page


@pytest.mark.django_db
def test_leading_quotes_do_not_count_in_the_order_of_names(vocabularies):
    for slug, name in [("z", '"Zeta" start-ups'), ("a", "Amazon"), ("c", "Clickworker")]:
        Actor.objects.create(slug=slug, name=name)
    assert names(run()) == ["Amazon", "Clickworker", '"Zeta" start-ups']


@pytest.mark.django_db
def test_a_chosen_filter_is_shown_with_a_link_that_removes_it(anonymous, catalogue):
    page = anonymous.get("/actors/?q=a&kind=vendor").content.decode()
    assert '<a href="?q=a">Kind: Vendor or BPO' in page and 'href="/actors/">Clear all' in page


@pytest.mark.django_db
def test_an_index_with_no_match_shows_no_empty_filter_panel(anonymous, catalogue):
    html = anonymous.get("/actors/", {"q": "no such actor anywhere"}).content.decode()
    assert "No actor has this name." in html
    assert 'id="facets-title"' not in html and 'href="#facets-title"' not in html

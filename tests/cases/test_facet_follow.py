"""The facet index follows writes case by case instead of rebuilding (cases/facets.py)."""

import random

import pytest

from tests.conftest import make_case
from visiblework.cases import facets
from visiblework.cases.indexing import CHANGES_KEPT, bump_catalogue_version
from visiblework.cases.models import CaseActor, CaseCountry, CaseStatus, CatalogueChange, Term
from visiblework.cases.services import BrowseQuery, browse


def snapshot(index: facets.CatalogueIndex) -> dict:
    """What an index says, independent of the order its values were first seen in."""
    out = {"ids": index.ids.tolist(), "keys": index.keys.tolist(),
           "by_id": index.ids[index.id_order].tolist()}
    for key, facet in index.facets.items():
        pairs = set()
        for value_index, value in enumerate(facet.values):
            run = facet.positions[facet.offsets[value_index] : facet.offsets[value_index + 1]]
            assert list(run) == sorted(run), (key, value)  # runs stay sorted
            pairs |= {(int(index.ids[p]), value) for p in run}
        by_position = {(int(index.ids[p]), v) for p in range(index.size)
                       for v in facet.values_at(p)}
        assert pairs == by_position, key  # both layouts agree
        totals = {v: int(facet.totals[i]) for i, v in enumerate(facet.values) if facet.totals[i]}
        ranked = sorted(facet.values, key=lambda v: facet.value_rank[facet.value_ids[v]])
        out[key] = (pairs, totals, [v for v in ranked if v in totals])
    return out


def rebuilt() -> dict:
    return snapshot(facets._build(facets.current_version()))


@pytest.fixture
def followed(catalogue, monkeypatch):
    """The index of the catalogue, then no more rebuilds: every later index is followed."""
    bump_catalogue_version([])
    facets.get_index()

    def no_rebuild(version):
        raise AssertionError("rebuilt instead of following")

    monkeypatch.setattr(facets, "_build", no_rebuild)
    return catalogue


@pytest.mark.django_db
def test_an_edit_is_followed_without_a_rebuild(followed):
    case = followed.cases["kenya"]
    case.title = "A new title"
    case.save()
    assert facets.get_index().version == facets.current_version()


@pytest.mark.django_db
def test_a_followed_index_says_what_a_rebuilt_one_says_after_every_kind_of_write(
        followed, monkeypatch):
    cases = followed.cases
    amazon = followed.actors["amazon"]
    writes = [
        lambda: CaseCountry.objects.create(case=cases["drivers"], code="CA"),  # new value
        lambda: CaseCountry.objects.filter(case=cases["kenya"], code="US").delete(),
        lambda: cases["kenya"].terms.add(Term.objects.get(slug="gender-justice")),
        lambda: CaseActor.objects.create(case=cases["midas"], actor=amazon, role="vendor"),
        lambda: setattr(cases["recruiting"], "year", 2024) or cases["recruiting"].save(),
        lambda: setattr(cases["madagascar"], "year", None) or cases["madagascar"].save(),
        lambda: setattr(cases["draft"], "status", CaseStatus.PUBLISHED) or cases["draft"].save(),
        lambda: setattr(cases["kenya"], "status", CaseStatus.RETRACTED) or cases["kenya"].save(),
        lambda: make_case("new", title="New", year=2019, summary="S",
                          terms={"justice_area": ["racial-justice"]}, countries=["BR"],
                          actors=[(amazon, "client")]),
        lambda: cases["midas"].delete(),
    ]
    for write in writes:
        write()
        followed_now = snapshot(facets.get_index())
        monkeypatch.undo()
        assert followed_now == rebuilt()
        monkeypatch.setattr(facets, "_build", lambda version: pytest.fail("rebuilt"))


@pytest.mark.django_db
def test_random_edits_are_followed_exactly(followed, monkeypatch):
    rng = random.Random(7)
    cases = [c for c in followed.cases.values()]
    actors = list(followed.actors.values())
    terms = list(Term.objects.filter(taxonomy__is_facet=True))
    for _ in range(25):
        case = rng.choice(cases)
        action = rng.randrange(4)
        if action == 0:
            case.year = rng.choice([None, 2001, 2023, 2030])
            case.save()
        elif action == 1:
            case.terms.set(rng.sample(terms, 3))
        elif action == 2:
            CaseCountry.objects.filter(case=case).delete()
            CaseCountry.objects.create(case=case, code=rng.choice(["KE", "US", "FR", "IN"]))
        else:
            CaseActor.objects.get_or_create(case=case, actor=rng.choice(actors),
                                            role=rng.choice(["client", "vendor"]))
        if rng.random() < 0.5:  # some changes followed one by one, some together
            followed_now = snapshot(facets.get_index())
            monkeypatch.undo()
            assert followed_now == rebuilt()
            monkeypatch.setattr(facets, "_build", lambda version: pytest.fail("rebuilt"))


@pytest.mark.django_db
def test_browse_counts_follow_an_edit(followed):
    CaseCountry.objects.create(case=followed.cases["drivers"], code="CA")
    facet = next(f for f in browse(BrowseQuery(filters={"country": ["CA"]})).facets
                 if f.key == "country")
    assert {v.value: v.count for v in facet.values}["CA"] == 1


@pytest.mark.django_db
def test_a_new_term_makes_the_index_rebuild(catalogue):
    bump_catalogue_version([])
    first = facets.get_index()
    taxonomy = Term.objects.get(slug="gender-justice").taxonomy
    Term.objects.create(taxonomy=taxonomy, slug="new-area", name="New area")
    index = facets.get_index()
    assert index is not first and "new-area" in index.facets["justice_area"].value_ids


@pytest.mark.django_db
def test_a_process_too_far_behind_rebuilds(catalogue):
    bump_catalogue_version([])
    held = facets.get_index()
    first = CatalogueChange.objects.get(version=held.version).pk
    CatalogueChange.objects.filter(pk=first).update(id=first - CHANGES_KEPT - 10)
    bump_catalogue_version([catalogue.cases["kenya"].pk])
    assert facets._changed_since(held.version, facets.current_version()) is None


@pytest.mark.django_db
def test_a_change_naming_no_cases_is_not_followed(catalogue):
    bump_catalogue_version([])
    held = facets.get_index()
    bump_catalogue_version()
    assert facets._changed_since(held.version, facets.current_version()) is None


@pytest.mark.django_db
def test_old_change_rows_are_pruned(catalogue):
    CatalogueChange.objects.all().delete()
    for _ in range(CHANGES_KEPT + 200):
        bump_catalogue_version([])
    assert CatalogueChange.objects.count() <= CHANGES_KEPT + 100

"""The facet index follows writes case by case instead of rebuilding (cases/facets.py)."""

import gc
import random

import numpy as np
import pytest

from tests.conftest import make_case
from visiblework.cases import facets, pages
from visiblework.cases.indexing import CHANGES_KEPT, bump_catalogue_version, read_database_version
from visiblework.cases.models import CaseActor, CaseCountry, CaseStatus, CatalogueChange, Term
from visiblework.cases.services import BrowseQuery, browse
from visiblework.core import pagecache, versioned


def snapshot(index: facets.CatalogueIndex) -> dict:
    """What an index says, independent of the order its values were first seen in."""
    out = {"ids": index.ids.tolist(), "keys": index.keys.tolist(),
           "found": index.ids[index.positions_of_ids(sorted(index.ids.tolist()))].tolist()}
    for key, facet in index.facets.items():
        pairs = set()
        for value_index, value in enumerate(facet.values):
            run = facet.slots[facet.offsets[value_index] : facet.offsets[value_index + 1]]
            assert list(run) == sorted(run), (key, value)  # runs stay sorted
            positions = facet.positions_of(value)
            assert len(set(positions.tolist())) == len(positions), (key, value)
            pairs |= {(int(index.ids[p]), value) for p in positions}
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
@pytest.mark.parametrize("splice_max", [facets.SPLICE_MAX, 0],
                         ids=["few-changes-spliced", "numpy-delete-and-insert"])
def test_random_edits_are_followed_exactly(followed, monkeypatch, splice_max):
    with pytest.MonkeyPatch.context() as splice:  # the fixture's patches are undone below
        splice.setattr(facets, "SPLICE_MAX", splice_max)
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
def test_a_case_that_changes_year_moves_without_rewriting_the_other_facets(followed):
    before = facets.get_index()
    case = followed.cases["recruiting"]
    case.year = 2001
    case.save()
    after = facets.get_index()
    assert after.ids.tolist() != before.ids.tolist()  # it moved in browse order
    assert after.facets["actor"].slots is before.facets["actor"].slots
    assert after.facets["year"].slots is not before.facets["year"].slots


@pytest.mark.django_db
def test_a_retracted_case_leaves_its_slot_empty(followed):
    case = followed.cases["kenya"]
    case.status = CaseStatus.RETRACTED
    case.save()
    index = facets.get_index()
    assert index.slots.empty == 1 and case.pk not in index.ids.tolist()


@pytest.mark.django_db
def test_a_retracted_case_is_counted_nowhere(followed, monkeypatch):
    case = followed.cases["kenya"]
    case.status = CaseStatus.RETRACTED
    case.save()
    followed_now = snapshot(facets.get_index())
    monkeypatch.undo()
    assert followed_now == rebuilt()  # positions, pairs and totals


@pytest.mark.django_db
def test_a_case_retracted_then_published_again_is_found_by_its_id_in_its_new_slot(
        followed, monkeypatch):
    case = followed.cases["kenya"]
    case.status = CaseStatus.RETRACTED
    case.save()
    facets.get_index()
    case.status = CaseStatus.PUBLISHED
    case.save()
    index = facets.get_index()
    assert index.slots.empty == 1  # the slot it left stays empty; it took a new one
    assert index.ids[index.positions_of_ids([case.pk])].tolist() == [case.pk]
    followed_now = snapshot(index)
    monkeypatch.undo()
    assert followed_now == rebuilt()


@pytest.mark.django_db
def test_an_index_with_too_many_empty_slots_is_rebuilt(followed, monkeypatch):
    rebuilt_at = []
    monkeypatch.undo()  # the fixture's "no rebuild" guard: this test wants one
    monkeypatch.setattr(facets, "EMPTY_SLOTS_MIN", 0)
    monkeypatch.setattr(facets, "EMPTY_SLOTS_MAX", 0.0)
    real_build = facets._build

    def counted_build(version):
        rebuilt_at.append(version)
        return real_build(version)

    monkeypatch.setattr(facets, "_build", counted_build)
    case = followed.cases["kenya"]
    case.status = CaseStatus.RETRACTED
    case.save()
    index = facets.get_index()
    assert rebuilt_at == [facets.current_version()]
    assert index.slots.empty == 0


@pytest.mark.django_db
def test_an_index_that_follows_a_change_is_not_frozen(followed):
    """Freezing again would pin whatever garbage waits for the collector (core/versioned.py)."""
    frozen = gc.get_freeze_count()
    case = followed.cases["kenya"]
    case.title = "A new title"
    case.save()
    facets.get_index()
    assert gc.get_freeze_count() <= frozen  # frozen objects may be freed, none added


@pytest.mark.django_db
def test_a_writer_given_an_older_version_keeps_the_newer_index_stored_meanwhile(followed):
    held = facets.get_index()
    case = followed.cases["kenya"]
    case.title = "A new title"
    case.save()
    newer = facets.catch_up()
    assert facets._up_to(held, held.version) is newer  # not rebuilt at the older version


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
def test_a_process_too_far_behind_rebuilds(catalogue, monkeypatch):
    monkeypatch.setattr(facets, "CHANGES_KEPT", 3)
    bump_catalogue_version([])
    held = facets.get_index()
    for _ in range(4):  # more changes since the index's version than are kept
        bump_catalogue_version([catalogue.cases["kenya"].pk])
    assert facets.changed_cases(held.version, facets.current_version()) is None


@pytest.mark.django_db
def test_a_process_whose_version_was_pruned_rebuilds(catalogue):
    bump_catalogue_version([])
    held = facets.get_index()
    CatalogueChange.objects.filter(version=held.version).delete()
    bump_catalogue_version([catalogue.cases["kenya"].pk])
    assert facets.changed_cases(held.version, facets.current_version()) is None


@pytest.mark.django_db
def test_a_change_naming_no_cases_is_not_followed(catalogue):
    bump_catalogue_version([])
    held = facets.get_index()
    bump_catalogue_version()
    assert facets.changed_cases(held.version, facets.current_version()) is None


@pytest.mark.django_db
def test_old_change_rows_are_pruned(catalogue):
    CatalogueChange.objects.all().delete()
    for _ in range(CHANGES_KEPT + 200):
        bump_catalogue_version([])
    assert CatalogueChange.objects.count() <= CHANGES_KEPT + 100


# --- Which index a request uses: small changes on the request path, large ones off it -------


@pytest.fixture
def request_scope():
    """Inside a request's scope (core/versioned.py), as a served page is."""
    with versioned.request_scope():
        yield


@pytest.fixture
def another_process(monkeypatch):
    """Writes look as if another process made them (this one wrote nothing)."""
    def forget():
        monkeypatch.setattr(versioned, "_written", {})
    return forget


@pytest.fixture
def catch_ups(monkeypatch):
    """The background catch-ups started (not run: the test runs facets.catch_up itself)."""
    started = []
    monkeypatch.setattr(facets, "_start_catch_up", lambda: started.append(1))
    return started


def many_cases_changed(catalogue):
    """A change naming more cases than a request follows: the catalogue's, and ids of cases
    that do not exist (the index reads what they are now: nothing)."""
    ids = [case.pk for case in catalogue.cases.values()]
    bump_catalogue_version([*ids, *range(10**6, 10**6 + facets.FOLLOW_INLINE_CASES)])


@pytest.mark.django_db
def test_an_edit_made_elsewhere_is_followed_on_the_next_request(
        catalogue, another_process, catch_ups):
    held = facets.get_index()
    case = catalogue.cases["drivers"]
    case.year = 2030
    case.save()
    another_process()
    with versioned.request_scope():
        index = facets.get_index()
        assert facets.current_version() == index.version != held.version
    assert index.ids[0] == case.pk and not catch_ups


@pytest.mark.django_db
def test_a_request_far_behind_uses_the_index_it_has_and_starts_a_catch_up(
        catalogue, another_process, catch_ups, request_scope):
    held = facets.get_index()
    many_cases_changed(catalogue)
    another_process()
    versioned._versions.set({})  # a new request
    assert facets.get_index() is held
    assert facets.current_version() == held.version  # pages are kept under what they show
    assert catch_ups == [1]


@pytest.mark.django_db
def test_the_catch_up_brings_the_index_to_the_database_version(
        catalogue, another_process, catch_ups, request_scope):
    facets.get_index()
    CaseCountry.objects.create(case=catalogue.cases["midas"], code="CA")
    many_cases_changed(catalogue)
    another_process()
    caught_up = facets.catch_up()
    versioned._versions.set({})
    assert facets.get_index() is caught_up
    assert caught_up.version == read_database_version()
    assert snapshot(caught_up) == snapshot(facets._build(caught_up.version))


@pytest.mark.django_db
def test_a_change_that_names_no_cases_is_rebuilt_off_the_request_path(
        catalogue, another_process, catch_ups, request_scope):
    held = facets.get_index()
    bump_catalogue_version()
    another_process()
    versioned._versions.set({})
    assert facets.get_index() is held and catch_ups == [1]


@pytest.mark.django_db
def test_a_change_the_index_cannot_follow_is_rebuilt_off_the_request_path(
        catalogue, another_process, catch_ups, request_scope, monkeypatch):
    monkeypatch.setattr(facets, "EMPTY_SLOTS_MIN", 0)
    monkeypatch.setattr(facets, "EMPTY_SLOTS_MAX", 0.0)
    held = facets.get_index()
    case = catalogue.cases["kenya"]
    case.status = CaseStatus.RETRACTED
    case.save()
    another_process()
    versioned._versions.set({})
    assert facets.get_index() is held and catch_ups == [1]


def test_a_catch_up_starts_no_sooner_than_a_set_time_after_the_last_one(monkeypatch):
    now = [100.0]
    slept = []
    monkeypatch.setattr(facets.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(facets.time, "sleep", slept.append)
    monkeypatch.setattr(facets, "catch_up", lambda: None)
    monkeypatch.setattr(facets, "_last_catch_up", now[0] - 0.25)
    facets._catching_up.acquire()  # as _start_catch_up does
    facets._catch_up_in_background()
    assert slept == [facets.CATCH_UP_EVERY - 0.25] and not facets._catching_up.locked()


def test_a_catch_up_long_after_the_last_one_starts_at_once(monkeypatch):
    slept = []
    monkeypatch.setattr(facets.time, "sleep", slept.append)
    monkeypatch.setattr(facets, "catch_up", lambda: None)
    monkeypatch.setattr(facets, "_last_catch_up", -facets.CATCH_UP_EVERY)
    facets._catching_up.acquire()
    facets._catch_up_in_background()
    assert slept == []


@pytest.mark.django_db
def test_a_write_made_in_this_process_is_seen_at_once_however_large(
        catalogue, catch_ups, request_scope):
    held = facets.get_index()
    many_cases_changed(catalogue)
    versioned._versions.set({})
    index = facets.get_index()
    assert index is not held and index.version == read_database_version()
    assert not catch_ups


@pytest.mark.django_db
def test_a_catch_up_does_not_replace_an_index_stored_meanwhile(
        catalogue, another_process, monkeypatch):
    facets.get_index()
    many_cases_changed(catalogue)
    another_process()
    real_follow = facets._follow
    stored_meanwhile = []

    def follow_while_a_writer_follows(index, version, changed=None):
        followed = real_follow(index, version, changed)
        if not stored_meanwhile:  # a write in this process, followed inline meanwhile
            stored_meanwhile.append(1)
            bump_catalogue_version([catalogue.cases["kenya"].pk])
            facets.get_index()
        return followed

    monkeypatch.setattr(facets, "_follow", follow_while_a_writer_follows)
    caught_up = facets.catch_up()
    assert caught_up is facets.get_index()
    assert caught_up.version == read_database_version()


@pytest.mark.django_db
def test_a_case_published_while_the_index_is_built_is_left_to_the_next_follow(
        catalogue, monkeypatch):
    version = facets.current_version()
    taxonomies = facets.Taxonomy.objects
    real_filter = taxonomies.filter

    def publish_meanwhile(*args, **kwargs):  # after the cases are read, before their parts
        monkeypatch.setattr(taxonomies, "filter", real_filter)
        make_case("meanwhile", title="Meanwhile", year=2020, summary="S",
                  terms={"justice_area": ["economic-justice"]}, countries=["BR"])
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(taxonomies, "filter", publish_meanwhile)
    built = facets._build(version)
    assert snapshot(facets._follow(built, facets.current_version())) == rebuilt()


@pytest.mark.django_db
def test_the_page_cache_front_does_not_catch_up_on_the_request_path(
        catalogue, another_process, catch_ups):
    held = facets.get_index()
    many_cases_changed(catalogue)
    another_process()
    assert pagecache._current(pages.CATALOGUE_VERSION) == (pages.CATALOGUE_VERSION,
                                                          held.version)
    assert catch_ups == [1]


SPLICES = [  # (array, removed, at, values): the cases np.insert(np.delete(...)) answers
    ([5, 6, 7, 8], [1], [1], [9]),  # one entry moved in place
    ([5, 6, 7, 8], [0, 3], [2, 0], [1, 2]),  # places not in order
    ([5, 6, 7, 8], [], [4, 4, 0], [1, 2, 3]),  # at the end, twice
    ([5, 6, 7, 8], [3, 0, 3], [], []),  # removed twice, not in order
    ([], [], [0, 0], [1, 2]),
]


@pytest.mark.parametrize(("array", "removed", "at", "values"), SPLICES)
def test_a_few_changes_are_spliced_as_numpy_deletes_then_inserts(array, removed, at, values):
    array32 = np.asarray(array, dtype=np.int32)
    removed, at = np.asarray(removed, dtype=np.int64), np.asarray(at, dtype=np.int64)
    spliced = facets._spliced(array32, removed, at, np.asarray(values))
    assert spliced.dtype == np.int32
    assert spliced.tolist() == np.insert(np.delete(array32, removed), at, values).tolist()


def test_random_splices_of_every_size_match_numpy():
    rng = np.random.default_rng(3)
    for _ in range(500):
        array = rng.integers(0, 1000, int(rng.integers(0, 300)))
        removed = rng.choice(len(array), size=int(rng.integers(0, min(len(array), 80) + 1)),
                             replace=False)
        at = rng.integers(0, len(array) - len(removed) + 1, int(rng.integers(0, 80)))
        values = rng.integers(0, 1000, len(at))
        assert facets._spliced(array, removed, at, values).tolist() == \
            np.insert(np.delete(array, removed), at, values).tolist()


def test_pairs_are_placed_alike_one_by_one_and_all_at_once():
    rng = np.random.default_rng(4)
    where = facets.Slots.of(np.arange(500, dtype=np.int64))
    pairs = set(zip(rng.integers(0, 500, 2000).tolist(), rng.integers(0, 30, 2000).tolist(),
                    strict=True))
    facet = facets.Facet.build("actor", [str(i) for i in range(30)], sorted(pairs), where)
    values = rng.integers(0, 32, 200)  # 30 and 31: values the facet has not seen
    slots = rng.integers(0, 500, 200)
    at_once = facet._pair_places(values, slots)  # more than SPLICE_MAX: one key over all
    one_by_one = np.concatenate([facet._pair_places(values[i : i + 10], slots[i : i + 10])
                                 for i in range(0, 200, 10)])
    assert at_once.tolist() == one_by_one.tolist()

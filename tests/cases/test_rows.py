"""Cases as list rows: the written-out statements of cases/rows.py keep a second shape of a
case (CaseRow), so these tests fail when it drifts from the models: a field renamed, removed
or added on one side only, or a column read into the wrong place."""

from dataclasses import fields

import pytest
from django.core.exceptions import FieldDoesNotExist

from tests.conftest import cases_read_by
from visiblework.cases import rows as rows_module
from visiblework.cases.editing import save_case, snapshot
from visiblework.cases.models import (
    Actor,
    Case,
    CaseActor,
    CaseCountry,
    CaseExternalId,
    Source,
    Taxonomy,
    Term,
)
from visiblework.cases.rows import ActorRef, CaseRow, SourceRef, TermRef, case_rows, kept_rows

# The forward fields of a case and of a source that the list rows do not carry, on purpose.
# A field added to Case or Source must be put here or in CaseRow / SourceRef (and its statement).
CASE_FIELDS_LEFT_OUT = {
    "status": "read, never carried: only published cases become rows",
    "merged_into": "only retracted cases have it; rows are published cases",
    "import_digest": "bookkeeping of imports (what a row was when last imported); never shown",
    "created_at": "not shown; updated_at is",
    "published_at": "not shown; updated_at is",
}
SOURCE_FIELDS_LEFT_OUT = {
    "id": "not shown",
    "case": "the row the source is added to",
    "order": "the order of a case's sources in its row",
}
# Where each field of the smaller rows is read from (their other fields are not needed here).
REF_FIELDS = {
    TermRef: {"taxonomy": (Taxonomy, "key"), "slug": (Term, "slug"), "name": (Term, "name")},
    ActorRef: {"slug": (Actor, "slug"), "name": (Actor, "name"), "role": (CaseActor, "role")},
}


def forward_fields(model) -> set[str]:
    return {f.name for f in (*model._meta.fields, *model._meta.many_to_many)}


def test_every_field_of_a_list_row_is_a_field_of_a_case():
    for field in fields(CaseRow):
        try:
            Case._meta.get_field(field.name)
        except FieldDoesNotExist:
            pytest.fail(f"CaseRow.{field.name} is not a field of Case (renamed or removed?)")


def test_every_field_of_a_case_is_carried_by_the_list_rows_or_left_out_on_purpose():
    carried = {f.name for f in fields(CaseRow)}
    unknown = forward_fields(Case) - carried - set(CASE_FIELDS_LEFT_OUT)
    assert not unknown, (f"Case.{', '.join(sorted(unknown))}: add it to CaseRow and the statement "
                         "of cases/rows.py, or to CASE_FIELDS_LEFT_OUT here, saying why")
    assert not set(CASE_FIELDS_LEFT_OUT) - forward_fields(Case), "a left-out field is gone"
    assert not carried & set(CASE_FIELDS_LEFT_OUT), "a field is both carried and left out"


def test_every_field_of_a_source_is_carried_by_the_list_rows_or_left_out_on_purpose():
    carried = {f.name for f in fields(SourceRef)}
    assert carried <= forward_fields(Source), "SourceRef names a field Source does not have"
    unknown = forward_fields(Source) - carried - set(SOURCE_FIELDS_LEFT_OUT)
    assert not unknown, (f"Source.{', '.join(sorted(unknown))}: add it to SourceRef and the "
                         "statement of cases/rows.py, or to SOURCE_FIELDS_LEFT_OUT here")
    assert not set(SOURCE_FIELDS_LEFT_OUT) - forward_fields(Source), "a left-out field is gone"
    assert not carried & set(SOURCE_FIELDS_LEFT_OUT), "a field is both carried and left out"


def test_the_terms_actors_and_countries_of_a_row_are_fields_of_their_models():
    for ref, sources in REF_FIELDS.items():
        assert set(sources) == {f.name for f in fields(ref)}, ref.__name__
        for model, name in sources.values():
            model._meta.get_field(name)  # raises FieldDoesNotExist when renamed or removed
    CaseCountry._meta.get_field("code")


def orm_row(case: Case, *, full: bool) -> CaseRow:
    """The row of `case` read through the ORM, field by field by name (never by position)."""
    parts = {"terms", "actors", "countries", "sources", "merged_ids"}
    row = CaseRow(**{f.name: getattr(case, f.name) for f in fields(CaseRow)
                     if f.name not in parts and (full or f.name != "body")})
    row.terms = [TermRef(taxonomy=t.taxonomy.key, slug=t.slug, name=t.name)
                 for t in case.terms.select_related("taxonomy")
                 .order_by("taxonomy__order", "order", "name", "id")]
    row.actors = [ActorRef(slug=ca.actor.slug, name=ca.actor.name, role=ca.role)
                  for ca in case.case_actors.select_related("actor").order_by("id")]
    row.countries = [c.code for c in case.countries.order_by("id")]
    if full:
        row.sources = [SourceRef(**{f.name: getattr(s, f.name) for f in fields(SourceRef)})
                       for s in case.sources.order_by("order", "id")]
        row.merged_ids = [e.external_id for e in case.merged_ids.order_by("id")]
    return row


@pytest.mark.django_db
@pytest.mark.parametrize("full", [False, True])
def test_list_rows_carry_the_same_values_as_the_published_cases_read_through_the_orm(catalogue,
                                                                                   full):
    kenya = catalogue.cases["kenya"]
    Case.objects.filter(pk=kenya.pk).update(date="2023-01", year=2023, year_end=2025,
                                            external_id="tracker:T-1")
    CaseExternalId.objects.create(case=kenya, external_id="aiid:1")
    Source.objects.create(case=kenya, order=2, url="https://example.org/a", title="A title",
                          publisher="A publisher", authors="An author", date="2023-02",
                          archived_url="https://archive.example.org/a")
    ids = list(Case.objects.order_by("-id").values_list("id", flat=True))  # not the pk order
    expected = [orm_row(Case.objects.get(pk=i), full=full) for i in ids
                if Case.published.filter(pk=i).exists()]
    assert len(expected) == 5 and any(len(row.sources) == 2 for row in expected) == full
    assert case_rows(ids, full=full) == expected


@pytest.mark.django_db
def test_list_rows_keep_the_order_asked_for_and_drop_unpublished_cases(catalogue):
    ids = [catalogue.cases[s].pk for s in ("midas", "draft", "kenya", "retracted")]
    rows = case_rows([*ids, 10_000_000], full=True)
    assert [r.slug for r in rows] == ["midas", "kenya"]
    kenya = rows[1]
    assert [a.slug for a in kenya.actors] == ["openai", "sama"]
    assert set(kenya.countries) == {"KE", "US"}
    assert kenya.sources and kenya.sources[0].url.startswith("https://time.com/")
    assert kenya.get_absolute_url() == catalogue.cases["kenya"].get_absolute_url()


@pytest.mark.django_db
def test_rows_kept_for_lists_equal_rows_read_afresh(catalogue):
    ids = [c.pk for c in catalogue.cases.values()]
    kept_rows(ids)  # read and kept
    assert kept_rows(ids[::-1]) == case_rows(ids[::-1])


@pytest.mark.django_db
def test_a_row_kept_for_lists_follows_an_edit_of_its_case(catalogue):
    case = catalogue.cases["kenya"]
    assert kept_rows([case.pk])[0].title == case.title
    save_case({**snapshot(case), "title": "Corrected by an editor"}, case=case, summary="edit")
    assert kept_rows([case.pk])[0].title == "Corrected by an editor"


@pytest.mark.django_db
def test_rows_of_cases_a_write_did_not_touch_are_carried_to_the_new_version(catalogue,
                                                                           monkeypatch):
    kenya, other = catalogue.cases["kenya"], catalogue.cases["recruiting"]
    rows_module.kept_rows([kenya.pk, other.pk])
    kenya.title = "Edited"
    kenya.save()
    read = cases_read_by(monkeypatch, rows_module)
    rows = rows_module.kept_rows([kenya.pk, other.pk])
    assert [row.title for row in rows] == ["Edited", other.title]
    assert read == [kenya.pk]


@pytest.mark.django_db
def test_a_renamed_term_drops_every_kept_row(catalogue):
    case = catalogue.cases["kenya"]
    term = case.terms.first()
    kept_rows([case.pk])
    term.name = "Renamed term"
    term.save()
    assert "Renamed term" in [ref.name for ref in kept_rows([case.pk])[0].terms]


@pytest.mark.django_db
def test_a_renamed_actor_is_read_again_in_the_rows_of_its_cases(catalogue):
    case = catalogue.cases["kenya"]
    actor = case.actors.first()
    kept_rows([case.pk])
    actor.name = "Renamed actor"
    actor.save()
    assert "Renamed actor" in [ref.name for ref in kept_rows([case.pk])[0].actors]

"""Search documents kept in step with writes, at once or at the end of a deferred block."""

from __future__ import annotations

import nh3
import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from visiblework.cases.indexing import DOCUMENT_FIELDS, deferred_indexing, plain_text
from visiblework.cases.models import (
    Actor,
    ActorAlias,
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    SearchDocument,
    Source,
    Taxonomy,
    Term,
)
from visiblework.core.text import markdown_to_html

from .plans import statements


def published_case(title: str = "A case") -> Case:
    return Case.objects.create(title=title, summary="What happened.", status=CaseStatus.PUBLISHED)


@pytest.mark.django_db
def test_a_new_source_reindexes_its_case_at_once_outside_a_deferred_block():
    case = published_case()
    Source.objects.create(case=case, title="Report", publisher="The Outlet")
    assert "The Outlet" in SearchDocument.objects.get(case=case).sources


@pytest.mark.django_db
def test_in_a_deferred_block_parts_of_a_case_are_reindexed_once_at_its_end():
    case = published_case()
    with statements() as run, deferred_indexing():
        Source.objects.create(case=case, title="Report", publisher="The Outlet")
        CaseCountry.objects.create(case=case, code="KE")
        assert "The Outlet" not in SearchDocument.objects.get(case=case).sources
    assert "The Outlet" in SearchDocument.objects.get(case=case).sources
    # nothing asked, part by part, whether the case still exists
    assert not [sql for sql, _params in run.run
                if 'AS "a" FROM "cases_case"' in sql]


@pytest.mark.django_db
def test_a_case_deleted_in_a_deferred_block_leaves_no_search_document():
    case, kept = published_case(), published_case("Kept")
    with transaction.atomic(), deferred_indexing():
        Source.objects.create(case=case, title="Report")
        Source.objects.create(case=kept, title="Kept report")
        case.delete()
    assert not SearchDocument.objects.filter(case_id=case.pk).exists()
    assert "Kept report" in SearchDocument.objects.get(case=kept).sources


@pytest.mark.django_db
def test_a_case_document_holds_its_terms_and_countries_in_every_language_and_iso_codes(
        vocabularies):
    case = published_case()
    case.terms.add(Term.objects.get(slug="content-moderation"))
    CaseCountry.objects.create(case=case, code="KE")
    labels = SearchDocument.objects.get(case=case).labels
    for label in ["Content moderation", "Modération de contenus", "Usimamizi wa maudhui",
                  "Kenya", "Kenia", "كينيا", "KE", "KEN"]:
        assert label in labels
    assert "moder" in SearchDocument.objects.get(case=case).labels_stems.split()


@pytest.mark.django_db
def test_renaming_a_term_reindexes_the_cases_filed_under_it(vocabularies):
    case = published_case()
    term = Term.objects.get(slug="annotation")
    case.terms.add(term)
    term.name = "Data labelling and tagging"
    term.save()
    assert "Data labelling and tagging" in SearchDocument.objects.get(case=case).labels


@pytest.mark.django_db
def test_deleting_a_term_takes_its_name_out_of_its_cases_documents(vocabularies):
    case = published_case()
    term = Term.objects.create(taxonomy=Taxonomy.objects.get(key="impact"), slug="x",
                               name="Ghost work")
    case.terms.add(term)
    assert "Ghost work" in SearchDocument.objects.get(case=case).labels
    term.delete()
    assert "Ghost work" not in SearchDocument.objects.get(case=case).labels


@pytest.mark.django_db
def test_a_new_alias_of_an_actor_reindexes_its_cases():
    case = published_case()
    actor = Actor.objects.create(name="Meta Platforms")
    CaseActor.objects.create(case=case, actor=actor, role="deployer")
    ActorAlias.objects.create(actor=actor, name="Facebook")
    assert "facebook" in SearchDocument.objects.get(case=case).actors_stems.split()


# Letters of three scripts, spaces and line breaks, and every character that marks Markdown up
# or that HTML escapes, so that both plain prose and near misses are drawn.
PIECES = [*"ab zü ك\n.,;?-+1)#*_`[]<>&!|~\"'=(:\\\t\r\u00a0", "\n\n", "    ", "  ", "12. "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_plain_text_of_prose_is_what_rendering_and_stripping_would_give(text):
    assert plain_text(text) == nh3.clean(str(markdown_to_html(text)), tags=set()).strip()


def test_a_search_document_is_written_with_every_field_of_its_table():
    fields = {f.name for f in SearchDocument._meta.concrete_fields} - {"case"}
    assert set(DOCUMENT_FIELDS) == fields

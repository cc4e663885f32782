"""Keep the search documents and the facet index in step with every write.

A case's search document holds its title, summary, body, actor names with their aliases,
sources, and its labels: the names of its terms and countries in every language of the site,
and its countries' ISO codes (alpha-2 and alpha-3), so that `Kenya`, `كينيا` or `KEN` finds the
cases filed under Kenya. Each part is kept as written and as the engines index it
(core.search.index_text).

Signals reindex the touched cases synchronously, inside the writer's transaction, so a
rolled-back write leaves no trace: a change to a case or its parts, to an actor or an
alias, or to a term's name. Bulk writers (imports, the seed loader) wrap their work in
`deferred_indexing()` to reindex once at the end.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import nh3
import pycountry
from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import translation

from visiblework.core.bulk import insert_rows
from visiblework.core.countries import country_name
from visiblework.core.search import index_text
from visiblework.core.text import markdown_to_html
from visiblework.core.versioned import read_version, wrote_version

from .models import (
    Actor,
    ActorAlias,
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    CatalogueChange,
    CatalogueVersion,
    SearchDocument,
    Source,
    Term,
)

CATALOGUE_KEY = "cases"
# Names among the versions a request reads (core/versioned.py): the version of the catalogue
# a process shows (its facet index, which may lag behind: cases.facets), and the database's.
CATALOGUE_VERSION = "catalogue"
CATALOGUE_DATABASE = "catalogue-database"
_state = threading.local()


# The changes kept for processes that follow them (cases/facets.py); older ones are pruned, and
# a process further behind rebuilds. A change touching more cases is recorded as "all".
CHANGES_KEPT = 2000
CHANGE_CASES_MAX = 5000


def bump_catalogue_version(case_ids: Iterable[int] | None = None) -> None:
    """Tell every process its facet index is stale, and which cases changed (None: more than
    cases, e.g. a term or a taxonomy: the index is rebuilt). The version is a random value
    (not a counter) so that a rolled-back transaction can never make an old index look
    current again; the change row is written in the same transaction, after the version row
    is locked, so change rows are numbered in the order the versions moved."""
    ids = None if case_ids is None else sorted(set(case_ids))
    if getattr(_state, "deferred", None) is not None:
        if ids is None:
            _state.deferred_bump = True
        else:
            _state.deferred.update(ids)
        return
    if ids is not None and len(ids) > CHANGE_CASES_MAX:
        ids = None
    version = secrets.randbits(62)
    with transaction.atomic():
        updated = CatalogueVersion.objects.filter(key=CATALOGUE_KEY).update(version=version)
        if not updated:
            CatalogueVersion.objects.create(key=CATALOGUE_KEY, version=version)
        change = CatalogueChange.objects.create(version=version, case_ids=ids)
        if change.pk % 100 == 0:
            CatalogueChange.objects.filter(pk__lte=change.pk - CHANGES_KEPT).delete()
    wrote_version(CATALOGUE_VERSION, version)
    wrote_version(CATALOGUE_DATABASE, version)


def read_database_version() -> int:
    """The catalogue's version in the database, read now: one written-out statement (through
    the ORM it cost a third of a millisecond a call)."""
    table = CatalogueVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE key = %s", [CATALOGUE_KEY])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def database_version() -> int:
    """The catalogue's version in the database, read once per request: for what must not lag
    behind a write made by another process (facets.current_version() may)."""
    return int(read_version(CATALOGUE_DATABASE, read_database_version))


# Text the Markdown renderer would give back as it is, paragraph by paragraph: no character
# that marks anything up or that HTML escapes, no line that starts a list, heading, quote,
# rule or code block, no hard line break. Most imported texts are such plain prose.
_MARKUP = re.compile(r"""[\\`*_\[\]<>&#!|~"'=():\u00a0\r\t]|^ {4}|^ *(?:\d+[.)]|[-+])|  $""",
                     re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Markdown as plain text, for the search documents: rendered, then stripped of tags."""
    if not _MARKUP.search(markdown):  # plain prose: its lines, without blank ones
        return "\n".join(line.strip(" ") for line in markdown.split("\n") if line.strip(" "))
    return nh3.clean(str(markdown_to_html(markdown)), tags=set()).strip()


@lru_cache(maxsize=4096)
def term_labels(name: str) -> tuple[str, ...]:
    """A term's name in every language of the site (built-in names are translated through
    the gettext catalogues, as pages show them; other names stay as they are)."""
    names = [name]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.append(translation.gettext(name))
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=1024)
def country_labels(code: str) -> tuple[str, ...]:
    """A country's ISO codes (alpha-2 and alpha-3) and its name in every language of the
    site."""
    country = pycountry.countries.get(alpha_2=code.upper())
    names = [code.upper(), country.alpha_3 if country else ""]
    names += [country_name(code, language) for language, _name in settings.LANGUAGES]
    return tuple(dict.fromkeys(n for n in names if n))


def search_document(*, title: str, summary: str, body: str, actor_names: Iterable[str],
                    sources: Iterable[str], term_names: Iterable[str],
                    country_codes: Iterable[str]) -> dict[str, str]:
    """The fields of a SearchDocument (without its case): each part as written, and as the
    engines index it. `body` is plain text. Shared by reindexing and bulk writers (the
    benchmark's generator), so that both write the same documents."""
    labels = [label for name in term_names for label in term_labels(name)]
    labels += [label for code in country_codes for label in country_labels(code)]
    parts = {
        "title": title,
        "summary": summary,
        "body": body,
        "actors": " · ".join(dict.fromkeys(actor_names)),
        "sources": " · ".join(sources),
        "labels": " · ".join(dict.fromkeys(labels)),
    }
    return {**parts, **{f"{key}_stems": index_text(text) for key, text in parts.items()}}


REINDEX_BATCH = 500
DOCUMENT_PARTS = ("title", "summary", "body", "actors", "sources", "labels")
DOCUMENT_FIELDS = (*DOCUMENT_PARTS, *(f"{part}_stems" for part in DOCUMENT_PARTS))


def reindex_cases(case_ids: Iterable[int]) -> None:
    """Rewrite the search documents of these cases (removing unpublished ones)."""
    ids = set(case_ids)
    if not ids:
        return
    if getattr(_state, "deferred", None) is not None:
        _state.deferred.update(ids)
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), REINDEX_BATCH):
        _reindex_batch(set(ordered[start : start + REINDEX_BATCH]))
    bump_catalogue_version(ordered)


def _reindex_batch(ids: set[int]) -> None:
    # Read as plain values, one query per part (no model object per case, actor, alias,
    # source and term: most of the time of a reindex was spent building them).
    cases = list(Case.objects.filter(pk__in=ids, status=CaseStatus.PUBLISHED).order_by("pk")
                 .values_list("pk", "title", "summary", "body"))
    published = [pk for pk, *_rest in cases]
    actors: dict[int, list[str]] = {pk: [] for pk in published}
    actor_ids: dict[int, list[int]] = {pk: [] for pk in published}
    aliases: dict[int, list[str]] = {}
    sources: dict[int, list[str]] = {pk: [] for pk in published}
    terms: dict[int, list[str]] = {pk: [] for pk in published}
    countries: dict[int, list[str]] = {pk: [] for pk in published}
    if published:
        for case_id, actor_id, name in (CaseActor.objects.filter(case_id__in=published)
                                        .order_by("id")
                                        .values_list("case_id", "actor_id", "actor__name")):
            actors[case_id].append(name)
            actor_ids[case_id].append(actor_id)
        wanted = {actor_id for ids_ in actor_ids.values() for actor_id in ids_}
        for actor_id, name in (ActorAlias.objects.filter(actor_id__in=wanted)
                               .order_by("actor_id", "name").values_list("actor_id", "name")):
            aliases.setdefault(actor_id, []).append(name)
        for case_id, *parts in (Source.objects.filter(case_id__in=published)
                                .order_by("order", "id")
                                .values_list("case_id", "title", "publisher", "authors")):
            sources[case_id].append(" ".join(filter(None, parts)))
        for case_id, name in (Case.terms.through.objects.filter(case_id__in=published)
                              .order_by("term__taxonomy__order", "term__order", "term__name")
                              .values_list("case_id", "term__name")):
            terms[case_id].append(name)
        for case_id, code in (CaseCountry.objects.filter(case_id__in=published)
                              .order_by("id").values_list("case_id", "code")):
            countries[case_id].append(code)
    documents: list[tuple[Any, ...]] = []
    for pk, title, summary, body in cases:
        names: list[str] = []
        for name, actor_id in zip(actors[pk], actor_ids[pk], strict=True):
            names.append(name)
            names.extend(aliases.get(actor_id, ()))
        document = search_document(
            title=title, summary=summary, body=plain_text(body), actor_names=names,
            sources=sources[pk], term_names=terms[pk], country_codes=countries[pk])
        documents.append((pk, *(document[name] for name in DOCUMENT_FIELDS)))
    # Rewritten, not updated: one delete and one bulk insert, whatever the number of cases
    # (an import reindexes hundreds at a time). The search tables follow (triggers, or a
    # generated column on PostgreSQL).
    SearchDocument.objects.filter(case_id__in=ids).delete()
    insert_rows(SearchDocument, ("case", *DOCUMENT_FIELDS), documents)


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Collect reindexing inside the block and do it once at its end."""
    if getattr(_state, "deferred", None) is not None:
        yield
        return
    _state.deferred = set()
    _state.deferred_bump = False
    try:
        yield
    finally:
        ids, bump = _state.deferred, _state.deferred_bump
        _state.deferred = None
    reindex_cases(ids)
    if bump:  # something the index cannot follow case by case
        bump_catalogue_version()


def reindex_all() -> int:
    ids = list(Case.objects.values_list("pk", flat=True))
    reindex_cases(ids)
    bump_catalogue_version()
    return len(ids)


# --- Signals -----------------------------------------------------------------------------------


@receiver(post_save, sender=Case)
def _case_saved(sender, instance: Case, raw=False, **kwargs):
    if not raw:
        reindex_cases([instance.pk])


def _deleting() -> set[int]:
    """Cases being deleted in this thread: their parts go first, and must not write the
    case's search document back while it goes."""
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


@receiver(pre_delete, sender=Case)
def _case_deleting(sender, instance: Case, **kwargs):
    _deleting().add(instance.pk)


@receiver(post_delete, sender=Case)
def _case_deleted(sender, instance: Case, **kwargs):
    _deleting().discard(instance.pk)
    bump_catalogue_version([instance.pk])


@receiver(m2m_changed, sender=Case.terms.through)
def _case_terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # a term's cases changed
        reindex_cases(pk_set or [])
    else:
        reindex_cases([instance.pk])


@receiver([post_save, post_delete], sender=CaseActor)
@receiver([post_save, post_delete], sender=CaseCountry)
@receiver([post_save, post_delete], sender=Source)
def _case_part_changed(sender, instance, raw=False, **kwargs):
    if raw or instance.case_id in _deleting():
        return
    if getattr(_state, "deferred", None) is not None:
        # Collected for the end of the block, where a case deleted meanwhile is simply not
        # found: no need to ask now whether it still exists (a query per actor, country and
        # source of every imported case).
        reindex_cases([instance.case_id])
    elif Case.objects.filter(pk=instance.case_id).exists():
        reindex_cases([instance.case_id])


@receiver([post_save, post_delete], sender=Actor)
@receiver([post_save, post_delete], sender=ActorAlias)
def _actor_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    actor_id = instance.pk if sender is Actor else instance.actor_id
    cases = list(CaseActor.objects.filter(actor_id=actor_id).values_list("case_id", flat=True))
    reindex_cases(cases)
    # An actor without cases still moves the version: the actor index and the remembered
    # actor names of every process depend on it.
    bump_catalogue_version(cases)


def _cases_of_term(term_id: int) -> list[int]:
    return list(Case.terms.through.objects.filter(term_id=term_id)
                .values_list("case_id", flat=True))


@receiver(pre_save, sender=Term)
def _term_saving(sender, instance: Term, raw=False, **kwargs):
    """Remember the name the term had, to reindex its cases only when it changes."""
    if not raw and instance.pk:
        instance._name_before = (Term.objects.filter(pk=instance.pk)
                                 .values_list("name", flat=True).first())


@receiver(pre_delete, sender=Term)
def _term_deleting(sender, instance: Term, **kwargs):
    instance._cases_before = _cases_of_term(instance.pk)


@receiver([post_save, post_delete], sender=Term)
def _term_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if hasattr(instance, "_cases_before"):  # deleted: its cases lose its labels
        reindex_cases(instance._cases_before)
    elif getattr(instance, "_name_before", instance.name) != instance.name:
        reindex_cases(_cases_of_term(instance.pk))
    bump_catalogue_version()

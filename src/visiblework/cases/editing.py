"""Writing cases: one shape of "case data" for contributions, reverts and imports; every
write atomic, with a revision and an audit entry.

Case data (a plain dict, JSON-serialisable, also the revision snapshot):
    {"title", "year", "year_end", "date", "summary", "body", "status",
     "terms": {taxonomy_key: [term slugs]}, "countries": [ISO2],
     "actors": [{"name", "slug" (optional), "role"}],
     "sources": [{"url", "title", "publisher", "authors", "date", "archived_url"}]}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.utils.text import slugify
from django.utils.translation import gettext as _

from visiblework.core.audit import entry as audit_entry
from visiblework.core.audit import record
from visiblework.core.bulk import (
    create_objects,
    delete_rows,
    insert_objects,
    insert_rows,
    update_objects,
)
from visiblework.core.models import AuditAction
from visiblework.core.versioned import VersionedCache

from .indexing import database_version, deferred_indexing, reindex_cases
from .models import (
    Actor,
    ActorAlias,
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    Revision,
    Role,
    Source,
    Term,
    validate_country_code,
    validate_partial_date,
)

if TYPE_CHECKING:
    from visiblework.accounts.models import User

CASE_FIELDS = ("title", "year", "year_end", "date", "summary", "body", "status")
SOURCE_FIELDS = ("url", "title", "publisher", "authors", "date", "archived_url")
_SOURCE_MODEL_FIELDS = [field for name in SOURCE_FIELDS
                        if isinstance(field := Source._meta.get_field(name), models.Field)]
_ROLES = frozenset(Role.values)
_STATUSES = frozenset(CaseStatus.values)
MAX_LIST = 50  # terms, countries, actors or sources one case may carry


def snapshot(case: Case) -> dict[str, Any]:
    """The public record of a case as case data."""
    return snapshots([case])[case.pk]


SNAPSHOT_CHUNK = 500  # cases per query: SQLite allows a few thousand parameters


def snapshots(cases: Sequence[Case]) -> dict[int, dict[str, Any]]:
    """`snapshot` of many cases at once, by case id: four queries per 500 cases, whatever
    they hold (an import compares hundreds of cases with its rows in each batch)."""
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(cases), SNAPSHOT_CHUNK):
        chunk = list(cases[start:start + SNAPSHOT_CHUNK])
        ids = [case.pk for case in chunk]
        terms: dict[int, dict[str, list[str]]] = {pk: {} for pk in ids}
        for case_id, key, slug in (
                Case.terms.through.objects.filter(case_id__in=ids)
                .order_by("term__taxonomy__order", "term__order", "term_id")
                .values_list("case_id", "term__taxonomy__key", "term__slug")):
            terms[case_id].setdefault(key, []).append(slug)
        countries: dict[int, list[str]] = {pk: [] for pk in ids}
        for case_id, code in (CaseCountry.objects.filter(case_id__in=ids).order_by("code")
                              .values_list("case_id", "code")):
            countries[case_id].append(code)
        actors: dict[int, list[dict[str, str]]] = {pk: [] for pk in ids}
        for case_id, name, slug, role in (
                CaseActor.objects.filter(case_id__in=ids).order_by("id")
                .values_list("case_id", "actor__name", "actor__slug", "role")):
            actors[case_id].append({"name": name, "slug": slug, "role": role})
        sources: dict[int, list[dict[str, str]]] = {pk: [] for pk in ids}
        for case_id, *values in (Source.objects.filter(case_id__in=ids).order_by("order", "id")
                                 .values_list("case_id", *SOURCE_FIELDS)):
            sources[case_id].append(dict(zip(SOURCE_FIELDS, values, strict=True)))
        for case in chunk:
            out[case.pk] = _record(case, terms[case.pk], countries[case.pk], actors[case.pk],
                                   sources[case.pk])
    return out


def _record(case: Case, terms: dict[str, list[str]], countries: list[str],
            actors: list[dict[str, str]], sources: list[dict[str, str]]) -> dict[str, Any]:
    """A snapshot of a case from its parts (terms in the order of their taxonomies and of
    the terms in them, actors and sources in the order they were written)."""
    return {
        "title": case.title,
        "year": case.year,
        "year_end": case.year_end,
        "date": case.date,
        "summary": case.summary,
        "body": case.body,
        "status": case.status,
        "terms": terms,
        "countries": sorted(countries),
        "actors": actors,
        "sources": sources,
    }


# --- Actors ------------------------------------------------------------------------------------


def find_actor(name_or_slug: str) -> Actor | None:
    """The actor known by this name, slug or alias (aliases include merged actors): first by
    name (any case), then by the text as a slug, then by its slug form; then the same among
    aliases. Two queries, whatever matches."""
    text = name_or_slug.strip()
    if not text:
        return None
    slug = slugify(text)
    slugs = [s for s in (text, slug) if s]
    folded = text.casefold()
    # UPPER(name) = UPPER(text) is what name__iexact means on PostgreSQL, and on SQLite it
    # matches as LIKE does (ASCII letters in any case); unlike LIKE it seeks in the
    # UPPER(name) indexes (see the models) instead of reading every actor and alias.
    same_name = Q(upper_name=Upper(Value(text)))
    actors = list(Actor.objects.alias(upper_name=Upper("name"))
                  .filter(same_name | Q(slug__in=slugs)))
    checks: tuple[Callable[[Actor], bool], ...] = (
        lambda a: a.name.casefold() == folded, lambda a: a.slug == text,
        lambda a: bool(slug) and a.slug == slug)
    for matches in checks:
        found = next((a for a in actors if matches(a)), None)
        if found:
            return found
    query = same_name | Q(slug=slug) if slug else same_name
    aliases = list(ActorAlias.objects.select_related("actor").alias(upper_name=Upper("name"))
                   .filter(query))
    alias = (next((a for a in aliases if a.name.casefold() == folded), None)
             or next((a for a in aliases if slug and a.slug == slug), None))
    return alias.actor if alias else None


KNOWN_ACTORS_MAX = 10_000
_known: VersionedCache[Actor | None] = VersionedCache("actor names", KNOWN_ACTORS_MAX)


def find_actor_remembered(name_or_slug: str) -> Actor | None:
    """`find_actor`, remembered in this process until the catalogue changes: every write to
    an actor or an alias bumps the catalogue version (cases.indexing). Report intake names
    the same few platforms again and again; this saves it two queries a report."""
    key = (name_or_slug or "").strip()
    return _known.get(database_version(), key, lambda: find_actor(key))


def resolve_actor(name: str, *, slug: str = "", kind: str = "company") -> Actor:
    """The existing actor for this name (or slug, or alias), or a new one."""
    actor = (find_actor(slug) if slug else None) or find_actor(name)
    if actor:
        return actor
    base = slugify(slug or name)[:110] or "actor"
    candidate, n = base, 2
    while Actor.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return Actor.objects.create(name=name.strip()[:200], slug=candidate, kind=kind)


# --- Validation --------------------------------------------------------------------------------


def existing_terms(asked: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Which of these (taxonomy key, term slug) pairs exist: only the terms asked for are read
    (a seek in the taxonomy-and-slug index), not every term of every taxonomy."""
    slugs = {s for values in asked.values() for s in values}
    if not slugs:
        return set()
    return set(Term.objects.filter(taxonomy__key__in=list(asked), slug__in=slugs)
               .order_by().values_list("taxonomy__key", "slug"))


def _clean_year_end(value: Any, year: int | None, bad: Callable[[str, str], None]) -> int | None:
    """The last year of a case that spans several (2019–2021): None when absent or the same
    as the year; an error when it comes before the year or there is no year."""
    if value in (None, ""):
        return None
    try:
        year_end = int(value)
        if not 1900 <= year_end <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        bad("year_end", _("Give a last year between 1900 and 2100."))
        return None
    if year is None:
        bad("year_end", _("A last year needs a year to start from."))
        return None
    if year_end < year:
        bad("year_end", _("The last year cannot come before the year."))
        return None
    return None if year_end == year else year_end


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def clean_case_data(data: dict[str, Any], *,
                    known_terms: Callable[[dict[str, list[str]]], set[tuple[str, str]]]
                    = existing_terms) -> dict[str, Any]:
    """Check case data; raise ValidationError naming each bad field. Returns a normalised copy.
    `known_terms` says which (taxonomy key, slug) pairs exist (an import remembers them)."""
    errors: dict[str, list[str]] = {}

    def bad(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    out: dict[str, Any] = {}
    damaged = ({field for field, value in data.items() if _has_nul(value)}
               if "\\u0000" in json.dumps(data, default=str) else set())
    if damaged:  # PostgreSQL refuses NUL in any text: no such value may reach a query
        raise ValidationError({field: [_("This contains a NUL character.")]
                               for field in sorted(damaged)})
    title = str(data.get("title") or "").strip()
    if not title:
        bad("title", _("A title is required."))
    elif len(title) > 300:
        bad("title", _("Keep the title under 300 characters."))
    out["title"] = title
    summary = str(data.get("summary") or "").strip()
    if not summary:
        bad("summary", _("A summary is required."))
    elif len(summary) > 5000:
        bad("summary", _("Keep the summary under 5,000 characters."))
    out["summary"] = summary
    body = str(data.get("body") or "")
    if len(body) > 100_000:
        bad("body", _("Keep the text under 100,000 characters."))
    out["body"] = body
    year: Any = data.get("year")
    if year in (None, ""):
        out["year"] = None
    else:
        try:
            out["year"] = int(year)
            if not 1900 <= out["year"] <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            bad("year", _("Give a year between 1900 and 2100."))
    out["year_end"] = _clean_year_end(data.get("year_end"), out.get("year"), bad)
    date = str(data.get("date") or "").strip()
    try:
        validate_partial_date(date)
    except ValidationError as exc:
        bad("date", exc.messages[0])
    out["date"] = date
    status = data.get("status") or CaseStatus.PUBLISHED
    if status not in _STATUSES:
        bad("status", _("Unknown status."))
    out["status"] = status

    terms: dict[str, list[str]] = {}
    asked = {key: list(slugs or [])[:MAX_LIST] for key, slugs in (data.get("terms") or {}).items()}
    known = known_terms(asked)
    for key, slugs in asked.items():
        for term_slug in slugs:
            if (key, term_slug) not in known:
                bad(key, _("Unknown term: %(slug)s") % {"slug": term_slug})
            else:
                terms.setdefault(key, []).append(term_slug)
    out["terms"] = terms

    countries = []
    for code in list(data.get("countries") or [])[:MAX_LIST]:
        code = str(code).strip().upper()
        try:
            validate_country_code(code)
            countries.append(code)
        except ValidationError as exc:
            bad("countries", exc.messages[0])
    out["countries"] = sorted(set(countries))

    actors = []
    for item in list(data.get("actors") or [])[:MAX_LIST]:
        name = str(item.get("name") or "").strip()
        role = item.get("role") or ""
        if not name:
            continue
        if role not in _ROLES:
            bad("actors", _("Unknown role for %(name)s: %(role)s") % {"name": name, "role": role})
            continue
        if len(name) > 200:
            bad("actors", _("An actor's name must be under 200 characters."))
            continue
        actors.append({"name": name, "slug": str(item.get("slug") or ""), "role": role})
    out["actors"] = actors

    sources = []
    for item in list(data.get("sources") or [])[:MAX_LIST]:
        source = {f: str(item.get(f) or "").strip() for f in SOURCE_FIELDS}
        if not source["title"] and not source["url"]:
            continue
        source["title"] = source["title"] or source["url"][:500]
        # Each field checked as Source.full_clean would (lengths, addresses, dates), without
        # building a model object per source (an import checks thousands).
        refused = False
        for model_field in _SOURCE_MODEL_FIELDS:
            try:
                model_field.clean(source[model_field.name], None)
            except ValidationError as exc:
                bad("sources", f"{model_field.name}: {' '.join(exc.messages)}")
                refused = True
        if not refused:
            sources.append(source)
    out["sources"] = sources

    if errors:
        raise ValidationError(errors)
    return out


# --- Writing -----------------------------------------------------------------------------------


def _apply(case: Case, data: dict[str, Any]) -> None:
    for field in CASE_FIELDS:
        setattr(case, field, data[field])
    if not case.slug:
        case.slug = slugify(case.title)[:120] or "case"
    case.save()
    wanted = {(k, s) for k, slugs in data["terms"].items() for s in slugs}
    terms = Term.objects.filter(
        taxonomy__key__in=list(data["terms"]), slug__in={s for _k, s in wanted},
    ).select_related("taxonomy")
    case.terms.set([t for t in terms if (t.taxonomy.key, t.slug) in wanted])
    case.countries.all().delete()
    CaseCountry.objects.bulk_create([CaseCountry(case=case, code=c) for c in data["countries"]])
    case.case_actors.all().delete()
    seen = set()
    for item in data["actors"]:
        actor = resolve_actor(item["name"], slug=item.get("slug", ""))
        if (actor.pk, item["role"]) not in seen:
            seen.add((actor.pk, item["role"]))
            CaseActor.objects.create(case=case, actor=actor, role=item["role"])
    case.sources.all().delete()
    for order, item in enumerate(data["sources"], start=1):
        Source.objects.create(case=case, order=order, **item)


def write_revision(case: Case, user: User | None, summary: str, *, label: str = "") -> Revision:
    last = case.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        case=case, number=last + 1, author=user if getattr(user, "pk", None) else None,
        author_label=label, summary=summary[:300], data=snapshot(case),
    )


@transaction.atomic
def save_case(data: dict[str, Any], *, case: Case | None = None, user: User | None = None,
              summary: str,
              label: str = "", action: str = AuditAction.EDIT,
              external_id: str = "") -> Case:
    """Create or update a case from case data, with a revision and an audit entry."""
    clean = clean_case_data(data)
    creating = case is None
    if case is not None and not case.revisions.exists():
        # The first recorded change of a case made before revisions were kept: record the
        # state it changes from, so the history can show (and revert) the change.
        write_revision(case, None, _("State before the first recorded change"), label="system")
    if case is None:
        case = Case(external_id=external_id)
    elif external_id and not case.external_id:
        case.external_id = external_id
    with deferred_indexing():
        _apply(case, clean)
    write_revision(case, user, summary, label=label)
    record(user, AuditAction.CREATE if creating and action == AuditAction.EDIT else action,
           case, f"{summary}: {case.title}", {"case": case.pk}, label=label)
    return case


def create_cases(rows: Sequence[tuple[dict[str, Any], str, str]], *, summary: str, label: str,
                 action: str = AuditAction.IMPORT, user: User | None = None) -> list[Case]:
    """Create many cases from clean case data (`clean_case_data`'s output), external ids and
    import digests (Case.import_digest, or ""), as `save_case` creates one: the same rows,
    revisions and audit entries, but in bulk statements, about a dozen per call whatever its
    size (an import writes thousands of cases). Call it inside a transaction. Actors are
    found by their slug when the data gives one that exists (importers give the slugs of the
    actors they found or made), otherwise as `save_case` finds them."""
    if not rows:
        return []
    cases = []
    for data, external_id, import_digest in rows:
        case = Case(external_id=external_id, import_digest=import_digest,
                    **{f: data[f] for f in CASE_FIELDS})
        case.fill_defaults()
        cases.append(case)
    create_objects(cases)
    records = _write_parts(cases, [data for data, _id, _digest in rows])
    author = user if getattr(user, "pk", None) else None
    insert_objects([
        Revision(case=case, number=1, author=author, author_label=label, summary=summary[:300],
                 data=records[case.pk]) for case in cases])
    done = AuditAction.CREATE if action == AuditAction.EDIT else action
    insert_objects([
        audit_entry(user, done, case, f"{summary}: {case.title}", {"case": case.pk}, label=label)
        for case in cases])
    reindex_cases(case.pk for case in cases)
    return cases


def update_cases(rows: Sequence[tuple[Case, dict[str, Any], dict[str, Any], str]], *,
                 summary: str, label: str, action: str = AuditAction.IMPORT,
                 user: User | None = None) -> None:
    """Update many cases, each at most once, from clean case data, as `save_case` updates
    one: the same rows, revisions (with the state before, for a case that has none yet) and
    audit entries, in bulk statements, about twenty per call whatever its size. Each row is
    (the case, its new data, its snapshot now, its import digest after: Case.import_digest,
    or ""). The parts of each case (terms, countries, actors, sources) are written again.
    Call it inside a transaction."""
    if not rows:
        return
    cases = [case for case, _data, _now, _digest in rows]
    ids = [case.pk for case in cases]
    assert len(set(ids)) == len(ids), "each case at most once"
    last: dict[int, int] = {}
    for start in range(0, len(ids), SNAPSHOT_CHUNK):
        last.update(Revision.objects.filter(case_id__in=ids[start:start + SNAPSHOT_CHUNK])
                    .order_by().values("case_id").annotate(top=models.Max("number"))
                    .values_list("case_id", "top"))
    author = user if getattr(user, "pk", None) else None
    # The first recorded change of a case made before revisions were kept: the state it
    # changes from, so the history can show (and revert) the change.
    revisions = [Revision(case=case, number=1, author=None, author_label="system",
                          summary=_("State before the first recorded change")[:300], data=now)
                 for case, _data, now, _digest in rows if case.pk not in last]
    for case, data, _now, digest in rows:
        for field in CASE_FIELDS:
            setattr(case, field, data[field])
        case.fill_defaults()
        case.import_digest = digest
    update_objects(cases, [*CASE_FIELDS, "slug", "published_at", "import_digest", "updated_at"])
    for model in (Case.terms.through, CaseCountry, CaseActor, Source):
        delete_rows(model, "case", ids)
    records = _write_parts(cases, [data for _case, data, _now, _digest in rows])
    revisions += [Revision(case=case, number=last.get(case.pk, 1) + 1, author=author,
                           author_label=label, summary=summary[:300], data=records[case.pk])
                  for case in cases]
    insert_objects(revisions)
    insert_objects([
        audit_entry(user, action, case, f"{summary}: {case.title}", {"case": case.pk}, label=label)
        for case in cases])
    reindex_cases(ids)


def _write_parts(cases: Sequence[Case], datas: Sequence[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Write the terms, countries, actors and sources of cases (that have none) from their
    clean case data, in bulk; return each case's snapshot, by id, from what was written."""
    wanted = {(key, slug) for data in datas for key, slugs in data["terms"].items()
              for slug in slugs}
    # (taxonomy order, term order, id) of each term: the order of a case's terms in snapshots
    found_terms: dict[tuple[str, str], tuple[int, int, int]] = {}
    if wanted:
        for key, slug, *place in Term.objects.filter(
                taxonomy__key__in={k for k, _s in wanted}, slug__in={s for _k, s in wanted},
        ).order_by().values_list("taxonomy__key", "slug", "taxonomy__order", "order", "pk"):
            if (key, slug) in wanted:
                found_terms[(key, slug)] = tuple(place)  # type: ignore[assignment]
    slugs = {a["slug"] for data in datas for a in data["actors"] if a.get("slug")}
    found_actors: dict[str, tuple[int, str]] = {
        slug: (pk, name) for slug, pk, name in
        Actor.objects.filter(slug__in=slugs).order_by().values_list("slug", "pk", "name")
    } if slugs else {}

    links: list[tuple[Any, ...]] = []
    countries: list[tuple[Any, ...]] = []
    case_actors: list[tuple[Any, ...]] = []
    sources: list[tuple[Any, ...]] = []
    records: dict[int, dict[str, Any]] = {}  # the revisions, from what was written
    for case, data in zip(cases, datas, strict=True):
        its_terms = []
        for key, term_slugs in data["terms"].items():
            for slug in dict.fromkeys(term_slugs):
                if (key, slug) in found_terms:
                    links.append((case.pk, found_terms[(key, slug)][2]))
                    its_terms.append((found_terms[(key, slug)], key, slug))
        terms: dict[str, list[str]] = {}
        for _place, key, slug in sorted(its_terms):
            terms.setdefault(key, []).append(slug)
        countries.extend((case.pk, code) for code in data["countries"])
        seen = set()
        its_actors = []
        for item in data["actors"]:
            slug = item.get("slug") or ""
            if slug in found_actors:
                actor_id, name = found_actors[slug]
            else:
                actor = resolve_actor(item["name"], slug=slug)
                actor_id, name, slug = actor.pk, actor.name, actor.slug
            if (actor_id, item["role"]) not in seen:
                seen.add((actor_id, item["role"]))
                case_actors.append((case.pk, actor_id, item["role"]))
                its_actors.append({"name": name, "slug": slug, "role": item["role"]})
        sources.extend((case.pk, order, *(item[f] for f in SOURCE_FIELDS))
                       for order, item in enumerate(data["sources"], start=1))
        records[case.pk] = _record(case, terms, list(data["countries"]), its_actors,
                                   [{f: item[f] for f in SOURCE_FIELDS} for item in data["sources"]])
    # The parts of a case are plain rows (ids and texts, no defaults to fill in): written as
    # they are, without building a model object for each (most of bulk_create's time).
    insert_rows(Case.terms.through, ("case_id", "term_id"), links)
    insert_rows(CaseCountry, ("case_id", "code"), countries)
    insert_rows(CaseActor, ("case_id", "actor_id", "role"), case_actors)
    insert_rows(Source, ("case_id", "order", *SOURCE_FIELDS), sources)
    return records


def revert_case(case: Case, revision: Revision, user: User) -> Case:
    """Bring a case back to a revision's state, as a new revision."""
    if revision.case_id != case.pk:
        raise ValidationError({"revision": _("That revision belongs to another case.")})
    summary = _("Reverted to revision %(number)d") % {"number": revision.number}
    return save_case(revision.data, case=case, user=user, summary=summary,
                     action=AuditAction.REVERT)


def retract_case(case: Case, user: User, reason: str) -> Case:
    """Take a case out of lists and search; its page stays with a retraction notice."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is retracted.")})
    data = {**snapshot(case), "status": CaseStatus.RETRACTED}
    return save_case(data, case=case, user=user, summary=_("Retracted: %(reason)s") % {
        "reason": reason}, action=AuditAction.RETRACT)


# Rows of this app that merge_actors moves (or drops) itself, one by one.
_MOVED_HERE = frozenset({"cases.caseactor", "cases.actoralias", "cases.actorlink",
                         "cases.actornamekey", "cases.actorduplicatedismissal"})


def _move_rows_of_other_apps(duplicate: Actor, survivor: Actor) -> list[str]:
    """Every other row that points at `duplicate` (reports, replies and representatives,
    demands, scorecards, help profiles, contributions...) now points at `survivor`, so that a
    merge loses nothing and no protected row stops it. Found through the model graph: this
    floor does not know the apps above it. Where the survivor already has the one row a kind
    allows (a help profile, say) or a row would clash with one of its own, the merge stops
    with a message and nothing changes. Returns the kinds of rows that moved (not how many:
    a count of reports is worker data, and the audit log is not a release)."""
    moved: list[str] = []
    for relation in Actor._meta.related_objects:
        model = relation.related_model
        if isinstance(model, str):  # a lazy "self" reference: never an Actor's reverse side
            continue
        if relation.many_to_many or model._meta.label_lower in _MOVED_HERE:
            continue
        name = relation.field.name
        rows = model._base_manager.filter(**{name: duplicate})
        what = str(model._meta.verbose_name)
        if relation.one_to_one and rows.exists() and model._base_manager.filter(
                **{name: survivor}).exists():
            raise ValidationError(_(
                "%(duplicate)s and %(survivor)s both have a %(what)s. Keep one of the two "
                "(edit or delete the other), then merge.") % {
                "duplicate": duplicate.name, "survivor": survivor.name, "what": what})
        try:
            with transaction.atomic():
                count = rows.update(**{name: survivor})
        except IntegrityError:
            raise ValidationError(_(
                "A %(what)s of %(duplicate)s clashes with one of %(survivor)s. Remove one of "
                "the two, then merge.") % {
                "duplicate": duplicate.name, "survivor": survivor.name, "what": what}) from None
        if count:
            moved.append(model._meta.label_lower)
    return moved


@transaction.atomic
def merge_actors(duplicate: Actor, survivor: Actor, user: User) -> Actor:
    """Fold `duplicate` into `survivor`: its cases, links and aliases move over, and so does
    every row of the apps above that points at it; its name and slug become an alias (so old
    URLs, searches, facets and imports resolve to the survivor)."""
    if duplicate.pk == survivor.pk:
        raise ValidationError({"survivor": _("Choose another actor to merge into.")})
    with deferred_indexing():
        case_ids = set(duplicate.case_roles.values_list("case_id", flat=True))
        for case_actor in list(duplicate.case_roles.all()):
            exists = CaseActor.objects.filter(case_id=case_actor.case_id, actor=survivor,
                                              role=case_actor.role).exists()
            if exists:
                case_actor.delete()
            else:
                case_actor.actor = survivor
                case_actor.save()
        for link in list(duplicate.links_out.all()):
            if link.target_id != survivor.pk and not survivor.links_out.filter(
                    kind=link.kind, target_id=link.target_id).exists():
                link.source = survivor
                link.save()
        for link in list(duplicate.links_in.all()):
            if link.source_id != survivor.pk and not survivor.links_in.filter(
                    kind=link.kind, source_id=link.source_id).exists():
                link.target = survivor
                link.save()
        existing = {a.name.lower() for a in survivor.aliases.all()} | {survivor.name.lower()}
        for alias in list(duplicate.aliases.all()):
            if alias.name.lower() in existing:
                alias.delete()
                continue
            alias.actor = survivor
            alias.save()
            existing.add(alias.name.lower())
        alias = (survivor.aliases.filter(name__iexact=duplicate.name).first()
                 or ActorAlias(actor=survivor, name=duplicate.name))
        alias.slug = duplicate.slug
        alias.save()
        summary = f"{duplicate.name} → {survivor.name}"
        moved = _move_rows_of_other_apps(duplicate, survivor)
        data = {"duplicate": duplicate.slug, "survivor": survivor.slug, "cases": sorted(case_ids),
                "moved": moved}
        duplicate.delete()
        for case in Case.objects.filter(pk__in=case_ids):
            write_revision(case, user, _("Actor merged: %(summary)s") % {"summary": summary})
    record(user, AuditAction.MERGE, survivor, summary, data)
    return survivor

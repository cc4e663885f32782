"""Finding or creating actors and terms from memory while an import runs (ActorIndex,
TermIndex), and forgetting what a row added when that row's savepoint rolls back."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.utils.text import slugify

from ..actornames import name_key
from ..models import Actor, ActorAlias, Taxonomy, Term
from .text import make_slug

# Rows name the same few hundred actors again and again.
_slug = lru_cache(maxsize=65536)(slugify)

MAX_TERMS_PER_TAXONOMY = 500  # an import may not grow one vocabulary past this


def _nothing() -> None:
    return None


class RowJournal:
    """A cache that can forget what one row added, when that row's savepoint rolls back.
    `before_write` is called before the cache writes to the database (the writer takes the
    row's savepoint then, when it has not yet)."""

    def __init__(self):
        self._added: list[tuple[dict, str]] = []
        self.before_write: Callable[[], None] = _nothing

    def _remember(self, mapping: dict, key: str, value: Any) -> None:
        if key not in mapping:
            mapping[key] = value
            self._added.append((mapping, key))

    def begin_row(self) -> None:
        self._added.clear()

    def discard_row(self) -> None:
        for mapping, key in reversed(self._added):
            mapping.pop(key, None)
        self._added.clear()

    def reset(self) -> None:
        self._added.clear()


class ActorIndex(RowJournal):
    """Finds actors as editing.find_actor does (by name, slug or alias, aliases including
    merged actors), from memory: an import looks up thousands of names, and the queries of
    find_actor would be most of its time. When nothing matches exactly, names are compared
    by actornames.name_key, so "OpenAI Inc", "OpenAI, Inc." and "Open AI" find OpenAI (and
    its aliases count the same way). New actors get their slug as editing.resolve_actor gives
    it (the source's slug, or the name, slugified)."""

    def __init__(self):
        super().__init__()
        self._loaded = False
        self._by_name: dict[str, list[Actor]] = {}  # casefolded names and aliases
        self._by_key: dict[str, list[Actor]] = {}  # name_key of names and aliases
        self._by_slug: dict[str, Actor] = {}
        self._slugs: dict[str, bool] = {}  # every actor slug in use
        self._others: dict[tuple[str, int], list[Actor]] = {}  # `others`, until an actor is added

    def reset(self) -> None:
        super().reset()
        self._loaded = False
        self._by_name.clear()
        self._by_key.clear()
        self._by_slug.clear()
        self._slugs.clear()
        self._others.clear()

    def _add(self, table: dict[str, list[Actor]], key: str, actor: Actor) -> None:
        if not key:
            return
        actors = table.setdefault(key, [])
        if all(a.pk != actor.pk for a in actors):
            actors.append(actor)

    def _load(self) -> None:
        if self._loaded:
            return
        by_id = {}
        for actor in Actor.objects.only("id", "slug", "name").order_by("id"):
            by_id[actor.pk] = actor
            self._by_slug[actor.slug] = actor
            self._slugs[actor.slug] = True
        for actor in by_id.values():
            self._add(self._by_name, actor.name.casefold(), actor)
            self._add(self._by_key, name_key(actor.name), actor)
        for alias in ActorAlias.objects.only("actor_id", "name", "slug").order_by("id"):
            actor = by_id.get(alias.actor_id)
            if actor is None:
                continue
            self._add(self._by_name, alias.name.casefold(), actor)
            self._add(self._by_key, name_key(alias.name), actor)
            if alias.slug:
                self._by_slug.setdefault(alias.slug, actor)
        self._loaded = True

    def _exact(self, key: str) -> Actor | None:
        slug = _slug(key)
        named = self._by_name.get(key.casefold())
        return ((named[0] if named else None) or self._by_slug.get(key)
                or self._by_slug.get(slug) or self._by_slug.get(slug[:110]))

    def find(self, *keys: str) -> Actor | None:
        """The actor of the first key that matches exactly (name, alias, slug); else the
        first whose name or an alias has the same name_key."""
        self._load()
        keys = tuple(k.strip() for k in keys if k.strip())
        for key in keys:
            actor = self._exact(key)
            if actor:
                return actor
        for key in keys:
            same = self._by_key.get(name_key(key))
            if same:
                return same[0]
        return None

    def others(self, name: str, actor: Actor) -> list[Actor]:
        """The other actors this name also matches (by name, alias, slug or name_key): two
        actors that should probably be one."""
        self._load()
        name = name.strip()
        remembered = self._others.get((name, actor.pk))
        if remembered is not None:
            return remembered
        found = [*self._by_name.get(name.casefold(), []), *self._by_key.get(name_key(name), [])]
        exact = self._exact(name)
        if exact is not None:
            found.append(exact)
        others = list({a.pk: a for a in found if a.pk != actor.pk}.values())
        self._others[(name, actor.pk)] = others
        return others

    def discard_row(self) -> None:
        super().discard_row()
        self._others.clear()

    def get_or_create(self, name: str, *, slug: str = "", kind: str = "company") -> Actor:
        actor = self.find(*(k for k in (slug, name) if k))
        if actor is None:
            base = slugify(slug or name)[:110] or "actor"
            candidate, n = base, 2
            while candidate in self._slugs:
                candidate, n = f"{base}-{n}", n + 1
            self.before_write()
            actor = Actor.objects.create(name=name.strip()[:200], slug=candidate, kind=kind)
            self._others.clear()
            self._remember(self._slugs, actor.slug, True)
            self._remember(self._by_slug, actor.slug, actor)
            self._remember(self._by_name, actor.name.casefold(), [actor])
            if name_key(actor.name):
                self._remember(self._by_key, name_key(actor.name), [actor])
        return actor

    def remember_slug(self, actor: Actor, slug: str, name: str) -> None:
        """Record `slug`, the source's own id of an actor found by its name (an AI Incident
        Database entity), as the slug of an alias named `name`, so that a later import finds
        the actor by it even when names change. Nothing when the slug already leads to an
        actor. An existing alias of that name without a slug takes it."""
        self._load()
        slug = slugify(slug)[:120]
        if not slug or slug in self._by_slug:
            return
        name = name.strip()[:200]
        alias = next((a for a in ActorAlias.objects.filter(actor=actor)
                      if a.name.casefold() == name.casefold()), None)
        if alias is None:
            alias = ActorAlias.objects.create(actor=actor, name=name, slug=slug)
        elif not alias.slug:
            alias.slug = slug
            alias.save(update_fields=["slug"])
        else:
            return
        self._remember(self._by_slug, slug, actor)
        self._remember(self._by_name, name.casefold(), [actor])


class TermIndex(RowJournal):
    """Finds terms of a taxonomy by slug or name; creates them when asked, up to a bound."""

    def __init__(self, max_terms: int | None = None):
        super().__init__()
        self.max_terms = MAX_TERMS_PER_TAXONOMY if max_terms is None else max_terms
        self._taxonomies: dict[str, Taxonomy | None] = {}
        self._terms: dict[str, dict[str, Term]] = {}
        self._counts: dict[str, int] = {}

    def reset(self) -> None:
        super().reset()
        self._taxonomies.clear()
        self._terms.clear()
        self._counts.clear()

    def discard_row(self) -> None:
        if self._added:  # the row created terms: reload lookups and counts (rare, always right)
            self._terms.clear()
            self._counts.clear()
        super().discard_row()

    def taxonomy(self, key: str) -> Taxonomy | None:
        if key not in self._taxonomies:
            self._taxonomies[key] = Taxonomy.objects.filter(key=key).first()
        return self._taxonomies[key]

    def known_taxonomies(self) -> list[str]:
        return list(Taxonomy.objects.order_by("order", "key").values_list("key", flat=True))

    def ensure_taxonomy(self, key: str, name: str, *, description: str = "", is_facet: bool = False,
                        order: int = 100) -> Taxonomy:
        """get_or_create: an editor's later changes to an existing taxonomy are kept."""
        self.before_write()
        taxonomy, _created = Taxonomy.objects.get_or_create(
            key=key, defaults={"name": name[:200], "description": description,
                               "is_facet": is_facet, "order": order})
        self._taxonomies[key] = taxonomy
        return taxonomy

    def _lookup(self, key: str) -> dict[str, Term]:
        if key not in self._terms:
            lookup: dict[str, Term] = {}
            terms = list(Term.objects.filter(taxonomy__key=key))
            for term in terms:
                lookup.setdefault(term.slug, term)
            for term in terms:
                lookup.setdefault(term.name.casefold(), term)
            self._terms[key] = lookup
            self._counts[key] = len(terms)
        return self._terms[key]

    def find(self, key: str, value: str) -> Term | None:
        lookup = self._lookup(key)
        return (lookup.get(value.casefold()) or lookup.get(value.strip())
                or lookup.get(make_slug(value)))

    def get_or_create(self, key: str, value: str) -> Term | None:
        """The term, created if needed; None when the taxonomy is full."""
        term = self.find(key, value)
        if term is not None:
            return term
        taxonomy = self.taxonomy(key)
        if taxonomy is None or self._counts.get(key, 0) >= self.max_terms:
            return None
        self.before_write()
        term = Term.objects.create(taxonomy=taxonomy, slug=make_slug(value), name=value[:200])
        lookup = self._terms[key]
        lookup[term.slug] = term
        lookup.setdefault(term.name.casefold(), term)
        self._counts[key] += 1
        self._added.append(({}, term.slug))  # the row wrote to this index
        return term

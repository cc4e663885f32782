"""Suggested duplicate actors for editors, and merging a group of them into one.

Two actors are suggested as one when a name or alias of each has the same comparison key
(cases.actornames.name_keys: "OpenAI, Inc." and "Open AI"; the parts of "Sama AI/Samasource";
so also when one actor's alias is another's name). The keys are stored with an index
(ActorNameKey, kept in step when actors and aliases are saved), so the shared keys are one
grouping query; actors linked through any chain of shared keys form one group ("Meta" with
the aliases "Facebook" and "Meta Platforms", and the actors "Facebook" and "Meta Platforms").

Bounded: at most MAX_KEYS shared keys and MAX_PAIRS (actor, key) rows are read per request;
past that the page says that more exist (merging the first ones brings the next into view).
Suggestions are suggestions: merging is the editor's decision, and goes through
cases.editing.merge_actors (cases, links and aliases move; the merged name and slug stay as
an alias; a revision of each case and an audit entry per merged actor). An editor may also
dismiss a group (`dismiss_group`): each pair of its actors is stored as not one
(ActorDuplicateDismissal), and a shared key no longer joins that pair, so the group is not
suggested again (an actor alike to both, added later, joins them into one group again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from visiblework.core.audit import record
from visiblework.core.models import AuditAction

from .actornames import name_keys
from .editing import merge_actors
from .models import Actor, ActorDuplicateDismissal, ActorKind, ActorNameKey, CaseStatus

if TYPE_CHECKING:
    from visiblework.accounts.models import User

MAX_KEYS = 2_000
MAX_PAIRS = 5_000
MAX_GROUP = 20  # actors merged (or dismissed) in one request
MAX_DISMISSALS = 20_000  # dismissed pairs read per request, among the actors read
PAGE_SIZE = 20


@dataclass(frozen=True)
class DuplicateActor:
    id: int
    slug: str
    name: str
    kind: str  # its label
    country: str
    aliases: list[str]
    matched: list[str]  # its names that share a key with another actor of the group
    published_cases: int
    cases: int  # in any status


@dataclass(frozen=True)
class DuplicateGroup:
    keys: list[str]
    actors: list[DuplicateActor]

    @property
    def ids(self) -> list[int]:
        return [actor.id for actor in self.actors]


@dataclass(frozen=True)
class DuplicatePage:
    groups: list[DuplicateGroup]
    page: int
    pages: int
    count: int  # groups found within the bounds
    capped: bool  # more shared keys or pairs exist than were read


def _key_components(actors: list[int], apart: set[tuple[int, int]]) -> list[list[int]]:
    """The actors that share one key, split where editors dismissed pairs: groups in which
    every actor is joined to another by a pair not dismissed. O(actors + dismissed pairs):
    each test either takes an actor out of those left or meets a dismissed pair."""
    if not apart or len(actors) < 2:
        return [actors]
    left = list(actors)
    found = []
    while left:
        group = [left.pop()]
        todo = list(group)
        while todo:
            actor = todo.pop()
            kept = []
            for other in left:
                if (min(actor, other), max(actor, other)) in apart:
                    kept.append(other)
                else:
                    group.append(other)
                    todo.append(other)
            left = kept
        found.append(group)
    return found


def _components(pairs: list[tuple[int, str]],
                apart: set[tuple[int, int]] | None = None) -> list[tuple[list[str], list[int]]]:
    """Groups of actors joined by shared keys (connected components), each with its keys,
    ordered by their first key. `apart`: pairs (lower id first) that a key does not join."""
    parent: dict[int, int] = {}

    def find(actor: int) -> int:
        while parent.setdefault(actor, actor) != actor:
            parent[actor] = parent[parent[actor]]
            actor = parent[actor]
        return actor

    by_key: dict[str, list[int]] = {}
    for actor, key in pairs:
        by_key.setdefault(key, []).append(actor)
    groups: dict[int, tuple[set[str], set[int]]] = {}
    joined: list[tuple[str, list[int]]] = []
    for key, sharing in by_key.items():
        for part in _key_components(sharing, apart or set()):
            for actor in part[1:]:
                parent[find(actor)] = find(part[0])
            joined.append((key, part))
    for key, part in joined:
        if len(part) < 2:  # a key an actor shares only with actors it was dismissed from
            continue
        keys, members = groups.setdefault(find(part[0]), (set(), set()))
        keys.add(key)
        members.update(part)
    found = [(sorted(keys), sorted(members)) for keys, members in groups.values()
             if len(members) > 1]
    return sorted(found, key=lambda group: group[0])


def _dismissed(shared: QuerySet[ActorNameKey, dict[str, Any]]) -> set[tuple[int, int]]:
    """The dismissed pairs among the actors that share a key (bounded)."""
    actors = ActorNameKey.objects.filter(key__in=shared).values("actor_id")
    return set(ActorDuplicateDismissal.objects.filter(first_id__in=actors)
               .order_by("id").values_list("first_id", "second_id")[:MAX_DISMISSALS])


def _details(groups: list[tuple[list[str], list[int]]]) -> list[DuplicateGroup]:
    ids = [actor for _keys, actors in groups for actor in actors]
    actors = {a.pk: a for a in Actor.objects.filter(pk__in=ids).prefetch_related("aliases")
              .annotate(all_cases=Count("case_roles__case", distinct=True),
                        published=Count("case_roles__case", distinct=True, filter=Q(
                            case_roles__case__status=CaseStatus.PUBLISHED)))}
    result = []
    for keys, members in groups:
        shown = []
        for actor_id in members:
            actor = actors.get(actor_id)
            if actor is None:  # merged or deleted since the keys were read
                continue
            aliases = [alias.name for alias in actor.aliases.all()]
            matched = [name for name in [actor.name, *aliases]
                       if set(name_keys(name)) & set(keys)]
            shown.append(DuplicateActor(
                actor.pk, actor.slug, actor.name,
                str(ActorKind(actor.kind).label) if actor.kind in ActorKind.values else actor.kind,
                actor.country, aliases, matched, actor.published, actor.all_cases))
        if len(shown) > 1:
            shown.sort(key=lambda a: (-a.cases, a.name.casefold(), a.id))
            result.append(DuplicateGroup(keys, shown))
    return result


def suggested_duplicates(page: int = 1) -> DuplicatePage:
    """One page of suggested groups: four statements (shared keys and their actors in one,
    the dismissed pairs among them, the page's actors with their case counts, their
    aliases), whatever the catalogue's size."""
    shared = (ActorNameKey.objects.values("key").annotate(actors=Count("actor_id"))
              .filter(actors__gt=1).order_by("key").values("key")[:MAX_KEYS + 1])
    pairs = list(ActorNameKey.objects.filter(key__in=shared).order_by("key", "actor_id")
                 .values_list("actor_id", "key")[:MAX_PAIRS + 1])
    capped = len(pairs) > MAX_PAIRS
    if capped:  # leave out the key cut in the middle
        pairs = [pair for pair in pairs[:MAX_PAIRS] if pair[1] != pairs[MAX_PAIRS][1]]
    keys = sorted({key for _actor, key in pairs})
    if len(keys) > MAX_KEYS:  # the one key read past the bound
        capped = True
        pairs = [pair for pair in pairs if pair[1] != keys[-1]]
    groups = _components(pairs, _dismissed(shared))
    pages = max(1, -(-len(groups) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return DuplicatePage(_details(groups[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]), page, pages,
                         len(groups), capped)


def merge_into(keep_id: int, merge_ids: list[int], user: User) -> tuple[Actor, list[str]]:
    """Merge the actors `merge_ids` into the actor `keep_id`, all or none. Returns the kept
    actor and the merged names."""
    others = list(dict.fromkeys(i for i in merge_ids if i != keep_id))
    if not others:
        raise ValidationError(_("Choose at least one other actor to merge."))
    if len(others) >= MAX_GROUP:
        raise ValidationError(_("Merge at most %(n)d actors at a time.") % {"n": MAX_GROUP})
    with transaction.atomic():
        found = {a.pk: a for a in Actor.objects.select_for_update().filter(
            pk__in=[keep_id, *others])}
        if len(found) != len(others) + 1:
            raise ValidationError(_("One of these actors was merged or deleted meanwhile. "
                                    "Look at the suggestions again."))
        survivor = found[keep_id]
        for actor_id in others:
            merge_actors(found[actor_id], survivor, user)
    return survivor, [found[i].name for i in others]


def dismiss_group(actor_ids: list[int], user: User) -> list[str]:
    """These actors are not one: store each pair of them as dismissed, so that they are not
    suggested together again. All or none; audited. Returns their names."""
    ids = sorted(set(actor_ids))
    if len(ids) < 2:
        raise ValidationError(_("Choose at least two actors."))
    if len(ids) > MAX_GROUP:
        raise ValidationError(_("Dismiss at most %(n)d actors at a time.") % {"n": MAX_GROUP})
    with transaction.atomic():
        found = {a.pk: a for a in Actor.objects.select_for_update().filter(pk__in=ids)}
        if len(found) != len(ids):
            raise ValidationError(_("One of these actors was merged or deleted meanwhile. "
                                    "Look at the suggestions again."))
        pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
        ActorDuplicateDismissal.objects.bulk_create(
            [ActorDuplicateDismissal(first_id=a, second_id=b, dismissed_by=user) for a, b in pairs],
            ignore_conflicts=True)
        names = [found[i].name for i in ids]
        record(user, AuditAction.DISMISS, found[ids[0]],
               _("Not the same actor: %(names)s") % {"names": ", ".join(names)},
               {"actors": ids, "slugs": [found[i].slug for i in ids]})
    return names

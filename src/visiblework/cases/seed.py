"""Load the seed content (cases written from the founding documents) from a JSON file.

The file (`cases/seed/cases.json`) holds `actors`, `actor_links` and `cases`; see its
first entries for the shape. Loading is idempotent: actors are matched by slug, cases by
`external_id` "seed:<slug>", so a second run updates in place and duplicates nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .editing import snapshot, write_revision
from .indexing import deferred_indexing
from .models import (
    Actor,
    ActorAlias,
    ActorLink,
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    Source,
    Term,
)

SEED_FILE = Path(__file__).resolve().parent / "seed" / "cases.json"
TERM_FIELDS = {
    "justice_areas": "justice_area",
    "impacts": "impact",
    "layers": "layer",
    "regions": "region",
}


class SeedError(ValueError):
    pass


@dataclass
class SeedStats:
    actors: int = 0
    cases: int = 0


def _clean(instance, where: str, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise SeedError(f"{where}: {exc.message_dict}") from None


@transaction.atomic
def load_seed(path: Path = SEED_FILE) -> SeedStats:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    stats = SeedStats()
    terms = {(t.taxonomy.key, t.slug): t for t in Term.objects.select_related("taxonomy")}
    with deferred_indexing():
        actors: dict[str, Actor] = {}
        for entry in data.get("actors", []):
            actor = Actor.objects.filter(slug=entry["slug"]).first() or Actor(slug=entry["slug"])
            for name in ("name", "kind", "country", "url", "description"):
                setattr(actor, name, entry.get(name, ""))
            _clean(actor, f"actor {entry['slug']}", exclude=["slug"])
            actor.save()
            for alias in entry.get("aliases", []):
                ActorAlias.objects.get_or_create(actor=actor, name=alias)
            actors[actor.slug] = actor
            stats.actors += 1
        for link in data.get("actor_links", []):
            try:
                ActorLink.objects.get_or_create(
                    source=actors[link["from"]], kind=link["kind"], target=actors[link["to"]]
                )
            except KeyError as exc:
                raise SeedError(f"actor link {link}: unknown actor {exc}") from None

        for entry in data.get("cases", []):
            where = f"case {entry['slug']}"
            external_id = f"seed:{entry['slug']}"
            case = Case.objects.filter(external_id=external_id).first() or Case(
                external_id=external_id
            )
            before = snapshot(case) if case.pk else None
            case.slug = entry["slug"]
            case.title = entry["title"]
            case.year = entry.get("year")
            case.date = entry.get("date", "")
            case.summary = entry["summary"]
            case.body = entry.get("body", "")
            case.status = CaseStatus.PUBLISHED
            _clean(case, where)
            case.save()

            wanted_terms = []
            for field_name, taxonomy_key in TERM_FIELDS.items():
                for slug in entry.get(field_name, []):
                    term = terms.get((taxonomy_key, slug))
                    if term is None:
                        raise SeedError(f"{where}: unknown {taxonomy_key} term {slug!r}")
                    wanted_terms.append(term)
            case.terms.set(wanted_terms)

            case.countries.all().delete()
            for code in entry.get("countries", []):
                country = CaseCountry(case=case, code=code)
                _clean(country, where)
                country.save()

            case.case_actors.all().delete()
            for role in entry.get("actors", []):
                if role["actor"] not in actors:
                    raise SeedError(f"{where}: unknown actor {role['actor']!r}")
                CaseActor.objects.create(case=case, actor=actors[role["actor"]], role=role["role"])

            case.sources.all().delete()
            for order, item in enumerate(entry.get("sources", []), start=1):
                source = Source(case=case, order=order, **item)
                _clean(source, where)
                source.save()
            if snapshot(case) != before:
                write_revision(case, None, "Seed content" if before is None
                               else "Seed content updated", label="seed")
            stats.cases += 1
    return stats

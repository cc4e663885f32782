"""An actor's identifiers in other databases, shown on its page.

Actors have no external-id field. The AI Incident Database importer (importers/aiid.py)
gives the actors it creates the database's entity slug as their own slug, and a merge keeps
a merged actor's slug as an alias's `slug`. So an actor named in a published case imported
from that database ("aiid:<n>") is listed as that database's entity under its slug and its
former slugs, each linked to the entity's page there. An actor the importer matched by name
keeps the slug it had, which may not be the database's; docs/actors.md says so."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Actor, CaseActor, CaseStatus

AIID_PREFIX = "aiid:"
AIID_ENTITY_URL = "https://incidentdatabase.ai/entities/{slug}/"
MAX_IDS = 20


@dataclass(frozen=True)
class ExternalId:
    source: str
    value: str
    url: str


def external_ids(actor: Actor) -> list[ExternalId]:
    """The actor's entity slugs in the AI Incident Database, if a published case imported
    from it names the actor (one indexed query; the aliases are read from the prefetch)."""
    from_aiid = CaseActor.objects.filter(actor=actor, case__status=CaseStatus.PUBLISHED,
                                         case__external_id__startswith=AIID_PREFIX).exists()
    if not from_aiid:
        return []
    slugs = [actor.slug, *(alias.slug for alias in actor.aliases.all() if alias.slug)]
    source = _("AI Incident Database entity")
    return [ExternalId(source, slug, AIID_ENTITY_URL.format(slug=slug))
            for slug in list(dict.fromkeys(slugs))[:MAX_IDS]]

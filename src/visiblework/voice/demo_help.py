"""The demo's organisations that help: real organisations, written in our own words, each fact
with its public source (voice/seed/organisations.json). Loaded without the network;
idempotent: organisations are matched by their actor's slug, and one already as the file says
is left alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.cases.models import Actor
from visiblework.core.models import AuditAction

from .help import clean_organisation, organisation_data, save_organisation
from .models import HelpProfile

SEED_FILE = Path(__file__).resolve().parent / "seed" / "organisations.json"
LABEL = "seed"


def entries(path: Path = SEED_FILE) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["organisations"])


def _unchanged(entry: dict[str, Any]) -> bool:
    profile = HelpProfile.objects.select_related("actor").filter(
        actor__slug=entry["slug"]).first()
    return profile is not None and organisation_data(profile) == clean_organisation(entry)


@transaction.atomic
def seed(path: Path = SEED_FILE) -> str | None:
    """Create or update each organisation of the seed file; a summary line when any changed."""
    changed = 0
    for entry in entries(path):
        if _unchanged(entry):
            continue
        actor = Actor.objects.filter(slug=entry["slug"]).first()
        save_organisation(entry, actor=actor, slug=entry["slug"], action=AuditAction.IMPORT,
                          summary=_("Seed organisation %(name)s") % {"name": entry["name"]},
                          label=LABEL)
        changed += 1
    if not changed:
        return None
    return ngettext("%(n)d organisation that helps", "%(n)d organisations that help",
                    changed) % {"n": changed}

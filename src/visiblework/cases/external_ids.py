"""External ids: the id another database gives a case ("aiid:23", "aiaaic:AIAAIC1234"), and
the one home of the sources Visible Work knows how to link back to.

An external id is "<source name>:<the source's own id>". A case carries its own id
(Case.external_id) and the ids of the duplicates merged into it (CaseExternalId).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseExternalId

MAX_LENGTH = 120  # Case.external_id
MAX_SHOWN = 50  # merged ids shown on a case page
# A name of letters, digits, ".", "-" and "_", a colon, then the source's own id.
SHAPE = re.compile(r"[a-z0-9][a-z0-9._-]*:\S.*", re.DOTALL)
_NOT_NAME = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class KnownSource:
    label: object  # a lazy translation
    url: str  # "{id}" is replaced by the source's own id; without it, the source's home page


KNOWN_SOURCES: dict[str, KnownSource] = {
    "aiid": KnownSource(_("AI Incident Database"), "https://incidentdatabase.ai/cite/{id}/"),
    # The AIAAIC Repository has no address per id: the link leads to the repository, where
    # the id can be searched.
    "aiaaic": KnownSource(_("AIAAIC Repository"), "https://www.aiaaic.org/aiaaic-repository"),
}


@dataclass(frozen=True)
class ExternalLink:
    external_id: str
    source: str  # the source's name, e.g. "aiid"
    own_id: str  # the source's own id, e.g. "23"
    label: str  # the source's label when known, else ""
    url: str  # "" when the source is not known


def looks_like_external_id(value: str) -> bool:
    return len(value) <= MAX_LENGTH and SHAPE.fullmatch(value) is not None


def link(external_id: str) -> ExternalLink:
    """Where an external id leads: the known source's address for it, or nothing."""
    source, _colon, own = external_id.partition(":")
    known = KNOWN_SOURCES.get(source)
    if known is None or not own:
        return ExternalLink(external_id, source, own, "", "")
    url = known.url.replace("{id}", quote(own, safe="")) if "{id}" in known.url else known.url
    return ExternalLink(external_id, source, own, str(known.label), url)


def links(external_ids: list[str]) -> list[ExternalLink]:
    return [link(e) for e in external_ids if e]


def case_links(case: Case) -> list[ExternalLink]:
    """A case's own external id, then those of the duplicates merged into it."""
    merged = case.merged_ids.order_by("id").values_list("external_id", flat=True)[:MAX_SHOWN]
    return links([case.external_id, *merged])


def instance_id(host: str, case_id: int) -> str:
    """The id an export gives a case that has no external id of its own: this site's host and
    the case's number ("visiblework.example.org:17"), so an import elsewhere can match it."""
    name = _NOT_NAME.sub("-", host.lower()).strip("-._") or "visiblework"
    return f"{name[:MAX_LENGTH - 12]}:{case_id}"


def cases_by_external_id(ids: list[str]) -> dict[str, Case]:
    """The cases these external ids name: by a case's own id, or by the id of a duplicate
    merged into it (cases.duplicates), so a source imported again updates the kept case.
    The condition "not empty" repeats the one of the partial unique index on
    Case.external_id: SQLite and PostgreSQL seek in that index only when the query says so."""
    found = {c.external_id: c for c in Case.objects.filter(external_id__in=list(ids))
             .exclude(external_id="").order_by()}
    missing = [i for i in ids if i not in found]
    if missing:
        for merged in CaseExternalId.objects.filter(external_id__in=missing).select_related("case"):
            found[merged.external_id] = merged.case
    return found


def add_other_ids(external_id: str, other_ids: list[str], warn: Callable[[str, str], None],
                  column: str) -> bool:
    """Give the case known by `external_id` these merged duplicates' ids too (an export
    imported again carries them); an id another case has is left out with a warning.
    Returns whether an id was added."""
    case = cases_by_external_id([external_id]).get(external_id)
    if case is None:
        return False
    owners = cases_by_external_id(other_ids)
    added = False
    for other in other_ids:
        owner = owners.get(other)
        if owner is None:
            CaseExternalId.objects.create(case=case, external_id=other)
            added = True
        elif owner.pk != case.pk:
            warn(column, gettext("the id %(id)s belongs to another case (%(case)d); left out")
                 % {"id": other, "case": owner.pk})
    return added

"""Worker reviews as the public sees them: the words editors published, with a place that
comes from the latest published release, never from live report rows (DESIGN.md, rule 6).

A review shows its country only when the latest published release published the cell of
that actor in that country (dimension sets "platform × country" or "client × country");
otherwise it shows the country's region. The standard dimension sets of `vw-dp-1` have no
actor × country cell, so with them every review shows its region.
"""

from __future__ import annotations

from visiblework.cases.models import Actor
from visiblework.reports.public import PublicReview, public_reviews

from .models import Release, ReleaseCell
from .releases import latest_release

ACTOR_COUNTRY_SETS = {"platform": "country,platform", "client": "client,country"}


def countries_named_by(release: Release | None, actor: Actor) -> frozenset[str]:
    """The countries whose actor × country cell `release` published for `actor`."""
    if release is None:
        return frozenset()
    named: set[str] = set()
    for role, dims_key in ACTOR_COUNTRY_SETS.items():
        cells = (ReleaseCell.objects.filter(release=release, dims_key=dims_key, suppressed=False,
                                            **{f"dims__{role}": actor.slug})
                 .values_list("dims", flat=True)[:300])
        named.update(str(dims["country"]) for dims in cells if dims.get("country"))
    return frozenset(named)


def reviews_for(actor: Actor) -> list[PublicReview]:
    """The published reviews about `actor`, placed by the latest published release."""
    return public_reviews(actor, named_countries=countries_named_by(latest_release(), actor))

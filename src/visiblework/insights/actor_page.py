"""What the insights floor adds to an actor's page (settings.VISIBLEWORK_PAGE_SECTIONS):
what workers say about it, placed by the latest published release (the right of reply follows
it: reports.replies.actor_replies); and links to its scorecard and labour-disclosure card."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from visiblework.cases.models import Actor
from visiblework.core.sections import Section

from .platform_figures import actor_figures
from .reviews import reviews_for


def worker_figures(request: HttpRequest, actor: Actor) -> Section | None:
    """A platform's or a client's figures from the latest published release, or the
    message that too few workers have reported yet; nothing for other actors."""
    figures = actor_figures(actor)
    if figures is None:
        return None
    release_url = (reverse("insights:release", args=[figures.release.label])
                   if figures.release else "")
    return Section("insights/_actor_figures.html", {"actor": actor, "figures": figures,
                                                    "release_url": release_url})


def what_workers_say(request: HttpRequest, actor: Actor) -> Section | None:
    reviews = reviews_for(actor)
    if not reviews:
        return Section("insights/_actor_report_link.html", {"actor": actor})
    return Section("insights/_actor_reviews.html", {"actor": actor, "reviews": reviews})


def statistics_links(request: HttpRequest, actor: Actor) -> Section:
    return Section("insights/_actor_statistics.html", {"actor": actor})

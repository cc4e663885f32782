"""Atom feeds of new and updated cases: all cases, per term, per actor."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Actor, Case, Term


class CaseFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("%(site)s: new and updated cases") % {"site": settings.VISIBLEWORK_SITE_NAME}

    def link(self, obj=None):
        return reverse("cases:browse")

    def subtitle(self, obj=None):
        return _("Cases of AI harm centred on hidden labour.")

    def cases(self, obj):
        return Case.published.all()

    def items(self, obj=None):
        return (
            self.cases(obj)
            .order_by("-updated_at", "-id")
            .prefetch_related("case_actors__actor", "terms")[: settings.VISIBLEWORK_FEED_ITEMS]
        )

    def item_title(self, item: Case) -> str:
        return item.title

    def item_description(self, item: Case) -> str:
        return item.summary

    def item_link(self, item: Case) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Case) -> str:
        return f"visiblework:case:{item.pk}"

    def item_pubdate(self, item: Case):
        return item.published_at or item.created_at

    def item_updateddate(self, item: Case):
        return item.updated_at

    def item_categories(self, item: Case):
        return [term.name for term in item.terms.all()]


class TermFeed(CaseFeed):
    def get_object(self, request, taxonomy: str, slug: str):
        return get_object_or_404(Term.objects.select_related("taxonomy"),
                                 taxonomy__key=taxonomy, slug=slug)

    def title(self, obj):
        return _("%(site)s: cases in %(term)s") % {
            "site": settings.VISIBLEWORK_SITE_NAME, "term": _(obj.name)}

    def link(self, obj):
        return obj.get_absolute_url()

    def cases(self, obj):
        return Case.published.filter(terms=obj)


class ActorFeed(CaseFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Actor, slug=slug)

    def title(self, obj):
        return _("%(site)s: cases involving %(actor)s") % {
            "site": settings.VISIBLEWORK_SITE_NAME, "actor": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def cases(self, obj):
        return Case.published.filter(case_actors__actor=obj).distinct()

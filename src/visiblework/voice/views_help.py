"""Who can help: the directory (/help/), an organisation's page (/help/<slug>/), suggesting an
organisation or a correction (/help/suggest/) and the Atom feed of the directory."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from visiblework.cases.views_contribute import submitted_page
from visiblework.core.querylinks import QueryLinks
from visiblework.core.ratelimit import allow

from . import help as services
from .forms_help import forms_for, initial_forms, proposal_from_forms
from .models import HelpProfile

PER_PAGE = 20
SUGGESTIONS_PER_HOUR = 20  # as many as /contribute/ allows


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    links = QueryLinks(request.GET)
    try:
        filters = services.parse_filters(request.GET)
    except services.BadFilters as exc:
        return render(request, "voice/help.html", {
            "errors": exc.messages, "filters": services.HelpFilters(), "page": None,
            "choices": services.filter_choices()}, status=400)
    page = Paginator(services.directory(filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "voice/help.html", {
        "filters": filters, "page": page,
        "organisations": [services.describe(p, full=False) for p in page.object_list],
        "choices": services.filter_choices(), "links": links,
        "filtered": bool(filters.pairs()),
    })


@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    profile = services.published_profile(slug)
    if profile is None:
        raise Http404(_("No organisation in the directory has this address."))
    return render(request, "voice/help_organisation.html", {
        "o": services.describe(profile),
        "cases_url": profile.actor.get_absolute_url(),
    })


def _organisation_to_correct(request: HttpRequest) -> HelpProfile | None:
    slug = (request.GET.get("organisation") or request.POST.get("organisation") or "")[:120]
    if not slug:
        return None
    profile = services.published_profile(slug)
    if profile is None:
        raise Http404(_("No organisation in the directory has this address."))
    return profile


@never_cache
def suggest(request: HttpRequest) -> HttpResponse:
    profile = _organisation_to_correct(request)
    errors: list[str] = []
    if request.method == "POST":
        form, contacts, sources = forms_for(request.POST)
        status = 400
        if not allow(request, "contribute", SUGGESTIONS_PER_HOUR):
            errors.append(_("Too many suggestions from here in the last hour. Please try again "
                            "later; nothing you typed is lost."))
            status = 429
        elif form.is_valid() and contacts.is_valid() and sources.is_valid():
            try:
                submitted = services.suggest(
                    proposal_from_forms(form, contacts, sources),
                    organisation=profile.actor if profile else None,
                    note=form.cleaned_data.get("note", ""),
                    honeypot=form.cleaned_data.get("website", ""))
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                return submitted_page(request, submitted)
    else:
        status = 200
        form, contacts, sources = (initial_forms(services.organisation_data(profile))
                                   if profile else initial_forms(None))
    return render(request, "voice/help_suggest.html", {
        "form": form, "contacts": contacts, "sources": sources, "errors": errors,
        "profile": profile,
    }, status=status)


class HelpFeed(Feed):
    """New and updated organisations in the directory."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return _("%(site)s: organisations that help") % {"site": settings.VISIBLEWORK_SITE_NAME}

    def link(self) -> str:
        return reverse("voice:help")

    def subtitle(self) -> str:
        return _("Organisations that support data workers and users, with their sources.")

    def items(self) -> list[HelpProfile]:
        return list(HelpProfile.objects.filter(published=True).select_related("actor")
                    .order_by("-updated_on", "-id")[: settings.VISIBLEWORK_FEED_ITEMS])

    def item_title(self, item: HelpProfile) -> str:
        return item.actor.name

    def item_description(self, item: HelpProfile) -> str:
        return item.summary

    def item_link(self, item: HelpProfile) -> str:
        return reverse("voice:help-organisation", args=[item.actor.slug])

    def item_guid(self, item: HelpProfile) -> str:
        return f"visiblework:help:{item.actor_id}"

    def item_pubdate(self, item: HelpProfile) -> datetime:
        return item.actor.created_at

    def item_updateddate(self, item: HelpProfile) -> datetime:
        return timezone.make_aware(datetime.combine(item.updated_on, time.min),
                                   timezone.get_default_timezone())

    def item_categories(self, item: HelpProfile) -> list[str]:
        return [str(label) for label in services.describe(item, full=False)["help_kinds"]]

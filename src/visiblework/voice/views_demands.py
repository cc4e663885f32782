"""Pages of collective demands: the index, the proposal form, a demand's page (in escrow until
its published noisy count passes the threshold), support and withdrawal, the representative's
answer and a demand's Atom feed. Business rules are in demands.py.

What a page shows never depends on live support rows, except whether the signed-in worker
looking at it supports the demand: no count, no ordering, no header changes when someone
supports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from visiblework.cases.models import Actor

from . import demands
from .forms_demands import DemandForm
from .models import Demand, DemandStatus

PAGE = 20
ACTOR_CHOICES_MAX = 200


def _approved_or_404(public_id: str) -> Demand:
    demand = demands.approved().filter(public_id=public_id).first()
    if demand is None:
        raise Http404
    return demand


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    listed = demands.approved().order_by("-approved_on", "-id")
    status = request.GET.get("status", "")
    if status in demands.APPROVED:
        listed = listed.filter(status=status)
    else:
        status = ""
    actor_slug = request.GET.get("actor", "")
    actor = Actor.objects.filter(slug=actor_slug).first() if actor_slug else None
    if actor is not None:
        listed = listed.filter(addressed=actor)
    page = Paginator(listed, PAGE).get_page(request.GET.get("page"))
    actors = (Actor.objects.filter(demands__status__in=demands.APPROVED).distinct()
              .order_by("name").values("slug", "name")[:ACTOR_CHOICES_MAX])
    return render(request, "voice/demands.html", {
        "page": page, "status": status, "actor": actor, "actors": actors,
        "statuses": [(s.value, s.label) for s in DemandStatus if s.value in demands.APPROVED],
        "threshold_default": settings.VISIBLEWORK_DEMAND_THRESHOLD,
        "can_propose": demands.is_worker(request.user),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not demands.is_worker(request.user):
        return render(request, "voice/demand_new.html", {"refused": True}, status=403)
    if request.method == "POST":
        form = DemandForm(request.POST)
        if form.is_valid():
            demand = demands.propose(request.user, form.proposal)
            messages.success(request, _("Thank you. Your demand is with the editors; this page "
                                        "shows their decision."))
            return redirect("voice:demand", demand.public_id)
        return render(request, "voice/demand_new.html", {"form": form}, status=400)
    initial = {}
    actor = Actor.objects.filter(slug=request.GET.get("actor", "")).first()
    if actor is not None:
        initial["addressed"] = actor.name
    return render(request, "voice/demand_new.html", {"form": DemandForm(initial=initial)})


@require_safe
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = demands.visible_to(request.user, public_id)
    if demand is None:
        raise Http404
    user = request.user
    return render(request, "voice/demand.html", {
        "demand": demand,
        "approved": demand.status in demands.APPROVED,
        "supportable": demand.status in demands.SUPPORTABLE,
        "count_public": demands.count_is_public(demand),
        "is_worker": demands.is_worker(user),
        "supports": demands.supports(user, demand),
        "can_answer": demands.can_answer(user, demand),
        "answers": demands.answers(demand),
        "replies": demands.replies(demand),
        "is_proposer": user.is_authenticated and demand.proposer_id == user.pk,
    })


@require_POST
def support(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = _approved_or_404(public_id)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("voice:demand", args=[demand.public_id]))
    action = request.POST.get("action", "support")
    if action not in ("support", "withdraw"):
        messages.error(request, _("Choose to support the demand or to withdraw your support."))
        return redirect("voice:demand", demand.public_id)
    try:
        if action == "withdraw":
            demands.withdraw(demand, request.user)
            messages.success(request, _("Your support is withdrawn. Nothing about it is kept."))
        else:
            demands.support(demand, request.user)
            messages.success(request, _("You support this demand. Only you can see that you "
                                        "do; you can withdraw at any time."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("voice:demand", demand.public_id)


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = _approved_or_404(public_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not demands.can_answer(request.user, demand):
        raise Http404
    existing = demand.answers.filter(author=request.user).first()
    text = existing.text if existing else ""
    error = ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            demands.answer(demand, request.user, text)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:  # lost the verification meanwhile
            raise Http404 from None
        else:
            messages.success(request, _("Your answer is published on the demand's page."))
            return redirect("voice:demand", demand.public_id)
    return render(request, "voice/demand_answer.html",
                  {"demand": demand, "text": text, "error": error}, status=400 if error else 200)


# --- The Atom feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One item of a demand's feed: its approval, a status an editor set, an answer, or a
    count publication. Supports are never events."""

    key: str  # with the demand's public id: the entry's id
    title: str
    text: str
    day: datetime.date
    link: str


def events(demand: Demand) -> list[Event]:
    page = reverse("voice:demand", args=[demand.public_id])
    out = []
    if demand.approved_on:
        out.append(Event(f"{demand.public_id}:approved", _("The demand is open for support"), demand.text,
                         demand.approved_on, f"{page}#demand"))
    if demand.published_count is not None and demand.count_published_on:
        out.append(Event(
            f"{demand.public_id}:count:{demand.count_published_on.isoformat()}",
            _("Published count of supporters: about %(n)d") % {"n": demand.published_count},
            _("A noisy count (differential privacy, ε = %(eps)s for this count)")
            % {"eps": f"{demand.count_epsilon:g}"}, demand.count_published_on, f"{page}#support"))
    if demand.status in demands.EDITOR_STATUSES and demand.status_changed_on:
        out.append(Event(f"{demand.public_id}:status:{demand.status}", _("Status: %(status)s")
                         % {"status": demand.get_status_display()}, "", demand.status_changed_on,
                         f"{page}#demand"))
    for reply in demands.answers(demand):
        out.append(Event(f"{demand.public_id}:answer:{reply.pk}:{reply.updated_on.isoformat()}",
                         _("%(actor)s answered") % {"actor": demand.addressed.name}, reply.text,
                         reply.updated_on, f"{page}#answers"))
    return sorted(out, key=lambda e: (e.day, e.key), reverse=True)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


class DemandFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, public_id: str) -> Demand:
        return _approved_or_404(public_id)

    def title(self, obj: Demand) -> str:
        return _("%(site)s: demand “%(title)s”") % {"site": settings.VISIBLEWORK_SITE_NAME,
                                                    "title": obj.title}

    def link(self, obj: Demand) -> str:
        return reverse("voice:demand", args=[obj.public_id])

    def subtitle(self, obj: Demand) -> str:
        return _("Addressed to %(actor)s") % {"actor": obj.addressed.name}

    def items(self, obj: Demand) -> list[Event]:
        return events(obj)

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        return item.text

    def item_link(self, item: Event) -> str:
        return item.link

    def item_guid(self, item: Event) -> str:
        return f"visiblework:demand:{item.key}"

    def item_guid_is_permalink(self, item: Event) -> bool:
        return False

    def item_updateddate(self, item: Event) -> datetime.datetime:
        return _midnight(item.day)

    def item_pubdate(self, item: Event) -> datetime.datetime:
        return _midnight(item.day)

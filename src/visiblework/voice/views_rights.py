"""/rights/: write a data-rights letter; /rights/follow-up/: say what happened to one.

The letter's personal fields are used for this one response only: the view is never cached
(Cache-Control: no-store, and it is not in the site's page cache), Django's error reports hide
the fields (sensitive_post_parameters), the log filter redacts them (core/logredact.py), and
nothing is put in the session, the messages or the audit log.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from visiblework.core.ratelimit import allow

from . import rights as service
from .laws import LAWS, REQUESTS
from .letters import NoSuchRight, compose

FOLLOW_UPS_PER_HOUR = 20
PERSONAL_FIELDS = ("name", "email", "details")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response


@sensitive_post_parameters(*PERSONAL_FIELDS)
@never_cache
def rights(request: HttpRequest) -> HttpResponse:
    contacts = service.companies()
    release, rates = service.published_rates()
    context = {"laws": LAWS, "requests": REQUESTS, "contacts": contacts,
               "release": release, "rates": rates, "letter": None, "refusal": None}
    status = 200
    if request.method == "POST":
        form = service.RightsLetterForm(request.POST, contacts=contacts)
        if form.is_valid():
            data = form.cleaned_data
            try:
                letter = compose(service.addressee(form.contact()), data["law"], data["request"],
                                 name=data["name"], email=data["email"],
                                 details=data["details"], language=data["language"])
            except NoSuchRight as refusal:
                context["refusal"] = refusal
            else:
                if "download" in request.POST:
                    response = HttpResponse(letter.as_download(),
                                            content_type="text/plain; charset=utf-8")
                    response["Content-Disposition"] = (
                        f'attachment; filename="rights-letter-{letter.law.key}-'
                        f'{letter.request}.txt"')
                    return _no_store(response)
                context["letter"] = letter
        else:
            status = 400
    else:
        form = service.RightsLetterForm(contacts=contacts)
    context["form"] = form
    return _no_store(render(request, "voice/rights.html", context, status=status))


@never_cache
def follow_up(request: HttpRequest) -> HttpResponse:
    contacts = service.companies()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = service.FollowUpForm(request.POST, contacts=contacts)
        if not allow(request, "rights-follow-up", FOLLOW_UPS_PER_HOUR):
            errors.append(_("Too many answers from here in the last hour. Please try again "
                            "later."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if not data.get("website"):  # the honeypot: bots are thanked and nothing is kept
                service.record_follow_up(actor=form.contact().actor, law=data["law"],
                                        request=data["request"], month_sent=form.month_sent(),
                                        outcome=data["outcome"], user=request.user)
            return render(request, "voice/rights_follow_up_done.html", status=201)
        else:
            status = 400
    else:
        form = service.FollowUpForm(contacts=contacts)
    return render(request, "voice/rights_follow_up.html",
                  {"form": form, "errors": errors, "contacts": contacts}, status=status)

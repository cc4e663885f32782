"""Optional pseudonymous worker accounts: sign up with a generated handle, sign in, recover
with a one-time code, see your own reports and wage over time, delete everything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from visiblework.accounts import workers
from visiblework.core.formats import quarter
from visiblework.core.ratelimit import allow

from .charts import line_chart
from .models import ReportStatus
from .services import wage_of

BACKEND = "django.contrib.auth.backends.ModelBackend"
SIGNUP_HANDLE = "signup_handle"  # the account name offered to this browser


def _offered_handle(request: HttpRequest) -> str:
    """The generated account name this browser was shown. Names are made by the server only:
    a name sent in the form is never read."""
    handle = request.session.get(SIGNUP_HANDLE)
    if not handle:
        handle = workers.generate_handle()
        request.session[SIGNUP_HANDLE] = handle
    return handle


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    handle = _offered_handle(request)
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        if password != request.POST.get("password2", ""):
            error = _("The two passwords are not the same.")
        elif not allow(request, "signup", 10):
            error = _("Too many new accounts from here in the last hour.")
        else:
            try:
                user, codes = workers.create_worker(password, handle=handle)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                request.session.pop(SIGNUP_HANDLE, None)
                login(request, user, backend=BACKEND)
                return render(request, "reports/account_created.html",
                              {"handle": user.username, "codes": codes}, status=201)
    return render(request, "reports/signup.html", {"handle": handle, "error": error},
                  status=400 if error else 200)


class WorkerLoginView(LoginView):
    template_name = "reports/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        return self.get_redirect_url() or "/accounts/me/"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("cases:home")


@never_cache
def recover(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if not allow(request, "recover", 10):
            error = _("Too many tries from here. Please wait an hour.")
        else:
            try:
                user = workers.recover(request.POST.get("handle", ""),
                                       request.POST.get("code", ""),
                                       request.POST.get("password", ""))
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if user is None:
                    error = _("That name and recovery code do not match an unused code.")
                else:
                    login(request, user, backend=BACKEND)
                    messages.success(request, _("Your password is changed. That recovery code "
                                                "cannot be used again."))
                    return redirect("reports:me")
    return render(request, "reports/recover.html", {"error": error}, status=400 if error else 200)


@never_cache
def me(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    reports = list(request.user.reports.select_related("platform", "client")
                   .order_by("year", "quarter", "id")[:200])
    rows, points = [], []
    for report in reports:
        wage = wage_of(report) if report.status != ReportStatus.WITHDRAWN else None
        rows.append((report, wage))
        if wage and wage.usd:
            points.append((quarter(report.year, report.quarter), wage.usd.effective_hourly))
    chart = line_chart(points[-12:], title=_("Your true hourly wage in US dollars, by quarter"),
                       unit="USD")
    return render(request, "reports/me.html", {"rows": rows, "chart": chart, "points": points})


@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("reports:login")
    if request.POST.get("confirm") != request.user.username:
        messages.error(request, _("Type your account name to confirm."))
        return redirect("reports:me")
    user = request.user
    logout(request)
    workers.delete_worker(user)
    messages.success(request, _("Your account and all its reports are deleted."))
    return redirect("cases:home")

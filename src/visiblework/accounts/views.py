"""Optional pseudonymous worker accounts: sign up with a generated handle, sign in, recover
with a one-time code, see your own page, delete everything. And company accounts, kept apart,
for the right of reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from visiblework.core.ratelimit import allow
from visiblework.core.sections import sections

from . import services, workers

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
                return render(request, "accounts/account_created.html",
                              {"handle": user.username, "codes": codes}, status=201)
    return render(request, "accounts/signup.html", {"handle": handle, "error": error},
                  status=400 if error else 200)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


@never_cache
def signup_company(request: HttpRequest) -> HttpResponse:
    """A company account, to ask for the right of reply. Never made from a signed-in account:
    a worker's anonymous account stays apart from any company one."""
    page = {"next": _safe_next(request), "username": request.POST.get("username", "")[:150]}
    error = ""
    if request.method == "POST":
        if request.user.is_authenticated:
            error = _("Sign out first: a company account is a separate account.")
        elif request.POST.get("password", "") != request.POST.get("password2", ""):
            error = _("The two passwords are not the same.")
        elif not allow(request, "signup", 10):
            error = _("Too many new accounts from here in the last hour.")
        else:
            try:
                user, codes = services.create_company_account(page["username"],
                                                              request.POST.get("password", ""))
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                login(request, user, backend=BACKEND)
                return render(request, "accounts/company_account_created.html",
                              {**page, "handle": user.username, "codes": codes}, status=201)
    return render(request, "accounts/signup_company.html", {**page, "error": error},
                  status=400 if error else 200)


class WorkerLoginView(LoginView):
    template_name = "accounts/login.html"
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
                    return redirect("accounts:me")
    return render(request, "accounts/recover.html", {"error": error}, status=400 if error else 200)


@never_cache
def me(request: HttpRequest) -> HttpResponse:
    """The worker's own page: their account, and what the apps above add to it (their
    reports and wage over time: settings.VISIBLEWORK_PAGE_SECTIONS["account"])."""
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    return render(request, "accounts/me.html", {"sections": sections("account", request)})


@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.POST.get("confirm") != request.user.username:
        messages.error(request, _("Type your account name to confirm."))
        return redirect("accounts:me")
    user = request.user
    logout(request)
    workers.delete_worker(user)
    messages.success(request, _("Your account and all its reports are deleted."))
    return redirect("cases:home")

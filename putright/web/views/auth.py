"""Signing in and out, the account page, passwords, and the second factor.

Django's authentication views do the work; these wrap them in the Design
System's pages and add what the workspace needs: a lockout page that says when
to try again (django-axes counts the failures), a code from an authenticator
app for administrators and for staff who choose it (django-otp), and an
administration site that asks for that code too.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

import segno
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.accounts.invitations import invitation_tokens
from putright.accounts.models import Role, User
from putright.accounts.oidc import provider as oidc_provider
from putright.procedure.wording import long_datetime
from putright.web.access import needs_second_factor, staff_user, staff_view
from putright.web.forms.account import EmailSettingsForm
from putright.web.forms.auth import (
    ChangePasswordForm,
    CodeForm,
    NewPasswordForm,
    ResetPasswordForm,
    SignInForm,
)

RESET_MINUTES = settings.PASSWORD_RESET_TIMEOUT // 60
TWO_FACTOR_ON = (
    "Two-factor authentication is on. You will be asked for a code from your app each time you sign in."
)


def second_factor_required(user: User) -> bool:
    """Administrators may not do without the second factor; other staff choose."""
    return user.is_superuser or user.role == Role.ADMINISTRATOR


def _verified(user: Any) -> bool:
    """Whether this session has given a code (a user just signed in has not)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def _next_url(request: HttpRequest) -> str:
    """Where to go after the second factor: the page asked for, if it is one of ours.

    Only a path of this site counts (issue 15): ``?next=abc`` is neither a path nor a URL, and
    ``redirect`` would take it for a view's name and fail with a 500, so it means "home".
    """
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse("web:home")


# Signing in and out ---------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "web/auth/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cool_off = get_cool_off(self.request) or dt.timedelta(0)
        return super().get_context_data(
            attempts=settings.AXES_FAILURE_LIMIT,
            lockout_minutes=int(cool_off.total_seconds() // 60),
            **self._organisation_account(),
            **kwargs,
        )

    def _organisation_account(self) -> dict[str, Any]:
        """The provider's button, first, when staff sign in with their organisation's account
        (issue 14, oidc); the password form stays below it for administrators."""
        if not oidc_provider.is_on():
            return {"oidc_on": False}
        start = reverse("web:oidc-start")
        wanted = self.get_redirect_url()
        return {
            "oidc_on": True,
            "oidc_url": _with_next(start, wanted) if wanted else start,
            "oidc_name": settings.PUTRIGHT_OIDC_PROVIDER_NAME,
            "passwords_for_everyone": oidc_provider.passwords_for_everyone(),
        }

    def get_success_url(self) -> str:
        """After the password, the code, for those who use one; then the page they asked for."""
        url = super().get_success_url()
        user = self.request.user
        if user.is_authenticated and needs_second_factor(user) and not _verified(user):
            return _with_next(reverse("web:two-factor"), url)
        return url


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked username: what happened, when to try again, who can help."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    return render(
        request,
        "web/auth/locked_out.html",
        {"username": username, "until": _unlocked_at(request, username)},
        status=429,  # Too Many Requests, as django-axes answers
    )


def _unlocked_at(request: HttpRequest, username: str) -> str:
    """The cool-off runs from the last counted failure; shown rounded up to the minute."""
    last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    cool_off = get_cool_off(request) or dt.timedelta(0)
    until = timezone.localtime((last or timezone.now()) + cool_off)
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return long_datetime(until, weekday=True)


# The account ----------------------------------------------------------------


@staff_view(capability=None)
def account(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "web/auth/account.html",
        {
            "organisations": list(user.organisations.order_by("name")),
            "team": user.team,
            "has_second_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "second_factor_required": second_factor_required(user),
        },
    )


@staff_view(capability=None)
def email_settings(request: HttpRequest) -> HttpResponse:
    """The emails a member of staff chooses to get: for now, the morning digest of their work."""
    user = staff_user(request)
    form = EmailSettingsForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        choice = "will get" if user.receives_daily_digest else "will not get"
        messages.success(request, f"Your email settings are saved. You {choice} a daily digest of your work.")
        return redirect("web:account")
    status = 400 if form.errors else 200
    return render(request, "web/auth/email_settings.html", {"form": form}, status=status)


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "web/auth/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("web:account")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


class ResetPasswordView(auth_views.PasswordResetView):
    template_name = "web/auth/password_reset.html"
    form_class = ResetPasswordForm
    email_template_name = "web/auth/password_reset_email.txt"
    subject_template_name = "web/auth/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-sent")

    extra_email_context = {"landlord_name": settings.PUTRIGHT_LANDLORD_NAME, "minutes": RESET_MINUTES}


class NewPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "web/auth/password_reset_confirm.html"
    extra_context = {"minutes": RESET_MINUTES}
    form_class = NewPasswordForm
    success_url = reverse_lazy("web:password-reset-complete")

    def form_valid(self, form: Form) -> HttpResponse:
        """A new password also lifts a lockout: whoever chose it has the account's email."""
        response = super().form_valid(form)
        reset_lockout(username=self.user.get_username())
        return response


# issue 14, landlord: the link in the invitation ``putright setup`` sends to new staff
class InvitationView(NewPasswordView):
    """A new member of staff chooses their first password, then signs in with it.

    Signing in (rather than being signed in here) takes them through the same
    door as every day after: the lockout, and for an administrator the page
    that sets up their second factor before anything else.
    """

    template_name = "web/auth/invitation.html"
    token_generator = invitation_tokens
    extra_context = {"days": settings.PUTRIGHT_INVITATION_DAYS}
    success_url = reverse_lazy("web:sign-in")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        then = (
            " Then set up a code from an authenticator app: administrators must use one."
            if second_factor_required(self.user)
            else ""
        )
        messages.success(
            self.request,
            f"Your password is set. Sign in with your username, {self.user.get_username()}, "
            f"and your new password.{then}",
        )
        return response


# The second factor ----------------------------------------------------------


def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the user's app, or set the app up when they have none yet."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return _set_up(request, user, next_url)
    if _verified(user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(form, device):
        otp_login(request, device)
        return redirect(next_url)
    return render(request, "web/auth/two_factor.html", {"form": form, "next": next_url})


def _set_up(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """A new secret for the app, shown as a QR code and as text; confirmed by a first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(form, device):
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        otp_login(request, device)
        messages.success(request, TWO_FACTOR_ON)
        return redirect(next_url)
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "required": second_factor_required(user),
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "web/auth/two_factor_setup.html", context)


def _check_code(form: CodeForm, device: TOTPDevice) -> bool:
    """Verify a code once (locking the device so a code is never accepted twice), with the
    device's own throttling: each wrong code doubles the wait before the next try."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = locked.verify_is_allowed()
        if not allowed:
            form.add_error("code", _wait_message((details or {}).get("locked_until")))
            return False
        if locked.verify_token(form.cleaned_data["code"]):
            return True
    form.add_error("code", "The code is not correct. Enter the code your app shows now.")
    return False


def _wait_message(until: dt.datetime | None) -> str:
    seconds = max(1, math.ceil(((until or timezone.now()) - timezone.now()).total_seconds()))
    wait = (
        f"{seconds} second{'s' if seconds > 1 else ''}"
        if seconds < 120
        else f"{math.ceil(seconds / 60)} minutes"
    )
    return f"Too many wrong codes. Wait {wait}, then enter the code your app shows."


@staff_view(capability=None)
def two_factor_off(request: HttpRequest) -> HttpResponse:
    """Staff who chose a second factor may give it up; administrators may not."""
    user = staff_user(request)
    if second_factor_required(user):
        raise PermissionDenied("Administrators must use two-factor authentication.")
    if not TOTPDevice.objects.filter(user=user).exists():
        return redirect("web:account")
    if request.method == "POST":
        TOTPDevice.objects.filter(user=user).delete()
        messages.success(
            request, "Two-factor authentication is off. You will sign in with your password only."
        )
        return redirect("web:account")
    return render(request, "web/auth/two_factor_off.html")


# The administration site ----------------------------------------------------


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in is the workspace's: the same lockout, and always the second factor."""
    next_url = _next_url(request) if request.GET.get(REDIRECT_FIELD_NAME) else reverse("admin:index")
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(next_url)
    if user.is_active and user.is_staff and not _verified(user):
        return redirect(_with_next(reverse("web:two-factor"), next_url))
    raise PermissionDenied("Only administrators may use the administration site.")


class SecondFactorAdminSite(OTPAdminSite):  # type: ignore[misc]
    """The Django admin, open only to staff users who have given a code this session."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return admin_sign_in(request)


def _signed_in(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponse]:
    """A class-based view behind the same checks as every other workspace page."""
    return staff_view(capability=None)(cast(Callable[..., HttpResponse], view))


urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
    path("account/", account, name="account"),
    path("account/emails/", email_settings, name="email-settings"),
    path("account/password/", _signed_in(ChangePasswordView.as_view()), name="password-change"),
    path("account/two-factor/", two_factor, name="two-factor"),
    path("account/two-factor/turn-off/", two_factor_off, name="two-factor-off"),
    path("password-reset/", ResetPasswordView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="web/auth/password_reset_sent.html", extra_context={"minutes": RESET_MINUTES}
        ),
        name="password-reset-sent",
    ),
    path("password-reset/<uidb64>/<token>/", NewPasswordView.as_view(), name="password-reset-confirm"),
    path("invitation/<uidb64>/<token>/", InvitationView.as_view(), name="invitation"),  # issue 14, landlord
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/auth/password_reset_complete.html"),
        name="password-reset-complete",
    ),
]

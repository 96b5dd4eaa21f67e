"""Signing in and out, the account page, and the second factor."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from putright.web.access import staff_view


@staff_view(capability=None)
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "web/auth/account.html")


def two_factor(request: HttpRequest) -> HttpResponse:
    return render(request, "web/auth/two_factor.html")


urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="web/auth/sign_in.html", redirect_authenticated_user=True),
        name="sign-in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("account/", account, name="account"),
    path("account/two-factor/", two_factor, name="two-factor"),
]

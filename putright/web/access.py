"""Who may open a page: signed in, second factor where needed, and the role's capability.

Every workspace view is wrapped in ``staff_view``. A case outside the user's
organisations is "not found" (404), as in the API; a page the role does not
allow is "forbidden" (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from putright.accounts.models import Role, User
from putright.accounts.permissions import Capability, can

View = TypeVar("View", bound=Callable[..., HttpResponse])


def needs_second_factor(user: User) -> bool:
    """Administrators must use a code from an app; other staff may choose to."""
    return user.is_superuser or user.role == Role.ADMINISTRATOR or user_has_device(user)


def second_factor_missing(request: HttpRequest) -> bool:
    user = cast(User, request.user)
    return needs_second_factor(user) and not user.is_verified()  # type: ignore[attr-defined]


def staff_user(request: HttpRequest) -> User:
    """The signed-in member of staff (the view is wrapped in ``staff_view``)."""
    return cast(User, request.user)


def staff_view(capability: Capability | None = Capability.VIEW_CASES) -> Callable[[View], View]:
    """Wrap a view: sign-in, then the second factor, then the role's capability."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                return redirect_to_login(request.get_full_path())
            if second_factor_missing(request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('web:two-factor')}?{query}")
            if capability is not None and not can(user, capability):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorate

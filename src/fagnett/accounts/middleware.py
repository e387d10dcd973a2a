from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from fagnett.accounts.roles import is_staff_level

# Paths a user without two-factor authentication may still reach: setting it up, logging out, the
# statements every page links to, and static files.
_OPEN_PREFIXES = ("/konto/", "/static/", "/tilgjengelighet/", "/personvern/", "/i18n/")


class RequireMfaMiddleware:
    """With FAGNETT_REQUIRE_MFA_FOR_STAFF on, send staff-level users to TOTP set-up until they have it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.FAGNETT_REQUIRE_MFA_FOR_STAFF
            and request.user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and is_staff_level(request.user)
            and not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

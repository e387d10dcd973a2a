from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fagnett.networks.access import access_for, landing_url, networks_for_user


def home(request: HttpRequest) -> HttpResponse:
    """The start page: straight to the user's network when there is one, a list when there are several."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    networks = list(networks_for_user(request.user))
    if len(networks) == 1:
        return redirect(landing_url(access_for(request.user, networks[0])))
    return render(request, "core/home.html", {"networks": networks})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")

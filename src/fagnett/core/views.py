from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fagnett.accounts.models import User
from fagnett.networks.access import access_for, landing_url, networks_for_user
from fagnett.networks.models import Membership, ReaderScope, Role


def _overview_reach(user: Any) -> tuple[bool, bool]:
    """(has a reader scope, coordinates a network) in one query, whatever the number of scopes or roles."""
    today = timezone.localdate()
    coordinates = Membership.objects.active_on(today).filter(
        person__user=OuterRef("pk"), role__code__in=Role.COORDINATING_CODES, chapter__isnull=True
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            scoped=Exists(ReaderScope.objects.filter(user=OuterRef("pk"))), coordinates=Exists(coordinates)
        )
        .values_list("scoped", "coordinates")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row is not None else (False, False)


def home(request: HttpRequest) -> HttpResponse:
    """The start page: straight to the user's network when there is one, a list when there are several.

    A user with a reader scope stays here even with one network, since the overview across networks is what
    the scope is for; they and network coordinators get the links to it."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    scoped, coordinates = _overview_reach(request.user)
    networks = list(networks_for_user(request.user))
    if len(networks) == 1 and not scoped:
        return redirect(landing_url(access_for(request.user, networks[0])))
    return render(request, "core/home.html", {"networks": networks, "show_overview": scoped or coordinates})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fagnett.networks.access import Need, network_for_user
from fagnett.networks.queries import dashboard_facts


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    today = timezone.localdate()
    return render(
        request,
        "networks/dashboard.html",
        {
            "access": access,
            "network": access.network,
            "nav": "dashboard",
            "facts": dashboard_facts(access.network, today),
            "today": today,
        },
    )

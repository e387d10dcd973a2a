from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fagnett.networks.access import Need, network_for_user
from fagnett.networks.queries import dashboard_facts
from fagnett.overview.maps import legend
from fagnett.overview.network_map import network_map

MAP_ID = "dashboard-map"


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    today = timezone.localdate()
    facts = dashboard_facts(access.network, today)
    coverage_url = reverse("networks:coverage", args=[slug])
    return render(
        request,
        "networks/dashboard.html",
        {
            "access": access,
            "network": access.network,
            "nav": "dashboard",
            "facts": facts,
            # The map reuses the coverage facts above: it adds no query to the page.
            "map_id": MAP_ID,
            "map_legend": legend(),
            "coverage_map": network_map(
                facts.coverage, map_id=MAP_ID, link=lambda number: f"{coverage_url}#kommune-{number}"
            ),
            "today": today,
        },
    )

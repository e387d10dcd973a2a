"""The plans hub: the network's dissemination plans, goals, indicators, priority areas, economy, partners and
learning resources for one year (?aar=), each block linking to its own page. Read by coordinators, chapter
coordinators and readers; the network coordinator also sees the "add" links."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fagnett.core.years import FIRST_YEAR, LAST_YEAR, year_param
from fagnett.plans.access import plans_access
from fagnett.plans.hub_queries import hub_facts


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    year = year_param(request.GET.get("aar"))
    return render(
        request,
        "plans/hub/overview.html",
        {
            "access": access,
            "network": access.network,
            "nav": "plans",
            "facts": hub_facts(access.network, year),
            "year": year,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        },
    )

"""The plans hub: the network's dissemination plans, goals, indicators, priority areas, economy, partners and
learning resources for one year (?aar=), each block linking to its own page. Read by coordinators, chapter
coordinators and readers; the network coordinator also sees the "add" links."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from fagnett.plans.access import plans_access
from fagnett.plans.hub_queries import hub_facts
from fagnett.plans.partner_services import FIRST_YEAR, LAST_YEAR


def parse_year(value: str | None) -> int:
    """The year in ?aar= (four ASCII digits, 1950–2100), or this year for anything else."""
    text = (value or "").strip()
    if len(text) == 4 and text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return timezone.localdate().year


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    year = parse_year(request.GET.get("aar"))
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

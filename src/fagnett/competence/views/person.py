"""A person's competence plan and a leader's view of their staff.

- person_plan: the person themself, their line manager, the network's coordinators and the coordinators of
  the person's local chapters (networks.access.person_for_user); 404 for everyone else.
- staff: line managers only (a coordinator who leads nobody has the matrix instead); 404 for everyone else.

Statuses come from competence.engine through competence.person_queries; the views only parse the year.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from fagnett.competence.person_queries import months_rule, person_plan_facts, staff_facts
from fagnett.competence.reminders import reminders_enabled
from fagnett.core.years import requested_year
from fagnett.networks.access import Need, network_for_user, person_for_user

YEAR_PARAMETER = "aar"


@login_required
@require_GET
def person_plan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    person = person_for_user(access, pk)
    # person_for_user found the person in this network: share its row rather than fetch it again.
    person.network = access.network
    facts = person_plan_facts(person, requested_year(request.GET.get(YEAR_PARAMETER)), timezone.localdate())
    own = person.pk in access.own_person_ids
    page_url = reverse("competence:person_plan", args=[slug, person.pk])
    return render(
        request,
        "competence/person_plan.html",
        {
            "access": access,
            "network": access.network,
            "nav": "my_plan" if own else "roster",
            "person": person,
            "facts": facts,
            "is_own": own,
            "months_rule": months_rule(facts.plan.min_months_for_yearly, own=own) if facts.plan else "",
            # The sign-up form sends the person back here (activities.views.registration.signup).
            "back_url": f"{page_url}?{YEAR_PARAMETER}={facts.year}",
            "page_url": page_url,
            # Only the person themself sees (and may change) the choice.
            "reminders_enabled": own and reminders_enabled(person.pk),
        },
    )


@login_required
@require_GET
def staff(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ROSTER)
    if not access.is_leader:
        raise Http404
    facts = staff_facts(access, requested_year(request.GET.get(YEAR_PARAMETER)), timezone.localdate())
    return render(
        request,
        "competence/staff.html",
        {"access": access, "network": access.network, "nav": "staff", "facts": facts},
    )

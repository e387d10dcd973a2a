"""Priority areas per year (satsingsområder): the annual-report template asks for the continued and the new.

- priorities: readers and coordinators (plans_access); its POST (copy last year's areas as continued) and
  every create, edit and delete: the network coordinator (plans_access(..., write=True)); 404 for everyone
  else, as for a missing area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from fagnett.accounts.current import acting_user
from fagnett.core.years import year_param
from fagnett.networks.access import NetworkAccess
from fagnett.networks.forms import add_service_error
from fagnett.plans import annual_services as services
from fagnett.plans.access import owned, plans_access
from fagnett.plans.annual_forms import PriorityForm
from fagnett.plans.annual_queries import priority_lists
from fagnett.plans.models import PriorityArea, PriorityKind

if TYPE_CHECKING:
    pass


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"plans/priorities/{template}",
        {"access": access, "network": access.network, "nav": "plans", **context},
    )


def _back(request: HttpRequest, slug: str, year: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('plans:priorities', args=[slug])}?aar={year}")


@login_required
@require_http_methods(["GET", "POST"])
def priorities(request: HttpRequest, slug: str) -> HttpResponse:
    """The year's two lists. A POST copies last year's areas into the year as continued."""
    year = year_param(request.GET.get("aar"))
    if request.method == "POST":
        access = plans_access(request.user, slug, write=True)
        try:
            copied = services.copy_previous_year(access.network, year, actor=acting_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(f"{reverse('plans:priorities', args=[slug])}?aar={year}")
        if copied:
            message = ngettext(
                "%(count)s priority area was copied from %(year)s as continued.",
                "%(count)s priority areas were copied from %(year)s as continued.",
                copied,
            ) % {"count": copied, "year": year - 1}
        else:
            message = _("Nothing was copied: %(year)s has no priority areas that this year lacks.") % {
                "year": year - 1
            }
        return _back(request, slug, year, message)
    access = plans_access(request.user, slug)
    return _page(
        request,
        "priorities.html",
        access,
        year=year,
        lists=priority_lists(access.network, year),
        can_edit=access.is_coordinator,
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    year = year_param(request.GET.get("aar"))
    kind = request.GET.get("type", "")
    form = PriorityForm.for_area(
        request.POST or None, None, year=year, kind=kind if kind in PriorityKind.values else ""
    )
    if request.method == "POST" and form.is_valid():
        try:
            area = services.create_priority(access.network, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(request, slug, area.year, _("%(title)s was added.") % {"title": area.title})
    return _page(request, "priority_form.html", access, form=form, area=None, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    area = owned(PriorityArea.objects.all(), access, pk)
    form = PriorityForm.for_area(request.POST or None, area, year=area.year)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_priority(area, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(request, slug, area.year, _("%(title)s was saved.") % {"title": area.title})
    return _page(request, "priority_form.html", access, form=form, area=area, year=area.year)


@login_required
@require_http_methods(["GET", "POST"])
def priority_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    area = owned(PriorityArea.objects.all(), access, pk)
    if request.method == "POST":
        title, year = area.title, area.year
        services.delete_priority(area, actor=acting_user(request))
        return _back(request, slug, year, _("%(title)s was deleted.") % {"title": title})
    return _page(request, "priority_delete.html", access, area=area, year=area.year)

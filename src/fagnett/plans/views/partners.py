"""Partner networks (samarbeid med andre nettverk): read by coordinators, chapter coordinators and readers;
changed by the network coordinator. Reads come from plans.hub_queries, writes go through
plans.partner_services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fagnett.accounts.current import acting_user
from fagnett.networks.access import NetworkAccess
from fagnett.networks.forms import add_service_error
from fagnett.plans import partner_services
from fagnett.plans.access import owned, plans_access
from fagnett.plans.hub_queries import partner_list
from fagnett.plans.models import Partner
from fagnett.plans.partner_forms import PartnerForm


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"plans/partners/{template}",
        {"access": access, "network": access.network, "nav": "plans", **context},
    )


def _to_list(slug: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("plans:partners", args=[slug]))


@login_required
@require_GET
def partners(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    return _page(request, "partners.html", access, partners=partner_list(access.network))


@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    form = PartnerForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_services.create_partner(
                access.network, form.partner_data(), actor=acting_user(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The partner %(name)s was added.") % {"name": partner.name})
            return _to_list(slug)
    return _page(request, "partner_form.html", access, form=form, partner=None)


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    partner = owned(Partner.objects.select_related("network"), access, pk)
    form = PartnerForm(request.POST or None, network=access.network, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            changed = partner_services.update_partner(
                partner, form.partner_data(), actor=acting_user(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if changed:
                messages.success(request, _("The changes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return _to_list(slug)
    return _page(request, "partner_form.html", access, form=form, partner=partner)


@login_required
@require_http_methods(["GET", "POST"])
def partner_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    partner = owned(Partner.objects.select_related("network"), access, pk)
    if request.method == "POST":
        partner_services.delete_partner(partner, actor=acting_user(request))
        messages.success(request, _("The partner %(name)s was deleted.") % {"name": partner.name})
        return _to_list(slug)
    return _page(request, "partner_delete.html", access, partner=partner)

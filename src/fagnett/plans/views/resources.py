"""The network's literature and learning-resource list: read by everyone with a role in the network (resource
persons and leaders included, `resources_access`); changed by the network coordinator. Reads come from
plans.hub_queries, writes go through plans.partner_services."""

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
from fagnett.plans.access import owned, resources_access
from fagnett.plans.hub_queries import resource_groups
from fagnett.plans.models import LearningResource
from fagnett.plans.partner_forms import ResourceFilterForm, ResourceForm


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"plans/resources/{template}",
        {"access": access, "network": access.network, "nav": "resources", **context},
    )


def _to_list(slug: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("plans:resources", args=[slug]))


def _resource(access: NetworkAccess, pk: int) -> LearningResource:
    queryset = LearningResource.objects.select_related("network").prefetch_related(
        "activities", "requirements"
    )
    return owned(queryset, access, pk)


@login_required
@require_GET
def resources(request: HttpRequest, slug: str) -> HttpResponse:
    access = resources_access(request.user, slug)
    filters = ResourceFilterForm(request.GET)
    kind = filters.kind()
    return _page(
        request,
        "resources.html",
        access,
        filters=filters,
        kind=kind,
        groups=resource_groups(access.network, kind),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = resources_access(request.user, slug, write=True)
    form = ResourceForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        try:
            resource = partner_services.create_resource(
                access.network, form.resource_data(), actor=acting_user(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The learning resource %(title)s was added.") % {"title": resource.title}
            )
            return _to_list(slug)
    return _page(request, "resource_form.html", access, form=form, resource=None)


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = resources_access(request.user, slug, write=True)
    resource = _resource(access, pk)
    form = ResourceForm(request.POST or None, network=access.network, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            changed = partner_services.update_resource(
                resource, form.resource_data(), actor=acting_user(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if changed:
                messages.success(request, _("The changes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return _to_list(slug)
    return _page(request, "resource_form.html", access, form=form, resource=resource)


@login_required
@require_http_methods(["GET", "POST"])
def resource_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = resources_access(request.user, slug, write=True)
    resource = _resource(access, pk)
    if request.method == "POST":
        partner_services.delete_resource(resource, actor=acting_user(request))
        messages.success(
            request, _("The learning resource %(title)s was deleted.") % {"title": resource.title}
        )
        return _to_list(slug)
    return _page(request, "resource_delete.html", access, resource=resource)

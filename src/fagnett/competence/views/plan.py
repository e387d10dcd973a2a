"""The plan editor: the network's versions of its competence plan and their requirements.

Reading the plan needs Need.AGGREGATES (coordinators, chapter coordinators and readers); every change needs
Need.COORDINATE (network coordinators). A version or requirement of another network is a 404 like a missing
one. Reads come from competence.queries, writes go through competence.plan_services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fagnett.accounts.current import acting_user
from fagnett.competence import plan_services
from fagnett.competence.forms import PlanForm, RequirementForm
from fagnett.competence.models import CompetencePlan
from fagnett.competence.queries import (
    plan_detail_facts,
    plan_for_access,
    plan_versions,
    requirement_for_access,
)
from fagnett.networks.access import Need, NetworkAccess, network_for_user
from fagnett.networks.forms import add_service_error


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"competence/{template}",
        {"access": access, "network": access.network, "nav": "competence", **context},
    )


def _to_plan(slug: str, plan: CompetencePlan) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("competence:plan_detail", args=[slug, plan.pk]))


@login_required
@require_GET
def plans(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    today = timezone.localdate()
    return _page(request, "plans.html", access, versions=plan_versions(access.network, today), today=today)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    versions = plan_versions(access.network, timezone.localdate())
    all_plans = [version.plan for version in versions.versions]
    governing = versions.governing
    # ?kopi=<id> from a version's page chooses what to copy; otherwise the version governing today.
    chosen = next((p for p in all_plans if str(p.pk) == request.GET.get("kopi")), None)
    copy_from = chosen or (governing.plan if governing else (all_plans[-1] if all_plans else None))
    form = PlanForm(request.POST or None, versions=all_plans, copy_from=copy_from)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_services.create_plan_version(
                access.network,
                form.plan_data(),
                source=form.cleaned_data["source"],
                actor=acting_user(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The new version %(name)s was created with a copy of the requirements.")
                % {"name": plan.name},
            )
            return _to_plan(slug, plan)
    return _page(request, "plan_form.html", access, form=form, plan=None)


@login_required
@require_GET
def plan_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.AGGREGATES)
    plan = plan_for_access(access, pk)
    return _page(request, "plan_detail.html", access, facts=plan_detail_facts(plan, timezone.localdate()))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    plan = plan_for_access(access, pk)
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            changed = plan_services.update_plan(plan, form.plan_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if changed:
                messages.success(request, _("The changes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return _to_plan(slug, plan)
    return _page(request, "plan_form.html", access, form=form, plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    plan = plan_for_access(access, pk)
    error = ""
    if request.method == "POST":
        try:
            plan_services.delete_plan(plan, actor=acting_user(request))
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The version %(name)s was deleted.") % {"name": plan.name})
            return HttpResponseRedirect(reverse("competence:plans", args=[slug]))
    facts = plan_detail_facts(plan, timezone.localdate())
    return _page(request, "plan_confirm_delete.html", access, facts=facts, error=error)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    plan = plan_for_access(access, pk)
    form = RequirementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            requirement = plan_services.create_requirement(
                plan, form.requirement_data(), actor=acting_user(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The requirement %(name)s was added.") % {"name": requirement.name})
            return _to_plan(slug, plan)
    return _page(request, "requirement_form.html", access, form=form, plan=plan, requirement=None)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    requirement = requirement_for_access(access, pk)
    form = RequirementForm(request.POST or None, requirement=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            changed = plan_services.update_requirement(
                requirement, form.requirement_data(), actor=acting_user(request)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if changed:
                messages.success(request, _("The changes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return _to_plan(slug, requirement.plan)
    return _page(
        request, "requirement_form.html", access, form=form, plan=requirement.plan, requirement=requirement
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    requirement = requirement_for_access(access, pk)
    if request.method == "POST":
        plan = requirement.plan
        plan_services.delete_requirement(requirement, actor=acting_user(request))
        messages.success(request, _("The requirement %(name)s was deleted.") % {"name": requirement.name})
        return _to_plan(slug, plan)
    return _page(
        request, "requirement_confirm_delete.html", access, requirement=requirement, plan=requirement.plan
    )

"""The roster pages: the list of persons and its export, the person page, and the forms that change persons
and memberships. Reads come from networks.roster, writes go through networks.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fagnett.accounts.current import acting_user
from fagnett.audit.services import log_action
from fagnett.lib.tabular import XLSX_TYPE, to_csv, to_xlsx
from fagnett.networks import services
from fagnett.networks.access import (
    Need,
    NetworkAccess,
    membership_for_user,
    network_for_user,
    person_for_user,
)
from fagnett.networks.forms import (
    EndMembershipForm,
    MembershipForm,
    MoveMembershipForm,
    PersonForm,
    RosterFilterForm,
    add_service_error,
)
from fagnett.networks.models import Person
from fagnett.networks.roster import (
    EXPORT_COLUMNS,
    ExportValue,
    RosterFilters,
    export_rows,
    person_facts,
    roster_choices,
    roster_page,
)


def _context(access: NetworkAccess, nav: str, **extra: Any) -> dict[str, Any]:
    return {"access": access, "network": access.network, "nav": nav, **extra}


def _filters(request: HttpRequest, access: NetworkAccess) -> tuple[RosterFilterForm, RosterFilters]:
    form = RosterFilterForm(request.GET, choices=roster_choices(access))
    return form, form.filters()


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()


@login_required
@require_GET
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ROSTER)
    today = timezone.localdate()
    form, filters = _filters(request, access)
    page = roster_page(access, filters, today, request.GET.get("side"))
    # htmx asks for the results region only; a history restore (back button after a cache miss) needs the
    # whole page.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    context = _context(
        access,
        "roster",
        form=form,
        filters=filters,
        roster=page,
        today=today,
        query=_query_without_page(request),
        partial=partial,
    )
    template = "networks/roster_rows.html" if partial else "networks/roster.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _csv_response(rows: list[tuple[ExportValue, ...]], filename: str) -> HttpResponse:
    response = HttpResponse(to_csv([EXPORT_COLUMNS, *rows]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_response(rows: list[tuple[ExportValue, ...]], filename: str) -> HttpResponse:
    content = to_xlsx([EXPORT_COLUMNS, *rows], title=_("Persons"))
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def roster_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404
    access = network_for_user(request.user, slug, Need.MANAGE)
    today = timezone.localdate()
    _form, filters = _filters(request, access)
    rows = export_rows(access, filters, today)
    filename = f"ressurspersoner-{access.network.slug}-{today.isoformat()}.{fmt}"
    # An export takes personal data out of the system: who took how much is recorded.
    log_action(
        "roster.exported",
        actor=acting_user(request),
        network=access.network,
        data={"rows": len(rows), "format": fmt},
    )
    return _csv_response(rows, filename) if fmt == "csv" else _xlsx_response(rows, filename)


@login_required
@require_GET
def person_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    person = person_for_user(access, pk)
    today = timezone.localdate()
    nav = "me" if person.pk in access.own_person_ids else "roster"
    return render(
        request,
        "networks/person_detail.html",
        _context(access, nav, person=person, facts=person_facts(access, person, today), today=today),
    )


def _person_url(access: NetworkAccess, person: Person) -> str:
    return reverse("networks:person_detail", args=[access.network.slug, person.pk])


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    form = PersonForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            # The person and their first membership are saved together or not at all.
            with transaction.atomic():
                person = services.create_person(
                    access.network,
                    form.person_data(),
                    actor=acting_user(request),
                )
                services.add_membership(
                    person,
                    role=form.cleaned_data["role"],
                    chapter=form.cleaned_data["chapter"],
                    start=form.cleaned_data["start"],
                    actor=acting_user(request),
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect(_person_url(access, person))
    return render(request, "networks/person_form.html", _context(access, "roster", form=form, person=None))


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    person = person_for_user(access, pk, write=True)
    form = PersonForm(request.POST or None, access=access, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_person(
                person,
                form.changes(),
                actor=acting_user(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if changed:
                messages.success(request, _("The changes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(_person_url(access, person))
    return render(request, "networks/person_form.html", _context(access, "roster", form=form, person=person))


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    person = person_for_user(access, pk, write=True)
    form = MembershipForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_membership(
                person,
                role=form.cleaned_data["role"],
                chapter=form.cleaned_data["chapter"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                end_reason=form.cleaned_data["end_reason"],
                actor=acting_user(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The membership was added."))
            return redirect(_person_url(access, person))
    return render(
        request, "networks/membership_form.html", _context(access, "roster", form=form, person=person)
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    membership = membership_for_user(access, pk)
    form = EndMembershipForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(
                membership,
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
                actor=acting_user(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The membership was ended."))
            return redirect(_person_url(access, membership.person))
    return render(
        request,
        "networks/membership_end.html",
        _context(access, "roster", form=form, membership=membership, person=membership.person),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    membership = membership_for_user(access, pk)
    form = MoveMembershipForm(request.POST or None, access=access, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_membership(
                membership,
                chapter=form.cleaned_data["chapter"],
                on=form.cleaned_data["on"],
                actor=acting_user(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The membership was moved."))
            return redirect(_person_url(access, membership.person))
    return render(
        request,
        "networks/membership_move.html",
        _context(access, "roster", form=form, membership=membership, person=membership.person),
    )

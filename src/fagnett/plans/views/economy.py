"""Economy per year: grants, course fees, other income and costs, and the summary.

- economy, economy_export: readers and coordinators (plans_access);
- every create, edit and delete: the network coordinator (plans_access(..., write=True)); 404 for everyone
  else, as for a missing line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fagnett.accounts.current import acting_user
from fagnett.core.years import year_param
from fagnett.lib.tabular import XLSX_TYPE, to_csv, to_xlsx
from fagnett.networks.access import NetworkAccess
from fagnett.networks.forms import add_service_error
from fagnett.plans import annual_services as services
from fagnett.plans.access import owned, plans_access
from fagnett.plans.annual_forms import EconomyLineForm
from fagnett.plans.annual_queries import EconomyYear, amount_csv, economy_year
from fagnett.plans.models import EconomyKind, EconomyLine

if TYPE_CHECKING:
    from decimal import Decimal


CSV_TYPE = "text/csv; charset=utf-8"


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"plans/economy/{template}",
        {"access": access, "network": access.network, "nav": "plans", **context},
    )


def _back(request: HttpRequest, slug: str, year: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('plans:economy', args=[slug])}?aar={year}")


@login_required
@require_GET
def economy(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    year = year_param(request.GET.get("aar"))
    facts = economy_year(access.network, year)
    return _page(
        request,
        "economy.html",
        access,
        year=year,
        economy=facts,
        totals=facts.totals.displayed(),
        can_edit=access.is_coordinator,
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    year = year_param(request.GET.get("aar"))
    kind = request.GET.get("type", "")
    form = EconomyLineForm.for_line(
        request.POST or None, None, year=year, kind=kind if kind in EconomyKind.values else ""
    )
    if request.method == "POST" and form.is_valid():
        try:
            line = services.create_line(access.network, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(request, slug, line.year, _("%(source)s was added.") % {"source": line.source})
    return _page(request, "line_form.html", access, form=form, line=None, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    line = owned(EconomyLine.objects.all(), access, pk)
    form = EconomyLineForm.for_line(request.POST or None, line, year=line.year)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_line(line, form.to_data(), actor=acting_user(request))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(request, slug, line.year, _("%(source)s was saved.") % {"source": line.source})
    return _page(request, "line_form.html", access, form=form, line=line, year=line.year)


@login_required
@require_http_methods(["GET", "POST"])
def line_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    line = owned(EconomyLine.objects.all(), access, pk)
    if request.method == "POST":
        source, year = line.source, line.year
        services.delete_line(line, actor=acting_user(request))
        return _back(request, slug, year, _("%(source)s was deleted.") % {"source": source})
    return _page(request, "line_delete.html", access, line=line, year=line.year)


# Exports --------------------------------------------------------------------------------------------------


def economy_rows(facts: EconomyYear, amount: Any, text: Any) -> list[list[Any]]:
    """Header, one row per line, then the totals; `amount` and `text` write a cell for the file format."""
    rows: list[list[Any]] = [[_("Kind"), _("Source or description"), _("Purpose"), _("Amount (NOK)")]]
    for group in facts.groups:
        for line in group.lines:
            rows.append([str(group.label), text(line.source), text(line.purpose), amount(line.amount)])
    totals: list[tuple[str, Decimal]] = [
        (_("Total grants"), facts.totals.grants),
        (_("Course fees"), facts.totals.course_fees),
        (_("Other income"), facts.totals.other_income),
        (_("Total income"), facts.totals.income),
        (_("Costs"), facts.totals.costs),
        (_("Result (income minus costs)"), facts.totals.result),
    ]
    rows.append(["", "", "", None])
    rows.extend([_("Total"), label, "", amount(value)] for label, value in totals)
    return rows


@login_required
@require_GET
def economy_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    year = year_param(request.GET.get("aar"))
    facts = economy_year(access.network, year)
    if fmt == "xlsx":
        rows = economy_rows(facts, lambda value: value, lambda value: value)
        content = to_xlsx(rows, title=_("Economy %(year)s") % {"year": year})
        content_type = XLSX_TYPE
    else:
        content = to_csv(economy_rows(facts, amount_csv, lambda value: value))
        content_type = CSV_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="okonomi-{access.network.slug}-{year}.{fmt}"'
    return response

"""The coordinator's matrix: persons × requirements for a year with filters, and its XLSX export.

Need.MANAGE: a network coordinator sees every resource person, a chapter coordinator those whose
resource-person memberships in the year were in their chapters; everyone else gets 404. Every status comes
from competence.engine through competence.queries.matrix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fagnett.accounts.models import User
from fagnett.audit.services import log_action
from fagnett.competence.forms import MatrixFilterForm, parse_year
from fagnett.competence.queries import (
    Matrix,
    MatrixRow,
    competence_years,
    export_header,
    export_rows,
    person_matrix,
)
from fagnett.lib.tabular import XLSX_TYPE, to_xlsx
from fagnett.networks.access import Need, NetworkAccess, network_for_user

ROWS_PER_PAGE = 100


@dataclass(frozen=True)
class _Chosen:
    """What the GET parameters chose: the year shown (and whether the one asked for was refused), the matrix
    of that year, the filter form and the rows it keeps. The page and the export share it."""

    year: int
    refused: bool
    facts: Matrix
    form: MatrixFilterForm
    rows: list[MatrixRow]


def _choose(request: HttpRequest, access: NetworkAccess, today: dt.date) -> _Chosen:
    year, refused = parse_year(request.GET.get("aar"), today)
    facts = person_matrix(access, year, today)
    data = request.GET.copy()
    # The form shows the year actually shown, also when the one asked for was refused.
    data["aar"] = str(year)
    form = MatrixFilterForm(
        data, years=competence_years(access.network, today, include=year), year=year, matrix=facts
    )
    return _Chosen(year, refused, facts, form, facts.filtered(form.filters()))


@login_required
@require_GET
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    today = timezone.localdate()
    chosen = _choose(request, access, today)
    query = request.GET.copy()
    query["aar"] = str(chosen.year)
    query.pop("side", None)
    # The engine computes every person (filters and counts need them all); the page shows 100 at a time,
    # since a table of thousands of rows helps nobody and costs the browser. The export has them all.
    page = Paginator(chosen.rows, ROWS_PER_PAGE).get_page(request.GET.get("side"))
    return render(
        request,
        "competence/matrix.html",
        {
            "access": access,
            "network": access.network,
            "nav": "competence",
            "facts": chosen.facts,
            "form": chosen.form,
            "rows": page.object_list,
            "page": page,
            "matched": len(chosen.rows),
            "refused_year": request.GET.get("aar", "") if chosen.refused else "",
            "query": query.urlencode(),
            "today": today,
        },
    )


@login_required
@require_GET
def matrix_export(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    today = timezone.localdate()
    chosen = _choose(request, access, today)
    year = chosen.year
    lines = export_rows(chosen.rows)
    content = to_xlsx(
        [export_header(chosen.facts.columns), *lines], title=_("Competence plan %(year)s") % {"year": year}
    )
    # An export takes personal data out of the system: who took how much is recorded.
    log_action(
        "competence.matrix_exported",
        actor=cast(User, request.user),
        network=access.network,
        data={"rows": len(lines), "year": year},
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"kompetanseplan-{access.network.slug}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

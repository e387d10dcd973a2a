"""The overview across networks: one row per network the user reads or coordinates, sortable, with a year
selector, and its CSV/XLSX export (the same rows and figures).

The export holds aggregates only (no person is named), so unlike the roster export it is not audited.
Annual-report status is not a column yet: annual reports are a later issue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from fagnett.competence.engine import evaluation_date
from fagnett.competence.forms import parse_year
from fagnett.lib.tabular import XLSX_TYPE, to_csv, to_xlsx
from fagnett.overview.access import overview_access
from fagnett.overview.facts import NetworkRow, first_year, network_rows
from fagnett.reports.models import ReportStatus


@dataclass(frozen=True)
class Column:
    key: str  # the value of ?sorter= (Norwegian: addresses are shared and bookmarked)
    label: StrOrPromise
    sort_key: Callable[[NetworkRow], Any]
    numeric: bool = True


def _none_last(value: int | None) -> tuple[bool, int]:
    return (value is None, value or 0)


# Sorting the report column: none, draft, published.
REPORT_ORDER: dict[str, int] = {"": 0, ReportStatus.DRAFT: 1, ReportStatus.PUBLISHED: 2}

COLUMNS = (
    Column("navn", gettext_lazy("Network"), lambda r: (r.name.casefold(), r.slug), numeric=False),
    Column("medlemmer", gettext_lazy("Members"), lambda r: r.members),
    Column("innmeldt", gettext_lazy("Joined"), lambda r: r.joined),
    Column("utmeldt", gettext_lazy("Left"), lambda r: r.left),
    Column(
        "dekning",
        gettext_lazy("Municipalities covered"),
        lambda r: (_none_last(r.coverage_percent), r.municipalities_covered),
    ),
    Column("timer", gettext_lazy("Hours of activity"), lambda r: r.activity_hours),
    Column(
        "kompetanse",
        gettext_lazy("Share meeting the competence plan"),
        lambda r: _none_last(r.competence_percent),
    ),
    Column("rapport", gettext_lazy("Annual report"), lambda r: REPORT_ORDER[r.report_status], numeric=False),
)
_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True)
class Sorting:
    key: str
    descending: bool

    @classmethod
    def parse(cls, value: str | None) -> Sorting:
        """?sorter=medlemmer (ascending) or ?sorter=-medlemmer (descending); anything else sorts by name."""
        text = (value or "").strip()
        descending = text.startswith("-")
        key = text.removeprefix("-")
        if key not in _BY_KEY:
            return cls("navn", False)
        return cls(key, descending)

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def apply(self, rows: list[NetworkRow]) -> list[NetworkRow]:
        # Ties keep the order by name (sorted is stable); a missing share sorts last either way.
        by_name = sorted(rows, key=_BY_KEY["navn"].sort_key)
        column = _BY_KEY[self.key]
        if not self.descending:
            return sorted(by_name, key=column.sort_key)
        present = [r for r in by_name if not _is_missing(self.key, r)]
        missing = [r for r in by_name if _is_missing(self.key, r)]
        return sorted(present, key=column.sort_key, reverse=True) + missing


def _is_missing(key: str, row: NetworkRow) -> bool:
    if key == "kompetanse":
        return row.competence_percent is None
    if key == "dekning":
        return row.coverage_percent is None
    return False


@dataclass(frozen=True)
class Chosen:
    year: int
    refused_year: str  # the ?aar= value that was not a year we can show ("" when fine)
    as_of: dt.date
    sorting: Sorting
    rows: list[NetworkRow]
    first_year: int


def _choose(request: HttpRequest) -> Chosen:
    access = overview_access(request.user)
    today = timezone.localdate()
    year, refused = parse_year(request.GET.get("aar"), today)
    sorting = Sorting.parse(request.GET.get("sorter"))
    networks = access.queryset()
    rows = sorting.apply(network_rows(networks, year, today))
    return Chosen(
        year=year,
        refused_year=request.GET.get("aar", "") if refused else "",
        as_of=evaluation_date(year, today),
        sorting=sorting,
        rows=rows,
        first_year=min(first_year(networks, today), year),
    )


def _query(**params: str | int) -> str:
    return urlencode(params)


@login_required
@require_GET
def networks(request: HttpRequest) -> HttpResponse:
    chosen = _choose(request)
    today = timezone.localdate()
    headers = []
    for column in COLUMNS:
        sorted_here = column.key == chosen.sorting.key
        # The first click sorts ascending (names A–Z); a click on the sorted column turns the order around.
        next_value = f"-{column.key}" if sorted_here and not chosen.sorting.descending else column.key
        headers.append(
            {
                "label": column.label,
                "numeric": column.numeric,
                "href": "?" + _query(aar=chosen.year, sorter=next_value),
                "aria_sort": (
                    ("descending" if chosen.sorting.descending else "ascending") if sorted_here else ""
                ),
            }
        )
    return render(
        request,
        "overview/networks.html",
        {
            "chosen": chosen,
            "rows": chosen.rows,
            "headers": headers,
            "years": list(range(today.year, chosen.first_year - 1, -1)),
            "current_year": chosen.year == today.year,
            "export_query": _query(aar=chosen.year, sorter=chosen.sorting.value),
        },
    )


def _percent(value: int | None) -> int | str:
    return "" if value is None else value


def export_rows(chosen: Chosen) -> list[list[str | int | Decimal]]:
    """The table's rows as cells, with a header; the coverage column is split into covered and total so that
    a spreadsheet can compute with both."""
    header: list[str | int | Decimal] = [
        _("Network"),
        _("Short name"),
        _("Members"),
        _("Joined"),
        _("Left"),
        _("Municipalities covered"),
        _("Municipalities in the area"),
        _("Hours of activity"),
        _("Share meeting the competence plan (per cent)"),
        _("Annual report"),
    ]
    lines: list[list[str | int | Decimal]] = [header]
    for row in chosen.rows:
        lines.append(
            [
                row.name,
                row.slug,
                row.members,
                row.joined,
                row.left,
                row.municipalities_covered,
                row.municipalities_total,
                row.activity_hours,
                _percent(row.competence_percent),
                row.report_label,
            ]
        )
    return lines


def _safe_text(value: str | int | Decimal) -> str | int:
    """CSV cells: hours get a decimal comma, as Norwegian Excel reads them (to_csv keeps text from becoming
    a formula)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize()).replace(".", ",")
    return value


@login_required
@require_GET
def networks_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    chosen = _choose(request)
    lines = export_rows(chosen)
    filename = f"oversikt-nettverk-{chosen.year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            to_csv([[_safe_text(cell) for cell in line] for line in lines]),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            to_xlsx(lines, title=_("Networks %(year)s") % {"year": chosen.year}), content_type=XLSX_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

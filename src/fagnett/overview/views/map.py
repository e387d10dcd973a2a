"""The coverage map of Norway, its table and export, and one municipality's page (issue 10).

Everything shown is computed by overview.facts.national_coverage from the networks the user reads or
coordinates (overview.access); "outside every network" means outside every network the user may see. The
pages show counts only, never persons. Zooming (?fylke=NN, ?helseforetak=<pk>, ?nettverk=<slug>) changes what
the map centres on and which rows the table lists, not how a municipality's status is computed. A parameter
that names nothing the user can see shows the whole country with a message, never an error page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from fagnett.lib.tabular import XLSX_TYPE, parse_date, to_csv, to_xlsx
from fagnett.overview.access import OverviewAccess, overview_access
from fagnett.overview.facts import MunicipalityCoverage, national_coverage, status_counts
from fagnett.overview.maps import MapArea, MapStatus, legend, render_map
from fagnett.places.models import County, HealthTrust
from fagnett.places.queries import municipalities_in_health_trust

ZOOM_PARAMETERS = ("fylke", "helseforetak", "nettverk")


@dataclass(frozen=True)
class Zoom:
    parameter: str  # "" for the whole country, else one of ZOOM_PARAMETERS
    value: str
    label: str  # "Rogaland", "Helse Stavanger HF", the network's name; "" for the whole country
    numbers: frozenset[str] | None  # the municipalities zoomed to; None: the whole country

    def query(self, on: dt.date) -> str:
        params = {"dato": on.isoformat()}
        if self.parameter:
            params[self.parameter] = self.value
        return urlencode(params)


WHOLE_COUNTRY = Zoom(parameter="", value="", label="", numbers=None)


@dataclass
class Selection:
    on: dt.date
    zoom: Zoom
    notices: list[str] = field(default_factory=list)


def _parse_date(value: str) -> dt.date | None:
    """yyyy-mm-dd (the date field) or dd.mm.yyyy (typed by hand); None for anything else."""
    try:
        return parse_date(value)
    except ValueError:
        return None


def _zoom(parameter: str, value: str, access: OverviewAccess) -> Zoom | None:
    """The area a zoom parameter names, or None when it names nothing this user can zoom to."""
    if parameter == "fylke":
        county = County.objects.filter(number=value).first()
        if county is None:
            return None
        numbers = frozenset(county.municipalities.values_list("number", flat=True))
        return Zoom(parameter, value, county.name, numbers)
    if parameter == "helseforetak":
        trust = (
            HealthTrust.objects.filter(pk=int(value)).first() if value.isascii() and value.isdigit() else None
        )
        if trust is None:
            return None
        numbers = frozenset(municipalities_in_health_trust(trust).values_list("number", flat=True))
        return Zoom(parameter, value, trust.name, numbers)
    # A network the user cannot see is answered like one that does not exist.
    network = next((n for n in access.networks if n.slug == value), None)
    if network is None:
        return None
    numbers = frozenset(network.municipalities.values_list("number", flat=True))
    if not numbers:
        return None
    return Zoom(parameter, value, network.name, numbers)


def select(request: HttpRequest, access: OverviewAccess | None) -> Selection:
    """The date (?dato=, today when missing or wrong) and, given the user's access, the zoom (one of the zoom
    parameters)."""
    selection = Selection(on=timezone.localdate(), zoom=WHOLE_COUNTRY)
    raw_date = request.GET.get("dato", "")
    if raw_date.strip():
        on = _parse_date(raw_date)
        if on is None:
            selection.notices.append(
                _("“%(value)s” is not a date (write it as dd.mm.yyyy). The coverage today is shown instead.")
                % {"value": raw_date}
            )
        else:
            selection.on = on
    if access is None:
        return selection
    given = [(p, request.GET.get(p, "").strip()) for p in ZOOM_PARAMETERS if request.GET.get(p, "").strip()]
    if len(given) > 1:
        selection.notices.append(
            _("Choose one area at a time: a county, a health trust or a network. The whole country is shown.")
        )
    elif given:
        parameter, value = given[0]
        zoom = _zoom(parameter, value, access)
        if zoom is None:
            selection.notices.append(_unknown_area(parameter, value))
        else:
            selection.zoom = zoom
    return selection


def _unknown_area(parameter: str, value: str) -> str:
    if parameter == "fylke":
        message = _("There is no county with the number “%(value)s”. The whole country is shown.")
    elif parameter == "helseforetak":
        message = _("There is no health trust “%(value)s”. The whole country is shown.")
    else:
        message = _(
            "None of your networks has the short name “%(value)s”, or its area has no municipalities. "
            "The whole country is shown."
        )
    return message % {"value": value}


def status_word(status: MapStatus) -> str:
    return str(status.label)


# The tag beside the status word (the word carries the meaning; the colour only repeats it).
TAG_COLOURS = {
    MapStatus.COVERED: "success",
    MapStatus.PARTLY: "warning",
    MapStatus.NOT_COVERED: "danger",
    MapStatus.OUTSIDE: "neutral",
}


@dataclass(frozen=True)
class TableRow:
    number: str
    name: str
    href: str
    county: str
    networks: str
    total: int
    status: str
    colour: str


def _municipality_href(on: dt.date, today: dt.date) -> Callable[[str], str]:
    # One reverse() instead of 357: the address only differs in the number at its end.
    base = reverse("overview:municipality", args=["0"]).removesuffix("0/")
    suffix = "" if on == today else "?" + urlencode({"dato": on.isoformat()})
    return lambda number: f"{base}{number}/{suffix}"


def table_rows(municipalities: list[MunicipalityCoverage], on: dt.date) -> list[TableRow]:
    """The table under the map, ready to print."""
    href = _municipality_href(on, timezone.localdate())
    words = {status: status_word(status) for status in MapStatus}
    return [
        TableRow(
            number=m.number,
            name=m.name,
            href=href(m.number),
            county=m.county_name,
            networks=", ".join(m.network_names),
            total=m.total,
            status=words[m.status],
            colour=TAG_COLOURS[m.status],
        )
        for m in municipalities
    ]


def area_title(municipality: MunicipalityCoverage) -> str:
    """ "Stavanger: dekket, 10 ressurspersoner" (the same words as the network's own map)."""
    return ngettext(
        "%(name)s: %(status)s, %(count)s resource person",
        "%(name)s: %(status)s, %(count)s resource persons",
        municipality.total,
    ) % {
        "name": municipality.name,
        "status": status_word(municipality.status).lower(),
        "count": municipality.total,
    }


def table_body(rows: list[TableRow]) -> SafeString:
    """The <tr> rows of the table under the map. Built here rather than in a template loop: the whole country
    is 357 rows, and the template's per-variable look-ups were a fifth of the page's time."""
    return format_html_join(
        "\n",
        '<tr><th scope="row"><a class="ds-link" href="{}">{}</a> <span class="fn-muted">{}</span></th>'
        '<td>{}</td><td>{}</td><td class="fn-number">{}</td>'
        '<td><span class="ds-tag" data-color="{}">{}</span></td></tr>',
        ((r.href, r.name, r.number, r.county, r.networks, r.total, r.colour, r.status) for r in rows),
    )


def map_areas(municipalities: list[MunicipalityCoverage], on: dt.date, today: dt.date) -> dict[str, MapArea]:
    """Every municipality as the map draws it, each a link to its own page (with the date when not today)."""
    href = _municipality_href(on, today)
    return {
        m.number: MapArea(number=m.number, status=m.status, title=area_title(m), href=href(m.number))
        for m in municipalities
    }


def _in_zoom(municipalities: list[MunicipalityCoverage], zoom: Zoom) -> list[MunicipalityCoverage]:
    if zoom.numbers is None:
        return municipalities
    return [m for m in municipalities if m.number in zoom.numbers]


def _map(
    municipalities: list[MunicipalityCoverage],
    *,
    on: dt.date,
    map_id: str,
    title: StrOrPromise,
    focus: Collection[str] | None,
) -> Any:
    return render_map(
        map_areas(municipalities, on, timezone.localdate()), map_id=map_id, title=str(title), focus=focus
    )


def _options(zoom: Zoom, parameter: str, choices: Iterable[tuple[Any, str]]) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for one of the zoom form's selects."""
    chosen = zoom.value if zoom.parameter == parameter else None
    return [(str(value), label, str(value) == chosen) for value, label in choices]


@login_required
@require_GET
def national_map(request: HttpRequest) -> HttpResponse:
    access = overview_access(request.user)
    selection = select(request, access)
    municipalities = national_coverage(selection.on, access.queryset())
    shown = _in_zoom(municipalities, selection.zoom)
    zoom = selection.zoom
    if zoom.label:
        title = _("Coverage map of %(area)s on %(date)s") % {
            "area": zoom.label,
            "date": selection.on.strftime("%d.%m.%Y"),
        }
    else:
        title = _("Coverage map of Norway on %(date)s") % {"date": selection.on.strftime("%d.%m.%Y")}
    counts = status_counts(shown)
    return render(
        request,
        "overview/map.html",
        {
            "selection": selection,
            "zoom": zoom,
            "title": title,
            "map": _map(municipalities, on=selection.on, map_id="national", title=title, focus=zoom.numbers),
            "legend": legend(),
            "status_counts": [(status, counts[status]) for status in MapStatus],
            "municipalities": shown,
            "table_body": table_body(table_rows(shown, selection.on)),
            "counties": _options(
                zoom, "fylke", County.objects.order_by("number").values_list("number", "name")
            ),
            "trusts": _options(
                zoom, "helseforetak", HealthTrust.objects.order_by("name").values_list("pk", "name")
            ),
            "networks": _options(zoom, "nettverk", ((n.slug, n.name) for n in access.networks)),
            "export_query": zoom.query(selection.on),
            "date_value": selection.on.isoformat(),
        },
    )


def export_rows(municipalities: list[MunicipalityCoverage]) -> list[list[str | int]]:
    """The map's table as cells, with a header."""
    lines: list[list[str | int]] = [
        [
            _("Municipality number"),
            _("Municipality"),
            _("County number"),
            _("County"),
            _("Networks"),
            _("Resource persons"),
            _("Status"),
        ]
    ]
    for m in municipalities:
        lines.append(
            [
                m.number,
                m.name,
                m.county_number,
                m.county_name,
                ", ".join(m.network_names),
                m.total,
                status_word(m.status),
            ]
        )
    return lines


@login_required
@require_GET
def map_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access = overview_access(request.user)
    selection = select(request, access)
    shown = _in_zoom(national_coverage(selection.on, access.queryset()), selection.zoom)
    lines = export_rows(shown)
    area = f"-{selection.zoom.parameter}-{selection.zoom.value}" if selection.zoom.parameter else ""
    filename = f"dekning-kommuner{area}-{selection.on.isoformat()}.{fmt}"
    if fmt == "csv":
        content = to_csv(lines)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(lines, title=_("Coverage")), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def municipality(request: HttpRequest, number: str) -> HttpResponse:
    access = overview_access(request.user)
    selection = select(request, None)
    municipalities = national_coverage(selection.on, access.queryset())
    found = next((m for m in municipalities if m.number == number), None)
    if found is None:
        raise Http404
    title = _("%(name)s on the map") % {"name": found.name}
    return render(
        request,
        "overview/municipality.html",
        {
            "selection": selection,
            "municipality": found,
            "status_word": status_word(found.status),
            "status_colour": TAG_COLOURS[found.status],
            "map": _map(municipalities, on=selection.on, map_id="municipality", title=title, focus={number}),
            "legend": legend(),
            "map_query": urlencode({"fylke": found.county_number, "dato": selection.on.isoformat()}),
        },
    )

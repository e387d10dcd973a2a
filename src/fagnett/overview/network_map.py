"""The coverage map of one network (or one local chapter), for the dashboard and the coverage page (issue 10).

It draws from the CoverageFacts the page has already computed, so the map adds no query to the page: the
municipality numbers and names, the counts and the verdicts are all in the facts, and the geometry is the
process-wide cache of overview.maps.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fagnett.networks.coverage import CoverageFacts, MunicipalityCoverage
from fagnett.overview.maps import MapArea, MapStatus, render_map


def municipality_status(municipality: MunicipalityCoverage) -> MapStatus:
    """Covered when every rule is met; partly when some rule is met or someone is counted; otherwise not."""
    if municipality.covered:
        return MapStatus.COVERED
    if municipality.total > 0 or any(cell.met for cell in municipality.cells):
        return MapStatus.PARTLY
    return MapStatus.NOT_COVERED


def municipality_title(municipality: MunicipalityCoverage, status: MapStatus) -> str:
    """ "Stavanger: dekket, 10 ressurspersoner": the status in words, so colour is never the only cue."""
    return ngettext(
        "%(name)s: %(status)s, %(count)s resource person",
        "%(name)s: %(status)s, %(count)s resource persons",
        municipality.total,
    ) % {"name": municipality.name, "status": str(status.label).lower(), "count": municipality.total}


def map_areas(facts: CoverageFacts, link: Callable[[str], str] | None = None) -> dict[str, MapArea]:
    """One MapArea per municipality of the facts' area, by municipality number."""
    areas: dict[str, MapArea] = {}
    for municipality in facts.municipalities:
        status = municipality_status(municipality)
        areas[municipality.number] = MapArea(
            number=municipality.number,
            status=status,
            title=municipality_title(municipality, status),
            href=link(municipality.number) if link is not None else None,
        )
    return areas


def network_map(facts: CoverageFacts, *, map_id: str, link: Callable[[str], str] | None = None) -> SafeString:
    """The map of the facts' area (the network's, or a chapter's when the facts are a chapter's), zoomed to
    it; every other municipality is drawn as outside. `link` gives a municipality's href from its number."""
    areas = map_areas(facts, link)
    name = facts.chapter_name
    title = (
        _("Coverage map of %(name)s") % {"name": name} if name else _("Coverage map of the network's area")
    )
    # An empty area would zoom to nothing; the whole country is then the honest picture.
    return render_map(areas, map_id=map_id, title=title, focus=set(areas) or None)

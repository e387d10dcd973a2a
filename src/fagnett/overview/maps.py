"""The coverage map of Norway: municipalities as server-rendered SVG (issue 10).

CONTRACT (the map engineer implements the bodies; the names, fields and signatures are fixed — other modules
call them):

- Geometry is read once from fagnett/places/data/kommuner-2024-S.geojson and fylker-2024-S.geojson
  (Kartverket, CC BY 4.0), projected and simplified, and cached for the life of the process (`geometry()`),
  never per request.
- `render_map` draws the municipalities with their status (colour AND a pattern or label, never colour
  alone), zoomed to `focus` (a set of municipality numbers) or the whole country, each municipality a
  keyboard-reachable link with a title that carries its numbers, and the attribution "© Kartverket (CC BY
  4.0)". Nothing from another host, no script.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fagnett.overview import _geometry


class MapStatus(models.TextChoices):
    """A municipality's coverage status across the networks shown."""

    COVERED = "dekket", _("Covered")  # at least one network's coverage rules are met there
    PARTLY = "delvis", _("Partly covered")  # in a network's area, some resource persons, rules not all met
    NOT_COVERED = (
        "ikke_dekket",
        _("Not covered"),
    )  # in a network's area, no resource person of a required type
    OUTSIDE = "utenfor", _("Outside every network")  # in no network's area (of those shown)


@dataclass(frozen=True)
class Shape:
    """One area, projected to map units (y grows downwards, as in SVG)."""

    number: str  # municipality "1103" or county "11"
    name: str
    path: str  # SVG path data ("M… L… Z"), simplified, coordinates rounded
    bbox: tuple[float, float, float, float]  # min_x, min_y, max_x, max_y
    label_point: tuple[float, float]  # inside the area, for a label or marker


@dataclass(frozen=True)
class Geometry:
    municipalities: Mapping[str, Shape]  # by municipality number
    counties: Mapping[str, Shape]  # by county number
    bbox: tuple[float, float, float, float]  # the whole country


@dataclass(frozen=True)
class MapArea:
    """What the map says about one municipality."""

    number: str
    status: MapStatus
    title: str  # accessible name and tooltip, with the numbers: "Stavanger: dekket, 10 ressurspersoner"
    href: str | None = None  # where the municipality's link goes (None: not a link)


@functools.cache
def _prepared() -> _geometry.PreparedMap:
    return _geometry.prepare_all()


@functools.cache
def geometry() -> Geometry:
    """The prepared geometry, computed on first use and cached for the process."""
    prepared = _prepared()

    def shapes(items: list[_geometry.Prepared]) -> Mapping[str, Shape]:
        return MappingProxyType(
            {p.number: Shape(p.number, p.name, p.path, p.bbox, p.label_point) for p in items}
        )

    return Geometry(shapes(prepared.municipalities), shapes(prepared.counties), prepared.bbox)


@functools.cache
def _fine_paths() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """The finer outlines for zoomed views (municipalities, counties), in map units × FINE_FACTOR."""
    prepared = _prepared()
    return (
        {p.number: p.fine_path for p in prepared.municipalities},
        {p.number: p.fine_path for p in prepared.counties},
    )


@dataclass(frozen=True)
class _Style:
    css_class: str
    ground: str  # the fill colour under the pattern
    lines: str | None = None  # the hatching's colour
    crossed: bool = False  # cross-hatching instead of single diagonal lines


# Colour AND pattern: solid for covered and outside (which differ strongly in lightness), single diagonal
# lines for partly covered, crossed lines for not covered. Every ground keeps at least 3:1 against the
# near-black borders (WCAG 1.4.11), so each municipality's outline stays visible whatever its neighbours'
# status.
_STYLES: dict[MapStatus, _Style] = {
    MapStatus.COVERED: _Style("fn-map-dekket", "#3f9a5a"),
    MapStatus.PARTLY: _Style("fn-map-delvis", "#f2c14e", "#5c4300"),
    MapStatus.NOT_COVERED: _Style("fn-map-ikke-dekket", "#f3a3a3", "#8b1a1a", crossed=True),
    MapStatus.OUTSIDE: _Style("fn-map-utenfor", "#ececec"),
}
_BORDER = "#1a1a1a"
_COUNTY_BORDER = "#000"
_MARGIN = 0.05  # around the focus, of its width and height on each side
_MIN_VIEW = 30.0  # map units (≈ 35 km): a zoom to one small municipality still shows its neighbours
_MAX_ASPECT = (
    2.0  # a zoom is neither wider than 2:1 nor taller than 1:2, so it reads on a phone and a desktop
)
_PATTERN_TILES = 120  # hatching tiles across the longer side of the view, whatever the zoom
_LEGEND_TILE = 6.0  # in the legend's 24×16 swatches
# Views no larger than this (map units; the country is 1000 wide) use the finer outlines: at the country's
# scale they would only add bytes, zoomed in the coarse ones turn into staircases.
_FINE_VIEW = 600.0

BBox = tuple[float, float, float, float]


def _pattern(pattern_id: str, style: _Style, tile: float) -> str:
    # Hatching as rectangles, not stroked lines: the stylesheet keeps strokes at a fixed pixel width, which
    # would make the hatching vanish in a zoomed view.
    t = f"{tile:.3g}"
    ground = f'<rect width="{t}" height="{t}" fill="{style.ground}"/>'
    head = f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{t}" height="{t}"'
    if style.lines is None:
        return f"{head}>{ground}</pattern>"
    w = tile * (0.22 if style.crossed else 0.3)
    start, width = f"{(tile - w) / 2:.3g}", f"{w:.3g}"
    lines = f'<rect x="{start}" width="{width}" height="{t}" fill="{style.lines}"/>'
    if style.crossed:
        lines += f'<rect y="{start}" width="{t}" height="{width}" fill="{style.lines}"/>'
    return f'{head} patternTransform="rotate(45)">{ground}{lines}</pattern>'


def _defs(map_id: str, tile: float) -> str:
    """The map's patterns (tiles sized to the view) and the legend's (fixed size, for _map_legend.html)."""
    parts = []
    for style in _STYLES.values():
        parts.append(_pattern(f"{map_id}-{style.css_class}", style, tile))
        parts.append(_pattern(f"{map_id}-{style.css_class}-legend", style, _LEGEND_TILE))
    return f"<defs>{''.join(parts)}</defs>"


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _view(geo: Geometry, focus: Collection[str] | None) -> BBox | None:
    """The zoomed view around the focus municipalities, or None for the whole country (also when none of the
    focus numbers is on the map)."""
    boxes = [geo.municipalities[n].bbox for n in focus or () if n in geo.municipalities]
    if not boxes:
        return None
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width, height = max(x1 - x0, _MIN_VIEW), max(y1 - y0, _MIN_VIEW)
    width, height = max(width, height / _MAX_ASPECT), max(height, width / _MAX_ASPECT)
    width, height = width * (1 + 2 * _MARGIN), height * (1 + 2 * _MARGIN)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def render_map(
    areas: Mapping[str, MapArea],
    *,
    map_id: str,
    title: str,
    focus: Collection[str] | None = None,
    show_counties: bool = True,
) -> SafeString:
    """An inline <svg> of the municipalities in `areas` (others drawn as "outside", without a link), zoomed to
    the bounding box of `focus` (with a margin) or the whole country; `map_id` makes ids unique on the page;
    `title` is the map's accessible name. Returns markup safe to put in a template as it is."""
    geo = geometry()
    view = _view(geo, focus)
    if view is None:
        pad = 2.0  # room for the coast's border stroke
        view = (geo.bbox[0] - pad, geo.bbox[1] - pad, geo.bbox[2] + pad, geo.bbox[3] + pad)
        zoomed = False
    else:
        zoomed = True
    width, height = view[2] - view[0], view[3] - view[1]
    fine = max(width, height) <= _FINE_VIEW
    # The fine outlines are in map units × FINE_FACTOR; the groups holding them scale back, and everything
    # drawn in the groups' user space (patterns, fallback stroke widths) scales up by the same factor.
    factor = _geometry.FINE_FACTOR if fine else 1
    fine_municipalities, fine_counties = _fine_paths() if fine else ({}, {})
    scaled = f' transform="scale({1 / factor:g})"' if fine else ""
    map_id = escape(map_id)
    fills = {status: f'fill="url(#{map_id}-{style.css_class})"' for status, style in _STYLES.items()}

    def shown(shape: Shape) -> bool:
        return not zoomed or _intersects(shape.bbox, view)

    def d(shape: Shape, fine_paths: Mapping[str, str]) -> str:
        return fine_paths[shape.number] if fine else shape.path

    # Plain shapes first, links after: links come in the order of `areas` (the keyboard order), and are drawn
    # last so a focused municipality's outline is not painted over by plain neighbours.
    plain: list[str] = []
    links: list[str] = []
    for number, shape in geo.municipalities.items():
        area = areas.get(number)
        if (area is None or area.href is None) and shown(shape):
            status = area.status if area is not None else MapStatus.OUTSIDE
            tooltip = f"<title>{escape(area.title)}</title>" if area is not None else ""
            plain.append(f'<path {fills[status]} d="{d(shape, fine_municipalities)}">{tooltip}</path>')
    for number, area in areas.items():
        linked = geo.municipalities.get(number)
        if linked is None or area.href is None or not shown(linked):
            continue  # a municipality the boundary data does not have (yet) is left out, not an error
        name = escape(area.title)
        links.append(
            f'<a class="fn-map-link" href="{escape(area.href)}" aria-label="{name}"><title>{name}</title>'
            f'<path {fills[area.status]} d="{d(linked, fine_municipalities)}"/></a>'
        )
    # Stroke widths here only matter without the stylesheet, which draws them in screen pixels instead.
    stroke = factor * width / 1000
    counties = ""
    if show_counties:
        county_paths = "".join(
            f'<path d="{d(c, fine_counties)}"/>' for c in geo.counties.values() if shown(c)
        )
        counties = (
            f'<g class="fn-map-counties" aria-hidden="true" fill="none" stroke="{_COUNTY_BORDER}" '
            f'stroke-width="{2 * stroke:.3g}" pointer-events="none"{scaled}>{county_paths}</g>'
        )
    svg = (
        f'<svg class="fn-map-svg" viewBox="{view[0]:.1f} {view[1]:.1f} {width:.1f} {height:.1f}" '
        f'role="group" aria-labelledby="{map_id}-title" fill-rule="evenodd">'
        f'<title id="{map_id}-title">{escape(title)}</title>'
        f"{_defs(map_id, factor * max(width, height) / _PATTERN_TILES)}"
        f'<g class="fn-map-areas" stroke="{_BORDER}" stroke-width="{0.8 * stroke:.3g}" '
        f'stroke-linejoin="round"{scaled}><g aria-hidden="true">{"".join(plain)}</g>{"".join(links)}</g>'
        f"{counties}</svg>"
    )
    skip = (
        f'<a class="ds-skip-link" href="#{map_id}-end">{escape(gettext("Skip the map"))}</a>' if links else ""
    )
    attribution = escape(gettext("Map data: © Kartverket (CC BY 4.0)"))
    return mark_safe(  # noqa: S308 - every text and attribute value above is escaped; the rest is numbers
        f'<div class="fn-map">{skip}{svg}'
        f'<p class="fn-map-attribution" id="{map_id}-end" tabindex="-1">{attribution}</p></div>'
    )


def legend() -> list[tuple[MapStatus, str]]:
    """The statuses in display order with the CSS class/pattern name each uses, for a legend beside the map.

    The map with id `map_id` defines the pattern `{map_id}-{name}` for its shapes and `{map_id}-{name}-legend`
    for the swatches of overview/_map_legend.html."""
    return [(status, style.css_class) for status, style in _STYLES.items()]

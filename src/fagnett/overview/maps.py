"""The coverage map of Norway: municipalities as server-rendered SVG (issue 10).

CONTRACT (the map engineer implements the bodies; the names, fields and signatures are fixed — other modules
call them):

- Geometry is read once from fagnett/places/data/kommuner-2024-S.geojson and fylker-2024-S.geojson
  (Kartverket, CC BY 4.0), projected and simplified, and cached for the life of the process (`geometry()`),
  never per request.
- `render_map` draws the municipalities with their status (colour AND a pattern or label, never colour alone),
  zoomed to `focus` (a set of municipality numbers) or the whole country, each municipality a keyboard-reachable
  link with a title that carries its numbers, and the attribution "© Kartverket (CC BY 4.0)". Nothing from
  another host, no script.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


class MapStatus(models.TextChoices):
    """A municipality's coverage status across the networks shown."""

    COVERED = "dekket", _("Covered")  # at least one network's coverage rules are met there
    PARTLY = "delvis", _("Partly covered")  # in a network's area, some resource persons, rules not all met
    NOT_COVERED = "ikke_dekket", _("Not covered")  # in a network's area, no resource person of a required type
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


def geometry() -> Geometry:
    """The prepared geometry, computed on first use and cached for the process."""
    raise NotImplementedError


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
    raise NotImplementedError


def legend() -> list[tuple[MapStatus, str]]:
    """The statuses in display order with the CSS class/pattern name each uses, for a legend beside the map."""
    raise NotImplementedError

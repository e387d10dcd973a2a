"""Preparing Kartverket's boundaries for the map: projection, simplification and SVG path data.

Pure Python and the standard library only, so that the preparation is easy to read and to re-run on new data.
The steps, in order: read GeoJSON (lon/lat, WGS84/ETRS89) → project to UTM zone 33N (EPSG:25833, the
projection Kartverket publishes Norway in; conformal, so Finnmark is not stretched as with raw lon/lat) →
scale into a viewBox WIDTH units wide (y downwards) → drop tiny islands and lakes → round onto the integer
grid → simplify each ring (Douglas–Peucker) → write compact relative path data. Two levels of detail:
COARSE for the whole country, FINE (ten times finer grid, not simplified) for zoomed views.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

Point = tuple[float, float]
P = TypeVar("P", bound=tuple[float, float])  # a point in floats, or on the integer grid
Ring = list[Point]
Polygon = list[Ring]  # outer ring first, then holes (drawn with fill-rule evenodd)
BBox = tuple[float, float, float, float]

DATA_DIR = Path(__file__).resolve().parent.parent / "places" / "data"
MUNICIPALITIES_FILE = DATA_DIR / "kommuner-2024-S.geojson"
COUNTIES_FILE = DATA_DIR / "fylker-2024-S.geojson"

WIDTH = 1000.0  # map units across the country (1 unit ≈ 1.2 km)
# Douglas–Peucker tolerance in map units: half a grid step, so the outline keeps every bend the integer grid
# can still show. The whole country's municipalities come to about 85 KB of path data.
TOLERANCE = 0.5
# Islands and holes smaller than this (square map units; 0.5 ≈ 0.7 km²) vanish at the country scale; a
# municipality's largest polygon is always kept.
MIN_AREA = 0.5
FINE_FACTOR = 10
# The source ("-S") is already simplified: a point every 2 km or so. The fine grid (≈ 120 m) keeps them all,
# so a second simplification would save next to nothing and cost most of the preparation time.
FINE_TOLERANCE = 0.0
FINE_MIN_AREA = 0.02


# --- Projection: transverse Mercator, UTM zone 33 on GRS80 (Snyder, "Map Projections", 1987, p. 61) ---

_A = 6378137.0
_F = 1 / 298.257222101
_E2 = _F * (2 - _F)
_EP2 = _E2 / (1 - _E2)
_K0 = 0.9996
_LON0 = math.radians(15.0)
_M1 = 1 - _E2 / 4 - 3 * _E2**2 / 64 - 5 * _E2**3 / 256
_M2 = 3 * _E2 / 8 + 3 * _E2**2 / 32 + 45 * _E2**3 / 1024
_M3 = 15 * _E2**2 / 256 + 45 * _E2**3 / 1024
_M4 = 35 * _E2**3 / 3072


def utm33(lon: float, lat: float) -> Point:
    """Easting and northing in metres (EPSG:25833) of a longitude/latitude in degrees."""
    phi = math.radians(lat)
    sin_phi, cos_phi = math.sin(phi), math.cos(phi)
    n = _A / math.sqrt(1 - _E2 * sin_phi * sin_phi)
    t = (sin_phi / cos_phi) ** 2
    c = _EP2 * cos_phi * cos_phi
    a = cos_phi * (math.radians(lon) - _LON0)
    # sin 2φ, 4φ and 6φ from sin φ and cos φ: three fewer calls a point, for 48,000 points.
    sin2, cos2 = 2 * sin_phi * cos_phi, 1 - 2 * sin_phi * sin_phi
    sin4, cos4 = 2 * sin2 * cos2, 1 - 2 * sin2 * sin2
    sin6 = sin4 * cos2 + cos4 * sin2
    m = _A * (_M1 * phi - _M2 * sin2 + _M3 * sin4 - _M4 * sin6)
    a2 = a * a
    x = (
        _K0
        * n
        * (a + (1 - t + c) * a * a2 / 6 + (5 - 18 * t + t * t + 72 * c - 58 * _EP2) * a * a2 * a2 / 120)
    )
    y = _K0 * (
        m
        + n
        * (sin_phi / cos_phi)
        * (
            a2 / 2
            + (5 - t + 9 * c + 4 * c * c) * a2 * a2 / 24
            + (61 - 58 * t + t * t + 600 * c - 330 * _EP2) * a2**3 / 720
        )
    )
    return 500000.0 + x, y


# --- Reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feature:
    number: str
    name: str
    polygons: list[Polygon]  # projected, in metres


def read_features(path: Path, number_key: str, name_key: str) -> list[Feature]:
    with path.open(encoding="utf-8") as file:
        data = json.load(file)
    features = []
    for feature in data["features"]:
        geom = feature["geometry"]
        raw = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        polygons = [[[utm33(lon, lat) for lon, lat, *_ in ring] for ring in polygon] for polygon in raw]
        props = feature["properties"]
        features.append(Feature(str(props[number_key]), str(props[name_key]), polygons))
    return features


# --- Simplification ---------------------------------------------------------------------------------------


def _douglas_peucker(points: list[P], tolerance: float) -> list[P]:
    """The points of an open line that keep it within `tolerance`; iterative: long coasts do not recurse."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy or 1e-12  # a degenerate baseline: the distance to its point, near enough
        worst, worst_d2 = -1, tol2 * length2  # compare cross² with tol² × length², saving a division a point
        for i in range(first + 1, last):
            px, py = points[i]
            cross = dx * (py - ay) - dy * (px - ax)
            d2 = cross * cross
            if d2 > worst_d2:
                worst, worst_d2 = i, d2
        if worst > 0:
            keep[worst] = True
            stack.append((first, worst))
            stack.append((worst, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list[P], tolerance: float) -> list[P]:
    """A closed ring simplified as two open lines: from its first point to the point farthest from it, and
    back — a closed ring's first and last points coincide, so one line alone would have no baseline."""
    if ring and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return list(ring)
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2)
    there = _douglas_peucker(ring[: far + 1], tolerance)
    back = _douglas_peucker([*ring[far:], ring[0]], tolerance)
    return there + back[1:-1]


def area(ring: Ring) -> float:
    """The unsigned area (shoelace formula)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def _rounded(ring: Ring) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not out or out[-1] != point:
            out.append(point)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


# --- Label point --------------------------------------------------------------------------------------------


def _centroid(ring: Ring) -> Point:
    twice, cx, cy = 0.0, 0.0, 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        twice += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if twice == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return cx / (3 * twice), cy / (3 * twice)


def _crossings(polygon: Polygon, y: float) -> list[float]:
    """The x where the horizontal line at `y` crosses the polygon's edges (all rings: evenodd)."""
    xs = []
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y1 > y) != (y2 > y):
                xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    return sorted(xs)


def label_point(polygon: Polygon) -> Point:
    """The outer ring's centroid when it lies inside the polygon; otherwise (a bent fjord municipality, a
    ring) the middle of the widest inside stretch of the horizontal line through the centroid."""
    cx, cy = _centroid(polygon[0])
    xs = _crossings(polygon, cy)
    spans = list(zip(xs[::2], xs[1::2], strict=False))
    if any(a <= cx <= b for a, b in spans):
        return cx, cy
    if spans:
        a, b = max(spans, key=lambda span: span[1] - span[0])
        return (a + b) / 2, cy
    return polygon[0][0]


# --- Path data ----------------------------------------------------------------------------------------------


def path_data(polygons: Iterable[list[list[tuple[int, int]]]]) -> str:
    """SVG path data: each ring an absolute moveto, then relative linetos, closed (`M12 34l3-1 0 2z`)."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            (x0, y0), rest = ring[0], ring[1:]
            steps = []
            px, py = x0, y0
            for x, y in rest:
                steps.append(f"{x - px} {y - py}")
                px, py = x, y
            # A minus sign separates numbers on its own; dropping the space before it saves bytes.
            parts.append(f"M{x0} {y0}l{' '.join(steps)}z".replace(" -", "-"))
    return "".join(parts)


@dataclass(frozen=True)
class Prepared:
    number: str
    name: str
    path: str
    bbox: BBox
    label_point: Point
    fine_path: str  # the FINE level, in map units × FINE_FACTOR


def _to_map(polygons: list[Polygon], origin: Point, scale: float) -> list[Polygon]:
    ox, oy = origin  # west edge and north edge, in metres
    return [
        [[((x - ox) * scale, (oy - y) * scale) for x, y in ring] for ring in polygon] for polygon in polygons
    ]


@dataclass(frozen=True)
class Level:
    """One level of detail: coordinates are integers in map units × `factor`."""

    factor: int
    tolerance: float  # Douglas–Peucker, in map units
    min_area: float  # islands and holes below this (square map units) are dropped


COARSE = Level(1, TOLERANCE, MIN_AREA)
# For zoomed views (a network's area, a county): ten times finer, so that Stavanger is not a staircase.
FINE = Level(FINE_FACTOR, FINE_TOLERANCE, FINE_MIN_AREA)

Outline = list[list[list[tuple[int, int]]]]  # polygons → rings → points, in map units × factor


def outline(polygons: list[Polygon], areas: list[list[float]], level: Level) -> Outline:
    """The polygons (in map units, with each ring's area) simplified and rounded at `level`; the largest
    polygon always stays."""
    f = level.factor
    largest = max(range(len(polygons)), key=lambda i: areas[i][0])
    kept: Outline = []
    for index, polygon in enumerate(polygons):
        is_largest = index == largest
        if not is_largest and areas[index][0] < level.min_area:
            continue
        rings = []
        for ring_index, ring in enumerate(polygon):
            if ring_index > 0 and areas[index][ring_index] < level.min_area:
                continue  # a small lake or enclave: invisible at this scale
            scaled = [(x * f, y * f) for x, y in ring]
            # Onto the integer grid first: that merges the source points sharing a grid cell, so
            # Douglas–Peucker (the slow part) scans a fraction of them.
            grid = _rounded(scaled)
            simple = simplify_ring(grid, level.tolerance * f) if level.tolerance else grid
            if len(simple) < 3:
                if ring_index > 0 or not is_largest:
                    continue
                # The municipality must not vanish: fall back to the unsimplified outline, then to a dot.
                simple = grid
                if len(simple) < 3:
                    x, y = (round(v) for v in _centroid(scaled))
                    simple = [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)]
            rings.append(simple)
        if not rings:
            continue
        if is_largest:  # first, so that its outer ring is always outline[0][0]
            kept.insert(0, rings)
        else:
            kept.append(rings)
    return kept


def prepare(feature: Feature, origin: Point, scale: float) -> Prepared:
    polygons = _to_map(feature.polygons, origin, scale)
    areas = [[area(ring) for ring in polygon] for polygon in polygons]
    coarse = outline(polygons, areas, COARSE)
    label = label_point([[(float(x), float(y)) for x, y in ring] for ring in coarse[0]])
    xs = [x for polygon in coarse for ring in polygon for x, _ in ring]
    ys = [y for polygon in coarse for ring in polygon for _, y in ring]
    return Prepared(
        number=feature.number,
        name=feature.name,
        path=path_data(coarse),
        bbox=(min(xs), min(ys), max(xs), max(ys)),
        label_point=(round(label[0], 1), round(label[1], 1)),
        fine_path=path_data(outline(polygons, areas, FINE)),
    )


def _points(features: Iterable[Feature]) -> Iterator[Point]:
    for feature in features:
        for polygon in feature.polygons:
            yield from polygon[0]


@dataclass(frozen=True)
class PreparedMap:
    municipalities: list[Prepared]
    counties: list[Prepared]
    bbox: BBox


def prepare_all(
    municipalities_file: Path = MUNICIPALITIES_FILE, counties_file: Path = COUNTIES_FILE
) -> PreparedMap:
    municipalities = read_features(municipalities_file, "kommunenummer", "kommunenavn")
    counties = read_features(counties_file, "fylkesnummer", "fylkesnavn")
    points = list(_points(municipalities))
    west = min(x for x, _ in points)
    east = max(x for x, _ in points)
    north = max(y for _, y in points)
    scale = WIDTH / (east - west)
    origin = (west, north)
    shapes = [prepare(f, origin, scale) for f in municipalities]
    county_shapes = [prepare(f, origin, scale) for f in counties]
    bbox = (
        min(s.bbox[0] for s in shapes),
        min(s.bbox[1] for s in shapes),
        max(s.bbox[2] for s in shapes),
        max(s.bbox[3] for s in shapes),
    )
    return PreparedMap(shapes, county_shapes, bbox)

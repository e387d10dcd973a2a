"""The coverage map (overview/maps.py): preparing the geometry on first use, and rendering the map of the
whole country and of one network's area. No database: the map is drawn from what the page has already
computed.

bench/benchmarks.py registers these with `BENCHMARKS += maps.benchmarks()` (after `from bench import maps`);
Benchmark is imported inside the function, so the two modules do not import each other at load time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.benchmarks import Benchmark
    from fagnett.overview.maps import MapArea

ROGALAND = "11"  # a network's area of typical size: 23 municipalities


def _first_geometry() -> Callable[[], object]:
    """What the first map request of a process pays: read, project and simplify both files, at both levels
    of detail (the runner's warm-up run does not help, as every run starts from empty caches)."""
    from fagnett.overview import maps

    def first_use() -> object:
        for cached in (maps._prepared, maps.geometry, maps._fine_paths):  # noqa: SLF001 - the caches to time
            cached.cache_clear()
        geo = maps.geometry()
        maps._fine_paths()  # noqa: SLF001
        return geo

    return first_use


def _areas(numbers: list[str]) -> dict[str, MapArea]:
    from fagnett.overview.maps import MapArea, MapStatus, geometry

    statuses = list(MapStatus)
    shapes = geometry().municipalities
    return {
        n: MapArea(
            n, statuses[i % 3], f"{shapes[n].name}: dekket, {i} ressurspersoner", f"/oversikt/kommune/{n}/"
        )
        for i, n in enumerate(numbers)
    }


def _render(*, county: str | None) -> Callable[[], Callable[[], object]]:
    def prepare() -> Callable[[], object]:
        from fagnett.overview.maps import geometry, render_map

        numbers = [n for n in geometry().municipalities if county is None or n.startswith(county)]
        areas = _areas(numbers)
        focus = set(numbers) if county is not None else None
        return lambda: render_map(areas, map_id="kart", title="Dekning", focus=focus)

    return prepare


def benchmarks() -> list[Benchmark]:
    from bench.benchmarks import Benchmark

    return [
        Benchmark(
            "map geometry, first preparation (357 + 15 areas)", _first_geometry, target_ms=2000, repeat=5
        ),
        Benchmark("map SVG, whole country (357 links)", _render(county=None), target_ms=10),
        Benchmark("map SVG, one network's area (Rogaland, 23 links)", _render(county=ROGALAND), target_ms=10),
    ]

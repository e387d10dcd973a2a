"""The coverage map: prepared geometry, the SVG it renders, and the legend (overview/maps.py)."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string

from fagnett.overview import _geometry
from fagnett.overview.maps import MapArea, MapStatus, Shape, geometry, legend, render_map

OSLO, BERGEN, TROMSO, STAVANGER, SANDNES = "0301", "4601", "5501", "1103", "1108"
FINNMARK = "56"  # the county number every Finnmark municipality's number starts with


def _areas(href: bool = True, status: MapStatus = MapStatus.COVERED) -> dict[str, MapArea]:
    return {
        number: MapArea(number, status, f"{shape.name}: 3 ressurspersoner", f"/k/{number}/" if href else None)
        for number, shape in geometry().municipalities.items()
    }


def _view_box(html: str) -> tuple[float, float, float, float]:
    match = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', html)
    assert match is not None
    x, y, w, h = (float(v) for v in match.groups())
    return x, y, x + w, y + h


def _ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def _inside(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


# --- Geometry ---


def test_it_prepares_every_municipality_and_county_with_an_outline_inside_the_country() -> None:
    geo = geometry()
    assert len(geo.municipalities) == 357
    assert len(geo.counties) == 15
    for number, shape in [*geo.municipalities.items(), *geo.counties.items()]:
        assert shape.number == number
        assert shape.name
        assert shape.path.startswith("M") and shape.path.endswith("z")
        assert shape.bbox[0] < shape.bbox[2] and shape.bbox[1] < shape.bbox[3]
        assert _inside(shape.bbox, geo.bbox), number
        x, y = shape.label_point
        assert _inside((x, y, x, y), shape.bbox), number
    assert geo.bbox[0] == 0 and geo.bbox[2] == _geometry.WIDTH


def test_it_keeps_the_smallest_island_municipalities() -> None:
    municipalities = geometry().municipalities
    for number in ("1151", "1856", "1144", "1835"):  # Utsira, Røst, Kvitsøy, Træna
        assert municipalities[number].path.count("M") >= 1


def test_it_keeps_municipality_numbers_as_strings_with_leading_zeros() -> None:
    assert geometry().municipalities[OSLO].name == "Oslo"
    assert "11" in geometry().counties


def test_it_projects_oslo_south_of_tromso_and_bergen_west_of_oslo() -> None:
    municipalities = geometry().municipalities
    oslo, bergen, tromso = (municipalities[n].label_point for n in (OSLO, BERGEN, TROMSO))
    assert oslo[1] > tromso[1]  # SVG's y grows downwards
    assert bergen[0] < oslo[0]
    assert abs(bergen[1] - oslo[1]) < 100  # half a degree of latitude apart


def test_it_projects_with_utm_zone_33() -> None:
    east, north = _geometry.utm33(10.7522, 59.9139)  # Oslo, central station
    assert abs(east - 262_560) < 500 and abs(north - 6_649_440) < 500
    assert _geometry.utm33(15.0, 65.0)[0] == pytest.approx(500_000)


def test_its_projection_is_conformal_even_in_finnmark() -> None:
    """Equal scale along the meridian and the parallel: raw lon/lat would stretch the north by about 3×."""
    import math

    lon, lat, step = 28.0, 70.5, 1e-4
    x0, y0 = _geometry.utm33(lon, lat)
    x1, y1 = _geometry.utm33(lon + step, lat)
    x2, y2 = _geometry.utm33(lon, lat + step)
    along_parallel = math.hypot(x1 - x0, y1 - y0) / math.cos(math.radians(lat))
    along_meridian = math.hypot(x2 - x0, y2 - y0)
    assert along_parallel / along_meridian == pytest.approx(1, abs=0.01)


def test_it_caches_the_geometry_for_the_process() -> None:
    assert geometry() is geometry()


def test_its_simplification_keeps_a_closed_ring_within_the_tolerance() -> None:
    ring = [(0.0, 0.0), (5.0, 0.1), (10.0, 0.0), (10.0, 10.0), (5.0, 10.2), (0.0, 10.0), (0.0, 0.0)]
    assert _geometry.simplify_ring(ring, 0.5) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]


def test_its_label_point_is_inside_a_bent_shape() -> None:
    # A "U": its centroid lies in the gap between the arms.
    u_shape = [
        [(0.0, 0.0), (3.0, 0.0), (3.0, 8.0), (7.0, 8.0), (7.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    ]
    x, y = _geometry.label_point(u_shape)
    assert not (3 < x < 7 and y < 8)


# --- Size ---


def test_the_whole_country_stays_small() -> None:
    geo = geometry()
    assert sum(len(s.path) for s in geo.municipalities.values()) < 150_000
    html = render_map(_areas(), map_id="norge", title="Norge")
    assert len(html.encode()) < 250_000  # every municipality a link with a title, and the county borders


# --- Rendering ---


def test_it_links_only_the_municipalities_with_an_href_each_with_its_accessible_name() -> None:
    areas = {
        STAVANGER: MapArea(STAVANGER, MapStatus.COVERED, "Stavanger: dekket, 10 ressurspersoner", "/k/1103/"),
        SANDNES: MapArea(SANDNES, MapStatus.PARTLY, "Sandnes: delvis dekket, 2 ressurspersoner"),
    }
    html = render_map(areas, map_id="kart", title="Dekning")
    links = re.findall(
        r'<a class="fn-map-link" href="([^"]+)" aria-label="([^"]+)"><title>([^<]+)</title>', html
    )
    assert links == [
        ("/k/1103/", "Stavanger: dekket, 10 ressurspersoner", "Stavanger: dekket, 10 ressurspersoner")
    ]
    assert html.count("<a ") == 2  # the map link and the skip link
    # Sandnes has no link: a plain shape in the hidden group, with its title as a tooltip only.
    hidden = re.search(r'<g aria-hidden="true">(.*?)</g>', html)
    assert hidden is not None
    assert "Sandnes: delvis dekket" in hidden.group(1)
    assert "Stavanger: dekket" not in hidden.group(1)


def test_it_draws_municipalities_outside_the_areas_as_outside_without_a_link() -> None:
    html = render_map({}, map_id="kart", title="Norge")
    assert "<a " not in html  # no links, so no skip link either
    assert html.count('fill="url(#kart-fn-map-utenfor)"') == 357


def test_it_is_a_labelled_group_with_the_attribution_and_nothing_from_elsewhere() -> None:
    html = render_map(_areas(), map_id="kart", title="Dekning i Norge")
    assert 'role="group" aria-labelledby="kart-title"' in html
    assert '<title id="kart-title">Dekning i Norge</title>' in html
    assert "© Kartverket (CC BY 4.0)" in html
    assert '<p class="fn-map-attribution"' in html
    for forbidden in ("http:", "https:", "//", "<script", "xlink", "<image", "@import", "font"):
        assert forbidden not in html, forbidden


def test_it_offers_a_skip_link_past_the_map() -> None:
    html = render_map(_areas(), map_id="kart", title="Norge")
    assert '<a class="ds-skip-link" href="#kart-end">' in html
    assert 'id="kart-end"' in html
    assert html.index("ds-skip-link") < html.index("<svg")


def test_it_shows_status_by_pattern_and_defines_every_pattern_it_uses() -> None:
    statuses = list(MapStatus)
    areas = {
        number: MapArea(number, statuses[i % 4], f"{i}", f"/k/{number}/")
        for i, number in enumerate(geometry().municipalities)
    }
    html = render_map(areas, map_id="kart", title="Norge")
    ids = set(_ids(html))
    used = set(re.findall(r'fill="url\(#([^)]+)\)"', html))
    assert used == {f"kart-{name}" for _, name in legend()}
    assert used <= ids
    # Partly and not covered are hatched (single and crossed), so they differ without colour.
    partly = re.search(r'<pattern id="kart-fn-map-delvis"[^>]*>(.*?)</pattern>', html)
    not_covered = re.search(r'<pattern id="kart-fn-map-ikke-dekket"[^>]*>(.*?)</pattern>', html)
    assert partly is not None and not_covered is not None
    assert partly.group(1).count("<rect") == 2
    assert not_covered.group(1).count("<rect") == 3


def test_two_maps_on_one_page_have_unique_ids() -> None:
    page = render_map(_areas(), map_id="norge", title="Norge") + render_map(
        _areas(), map_id="rogaland", title="Rogaland", focus={STAVANGER, SANDNES}
    )
    ids = _ids(page)
    assert len(ids) == len(set(ids))
    assert "norge-title" in ids and "rogaland-title" in ids
    second = page[page.index('<div class="fn-map"', 1) :]
    assert set(re.findall(r"url\(#([^)]+)\)", second)) <= set(_ids(second))


def test_it_zooms_to_the_focus_and_leaves_far_away_municipalities_out() -> None:
    geo = geometry()
    html = render_map(_areas(), map_id="kart", title="Jæren", focus={STAVANGER, SANDNES})
    view = _view_box(html)
    assert _inside(geo.municipalities[STAVANGER].bbox, view)
    assert _inside(geo.municipalities[SANDNES].bbox, view)
    assert view[2] - view[0] < 200  # a region, not the country
    hrefs = re.findall(r'href="/k/(\d{4})/"', html)
    assert STAVANGER in hrefs and SANDNES in hrefs
    assert not [n for n in hrefs if n.startswith(FINNMARK)]
    assert OSLO not in hrefs
    assert len(hrefs) < 60


def test_a_zoomed_map_draws_the_finer_outlines() -> None:
    country = render_map(_areas(), map_id="a", title="Norge")
    zoomed = render_map(_areas(), map_id="b", title="Jæren", focus={STAVANGER})
    assert "transform=" not in country
    assert f'transform="scale({1 / _geometry.FINE_FACTOR:g})"' in zoomed


def test_a_focus_on_one_small_municipality_keeps_its_neighbours_in_view() -> None:
    html = render_map(_areas(), map_id="kart", title="Utsira", focus={"1151"})
    view = _view_box(html)
    assert view[2] - view[0] >= 30 and view[3] - view[1] >= 30


def test_it_keeps_a_zoom_to_a_long_area_at_a_readable_aspect() -> None:
    html = render_map(_areas(), map_id="kart", title="Vestland", focus={OSLO, TROMSO})
    x0, y0, x1, y1 = _view_box(html)
    assert 0.5 <= (x1 - x0) / (y1 - y0) <= 2


def test_it_shows_the_whole_country_without_a_focus() -> None:
    geo = geometry()
    for focus in (None, set(), {"9999"}):
        html = render_map(_areas(), map_id="kart", title="Norge", focus=focus)
        assert _inside(geo.bbox, _view_box(html))
        assert html.count('class="fn-map-link"') == 357


def test_it_escapes_titles_names_and_links() -> None:
    evil = "<script>alert(1)</script>"
    areas = {
        OSLO: MapArea(OSLO, MapStatus.COVERED, f'Oslo {evil} "x"', '/k/0301/?a=1&b="2"'),
        BERGEN: MapArea(BERGEN, MapStatus.PARTLY, f"Bergen {evil}"),
    }
    html = render_map(areas, map_id='k"<x>', title=f"Kart {evil}")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="/k/0301/?a=1&amp;b=&quot;2&quot;"' in html
    assert 'aria-label="Oslo &lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot;"' in html
    assert 'id="k&quot;&lt;x&gt;-title"' in html


def test_it_ignores_a_municipality_the_boundary_data_does_not_have() -> None:
    areas = {
        "9999": MapArea("9999", MapStatus.COVERED, "Nykommune: dekket", "/k/9999/"),
        STAVANGER: MapArea(STAVANGER, MapStatus.COVERED, "Stavanger: dekket", "/k/1103/"),
    }
    html = render_map(areas, map_id="kart", title="Norge", focus={"9999", STAVANGER})
    assert "Nykommune" not in html and "/k/9999/" not in html
    assert "/k/1103/" in html
    assert _inside(geometry().municipalities[STAVANGER].bbox, _view_box(html))


def test_it_puts_links_in_the_order_of_the_areas() -> None:
    order = [TROMSO, OSLO, BERGEN]
    areas = {n: MapArea(n, MapStatus.COVERED, n, f"/k/{n}/") for n in order}
    html = render_map(areas, map_id="kart", title="Norge")
    assert re.findall(r'href="/k/(\d{4})/"', html) == order


def test_it_draws_county_borders_on_top_only_when_asked() -> None:
    html = render_map(_areas(), map_id="kart", title="Norge")
    counties = re.search(r'<g class="fn-map-counties" aria-hidden="true" fill="none"[^>]*>(.*?)</g>', html)
    assert counties is not None
    assert counties.group(1).count("<path") == 15
    assert html.index("fn-map-counties") > html.rindex("fn-map-link")
    assert "fn-map-counties" not in render_map(_areas(), map_id="kart", title="Norge", show_counties=False)


def test_a_zoomed_map_draws_only_the_counties_in_view() -> None:
    html = render_map(_areas(), map_id="kart", title="Jæren", focus={STAVANGER})
    counties = re.search(r'<g class="fn-map-counties"[^>]*>(.*?)</g>', html)
    assert counties is not None
    assert 1 <= counties.group(1).count("<path") < 5


# --- Legend ---


def test_its_legend_lists_the_statuses_in_display_order() -> None:
    assert [status for status, _ in legend()] == [
        MapStatus.COVERED,
        MapStatus.PARTLY,
        MapStatus.NOT_COVERED,
        MapStatus.OUTSIDE,
    ]
    assert len({name for _, name in legend()}) == 4
    assert all(name.startswith("fn-map-") for _, name in legend())


def test_its_legend_template_uses_the_maps_own_patterns_and_names_each_status() -> None:
    html = render_map(_areas(), map_id="kart", title="Norge")
    rendered = render_to_string("overview/_map_legend.html", {"map_id": "kart", "legend": legend()})
    references = re.findall(r"url\(#([^)]+)\)", rendered)
    assert len(references) == 4
    assert set(references) <= set(_ids(html))
    for status, _ in legend():
        assert str(status.label) in rendered
    assert 'aria-hidden="true"' in rendered


def test_shapes_are_frozen() -> None:
    shape = geometry().municipalities[OSLO]
    assert isinstance(shape, Shape)
    with pytest.raises(AttributeError):
        shape.name = "Christiania"  # type: ignore[misc]

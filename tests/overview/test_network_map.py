"""The coverage map on the network's dashboard and coverage page (issue 10), zoomed to the network's area or a
local chapter's, drawn from the coverage facts the pages already compute: no extra query.

Known data on 15.06.2024: `network` covers Stavanger (1103) and Sandnes (1108). Stavanger has one resource
person from home care and one from a nursing home (covered; both in chapter "stavanger"); Sandnes has none
(not covered).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from fagnett.accounts.models import User
from fagnett.networks.coverage import Cell, MunicipalityCoverage, compute_coverage
from fagnett.networks.models import LocalChapter, Network, ServiceType
from fagnett.networks.views import coverage as coverage_views
from fagnett.networks.views import dashboard as dashboard_views
from fagnett.overview import maps
from fagnett.overview import network_map as network_map_module
from fagnett.overview.maps import MapArea, MapStatus
from fagnett.overview.network_map import map_areas, municipality_status, network_map
from tests.conftest import login
from tests.helpers import count_queries, nb
from tests.networks.test_coverage import resource_person, workplace

DAY = dt.date(2024, 6, 15)
DASHBOARD = reverse("networks:dashboard", args=["barnepalliasjon"])
COVERAGE = reverse("networks:coverage", args=["barnepalliasjon"])
HC, NH = ServiceType.HOME_CARE, ServiceType.NURSING_HOME

pytestmark = pytest.mark.usefixtures("known")


@pytest.fixture
def known(network: Network, chapter: LocalChapter) -> None:
    home_care = workplace(network, "Hillevåg hjemmetjeneste", HC, "1103")
    nursing_home = workplace(network, "Lassa sykehjem", NH, "1103")
    resource_person(network, "hanne@example.no", home_care, chapter=chapter)
    resource_person(network, "nils@example.no", nursing_home, chapter=chapter)


@pytest.fixture(autouse=True)
def _day() -> Any:
    with time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def titles() -> dict[str, str]:
    """The titles the map must carry on the known data, in the words users read."""
    with translation.override("nb"):
        persons = translation.ngettext(
            "%(name)s: %(status)s, %(count)s resource person",
            "%(name)s: %(status)s, %(count)s resource persons",
            2,
        )
    return {
        "1103": persons % {"name": "Stavanger", "status": nb("Covered").lower(), "count": 2},
        "1108": persons % {"name": "Sandnes", "status": nb("Not covered").lower(), "count": 0},
    }


def viewbox(html: str, map_id: str) -> tuple[float, float, float, float]:
    """The viewBox of the map's <svg> (the one labelled by the map's title), as min_x, min_y, max_x, max_y."""
    tag = next(t for t in re.findall(r"<svg[^>]*>", html) if f'aria-labelledby="{map_id}-title"' in t)
    match = re.search(r'viewBox="([^"]+)"', tag)
    assert match is not None
    x, y, width, height = (float(part) for part in match.group(1).split())
    return x, y, x + width, y + height


def contains(outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]) -> bool:
    slack = 1.0  # coordinates are rounded
    return (
        outer[0] <= inner[0] + slack
        and outer[1] <= inner[1] + slack
        and outer[2] >= inner[2] - slack
        and outer[3] >= inner[3] - slack
    )


def union(numbers: list[str]) -> tuple[float, float, float, float]:
    boxes = [maps.geometry().municipalities[number].bbox for number in numbers]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


# --- the statuses and titles, from the facts alone ---


def _municipality(*cells: tuple[int, bool]) -> MunicipalityCoverage:
    return MunicipalityCoverage(
        number="1103",
        name="Stavanger",
        cells=tuple(
            Cell(code=code, count=count, met=met) for code, (count, met) in zip((HC, NH), cells, strict=True)
        ),
    )


@pytest.mark.parametrize(
    ("cells", "status"),
    [
        (((1, True), (2, True)), MapStatus.COVERED),
        (((1, True), (0, False)), MapStatus.PARTLY),  # one rule met
        (((1, False), (0, False)), MapStatus.PARTLY),  # someone counted, but below the minimum
        (((0, False), (0, False)), MapStatus.NOT_COVERED),
    ],
)
def test_a_municipality_is_covered_partly_or_not_by_its_rules(
    cells: tuple[tuple[int, bool], ...], status: MapStatus
) -> None:
    assert municipality_status(_municipality(*cells)) is status


def test_each_municipality_of_the_area_gets_its_status_in_words_and_its_count(network: Network) -> None:
    facts = compute_coverage(network, DAY)
    areas = map_areas(facts, link=lambda number: f"#kommune-{number}")
    assert areas == {
        "1103": MapArea(
            number="1103", status=MapStatus.COVERED, title=titles()["1103"], href="#kommune-1103"
        ),
        "1108": MapArea(
            number="1108", status=MapStatus.NOT_COVERED, title=titles()["1108"], href="#kommune-1108"
        ),
    }


def test_without_a_link_the_municipalities_are_not_links(network: Network) -> None:
    facts = compute_coverage(network, DAY)
    assert {area.href for area in map_areas(facts).values()} == {None}


def test_one_resource_person_is_written_in_the_singular(network: Network) -> None:
    one = MunicipalityCoverage(number="1103", name="Stavanger", cells=(Cell(code=HC, count=1, met=True),))
    facts = dataclasses.replace(compute_coverage(network, DAY), municipalities=(one,))
    assert map_areas(facts)["1103"].title == nb("%(name)s: %(status)s, %(count)s resource person") % {
        "name": "Stavanger",
        "status": nb("Covered").lower(),
        "count": 1,
    }


def test_the_map_is_zoomed_to_the_area_of_the_facts(
    network: Network, chapter: LocalChapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def spy(areas: dict[str, MapArea], **kwargs: Any) -> SafeString:
        calls.append({"areas": set(areas), **kwargs})
        return mark_safe("<svg></svg>")  # noqa: S308 - a constant

    monkeypatch.setattr(network_map_module, "render_map", spy)
    network_map(compute_coverage(network, DAY), map_id="a")
    network_map(compute_coverage(network, DAY, chapter), map_id="b")
    assert [(call["areas"], set(call["focus"]), call["map_id"]) for call in calls] == [
        ({"1103", "1108"}, {"1103", "1108"}, "a"),
        ({"1103"}, {"1103"}, "b"),
    ]
    assert calls[1]["title"] == nb("Coverage map of %(name)s") % {"name": "Stavanger"}


# --- on the pages ---


def test_the_dashboard_shows_the_map_with_every_municipality_linked_to_its_row(
    client: Client, alice: User
) -> None:
    html = login(client, alice).get(DASHBOARD).content.decode()
    assert nb("Coverage map") in html
    assert 'href="#dashboard-map-end"' in html  # the map's own skip link
    for number, title in titles().items():
        assert title in html
        assert f"{COVERAGE}#kommune-{number}" in html


def test_the_coverage_page_shows_the_map_and_the_rows_it_links_to(client: Client, alice: User) -> None:
    html = login(client, alice).get(COVERAGE).content.decode()
    assert nb("Coverage map") in html
    assert 'href="#coverage-map-end"' in html
    for number, title in titles().items():
        assert title in html
        assert f'"#kommune-{number}"' in html
        assert f'<tr id="kommune-{number}">' in html
    # The map comes before the summary and the table that hold the same numbers.
    assert html.index('id="fn-coverage-map"') < html.index('id="fn-coverage-summary"')


def test_a_scoped_reader_sees_the_map_too(client: Client, rolf: User) -> None:
    html = login(client, rolf).get(COVERAGE).content.decode()
    assert titles()["1108"] in html


@pytest.mark.parametrize(("url", "map_id"), [(DASHBOARD, "dashboard-map"), (COVERAGE, "coverage-map")])
def test_the_map_is_zoomed_to_the_networks_area(client: Client, alice: User, url: str, map_id: str) -> None:
    html = login(client, alice).get(url).content.decode()
    box = viewbox(html, map_id)
    country = maps.geometry().bbox
    assert contains(box, union(["1103", "1108"]))
    # Zoomed: far less than the country, and not reaching Bergen or Oslo.
    assert (box[2] - box[0]) < (country[2] - country[0]) / 4
    assert not contains(box, union(["4601"]))
    assert not contains(box, union(["0301"]))


def test_the_chapters_view_zooms_to_the_chapter(client: Client, alice: User) -> None:
    login(client, alice)
    whole = viewbox(client.get(COVERAGE).content.decode(), "coverage-map")
    html = client.get(COVERAGE, {"lokallag": "stavanger"}).content.decode()
    box = viewbox(html, "coverage-map")
    assert contains(box, union(["1103"]))
    assert box != whole
    assert titles()["1103"] in html
    assert titles()["1108"] not in html


@pytest.mark.parametrize(
    ("url", "module", "query"),
    [
        (DASHBOARD, dashboard_views, {}),
        (COVERAGE, coverage_views, {}),
        (COVERAGE, coverage_views, {"lokallag": "stavanger"}),
    ],
)
def test_the_map_adds_no_query_to_the_page(
    client: Client, alice: User, url: str, module: Any, query: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, alice)
    client.get(url, query)  # the geometry is read once per process, before counting
    with_map = count_queries(lambda: client.get(url, query))
    monkeypatch.setattr(module, "network_map", lambda *args, **kwargs: "")
    assert count_queries(lambda: client.get(url, query)) == with_map

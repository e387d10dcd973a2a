"""`plan_status --network SLUG --year YYYY --format json`: the demo network's 2024 plans as one JSON object,
with the figures of seed 001's tables."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fagnett.activities.models import Activity, ActivityKind
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Network

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def plan_status(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("plan_status", *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.fixture
def demo() -> Network:
    call_command("load_demo", stdout=StringIO())
    return Network.objects.get(slug=DEMO_SLUG)


def test_it_prints_the_demo_networks_2024_measures_goals_indicators_priorities_economy_and_partners(
    demo: Network,
) -> None:
    status = plan_status("--network", DEMO_SLUG, "--year", "2024", "--format", "json")

    assert set(status) == {
        "network",
        "year",
        "measures",
        "goals",
        "indicators",
        "priority_areas",
        "economy",
        "partners",
    }
    assert (status["network"], status["year"]) == (DEMO_SLUG, 2024)
    # Seed 001's "Delmål oppnådd?" column, in the table's order.
    (goal,) = status["goals"]
    assert [(s["label"], s["achievement"]) for s in goal["sub_goals"]] == [
        ("1", "ja"),
        ("2,3,4", "ja"),
        ("5", "ja"),
        ("6", "delvis"),
        ("7", "delvis"),
    ]
    assert [action["letter"] for action in goal["sub_goals"][0]["actions"]] == ["A", "B", "C"]
    # Seed 001's result-indicator table.
    values = {indicator["name"]: indicator["value"] for indicator in status["indicators"]}
    assert values["Henvisninger barnepalliasjon"] == 12
    assert values["Dokumenterte tilsyn/møter"] == 91
    assert values["Telefoniske kontakter/oppfølginger"] == 152
    assert values["Overgang barn til voksenpalliasjon"] == 3
    assert values["Veiledninger"] == 18
    # Measures carry their year status and the activities that carried them out.
    assert status["measures"], "the demo plan has measures applying in 2024"
    keys = {"title", "status", "linked_count", "target_groups", "means", "timeframe"}
    assert keys <= set(status["measures"][0])
    network_meetings = [m for m in status["measures"] if m["per_year_min"] == 2 and m["per_year_max"] == 4]
    assert len(network_meetings) == 1
    assert set(status["priority_areas"]) == {"continued", "new"}
    totals = status["economy"]["totals"]
    assert totals["income"] == totals["grants"] + totals["course_fees"] + totals["other_income"]
    assert totals["result"] == totals["income"] - totals["costs"]
    assert len(status["partners"]) == 2


def test_the_network_meetings_measure_counts_the_demo_gatherings_of_the_year(demo: Network) -> None:
    gatherings = Activity.objects.filter(network=demo, kind=ActivityKind.GATHERING, starts_on__year=2024)
    status = plan_status("--network", DEMO_SLUG, "--year", "2024")
    (measure,) = [m for m in status["measures"] if m["per_year_min"] == 2]
    assert measure["linked_count"] == gatherings.count() > 0


def test_a_year_outside_the_range_and_an_unknown_network_are_refused(demo: Network) -> None:
    with pytest.raises(CommandError, match="--year"):
        plan_status("--network", DEMO_SLUG, "--year", "1800")
    with pytest.raises(CommandError, match="ingen-slik"):
        plan_status("--network", "ingen-slik", "--year", "2024")

"""The demo network's 2024 facts against what the demo holds (networks.demo, activities.demo, plans.demo;
seed 001's figures)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from fagnett.activities.demo import GATHERINGS, SHADOWING, STUDY_DAY, STUDY_DAY_PARTICIPANTS
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Membership, Network, Role
from fagnett.networks.stats import membership_stats
from fagnett.reports.facts import annual_facts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def facts() -> tuple[Network, dict[str, Any]]:
    call_command("load_demo", stdout=StringIO())
    network = Network.objects.get(slug=DEMO_SLUG)
    return network, annual_facts(network, 2024)


def resource_persons_on(network: Network, day: dt.date) -> int:
    return (
        Membership.objects.active_on(day)
        .filter(network=network, role__code=Role.RESOURCE_PERSON)
        .values("person")
        .distinct()
        .count()
    )


def test_members_and_coverage_are_the_demos_at_the_end_of_2024(facts: tuple[Network, dict[str, Any]]) -> None:
    network, result = facts
    members = result["members"]

    assert members["at_year_end"] == resource_persons_on(network, dt.date(2024, 12, 31)) == 56
    assert members["at_previous_year_end"] == resource_persons_on(network, dt.date(2023, 12, 31))
    stats = membership_stats(network, 2024)
    assert (members["joined"], members["left"]) == (stats.joined, stats.left)
    assert members["change"] == members["at_year_end"] - members["at_previous_year_end"]
    assert [row["year"] for row in members["by_year"]] == [2020, 2021, 2022, 2023, 2024]
    assert members["by_year"][-1]["members"] == 56
    # Coverage: 14 of 15 municipalities, Kvitsøy has nobody (seed 001).
    coverage = result["coverage"]
    assert (coverage["municipalities_covered"], coverage["municipalities_total"]) == (14, 15)
    assert (coverage["units_covered"], coverage["units_total"]) == (5, 5)
    assert coverage["gaps"] == ["Kvitsøy: mangler hjemmetjeneste"]
    assert "Kvitsøy" in coverage["statement"]
    kvitsoy = next(m for m in coverage["municipalities"] if m["name"] == "Kvitsøy")
    assert (kvitsoy["covered"], kvitsoy["persons"]) == (False, 0)


def test_the_indicators_and_goals_are_seed_001s_tables_and_everything_is_json_ready(
    facts: tuple[Network, dict[str, Any]],
) -> None:
    values = {indicator["name"]: indicator["value"] for indicator in facts[1]["indicators"]}

    assert values["Henvisninger barnepalliasjon"] == 12
    assert values["Dokumenterte tilsyn/møter"] == 91
    assert values["Telefoniske kontakter/oppfølginger"] == 152
    assert values["Overgang barn til voksenpalliasjon"] == 3
    assert values["Veiledninger"] == 18
    # Seed 001's "Delmål oppnådd?" column.
    (goal,) = facts[1]["goals"]
    assert [sub_goal["achievement_label"] for sub_goal in goal["sub_goals"]] == [
        "Ja",
        "Ja",
        "Ja",
        "Delvis",
        "Delvis",
    ]
    assert json.loads(json.dumps(facts[1])) == facts[1]


def test_the_years_activities_shadowing_and_chapter_are_the_demos(
    facts: tuple[Network, dict[str, Any]],
) -> None:
    network, result = facts

    (study_day,) = result["study_days"]
    assert study_day["date"] == STUDY_DAY.isoformat()
    assert study_day["participants"] + study_day["other_participants"] == STUDY_DAY_PARTICIPANTS
    gatherings_2024 = sorted(theme for day, theme in GATHERINGS if day.year == 2024)
    assert result["gatherings"]["count"] == len(gatherings_2024) == 2
    assert result["gatherings"]["themes"] == gatherings_2024
    assert result["intro_courses"] == []  # the demo's introductory course was in 2023
    days_2024 = sum((days for day, days in SHADOWING if day.year == 2024), Decimal(0))
    assert sum(Decimal(str(row["days"])) for row in result["shadowing"]) == days_2024
    (group,) = result["groups"]
    assert len(group["members"]) == 6
    assert result["competence"]["plan"] == "Kompetanseplan for ressurssykepleiere"
    # The Jæren chapter has its own numbers.
    (jaeren,) = result["chapters"]
    chapter = network.chapters.get(slug="jaeren")
    assert jaeren["name"] == "Jæren"
    assert jaeren["members"]["at_year_end"] == membership_stats(network, 2024, chapter).members_at_year_end
    assert (jaeren["coverage"]["municipalities_covered"], jaeren["coverage"]["municipalities_total"]) == (
        4,
        4,
    )
    assert jaeren["priority_areas"] == result["priority_areas"]

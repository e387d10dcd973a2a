"""The demo network's plans (plans/demo.py): seed 001's goal tree and result-indicator table, a dissemination
plan modelled on seed 000's, and the year's priority areas, economy, partners and learning resources."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from fagnett.activities.models import ActivityKind
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Network
from fagnett.plans.demo import MAIN_GOAL, MEASURES, load_demo_plans
from fagnett.plans.hub_queries import hub_facts, partners_year_facts
from fagnett.plans.models import (
    DisseminationPlan,
    EconomyLine,
    GoalAction,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    LearningResource,
    MainGoal,
    Measure,
    MeasureYear,
    Partner,
    PriorityArea,
    SubGoal,
    SubGoalAssessment,
    TargetGroup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def demo() -> Network:
    call_command("load_demo", stdout=StringIO())
    network = Network.objects.get(slug=DEMO_SLUG)
    load_demo_plans(network)  # networks.demo may already call it; a second run changes nothing
    return network


def fingerprint(network: Network) -> dict[str, list[Any]]:
    return {
        "goals": list(MainGoal.objects.filter(network=network).values_list("pk", "text")),
        "sub_goals": list(SubGoal.objects.filter(main_goal__network=network).values_list("pk", "label")),
        "actions": list(
            GoalAction.objects.filter(sub_goal__main_goal__network=network).values_list("pk", "text")
        ),
        "assessments": list(
            SubGoalAssessment.objects.filter(sub_goal__main_goal__network=network).values_list(
                "pk", "achievement", "narrative"
            )
        ),
        "indicators": list(Indicator.objects.filter(network=network).values_list("pk", "name")),
        "values": list(IndicatorValue.objects.filter(indicator__network=network).values_list("pk", "value")),
        "plans": list(DisseminationPlan.objects.filter(network=network).values_list("pk", "title")),
        "measures": list(Measure.objects.filter(plan__network=network).values_list("pk", "title", "means")),
        "years": list(MeasureYear.objects.filter(measure__plan__network=network).values_list("pk", "status")),
        "groups": list(TargetGroup.objects.filter(network=network).values_list("pk", "code")),
        "priorities": list(PriorityArea.objects.filter(network=network).values_list("pk", "title")),
        "economy": list(EconomyLine.objects.filter(network=network).values_list("pk", "amount")),
        "partners": list(Partner.objects.filter(network=network).values_list("pk", "name")),
        "resources": list(LearningResource.objects.filter(network=network).values_list("pk", "title")),
        "links": list(
            LearningResource.activities.through.objects.filter(learningresource__network=network).values_list(
                "pk", flat=True
            )
        ),
    }


def test_the_goal_tree_and_its_2024_assessment_follow_seed_001(demo: Network) -> None:
    main_goal = MainGoal.objects.get(network=demo)
    assert main_goal.text == MAIN_GOAL
    sub_goals = list(main_goal.sub_goals.order_by("position"))
    assert [s.label for s in sub_goals] == ["1", "2,3,4", "5", "6", "7"]
    assert [s.actions.count() for s in sub_goals] == [3, 5, 3, 9, 4]
    assert sub_goals[4].description == (
        "Videreutvikle samarbeid med spesialisthelsetjenesten, og spesielt med barnepalliativt team i tråd "
        "med delavtale palliasjon"
    )
    assert [s.assessments.get(year=2024).achievement for s in sub_goals] == [
        "ja",
        "ja",
        "ja",
        "delvis",
        "delvis",
    ]
    assert all(s.assessments.get(year=2024).narrative for s in sub_goals)
    new_action = GoalAction.objects.get(sub_goal=sub_goals[3], new_in_year=2024)
    assert new_action.text == "Fagdag for personell i barnehage og skole."
    facts = hub_facts(demo, 2024)["goals"]
    assert [(g["sub_goals"], g["achieved"], g["partly"]) for g in facts] == [(5, 3, 2)]


def test_the_result_indicators_hold_seed_001s_table_for_2024(demo: Network) -> None:
    values = {
        row.indicator.name: row.value
        for row in IndicatorValue.objects.filter(indicator__network=demo, year=2024, period=0).select_related(
            "indicator"
        )
    }
    assert values == {
        "Henvisninger barnepalliasjon": 12,
        "Dokumenterte tilsyn/møter": 91,
        "Telefoniske kontakter/oppfølginger": 152,
        "Overgang barn til voksenpalliasjon": 3,
        "Veiledninger": 18,
    }
    referrals = Indicator.objects.get(network=demo, name="Henvisninger barnepalliasjon")
    assert referrals.unit == "barn/unge"
    transitions = Indicator.objects.get(network=demo, name="Overgang barn til voksenpalliasjon")
    assert transitions.footnote.startswith("KPT er en aldersuavhengig tjeneste")
    computed = Indicator.objects.get(network=demo, name="Deltakere på nettverkssamlinger")
    assert (computed.source, computed.activity_kinds) == (
        IndicatorSource.PARTICIPANTS,
        [ActivityKind.GATHERING],
    )
    # The demo's activities hold no guidance sessions, so "Veiledninger" is entered rather than computed.
    assert not demo.activities.filter(kind=ActivityKind.GUIDANCE).exists()


def test_the_dissemination_plan_follows_seed_000(demo: Network) -> None:
    plan = DisseminationPlan.objects.get(network=demo)
    assert (plan.title, plan.start_year, plan.end_year) == ("Kompetansespredningsplan 2024–2034", 2024, 2034)
    measures = list(plan.measures.order_by("position"))
    assert len(measures) == len(MEASURES) == 11
    first = measures[0]
    assert first.category.code == "informasjon"
    assert sorted(g.code for g in first.target_groups.all()) == ["BR", "H"]
    assert first.means_list[0] == "Nettside"
    assert TargetGroup.objects.get(network=demo, code="BR").name == "Brukerrepresentanter"
    network_work = next(m for m in measures if m.title == "Nettverksarbeid")
    assert (network_work.per_year_min, network_work.per_year_max, network_work.activity_kinds) == (
        2,
        4,
        ["nettverkssamling"],
    )
    assert network_work.years.get(year=2024).status == "gjennomfort"
    statuses = hub_facts(demo, 2024)["plans"][0]["year_status"]
    assert statuses == {"done": 3, "ongoing": 7, "planned": 0, "not_done": 0, "not_assessed": 0}


def test_the_year_has_priority_areas_economy_partners_and_linked_resources(demo: Network) -> None:
    facts = hub_facts(demo, 2024)
    assert (facts["priorities"]["continued"], facts["priorities"]["new"]) == (2, 1)
    assert facts["economy"]["income"] == 379000
    assert facts["economy"]["costs"] == 85000
    grants = set(EconomyLine.objects.filter(network=demo, kind="tilskudd").values_list("source", flat=True))
    assert grants == {"Helse Stavanger HF", "Statsforvalteren i Rogaland"}
    assert len(partners_year_facts(demo, 2024)) == 2
    guideline = LearningResource.objects.get(
        network=demo, title="Nasjonal faglig retningslinje for palliasjon til barn og unge"
    )
    assert guideline.kind == "retningslinje"
    assert guideline.activities.filter(kind=ActivityKind.INTRO_COURSE).exists()
    assert guideline.requirements.filter(code="introduksjonskurs").exists()
    assert LearningResource.objects.filter(network=demo).count() == 4


def test_running_it_again_changes_nothing(demo: Network) -> None:
    before = fingerprint(demo)
    load_demo_plans(demo)
    call_command("load_demo", stdout=StringIO())
    assert fingerprint(demo) == before

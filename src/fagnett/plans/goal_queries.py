"""Reads of a network's goals (seed 001): main goal → sub-goals → lettered actions, and per year whether each
sub-goal was achieved. Pure reads with a fixed number of queries, whatever the size of the tree.

- `goal_trees(network, year)` is what the goals page and the exports show (with primary keys for links);
- `goals_year_facts(network, year)` is the same as JSON-ready dicts, for the `plan_status` CLI and the annual
  report: keep its keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation

from fagnett.networks.models import Network
from fagnett.plans.models import Achievement, GoalAction, MainGoal, SubGoal, SubGoalAssessment


def action_letter(index: int) -> str:
    """A, B, … Z, then AA, AB … (index from 0), as the seed letters the actions under a sub-goal."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class ActionRow:
    pk: int
    letter: str
    text: str
    new_in_year: int | None


@dataclass(frozen=True)
class SubGoalRow:
    pk: int
    label: str
    description: str
    actions: list[ActionRow]
    achievement: str | None  # "ja" | "delvis" | "nei" | None (not assessed for the year)
    achievement_label: str | None
    narrative: str


@dataclass(frozen=True)
class GoalTree:
    pk: int
    text: str
    start_year: int | None
    end_year: int | None
    sub_goals: list[SubGoalRow]

    @property
    def assessed(self) -> int:
        return sum(1 for sub_goal in self.sub_goals if sub_goal.achievement is not None)


def applies_in(year: int) -> Q:
    """Main goals whose years include `year`; a missing start or end year is open."""
    return (Q(start_year__isnull=True) | Q(start_year__lte=year)) & (
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )


def _trees(main_goals: QuerySet[MainGoal], year: int) -> list[GoalTree]:
    """Four queries: main goals, sub-goals, actions, and the year's assessments."""
    rows = main_goals.prefetch_related(
        Prefetch("sub_goals", queryset=SubGoal.objects.order_by("position", "pk")),
        Prefetch("sub_goals__actions", queryset=GoalAction.objects.order_by("position", "pk")),
        Prefetch(
            "sub_goals__assessments",
            queryset=SubGoalAssessment.objects.filter(year=year),
            to_attr="year_assessments",
        ),
    ).order_by("position", "pk")
    labels = dict(Achievement.choices)
    trees = []
    for main_goal in rows:
        sub_goals = []
        for sub_goal in main_goal.sub_goals.all():
            assessments: list[SubGoalAssessment] = getattr(sub_goal, "year_assessments", [])
            assessment = assessments[0] if assessments else None
            sub_goals.append(
                SubGoalRow(
                    pk=sub_goal.pk,
                    label=sub_goal.label,
                    description=sub_goal.description,
                    actions=[
                        ActionRow(
                            pk=action.pk,
                            letter=action_letter(index),
                            text=action.text,
                            new_in_year=action.new_in_year,
                        )
                        for index, action in enumerate(sub_goal.actions.all())
                    ],
                    achievement=assessment.achievement if assessment else None,
                    achievement_label=str(labels[assessment.achievement]) if assessment else None,
                    narrative=assessment.narrative if assessment else "",
                )
            )
        trees.append(
            GoalTree(
                pk=main_goal.pk,
                text=main_goal.text,
                start_year=main_goal.start_year,
                end_year=main_goal.end_year,
                sub_goals=sub_goals,
            )
        )
    return trees


def goal_trees(network: Network, year: int) -> list[GoalTree]:
    """The main goals that apply in `year`, each with its tree and the year's assessments."""
    return _trees(MainGoal.objects.filter(network=network).filter(applies_in(year)), year)


def goal_tree(main_goal: MainGoal, year: int) -> GoalTree:
    """One main goal's tree and the year's assessments (for the exports and the assessment form)."""
    return _trees(MainGoal.objects.filter(pk=main_goal.pk), year)[0]


@dataclass(frozen=True)
class OtherGoal:
    pk: int
    text: str
    start_year: int | None
    end_year: int | None


def other_goals(network: Network, year: int) -> list[OtherGoal]:
    """Main goals outside `year`, so the page can point to the years they belong to. One query."""
    rows = MainGoal.objects.filter(network=network).exclude(applies_in(year)).order_by("position", "pk")
    return [OtherGoal(row.pk, row.text, row.start_year, row.end_year) for row in rows]


def goals_year_facts(network: Network, year: int) -> list[dict[str, Any]]:
    """One dict per main goal that applies in `year` (keys fixed: the CLI and the annual report read them).
    `achievement_label` is Norwegian whatever language is active: the report is written in Norwegian."""
    with translation.override("nb"):
        trees = goal_trees(network, year)
    return [
        {
            "main_goal": tree.text,
            "sub_goals": [
                {
                    "label": sub_goal.label,
                    "description": sub_goal.description,
                    "actions": [
                        {"letter": action.letter, "text": action.text, "new_in_year": action.new_in_year}
                        for action in sub_goal.actions
                    ],
                    "achievement": sub_goal.achievement,
                    "achievement_label": sub_goal.achievement_label,
                    "narrative": sub_goal.narrative,
                }
                for sub_goal in tree.sub_goals
            ],
        }
        for tree in trees
    ]


def assessment_count(main_goal: MainGoal | None = None, sub_goal: SubGoal | None = None) -> int:
    """How many yearly assessments a delete would take with it."""
    if sub_goal is not None:
        return SubGoalAssessment.objects.filter(sub_goal=sub_goal).count()
    return SubGoalAssessment.objects.filter(sub_goal__main_goal=main_goal).count()

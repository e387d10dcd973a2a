"""Writes to a network's goals: main goals, sub-goals, actions, and the yearly "Delmål oppnådd?" assessments.

The same pattern as `networks.services`: validate, write inside one transaction, and log one audit entry per
change with the names of the changed fields (never their values). Validation errors are `ValidationError`s
keyed by the field to correct, in words a coordinator understands, so forms show them in place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.models import Network
from fagnett.plans.models import Achievement, GoalAction, MainGoal, SubGoal, SubGoalAssessment

if TYPE_CHECKING:
    from fagnett.accounts.models import User

LABEL_MAX_LENGTH = 20  # SubGoal.label
# "1", "2,3,4", "2-4", "2, 3": the numbers of the sub-goals a row stands for, as the seed writes them.
LABEL_PATTERN = re.compile(r"^[0-9][0-9,\- ]*$")

MAIN_GOAL_FIELDS = ("text", "start_year", "end_year", "position")
SUB_GOAL_FIELDS = ("label", "description", "position")
ACTION_FIELDS = ("text", "new_in_year", "position")


@dataclass(frozen=True)
class MainGoalData:
    text: str
    start_year: int | None = None
    end_year: int | None = None
    position: int | None = None  # None: last


@dataclass(frozen=True)
class SubGoalData:
    label: str
    description: str
    position: int | None = None


@dataclass(frozen=True)
class ActionData:
    text: str
    new_in_year: int | None = None
    position: int | None = None


@dataclass(frozen=True)
class AssessmentData:
    achievement: str  # "" = not assessed: removes the year's assessment
    narrative: str = ""


# Validation -------------------------------------------------------------------------------------------------


def _check_year(errors: dict[str, list[str]], name: str, value: int | None, label: str) -> None:
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        errors.setdefault(name, []).append(
            _("%(field)s must be a year from %(first)s to %(last)s.")
            % {"field": label, "first": FIRST_YEAR, "last": LAST_YEAR}
        )


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(
            {name: [ValidationError(m) for m in messages] for name, messages in errors.items()}
        )


def clean_main_goal(data: MainGoalData) -> MainGoalData:
    errors: dict[str, list[str]] = {}
    text = data.text.strip()
    if not text:
        errors["text"] = [_("Write the main goal.")]
    _check_year(errors, "start_year", data.start_year, _("From year"))
    _check_year(errors, "end_year", data.end_year, _("To year"))
    if (
        not errors
        and data.start_year is not None
        and data.end_year is not None
        and data.end_year < data.start_year
    ):
        errors["end_year"] = [_("To year must be the same as or after from year.")]
    _raise(errors)
    return MainGoalData(text, data.start_year, data.end_year, data.position)


def clean_sub_goal(data: SubGoalData) -> SubGoalData:
    errors: dict[str, list[str]] = {}
    label = " ".join(data.label.split())
    if not label:
        errors["label"] = [_("Write the sub-goal's number, for example 1 or 2,3,4.")]
    elif len(label) > LABEL_MAX_LENGTH or not LABEL_PATTERN.match(label):
        errors["label"] = [
            _(
                "The sub-goal's number may hold only digits, commas, hyphens and spaces, "
                "for example 1 or 2,3,4 (at most %(max)s characters)."
            )
            % {"max": LABEL_MAX_LENGTH}
        ]
    description = data.description.strip()
    if not description:
        errors["description"] = [_("Write the sub-goal's description.")]
    _raise(errors)
    return SubGoalData(label, description, data.position)


def clean_action(data: ActionData) -> ActionData:
    errors: dict[str, list[str]] = {}
    text = data.text.strip()
    if not text:
        errors["text"] = [_("Write the action.")]
    _check_year(errors, "new_in_year", data.new_in_year, _("New in year"))
    _raise(errors)
    return ActionData(text, data.new_in_year, data.position)


def _next_position(rows: QuerySet[MainGoal] | QuerySet[SubGoal] | QuerySet[GoalAction]) -> int:
    highest = rows.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _changed(row: Model, values: Mapping[str, object]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return changed


# Main goals -------------------------------------------------------------------------------------------------


def create_main_goal(network: Network, data: MainGoalData, *, actor: User) -> MainGoal:
    data = clean_main_goal(data)
    with transaction.atomic():
        position = data.position
        if position is None:
            position = _next_position(MainGoal.objects.filter(network=network))
        goal = MainGoal.objects.create(
            network=network,
            text=data.text,
            start_year=data.start_year,
            end_year=data.end_year,
            position=position,
        )
        log_action("plans.main_goal_created", actor=actor, target=goal, network=network)
    return goal


def update_main_goal(goal: MainGoal, data: MainGoalData, *, actor: User) -> MainGoal:
    data = clean_main_goal(data)
    values: dict[str, object] = {"text": data.text, "start_year": data.start_year, "end_year": data.end_year}
    if data.position is not None:
        values["position"] = data.position
    with transaction.atomic():
        changed = _changed(goal, values)
        if changed:
            goal.save(update_fields=changed)
            log_action(
                "plans.main_goal_updated", actor=actor, target=goal, network=goal.network, fields=changed
            )
    return goal


def delete_main_goal(goal: MainGoal, *, actor: User) -> None:
    """Deletes the main goal with its sub-goals, actions and assessments (the page said how many)."""
    with transaction.atomic():
        assessments = SubGoalAssessment.objects.filter(sub_goal__main_goal=goal).count()
        log_action(
            "plans.main_goal_deleted",
            actor=actor,
            target=goal,
            network=goal.network,
            data={"assessments": assessments},
        )
        goal.delete()


# Sub-goals --------------------------------------------------------------------------------------------------


def create_sub_goal(goal: MainGoal, data: SubGoalData, *, actor: User) -> SubGoal:
    data = clean_sub_goal(data)
    with transaction.atomic():
        position = data.position
        if position is None:
            position = _next_position(SubGoal.objects.filter(main_goal=goal))
        sub_goal = SubGoal.objects.create(
            main_goal=goal, label=data.label, description=data.description, position=position
        )
        log_action("plans.sub_goal_created", actor=actor, target=sub_goal, network=goal.network)
    return sub_goal


def update_sub_goal(sub_goal: SubGoal, data: SubGoalData, *, actor: User) -> SubGoal:
    data = clean_sub_goal(data)
    values: dict[str, object] = {"label": data.label, "description": data.description}
    if data.position is not None:
        values["position"] = data.position
    with transaction.atomic():
        changed = _changed(sub_goal, values)
        if changed:
            sub_goal.save(update_fields=changed)
            log_action(
                "plans.sub_goal_updated",
                actor=actor,
                target=sub_goal,
                network=sub_goal.main_goal.network,
                fields=changed,
            )
    return sub_goal


def delete_sub_goal(sub_goal: SubGoal, *, actor: User) -> None:
    with transaction.atomic():
        assessments = SubGoalAssessment.objects.filter(sub_goal=sub_goal).count()
        log_action(
            "plans.sub_goal_deleted",
            actor=actor,
            target=sub_goal,
            network=sub_goal.main_goal.network,
            data={"assessments": assessments},
        )
        sub_goal.delete()


# Actions ----------------------------------------------------------------------------------------------------


def create_action(sub_goal: SubGoal, data: ActionData, *, actor: User) -> GoalAction:
    data = clean_action(data)
    with transaction.atomic():
        position = data.position
        if position is None:
            position = _next_position(GoalAction.objects.filter(sub_goal=sub_goal))
        action = GoalAction.objects.create(
            sub_goal=sub_goal, text=data.text, new_in_year=data.new_in_year, position=position
        )
        log_action(
            "plans.goal_action_created", actor=actor, target=action, network=sub_goal.main_goal.network
        )
    return action


def update_action(action: GoalAction, data: ActionData, *, actor: User) -> GoalAction:
    data = clean_action(data)
    values: dict[str, object] = {"text": data.text, "new_in_year": data.new_in_year}
    if data.position is not None:
        values["position"] = data.position
    with transaction.atomic():
        changed = _changed(action, values)
        if changed:
            action.save(update_fields=changed)
            log_action(
                "plans.goal_action_updated",
                actor=actor,
                target=action,
                network=action.sub_goal.main_goal.network,
                fields=changed,
            )
    return action


def delete_action(action: GoalAction, *, actor: User) -> None:
    with transaction.atomic():
        log_action(
            "plans.goal_action_deleted", actor=actor, target=action, network=action.sub_goal.main_goal.network
        )
        action.delete()


# Assessments ------------------------------------------------------------------------------------------------


def save_assessments(
    goal: MainGoal, year: int, entries: Mapping[int, AssessmentData], *, actor: User
) -> tuple[int, int]:
    """Set the year's achievement and narrative of every sub-goal of `goal` at once: all or nothing.

    `entries` is keyed by sub-goal pk; a sub-goal without an entry, or with a blank achievement, has no
    assessment for the year afterwards. Returns (saved, removed) counts of changed rows."""
    errors: dict[str, list[str]] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["__all__"] = [
            _("The year must be from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    sub_goals = list(SubGoal.objects.filter(main_goal=goal).order_by("position", "pk"))
    known = {sub_goal.pk for sub_goal in sub_goals}
    if set(entries) - known:
        errors.setdefault("__all__", []).append(_("The sub-goals have changed. Open the form again."))
    for sub_goal in sub_goals:
        entry = entries.get(sub_goal.pk, AssessmentData(""))
        if entry.achievement and entry.achievement not in Achievement.values:
            errors[f"achievement_{sub_goal.pk}"] = [
                _("Choose yes, partly or no for sub-goal %(label)s.") % {"label": sub_goal.label}
            ]
        if not entry.achievement and entry.narrative.strip():
            errors[f"achievement_{sub_goal.pk}"] = [
                _("Choose whether sub-goal %(label)s was achieved, or empty its comment.")
                % {"label": sub_goal.label}
            ]
    _raise(errors)
    saved = removed = 0
    with transaction.atomic():
        existing = {
            row.sub_goal_id: row
            for row in SubGoalAssessment.objects.select_for_update().filter(sub_goal__in=sub_goals, year=year)
        }
        for sub_goal in sub_goals:
            entry = entries.get(sub_goal.pk, AssessmentData(""))
            row = existing.get(sub_goal.pk)
            if not entry.achievement:
                if row is not None:
                    log_action("plans.assessment_removed", actor=actor, target=row, network=goal.network)
                    row.delete()
                    removed += 1
                continue
            values = {"achievement": entry.achievement, "narrative": entry.narrative.strip()}
            if row is None:
                row = SubGoalAssessment.objects.create(sub_goal=sub_goal, year=year, **values)
                log_action(
                    "plans.assessment_created",
                    actor=actor,
                    target=row,
                    network=goal.network,
                    fields=list(values),
                )
                saved += 1
                continue
            changed = _changed(row, values)
            if changed:
                row.save(update_fields=changed)
                log_action(
                    "plans.assessment_updated", actor=actor, target=row, network=goal.network, fields=changed
                )
                saved += 1
    return saved, removed

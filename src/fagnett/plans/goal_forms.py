"""Forms for goals: main goal, sub-goal, action, and one year's assessments of a main goal's sub-goals. They
parse input; the rules live in plans.goal_services, whose errors the views show at the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.plans import goal_services as services
from fagnett.plans.goal_queries import GoalTree, SubGoalRow
from fagnett.plans.models import Achievement, GoalAction, MainGoal, SubGoal

NOT_ASSESSED = ""


def year_field(
    label: StrOrPromise, message: StrOrPromise, *, help_text: StrOrPromise = ""
) -> forms.IntegerField:
    """An optional year 1950–2100; `message` (naming the field) is every error it can have."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=help_text,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def position_field() -> forms.IntegerField:
    message = _("Order must be a whole number from 0 to 999.")
    return forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("Lower numbers come first. Leave empty to put it last."),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class MainGoalForm(forms.Form):
    text = forms.CharField(
        label=_("Main goal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the main goal.")},
    )
    start_year = year_field(
        _("From year"),
        _("From year must be a year from 1950 to 2100, for example 2024."),
        help_text=_("Leave empty if the goal has no start year."),
    )
    end_year = year_field(
        _("To year"),
        _("To year must be a year from 1950 to 2100, for example 2026."),
        help_text=_("Leave empty if the goal has no end year."),
    )
    position = position_field()

    @classmethod
    def for_goal(cls, data: Any, goal: MainGoal | None) -> MainGoalForm:
        if goal is None:
            return cls(data)
        initial = {name: getattr(goal, name) for name in services.MAIN_GOAL_FIELDS}
        return cls(data, initial=initial)

    def to_data(self) -> services.MainGoalData:
        data = self.cleaned_data
        return services.MainGoalData(data["text"], data["start_year"], data["end_year"], data["position"])


class SubGoalForm(forms.Form):
    label = forms.CharField(
        label=_("Sub-goal number"),
        max_length=services.LABEL_MAX_LENGTH,
        help_text=_("As in the results table: 1, or 2,3,4 for sub-goals handled together."),
        error_messages={
            "required": _("Write the sub-goal's number, for example 1 or 2,3,4."),
            "max_length": _("The sub-goal's number may be at most 20 characters."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the sub-goal's description.")},
    )
    position = position_field()

    @classmethod
    def for_sub_goal(cls, data: Any, sub_goal: SubGoal | None) -> SubGoalForm:
        if sub_goal is None:
            return cls(data)
        return cls(data, initial={name: getattr(sub_goal, name) for name in services.SUB_GOAL_FIELDS})

    def to_data(self) -> services.SubGoalData:
        data = self.cleaned_data
        return services.SubGoalData(data["label"], data["description"], data["position"])


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the action.")},
    )
    new_in_year = year_field(
        _("New in year"),
        _("New in year must be a year from 1950 to 2100, for example 2024."),
        help_text=_("Fill in if the action was new that year; the table says so."),
    )
    position = position_field()

    @classmethod
    def for_action(cls, data: Any, action: GoalAction | None) -> ActionForm:
        if action is None:
            return cls(data)
        return cls(data, initial={name: getattr(action, name) for name in services.ACTION_FIELDS})

    def to_data(self) -> services.ActionData:
        data = self.cleaned_data
        return services.ActionData(data["text"], data["new_in_year"], data["position"])


class AssessmentForm(forms.Form):
    """One year's "achieved?" and comment for every sub-goal of a main goal, in one form."""

    def __init__(self, data: Any, *, tree: GoalTree, year: int) -> None:
        super().__init__(data)
        self.tree = tree
        self.year = year
        choices = [(NOT_ASSESSED, _("Not assessed")), *Achievement.choices]
        for sub_goal in tree.sub_goals:
            self.fields[f"achievement_{sub_goal.pk}"] = forms.ChoiceField(
                label=_("Sub-goal %(label)s achieved in %(year)s?") % {"label": sub_goal.label, "year": year},
                choices=choices,
                required=False,
                initial=sub_goal.achievement or NOT_ASSESSED,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Choose yes, partly or no for sub-goal %(label)s.")
                    % {"label": sub_goal.label}
                },
            )
            self.fields[f"narrative_{sub_goal.pk}"] = forms.CharField(
                label=_("Comment on sub-goal %(label)s") % {"label": sub_goal.label},
                required=False,
                initial=sub_goal.narrative,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Why the sub-goal was, or was not, achieved."),
            )

    def rows(self) -> list[tuple[SubGoalRow, forms.BoundField, forms.BoundField]]:
        return [
            (sub_goal, self[f"achievement_{sub_goal.pk}"], self[f"narrative_{sub_goal.pk}"])
            for sub_goal in self.tree.sub_goals
        ]

    def entries(self) -> dict[int, services.AssessmentData]:
        data = self.cleaned_data
        return {
            sub_goal.pk: services.AssessmentData(
                data.get(f"achievement_{sub_goal.pk}") or "", data.get(f"narrative_{sub_goal.pk}") or ""
            )
            for sub_goal in self.tree.sub_goals
        }

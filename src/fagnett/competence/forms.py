"""Forms for the coordinator's competence pages. They check types only; the plan's rules are checked by
competence.plan_services, whose errors the views show at the field they name."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import Field as DjangoField
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fagnett.activities.forms import DecimalCommaField
from fagnett.activities.models import ActivityKind
from fagnett.competence.models import CompetencePlan, CompetenceStatus, Requirement, RequirementKind
from fagnett.competence.plan_services import MAX_MIN_MONTHS, PlanData, RequirementData
from fagnett.competence.queries import Matrix, MatrixFilters
from fagnett.core.years import FIRST_YEAR, requested_year
from fagnett.networks.forms import date_field


def _label(model: type[CompetencePlan] | type[Requirement], name: str) -> StrOrPromise:
    field = model._meta.get_field(name)
    if not isinstance(field, DjangoField):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return capfirst(field.verbose_name)


def parse_year(value: str | None, today: dt.date) -> tuple[int, bool]:
    """The year asked for in ?aar=, or this year; the flag says a given value was refused (not a year, or
    one that has not begun), so the page can say it shows this year instead."""
    if value is None or not value.strip():
        return today.year, False
    year = requested_year(value)
    if year is None or not FIRST_YEAR <= year <= today.year:
        return today.year, True
    return year, False


# Plan versions -------------------------------------------------------------------------------------------


class PlanVersionChoiceField(forms.ModelChoiceField[CompetencePlan]):
    def label_from_instance(self, obj: CompetencePlan) -> str:
        return str(obj)  # "name (valid from)": two versions may share a name


class PlanForm(forms.Form):
    """A version's name, validity date and months rule; creating one also asks which version to copy."""

    name = forms.CharField(label=_label(CompetencePlan, "name"), max_length=200)
    valid_from = date_field(_label(CompetencePlan, "valid_from"))
    min_months_for_yearly = forms.IntegerField(
        label=_label(CompetencePlan, "min_months_for_yearly"),
        min_value=0,
        max_value=MAX_MIN_MONTHS,
        initial=6,
        help_text=CompetencePlan._meta.get_field("min_months_for_yearly").help_text,
        error_messages={
            "invalid": _("Write the number of months as a whole number from 0 to 12."),
            "min_value": _("Write the number of months as a whole number from 0 to 12."),
            "max_value": _("Write the number of months as a whole number from 0 to 12."),
        },
    )

    def __init__(
        self,
        data: Any = None,
        *,
        plan: CompetencePlan | None = None,
        versions: list[CompetencePlan] | None = None,
        copy_from: CompetencePlan | None = None,
    ) -> None:
        initial: dict[str, Any] = {}
        if plan is not None:
            initial = {
                "name": plan.name,
                "valid_from": plan.valid_from,
                "min_months_for_yearly": plan.min_months_for_yearly,
            }
        elif copy_from is not None:
            initial = {"name": copy_from.name, "min_months_for_yearly": copy_from.min_months_for_yearly}
        super().__init__(data, initial=initial)
        if plan is None:
            self.fields["source"] = PlanVersionChoiceField(
                label=_("Copy the requirements of"),
                queryset=CompetencePlan.objects.none(),
                help_text=_(
                    "The new version starts with a copy of this version's requirements, which you can then "
                    "change."
                ),
                error_messages={"invalid_choice": _("Choose a version of the plan from the list.")},
            )
            source = cast(PlanVersionChoiceField, self.fields["source"])
            source.queryset = CompetencePlan.objects.filter(pk__in=[v.pk for v in versions or []]).order_by(
                "-valid_from"
            )
            self.initial["source"] = copy_from.pk if copy_from is not None else None

    def plan_data(self) -> PlanData:
        data = self.cleaned_data
        return PlanData(
            name=data["name"],
            valid_from=data["valid_from"],
            min_months_for_yearly=data["min_months_for_yearly"],
        )


# Requirements --------------------------------------------------------------------------------------------

_WHOLE_NUMBER = _("Write a whole number, for example 2.")


class RequirementForm(forms.Form):
    code = forms.SlugField(
        label=_label(Requirement, "code"),
        max_length=50,
        help_text=_(
            "A stable name used by exports and the command line: lowercase letters a–z, digits, hyphens "
            "and underscores, for example samlinger_antall."
        ),
        error_messages={
            "invalid": _(
                "The code may only contain the letters a–z, digits, hyphens and underscores, for example "
                "samlinger_antall."
            )
        },
    )
    name = forms.CharField(label=_label(Requirement, "name"), max_length=200)
    kind = forms.ChoiceField(
        label=_label(Requirement, "kind"),
        choices=RequirementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of requirement it is.")},
    )
    activity_kinds = forms.MultipleChoiceField(
        label=_label(Requirement, "activity_kinds"),
        choices=ActivityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Attendance at activities of these kinds counts towards the requirement."),
    )
    within_months = forms.IntegerField(
        label=_label(Requirement, "within_months"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only for once-requirements: the deadline is this many months after the person joined."),
        error_messages={"invalid": _WHOLE_NUMBER},
    )
    min_count = forms.IntegerField(
        label=_label(Requirement, "min_count"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("For a once-requirement with activity kinds and for a yearly number of activities."),
        error_messages={"invalid": _WHOLE_NUMBER},
    )
    min_hours = DecimalCommaField(
        label=_label(Requirement, "min_hours"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "The credited hours the counting activities must add up to. Required for a yearly number of "
            "hours; optional for a once-requirement."
        ),
        error_messages={"invalid": _("Write the number of hours as a number, for example 6 or 1,5.")},
    )
    min_shadowing_days = DecimalCommaField(
        label=_label(Requirement, "min_shadowing_days"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_("Only for once-requirements: completed job shadowing of this many days meets it."),
        error_messages={"invalid": _("Write the number of days as a number, for example 1 or 1,5.")},
    )
    remind_leader = forms.BooleanField(
        label=_label(Requirement, "remind_leader"),
        required=False,
        help_text=Requirement._meta.get_field("remind_leader").help_text,
    )
    position = forms.IntegerField(
        label=_label(Requirement, "position"),
        required=False,
        min_value=0,
        max_value=1000,
        help_text=_("Requirements are listed by this number, lowest first. Empty puts it last."),
        error_messages={"invalid": _WHOLE_NUMBER},
    )

    def __init__(self, data: Any = None, *, requirement: Requirement | None = None) -> None:
        initial: dict[str, Any] = {"kind": RequirementKind.ONCE, "min_count": 1}
        if requirement is not None:
            initial = {
                "code": requirement.code,
                "name": requirement.name,
                "kind": requirement.kind,
                "activity_kinds": list(requirement.activity_kinds or []),
                "within_months": requirement.within_months,
                "min_count": requirement.min_count,
                "min_hours": requirement.min_hours,
                "min_shadowing_days": requirement.min_shadowing_days,
                "remind_leader": requirement.remind_leader,
                "position": requirement.position,
            }
        super().__init__(data, initial=initial)

    def requirement_data(self) -> RequirementData:
        data = self.cleaned_data
        return RequirementData(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            activity_kinds=list(data.get("activity_kinds") or []),
            within_months=data.get("within_months"),
            min_count=int(data.get("min_count") or 0),
            min_hours=data.get("min_hours"),
            min_shadowing_days=data.get("min_shadowing_days"),
            remind_leader=bool(data.get("remind_leader")),
            position=data.get("position"),
        )


# Filters -------------------------------------------------------------------------------------------------


def _year_field(years: list[int]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Year"), choices=[(str(year), str(year)) for year in years], coerce=int, required=False
    )


class YearForm(forms.Form):
    """The summary's choice of year (GET ?aar=)."""

    def __init__(self, data: Any, *, years: list[int], year: int) -> None:
        super().__init__(data)
        self.fields["aar"] = _year_field(years)
        self.initial["aar"] = str(year)


class MatrixFilterForm(forms.Form):
    """The matrix's year and filters, read from GET parameters with Norwegian names."""

    lokallag = forms.ChoiceField(label=_("Local chapter"), required=False)
    kommune = forms.ChoiceField(label=_("Municipality"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        help_text=_("Shows the persons with at least one requirement in this status."),
    )

    def __init__(self, data: Any, *, years: list[int], year: int, matrix: Matrix) -> None:
        super().__init__(data)
        self.fields["aar"] = _year_field(years)
        self.order_fields(["aar", "lokallag", "kommune", "status"])
        self.initial["aar"] = str(year)
        everyone: list[tuple[str, str]] = [("", str(_("All")))]
        self._set_choices("lokallag", everyone + [(slug, name) for _pk, slug, name in matrix.chapters])
        self._set_choices("kommune", everyone + [(number, name) for number, name in matrix.municipalities])
        self._set_choices("status", everyone + [(str(s.value), str(s.label)) for s in CompetenceStatus])
        self._chapter_ids = {slug: pk for pk, slug, _name in matrix.chapters}

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def filters(self) -> MatrixFilters:
        """The valid filters; a value that is not among the choices (an old link) is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        chapter = data.get("lokallag") or ""
        return MatrixFilters(
            chapter_id=self._chapter_ids.get(chapter),
            municipality=data.get("kommune") or "",
            status=data.get("status") or "",
        )

"""Every write to dissemination plans (kompetansespredningsplan): plans, measures, their status per year, and
the network's own measure categories and target groups.

Each function validates first (a ValidationError names the field, so a form can show it there), writes in
one transaction and audits with field names only. The import (dissemination_import.py) uses the same
validation through `check_measure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.services import log_action
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.models import Network
from fagnett.newsletters.models import Newsletter
from fagnett.plans.models import (
    DisseminationPlan,
    Measure,
    MeasureCategory,
    MeasureStatus,
    MeasureYear,
    TargetGroup,
)

if TYPE_CHECKING:
    from fagnett.accounts.models import User

TITLE_MAX_LENGTH = 200
MEASURE_TITLE_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 200
POSITION_MAX = 32767


# --- Plans --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanData:
    title: str
    start_year: int
    end_year: int
    introduction: str = ""


PLAN_FIELDS = ("title", "start_year", "end_year", "introduction")


def _year_errors(values: Mapping[str, int | None], labels: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, value in values.items():
        if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
            errors[name] = _("“%(field)s” must be a year from %(first)s to %(last)s.") % {
                "field": labels[name],
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
    return errors


def check_plan(data: PlanData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Write the plan's title.")
    elif len(data.title.strip()) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title can be at most %(max)s characters.") % {"max": TITLE_MAX_LENGTH}
    errors.update(
        _year_errors(
            {"start_year": data.start_year, "end_year": data.end_year},
            {"start_year": _("From year"), "end_year": _("To year")},
        )
    )
    if "end_year" not in errors and "start_year" not in errors and data.end_year < data.start_year:
        errors["end_year"] = _("“To year” cannot be before “From year”.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_plan(network: Network, data: PlanData, *, actor: User | None) -> DisseminationPlan:
    check_plan(data)
    plan = DisseminationPlan.objects.create(
        network=network,
        title=data.title.strip(),
        start_year=data.start_year,
        end_year=data.end_year,
        introduction=data.introduction.strip(),
    )
    log_action("plans.plan_created", actor=actor, target=plan, network=network)
    return plan


@transaction.atomic
def update_plan(plan: DisseminationPlan, data: PlanData, *, actor: User | None) -> list[str]:
    """Returns the names of the fields that changed."""
    check_plan(data)
    values = {
        "title": data.title.strip(),
        "start_year": data.start_year,
        "end_year": data.end_year,
        "introduction": data.introduction.strip(),
    }
    changed = [name for name, value in values.items() if getattr(plan, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(plan, name, values[name])
    plan.save()
    log_action("plans.plan_updated", actor=actor, target=plan, network=plan.network, fields=changed)
    return changed


@transaction.atomic
def delete_plan(plan: DisseminationPlan, *, actor: User | None) -> None:
    network = plan.network
    log_action("plans.plan_deleted", actor=actor, target=plan, network=network)
    plan.delete()


# --- Measures -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureData:
    category: MeasureCategory
    title: str
    target_groups: Sequence[TargetGroup] = ()
    means: str = ""
    from_year: int | None = None
    to_year: int | None = None
    ongoing: bool = False
    timeframe_note: str = ""
    priority_area: bool = False
    is_new: bool = False
    per_year_min: int | None = None
    per_year_max: int | None = None
    activities: Sequence[Activity] = ()
    newsletters: Sequence[Newsletter] = ()
    activity_kinds: Sequence[str] = ()
    position: int | None = None


MEASURE_FIELDS = (
    "category",
    "title",
    "means",
    "from_year",
    "to_year",
    "ongoing",
    "timeframe_note",
    "priority_area",
    "is_new",
    "per_year_min",
    "per_year_max",
    "activity_kinds",
    "position",
)


def clean_means(text: str) -> str:
    """One means per line, without empty lines or surrounding spaces."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def check_measure(network: Network, data: MeasureData) -> None:
    """Every rule a measure must satisfy, with a message naming the field (the form's and the import's)."""
    errors: dict[str, str] = {}
    if data.category.network_id not in (None, network.pk):
        errors["category"] = _("“Category” must be one of this network's categories.")
    title = data.title.strip()
    if not title:
        errors["title"] = _("Write what the measure is.")
    elif len(title) > MEASURE_TITLE_MAX_LENGTH:
        errors["title"] = _("“Measure” can be at most %(max)s characters.") % {
            "max": MEASURE_TITLE_MAX_LENGTH
        }
    if any(group.network_id not in (None, network.pk) for group in data.target_groups):
        errors["target_groups"] = _("“Target groups” must be this network's target groups.")
    errors.update(
        _year_errors(
            {"from_year": data.from_year, "to_year": data.to_year},
            {"from_year": _("From year"), "to_year": _("To year")},
        )
    )
    if data.ongoing and data.to_year is not None:
        errors.setdefault(
            "to_year", _("An ongoing measure has no “To year”: leave it empty, or untick “Ongoing”.")
        )
    if (
        "from_year" not in errors
        and "to_year" not in errors
        and data.from_year is not None
        and data.to_year is not None
        and data.to_year < data.from_year
    ):
        errors["to_year"] = _("“To year” cannot be before “From year”.")
    if len(data.timeframe_note.strip()) > NOTE_MAX_LENGTH:
        errors["timeframe_note"] = _("“Note on the timeframe” can be at most %(max)s characters.") % {
            "max": NOTE_MAX_LENGTH
        }
    if data.per_year_min is not None and data.per_year_min < 0:
        errors["per_year_min"] = _("“At least per year” cannot be negative.")
    if data.per_year_max is not None and data.per_year_max < 0:
        errors["per_year_max"] = _("“At most per year” cannot be negative.")
    if (
        data.per_year_min is not None
        and data.per_year_max is not None
        and "per_year_max" not in errors
        and data.per_year_min > data.per_year_max
    ):
        errors["per_year_max"] = _("“At most per year” cannot be less than “At least per year”.")
    if any(activity.network_id != network.pk for activity in data.activities):
        errors["activities"] = _("“Activities” can only be activities of this network.")
    if any(newsletter.network_id != network.pk for newsletter in data.newsletters):
        errors["newsletters"] = _("“Newsletters” can only be newsletters of this network.")
    unknown = [kind for kind in data.activity_kinds if kind not in ActivityKind.values]
    if unknown:
        errors["activity_kinds"] = _("“Activity kinds” has an unknown kind: %(kind)s.") % {"kind": unknown[0]}
    if data.position is not None and not 0 <= data.position <= POSITION_MAX:
        errors["position"] = _("“Order” must be a number from 0 to %(max)s.") % {"max": POSITION_MAX}
    if errors:
        raise ValidationError(errors)


def _measure_values(data: MeasureData) -> dict[str, object]:
    return {
        "category": data.category,
        "title": data.title.strip(),
        "means": clean_means(data.means),
        "from_year": data.from_year,
        "to_year": data.to_year,
        "ongoing": data.ongoing,
        "timeframe_note": data.timeframe_note.strip(),
        "priority_area": data.priority_area,
        "is_new": data.is_new,
        "per_year_min": data.per_year_min,
        "per_year_max": data.per_year_max,
        "activity_kinds": sorted(set(data.activity_kinds), key=ActivityKind.values.index),
    }


def next_position(plan: DisseminationPlan) -> int:
    last = plan.measures.aggregate(last=Max("position"))["last"]
    return 0 if last is None else min(last + 1, POSITION_MAX)


@transaction.atomic
def create_measure(plan: DisseminationPlan, data: MeasureData, *, actor: User | None) -> Measure:
    check_measure(plan.network, data)
    position = data.position if data.position is not None else next_position(plan)
    measure = Measure.objects.create(plan=plan, position=position, **_measure_values(data))
    measure.target_groups.set(data.target_groups)
    measure.activities.set(data.activities)
    measure.newsletters.set(data.newsletters)
    log_action("plans.measure_created", actor=actor, target=measure, network=plan.network)
    return measure


@transaction.atomic
def update_measure(measure: Measure, data: MeasureData, *, actor: User | None) -> list[str]:
    """Returns the names of the fields that changed."""
    network = measure.plan.network
    check_measure(network, data)
    values = _measure_values(data)
    if data.position is not None:
        values["position"] = data.position
    changed = [name for name, value in values.items() if getattr(measure, name) != value]
    for name in changed:
        setattr(measure, name, values[name])
    if changed:
        measure.save()
    groups = {group.pk for group in data.target_groups}
    if set(measure.target_groups.values_list("pk", flat=True)) != groups:
        measure.target_groups.set(groups)
        changed.append("target_groups")
    activities = {activity.pk for activity in data.activities}
    if set(measure.activities.values_list("pk", flat=True)) != activities:
        measure.activities.set(activities)
        changed.append("activities")
    newsletters = {newsletter.pk for newsletter in data.newsletters}
    if set(measure.newsletters.values_list("pk", flat=True)) != newsletters:
        measure.newsletters.set(newsletters)
        changed.append("newsletters")
    if changed:
        log_action("plans.measure_updated", actor=actor, target=measure, network=network, fields=changed)
    return changed


@transaction.atomic
def delete_measure(measure: Measure, *, actor: User | None) -> None:
    log_action("plans.measure_deleted", actor=actor, target=measure, network=measure.plan.network)
    measure.delete()


# --- Status per year ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearEntry:
    """A measure's assessment for one year: `status` "" means not assessed (nothing stored)."""

    status: str
    comment: str = ""


@dataclass
class YearResult:
    changed: list[int] = field(default_factory=list)


@transaction.atomic
def set_year_statuses(
    plan: DisseminationPlan, year: int, entries: Mapping[int, YearEntry], *, actor: User | None
) -> YearResult:
    """Store the status and comment of each measure (by pk) for `year`, all or nothing. A measure must be in
    the plan and its timeframe must include the year; a comment needs a status. Audited once per changed
    measure."""
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationError(_("The year %(year)s is outside the plan's period.") % {"year": year})
    measures = {measure.pk: measure for measure in plan.measures.select_related("plan")}
    errors: dict[str, str] = {}
    for pk, entry in entries.items():
        measure = measures.get(pk)
        if measure is None or not measure.applies_in(year):
            raise ValidationError(_("A measure is not in the plan for %(year)s.") % {"year": year})
        if entry.status and entry.status not in MeasureStatus.values:
            errors[f"status_{pk}"] = _("Choose a status from the list.")
        if not entry.status and entry.comment.strip():
            errors[f"status_{pk}"] = _("Choose a status for “%(measure)s” to save its comment.") % {
                "measure": measure.title
            }
    if errors:
        raise ValidationError(errors)
    stored = {row.measure_id: row for row in MeasureYear.objects.filter(measure__plan=plan, year=year)}
    result = YearResult()
    for pk, entry in entries.items():
        measure = measures[pk]
        comment = entry.comment.strip()
        row = stored.get(pk)
        if not entry.status:
            if row is not None:
                row.delete()
                log_action(
                    "plans.measure_year_cleared",
                    actor=actor,
                    target=measure,
                    network=plan.network,
                    fields=["status", "comment"],
                    data={"year": year},
                )
                result.changed.append(pk)
            continue
        if row is None:
            row = MeasureYear.objects.create(measure=measure, year=year, status=entry.status, comment=comment)
            log_action(
                "plans.measure_year_set",
                actor=actor,
                target=row,
                network=plan.network,
                fields=["status", "comment"] if comment else ["status"],
                data={"year": year},
            )
            result.changed.append(pk)
            continue
        fields = [
            name
            for name, value in (("status", entry.status), ("comment", comment))
            if getattr(row, name) != value
        ]
        if fields:
            row.status = entry.status
            row.comment = comment
            row.save()
            log_action(
                "plans.measure_year_set",
                actor=actor,
                target=row,
                network=plan.network,
                fields=fields,
                data={"year": year},
            )
            result.changed.append(pk)
    return result


# --- The network's own categories and target groups ---------------------------------------------------------


def _check_entry(
    model: type[MeasureCategory] | type[TargetGroup], network: Network, code: str, name: str
) -> tuple[str, str]:
    code = code.strip()
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = _("Write a code.")
    if not name:
        errors["name"] = _("Write a name.")
    existing = model.objects.for_network(network)
    if code and existing.filter(code__iexact=code).exists():
        errors["code"] = _("The code “%(code)s” is already in use.") % {"code": code}
    if name and existing.filter(name__iexact=name).exists():
        errors["name"] = _("The name “%(name)s” is already in use.") % {"name": name}
    if errors:
        raise ValidationError(errors)
    return code, name


@transaction.atomic
def add_category(network: Network, code: str, name: str, *, actor: User | None) -> MeasureCategory:
    code, name = _check_entry(MeasureCategory, network, code, name)
    category = MeasureCategory.objects.create(network=network, code=code, name=name)
    log_action("plans.category_created", actor=actor, target=category, network=network)
    return category


@transaction.atomic
def add_target_group(network: Network, code: str, name: str, *, actor: User | None) -> TargetGroup:
    code, name = _check_entry(TargetGroup, network, code, name)
    group = TargetGroup.objects.create(network=network, code=code, name=name)
    log_action("plans.target_group_created", actor=actor, target=group, network=network)
    return group


@transaction.atomic
def delete_category(category: MeasureCategory, *, actor: User | None) -> None:
    if category.network_id is None:
        raise ValidationError(_("Built-in categories cannot be deleted."))
    used = category.measures.count()
    if used:
        raise ValidationError(
            _("The category “%(name)s” is in use (measures: %(count)s) and cannot be deleted.")
            % {"name": category.name, "count": used}
        )
    network = category.network
    log_action("plans.category_deleted", actor=actor, target=category, network=network)
    category.delete()


@transaction.atomic
def delete_target_group(group: TargetGroup, *, actor: User | None) -> None:
    if group.network_id is None:
        raise ValidationError(_("Built-in target groups cannot be deleted."))
    used = group.measures.count()
    if used:
        raise ValidationError(
            _("The target group “%(name)s” is in use (measures: %(count)s) and cannot be deleted.")
            % {"name": group.name, "count": used}
        )
    network = group.network
    log_action("plans.target_group_deleted", actor=actor, target=group, network=network)
    group.delete()

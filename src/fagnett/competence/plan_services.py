"""Every write to competence plans and their requirements, made by the network coordinator's plan editor.

Each function validates, writes inside one transaction and logs one audit entry naming the changed fields
(never their values). Errors are ValidationErrors keyed by the form field they concern, in words a user can
act on, so the editor shows each at its field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fagnett.activities.models import ActivityKind
from fagnett.audit.services import log_action
from fagnett.competence.models import CompetencePlan, Requirement, RequirementKind
from fagnett.networks.models import Network

if TYPE_CHECKING:
    from fagnett.accounts.models import User

ZERO = Decimal(0)
MAX_MIN_MONTHS = 12


@dataclass
class PlanData:
    name: str
    valid_from: dt.date
    min_months_for_yearly: int


PLAN_FIELDS = ("name", "valid_from", "min_months_for_yearly")


@dataclass
class RequirementData:
    code: str
    name: str
    kind: str
    activity_kinds: list[str] = field(default_factory=list)
    within_months: int | None = None
    min_count: int = 1
    min_hours: Decimal | None = None
    min_shadowing_days: Decimal | None = None
    remind_leader: bool = False
    position: int | None = None


REQUIREMENT_FIELDS = tuple(f.name for f in fields(RequirementData))


# Validation ----------------------------------------------------------------------------------------------


def _plan_errors(network: Network, data: PlanData, *, exclude: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Give the version a name.")
    clash = CompetencePlan.objects.filter(network=network, valid_from=data.valid_from)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        errors["valid_from"] = _(
            "Another version of the plan is already valid from %(date)s. Choose another valid-from date."
        ) % {"date": data.valid_from.strftime("%d.%m.%Y")}
    if not 0 <= data.min_months_for_yearly <= MAX_MIN_MONTHS:
        errors["min_months_for_yearly"] = _(
            "The months of membership for yearly requirements must be a whole number from 0 to 12."
        )
    return errors


def normalise_requirement(data: RequirementData) -> RequirementData:
    """The same data with the fields the kind does not use cleared, so a stored requirement never holds a
    value the engine would ignore (and a reader of the plan would misread)."""
    # The list's order, so that saving the same choices again changes nothing; unknown codes last, for
    # requirement_errors to refuse.
    order = {code: index for index, code in enumerate(ActivityKind.values)}
    kinds = sorted(set(data.activity_kinds), key=lambda code: (order.get(code, len(order)), code))
    clean = RequirementData(
        code=data.code.strip(),
        name=data.name.strip(),
        kind=data.kind,
        activity_kinds=kinds,
        position=data.position,
    )
    if data.kind == RequirementKind.ONCE:
        clean.within_months = data.within_months
        clean.min_shadowing_days = data.min_shadowing_days
        clean.remind_leader = data.remind_leader
        if kinds:
            clean.min_count = data.min_count
            clean.min_hours = data.min_hours
        else:
            # Without activity kinds only job shadowing can meet it; a count or hours would mean nothing.
            clean.min_count = 1
            clean.min_hours = None
    elif data.kind == RequirementKind.YEARLY_COUNT:
        clean.min_count = data.min_count
    else:
        # Matches the default plan: an hours requirement stores no count.
        clean.min_count = 0
        clean.min_hours = data.min_hours
    return clean


def requirement_errors(
    plan: CompetencePlan, data: RequirementData, *, exclude: int | None = None
) -> dict[str, str]:
    """What is wrong with `data` (already normalised) for `plan`, by field name."""
    errors: dict[str, str] = {}
    if not data.code:
        errors["code"] = _("Give the requirement a code.")
    else:
        clash = Requirement.objects.filter(plan=plan, code=data.code)
        if exclude is not None:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            errors["code"] = _(
                "Another requirement in this version already has the code “%(code)s”. Choose another code."
            ) % {"code": data.code}
    if not data.name:
        errors["name"] = _("Give the requirement a name.")
    if data.kind not in RequirementKind.values:
        errors["kind"] = _("Choose what kind of requirement it is.")
        return errors
    unknown = set(data.activity_kinds) - set(ActivityKind.values)
    if unknown:
        errors["activity_kinds"] = _("Choose activity kinds from the list.")
    if data.kind == RequirementKind.ONCE:
        if data.within_months is None or data.within_months < 1:
            errors["within_months"] = _(
                "A once-requirement needs the number of months after joining it must be met within "
                "(at least 1)."
            )
        if not data.activity_kinds and data.min_shadowing_days is None:
            errors["activity_kinds"] = _(
                "Choose at least one activity kind, or give the minimum days of job shadowing, so that "
                "something can meet the requirement."
            )
        if data.min_shadowing_days is not None and data.min_shadowing_days <= ZERO:
            errors["min_shadowing_days"] = _(
                "The minimum days of job shadowing must be more than 0, or left empty."
            )
        if data.activity_kinds and data.min_count < 1:
            errors["min_count"] = _("The minimum number of activities must be at least 1.")
        if data.min_hours is not None and data.min_hours <= ZERO:
            errors["min_hours"] = _("The minimum credited hours must be more than 0, or left empty.")
    elif data.kind == RequirementKind.YEARLY_COUNT:
        if not data.activity_kinds:
            errors["activity_kinds"] = _("Choose at least one activity kind that counts.")
        if data.min_count < 1:
            errors["min_count"] = _(
                "A yearly number of activities needs the minimum number of activities (at least 1)."
            )
    else:
        if not data.activity_kinds:
            errors["activity_kinds"] = _("Choose at least one activity kind that counts.")
        if data.min_hours is None or data.min_hours <= ZERO:
            errors["min_hours"] = _(
                "A yearly number of hours needs the minimum credited hours (more than 0)."
            )
    return errors


# Plans ---------------------------------------------------------------------------------------------------


@transaction.atomic
def create_plan_version(
    network: Network, data: PlanData, *, source: CompetencePlan | None, actor: User | None
) -> CompetencePlan:
    """A new version valid from `data.valid_from`, with a copy of `source`'s requirements (none without a
    source). The engine picks it for every year evaluated on or after that date."""
    if source is not None and source.network_id != network.pk:
        raise ValidationError({"source": _("Choose a version of this network's plan to copy.")})
    errors = _plan_errors(network, data)
    if errors:
        raise ValidationError(errors)
    plan = CompetencePlan.objects.create(
        network=network,
        name=data.name.strip(),
        valid_from=data.valid_from,
        min_months_for_yearly=data.min_months_for_yearly,
    )
    copied = list(source.requirements.order_by("position", "code")) if source is not None else []
    Requirement.objects.bulk_create(
        Requirement(
            plan=plan,
            code=old.code,
            name=old.name,
            kind=old.kind,
            activity_kinds=list(old.activity_kinds),
            within_months=old.within_months,
            min_count=old.min_count,
            min_hours=old.min_hours,
            min_shadowing_days=old.min_shadowing_days,
            remind_leader=old.remind_leader,
            position=old.position,
        )
        for old in copied
    )
    _copy_learning_resources(copied, plan)
    log_action(
        "competence.plan_created",
        actor=actor,
        target=plan,
        network=network,
        fields=PLAN_FIELDS,
        data={"copied_from": source.pk if source else None, "requirements": len(copied)},
    )
    return plan


def _copy_learning_resources(copied: list[Requirement], plan: CompetencePlan) -> None:
    # Learning resources linked to a requirement follow it into the new version (matched by code), so a new
    # version does not silently lose the reading list the coordinator built up.
    links = Requirement.learning_resources.through
    new_ids = dict(plan.requirements.values_list("code", "pk"))
    old_codes = {old.pk: old.code for old in copied}
    rows = links.objects.filter(requirement_id__in=old_codes).values_list(
        "requirement_id", "learningresource_id"
    )
    links.objects.bulk_create(
        links(requirement_id=new_ids[old_codes[requirement_id]], learningresource_id=resource_id)
        for requirement_id, resource_id in rows
    )


@transaction.atomic
def update_plan(plan: CompetencePlan, data: PlanData, *, actor: User | None) -> list[str]:
    """Change a version's name, validity date and months rule; returns the names of the changed fields."""
    errors = _plan_errors(plan.network, data, exclude=plan.pk)
    if errors:
        raise ValidationError(errors)
    values = {
        "name": data.name.strip(),
        "valid_from": data.valid_from,
        "min_months_for_yearly": data.min_months_for_yearly,
    }
    changed = [name for name, value in values.items() if getattr(plan, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(plan, name, values[name])
    plan.save(update_fields=changed)
    log_action("competence.plan_updated", actor=actor, target=plan, network=plan.network, fields=changed)
    return changed


@transaction.atomic
def delete_plan(plan: CompetencePlan, *, actor: User | None) -> None:
    """Delete a version and its requirements; the network keeps at least one version."""
    # Locks the network's versions so two coordinators cannot each delete one of the last two.
    versions = list(
        CompetencePlan.objects.select_for_update()
        .filter(network_id=plan.network_id)
        .values_list("pk", flat=True)
    )
    if len(versions) <= 1:
        raise ValidationError(
            _("%(name)s is the only version of the plan and cannot be deleted. Change it instead.")
            % {"name": plan.name}
        )
    # Logged before the delete so the entry records the version's id.
    log_action("competence.plan_deleted", actor=actor, target=plan, network=plan.network)
    plan.delete()


# Requirements --------------------------------------------------------------------------------------------


def _apply(requirement: Requirement, data: RequirementData) -> list[str]:
    changed = []
    for name in REQUIREMENT_FIELDS:
        value = getattr(data, name)
        if name == "position" and value is None:
            continue
        if getattr(requirement, name) != value:
            setattr(requirement, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def create_requirement(plan: CompetencePlan, data: RequirementData, *, actor: User | None) -> Requirement:
    clean = normalise_requirement(data)
    errors = requirement_errors(plan, clean)
    if errors:
        raise ValidationError(errors)
    if clean.position is None:
        last = plan.requirements.aggregate(last=Max("position"))["last"]
        clean.position = (last or 0) + 1
    requirement = Requirement(plan=plan)
    _apply(requirement, clean)
    requirement.save()
    log_action(
        "competence.requirement_created",
        actor=actor,
        target=requirement,
        network=plan.network,
        fields=REQUIREMENT_FIELDS,
    )
    return requirement


@transaction.atomic
def update_requirement(requirement: Requirement, data: RequirementData, *, actor: User | None) -> list[str]:
    """Change a requirement; returns the names of the changed fields (cleared ones included)."""
    clean = normalise_requirement(data)
    errors = requirement_errors(requirement.plan, clean, exclude=requirement.pk)
    if errors:
        raise ValidationError(errors)
    changed = _apply(requirement, clean)
    if not changed:
        return []
    requirement.save(update_fields=changed)
    log_action(
        "competence.requirement_updated",
        actor=actor,
        target=requirement,
        network=requirement.plan.network,
        fields=changed,
    )
    return changed


@transaction.atomic
def delete_requirement(requirement: Requirement, *, actor: User | None) -> None:
    log_action(
        "competence.requirement_deleted",
        actor=actor,
        target=requirement,
        network=requirement.plan.network,
    )
    requirement.delete()

"""Writes to a network's priority areas and economy lines, per year.

The same pattern as `networks.services`: validate, write inside one transaction, and log one audit entry per
change with the names of the changed fields (never their values). Validation errors are `ValidationError`s
keyed by the field to correct, in words a coordinator understands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.networks.models import Network
from fagnett.plans.models import EconomyKind, EconomyLine, PriorityArea, PriorityKind

if TYPE_CHECKING:
    from fagnett.accounts.models import User

TITLE_MAX_LENGTH = 300  # PriorityArea.title, EconomyLine.source and .purpose
MAX_AMOUNT = Decimal("9999999999.99")  # EconomyLine.amount: 12 digits, 2 after the comma

PRIORITY_FIELDS = ("year", "kind", "title", "description", "position")
LINE_FIELDS = ("year", "kind", "source", "purpose", "amount", "position")


@dataclass(frozen=True)
class PriorityData:
    year: int
    kind: str
    title: str
    description: str = ""
    position: int | None = None  # None: last


@dataclass(frozen=True)
class LineData:
    year: int
    kind: str
    source: str
    amount: Decimal
    purpose: str = ""
    position: int | None = None


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({name: ValidationError(message) for name, message in errors.items()})


def _check_year(errors: dict[str, str], year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Year must be a year from 1950 to 2100, for example 2024.")


def _next_position(rows: QuerySet[PriorityArea] | QuerySet[EconomyLine]) -> int:
    highest = rows.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _changed(row: Model, values: Mapping[str, object]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return changed


# Priority areas -------------------------------------------------------------------------------------------


def clean_priority(data: PriorityData) -> PriorityData:
    errors: dict[str, str] = {}
    _check_year(errors, data.year)
    if data.kind not in PriorityKind.values:
        errors["kind"] = _("Choose whether the priority area is continued or new.")
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = _("Write the priority area.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The priority area may be at most 300 characters.")
    _raise(errors)
    return PriorityData(data.year, data.kind, title, data.description.strip(), data.position)


def create_priority(network: Network, data: PriorityData, *, actor: User) -> PriorityArea:
    data = clean_priority(data)
    with transaction.atomic():
        position = data.position
        if position is None:
            position = _next_position(
                PriorityArea.objects.filter(network=network, year=data.year, kind=data.kind)
            )
        area = PriorityArea.objects.create(
            network=network,
            year=data.year,
            kind=data.kind,
            title=data.title,
            description=data.description,
            position=position,
        )
        log_action("plans.priority_created", actor=actor, target=area, network=network)
    return area


def update_priority(area: PriorityArea, data: PriorityData, *, actor: User) -> PriorityArea:
    data = clean_priority(data)
    values: dict[str, object] = {
        "year": data.year,
        "kind": data.kind,
        "title": data.title,
        "description": data.description,
    }
    if data.position is not None:
        values["position"] = data.position
    with transaction.atomic():
        changed = _changed(area, values)
        if changed:
            area.save(update_fields=changed)
            log_action(
                "plans.priority_updated", actor=actor, target=area, network=area.network, fields=changed
            )
    return area


def delete_priority(area: PriorityArea, *, actor: User) -> None:
    with transaction.atomic():
        log_action("plans.priority_deleted", actor=actor, target=area, network=area.network)
        area.delete()


def copy_previous_year(network: Network, year: int, *, actor: User) -> int:
    """Copy last year's priority areas (new and continued) into `year` as continued, skipping titles the
    year already has (compared without case and extra spaces). Returns how many were copied."""
    errors: dict[str, str] = {}
    _check_year(errors, year)
    if year - 1 < FIRST_YEAR:
        errors["year"] = _("There is no year before %(year)s to copy from.") % {"year": year}
    _raise(errors)

    def key(title: str) -> str:
        return " ".join(title.split()).casefold()

    copied = 0
    with transaction.atomic():
        existing = PriorityArea.objects.select_for_update().filter(network=network, year=year)
        taken = {key(area.title) for area in existing}
        position = _next_position(existing.filter(kind=PriorityKind.CONTINUED))
        previous = PriorityArea.objects.filter(network=network, year=year - 1).order_by(
            "kind", "position", "pk"
        )
        # Continued areas first, then last year's new ones, as the page lists them.
        for area in sorted(previous, key=lambda row: row.kind != PriorityKind.CONTINUED):
            if key(area.title) in taken:
                continue
            taken.add(key(area.title))
            created = PriorityArea.objects.create(
                network=network,
                year=year,
                kind=PriorityKind.CONTINUED,
                title=area.title,
                description=area.description,
                position=position,
            )
            position += 1
            copied += 1
            log_action(
                "plans.priority_copied",
                actor=actor,
                target=created,
                network=network,
                data={"from_year": year - 1},
            )
    return copied


# Economy --------------------------------------------------------------------------------------------------


def clean_line(data: LineData) -> LineData:
    errors: dict[str, str] = {}
    _check_year(errors, data.year)
    if data.kind not in EconomyKind.values:
        errors["kind"] = _("Choose the kind of line: grant, course fees, other income or cost.")
    source = " ".join(data.source.split())
    if not source:
        errors["source"] = _("Write the source or a description of the line.")
    elif len(source) > TITLE_MAX_LENGTH:
        errors["source"] = _("The source or description may be at most 300 characters.")
    purpose = " ".join(data.purpose.split())
    if len(purpose) > TITLE_MAX_LENGTH:
        errors["purpose"] = _("The purpose may be at most 300 characters.")
    amount = data.amount
    if amount < 0:
        errors["amount"] = _("The amount cannot be negative. Enter costs as lines of the kind Cost.")
    elif amount > MAX_AMOUNT:
        errors["amount"] = _("The amount is too large.")
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = _("The amount may have at most two decimals (øre).")
    _raise(errors)
    return LineData(data.year, data.kind, source, amount, purpose, data.position)


def create_line(network: Network, data: LineData, *, actor: User) -> EconomyLine:
    data = clean_line(data)
    with transaction.atomic():
        position = data.position
        if position is None:
            position = _next_position(
                EconomyLine.objects.filter(network=network, year=data.year, kind=data.kind)
            )
        line = EconomyLine.objects.create(
            network=network,
            year=data.year,
            kind=data.kind,
            source=data.source,
            purpose=data.purpose,
            amount=data.amount,
            position=position,
        )
        log_action("plans.economy_line_created", actor=actor, target=line, network=network)
    return line


def update_line(line: EconomyLine, data: LineData, *, actor: User) -> EconomyLine:
    data = clean_line(data)
    values: dict[str, object] = {
        "year": data.year,
        "kind": data.kind,
        "source": data.source,
        "purpose": data.purpose,
        "amount": data.amount,
    }
    if data.position is not None:
        values["position"] = data.position
    with transaction.atomic():
        changed = _changed(line, values)
        if changed:
            line.save(update_fields=changed)
            log_action(
                "plans.economy_line_updated", actor=actor, target=line, network=line.network, fields=changed
            )
    return line


def delete_line(line: EconomyLine, *, actor: User) -> None:
    with transaction.atomic():
        log_action("plans.economy_line_deleted", actor=actor, target=line, network=line.network)
        line.delete()

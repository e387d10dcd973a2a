"""Every write to result indicators and their entered values: validated, in one transaction, audited.

Entered values are aggregate counts. Nothing here stores free text next to a value, and `parse_count`
refuses anything that looks like a national identity number (fødselsnummer, 11 digits), so a person's
identifier typed into a number field by mistake is never saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.networks.models import Network
from fagnett.plans.indicator_values import period_code, periods_of
from fagnett.plans.models import Indicator, IndicatorSource, IndicatorValue

if TYPE_CHECKING:
    from fagnett.accounts.models import User

# IndicatorValue.value: 12 digits, 2 after the comma.
MAX_WHOLE_DIGITS = 10
# Eleven digits in a row, or six and five with a space, dot or hyphen between (ddmmyy nnnnn).
_IDENTIFIER = re.compile(r"(?<!\d)\d{6}[\s.\-]?\d{5}(?!\d)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


class NotACount(ValueError):
    """What is wrong with a value, in the user's language."""


def identifier_message(where: str = "") -> str:
    """Why an 11-digit value is refused; `where` names the field or column when given."""
    if where:
        return _(
            "The value in “%(field)s” looks like a national identity number (11 digits). Fagnett stores only "
            "aggregate counts, never patient or person data."
        ) % {"field": where}
    return _(
        "The value looks like a national identity number (11 digits). Fagnett stores only aggregate counts, "
        "never patient or person data."
    )


def looks_like_identifier(text: str) -> bool:
    """Whether `text` holds an 11-digit number in any usual form ("01020312345", "010203 12345")."""
    if _IDENTIFIER.search(text):
        return True
    return len(re.sub(r"\D", "", text)) == 11


def parse_count(text: str, where: str = "") -> Decimal:
    """A non-negative number with at most two decimals; decimal comma and spaces between thousands are
    accepted. Raises NotACount saying why not (naming `where`, the field or column, for an identifier)."""
    if looks_like_identifier(text):
        raise NotACount(identifier_message(where))
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if cleaned.startswith("-"):
        raise NotACount(_("The value cannot be negative."))
    if not _NUMBER.fullmatch(cleaned):
        raise NotACount(
            _("“%(value)s” is not a number. Write only digits, for example 12 or 12,5.") % {"value": text}
        )
    whole, _dot, fraction = cleaned.partition(".")
    if len(fraction) > 2:
        raise NotACount(_("The value may have at most two decimals."))
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise NotACount(_("The value is too large."))
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern above admits only numbers
        raise NotACount(_("“%(value)s” is not a number.") % {"value": text}) from error


# --- Indicators ------------------------------------------------------------------------------------------


@dataclass
class IndicatorData:
    name: str
    source: str
    unit: str = ""
    description: str = ""
    activity_kinds: list[str] = field(default_factory=list)
    period: str = "aar"
    yearly_target: Decimal | None = None
    footnote: str = ""
    position: int | None = None  # None: after the last


FIELDS = (
    "name",
    "unit",
    "description",
    "source",
    "activity_kinds",
    "period",
    "yearly_target",
    "footnote",
    "position",
)


def _check_name(network: Network, name: str, exclude: int | None = None) -> None:
    others = Indicator.objects.filter(network=network, name__iexact=name.strip())
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ValidationError(
            {
                "name": _("The network already has an indicator named “%(name)s”. Choose another name.")
                % {"name": name}
            }
        )


def _values(data: IndicatorData) -> dict[str, object]:
    kinds = (
        sorted(set(data.activity_kinds))
        if data.source
        in (
            IndicatorSource.ACTIVITIES,
            IndicatorSource.PARTICIPANTS,
        )
        else []
    )
    return {
        "name": data.name.strip(),
        "unit": data.unit.strip(),
        "description": data.description.strip(),
        "source": data.source,
        "activity_kinds": kinds,
        "period": data.period,
        "yearly_target": data.yearly_target,
        "footnote": data.footnote.strip(),
    }


def create_indicator(network: Network, data: IndicatorData, *, actor: User | None) -> Indicator:
    with transaction.atomic():
        _check_name(network, data.name)
        position = data.position
        if position is None:
            last = Indicator.objects.filter(network=network).aggregate(last=Max("position"))["last"]
            position = 0 if last is None else last + 1
        indicator = Indicator(network=network, position=position, **_values(data))
        indicator.full_clean()
        indicator.save()
        log_action("plans.indicator_created", actor=actor, target=indicator, network=network, fields=FIELDS)
    return indicator


def update_indicator(indicator: Indicator, data: IndicatorData, *, actor: User | None) -> list[str]:
    """Change the indicator; returns the names of the fields that changed. Refuses to change how entered
    values are counted (the period, or to a computed source) while the indicator has entered values."""
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        _check_name(locked.network, data.name, exclude=locked.pk)
        new = _values(data)
        if data.position is not None:
            new["position"] = data.position
        has_values = IndicatorValue.objects.filter(indicator=locked).exists()
        if (
            has_values
            and locked.source == IndicatorSource.ENTERED
            and new["source"] != IndicatorSource.ENTERED
        ):
            raise ValidationError(
                {
                    "source": _(
                        "The indicator has entered values, which a computed source would hide. Delete the "
                        "values first, or make a new indicator for the computed figures."
                    )
                }
            )
        if has_values and new["period"] != locked.period:
            raise ValidationError(
                {
                    "period": _(
                        "The indicator has values entered per %(period)s. Delete them before changing how "
                        "often values are entered."
                    )
                    % {"period": locked.get_period_display().lower()}
                }
            )
        changed = [name for name, value in new.items() if getattr(locked, name) != value]
        for name, value in new.items():
            setattr(locked, name, value)
        locked.full_clean()
        if changed:
            locked.save()
            log_action(
                "plans.indicator_changed", actor=actor, target=locked, network=locked.network, fields=changed
            )
    indicator.refresh_from_db()
    return changed


def delete_indicator(indicator: Indicator, *, actor: User | None) -> None:
    with transaction.atomic():
        log_action(
            "plans.indicator_deleted",
            actor=actor,
            target=indicator,
            network=indicator.network,
            data={"values": IndicatorValue.objects.filter(indicator=indicator).count()},
        )
        indicator.delete()


# --- Entered values --------------------------------------------------------------------------------------


def set_values(
    indicator: Indicator, year: int, values: Mapping[int, Decimal | None], *, actor: User | None
) -> list[str]:
    """Store the year's values of an entered indicator: one per period of its kind (None deletes). All or
    nothing; audited with the codes of the periods that changed. Returns those codes."""
    if indicator.is_computed:
        raise ValidationError(_("A computed indicator has no entered values."))
    allowed = set(periods_of(indicator.period))
    if set(values) - allowed:
        raise ValueError(f"periods {sorted(set(values) - allowed)} do not fit {indicator.period}")
    for value in values.values():
        if value is not None and value < 0:
            raise ValidationError(_("A value cannot be negative."))
    with transaction.atomic():
        stored = {
            row.period: row
            for row in IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year)
        }
        changed: list[str] = []
        for period, value in sorted(values.items()):
            row = stored.get(period)
            if value is None:
                if row is not None:
                    row.delete()
                    changed.append(period_code(indicator.period, year, period))
            elif row is None:
                IndicatorValue.objects.create(indicator=indicator, year=year, period=period, value=value)
                changed.append(period_code(indicator.period, year, period))
            elif row.value != value:
                row.value = value
                row.save(update_fields=["value"])
                changed.append(period_code(indicator.period, year, period))
        if changed:
            log_action(
                "plans.indicator_values_changed",
                actor=actor,
                target=indicator,
                network=indicator.network,
                fields=changed,
            )
    return changed

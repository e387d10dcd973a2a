"""Forms for priority areas and economy lines. They parse input (amounts written the Norwegian way); the
rules live in plans.annual_services, whose errors the views show at the field they name."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.plans import annual_services as services
from fagnett.plans.annual_queries import amount_input
from fagnett.plans.goal_forms import position_field
from fagnett.plans.models import EconomyKind, EconomyLine, PriorityArea, PriorityKind


class AmountError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Spaces of every kind people and spreadsheets put between thousands.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_THOUSANDS_WITH_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_NUMBER = re.compile(r"^\d+(,\d{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """An amount in kroner as Norwegians write it: "1 250 000", "1250000,50", "kr 1 000", "1.000,-",
    "1 000 NOK". Raises AmountError("negative" | "invalid") otherwise; never a float."""
    value = _SPACES.sub("", text).lower()
    for prefix in ("kr.", "kr", "nok"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    for suffix in (",-", ".-", "kr.", "kr", "nok"):
        if value.endswith(suffix):
            value = value[: -len(suffix)]
    if value.startswith(("-", "\u2212")):
        raise AmountError("negative")
    if "." in value and "," in value:
        value = value.replace(".", "")  # 1.250.000,50: dots group thousands
    elif _THOUSANDS_WITH_DOTS.match(value):
        value = value.replace(".", "")  # 1.250.000
    elif "." in value:
        value = value.replace(".", ",")  # 1250.50 typed with a decimal point
    if not _NUMBER.match(value):
        raise AmountError("invalid")
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only valid numbers
        raise AmountError("invalid") from error


class AmountField(forms.CharField):
    default_error_messages = {
        "invalid": _("Amount must be a number of kroner, for example 1 250 000 or 1250000,50."),
        "negative": _("Amount cannot be negative. Enter costs as lines of the kind Cost."),
    }

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_amount(text)
        except AmountError as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from error


def _year_field() -> forms.IntegerField:
    message = _("Year must be a year from 1950 to 2100, for example 2024.")
    return forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("Write the year, for example 2024."),
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PriorityForm(forms.Form):
    year = _year_field()
    kind = forms.ChoiceField(
        label=_("New or continued"),
        choices=PriorityKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the priority area is continued or new."),
            "invalid_choice": _("Choose whether the priority area is continued or new."),
        },
    )
    title = forms.CharField(
        label=_("Priority area"),
        max_length=services.TITLE_MAX_LENGTH,
        error_messages={
            "required": _("Write the priority area."),
            "max_length": _("The priority area may be at most 300 characters."),
        },
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    position = position_field()

    @classmethod
    def for_area(cls, data: Any, area: PriorityArea | None, *, year: int, kind: str = "") -> PriorityForm:
        if area is None:
            return cls(data, initial={"year": year, "kind": kind or PriorityKind.NEW})
        return cls(data, initial={name: getattr(area, name) for name in services.PRIORITY_FIELDS})

    def to_data(self) -> services.PriorityData:
        data = self.cleaned_data
        return services.PriorityData(
            data["year"], data["kind"], data["title"], data["description"], data["position"]
        )


class EconomyLineForm(forms.Form):
    year = _year_field()
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=EconomyKind.choices,
        error_messages={
            "required": _("Choose the kind of line: grant, course fees, other income or cost."),
            "invalid_choice": _("Choose the kind of line: grant, course fees, other income or cost."),
        },
    )
    source = forms.CharField(
        label=_("Source or description"),
        max_length=services.TITLE_MAX_LENGTH,
        help_text=_("Who gave the grant, or what the line is."),
        error_messages={
            "required": _("Write the source or a description of the line."),
            "max_length": _("The source or description may be at most 300 characters."),
        },
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=services.TITLE_MAX_LENGTH,
        required=False,
        help_text=_("For grants: what the money is for."),
        error_messages={"max_length": _("The purpose may be at most 300 characters.")},
    )
    amount = AmountField(
        label=_("Amount (NOK)"),
        help_text=_("In kroner, for example 1 250 000 or 1250000,50."),
        error_messages={"required": _("Write the amount, for example 1 250 000.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    position = position_field()

    @classmethod
    def for_line(cls, data: Any, line: EconomyLine | None, *, year: int, kind: str = "") -> EconomyLineForm:
        if line is None:
            return cls(data, initial={"year": year, "kind": kind or EconomyKind.GRANT})
        initial: dict[str, Any] = {name: getattr(line, name) for name in services.LINE_FIELDS}
        initial["amount"] = amount_input(line.amount)
        return cls(data, initial=initial)

    def to_data(self) -> services.LineData:
        data = self.cleaned_data
        return services.LineData(
            year=data["year"],
            kind=data["kind"],
            source=data["source"],
            amount=data["amount"],
            purpose=data["purpose"],
            position=data["position"],
        )

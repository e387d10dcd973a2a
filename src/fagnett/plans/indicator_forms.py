"""Forms for result indicators: the definition, a year's entered values, the upload of a values file, and
the choice of year. They parse input only; the rules live in plans.indicator_services."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field as DjangoField
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fagnett.activities.models import ActivityKind
from fagnett.lib.importing import MAX_UPLOAD_BYTES
from fagnett.lib.tabular import EXTENSIONS, extension_of
from fagnett.plans.indicator_services import IndicatorData, NotACount, looks_like_identifier, parse_count
from fagnett.plans.indicator_values import AVAILABLE_SOURCES, period_label, periods_of
from fagnett.plans.models import Indicator, IndicatorPeriod, IndicatorSource

_YEAR = re.compile(r"[0-9]{4}")


def _label(name: str) -> StrOrPromise:
    model_field = Indicator._meta.get_field(name)
    if not isinstance(model_field, DjangoField):
        raise TypeError(name)
    return capfirst(model_field.verbose_name)


class CountField(forms.CharField):
    """A non-negative aggregate count; decimal comma accepted; blank is None. Refuses an 11-digit number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> Decimal | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        try:
            return parse_count(text, where=str(self.label))
        except NotACount as error:
            raise ValidationError(str(error)) from error


class DropsIdentifiers(forms.Form):
    """Does not send a refused identifier back to the browser: its field is shown empty with the error."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        refused = [
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field, CountField)
            and looks_like_identifier(str(self.data.get(self.add_prefix(name), "")))
        ]
        if refused:
            # A copy of the QueryDict keeps the lists of multiple choices (activity kinds) for re-rendering.
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            for key in refused:
                data[key] = ""
            self.data = data


class IndicatorForm(DropsIdentifiers):
    name = forms.CharField(label=_label("name"), max_length=200)
    unit = forms.CharField(
        label=_label("unit"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("For example «barn/unge». Leave empty for a plain count."),
    )
    description = forms.CharField(
        label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(
        label=_label("source"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Computed indicators are counted from Fagnett's own data. Entered indicators hold aggregate "
            "counts you enter or import, never anything about a patient."
        ),
    )
    activity_kinds = forms.MultipleChoiceField(
        label=_label("activity_kinds"),
        choices=ActivityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Only for the number of activities and of participants. Choose none to count every kind."
        ),
    )
    period = forms.ChoiceField(
        label=_label("period"),
        choices=IndicatorPeriod.choices,
        initial=IndicatorPeriod.YEAR,
        help_text=gettext_lazy(
            "Only for entered indicators: whether you enter a value per year, quarter or month."
        ),
    )
    yearly_target = CountField(
        label=_label("yearly_target"),
        help_text=gettext_lazy("Optional. The page shows whether the year's value reached it."),
    )
    footnote = forms.CharField(
        label=_label("footnote"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Shown under the table, marked with *."),
    )
    position = forms.IntegerField(
        label=_label("position"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=gettext_lazy("Lower numbers come first. Leave empty to put it last."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, current_source: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = [
            source for source in IndicatorSource if source in AVAILABLE_SOURCES or source == current_source
        ]
        source_field = cast("forms.ChoiceField", self.fields["source"])
        source_field.choices = [(source.value, source.label) for source in sources]

    @classmethod
    def initial_for(cls, indicator: Indicator) -> dict[str, Any]:
        return {
            "name": indicator.name,
            "unit": indicator.unit,
            "description": indicator.description,
            "source": indicator.source,
            "activity_kinds": list(indicator.activity_kinds or []),
            "period": indicator.period,
            "yearly_target": ""
            if indicator.yearly_target is None
            else _decimal_text(indicator.yearly_target),
            "footnote": indicator.footnote,
            "position": indicator.position,
        }

    def data_object(self) -> IndicatorData:
        data = self.cleaned_data
        return IndicatorData(
            name=data["name"],
            source=data["source"],
            unit=data["unit"],
            description=data["description"],
            activity_kinds=list(data["activity_kinds"]),
            period=data["period"],
            yearly_target=data["yearly_target"],
            footnote=data["footnote"],
            position=data["position"],
        )


def _decimal_text(value: Decimal) -> str:
    """12 or 12,5 for the input field (the Norwegian way; the field accepts both)."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


class ValuesForm(DropsIdentifiers):
    """One field per period of a year: "p0" for the whole year, "p1"… for quarters or months."""

    def __init__(self, *args: Any, indicator: Indicator, stored: dict[int, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods_of(indicator.period)
        for period in self.periods:
            name = f"p{period}"
            self.fields[name] = CountField(
                label=capfirst(period_label(indicator.period, period)),
                max_length=30,
            )
            if period in stored:
                self.initial[name] = _decimal_text(stored[period])

    def values(self) -> dict[int, Decimal | None]:
        return {period: self.cleaned_data[f"p{period}"] for period in self.periods}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV file (.csv) or an Excel file (.xlsx), at most 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if extension_of(upload.name or "") not in EXTENSIONS:
            raise ValidationError(_("Choose a .csv or an .xlsx file."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload

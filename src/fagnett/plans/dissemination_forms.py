"""Forms of the dissemination-plan pages. They parse input only; the rules (years in order, an ongoing measure
has no end, at least ≤ at most, the network's own activities) live in dissemination_services, whose errors the
views show at the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from fagnett.activities.models import Activity, ActivityKind
from fagnett.core.years import FIRST_YEAR, LAST_YEAR
from fagnett.lib.importing import MAX_UPLOAD_BYTES
from fagnett.lib.tabular import EXTENSIONS, extension_of
from fagnett.networks.models import Network
from fagnett.newsletters.models import Newsletter
from fagnett.plans.dissemination_queries import MeasureRow, target_groups_in_order
from fagnett.plans.dissemination_services import (
    MEASURE_TITLE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    POSITION_MAX,
    TITLE_MAX_LENGTH,
    MeasureData,
    PlanData,
    YearEntry,
)
from fagnett.plans.models import DisseminationPlan, Measure, MeasureCategory, MeasureStatus, TargetGroup


def _year_field(label: Any, message: Any, *, required: bool) -> forms.IntegerField:
    # The message names the field and its limits literally: a lazy message formatted here, at import, would be
    # fixed in the language active then.
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


FROM_YEAR_MESSAGE = _("“From year” must be a year from 1950 to 2100.")
TO_YEAR_MESSAGE = _("“To year” must be a year from 1950 to 2100.")


def _count_field(label: Any, message: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=999,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    start_year = _year_field(_("From year"), FROM_YEAR_MESSAGE, required=True)
    end_year = _year_field(_("To year"), TO_YEAR_MESSAGE, required=True)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the plan is for and whom it concerns; shown above the table."),
    )

    @staticmethod
    def initial_for(plan: DisseminationPlan) -> dict[str, Any]:
        return {
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "introduction": plan.introduction,
        }

    def data_object(self) -> PlanData:
        data = self.cleaned_data
        return PlanData(
            title=data["title"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            introduction=data["introduction"],
        )


class ActivityChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.starts_on:%d.%m.%Y} – {obj.title}"


class TargetGroupChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: TargetGroup) -> str:
        return f"{obj.code} – {obj.name}"


class MeasureForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=MeasureCategory.objects.none(),
        empty_label=_("Choose a category"),
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("“Category” must be one of this network's categories."),
        },
    )
    title = forms.CharField(
        label=_("Measure"),
        max_length=MEASURE_TITLE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what the measure is.")},
    )
    target_groups = TargetGroupChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("“Target groups” must be this network's target groups.")},
    )
    means = forms.CharField(
        label=_("Means"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the measure is carried out: one means per line."),
    )
    from_year = _year_field(_("From year"), FROM_YEAR_MESSAGE, required=False)
    to_year = _year_field(_("To year"), TO_YEAR_MESSAGE, required=False)
    ongoing = forms.BooleanField(
        label=_("Ongoing («løpende»)"),
        required=False,
        help_text=_("No end year. Leave both years empty for the plan's whole period."),
    )
    timeframe_note = forms.CharField(
        label=_("Note on the timeframe"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("For example «minst hvert halvår» or «oppdateres ved behov»."),
    )
    priority_area = forms.BooleanField(label=_("Priority area (SATSINGSOMRÅDE)"), required=False)
    is_new = forms.BooleanField(
        label=_("New measure"), required=False, help_text=_("Otherwise the measure is continued.")
    )
    per_year_min = _count_field(
        _("At least per year"), _("“At least per year” must be a whole number from 0 to 999.")
    )
    per_year_max = _count_field(
        _("At most per year"), _("“At most per year” must be a whole number from 0 to 999.")
    )
    activities = ActivityChoiceField(
        label=_("Activities that carry out the measure"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several. Newest first."),
        error_messages={"invalid_choice": _("“Activities” can only be activities of this network.")},
    )
    newsletters = forms.ModelMultipleChoiceField(
        label=_("Newsletters that carry out the measure"),
        queryset=Newsletter.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Counted in the year they were sent. Hold Ctrl (or Cmd) to choose several."),
        error_messages={"invalid_choice": _("“Newsletters” can only be newsletters of this network.")},
    )
    activity_kinds = forms.MultipleChoiceField(
        label=_("Count every activity of these kinds"),
        choices=ActivityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example every network gathering, without choosing them one by one."),
    )
    position = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=0,
        max_value=POSITION_MAX,
        help_text=_("Lower numbers come first. Leave empty to put it last."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        categories = MeasureCategory.objects.for_network(network).order_by(
            F("network").asc(nulls_first=True), "name"
        )
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        groups = TargetGroup.objects.for_network(network)
        ordered = [group.pk for group in target_groups_in_order(groups)]
        field = self.fields["target_groups"]
        field.queryset = groups  # type: ignore[attr-defined]
        field.choices = [  # type: ignore[attr-defined]
            (group.pk, f"{group.code} – {group.name}")
            for group in sorted(groups, key=lambda g: ordered.index(g.pk))
        ]
        self.fields["activities"].queryset = Activity.objects.filter(network=network).order_by(  # type: ignore[attr-defined]
            "-starts_on", "title"
        )
        self.fields["newsletters"].queryset = Newsletter.objects.filter(network=network).order_by(  # type: ignore[attr-defined]
            "-created"
        )

    @staticmethod
    def initial_for(measure: Measure) -> dict[str, Any]:
        return {
            "category": measure.category_id,
            "title": measure.title,
            "target_groups": [group.pk for group in measure.target_groups.all()],
            "means": measure.means,
            "from_year": measure.from_year,
            "to_year": measure.to_year,
            "ongoing": measure.ongoing,
            "timeframe_note": measure.timeframe_note,
            "priority_area": measure.priority_area,
            "is_new": measure.is_new,
            "per_year_min": measure.per_year_min,
            "per_year_max": measure.per_year_max,
            "activities": [activity.pk for activity in measure.activities.all()],
            "newsletters": [newsletter.pk for newsletter in measure.newsletters.all()],
            "activity_kinds": list(measure.activity_kinds),
            "position": measure.position,
        }

    def data_object(self) -> MeasureData:
        data = self.cleaned_data
        return MeasureData(
            category=data["category"],
            title=data["title"],
            target_groups=list(data["target_groups"]),
            means=data["means"],
            from_year=data["from_year"],
            to_year=data["to_year"],
            ongoing=data["ongoing"],
            timeframe_note=data["timeframe_note"],
            priority_area=data["priority_area"],
            is_new=data["is_new"],
            per_year_min=data["per_year_min"],
            per_year_max=data["per_year_max"],
            activities=list(data["activities"]),
            newsletters=list(data["newsletters"]),
            activity_kinds=list(data["activity_kinds"]),
            position=data["position"],
        )


NOT_ASSESSED = ""


class YearStatusForm(forms.Form):
    """A status and a comment per measure, as fields status_<pk> and comment_<pk>."""

    def __init__(self, measures: list[MeasureRow], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        choices = [(NOT_ASSESSED, _("Not assessed")), *MeasureStatus.choices]
        for measure in measures:
            self.fields[f"status_{measure.pk}"] = forms.ChoiceField(
                label=_("Status"),
                choices=choices,
                required=False,
                error_messages={"invalid_choice": _("Choose a status from the list.")},
            )
            self.fields[f"comment_{measure.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def bound_rows(self) -> list[tuple[MeasureRow, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"status_{m.pk}"], self[f"comment_{m.pk}"]) for m in self.measures]

    def entries(self) -> dict[int, YearEntry]:
        data = self.cleaned_data
        return {
            measure.pk: YearEntry(status=data[f"status_{measure.pk}"], comment=data[f"comment_{measure.pk}"])
            for measure in self.measures
        }


class VocabularyEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=50,
        validators=[
            RegexValidator(
                r"^[-a-zA-Z0-9_]+$",
                _("The code may contain letters a–z, digits, hyphens and underscores, without spaces."),
            )
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, code_help: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = code_help


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel file (.xlsx) or a CSV file (.csv), at most 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if extension_of(upload.name or "") not in EXTENSIONS:
            raise ValidationError(_("Choose an .xlsx or a .csv file."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload

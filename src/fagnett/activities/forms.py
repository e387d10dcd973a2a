"""Forms for the calendar and the activity pages. They parse input only; the rules (end after start, a
deadline before the start, …) live in activities.services, whose errors `ActivityForms` shows in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field as DjangoField
from django.db.models import Model
from django.forms.utils import ErrorDict, ErrorList
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Audience,
    LiteratureItem,
    ProgrammeItem,
)
from fagnett.activities.queries import CalendarChoices, CalendarFilters
from fagnett.activities.services import (
    ActivityData,
    LiteratureData,
    ProgrammeItemData,
    activity_data,
    parse_theme_names,
    programme_day_error,
    validate_activity,
)
from fagnett.networks.access import NetworkAccess
from fagnett.networks.forms import DATE_INPUT_FORMATS, date_field
from fagnett.networks.models import LocalChapter

# How many empty rows the programme and literature lists offer below the current ones; "Add a row" adds one.
PROGRAMME_EXTRA = 3
LITERATURE_EXTRA = 2
MAX_ROWS = 60


def _label(model: type[Model], name: str) -> StrOrPromise:
    field = model._meta.get_field(name)
    if not isinstance(field, DjangoField):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return capfirst(field.verbose_name)


def _time_field(label: StrOrPromise) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class DecimalCommaField(forms.DecimalField):
    """A decimal number written with a comma (Norwegian) or a point, whatever the page's language."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(localize=True, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs say int
        if isinstance(value, str):
            value = "".join(value.split()).replace(",", ".")
        return super().to_python(value)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_label(Activity, "title"), max_length=200)
    kind = forms.ChoiceField(
        label=_label(Activity, "kind"), choices=[("", _("Choose a kind")), *ActivityKind.choices]
    )
    chapter = forms.ModelChoiceField(
        label=_label(Activity, "chapter"), queryset=LocalChapter.objects.none(), required=False
    )
    themes = forms.CharField(
        label=_label(Activity, "themes"),
        required=False,
        max_length=1000,
        help_text=_(
            "Separate the themes with commas, for example: grief, pain relief. New themes are created."
        ),
    )
    starts_on = date_field(_label(Activity, "starts_on"))
    ends_on = date_field(_label(Activity, "ends_on"), required=False)
    start_time = _time_field(_label(Activity, "start_time"))
    end_time = _time_field(_label(Activity, "end_time"))
    hours = DecimalCommaField(
        label=_label(Activity, "hours"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The hours an attendee is credited with, for example 6 or 3,5."),
    )
    place = forms.CharField(label=_label(Activity, "place"), max_length=300, required=False)
    link = forms.URLField(
        label=_label(Activity, "link"),
        required=False,
        assume_scheme="https",
        help_text=_("For a webinar or a digital meeting."),
    )
    description = forms.CharField(
        label=_label(Activity, "description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    audience = forms.ChoiceField(
        label=_label(Activity, "audience"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        initial=Audience.RESOURCE_PERSONS,
    )
    capacity = forms.IntegerField(
        label=_label(Activity, "capacity"),
        required=False,
        help_text=_("The number of places. Leave it empty for no limit; the rest go on a waiting list."),
    )
    registration_deadline = date_field(_label(Activity, "registration_deadline"), required=False)
    other_participants = forms.IntegerField(
        label=_label(Activity, "other_participants"),
        initial=0,
        help_text=_("Participants who are not in the network's roster, for example from a study day."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        access: NetworkAccess,
        activity: Activity | None = None,
    ) -> None:
        initial: dict[str, Any] = {}
        if activity is not None:
            current = activity_data(activity)
            initial = {name: getattr(current, name) for name in self.base_fields if name != "themes"}
            initial["themes"] = ", ".join(current.themes)
            if initial["ends_on"] == initial["starts_on"]:
                initial["ends_on"] = None
        super().__init__(data, initial=initial)
        # Chapter coordinators must pick one of their own chapters; network coordinators any, or none.
        chapter = cast(forms.ModelChoiceField[LocalChapter], self.fields["chapter"])
        chapter.queryset = access.editable_chapters().order_by("name")
        chapter.required = not access.is_coordinator
        chapter.empty_label = _("The network (no local chapter)") if access.is_coordinator else None
        ends_on = self.fields["ends_on"]
        ends_on.help_text = _("Leave it empty for a one-day activity.")

    def activity_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            title=data["title"],
            kind=data["kind"],
            chapter=data["chapter"],
            themes=parse_theme_names(data["themes"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            hours=data["hours"],
            place=data["place"].strip(),
            link=data["link"],
            description=data["description"].strip(),
            audience=data["audience"],
            capacity=data["capacity"],
            registration_deadline=data["registration_deadline"],
            other_participants=data["other_participants"],
        )


class ProgrammeItemForm(forms.Form):
    day = date_field(_label(ProgrammeItem, "day"), required=False)
    time = _time_field(_label(ProgrammeItem, "time"))
    title = forms.CharField(label=_label(ProgrammeItem, "title"), max_length=200)
    speaker = forms.CharField(label=_label(ProgrammeItem, "speaker"), max_length=200, required=False)
    speaker_organisation = forms.CharField(
        label=_label(ProgrammeItem, "speaker_organisation"), max_length=200, required=False
    )

    def item(self) -> ProgrammeItemData:
        data = self.cleaned_data
        return ProgrammeItemData(
            title=data["title"],
            day=data["day"],
            time=data["time"],
            speaker=data["speaker"],
            speaker_organisation=data["speaker_organisation"],
        )


class LiteratureForm(forms.Form):
    title = forms.CharField(label=_label(LiteratureItem, "title"), max_length=300)
    link = forms.URLField(label=_label(LiteratureItem, "link"), required=False, assume_scheme="https")

    def item(self) -> LiteratureData:
        return LiteratureData(title=self.cleaned_data["title"], link=self.cleaned_data["link"])


class _RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """A list of rows where an empty row is left out, whether it was empty from the start or the user
    emptied it to remove it. So no row is an "initial" row (which Django would require to be filled):
    the current rows are only the starting values of the page, and a POST is read without them."""

    row_label: StrOrPromise = ""

    def initial_form_count(self) -> int:
        return 0

    def filled_forms(self) -> list[Any]:
        """The rows the user wrote something in, in order."""
        return [form for form in self.forms if form.has_changed()]


class ProgrammeFormSet(_RowFormSet):
    row_label = _("Programme item %(number)s")


class LiteratureFormSet(_RowFormSet):
    row_label = _("Literature %(number)s")


def _formset(form: type[forms.Form], base: type[_RowFormSet], extra: int) -> type[_RowFormSet]:
    formset = forms.formset_factory(
        form, formset=base, extra=extra, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
    )
    return cast(type[_RowFormSet], formset)


@dataclass(frozen=True)
class _SummaryField:
    """A field as the error summary (core/forms/error_summary.html) lists it; rows carry their number."""

    auto_id: str
    label: str
    errors: ErrorList


class _ErrorSummary:
    """The activity form and its two row lists seen as one form by the error summary, so that one summary
    lists every error and links to its field."""

    def __init__(self, forms_: ActivityForms) -> None:
        self._forms = forms_

    def __iter__(self) -> Iterator[_SummaryField]:
        for field in self._forms.form:
            yield _SummaryField(field.auto_id, str(field.label), field.errors)
        for formset in (self._forms.programme, self._forms.literature):
            for number, row in enumerate(formset.forms, start=1):
                for field in row:
                    label = f"{formset.row_label % {'number': number}} – {field.label}"
                    yield _SummaryField(field.auto_id, label, field.errors)

    @property
    def errors(self) -> bool:
        return self._forms.has_errors

    def non_field_errors(self) -> ErrorList:
        errors = ErrorList(self._forms.form.non_field_errors())
        for formset in (self._forms.programme, self._forms.literature):
            errors.extend(formset.non_form_errors())
        return errors


class ActivityForms:
    """The activity form with its programme and literature rows, validated and shown together.

    A POST with "more_programme" or "more_literature" only adds an empty row and shows the page again; the
    forms are then shown as typed, without complaining about what is not filled in yet."""

    ADD_ROW = ("more_programme", "more_literature")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        access: NetworkAccess,
        activity: Activity | None = None,
    ) -> None:
        self.network = access.network
        self.adding_row = data is not None and any(name in data for name in self.ADD_ROW)
        if self.adding_row and data is not None:
            data = self._with_one_more_row(data)
        self.form = ActivityForm(data, access=access, activity=activity)
        programme_initial: list[dict[str, Any]] = []
        literature_initial: list[dict[str, Any]] = []
        # A POST is read without the current rows (see _RowFormSet); they are only the page's starting values.
        if activity is not None and data is None:
            programme_initial = [
                {
                    "day": item.day,
                    "time": item.time,
                    "title": item.title,
                    "speaker": item.speaker,
                    "speaker_organisation": item.speaker_organisation,
                }
                for item in activity.programme.order_by("position", "pk")
            ]
            literature_initial = [
                {"title": item.title, "link": item.link}
                for item in activity.literature.order_by("position", "pk")
            ]
        programme_rows = len(programme_initial) + PROGRAMME_EXTRA
        literature_rows = len(literature_initial) + LITERATURE_EXTRA
        self.programme = _formset(ProgrammeItemForm, ProgrammeFormSet, programme_rows)(
            data, initial=programme_initial, prefix="programme"
        )
        self.literature = _formset(LiteratureForm, LiteratureFormSet, literature_rows)(
            data, initial=literature_initial, prefix="literature"
        )
        if self.adding_row:
            self._silence()
        self.summary = _ErrorSummary(self)

    @staticmethod
    def _with_one_more_row(data: Mapping[str, Any]) -> Mapping[str, Any]:
        copy = data.copy()  # type: ignore[attr-defined]
        for name, prefix in (("more_programme", "programme"), ("more_literature", "literature")):
            key = f"{prefix}-TOTAL_FORMS"
            if name in data and str(data.get(key, "")).isdigit():
                copy[key] = str(min(int(data[key]) + 1, MAX_ROWS))
        return cast(Mapping[str, Any], copy)

    def _silence(self) -> None:
        # Adding a row is not a submission: show what was typed, with no errors yet.
        for form in [self.form, *self.programme.forms, *self.literature.forms]:
            form._errors = ErrorDict()
            form.cleaned_data = {}

    def is_valid(self) -> bool:
        if self.adding_row:
            return False
        # Everything is checked, the services' rules included, so that every error shows at once.
        results = [self.form.is_valid(), self.programme.is_valid(), self.literature.is_valid()]
        if results[0]:
            data = self.activity_data()
            try:
                validate_activity(self.network, data)
            except ValidationError as error:
                self.add_service_error(error)
                return False
            starts_on, ends_on = data.starts_on, data.ends_on or data.starts_on
            for row in self.programme.filled_forms():
                day_error = programme_day_error(row.cleaned_data.get("day"), starts_on, ends_on)
                if day_error:
                    row.add_error("day", day_error)
                    results.append(False)
        return all(results)

    @property
    def has_errors(self) -> bool:
        if self.adding_row:
            return False
        return bool(
            self.form.errors or self.programme.total_error_count() or self.literature.total_error_count()
        )

    def activity_data(self) -> ActivityData:
        return self.form.activity_data()

    def programme_items(self) -> list[ProgrammeItemData]:
        return [row.item() for row in self.programme.filled_forms()]

    def literature_items(self) -> list[LiteratureData]:
        return [row.item() for row in self.literature.filled_forms()]

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's errors on the fields they name; row errors ("programme", "literature") and any
        other go above the form, where the error summary lists them."""
        if not hasattr(error, "error_dict"):
            self.form.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.form.add_error(name if name in self.form.fields else None, ValidationError(errors))


class CalendarView:
    LIST = "liste"
    MONTH = "maaned"


class CalendarFilterForm(forms.Form):
    """The calendar's filters and period, read from GET parameters with Norwegian names.

    `tema` accepts a theme's id (the select) or its name (a link such as ?tema=Sorg)."""

    type = forms.ChoiceField(label=_("Kind"), required=False)
    lokallag = forms.ChoiceField(label=_("Local chapter"), required=False)
    tema = forms.CharField(label=_("Theme"), required=False, widget=forms.Select)
    fra = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    til = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    maaned = forms.CharField(required=False, widget=forms.HiddenInput)
    visning = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Mapping[str, Any], *, choices: CalendarChoices) -> None:
        super().__init__(data)
        self.choices = choices
        everything: list[tuple[str, StrOrPromise]] = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["type"]).choices = everything + list(ActivityKind.choices)
        cast(forms.ChoiceField, self.fields["lokallag"]).choices = everything + list(choices.chapters)
        theme_choices = everything + [(str(pk), name) for pk, name in choices.themes]
        cast(forms.Select, self.fields["tema"].widget).choices = theme_choices
        self.is_valid()

    @property
    def view(self) -> str:
        value = self.data.get("visning", "")
        return CalendarView.MONTH if value == CalendarView.MONTH else CalendarView.LIST

    def clean_tema(self) -> int | None:
        value = str(self.cleaned_data.get("tema") or "").strip()
        if not value:
            return None
        for pk, name in self.choices.themes:
            if value == str(pk) or value.lower() == name.lower():
                return pk
        # An unknown theme (an old link) matches nothing rather than everything.
        return 0

    def clean_maaned(self) -> dt.date | None:
        year, _sep, month = str(self.cleaned_data.get("maaned") or "").partition("-")
        try:
            return dt.date(int(year), int(month), 1)
        except ValueError:
            # Missing or not a month (an old or mistyped link): the current month.
            return None

    def filters(self) -> CalendarFilters:
        data = getattr(self, "cleaned_data", {})
        return CalendarFilters(
            kind=data.get("type") or "",
            chapter=data.get("lokallag") or "",
            theme=data.get("tema"),
        )

    def period(self, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The list view's period: ?fra and ?til, or from today on when neither is given."""
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("fra"), data.get("til")
        if start is None and end is None:
            return today, None
        if start is not None and end is not None and end < start:
            start, end = end, start
        return start, end

    def month(self, today: dt.date) -> dt.date:
        data = getattr(self, "cleaned_data", {})
        month: dt.date | None = data.get("maaned")
        return month or today.replace(day=1)

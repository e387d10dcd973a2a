"""Forms for the form builder and for attaching a form to an activity. They parse input only; the rules
(options of a choice question, what may change once there are answers, open before close) live in
evaluations.services, whose errors the views show at the field they name."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Field as DjangoField
from django.db.models import Model, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fagnett.evaluations import services
from fagnett.evaluations.models import Evaluation, EvaluationForm, Question, QuestionKind, Section

# <input type="datetime-local"> sends 2025-06-11T08:00; someone typing may write 11.06.2025 08:00.
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y kl. %H:%M"]
BLANK = "blank"


def _label(model: type[Model], name: str) -> StrOrPromise:
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, DjangoField):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return capfirst(model_field.verbose_name)


def _help(model: type[Model], name: str) -> StrOrPromise:
    model_field = model._meta.get_field(name)
    return model_field.help_text if isinstance(model_field, DjangoField) else ""


def _datetime_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _position_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_label(Section, "position"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("Lower numbers come first. Leave empty to put it last."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class FormSettingsForm(forms.Form):
    """A form's own fields (title, introduction, anonymity, small-number limit, template)."""

    title = forms.CharField(label=_label(EvaluationForm, "title"), max_length=services.TITLE_MAX_LENGTH)
    intro = forms.CharField(
        label=_label(EvaluationForm, "intro"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown above the questions: why you ask, and how long it takes."),
    )
    anonymous = forms.BooleanField(
        label=_label(EvaluationForm, "anonymous"),
        required=False,
        help_text=_help(EvaluationForm, "anonymous"),
    )
    min_responses_shown = forms.IntegerField(
        label=_label(EvaluationForm, "min_responses_shown"),
        min_value=1,
        max_value=services.MAX_MIN_RESPONSES_SHOWN,
        help_text=_help(EvaluationForm, "min_responses_shown"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    is_template = forms.BooleanField(
        label=_label(EvaluationForm, "is_template"),
        required=False,
        help_text=_help(EvaluationForm, "is_template"),
    )

    @classmethod
    def for_form(cls, data: Any, form: EvaluationForm) -> FormSettingsForm:
        return cls(data, initial={name: getattr(form, name) for name in services.FORM_FIELDS})

    def to_data(self) -> services.FormData:
        data = self.cleaned_data
        return services.FormData(
            title=data["title"],
            intro=data["intro"],
            anonymous=data["anonymous"],
            min_responses_shown=data["min_responses_shown"],
            is_template=data["is_template"],
        )


class FormCreateForm(forms.Form):
    """A new form: blank, or a copy of a template or of any of the network's forms."""

    start_from = forms.ChoiceField(
        label=_("Start from"),
        help_text=_(
            "A copy gets the chosen form's sections, questions and options, which you can then change."
        ),
    )
    title = forms.CharField(
        label=_label(EvaluationForm, "title"),
        max_length=services.TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Leave empty for a copy to be called “Kopi av” and the chosen form's title."),
    )

    def __init__(
        self, data: Any = None, *, forms_in_network: QuerySet[EvaluationForm], initial_source: str = ""
    ):
        super().__init__(data, initial={"start_from": initial_source or BLANK})
        templates = [(str(f.pk), f.title) for f in forms_in_network if f.is_template]
        others = [(str(f.pk), f.title) for f in forms_in_network if not f.is_template]
        choices: list[Any] = [(BLANK, _("A blank form"))]
        if templates:
            choices.append((_("Templates"), templates))
        if others:
            choices.append((_("Other forms"), others))
        cast(forms.ChoiceField, self.fields["start_from"]).choices = choices
        self.sources = {f.pk: f for f in forms_in_network}

    def source(self) -> EvaluationForm | None:
        value = self.cleaned_data["start_from"]
        return None if value == BLANK else self.sources[int(value)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start_from") == BLANK and not (cleaned.get("title") or "").strip():
            self.add_error("title", _("Write a title for the blank form."))
        return cleaned


class SectionForm(forms.Form):
    title = forms.CharField(label=_label(Section, "title"), max_length=200)
    intro = forms.CharField(
        label=_label(Section, "intro"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown under the section's title."),
    )
    position = _position_field()

    @classmethod
    def for_section(cls, data: Any, section: Section) -> SectionForm:
        return cls(data, initial={name: getattr(section, name) for name in services.SECTION_FIELDS})

    def to_data(self) -> services.SectionData:
        data = self.cleaned_data
        return services.SectionData(title=data["title"], intro=data["intro"], position=data["position"])


class QuestionForm(forms.Form):
    text = forms.CharField(label=_label(Question, "text"), max_length=500)
    help_text = forms.CharField(
        label=_label(Question, "help_text"),
        max_length=500,
        required=False,
        help_text=_("A short explanation under the question."),
    )
    kind = forms.ChoiceField(
        label=_label(Question, "kind"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    required = forms.BooleanField(
        label=_label(Question, "required"),
        required=False,
        help_text=_("The respondent must answer it before sending."),
    )
    scale_min_label = forms.CharField(
        label=_label(Question, "scale_min_label"),
        max_length=100,
        required=False,
        help_text=_("Scale only. For example: Very little."),
    )
    scale_max_label = forms.CharField(
        label=_label(Question, "scale_max_label"),
        max_length=100,
        required=False,
        help_text=_("Scale only. For example: Very much."),
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Single and multiple choice only: one option per line, at least two."),
    )
    section = forms.ModelChoiceField(
        label=_label(Question, "section"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("No section"),
    )
    position = _position_field()

    def __init__(self, data: Any = None, *, form: EvaluationForm, question: Question | None = None):
        initial: dict[str, Any] = {"kind": QuestionKind.SCALE}
        if question is not None:
            initial = {name: getattr(question, name) for name in services.QUESTION_FIELDS}
            initial["options"] = "\n".join(option.text for option in question.options.all())
        super().__init__(data, initial=initial)
        sections = cast(forms.ModelChoiceField[Section], self.fields["section"])
        sections.queryset = form.sections.all()
        if not form.sections.exists():
            del self.fields["section"]

    def to_data(self) -> services.QuestionData:
        data = self.cleaned_data
        return services.QuestionData(
            text=data["text"],
            kind=data["kind"],
            help_text=data["help_text"],
            required=data["required"],
            scale_min_label=data["scale_min_label"],
            scale_max_label=data["scale_max_label"],
            options=services.parse_options(data["options"]),
            section=data.get("section"),
            position=data["position"],
        )


class FormChoiceField(forms.ModelChoiceField[EvaluationForm]):
    def label_from_instance(self, obj: EvaluationForm) -> str:
        if obj.is_template:
            return str(_("%(title)s (template)") % {"title": obj.title})
        return obj.title


class EvaluationSetupForm(forms.Form):
    """Which form an activity uses, when it is open, and whether attendees get the link by e-mail."""

    form = FormChoiceField(
        label=_label(Evaluation, "form"), queryset=EvaluationForm.objects.none(), empty_label=None
    )
    opens_at = _datetime_field(
        _label(Evaluation, "opens_at"), _("Day and time, for example 11.06.2025 08:00.")
    )
    closes_at = _datetime_field(
        _label(Evaluation, "closes_at"), _("Responses are accepted until this day and time.")
    )
    email_attendees = forms.BooleanField(
        label=_label(Evaluation, "email_attendees"),
        required=False,
        help_text=_(
            "Each attendee gets one e-mail with a personal link that can be used once, sent when the "
            "activity has ended and the form is open."
        ),
    )

    def __init__(self, data: Any = None, *, network_forms: QuerySet[EvaluationForm], initial: dict[str, Any]):
        super().__init__(data, initial=initial)
        cast(FormChoiceField, self.fields["form"]).queryset = network_forms

    def to_data(self) -> services.EvaluationData:
        data = self.cleaned_data
        return services.EvaluationData(
            form=data["form"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            email_attendees=data["email_attendees"],
        )

"""Writes to evaluation forms (forms, sections, questions, options) and to their use on activities.

The same pattern as `networks.services`: validate, write inside one transaction, and log one audit entry per
change with the names of the changed fields (never their values). Validation errors are `ValidationError`s
keyed by the field the user must correct, in words a coordinator understands, so forms show them in place.

What protects the answers already given:
- a form with responses cannot be deleted, and a question with answers cannot be deleted (Answer rows would
  go with it), change kind, or lose an option someone chose; its wording, help text and labels may change;
- whether a form is anonymous cannot change once it has responses (the respondents were told one or the
  other);
- an evaluation with responses cannot be removed from its activity or moved to another form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fagnett.activities.models import Activity
from fagnett.audit.services import log_action
from fagnett.evaluations.defaults import build_default_template
from fagnett.evaluations.models import (
    Answer,
    Evaluation,
    EvaluationForm,
    Option,
    Question,
    QuestionKind,
    Response,
    Section,
)
from fagnett.networks.models import Network

if TYPE_CHECKING:
    from fagnett.accounts.models import User

FORM_FIELDS = ("title", "intro", "anonymous", "min_responses_shown", "is_template")
SECTION_FIELDS = ("title", "intro", "position")
QUESTION_FIELDS = (
    "section",
    "text",
    "help_text",
    "kind",
    "required",
    "scale_min_label",
    "scale_max_label",
    "position",
)
EVALUATION_FIELDS = ("form", "opens_at", "closes_at", "email_attendees")

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
MIN_OPTIONS = 2
MAX_OPTIONS = 50
MAX_MIN_RESPONSES_SHOWN = 100
TITLE_MAX_LENGTH = 200  # EvaluationForm.title
OPTION_MAX_LENGTH = 300  # Option.text
# Defaults when a form is attached: open from 08:00 on the first day, closed 14 days after the end.
DEFAULT_OPENS_AT = dt.time(8, 0)
DEFAULT_OPEN_DAYS_AFTER_END = 14
COPY_PREFIX = "Kopi av "  # stored data, in the network's language like the form titles


# Data the forms hand over ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormData:
    title: str
    intro: str = ""
    anonymous: bool = True
    min_responses_shown: int = 3
    is_template: bool = False


@dataclass(frozen=True)
class SectionData:
    title: str
    intro: str = ""
    position: int | None = None  # None: after the last section


@dataclass(frozen=True)
class QuestionData:
    text: str
    kind: str
    help_text: str = ""
    required: bool = False
    scale_min_label: str = ""
    scale_max_label: str = ""
    options: tuple[str, ...] = ()
    section: Section | None = None
    position: int | None = None  # None: after the last question


@dataclass(frozen=True)
class EvaluationData:
    form: EvaluationForm
    opens_at: dt.datetime
    closes_at: dt.datetime
    email_attendees: bool = False


@dataclass
class DeleteCheck:
    """What deleting a form would do: refused (with the reason), or which activities lose their evaluation."""

    refusal: str = ""
    detached: list[Activity] = field(default_factory=list)


# Helpers --------------------------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    return " ".join(value.split())


def _full_clean(instance: Any, exclude: Iterable[str] = ()) -> None:
    # Django's own field checks (lengths, choices), whose messages name the field; our rules come first.
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _changed(before: dict[str, Any], instance: Any, names: Sequence[str]) -> list[str]:
    return [name for name in names if before[name] != getattr(instance, name)]


def form_has_responses(form: EvaluationForm) -> bool:
    return Response.objects.filter(evaluation__form=form).exists()


def question_has_answers(question: Question) -> bool:
    return Answer.objects.filter(question=question).exists()


def _next_position(values: Any) -> int:
    highest = values.aggregate(highest=Max("position"))["highest"]
    return int(highest or 0) + 1


# The default template -------------------------------------------------------------------------------------


def ensure_default_template(network: Network, *, actor: User | None) -> EvaluationForm | None:
    """Give `network` the default template when it has no forms yet; never touches existing forms.

    Called without an actor by the post_save signal when a network is created: the template is then part of
    creating the network, which its creator's action already records, so only a person's call is audited."""
    if EvaluationForm.objects.filter(network=network).exists():
        return None
    with transaction.atomic():
        form: EvaluationForm = build_default_template(
            network, form_model=EvaluationForm, section_model=Section, question_model=Question
        )
        if actor is not None:
            log_action("evaluations.default_template_created", actor=actor, target=form, network=network)
    return form


# Forms ----------------------------------------------------------------------------------------------------


def _validate_form(form: EvaluationForm) -> None:
    errors: dict[str, str] = {}
    if not form.title:
        errors["title"] = _("Write a title for the form.")
    if not 1 <= form.min_responses_shown <= MAX_MIN_RESPONSES_SHOWN:
        errors["min_responses_shown"] = _(
            "The fewest responses before results are shown must be a whole number from 1 to %(most)s."
        ) % {"most": MAX_MIN_RESPONSES_SHOWN}
    if errors:
        raise ValidationError(errors)
    _full_clean(form, exclude=["network"])


def _apply_form_data(form: EvaluationForm, data: FormData) -> None:
    form.title = _clean_text(data.title)
    form.intro = data.intro.strip()
    form.anonymous = data.anonymous
    form.min_responses_shown = data.min_responses_shown
    form.is_template = data.is_template


def create_form(network: Network, data: FormData, *, actor: User) -> EvaluationForm:
    form = EvaluationForm(network=network)
    _apply_form_data(form, data)
    _validate_form(form)
    with transaction.atomic():
        form.save()
        log_action("evaluations.form_created", actor=actor, target=form, network=network)
    return form


def update_form(form: EvaluationForm, data: FormData, *, actor: User) -> list[str]:
    """Save the form's own fields; the names of those that changed."""
    before = {name: getattr(form, name) for name in FORM_FIELDS}
    _apply_form_data(form, data)
    if form.anonymous != before["anonymous"] and form_has_responses(form):
        form.anonymous = before["anonymous"]
        raise ValidationError(
            {
                "anonymous": _(
                    "The form already has responses, and the respondents were told whether it is anonymous. "
                    "Copy the form to use it the other way."
                )
            }
        )
    _validate_form(form)
    changed = _changed(before, form, FORM_FIELDS)
    if changed:
        with transaction.atomic():
            form.save()
            log_action(
                "evaluations.form_updated", actor=actor, target=form, network=form.network, fields=changed
            )
    return changed


def copy_title(title: str) -> str:
    return (COPY_PREFIX + title)[:TITLE_MAX_LENGTH]


def copy_form(
    source: EvaluationForm, *, actor: User, title: str = "", is_template: bool = False
) -> EvaluationForm:
    """A new form in the same network with the source's settings, sections, questions and options (never its
    evaluations or responses). Titled `title`, or "Kopi av <source title>"."""
    copy = EvaluationForm(
        network=source.network,
        title=_clean_text(title) or copy_title(source.title),
        intro=source.intro,
        anonymous=source.anonymous,
        min_responses_shown=source.min_responses_shown,
        is_template=is_template,
    )
    _validate_form(copy)
    sections = list(source.sections.all())
    questions = list(source.questions.all())
    options = list(Option.objects.filter(question__form=source))
    with transaction.atomic():
        copy.save()
        new_sections: dict[int, Section] = {}
        for section in sections:
            new_sections[section.pk] = Section.objects.create(
                form=copy, title=section.title, intro=section.intro, position=section.position
            )
        new_questions: dict[int, Question] = {}
        for question in questions:
            new_questions[question.pk] = Question.objects.create(
                form=copy,
                section=new_sections.get(question.section_id) if question.section_id else None,
                text=question.text,
                help_text=question.help_text,
                kind=question.kind,
                required=question.required,
                scale_min_label=question.scale_min_label,
                scale_max_label=question.scale_max_label,
                external_key=question.external_key,
                position=question.position,
            )
        Option.objects.bulk_create(
            Option(
                question=new_questions[option.question_id],
                text=option.text,
                external_key=option.external_key,
                position=option.position,
            )
            for option in options
        )
        log_action(
            "evaluations.form_copied",
            actor=actor,
            target=copy,
            network=copy.network,
            data={"source_id": source.pk},
        )
    return copy


def check_delete_form(form: EvaluationForm) -> DeleteCheck:
    """Whether the form may be deleted: never once it has responses; otherwise the activities it is attached
    to (without responses) lose their evaluation with it."""
    if form_has_responses(form):
        return DeleteCheck(
            refusal=_(
                "%(title)s cannot be deleted because it has responses. Deleting it would delete the "
                "answers too."
            )
            % {"title": form.title}
        )
    activities = list(
        Activity.objects.filter(evaluation__form=form)
        .order_by("starts_on", "title")
        .select_related("network")
    )
    return DeleteCheck(detached=activities)


def delete_form(form: EvaluationForm, *, actor: User) -> None:
    with transaction.atomic():
        # Re-checked inside the transaction, on a locked row, so a response arriving meanwhile wins.
        EvaluationForm.objects.select_for_update().filter(pk=form.pk).first()
        check = check_delete_form(form)
        if check.refusal:
            raise ValidationError(check.refusal)
        network = form.network
        for evaluation in Evaluation.objects.filter(form=form).select_related("activity"):
            log_action("evaluations.evaluation_removed", actor=actor, target=evaluation, network=network)
            evaluation.delete()
        log_action("evaluations.form_deleted", actor=actor, target=form, network=network)
        form.delete()


# Sections -------------------------------------------------------------------------------------------------


def _apply_section_data(section: Section, data: SectionData) -> None:
    section.title = _clean_text(data.title)
    section.intro = data.intro.strip()
    if data.position is not None:
        section.position = data.position


def _validate_section(section: Section) -> None:
    if not section.title:
        raise ValidationError({"title": _("Write a title for the section.")})
    _full_clean(section, exclude=["form"])


def create_section(form: EvaluationForm, data: SectionData, *, actor: User) -> Section:
    section = Section(form=form)
    _apply_section_data(section, data)
    if data.position is None:
        section.position = _next_position(form.sections.all())
    _validate_section(section)
    with transaction.atomic():
        section.save()
        log_action("evaluations.section_created", actor=actor, target=section, network=form.network)
    return section


def update_section(section: Section, data: SectionData, *, actor: User) -> list[str]:
    before = {name: getattr(section, name) for name in SECTION_FIELDS}
    _apply_section_data(section, data)
    _validate_section(section)
    changed = _changed(before, section, SECTION_FIELDS)
    if changed:
        with transaction.atomic():
            section.save()
            log_action(
                "evaluations.section_updated",
                actor=actor,
                target=section,
                network=section.form.network,
                fields=changed,
            )
    return changed


def delete_section(section: Section, *, actor: User) -> int:
    """Delete the section; its questions stay in the form, without a section. The number of them."""
    with transaction.atomic():
        moved = Question.objects.filter(section=section).update(section=None)
        log_action(
            "evaluations.section_deleted",
            actor=actor,
            target=section,
            network=section.form.network,
            data={"questions_kept": moved},
        )
        section.delete()
    return moved


# Questions ------------------------------------------------------------------------------------------------


def parse_options(text: str) -> tuple[str, ...]:
    """One option per line; blank lines and surrounding spaces are dropped."""
    return tuple(line for line in (_clean_text(raw) for raw in text.splitlines()) if line)


def option_errors(kind: str, options: Sequence[str]) -> list[str]:
    """What is wrong with the options for a question of `kind`; empty when they are fine."""
    if kind not in CHOICE_KINDS:
        return []
    errors: list[str] = []
    if len(options) < MIN_OPTIONS:
        errors.append(_("A single or multiple choice question needs at least two options, one per line."))
    if len(options) > MAX_OPTIONS:
        errors.append(_("A question can have at most %(most)s options.") % {"most": MAX_OPTIONS})
    seen: set[str] = set()
    for number, option in enumerate(options, start=1):
        if len(option) > OPTION_MAX_LENGTH:
            errors.append(
                _("The option on line %(line)s is longer than %(most)s characters.")
                % {"line": number, "most": OPTION_MAX_LENGTH}
            )
        key = option.casefold()
        if key in seen:
            errors.append(_("The option “%(option)s” is given more than once.") % {"option": option})
        seen.add(key)
    return errors


def _apply_question_data(question: Question, data: QuestionData) -> None:
    question.text = _clean_text(data.text)
    question.help_text = _clean_text(data.help_text)
    question.kind = data.kind
    question.required = data.required
    question.section = data.section
    # Labels belong to scales only; other kinds keep none, so a later change of kind starts clean.
    is_scale = data.kind == QuestionKind.SCALE
    question.scale_min_label = _clean_text(data.scale_min_label) if is_scale else ""
    question.scale_max_label = _clean_text(data.scale_max_label) if is_scale else ""
    if data.position is not None:
        question.position = data.position


def _validate_question(question: Question, form: EvaluationForm, options: Sequence[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not question.text:
        errors.setdefault("text", []).append(_("Write the question."))
    if question.kind not in QuestionKind.values:
        errors.setdefault("kind", []).append(_("Choose one of the kinds of question."))
    if question.section is not None and question.section.form_id != form.pk:
        errors.setdefault("section", []).append(_("Choose a section of this form."))
    messages = option_errors(question.kind, options)
    if messages:
        errors["options"] = messages
    if errors:
        raise ValidationError(errors)
    _full_clean(question, exclude=["form", "section"])


def _option_plan(
    question: Question, options: Sequence[str]
) -> tuple[list[tuple[Option, str, int]], list[tuple[str, int]], list[Option]]:
    """How the question's stored options become `options`: kept ones whose spelling or place changes
    (matched by text, ignoring case and spacing), added ones (text, place), and removed ones."""
    existing = {option.text.casefold(): option for option in question.options.all()}
    changed: list[tuple[Option, str, int]] = []
    added: list[tuple[str, int]] = []
    for position, text in enumerate(options, start=1):
        option = existing.pop(text.casefold(), None)
        if option is None:
            added.append((text, position))
        elif option.text != text or option.position != position:
            changed.append((option, text, position))
    return changed, added, list(existing.values())


def create_question(form: EvaluationForm, data: QuestionData, *, actor: User) -> Question:
    question = Question(form=form)
    _apply_question_data(question, data)
    if data.position is None:
        question.position = _next_position(form.questions.all())
    options = data.options if data.kind in CHOICE_KINDS else ()
    _validate_question(question, form, options)
    with transaction.atomic():
        question.save()
        Option.objects.bulk_create(
            Option(question=question, text=text, position=position)
            for position, text in enumerate(options, start=1)
        )
        log_action("evaluations.question_created", actor=actor, target=question, network=form.network)
    return question


def update_question(question: Question, data: QuestionData, *, actor: User) -> list[str]:
    """Save the question and its options; the names of what changed ("options" among them)."""
    form = question.form
    before = {name: getattr(question, name) for name in QUESTION_FIELDS}
    _apply_question_data(question, data)
    options = data.options if data.kind in CHOICE_KINDS else ()
    _validate_question(question, form, options)
    moved, added, removed = _option_plan(question, options)
    answered = question_has_answers(question)
    if answered and question.kind != before["kind"]:
        raise ValidationError(
            {
                "kind": _(
                    "The question has answers, so its kind cannot be changed. Add a new question instead, "
                    "or copy the form."
                )
            }
        )
    if answered and removed:
        chosen = set(Answer.objects.filter(option__in=removed).values_list("option_id", flat=True).distinct())
        refused = [option.text for option in removed if option.pk in chosen]
        if refused:
            raise ValidationError(
                {
                    "options": [
                        _(
                            "The option “%(option)s” has answers, so it cannot be removed or renamed. "
                            "Keep the line as it was."
                        )
                        % {"option": text}
                        for text in refused
                    ]
                }
            )
    changed = _changed(before, question, QUESTION_FIELDS)
    if moved or added or removed:
        changed.append("options")
    if not changed:
        return changed
    with transaction.atomic():
        question.save()
        for option, text, position in moved:
            option.text = text
            option.position = position
            option.save(update_fields=["text", "position"])
        Option.objects.filter(pk__in=[option.pk for option in removed]).delete()
        Option.objects.bulk_create(
            Option(question=question, text=text, position=position) for text, position in added
        )
        log_action(
            "evaluations.question_updated", actor=actor, target=question, network=form.network, fields=changed
        )
    return changed


def question_delete_refusal(question: Question) -> str:
    if question_has_answers(question):
        return _(
            "The question “%(question)s” has answers, so it cannot be deleted: the answers would be deleted "
            "with it."
        ) % {"question": question.text}
    return ""


def delete_question(question: Question, *, actor: User) -> None:
    with transaction.atomic():
        refusal = question_delete_refusal(question)
        if refusal:
            raise ValidationError(refusal)
        log_action(
            "evaluations.question_deleted", actor=actor, target=question, network=question.form.network
        )
        question.delete()


# Evaluations: a form on an activity -----------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def activity_ends_at(activity: Activity) -> dt.datetime:
    """When the activity is over: its last day at its end time, or at midnight after the last day when no
    end time is given (the only moment it has surely ended)."""
    if activity.end_time is not None:
        return dt.datetime.combine(activity.ends_on, activity.end_time, tzinfo=_zone())
    return dt.datetime.combine(activity.ends_on + dt.timedelta(days=1), dt.time(0), tzinfo=_zone())


def activity_has_ended(activity: Activity, now: dt.datetime) -> bool:
    return now >= activity_ends_at(activity)


def default_window(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    """Open from 08:00 on the first day to 14 days after the activity ends."""
    opens = dt.datetime.combine(activity.starts_on, DEFAULT_OPENS_AT, tzinfo=_zone())
    closes = activity_ends_at(activity) + dt.timedelta(days=DEFAULT_OPEN_DAYS_AFTER_END)
    return opens, closes


def _validate_evaluation(activity: Activity, data: EvaluationData) -> None:
    errors: dict[str, str] = {}
    if data.form.network_id != activity.network_id:
        errors["form"] = _("Choose one of the network's forms.")
    if data.closes_at <= data.opens_at:
        errors["closes_at"] = _("The form must close after it opens.")
    elif data.email_attendees and data.closes_at <= activity_ends_at(activity):
        errors["closes_at"] = _(
            "The form closes before the activity ends, so the link could not be e-mailed to the attendees. "
            "Choose a later closing time, or do not e-mail the link."
        )
    if errors:
        raise ValidationError(errors)


def attach_evaluation(activity: Activity, data: EvaluationData, *, actor: User) -> Evaluation:
    _validate_evaluation(activity, data)
    with transaction.atomic():
        if Evaluation.objects.select_for_update().filter(activity=activity).exists():
            raise ValidationError(_("The activity already has an evaluation form."))
        evaluation = Evaluation.objects.create(
            activity=activity,
            form=data.form,
            opens_at=data.opens_at,
            closes_at=data.closes_at,
            email_attendees=data.email_attendees,
        )
        log_action(
            "evaluations.evaluation_attached", actor=actor, target=evaluation, network=activity.network
        )
    return evaluation


def update_evaluation(evaluation: Evaluation, data: EvaluationData, *, actor: User) -> list[str]:
    activity = evaluation.activity
    _validate_evaluation(activity, data)
    with transaction.atomic():
        before = {name: getattr(evaluation, name) for name in EVALUATION_FIELDS}
        if data.form.pk != evaluation.form_id and evaluation.responses.exists():
            raise ValidationError(
                {
                    "form": _(
                        "The evaluation already has responses to its form, so the form cannot be changed. "
                        "The answers belong to that form's questions."
                    )
                }
            )
        evaluation.form = data.form
        evaluation.opens_at = data.opens_at
        evaluation.closes_at = data.closes_at
        evaluation.email_attendees = data.email_attendees
        changed = _changed(before, evaluation, EVALUATION_FIELDS)
        if changed:
            evaluation.save()
            log_action(
                "evaluations.evaluation_updated",
                actor=actor,
                target=evaluation,
                network=activity.network,
                fields=changed,
            )
    return changed


def evaluation_removal_refusal(evaluation: Evaluation) -> str:
    if evaluation.responses.exists():
        return _(
            "The evaluation has responses, so it cannot be removed from the activity: the answers would be "
            "deleted with it."
        )
    return ""


def remove_evaluation(evaluation: Evaluation, *, actor: User) -> None:
    with transaction.atomic():
        refusal = evaluation_removal_refusal(evaluation)
        if refusal:
            raise ValidationError(refusal)
        log_action(
            "evaluations.evaluation_removed",
            actor=actor,
            target=evaluation,
            network=evaluation.activity.network,
        )
        evaluation.delete()

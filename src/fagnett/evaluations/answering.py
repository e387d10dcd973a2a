"""Answering an evaluation: the form as the respondent sees it, validation, and the one write.

Anonymity is decided here, not in the view: for an anonymous form `submit_response` never looks at the
user, stores the day only, writes nothing to the audit log and does not connect the response to the
single-use link that was used (see models.py). Nothing about the request (IP address, user agent, session)
is passed in, so nothing about it can be stored.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.evaluations.links import hash_token
from fagnett.evaluations.models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    AnswerLink,
    Evaluation,
    EvaluationForm,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Section,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fagnett.accounts.models import User

MAX_TEXT_LENGTH = 5000
MAX_NAME_LENGTH = 200
NAME_FIELD = "respondent_name"
SCALE_VALUES = tuple(range(SCALE_MIN, SCALE_MAX + 1))


class Availability(enum.Enum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def availability(evaluation: Evaluation, now: dt.datetime | None = None) -> Availability:
    """Open from opens_at (inclusive) until closes_at (exclusive)."""
    moment = now or timezone.now()
    if moment < evaluation.opens_at:
        return Availability.NOT_YET
    if moment >= evaluation.closes_at:
        return Availability.CLOSED
    return Availability.OPEN


def evaluation_for_code(code: str) -> Evaluation | None:
    """The evaluation behind a short link, with what every answer page shows (one query)."""
    return (
        Evaluation.objects.select_related("form", "form__network", "activity").filter(short_code=code).first()
    )


def link_for_token(evaluation: Evaluation, token: str) -> AnswerLink | None:
    """This evaluation's single-use link for a raw token, or None (unknown, or another evaluation's)."""
    return AnswerLink.objects.filter(evaluation=evaluation, token_hash=hash_token(token)).first()


# ----------------------------------------------------------------------------------------------------------
# The form as shown


@dataclass(frozen=True)
class QuestionFacts:
    question: Question
    options: tuple[Option, ...]

    @property
    def field_name(self) -> str:
        return f"q{self.question.pk}"


@dataclass(frozen=True)
class SectionFacts:
    """A section with its questions; `section` is None for questions outside any section (shown first)."""

    section: Section | None
    questions: tuple[QuestionFacts, ...]


@dataclass(frozen=True)
class FormFacts:
    evaluation: Evaluation
    form: EvaluationForm
    sections: tuple[SectionFacts, ...]

    @property
    def questions(self) -> list[QuestionFacts]:
        return [question for block in self.sections for question in block.questions]


def form_facts(evaluation: Evaluation) -> FormFacts:
    """Sections, questions and options of the evaluation's form in three queries, whatever their number."""
    return FormFacts(evaluation=evaluation, form=evaluation.form, sections=form_sections(evaluation.form))


def form_sections(form: EvaluationForm) -> tuple[SectionFacts, ...]:
    """The form's questions (with their options) section by section, as the answer page and the builder's
    preview show them (three queries)."""
    sections = list(Section.objects.filter(form=form).order_by("position", "pk"))
    questions = list(
        Question.objects.filter(form=form).order_by("position", "pk").prefetch_related("options")
    )
    section_ids = {section.pk for section in sections}
    by_section: dict[int | None, list[QuestionFacts]] = {}
    for question in questions:
        options = tuple(sorted(question.options.all(), key=lambda option: (option.position, option.pk)))
        # A question is never hidden: one pointing at another form's section is shown with the loose ones.
        key = question.section_id if question.section_id in section_ids else None
        by_section.setdefault(key, []).append(QuestionFacts(question, options))
    blocks = []
    if by_section.get(None):
        blocks.append(SectionFacts(None, tuple(by_section[None])))
    # A section without questions still shows its intro: the builder may use one for a closing remark.
    blocks.extend(SectionFacts(section, tuple(by_section.get(section.pk, []))) for section in sections)
    return tuple(blocks)


# ----------------------------------------------------------------------------------------------------------
# Validation


@dataclass(frozen=True)
class CleanAnswer:
    question: Question
    option_ids: tuple[int, ...] = ()
    number: int | None = None
    text: str = ""


@dataclass
class Validation:
    answers: list[CleanAnswer] = field(default_factory=list)
    respondent_name: str = ""
    # Field name -> message naming the question, in the order the fields are shown.
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _answer_message(question: Question) -> str:
    return _("Answer “%(question)s”") % {"question": question.text}


def _choice_message(question: Question) -> str:
    return _("Choose one of the options given for “%(question)s”") % {"question": question.text}


def _values(data: MultiValueDict[str, str], name: str) -> list[str]:
    return [value.strip() for value in data.getlist(name) if value.strip()]


def _clean_scale(facts: QuestionFacts, values: list[str]) -> CleanAnswer | str:
    question = facts.question
    if len(values) != 1:
        return _choice_message(question)
    try:
        number = int(values[0])
    except ValueError:
        number = 0
    if number not in SCALE_VALUES:
        return _("Choose a value from %(low)s to %(high)s for “%(question)s”") % {
            "low": SCALE_MIN,
            "high": SCALE_MAX,
            "question": question.text,
        }
    return CleanAnswer(question, number=number)


def _clean_choices(facts: QuestionFacts, values: list[str]) -> CleanAnswer | str:
    # Only this question's own options count: an option id of another question, or one that does not
    # exist, is a tampered form and is refused rather than dropped.
    allowed = {str(option.pk): option.pk for option in facts.options}
    if any(value not in allowed for value in values):
        return _choice_message(facts.question)
    chosen = tuple(dict.fromkeys(allowed[value] for value in values))
    if facts.question.kind == QuestionKind.SINGLE and len(chosen) != 1:
        return _choice_message(facts.question)
    return CleanAnswer(facts.question, option_ids=chosen)


def clean_text(raw: str) -> str:
    """Browsers send a line break in a textarea as CRLF; count it as the one character the user typed."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_text(facts: QuestionFacts, text: str) -> CleanAnswer | str:
    if len(text) > MAX_TEXT_LENGTH:
        return _(
            "The answer to “%(question)s” is too long: %(count)s characters. At most %(max)s are allowed."
        ) % {"question": facts.question.text, "count": len(text), "max": MAX_TEXT_LENGTH}
    return CleanAnswer(facts.question, text=text)


def validate_answers(facts: FormFacts, data: MultiValueDict[str, str]) -> Validation:
    """Check posted answers against the form: required, own options only, scale range, text length.

    Fields that are not this form's questions are ignored.
    """
    result = Validation()
    if not facts.form.anonymous:
        name = " ".join(data.get(NAME_FIELD, "").split())
        if not name:
            result.errors[NAME_FIELD] = _("Enter your name")
        elif len(name) > MAX_NAME_LENGTH:
            result.errors[NAME_FIELD] = _("Your name is too long: at most %(max)s characters") % {
                "max": MAX_NAME_LENGTH
            }
        result.respondent_name = name
    for question_facts in facts.questions:
        question = question_facts.question
        name = question_facts.field_name
        if question.kind == QuestionKind.TEXT:
            text = clean_text(data.get(name, ""))
            values = [text] if text else []
        else:
            values = _values(data, name)
        if not values:
            if question.required:
                result.errors[name] = _answer_message(question)
            continue
        cleaned: CleanAnswer | str
        if question.kind == QuestionKind.SCALE:
            cleaned = _clean_scale(question_facts, values)
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            cleaned = _clean_choices(question_facts, values)
        else:
            cleaned = _clean_text(question_facts, values[0])
        if isinstance(cleaned, str):
            result.errors[name] = cleaned
        else:
            result.answers.append(cleaned)
    questions = facts.questions
    if questions and not result.answers and not result.errors:
        # An empty response would count towards the response rate while saying nothing; the message sits
        # on the first question so the error summary has somewhere to link.
        result.errors[questions[0].field_name] = _("Answer at least one question")
    return result


# ----------------------------------------------------------------------------------------------------------
# Submitting


class SubmitRefused(Exception):
    """Nothing was stored."""


class NotOpen(SubmitRefused):
    def __init__(self, state: Availability) -> None:
        super().__init__(state.value)
        self.state = state


class LinkAlreadyUsed(SubmitRefused):
    """The single-use link has been used already, also when another submission with it won a race."""


class InvalidAnswers(SubmitRefused):
    def __init__(self, validation: Validation) -> None:
        super().__init__("invalid answers")
        self.validation = validation


def _answer_rows(response: Response, answers: list[CleanAnswer]) -> list[Answer]:
    rows: list[Answer] = []
    for answer in answers:
        if answer.option_ids:
            rows.extend(
                Answer(response=response, question=answer.question, option_id=option_id)
                for option_id in answer.option_ids
            )
        elif answer.number is not None:
            rows.append(Answer(response=response, question=answer.question, number=answer.number))
        else:
            rows.append(Answer(response=response, question=answer.question, text=answer.text))
    return rows


def submit_response(
    facts: FormFacts,
    data: MultiValueDict[str, str],
    *,
    user: User | AnonymousUser | None,
    token: str | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Store one response with its answers, all or nothing.

    Raises NotOpen when the evaluation is not open at this moment (for instance it closed while the
    respondent was typing), InvalidAnswers with the messages to show, and LinkAlreadyUsed when `token`
    is a single-use link that has been used — also when another submission with it wins a race.
    `user` is only looked at for a non-anonymous form.
    """
    evaluation = facts.evaluation
    moment = now or timezone.now()
    state = availability(evaluation, moment)
    if state is not Availability.OPEN:
        raise NotOpen(state)
    validation = validate_answers(facts, data)
    if not validation.is_valid:
        raise InvalidAnswers(validation)
    anonymous = facts.form.anonymous
    respondent = user if not anonymous and user is not None and user.is_authenticated else None
    with transaction.atomic():
        if token is not None:
            # The conditional UPDATE is the guard, not an earlier read: of two simultaneous submissions
            # with one link only one can change a row from unused to used; the other sees 0 rows and stops
            # before storing anything. Any later failure rolls the flag back with the response.
            claimed = AnswerLink.objects.filter(
                evaluation=evaluation, token_hash=hash_token(token), used=False
            ).update(used=True)
            if claimed != 1:
                raise LinkAlreadyUsed
        response = Response.objects.create(
            evaluation=evaluation,
            # The local day only: a time of day could be matched against who left the room when.
            submitted_on=timezone.localdate(moment),
            source=ResponseSource.WEB,
            respondent=respondent,
            respondent_name="" if anonymous else validation.respondent_name,
        )
        Answer.objects.bulk_create(_answer_rows(response, validation.answers))
        if not anonymous:
            # A named response is personal data, so it is audited like any other; an anonymous one is
            # not, since an audit entry (its time, its actor) would undo the anonymity.
            log_action(
                "evaluations.response_submitted",
                actor=respondent,
                target=response,
                network=facts.form.network,
                fields=["respondent", "respondent_name", "answers"],
            )
    return response

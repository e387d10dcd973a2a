"""The results of an evaluation, the raw responses behind them, and one question compared across activities
(ARCHITECTURE.md §5: database -> facts -> renderers).

The results page, its PDF, the raw exports and `manage.py evaluation_summary` all read these frozen facts;
none of them queries the database. Every function here runs a fixed number of queries, whatever the number
of responses, questions or activities.

Rules (issue "Evaluations", results):
- `responses` counts the evaluation's responses; `attendees` the activity's attendances marked ATTENDED;
  `response_rate` is responses / attendees as a share rounded to three decimals (None without attendees).
  It can exceed 1: the room's QR code and a Nettskjema import are open to people not marked as attended.
- Per question, `answered` counts the responses that answered it. Scale: the count per value 1–5 and the
  mean of the values (one decimal, half up). Single and multiple choice: the count per option in the
  form's order; the share is of the responses that answered the question, so the shares of a multiple-choice
  question can add up to more than 100 %. Free text: each non-empty answer, in the order given.
- Small numbers: with fewer responses than the form's `min_responses_shown` only the number of responses is
  shown (`suppressed`): no distribution, mean, answered count or free text, so nobody can be recognised.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.http import Http404

from fagnett.activities.models import Activity, ActivityKind, Attendance, AttendanceStatus
from fagnett.evaluations.models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Evaluation,
    Option,
    Question,
    QuestionKind,
    Response,
)
from fagnett.networks.models import Network

ONE_DECIMAL = Decimal("0.1")
THREE_DECIMALS = Decimal("0.001")
SCALE_VALUES = tuple(range(SCALE_MIN, SCALE_MAX + 1))


def _share(count: int, total: int) -> Decimal | None:
    return None if total == 0 else Decimal(count) / Decimal(total)


def _whole_percent(share: Decimal | None) -> int | None:
    if share is None:
        return None
    return int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def scale_mean(total: int, count: int) -> Decimal | None:
    # From the integer sum, not from floats: 3.25 must round to 3.3 on the page and in the CLI alike.
    if count == 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bar:
    """One value of a distribution: a scale value or an option."""

    label: str
    count: int
    # Of the responses that answered the question; None when nobody did.
    share: Decimal | None

    @property
    def percent(self) -> int | None:
        return _whole_percent(self.share)


@dataclass(frozen=True)
class QuestionResult:
    pk: int
    text: str
    kind: str
    kind_label: str
    section: str
    scale_min_label: str
    scale_max_label: str
    # None when the results are suppressed (small numbers).
    answered: int | None
    # Scale values 1–5 or options in order; None for free text and when suppressed.
    distribution: tuple[Bar, ...] | None
    mean: Decimal | None
    answers: tuple[str, ...]

    @property
    def is_scale(self) -> bool:
        return self.kind == QuestionKind.SCALE

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT

    def distribution_json(self) -> dict[str, int] | None:
        if self.distribution is None:
            return None
        return {bar.label: bar.count for bar in self.distribution}

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "distribution": self.distribution_json(),
            "mean": None if self.mean is None else float(self.mean),
            "answers": list(self.answers),
        }


@dataclass(frozen=True)
class EvaluationResults:
    evaluation_pk: int
    network_name: str
    form_title: str
    anonymous: bool
    activity_pk: int
    activity_title: str
    activity_kind_label: str
    activity_starts_on: dt.date
    activity_ends_on: dt.date
    opens_at: dt.datetime
    closes_at: dt.datetime
    min_responses_shown: int
    responses: int
    attendees: int
    response_rate: Decimal | None
    questions: tuple[QuestionResult, ...]

    @property
    def suppressed(self) -> bool:
        return self.responses < self.min_responses_shown

    @property
    def response_rate_percent(self) -> int | None:
        return _whole_percent(_share(self.responses, self.attendees))

    def as_json(self) -> dict[str, Any]:
        """What `manage.py evaluation_summary --format json` prints (docs: evaluation_summary)."""
        return {
            "responses": self.responses,
            "attendees": self.attendees,
            "response_rate": None if self.response_rate is None else float(self.response_rate),
            "questions": [question.as_json() for question in self.questions],
        }


def evaluation_in_network(network: Network, pk: int) -> Evaluation:
    """The evaluation `pk` of an activity of `network`, with what the facts read, or 404 (missing or of
    another network alike)."""
    evaluation = (
        Evaluation.objects.select_related("form", "activity", "activity__network")
        .filter(activity__network=network, pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def _questions(evaluation: Evaluation) -> list[Question]:
    # In the order the answer page shows them: section by section (questions outside a section first),
    # then by their own order.
    return list(
        Question.objects.filter(form_id=evaluation.form_id)
        .select_related("section")
        .order_by(F("section__position").asc(nulls_first=True), "section_id", "position", "pk")
    )


def _question_result(
    question: Question,
    *,
    answered: int | None = None,
    distribution: tuple[Bar, ...] | None = None,
    mean: Decimal | None = None,
    answers: tuple[str, ...] = (),
) -> QuestionResult:
    """The question's own fields with the given numbers; with none, as shown when suppressed."""
    return QuestionResult(
        pk=question.pk,
        text=question.text,
        kind=question.kind,
        kind_label=str(QuestionKind(question.kind).label),
        section=question.section.title if question.section else "",
        scale_min_label=question.scale_min_label,
        scale_max_label=question.scale_max_label,
        answered=answered,
        distribution=distribution,
        mean=mean,
        answers=answers,
    )


def _bars(labels: list[str], counts: list[int], answered: int) -> tuple[Bar, ...]:
    return tuple(
        Bar(label, count, _share(count, answered)) for label, count in zip(labels, counts, strict=True)
    )


def evaluation_results(evaluation: Evaluation) -> EvaluationResults:
    """The results of one evaluation: seven queries (three when suppressed). `evaluation` must come with its
    form and activity (see `evaluation_in_network`)."""
    form = evaluation.form
    activity = evaluation.activity
    attendees = Attendance.objects.filter(activity_id=activity.pk, status=AttendanceStatus.ATTENDED).count()
    responses = Response.objects.filter(evaluation_id=evaluation.pk).count()
    questions = _questions(evaluation)
    if responses < form.min_responses_shown:
        results = tuple(_question_result(question) for question in questions)
    else:
        results = _question_results(evaluation, questions)
    rate = _share(responses, attendees)
    return EvaluationResults(
        evaluation_pk=evaluation.pk,
        network_name=activity.network.name,
        form_title=form.title,
        anonymous=form.anonymous,
        activity_pk=activity.pk,
        activity_title=activity.title,
        activity_kind_label=str(ActivityKind(activity.kind).label),
        activity_starts_on=activity.starts_on,
        activity_ends_on=activity.ends_on,
        opens_at=evaluation.opens_at,
        closes_at=evaluation.closes_at,
        min_responses_shown=form.min_responses_shown,
        responses=responses,
        attendees=attendees,
        response_rate=None if rate is None else rate.quantize(THREE_DECIMALS, rounding=ROUND_HALF_UP),
        questions=results,
    )


def _question_results(evaluation: Evaluation, questions: list[Question]) -> tuple[QuestionResult, ...]:
    answers = Answer.objects.filter(response__evaluation_id=evaluation.pk)
    options: dict[int, list[Option]] = defaultdict(list)
    for option in Option.objects.filter(question__form_id=evaluation.form_id).order_by(
        "question_id", "position", "pk"
    ):
        options[option.question_id].append(option)
    # Distinct responses, in case a response holds the same answer twice: a count is of respondents.
    option_counts: dict[tuple[int, int], int] = {}
    scale_counts: dict[tuple[int, int], int] = {}
    for row in (
        answers.filter(Q(option__isnull=False) | Q(number__isnull=False))
        .values("question_id", "option_id", "number")
        .annotate(n=Count("response_id", distinct=True))
    ):
        if row["option_id"] is not None:
            option_counts[(row["question_id"], row["option_id"])] = row["n"]
        else:
            scale_counts[(row["question_id"], row["number"])] = row["n"]
    answered_choice = dict(
        answers.filter(option__isnull=False)
        .values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (
        answers.filter(question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("response_id", "pk")
        .values_list("question_id", "text")
    ):
        if text.strip():
            texts[question_id].append(text.strip())

    results: list[QuestionResult] = []
    for question in questions:
        if question.kind == QuestionKind.SCALE:
            counts = [scale_counts.get((question.pk, value), 0) for value in SCALE_VALUES]
            answered = sum(counts)
            result = _question_result(
                question,
                answered=answered,
                distribution=_bars([str(value) for value in SCALE_VALUES], counts, answered),
                mean=scale_mean(sum(v * c for v, c in zip(SCALE_VALUES, counts, strict=True)), answered),
            )
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            answered = answered_choice.get(question.pk, 0)
            choices = options[question.pk]
            counts = [option_counts.get((question.pk, option.pk), 0) for option in choices]
            result = _question_result(
                question,
                answered=answered,
                distribution=_bars([option.text for option in choices], counts, answered),
            )
        else:
            given = tuple(texts[question.pk])
            result = _question_result(question, answered=len(given), answers=given)
        results.append(result)
    return tuple(results)


# Raw responses (the XLSX and CSV exports) --------------------------------------------------------------

RawValue = int | str | None


@dataclass(frozen=True)
class RawRow:
    # 1..n in the order the responses came in; the database id is not shown.
    number: int
    submitted_on: dt.date
    # Only on a non-anonymous form; None otherwise.
    name: str | None
    values: tuple[RawValue, ...]


@dataclass(frozen=True)
class RawResponses:
    activity_title: str
    activity_starts_on: dt.date
    anonymous: bool
    min_responses_shown: int
    questions: tuple[str, ...]
    rows: tuple[RawRow, ...]

    @property
    def suppressed(self) -> bool:
        return len(self.rows) < self.min_responses_shown


def raw_responses(evaluation: Evaluation) -> RawResponses:
    """One row per response with one value per question, in three queries. A scale answer is its number, a
    choice the option's text (several joined with "; " in the form's order), free text as given."""
    form = evaluation.form
    questions = _questions(evaluation)
    column = {question.pk: index for index, question in enumerate(questions)}
    responses = list(
        Response.objects.filter(evaluation_id=evaluation.pk).select_related("respondent").order_by("pk")
    )
    values: dict[int, list[list[str | int]]] = {
        response.pk: [[] for _ in questions] for response in responses
    }
    for answer in (
        Answer.objects.filter(response__evaluation_id=evaluation.pk)
        .select_related("option")
        .order_by("response_id", "question_id", "option__position", "option_id", "pk")
    ):
        index = column.get(answer.question_id)
        cells = values.get(answer.response_id)
        if index is None or cells is None:
            continue
        if answer.option is not None:
            cells[index].append(answer.option.text)
        elif answer.number is not None:
            cells[index].append(answer.number)
        elif answer.text:
            cells[index].append(answer.text)
    rows = tuple(
        RawRow(
            number=number,
            submitted_on=response.submitted_on,
            name=None if form.anonymous else _respondent_name(response),
            values=tuple(_cell(parts) for parts in values[response.pk]),
        )
        for number, response in enumerate(responses, start=1)
    )
    return RawResponses(
        activity_title=evaluation.activity.title,
        activity_starts_on=evaluation.activity.starts_on,
        anonymous=form.anonymous,
        min_responses_shown=form.min_responses_shown,
        questions=tuple(question.text for question in questions),
        rows=rows,
    )


def _respondent_name(response: Response) -> str:
    if response.respondent_name:
        return response.respondent_name
    if response.respondent is not None:
        return response.respondent.name or response.respondent.email
    return ""


def _cell(parts: list[str | int]) -> RawValue:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return "; ".join(str(part) for part in parts)


# One question across activities and years ----------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonChoices:
    """What the comparison can be asked about: the scale questions' texts used on the network's
    evaluations (forms copied from one template share them), and the years of those activities."""

    questions: tuple[str, ...]
    years: tuple[int, ...]


@dataclass(frozen=True)
class ComparisonRow:
    evaluation_pk: int
    activity_title: str
    activity_kind_label: str
    starts_on: dt.date
    responses: int
    # None when the evaluation's results are suppressed (small numbers).
    answered: int | None
    mean: Decimal | None
    min_responses_shown: int

    @property
    def suppressed(self) -> bool:
        return self.responses < self.min_responses_shown


@dataclass(frozen=True)
class Comparison:
    question: str
    year: int | None
    kind: str
    rows: tuple[ComparisonRow, ...]


def comparison_choices(network: Network) -> ComparisonChoices:
    """Two queries."""
    texts = (
        Question.objects.filter(
            form__network=network, kind=QuestionKind.SCALE, form__evaluations__activity__network=network
        )
        .values_list("text", flat=True)
        .distinct()
        .order_by("text")
    )
    years = Activity.objects.filter(network=network, evaluation__isnull=False).dates("starts_on", "year")
    return ComparisonChoices(questions=tuple(texts), years=tuple(day.year for day in years))


def comparison(network: Network, question: str, *, year: int | None = None, kind: str = "") -> Comparison:
    """The scale question with this exact text on every evaluation of the network (optionally of one year
    and one kind of activity): responses, answered and mean per activity, oldest first. Two queries."""
    evaluations = Evaluation.objects.filter(
        activity__network=network, form__questions__text=question, form__questions__kind=QuestionKind.SCALE
    )
    if year is not None:
        evaluations = evaluations.filter(activity__starts_on__year=year)
    if kind:
        evaluations = evaluations.filter(activity__kind=kind)
    found = list(
        evaluations.select_related("activity", "form")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("activity__starts_on", "activity__title", "pk")
    )
    sums: dict[int, tuple[int, int, int]] = {}
    for row in (
        Answer.objects.filter(
            response__evaluation__in=[evaluation.pk for evaluation in found],
            question__text=question,
            question__kind=QuestionKind.SCALE,
            number__isnull=False,
        )
        .values("response__evaluation_id")
        .annotate(answered=Count("response_id", distinct=True), total=Sum("number"), values=Count("id"))
    ):
        sums[row["response__evaluation_id"]] = (row["answered"], row["total"] or 0, row["values"])
    rows: list[ComparisonRow] = []
    for evaluation in found:
        responses: int = evaluation.response_count
        answered, total, values = sums.get(evaluation.pk, (0, 0, 0))
        suppressed = responses < evaluation.form.min_responses_shown
        rows.append(
            ComparisonRow(
                evaluation_pk=evaluation.pk,
                activity_title=evaluation.activity.title,
                activity_kind_label=str(ActivityKind(evaluation.activity.kind).label),
                starts_on=evaluation.activity.starts_on,
                responses=responses,
                answered=None if suppressed else answered,
                mean=None if suppressed else scale_mean(total, values),
                min_responses_shown=evaluation.form.min_responses_shown,
            )
        )
    return Comparison(question=question, year=year, kind=kind, rows=tuple(rows))

"""The reads the form builder and the setup page show, each in a fixed number of queries whatever the number
of forms, questions, evaluations or responses."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from fagnett.activities.models import Activity, Attendance, AttendanceStatus
from fagnett.evaluations.answering import SectionFacts, form_sections
from fagnett.evaluations.models import Answer, Evaluation, EvaluationForm, Question, Response, Section
from fagnett.networks.access import NetworkAccess


@dataclass(frozen=True)
class FormRow:
    form: EvaluationForm
    questions: int
    activities: int
    responses: int


def form_rows(access: NetworkAccess) -> list[FormRow]:
    """The network's forms, templates first, with their number of questions, activities and responses
    (four queries)."""
    forms = list(
        EvaluationForm.objects.filter(network=access.network).order_by("-is_template", "title", "pk")
    )
    questions = dict(
        Question.objects.filter(form__network=access.network)
        .values_list("form_id")
        .annotate(n=Count("pk"))
        .values_list("form_id", "n")
    )
    activities = dict(
        Evaluation.objects.filter(form__network=access.network)
        .values_list("form_id")
        .annotate(n=Count("pk"))
        .values_list("form_id", "n")
    )
    responses = dict(
        Response.objects.filter(evaluation__form__network=access.network)
        .values_list("evaluation__form_id")
        .annotate(n=Count("pk"))
        .values_list("evaluation__form_id", "n")
    )
    return [
        FormRow(
            form=form,
            questions=questions.get(form.pk, 0),
            activities=activities.get(form.pk, 0),
            responses=responses.get(form.pk, 0),
        )
        for form in forms
    ]


def form_for_user(access: NetworkAccess, pk: int) -> EvaluationForm:
    """One of the network's forms, or 404 (missing and another network's alike)."""
    form = EvaluationForm.objects.select_related("network").filter(network=access.network, pk=pk).first()
    if form is None:
        raise Http404
    return form


def section_for_user(access: NetworkAccess, pk: int) -> Section:
    section = (
        Section.objects.select_related("form__network").filter(form__network=access.network, pk=pk).first()
    )
    if section is None:
        raise Http404
    return section


def question_for_user(access: NetworkAccess, pk: int) -> Question:
    question = (
        Question.objects.select_related("form__network", "section")
        .filter(form__network=access.network, pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


@dataclass(frozen=True)
class Usage:
    evaluation: Evaluation
    responses: int


@dataclass(frozen=True)
class FormPreview:
    sections: tuple[SectionFacts, ...]
    answered: frozenset[int]  # the questions with answers
    usages: list[Usage]
    responses: int

    @property
    def question_count(self) -> int:
        return sum(len(section.questions) for section in self.sections)


def form_preview(form: EvaluationForm) -> FormPreview:
    """The form as respondents see it, section by section (the answer page's own grouping, so the two cannot
    differ), which questions have answers, and where it is used (six queries)."""
    answered = frozenset(
        Answer.objects.filter(question__form=form).values_list("question_id", flat=True).distinct()
    )
    counts = dict(
        Response.objects.filter(evaluation__form=form)
        .values_list("evaluation_id")
        .annotate(n=Count("pk"))
        .values_list("evaluation_id", "n")
    )
    usages = [
        Usage(evaluation=evaluation, responses=counts.get(evaluation.pk, 0))
        for evaluation in Evaluation.objects.filter(form=form)
        .select_related("activity")
        .order_by("-activity__starts_on", "pk")
    ]
    return FormPreview(
        sections=form_sections(form),
        answered=answered,
        usages=usages,
        responses=sum(usage.responses for usage in usages),
    )


@dataclass(frozen=True)
class SetupFacts:
    responses: int
    attendees: int
    attendees_with_email: int


def setup_facts(activity: Activity, evaluation: Evaluation | None) -> SetupFacts:
    """Responses so far and the attendees the e-mail would go to (two queries)."""
    attended = Attendance.objects.filter(activity=activity, status=AttendanceStatus.ATTENDED).aggregate(
        total=Count("pk"), with_email=Count("pk", filter=~Q(person__email=""))
    )
    responses = Response.objects.filter(evaluation=evaluation).count() if evaluation is not None else 0
    return SetupFacts(
        responses=responses, attendees=attended["total"], attendees_with_email=attended["with_email"]
    )

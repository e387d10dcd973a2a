"""The public answer pages: no login, made for a phone.

- answer: the short link and QR code shown in the room. Anyone may answer while the evaluation is open.
  After a response this browser gets a cookie holding only the evaluation's code, so reopening the link
  says "you have already answered" and offers to answer again. It is a reminder, not a rule: a shared
  tablet, another browser or cleared cookies answer again freely. Only the mailed links enforce one
  response per person.
- answer_with_link: a single-use link from the e-mail to attendees; 404 for an unknown token, "already
  sent" for a used one.
- thanks: where both land after a response (post/redirect/get).

Nothing here reads or passes on the IP address, user agent or session; the user is handed to the service,
which looks at it only for a non-anonymous form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fagnett.evaluations.answering import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    NAME_FIELD,
    Availability,
    FormFacts,
    InvalidAnswers,
    LinkAlreadyUsed,
    NotOpen,
    QuestionFacts,
    availability,
    evaluation_for_code,
    form_facts,
    link_for_token,
    submit_response,
)
from fagnett.evaluations.models import SCALE_MAX, SCALE_MIN, Evaluation, QuestionKind

ANSWERED_COOKIE = "fagnett_evaluering_svart"
# ?igjen=1 on the room link: show the form although this browser has answered.
AGAIN_PARAMETER = "igjen"


@dataclass(frozen=True)
class Choice:
    input_id: str
    value: str
    label: str
    end_label: str
    checked: bool


@dataclass(frozen=True)
class QuestionRow:
    facts: QuestionFacts
    choices: tuple[Choice, ...]
    text: str
    error: str

    @property
    def name(self) -> str:
        return self.facts.field_name

    @property
    def kind(self) -> str:
        return self.facts.question.kind

    @property
    def error_target(self) -> str:
        """The id the error summary links to: the first choice of a group, or the text box."""
        return self.choices[0].input_id if self.choices else self.name


@dataclass(frozen=True)
class SectionBlock:
    title: str
    intro: str
    anchor: str
    rows: tuple[QuestionRow, ...]


@dataclass(frozen=True)
class ErrorLink:
    target: str
    message: str


def _choices(facts: QuestionFacts, chosen: list[str]) -> tuple[Choice, ...]:
    question = facts.question
    name = facts.field_name
    if question.kind == QuestionKind.SCALE:
        ends = {SCALE_MIN: question.scale_min_label, SCALE_MAX: question.scale_max_label}
        return tuple(
            Choice(f"{name}-{value}", str(value), str(value), ends.get(value, ""), str(value) in chosen)
            for value in range(SCALE_MIN, SCALE_MAX + 1)
        )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return tuple(
            Choice(f"{name}-{option.pk}", str(option.pk), option.text, "", str(option.pk) in chosen)
            for option in facts.options
        )
    return ()


def _blocks(facts: FormFacts, data: QueryDict | None, errors: dict[str, str]) -> list[SectionBlock]:
    blocks = []
    for block in facts.sections:
        rows = []
        for question_facts in block.questions:
            name = question_facts.field_name
            chosen = data.getlist(name) if data is not None else []
            text = data.get(name, "") if data is not None else ""
            rows.append(
                QuestionRow(question_facts, _choices(question_facts, chosen), text, errors.get(name, ""))
            )
        section = block.section
        blocks.append(
            SectionBlock(
                title=section.title if section else "",
                intro=section.intro if section else "",
                anchor=f"section-{section.pk}" if section else "",
                rows=tuple(rows),
            )
        )
    return blocks


def _error_links(blocks: list[SectionBlock], errors: dict[str, str]) -> list[ErrorLink]:
    links = [ErrorLink(NAME_FIELD, errors[NAME_FIELD])] if NAME_FIELD in errors else []
    links.extend(
        ErrorLink(row.error_target, row.error) for block in blocks for row in block.rows if row.error
    )
    return links


def _evaluation_or_404(code: str) -> Evaluation:
    evaluation = evaluation_for_code(code)
    if evaluation is None:
        raise Http404
    return evaluation


def _form_page(
    request: HttpRequest,
    facts: FormFacts,
    *,
    data: QueryDict | None = None,
    errors: dict[str, str] | None = None,
    already_answered: bool = False,
) -> HttpResponse:
    errors = errors or {}
    blocks = _blocks(facts, data, errors)
    if data is not None:
        name = data.get(NAME_FIELD, "")
    elif not facts.form.anonymous and request.user.is_authenticated:
        # A suggestion the respondent can change; the account is linked as well (see answering.py).
        name = request.user.name
    else:
        name = ""
    return render(
        request,
        "evaluations/answer.html",
        {
            "evaluation": facts.evaluation,
            "activity": facts.evaluation.activity,
            "form": facts.form,
            "blocks": blocks,
            "errors": _error_links(blocks, errors),
            "any_required": any(row.facts.question.required for block in blocks for row in block.rows),
            "name_field": NAME_FIELD,
            "name_value": name,
            "name_error": errors.get(NAME_FIELD, ""),
            "name_max": MAX_NAME_LENGTH,
            "text_max": formats.number_format(MAX_TEXT_LENGTH, force_grouping=True),
            "already_answered": already_answered,
            "again_url": f"{request.path}?{AGAIN_PARAMETER}=1",
            "kinds": QuestionKind,
        },
    )


def _refusal_page(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    state: Availability | None = None,
    link_used: bool = False,
    not_stored: bool = False,
) -> HttpResponse:
    """The page instead of the form: not open yet, closed, or a used single-use link."""
    return render(
        request,
        "evaluations/answer_closed.html",
        {
            "evaluation": evaluation,
            "activity": evaluation.activity,
            "form": evaluation.form,
            "link_used": link_used,
            "not_yet": state is Availability.NOT_YET,
            "closed": state is Availability.CLOSED,
            "not_stored": not_stored,
        },
    )


def _submit(request: HttpRequest, evaluation: Evaluation, token: str | None) -> HttpResponse:
    facts = form_facts(evaluation)
    try:
        submit_response(facts, request.POST, user=request.user, token=token)
    except NotOpen as refused:
        return _refusal_page(request, evaluation, state=refused.state, not_stored=True)
    except LinkAlreadyUsed:
        return _refusal_page(request, evaluation, link_used=True, not_stored=True)
    except InvalidAnswers as invalid:
        return _form_page(request, facts, data=request.POST, errors=invalid.validation.errors)
    response = redirect("evaluations:thanks", evaluation.short_code)
    if token is None:
        _remember_answered(response, evaluation)
    return response


def _remember_answered(response: HttpResponse, evaluation: Evaluation) -> None:
    # The evaluation's code and nothing else, sent back only to this evaluation's pages, until it closes.
    seconds = int((evaluation.closes_at - timezone.now()).total_seconds())
    response.set_cookie(
        ANSWERED_COOKIE,
        evaluation.short_code,
        max_age=max(seconds, 60),
        path=reverse("evaluations:answer", args=[evaluation.short_code]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _evaluation_or_404(code)
    if request.method == "POST":
        return _submit(request, evaluation, token=None)
    state = availability(evaluation)
    if state is not Availability.OPEN:
        return _refusal_page(request, evaluation, state=state)
    answered = request.COOKIES.get(ANSWERED_COOKIE) == evaluation.short_code
    already = answered and AGAIN_PARAMETER not in request.GET
    return _form_page(request, form_facts(evaluation), already_answered=already)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer_with_link(request: HttpRequest, code: str, token: str) -> HttpResponse:
    evaluation = _evaluation_or_404(code)
    link = link_for_token(evaluation, token)
    if link is None:
        raise Http404
    if link.used:
        return _refusal_page(request, evaluation, link_used=True, not_stored=request.method == "POST")
    if request.method == "POST":
        # The read above is only a shortcut; what decides is the service's conditional update, which two
        # simultaneous submissions with this link cannot both win.
        return _submit(request, evaluation, token=token)
    state = availability(evaluation)
    if state is not Availability.OPEN:
        return _refusal_page(request, evaluation, state=state)
    return _form_page(request, form_facts(evaluation))


@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _evaluation_or_404(code)
    return render(
        request,
        "evaluations/thanks.html",
        {"evaluation": evaluation, "activity": evaluation.activity, "form": evaluation.form},
    )

"""Answering an evaluation on the public pages: the room link, the single-use mailed links, validation,
the open/closed window, the "already answered" cookie and the non-anonymous mode.

The anonymity of what is stored is tested in test_anonymity.py.
"""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.evaluations import answering
from fagnett.evaluations.links import answer_url, hash_token, issue_links
from fagnett.evaluations.models import (
    Answer,
    AnswerLink,
    Evaluation,
    EvaluationForm,
    Option,
    Question,
    QuestionKind,
    Response,
    Section,
)
from fagnett.networks.models import Network
from tests.conftest import login
from tests.helpers import count_queries, nb

OSLO = ZoneInfo("Europe/Oslo")
OPENS = dt.datetime(2025, 6, 11, 14, 0, tzinfo=OSLO)
CLOSES = dt.datetime(2025, 6, 25, 23, 59, tzinfo=OSLO)
DURING = dt.datetime(2025, 6, 11, 15, 30, tzinfo=OSLO)
BEFORE = dt.datetime(2025, 6, 11, 9, 0, tzinfo=OSLO)
AFTER = dt.datetime(2025, 6, 26, 8, 0, tzinfo=OSLO)
ANONYMOUS_NOTICE = (
    "Your answers are anonymous. No name, user account, IP address or time of day is stored with them, "
    "only the date."
)


def make_form(network: Network, *, anonymous: bool = True, extra_questions: int = 0) -> EvaluationForm:
    """A study-day form: two scales, a single and a multiple choice and two free-text questions in two
    sections, plus `extra_questions` more scale questions (for the query-count test)."""
    form = EvaluationForm.objects.create(
        network=network, title="Evaluering av fagdagen", intro="Takk for at du deltok.", anonymous=anonymous
    )
    about = Section.objects.create(form=form, title="Om dagen", intro="Tenk på hele dagen.", position=1)
    free = Section.objects.create(form=form, title="Dine ord", position=2)
    Question.objects.create(
        form=form,
        section=about,
        text="Faglig utbytte",
        kind=QuestionKind.SCALE,
        required=True,
        scale_min_label="Svært lite",
        scale_max_label="Svært mye",
        position=1,
    )
    Question.objects.create(
        form=form, section=about, text="Relevans for eget arbeid", kind=QuestionKind.SCALE, position=2
    )
    best = Question.objects.create(
        form=form,
        section=about,
        text="Hvilken del likte du best?",
        kind=QuestionKind.SINGLE,
        required=True,
        position=3,
    )
    for position, text in enumerate(["Foredragene", "Gruppearbeidet", "Pausene"]):
        Option.objects.create(question=best, text=text, position=position)
    topics = Question.objects.create(
        form=form, section=about, text="Hvilke tema vil du ha mer av?", kind=QuestionKind.MULTIPLE, position=4
    )
    for position, text in enumerate(["Smerte", "Kommunikasjon", "Sorg"]):
        Option.objects.create(question=topics, text=text, position=position)
    Question.objects.create(
        form=form, section=free, text="Hva var bra?", kind=QuestionKind.TEXT, required=True, position=5
    )
    Question.objects.create(
        form=form, section=free, text="Hva kan bli bedre?", kind=QuestionKind.TEXT, position=6
    )
    for number in range(extra_questions):
        Question.objects.create(
            form=form, section=about, text=f"Ekstra {number}", kind=QuestionKind.SCALE, position=10 + number
        )
    return form


def make_evaluation(network: Network, form: EvaluationForm, title: str = "Fagdag om smerte") -> Evaluation:
    activity = Activity.objects.create(
        network=network,
        kind=ActivityKind.STUDY_DAY,
        title=title,
        starts_on=OPENS.date(),
        ends_on=OPENS.date(),
    )
    return Evaluation.objects.create(form=form, activity=activity, opens_at=OPENS, closes_at=CLOSES)


def question(form: EvaluationForm, text: str) -> Question:
    return Question.objects.get(form=form, text=text)


def option(form: EvaluationForm, question_text: str, text: str) -> Option:
    return Option.objects.get(question__form=form, question__text=question_text, text=text)


def valid_answers(form: EvaluationForm) -> dict[str, str | list[str]]:
    """A complete, valid response to make_form's form."""
    return {
        f"q{question(form, 'Faglig utbytte').pk}": "4",
        f"q{question(form, 'Relevans for eget arbeid').pk}": "5",
        f"q{question(form, 'Hvilken del likte du best?').pk}": str(
            option(form, "Hvilken del likte du best?", "Gruppearbeidet").pk
        ),
        f"q{question(form, 'Hvilke tema vil du ha mer av?').pk}": [
            str(option(form, "Hvilke tema vil du ha mer av?", "Smerte").pk),
            str(option(form, "Hvilke tema vil du ha mer av?", "Sorg").pk),
        ],
        f"q{question(form, 'Hva var bra?').pk}": "Gode foredrag.\r\nNyttig gruppearbeid.",
        f"q{question(form, 'Hva kan bli bedre?').pk}": "",
    }


@pytest.fixture
def form(network: Network) -> EvaluationForm:
    return make_form(network)


@pytest.fixture
def evaluation(network: Network, form: EvaluationForm) -> Evaluation:
    return make_evaluation(network, form)


@pytest.fixture
def during() -> object:
    with time_machine.travel(DURING, tick=False) as traveller:
        yield traveller


def answer_path(evaluation: Evaluation) -> str:
    return reverse("evaluations:answer", args=[evaluation.short_code])


def text_of(response: HttpResponseBase) -> str:
    """The page as the user reads it (entities such as &laquo; decoded)."""
    assert isinstance(response, HttpResponse)
    return html.unescape(response.content.decode())


# --- The room link


def test_the_room_link_shows_the_form_without_login(
    client: Client, evaluation: Evaluation, during: object
) -> None:
    response = client.get(answer_path(evaluation))
    assert response.status_code == 200
    page = text_of(response)
    for text in (
        "Evaluering av fagdagen",
        "Om dagen",
        "Tenk på hele dagen.",
        "Faglig utbytte",
        "Hva var bra?",
    ):
        assert text in page
    assert "Fagdag om smerte, 11.06.2025" in page
    assert nb(ANONYMOUS_NOTICE) in page
    assert nb("You can answer until %(date)s at %(time)s.", date="25.06.2025", time="23:59") in page
    # The page sets the CSRF cookie it needs to accept the post.
    assert "csrftoken" in response.cookies
    assert 'name="csrfmiddlewaretoken"' in page
    assert "no-store" in response.headers["Cache-Control"] or "max-age=0" in response.headers["Cache-Control"]


def test_it_renders_each_kind_of_question_with_its_own_control(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    page = text_of(client.get(answer_path(evaluation)))
    scale = question(form, "Faglig utbytte")
    for value in range(1, 6):
        assert f'type="radio" id="q{scale.pk}-{value}" name="q{scale.pk}" value="{value}"' in page
    # The end labels are part of the labels of 1 and 5, so they are both seen and read out.
    assert "Svært lite" in page and "Svært mye" in page
    assert page.count('<fieldset class="ds-fieldset fn-answer__question"') == 4
    assert page.count("<legend") == 4
    single = option(form, "Hvilken del likte du best?", "Pausene")
    assert f'type="radio" id="q{single.question_id}-{single.pk}"' in page
    multiple = option(form, "Hvilke tema vil du ha mer av?", "Sorg")
    assert f'type="checkbox" id="q{multiple.question_id}-{multiple.pk}"' in page
    assert f'<textarea class="ds-input" id="q{question(form, "Hva var bra?").pk}"' in page
    # Required is said in words, not only with a mark.
    assert page.count(nb("(must be answered)")) == 3
    assert nb("At most %(max)s characters.", max="5\xa0000") in page


def test_sections_and_questions_keep_their_order(
    client: Client, evaluation: Evaluation, during: object
) -> None:
    page = text_of(client.get(answer_path(evaluation)))
    positions = [
        page.index(text)
        for text in (
            "Om dagen",
            "Faglig utbytte",
            "Relevans for eget arbeid",
            "Hvilken del likte du best?",
            "Foredragene",
            "Gruppearbeidet",
            "Pausene",
            "Dine ord",
            "Hva var bra?",
            "Hva kan bli bedre?",
        )
    ]
    assert positions == sorted(positions)


def test_it_says_when_a_form_that_is_not_open_yet_opens(client: Client, evaluation: Evaluation) -> None:
    with time_machine.travel(BEFORE, tick=False):
        response = client.get(answer_path(evaluation))
    page = text_of(response)
    assert response.status_code == 200
    assert nb("The form is not open yet") in page
    assert nb("You can answer from %(date)s at %(time)s.", date="11.06.2025", time="14:00") in page
    assert "Faglig utbytte" not in page


def test_it_says_a_closed_form_is_closed(client: Client, evaluation: Evaluation) -> None:
    with time_machine.travel(AFTER, tick=False):
        page = text_of(client.get(answer_path(evaluation)))
    assert nb("The form is closed") in page
    assert "25.06.2025" in page
    assert "Faglig utbytte" not in page


def test_an_unknown_code_is_404(client: Client, evaluation: Evaluation, during: object) -> None:
    assert client.get(reverse("evaluations:answer", args=["finnesikke"])).status_code == 404
    assert client.get(reverse("evaluations:thanks", args=["finnesikke"])).status_code == 404


def test_a_valid_response_is_stored_and_the_browser_is_sent_to_the_thanks_page(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    response = client.post(answer_path(evaluation), valid_answers(form))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:thanks", args=[evaluation.short_code])
    stored = Response.objects.get()
    assert stored.evaluation == evaluation
    assert stored.submitted_on == dt.date(2025, 6, 11)
    answers = {
        (answer.question.text, answer.option.text if answer.option else None, answer.number, answer.text)
        for answer in Answer.objects.select_related("question", "option")
    }
    assert answers == {
        ("Faglig utbytte", None, 4, ""),
        ("Relevans for eget arbeid", None, 5, ""),
        ("Hvilken del likte du best?", "Gruppearbeidet", None, ""),
        ("Hvilke tema vil du ha mer av?", "Smerte", None, ""),
        ("Hvilke tema vil du ha mer av?", "Sorg", None, ""),
        ("Hva var bra?", None, None, "Gode foredrag.\nNyttig gruppearbeid."),
    }
    thanks = text_of(client.get(response["Location"]))
    assert nb("Thank you for your answers") in thanks


def test_any_logged_in_user_may_answer_too(
    client: Client, evaluation: Evaluation, form: EvaluationForm, charlie: User, during: object
) -> None:
    # The answer pages belong to no network's access rules: a member of another network answers as anyone.
    login(client, charlie)
    assert client.get(answer_path(evaluation)).status_code == 200
    assert client.post(answer_path(evaluation), valid_answers(form)).status_code == 302
    assert Response.objects.count() == 1


def test_it_rejects_missing_required_answers_and_names_each_question(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    data = valid_answers(form)
    scale = question(form, "Faglig utbytte")
    text = question(form, "Hva var bra?")
    data[f"q{scale.pk}"] = ""
    data[f"q{text.pk}"] = "   "
    response = client.post(answer_path(evaluation), data)
    page = text_of(response)
    assert response.status_code == 200
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    assert 'class="ds-error-summary"' in page
    assert f'href="#q{scale.pk}-1">{nb("Answer “%(question)s”", question="Faglig utbytte")}</a>' in page
    assert f'href="#q{text.pk}">{nb("Answer “%(question)s”", question="Hva var bra?")}</a>' in page
    assert page.startswith("<!DOCTYPE html>") and f"<title>{nb('Error:')} " in page
    # What was already chosen is kept.
    relevance = question(form, "Relevans for eget arbeid")
    assert f'id="q{relevance.pk}-5" name="q{relevance.pk}" value="5" checked' in page


def test_it_rejects_a_response_with_no_answers_at_all(
    client: Client, network: Network, during: object
) -> None:
    form = EvaluationForm.objects.create(network=network, title="Valgfritt")
    only = Question.objects.create(form=form, text="Noe å legge til?", kind=QuestionKind.TEXT)
    evaluation = make_evaluation(network, form)
    page = text_of(client.post(answer_path(evaluation), {f"q{only.pk}": ""}))
    assert nb("Answer at least one question") in page
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "tamper",
    [
        "option_of_another_question",
        "option_that_does_not_exist",
        "two_options_for_single_choice",
        "scale_seven",
        "scale_not_a_number",
        "two_scale_values",
        "foreign_option_among_multiple",
    ],
)
def test_it_rejects_a_tampered_value_and_stores_nothing(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object, tamper: str
) -> None:
    data = valid_answers(form)
    scale = f"q{question(form, 'Faglig utbytte').pk}"
    single = f"q{question(form, 'Hvilken del likte du best?').pk}"
    multiple = f"q{question(form, 'Hvilke tema vil du ha mer av?').pk}"
    foreign = str(option(form, "Hvilke tema vil du ha mer av?", "Smerte").pk)
    expected = ("Choose one of the options given for “%(question)s”", "Hvilken del likte du best?")
    if tamper == "option_of_another_question":
        data[single] = foreign
    elif tamper == "option_that_does_not_exist":
        data[single] = "999999"
    elif tamper == "two_options_for_single_choice":
        data[single] = [
            str(option(form, "Hvilken del likte du best?", "Pausene").pk),
            str(option(form, "Hvilken del likte du best?", "Foredragene").pk),
        ]
    elif tamper == "scale_seven":
        data[scale] = "7"
        expected = ("Choose a value from %(low)s to %(high)s for “%(question)s”", "Faglig utbytte")
    elif tamper == "scale_not_a_number":
        data[scale] = "mye"
        expected = ("Choose a value from %(low)s to %(high)s for “%(question)s”", "Faglig utbytte")
    elif tamper == "two_scale_values":
        data[scale] = ["2", "3"]
        expected = ("Choose one of the options given for “%(question)s”", "Faglig utbytte")
    else:
        data[multiple] = [foreign, str(option(form, "Hvilken del likte du best?", "Pausene").pk)]
        expected = ("Choose one of the options given for “%(question)s”", "Hvilke tema vil du ha mer av?")
    response = client.post(answer_path(evaluation), data)
    message, question_text = expected
    params: dict[str, object] = {"question": question_text}
    if "%(low)s" in message:
        params.update(low=1, high=5)
    assert nb(message, **params) in text_of(response)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_it_rejects_far_too_long_text_and_says_how_long_it_was(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    data = valid_answers(form)
    data[f"q{question(form, 'Hva kan bli bedre?').pk}"] = "x" * 20_000
    page = text_of(client.post(answer_path(evaluation), data))
    message = "The answer to “%(question)s” is too long: %(count)s characters. At most %(max)s are allowed."
    assert nb(message, question="Hva kan bli bedre?", count=20000, max=5000) in page
    assert Response.objects.count() == 0


def test_a_line_break_counts_as_one_character(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    data = valid_answers(form)
    # 5,001 characters as sent (CRLF), 5,000 as typed.
    data[f"q{question(form, 'Hva kan bli bedre?').pk}"] = "a" * 4998 + "\r\n" + "b"
    assert client.post(answer_path(evaluation), data).status_code == 302
    assert len(Answer.objects.get(question__text="Hva kan bli bedre?").text) == 5000


def test_a_form_that_closed_while_the_respondent_was_typing_stores_nothing(
    client: Client, evaluation: Evaluation, form: EvaluationForm
) -> None:
    with time_machine.travel(CLOSES - dt.timedelta(minutes=5), tick=False):
        assert "Faglig utbytte" in text_of(client.get(answer_path(evaluation)))
    with time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False):
        response = client.post(answer_path(evaluation), valid_answers(form))
    page = text_of(response)
    assert response.status_code == 200
    assert nb("The form is closed") in page
    assert nb("Your answers have not been stored.") in page
    assert Response.objects.count() == 0


def test_the_thanks_page_names_the_activity(client: Client, evaluation: Evaluation) -> None:
    page = text_of(client.get(reverse("evaluations:thanks", args=[evaluation.short_code])))
    assert "Fagdag om smerte, 11.06.2025" in page


# --- The "already answered" cookie of the room link


def test_after_answering_in_the_room_the_browser_is_reminded_but_may_answer_again(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    response = client.post(answer_path(evaluation), valid_answers(form))
    cookie = response.cookies["fagnett_evaluering_svart"]
    assert cookie.value == evaluation.short_code
    assert cookie["path"] == answer_path(evaluation)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    page = text_of(client.get(answer_path(evaluation)))
    assert nb("You have already answered") in page
    assert 'name="csrfmiddlewaretoken"' not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert f'href="{answer_path(evaluation)}?igjen=1"' in page
    again = text_of(client.get(answer_path(evaluation) + "?igjen=1"))
    assert "Faglig utbytte" in again and nb("You have already answered") not in again
    # It is a reminder, not a rule: a second answer from the same browser is stored.
    assert client.post(answer_path(evaluation), valid_answers(form)).status_code == 302
    assert Response.objects.count() == 2


def test_the_cookie_of_one_evaluation_does_not_hide_another(
    client: Client, network: Network, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    other = make_evaluation(network, make_form(network), title="Samling i Sandnes")
    client.post(answer_path(evaluation), valid_answers(form))
    page = text_of(client.get(answer_path(other)))
    assert nb("You have already answered") not in page


# --- Single-use links


def test_issue_links_stores_only_hashes_in_one_query(evaluation: Evaluation) -> None:
    tokens: list[str] = []
    assert count_queries(lambda: tokens.extend(issue_links(evaluation, 40))) == 1
    assert len(set(tokens)) == 40
    stored = set(AnswerLink.objects.values_list("token_hash", flat=True))
    assert stored == {hash_token(token) for token in tokens}
    assert not stored & set(tokens)
    assert issue_links(evaluation, 0) == []
    assert answer_url(evaluation, tokens[0]) == f"/e/{evaluation.short_code}/{tokens[0]}/"


def test_a_mailed_link_answers_once(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    [token] = issue_links(evaluation, 1)
    url = answer_url(evaluation, token)
    assert "Faglig utbytte" in text_of(client.get(url))
    # A mail scanner opening (GET/HEAD) the link does not use it up; only sending the form does.
    assert client.head(url).status_code == 200
    assert AnswerLink.objects.get().used is False
    response = client.post(url, valid_answers(form))
    assert response["Location"] == reverse("evaluations:thanks", args=[evaluation.short_code])
    assert AnswerLink.objects.get().used is True
    # A mailed link needs no cookie: the link itself is the rule.
    assert "fagnett_evaluering_svart" not in response.cookies

    again = client.post(url, valid_answers(form))
    assert nb("This answer has already been sent") in text_of(again)
    assert nb("Nothing more has been stored.") in text_of(again)
    assert Response.objects.count() == 1 and Answer.objects.filter(response__isnull=False).count() == 6
    opened = text_of(client.get(url))
    assert nb("This answer has already been sent") in opened
    assert "Faglig utbytte" not in opened


def test_an_unknown_token_or_another_evaluations_token_is_404(
    client: Client, network: Network, evaluation: Evaluation, during: object
) -> None:
    other = make_evaluation(network, make_form(network), title="Samling i Sandnes")
    [other_token] = issue_links(other, 1)
    assert client.get(answer_url(evaluation, "ukjent-token")).status_code == 404
    assert client.get(answer_url(evaluation, other_token)).status_code == 404
    assert client.post(answer_url(evaluation, other_token), {}).status_code == 404
    assert Response.objects.count() == 0


def test_a_link_taken_between_reading_and_writing_stores_nothing(
    evaluation: Evaluation, form: EvaluationForm, during: object
) -> None:
    # The view's read saw the link unused; a simultaneous submission then used it. The conditional
    # UPDATE in the service, not that read, decides.
    [token] = issue_links(evaluation, 1)
    facts = answering.form_facts(evaluation)
    data = MultiValueDict(
        {key: value if isinstance(value, list) else [value] for key, value in valid_answers(form).items()}
    )
    AnswerLink.objects.update(used=True)
    with pytest.raises(answering.LinkAlreadyUsed):
        answering.submit_response(facts, data, user=None, token=token)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_failure_after_claiming_the_link_leaves_it_unused(
    evaluation: Evaluation, form: EvaluationForm, during: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    [token] = issue_links(evaluation, 1)
    facts = answering.form_facts(evaluation)
    data = MultiValueDict(
        {key: value if isinstance(value, list) else [value] for key, value in valid_answers(form).items()}
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Answer.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        answering.submit_response(facts, data, user=None, token=token)
    assert AnswerLink.objects.get().used is False
    assert Response.objects.count() == 0


def test_a_mailed_link_outside_the_open_window_shows_when(
    client: Client, evaluation: Evaluation, form: EvaluationForm
) -> None:
    [token] = issue_links(evaluation, 1)
    with time_machine.travel(AFTER, tick=False):
        assert nb("The form is closed") in text_of(client.get(answer_url(evaluation, token)))
        client.post(answer_url(evaluation, token), valid_answers(form))
    assert AnswerLink.objects.get().used is False
    assert Response.objects.count() == 0


# --- Non-anonymous forms


@pytest.fixture
def named_evaluation(network: Network) -> Evaluation:
    return make_evaluation(network, make_form(network, anonymous=False), title="Introduksjonskurs")


def test_a_non_anonymous_form_says_so_before_answering(
    client: Client, named_evaluation: Evaluation, during: object
) -> None:
    page = text_of(client.get(answer_path(named_evaluation)))
    assert nb("This form is not anonymous: your name is stored with your answers.") in page
    assert 'class="ds-alert" data-color="warning"' in page
    assert nb(ANONYMOUS_NOTICE) not in page  # noqa: E501
    assert 'id="respondent_name"' in page


def test_a_non_anonymous_form_requires_a_name(
    client: Client, named_evaluation: Evaluation, during: object
) -> None:
    data = valid_answers(named_evaluation.form)
    page = text_of(client.post(answer_path(named_evaluation), data))
    assert f'href="#respondent_name">{nb("Enter your name")}</a>' in page
    assert Response.objects.count() == 0
    data["respondent_name"] = "  Kari   Nordmann "
    assert client.post(answer_path(named_evaluation), data).status_code == 302
    stored = Response.objects.get()
    assert stored.respondent_name == "Kari Nordmann"
    assert stored.respondent is None


def test_a_logged_in_respondent_is_linked_on_a_non_anonymous_form_and_audited(
    client: Client, named_evaluation: Evaluation, rita: User, during: object
) -> None:
    login(client, rita)
    page = text_of(client.get(answer_path(named_evaluation)))
    assert 'value="Rita Ressurs"' in page
    data = valid_answers(named_evaluation.form) | {"respondent_name": "Rita Ressurs"}
    assert client.post(answer_path(named_evaluation), data).status_code == 302
    stored = Response.objects.get()
    assert stored.respondent == rita and stored.respondent_name == "Rita Ressurs"
    entry = AuditEntry.objects.get(action="evaluations.response_submitted")
    assert entry.actor == rita and entry.target_id == str(stored.pk)
    assert entry.fields == ["answers", "respondent", "respondent_name"]


# --- Query counts


def test_rendering_a_form_takes_the_same_queries_for_3_and_30_questions(
    client: Client, network: Network, during: object
) -> None:
    small = make_evaluation(network, make_form(network), title="Liten")
    large = make_evaluation(network, make_form(network, extra_questions=30), title="Stor")
    small_count = count_queries(lambda: client.get(answer_path(small)))
    large_count = count_queries(lambda: client.get(answer_path(large)))
    assert small_count == large_count
    assert small_count <= 4


def test_the_csrf_check_stays_on(evaluation: Evaluation, form: EvaluationForm, during: object) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(answer_path(evaluation), valid_answers(form)).status_code == 403
    page = strict.get(answer_path(evaluation))
    token = page.cookies["csrftoken"].value
    response = strict.post(answer_path(evaluation), valid_answers(form) | {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Response.objects.count() == 1

"""What the database, the log and the browser hold after an anonymous response.

Every test submits like a real respondent (through the pages, with an IP address and a user agent) and then
reads the stored rows themselves, not what a page shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.evaluations.links import answer_url, hash_token, issue_links
from fagnett.evaluations.models import Answer, AnswerLink, Evaluation, EvaluationForm, Response
from fagnett.networks.models import Network
from tests.conftest import login
from tests.evaluations.test_answering import (
    DURING,
    OSLO,
    answer_path,
    make_evaluation,
    make_form,
    valid_answers,
)

IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.23"
USER_AGENT = "Mozilla/5.0 (iPhone; Sporbar-testleser 9.9)"
REQUEST_META: dict[str, Any] = {
    "REMOTE_ADDR": IP,
    "HTTP_USER_AGENT": USER_AGENT,
    "HTTP_X_FORWARDED_FOR": FORWARDED_IP,
}

# The only columns each table may have. A new column fails this test on purpose: whoever adds it must show
# that it cannot identify a respondent (and extend the checks below).
RESPONSE_COLUMNS = {
    "id",
    "evaluation_id",
    "submitted_on",
    "source",
    "external_id",
    "respondent_id",
    "respondent_name",
}
ANSWER_COLUMNS = {"id", "response_id", "question_id", "option_id", "number", "text"}
ANSWER_LINK_COLUMNS = {"id", "evaluation_id", "token_hash", "used"}


@pytest.fixture
def client() -> Client:
    """Every request of these tests comes from one recognisable address and browser."""
    return Client(**REQUEST_META)


@pytest.fixture
def form(network: Network) -> EvaluationForm:
    return make_form(network)


@pytest.fixture
def evaluation(network: Network, form: EvaluationForm) -> Evaluation:
    return make_evaluation(network, form)


@pytest.fixture
def during() -> Iterator[None]:
    with time_machine.travel(DURING, tick=False):
        yield


def columns(model: type[models.Model]) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}


def every_stored_value() -> Iterator[tuple[str, str]]:
    """(table, value) for every non-empty value in every table of the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the introspection
            for row in cursor.fetchall():
                for value in row:
                    if value not in (None, ""):
                        yield table, str(value)


def decoded_sessions() -> list[dict[str, Any]]:
    return [session.get_decoded() for session in Session.objects.all()]


def test_the_tables_have_no_column_that_could_identify_a_respondent() -> None:
    assert columns(Response) == RESPONSE_COLUMNS
    assert columns(Answer) == ANSWER_COLUMNS
    assert columns(AnswerLink) == ANSWER_LINK_COLUMNS
    # The day only: no time of day anywhere in a response, its answers or the links.
    for model in (Response, Answer, AnswerLink):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), (model, field.name)
    # A response cannot point at the link it was made with, nor a link at its response.
    assert not any(field.related_model is AnswerLink for field in Response._meta.get_fields())
    assert not any(field.related_model is Response for field in AnswerLink._meta.get_fields())


def test_an_anonymous_response_by_a_logged_in_user_through_a_mailed_link_holds_nothing_about_them(
    client: Client, network: Network, evaluation: Evaluation, form: EvaluationForm, rita: User, during: None
) -> None:
    login(client, rita)
    [token, _unused] = issue_links(evaluation, 2)
    audit_before = list(AuditEntry.objects.values_list("pk", flat=True))
    sessions_before = decoded_sessions()

    response = client.post(answer_url(evaluation, token), valid_answers(form))
    assert response.status_code == 302

    stored = Response.objects.get()
    assert stored.respondent_id is None
    assert stored.respondent_name == ""
    assert stored.submitted_on == DURING.date()
    assert stored.source == "web" and stored.external_id == ""
    # The links: one used, one not, and nothing says which response, when, or who.
    links = list(AnswerLink.objects.values("evaluation_id", "token_hash", "used"))
    assert sorted(link["used"] for link in links) == [False, True]
    assert {link["token_hash"] for link in links} >= {hash_token(token)}
    assert not any(token in link["token_hash"] for link in links)
    # The answers hold the answers and nothing else.
    for row in Answer.objects.values():
        assert set(row) == ANSWER_COLUMNS
        assert row["response_id"] == stored.pk
    # Nothing in the audit log: an entry would carry the actor and the time.
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == audit_before
    # The session is as it was: nothing about the answer was put in it.
    assert decoded_sessions() == sessions_before
    identifying = {str(rita.pk), rita.email, rita.name, "Rita"}
    stored_rows: list[models.Model] = [
        *Response.objects.all(),
        *Answer.objects.all(),
        *AnswerLink.objects.all(),
    ]
    for stored_row in stored_rows:
        for field in stored_row._meta.concrete_fields:
            if field.primary_key or field.name in ("evaluation", "response", "question", "option"):
                continue  # keys to the evaluation and the form, which say nothing about the person
            value = str(getattr(stored_row, field.attname))
            assert value not in identifying, (stored_row, field.name)
            assert rita.email not in value and rita.name not in value, (stored_row, field.name)


def test_no_table_holds_the_ip_address_or_user_agent_after_responses(
    client: Client, evaluation: Evaluation, form: EvaluationForm, rita: User, during: None
) -> None:
    # Anonymous by the room link, logged in, and by a mailed link; also a refused one.
    client.post(answer_path(evaluation), valid_answers(form))
    client.post(answer_path(evaluation), {})
    [token] = issue_links(evaluation, 1)
    other = Client(**REQUEST_META)
    other.post(answer_url(evaluation, token), valid_answers(form))
    login(other, rita)
    other.post(answer_path(evaluation), valid_answers(form))
    assert Response.objects.count() == 3

    for table, value in every_stored_value():
        for secret in (IP, FORWARDED_IP, USER_AGENT, "Sporbar"):
            assert secret not in value, table
    for session in decoded_sessions():
        assert not any(secret in str(session) for secret in (IP, FORWARDED_IP, USER_AGENT))


def test_an_anonymous_respondent_gets_no_session_and_no_message(
    client: Client, evaluation: Evaluation, form: EvaluationForm, during: None
) -> None:
    client.get(answer_path(evaluation))
    response = client.post(answer_path(evaluation), valid_answers(form), follow=True)
    assert response.status_code == 200
    assert Session.objects.count() == 0
    assert list(get_messages(response.wsgi_request)) == []
    # The only cookies: the CSRF token and the reminder that holds the evaluation's code alone.
    assert set(client.cookies) == {"csrftoken", "fagnett_evaluering_svart"}
    assert client.cookies["fagnett_evaluering_svart"].value == evaluation.short_code


def test_the_response_date_is_the_local_day(
    client: Client, evaluation: Evaluation, form: EvaluationForm
) -> None:
    # 00:30 in Oslo is still the day before in UTC; the stored day is Norway's.
    with time_machine.travel(dt.datetime(2025, 6, 12, 0, 30, tzinfo=OSLO), tick=False):
        client.post(answer_path(evaluation), valid_answers(form))
    assert Response.objects.get().submitted_on == dt.date(2025, 6, 12)


def test_the_log_does_not_contain_the_ip_address(
    client: Client,
    evaluation: Evaluation,
    form: EvaluationForm,
    during: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    [token] = issue_links(evaluation, 1)
    with caplog.at_level(logging.DEBUG):
        client.get(answer_path(evaluation))
        client.post(answer_path(evaluation), valid_answers(form))
        client.post(answer_path(evaluation), {"q0": "7"})
        client.post(answer_url(evaluation, token), valid_answers(form))
        client.post(answer_url(evaluation, token), valid_answers(form))
        client.get(answer_url(evaluation, "ukjent"))
    assert caplog.records, "the 404 above is logged, so the log was captured"
    for secret in (IP, FORWARDED_IP, USER_AGENT):
        assert secret not in caplog.text


def test_a_non_anonymous_response_stores_the_name_and_account_but_still_no_ip(
    client: Client, network: Network, rita: User, during: None
) -> None:
    named = make_evaluation(network, make_form(network, anonymous=False), title="Introduksjonskurs")
    login(client, rita)
    data = valid_answers(named.form) | {"respondent_name": "Rita Ressurs"}
    client.post(answer_path(named), data)
    stored = Response.objects.get()
    assert stored.respondent == rita and stored.respondent_name == "Rita Ressurs"
    assert stored.submitted_on == DURING.date()
    for table, value in every_stored_value():
        assert IP not in value and USER_AGENT not in value, table

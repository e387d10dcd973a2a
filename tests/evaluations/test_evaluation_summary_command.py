"""`manage.py evaluation_summary --network SLUG --activity TITLE --date YYYY-MM-DD --format json`."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import formats, translation

from fagnett.accounts.models import User
from fagnett.evaluations.models import QuestionKind
from fagnett.networks.models import Network
from tests.conftest import login
from tests.evaluations.test_results import (
    Built,
    attend,
    evaluation_of,
    make_activity,
    respond,
    results_url,
    standard_responses,
)

ARGS = ["--network", "barnepalliasjon", "--activity", "Fagdag: smertelindring", "--date", "2025-03-14"]


def summary(*extra: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("evaluation_summary", *ARGS, *extra, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.fixture
def built(network: Network) -> Built:
    built = evaluation_of(network)
    standard_responses(built)
    attend(built.evaluation.activity, 6)
    return built


def test_it_prints_the_results_as_json(built: Built) -> None:
    assert summary("--format", "json") == {
        "responses": 4,
        "attendees": 6,
        "response_rate": 0.667,
        "questions": [
            {
                "text": "Hva fungerte best?",
                "kind": "multiple",
                "distribution": {"Foredrag": 3, "Gruppearbeid": 2, "Lunsj": 0},
                "mean": None,
                "answers": [],
            },
            {
                "text": "Hva var bra?",
                "kind": "text",
                "distribution": None,
                "mean": None,
                "answers": ["Gode foredrag", "Nyttig\nog relevant", "=1+1 var morsomt"],
            },
            {
                "text": "Faglig utbytte",
                "kind": "scale",
                "distribution": {"1": 0, "2": 0, "3": 3, "4": 1, "5": 0},
                "mean": 3.3,
                "answers": [],
            },
            {
                "text": "Relevans for eget arbeid",
                "kind": "single",
                "distribution": {"Høy": 3, "Middels": 0, "Lav": 1},
                "mean": None,
                "answers": [],
            },
        ],
    }


def test_json_is_the_default_format(built: Built) -> None:
    assert summary() == summary("--format", "json")


def test_the_options_keep_the_forms_order_in_the_printed_json(built: Built) -> None:
    out = io.StringIO()
    call_command("evaluation_summary", *ARGS, stdout=out)

    assert '{"Foredrag": 3, "Gruppearbeid": 2, "Lunsj": 0}' in out.getvalue()


def test_below_the_minimum_only_the_counts_are_printed(network: Network) -> None:
    built = evaluation_of(network)
    respond(built, scale=5, single="Høy", multiple=["Lunsj"], text="Hemmelig")
    respond(built, scale=1)
    attend(built.evaluation.activity, 4)

    assert summary() == {
        "responses": 2,
        "attendees": 4,
        "response_rate": 0.5,
        "questions": [
            {"text": text, "kind": kind, "distribution": None, "mean": None, "answers": []}
            for text, kind in [
                ("Hva fungerte best?", "multiple"),
                ("Hva var bra?", "text"),
                ("Faglig utbytte", "scale"),
                ("Relevans for eget arbeid", "single"),
            ]
        ],
    }


def test_the_response_rate_is_null_without_attendees(network: Network) -> None:
    built = evaluation_of(network, min_shown=1)
    respond(built, scale=2)

    result = summary()

    assert result["attendees"] == 0
    assert result["response_rate"] is None
    assert result["questions"][2]["mean"] == 2


def test_a_scale_question_nobody_answered_has_a_null_mean(network: Network) -> None:
    built = evaluation_of(network, min_shown=1)
    respond(built, text="Bare tekst")

    scale = summary()["questions"][2]

    assert scale["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    assert scale["mean"] is None


def test_an_activity_without_an_evaluation_is_an_error(network: Network) -> None:
    make_activity(network)

    with pytest.raises(CommandError, match="has no evaluation"):
        summary()


def test_an_unknown_activity_is_an_error(network: Network) -> None:
    with pytest.raises(CommandError, match="has no activity"):
        summary()


def test_a_malformed_date_is_an_error(network: Network) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("evaluation_summary", *ARGS[:-1], "14.03.2025", stdout=io.StringIO())


def test_only_json_is_offered(built: Built) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        summary("--format", "text")


def test_the_command_and_the_page_agree(client: Client, alice: User, built: Built) -> None:
    result = summary()
    page = login(client, alice).get(results_url(built)).content.decode()

    assert re.search(rf"<dt>[^<]*</dt><dd>\s*{result['responses']}\s*</dd>", page)
    assert re.search(rf"<dd>\s*{result['attendees']}\s*</dd>", page)
    assert f"{round(result['response_rate'] * 100)}&nbsp;%" in page
    for question in result["questions"]:
        assert f">{question['text']}</h" in page
        if question["kind"] == QuestionKind.SCALE:
            with translation.override("nb"):
                mean = formats.number_format(question["mean"], 1)
            assert f'<td class="fn-number" colspan="2">{mean}</td>' in page
        for label, count in (question["distribution"] or {}).items():
            assert re.search(
                rf'<th scope="row">{re.escape(label)}[^<]*</th><td class="fn-number">{count}</td>', page
            )
        for answer in question["answers"]:
            assert answer.replace("\n", "<br>") in page

"""The raw export of an evaluation's responses as CSV and XLSX (evaluations.exports, views/results.export)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.evaluations.exports import csv_bytes, file_name, xlsx_bytes
from fagnett.evaluations.results import RawResponses, evaluation_in_network, raw_responses
from fagnett.networks.models import LocalChapter, Network
from tests.conftest import login
from tests.evaluations.test_results import (
    SLUG,
    Built,
    attach,
    evaluation_of,
    make_activity,
    make_form,
    respond,
    standard_responses,
)
from tests.helpers import count_queries, nb


@pytest.fixture
def built(network: Network) -> Built:
    built = evaluation_of(network)
    standard_responses(built)
    return built


def export_url(built: Built, fmt: str) -> str:
    return reverse("evaluations:export", args=[SLUG, built.evaluation.pk, fmt])


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def raw_of(built: Built) -> RawResponses:
    return raw_responses(evaluation_in_network(built.evaluation.activity.network, built.evaluation.pk))


def test_the_csv_has_one_row_per_response_numbered_from_one(
    client: Client, alice: User, built: Built
) -> None:
    response = login(client, alice).get(export_url(built, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    assert rows[0] == [
        nb("Response"),
        nb("Date"),
        "Hva fungerte best?",
        "Hva var bra?",
        "Faglig utbytte",
        "Relevans for eget arbeid",
    ]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]
    assert rows[1] == ["1", "14.03.2025", "Foredrag; Gruppearbeid", "Gode foredrag", "3", "Høy"]
    assert rows[2][3] == "Nyttig\nog relevant"


def test_multiple_choices_are_joined_in_the_forms_order(built: Built) -> None:
    # The third response chose Gruppearbeid before Foredrag; the form lists Foredrag first.
    assert raw_of(built).rows[2].values[0] == "Foredrag; Gruppearbeid"


def test_an_unanswered_question_is_an_empty_cell(built: Built) -> None:
    fourth = raw_of(built).rows[3]

    assert fourth.values[0] is None
    assert csv_rows(csv_bytes(raw_of(built)))[4][2] == ""


def test_the_csv_keeps_a_formula_as_text(built: Built) -> None:
    rows = csv_rows(csv_bytes(raw_of(built)))

    assert rows[4][3] == "'=1+1 var morsomt"


def test_the_xlsx_holds_the_same_rows_with_dates_as_dates(client: Client, alice: User, built: Built) -> None:
    response = login(client, alice).get(export_url(built, "xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == (nb("Response"), nb("Date"), "Hva fungerte best?")
    assert rows[1][0] == 1
    # openpyxl reads a date cell back as a naive datetime at midnight.
    assert rows[1][1] == dt.datetime(2025, 3, 14)  # noqa: DTZ001
    assert rows[1][4] == 3
    assert sheet["B2"].number_format == "DD.MM.YYYY"
    assert len(rows) == 5


def test_the_xlsx_keeps_a_formula_as_text(built: Built) -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(raw_of(built)))).active

    cell = sheet["D5"]
    assert cell.value == "=1+1 var morsomt"
    assert cell.data_type == "s"


def test_a_non_anonymous_form_exports_the_names(network: Network) -> None:
    built = evaluation_of(network, anonymous=False)
    for name in ("Kari Nordmann", "Ola Nordmann", "Per Hansen"):
        respond(built, scale=4, name=name)

    rows = csv_rows(csv_bytes(raw_of(built)))

    assert rows[0][:3] == [nb("Response"), nb("Date"), nb("Name")]
    assert [row[2] for row in rows[1:]] == ["Kari Nordmann", "Ola Nordmann", "Per Hansen"]


def test_an_anonymous_form_has_no_name_column(built: Built) -> None:
    assert nb("Name") not in csv_rows(csv_bytes(raw_of(built)))[0]


def test_the_file_is_named_after_the_activity_and_its_date(client: Client, alice: User, built: Built) -> None:
    response = login(client, alice).get(export_url(built, "csv"))

    assert response["Content-Disposition"] == (
        'attachment; filename="evaluering-fagdag-smertelindring-2025-03-14.csv"'
    )


def test_a_title_without_letters_falls_back_to_the_id() -> None:
    assert file_name("!!!", dt.date(2025, 1, 2), "xlsx", "17") == "evaluering-17-2025-01-02.xlsx"
    assert file_name("Søndagsmøte på Ål", dt.date(2025, 1, 2), "pdf", "1") == (
        "evaluering-sondagsmote-pa-al-2025-01-02.pdf"
    )


def test_an_export_is_recorded_in_the_audit_log(client: Client, alice: User, built: Built) -> None:
    login(client, alice).get(export_url(built, "xlsx"))

    entry = AuditEntry.objects.get(action="evaluation.exported")
    assert entry.actor == alice
    assert entry.data == {"rows": 4, "format": "xlsx"}
    assert entry.target_id == str(built.evaluation.pk)


def test_below_the_minimum_the_export_is_refused_with_a_message(
    client: Client, alice: User, network: Network
) -> None:
    built = evaluation_of(network)
    respond(built, scale=5, text="Hemmelig")
    respond(built, scale=4)

    response = login(client, alice).get(export_url(built, "csv"), follow=True)

    assert response.redirect_chain == [
        (reverse("evaluations:results", args=[SLUG, built.evaluation.pk]), 302)
    ]
    page = response.content.decode()
    assert "Hemmelig" not in page
    assert (
        nb(
            "The responses cannot be exported: there are fewer than %(minimum)s, so a respondent could be "
            "recognised.",
            minimum=3,
        )
        in page
    )
    assert not AuditEntry.objects.filter(action="evaluation.exported").exists()


@pytest.mark.parametrize("fmt", ["pdf", "json", "XLSX"])
def test_an_unknown_format_is_not_found(client: Client, alice: User, built: Built, fmt: str) -> None:
    assert login(client, alice).get(export_url(built, fmt)).status_code == 404


@pytest.mark.parametrize("persona", ["carl", "rolf", "rita", "lena", "charlie", "nobody"])
def test_only_those_who_manage_the_activity_may_export(
    client: Client, built: Built, request: pytest.FixtureRequest, persona: str
) -> None:
    user = request.getfixturevalue(persona)

    assert login(client, user).get(export_url(built, "csv")).status_code == 404
    assert login(client, user).get(export_url(built, "xlsx")).status_code == 404


def test_a_chapter_coordinator_exports_the_chapters_activity(
    client: Client, carl: User, network: Network, chapter: LocalChapter
) -> None:
    built = attach(make_form(network), make_activity(network, chapter=chapter))
    standard_responses(built)

    assert login(client, carl).get(export_url(built, "csv")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in_for_an_export(client: Client, built: Built) -> None:
    response = client.get(export_url(built, "csv"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_evaluation_of_another_network_cannot_be_exported(
    client: Client, alice: User, other_network: Network
) -> None:
    theirs = evaluation_of(other_network)
    standard_responses(theirs)

    assert login(client, alice).get(export_url(theirs, "csv")).status_code == 404


def test_the_raw_responses_take_the_same_queries_for_3_and_30_responses(network: Network) -> None:
    built = evaluation_of(network)
    for _ in range(3):
        respond(built, scale=1, single="Lav", multiple=["Lunsj", "Foredrag"], text="a")
    few = count_queries(lambda: raw_of(built))
    for _ in range(27):
        respond(built, scale=5, multiple=["Gruppearbeid"], text="b")

    assert count_queries(lambda: raw_of(built)) == few
    assert len(raw_of(built).rows) == 30

"""Economy per year: lines grouped by kind, the summary, Norwegian amounts in and out, who may read and
change, the exports, and the facts the CLI and the annual report read."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.plans.annual_forms import AmountError, parse_amount
from fagnett.plans.annual_queries import economy_year, economy_year_facts, format_nok
from fagnett.plans.models import EconomyKind, EconomyLine
from tests.conftest import login
from tests.helpers import count_queries, nb
from tests.plans.test_goals import OUTSIDERS, READ_ONLY, READERS, as_user

SLUG = "barnepalliasjon"
NOW = dt.datetime(2024, 11, 15, 12, 0, tzinfo=dt.UTC)
NBSP = "\u00a0"


def url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[SLUG, *args])


def line(
    network: Network, kind: str, source: str, amount: str, purpose: str = "", year: int = 2024
) -> EconomyLine:
    return EconomyLine.objects.create(
        network=network, year=year, kind=kind, source=source, purpose=purpose, amount=Decimal(amount)
    )


@pytest.fixture
def lines(network: Network) -> list[EconomyLine]:
    """Grants 1 250 000 + 300 000,50; course fees 45 000; other income 5 000; costs 1 700 000:
    result −99 999,50."""
    return [
        line(network, EconomyKind.GRANT, "Helsedirektoratet", "1250000", "Kompetansenettverk"),
        line(network, EconomyKind.GRANT, "Statsforvalteren", "300000.50", "Fagdager"),
        line(network, EconomyKind.COURSE_FEES, "Introduksjonskurs", "45000"),
        line(network, EconomyKind.OTHER_INCOME, "Salg av hefter", "5000"),
        line(network, EconomyKind.COST, "Lønn prosjektleder", "1700000"),
        line(network, EconomyKind.GRANT, "Tilskudd i fjor", "999", year=2023),
    ]


# Amounts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 250 000", "1250000"),
        ("1250000,50", "1250000.50"),
        ("kr 1 000", "1000"),
        ("1\u00a0000 kr", "1000"),
        ("1.250.000,50", "1250000.50"),
        ("1.000", "1000"),
        ("1000,-", "1000"),
        ("12.5", "12.5"),
        ("0", "0"),
        ("NOK 300", "300"),
    ],
)
def test_it_reads_amounts_written_the_norwegian_way(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-100", "negative"),
        ("kr -5", "negative"),
        ("tusen", "invalid"),
        ("1,234", "invalid"),
        ("1e5", "invalid"),
        ("1 000 000,5,5", "invalid"),
    ],
)
def test_it_refuses_amounts_it_cannot_read(text: str, code: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.code == code


def test_amounts_are_shown_the_norwegian_way() -> None:
    assert format_nok(Decimal("1250000")) == f"1{NBSP}250{NBSP}000{NBSP}kr"
    assert format_nok(Decimal("1250000.50")) == f"1{NBSP}250{NBSP}000,50{NBSP}kr"
    assert format_nok(Decimal("999")) == f"999{NBSP}kr"
    assert format_nok(Decimal("0")) == f"0{NBSP}kr"
    assert format_nok(Decimal("-99499.5")) == f"\u221299{NBSP}499,50{NBSP}kr"


# The page ---------------------------------------------------------------------------------------------------


def test_the_summary_adds_up_the_lines(network: Network, lines: list[EconomyLine]) -> None:
    totals = economy_year(network, 2024).totals
    assert totals.as_dict() == {
        "grants": Decimal("1550000.50"),
        "course_fees": Decimal("45000"),
        "other_income": Decimal("5000"),
        "income": Decimal("1600000.50"),
        "costs": Decimal("1700000"),
        "result": Decimal("-99999.50"),
    }


@pytest.mark.parametrize("persona", READERS)
def test_coordinators_and_readers_see_the_economy(
    client: Client, request: pytest.FixtureRequest, lines: list[EconomyLine], persona: str
) -> None:
    as_user(client, request, persona)
    response = client.get(url("economy") + "?aar=2024")
    assert response.status_code == 200
    content = response.content.decode()
    assert f"1{NBSP}550{NBSP}000,50{NBSP}kr" in content  # total grants
    assert f"1{NBSP}600{NBSP}000,50{NBSP}kr" in content  # total income
    assert f"\u221299{NBSP}999,50{NBSP}kr" in content  # result
    assert "Helsedirektoratet" in content and "Kompetansenettverk" in content
    assert "Tilskudd i fjor" not in content
    assert (url("economy_edit", lines[0].pk) in content) is (persona == "alice")


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_the_economy(
    client: Client, request: pytest.FixtureRequest, lines: list[EconomyLine], persona: str
) -> None:
    as_user(client, request, persona)
    assert client.get(url("economy")).status_code == 404
    assert client.get(url("economy_export", "csv")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_economy_defaults_to_this_year(client: Client, rolf: User, lines: list[EconomyLine]) -> None:
    login(client, rolf)
    response = client.get(url("economy") + "?aar=24")
    assert response.context["year"] == 2024
    assert nb("Economy %(year)s", year=2024) in response.content.decode()


def test_the_economy_page_runs_a_fixed_number_of_queries(
    client: Client, alice: User, network: Network, lines: list[EconomyLine]
) -> None:
    login(client, alice)
    small_page = count_queries(lambda: client.get(url("economy") + "?aar=2024"))
    small_facts = count_queries(lambda: economy_year_facts(network, 2024))
    for number in range(10):
        line(network, EconomyKind.COST, f"Kostnad {number}", "100")
    assert count_queries(lambda: client.get(url("economy") + "?aar=2024")) == small_page
    assert count_queries(lambda: economy_year_facts(network, 2024)) == small_facts == 1


# Writes -----------------------------------------------------------------------------------------------------


def test_alice_adds_edits_and_deletes_a_line(client: Client, alice: User, network: Network) -> None:
    login(client, alice)
    response = client.get(url("economy_create") + "?aar=2025&type=kostnad")
    assert response.context["form"].initial == {"year": 2025, "kind": "kostnad"}
    response = client.post(
        url("economy_create") + "?aar=2025",
        {
            "year": "2025",
            "kind": "tilskudd",
            "source": "Helsedirektoratet",
            "purpose": "Drift",
            "amount": "kr 1 250 000,50",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?aar=2025")
    created = EconomyLine.objects.get(network=network)
    assert created.amount == Decimal("1250000.50")
    response = client.get(url("economy_edit", created.pk))
    assert response.context["form"].initial["amount"] == "1 250 000,50"
    response = client.post(
        url("economy_edit", created.pk),
        {
            "year": "2025",
            "kind": "tilskudd",
            "source": "Helsedirektoratet",
            "purpose": "",
            "amount": "900000",
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.amount, created.purpose) == (Decimal("900000"), "")
    assert client.get(url("economy_delete", created.pk)).status_code == 200
    assert client.post(url("economy_delete", created.pk)).status_code == 302
    assert not EconomyLine.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="plans.economy")
        .order_by("pk")
        .values_list("action", "fields")
    )
    assert actions == [
        ("plans.economy_line_created", []),
        ("plans.economy_line_updated", ["amount", "purpose"]),
        ("plans.economy_line_deleted", []),
    ]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5 000", "Amount cannot be negative. Enter costs as lines of the kind Cost."),
        ("fem tusen", "Amount must be a number of kroner, for example 1 250 000 or 1250000,50."),
        ("", "Write the amount, for example 1 250 000."),
        ("99 999 999 999", "The amount is too large."),
    ],
)
def test_it_rejects_an_amount_naming_the_field(
    client: Client, alice: User, network: Network, amount: str, message: str
) -> None:
    login(client, alice)
    response = client.post(
        url("economy_create"),
        {"year": "2024", "kind": "tilskudd", "source": "Helsedirektoratet", "amount": amount},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [nb(message)]
    assert nb(message) in response.content.decode()
    assert not EconomyLine.objects.exists()


def test_a_line_needs_a_source_and_a_kind(client: Client, alice: User, network: Network) -> None:
    login(client, alice)
    response = client.post(
        url("economy_create"), {"year": "2024", "kind": "gave", "source": " ", "amount": "5"}
    )
    errors = response.context["form"].errors
    assert errors["source"] == [nb("Write the source or a description of the line.")]
    assert errors["kind"] == [nb("Choose the kind of line: grant, course fees, other income or cost.")]
    assert not EconomyLine.objects.exists()


def snapshot() -> tuple[Any, ...]:
    return (
        list(EconomyLine.objects.values_list("pk", "year", "kind", "source", "amount")),
        AuditEntry.objects.filter(action__startswith="plans.").count(),
    )


def write_requests(target: EconomyLine) -> list[tuple[str, dict[str, str]]]:
    data = {"year": "2024", "kind": "kostnad", "source": "Endret", "amount": "1"}
    return [(url("economy_edit", target.pk), data), (url("economy_delete", target.pk), {})]


@pytest.mark.parametrize("persona", (*READ_ONLY, *OUTSIDERS))
def test_only_the_network_coordinator_may_change_the_economy(
    client: Client, request: pytest.FixtureRequest, lines: list[EconomyLine], persona: str
) -> None:
    as_user(client, request, persona)
    before = snapshot()
    new = {"year": "2024", "kind": "kostnad", "source": "Ny", "amount": "1"}
    for path, data in [(url("economy_create"), new), *write_requests(lines[0])]:
        assert client.get(path).status_code == 404, path
        assert client.post(path, data).status_code == 404, path
    assert snapshot() == before


def test_another_networks_lines_are_404(
    client: Client, alice: User, lines: list[EconomyLine], other_network: Network
) -> None:
    foreign = line(other_network, EconomyKind.GRANT, "Bergen kommune", "1000")
    login(client, alice)
    before = snapshot()
    for path, data in write_requests(foreign):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data).status_code == 404, path
    assert snapshot() == before
    assert "Bergen kommune" not in client.get(url("economy") + "?aar=2024").content.decode()


# Exports and facts ------------------------------------------------------------------------------------------


def test_the_economy_exports_to_csv(client: Client, rolf: User, lines: list[EconomyLine]) -> None:
    EconomyLine.objects.filter(pk=lines[3].pk).update(source="=HYPERLINK(1)")
    login(client, rolf)
    response = client.get(url("economy_export", "csv") + "?aar=2024")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = [row.split(";") for row in text.strip().split("\r\n")]
    assert rows[0] == [nb("Kind"), nb("Source or description"), nb("Purpose"), nb("Amount (NOK)")]
    assert rows[1] == [nb("Grant"), "Helsedirektoratet", "Kompetansenettverk", "1250000"]
    assert rows[2] == [nb("Grant"), "Statsforvalteren", "Fagdager", "300000,50"]
    assert rows[4][1] == "'=HYPERLINK(1)"
    assert len(rows) == 1 + 5 + 1 + 6
    assert rows[-1] == [nb("Total"), nb("Result (income minus costs)"), "", "-99999,50"]
    assert rows[-3][1:] == [nb("Total income"), "", "1600000,50"]


def test_the_economy_exports_to_xlsx(client: Client, alice: User, lines: list[EconomyLine]) -> None:
    from openpyxl import load_workbook

    login(client, alice)
    response = client.get(url("economy_export", "xlsx") + "?aar=2024")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][:2] == [nb("Grant"), "Helsedirektoratet"]
    assert Decimal(str(rows[2][3])) == Decimal("300000.5")
    assert rows[-1][1] == nb("Result (income minus costs)")
    assert Decimal(str(rows[-1][3])) == Decimal("-99999.5")


def test_other_economy_formats_are_404(client: Client, alice: User, lines: list[EconomyLine]) -> None:
    login(client, alice)
    assert client.get(url("economy_export", "pdf")).status_code == 404


def test_economy_year_facts_have_the_agreed_keys(network: Network, lines: list[EconomyLine]) -> None:
    facts = economy_year_facts(network, 2024)
    assert set(facts) == {"grants", "course_fees", "other_income", "costs", "totals"}
    assert facts["grants"] == [
        {"source": "Helsedirektoratet", "purpose": "Kompetansenettverk", "amount": 1250000},
        {"source": "Statsforvalteren", "purpose": "Fagdager", "amount": 300000.5},
    ]
    assert facts["course_fees"] == [{"source": "Introduksjonskurs", "purpose": "", "amount": 45000}]
    assert facts["totals"] == {
        "grants": 1550000.5,
        "course_fees": 45000,
        "other_income": 5000,
        "income": 1600000.5,
        "costs": 1700000,
        "result": -99999.5,
    }
    empty = economy_year_facts(network, 2030)
    assert empty["totals"] == dict.fromkeys(
        ("grants", "course_fees", "other_income", "income", "costs", "result"), 0
    )

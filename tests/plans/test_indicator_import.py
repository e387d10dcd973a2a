"""Import and export of entered indicator values (plans/indicator_import.py and its pages)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.lib.importing import ImportRejected
from fagnett.lib.tabular import read_table
from fagnett.networks.models import Network
from fagnett.plans.indicator_import import IndicatorValuesImporter, parse_period
from fagnett.plans.models import Indicator, IndicatorPeriod, IndicatorSource, IndicatorValue
from tests.conftest import login
from tests.helpers import nb


@pytest.fixture
def indicators(network: Network) -> dict[str, Indicator]:
    def make(
        name: str, source: str = IndicatorSource.ENTERED, period: str = IndicatorPeriod.YEAR
    ) -> Indicator:
        return Indicator.objects.create(network=network, name=name, source=source, period=period)

    return {
        "year": make("Henvisninger barnepalliasjon"),
        "quarter": make("Dokumenterte tilsyn", period=IndicatorPeriod.QUARTER),
        "month": make("Telefoniske kontakter", period=IndicatorPeriod.MONTH),
        "computed": make("Veiledninger", source=IndicatorSource.GUIDANCE),
    }


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def preview(network: Network, text: str, filename: str = "verdier.csv") -> list[str]:
    """The errors of the file's preview, as "row:column: message"."""
    result = IndicatorValuesImporter(network).preview_file(csv(text), filename)
    return [f"{error.row}:{error.column}: {error.message}" for error in result.errors]


def apply(network: Network, text: str, actor: User | None = None) -> None:
    importer = IndicatorValuesImporter(network)
    importer.apply(importer.preview_file(csv(text), "verdier.csv"), actor=actor)


def stored(network: Network) -> list[tuple[str, int, int, Decimal]]:
    return sorted(
        IndicatorValue.objects.filter(indicator__network=network).values_list(
            "indicator__name", "year", "period", "value"
        )
    )


GOOD = (
    "indikator;periode;verdi\n"
    "henvisninger BARNEPALLIASJON;2024;12\n"
    "Dokumenterte tilsyn;2024-K1;40\n"
    "Dokumenterte tilsyn;K2 2024;51,5\n"
    "Dokumenterte tilsyn;2024-Q3;0\n"
    "Telefoniske kontakter;2024-03;100\n"
    "Telefoniske kontakter;04.2024;30\n"
    "Telefoniske kontakter;mai 2024;22\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", ("aar", 2024, 0)),
        ("2024-K1", ("kvartal", 2024, 1)),
        ("2024-q4", ("kvartal", 2024, 4)),
        ("K2 2024", ("kvartal", 2024, 2)),
        ("2024-03", ("maaned", 2024, 3)),
        ("3.2024", ("maaned", 2024, 3)),
        ("mars 2024", ("maaned", 2024, 3)),
        ("Desember 2024", ("maaned", 2024, 12)),
        ("2024-13", None),
        ("K5 2024", None),
        ("våren 2024", None),
    ],
)
def test_it_reads_periods_as_norwegians_write_them(text: str, expected: tuple[str, int, int] | None) -> None:
    assert parse_period(text) == expected


def test_it_imports_values_for_years_quarters_and_months(
    network: Network, indicators: dict[str, Indicator], alice: User
) -> None:
    apply(network, GOOD, alice)
    assert stored(network) == [
        ("Dokumenterte tilsyn", 2024, 1, Decimal(40)),
        ("Dokumenterte tilsyn", 2024, 2, Decimal("51.5")),
        ("Dokumenterte tilsyn", 2024, 3, Decimal(0)),
        ("Henvisninger barnepalliasjon", 2024, 0, Decimal(12)),
        ("Telefoniske kontakter", 2024, 3, Decimal(100)),
        ("Telefoniske kontakter", 2024, 4, Decimal(30)),
        ("Telefoniske kontakter", 2024, 5, Decimal(22)),
    ]
    entries = AuditEntry.objects.filter(action="plans.indicator_values_imported")
    assert entries.count() == 3
    assert sorted(entries.get(target_id=str(indicators["quarter"].pk)).fields) == [
        "2024-K1",
        "2024-K2",
        "2024-K3",
    ]


def test_importing_again_changes_nothing_and_a_new_value_updates(
    network: Network, indicators: dict[str, Indicator]
) -> None:
    apply(network, GOOD)
    again = IndicatorValuesImporter(network).preview_file(csv(GOOD), "verdier.csv")
    assert (again.to_create, again.to_update, again.unchanged, again.has_changes) == (0, 0, 7, False)
    apply(network, "indikator;periode;verdi\nHenvisninger barnepalliasjon;2024;13\n")
    assert ("Henvisninger barnepalliasjon", 2024, 0, Decimal(13)) in stored(network)
    assert len(stored(network)) == 7


def test_an_unknown_or_computed_indicator_is_a_row_error_naming_it(
    network: Network, indicators: dict[str, Indicator]
) -> None:
    errors = preview(network, "indikator;periode;verdi\nUkjent;2024;1\nVeiledninger;2024;2\n")
    assert len(errors) == 2
    assert errors[0].startswith("2:indikator:") and "Ukjent" in errors[0]
    assert errors[1].startswith("3:indikator:") and "Veiledninger" in errors[1]


def test_a_period_of_the_wrong_kind_is_refused_with_an_example(
    network: Network, indicators: dict[str, Indicator]
) -> None:
    errors = preview(
        network,
        "indikator;periode;verdi\nDokumenterte tilsyn;2024-03;4\nHenvisninger barnepalliasjon;2024-K1;2\n",
    )
    assert errors[0].startswith("2:periode:") and "2024-K1" in errors[0]
    assert errors[1].startswith("3:periode:") and "2024" in errors[1]


@pytest.mark.parametrize("value", ["-1", "mange", ""])
def test_a_value_that_is_not_a_non_negative_number_is_refused(
    network: Network, indicators: dict[str, Indicator], value: str
) -> None:
    errors = preview(network, f"indikator;periode;verdi\nHenvisninger barnepalliasjon;2024;{value}\n")
    assert len(errors) == 1 and errors[0].startswith("2:verdi:")


def test_the_same_period_twice_is_refused(network: Network, indicators: dict[str, Indicator]) -> None:
    errors = preview(
        network,
        "indikator;periode;verdi\nHenvisninger barnepalliasjon;2024;1\nhenvisninger barnepalliasjon;2024;2\n",
    )
    assert len(errors) == 1 and errors[0].startswith("3:periode:") and "2" in errors[0]


@pytest.mark.parametrize(
    "header", ["navn", "Fødselsnummer", "pasient", "E-post", "telefon", "fnr", "Etternavn"]
)
def test_a_file_with_a_person_column_is_refused_as_a_whole(
    network: Network, indicators: dict[str, Indicator], header: str
) -> None:
    errors = preview(network, f"indikator;periode;verdi;{header}\nHenvisninger barnepalliasjon;2024;12;x\n")
    assert len(errors) == 1
    message = nb(
        "The column “%(column)s” looks like a column about persons. Fagnett stores only aggregate counts, "
        "never patient or person data: remove the column and upload the file again.",
        column=header.lower(),
    )
    assert errors[0] == f"1:{header.lower()}: {message}"
    apply_refused = IndicatorValuesImporter(network)
    with pytest.raises(ImportRejected):
        apply_refused.apply(
            apply_refused.preview_file(
                csv(f"indikator;periode;verdi;{header}\nHenvisninger barnepalliasjon;2024;12;x\n"), "v.csv"
            ),
            actor=None,
        )
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("cell", ["01020312345", "010203 12345"])
def test_a_file_with_an_11_digit_number_anywhere_is_refused(
    network: Network, indicators: dict[str, Indicator], cell: str
) -> None:
    text = (
        "indikator;periode;verdi;merknad\n"
        "Henvisninger barnepalliasjon;2024;12;\n"
        f"Dokumenterte tilsyn;2024-K1;3;{cell}\n"
    )
    errors = preview(network, text)
    assert len(errors) == 1 and errors[0].startswith("3:merknad:") and "11" in errors[0]
    errors = preview(network, f"indikator;periode;verdi\nHenvisninger barnepalliasjon;2024;{cell}\n")
    assert len(errors) == 1 and errors[0].startswith("2:verdi:")


def test_one_bad_row_saves_nothing(network: Network, indicators: dict[str, Indicator]) -> None:
    importer = IndicatorValuesImporter(network)
    result = importer.preview_file(csv(GOOD + "Ukjent;2024;1\n"), "v.csv")
    assert not result.ok
    assert not IndicatorValue.objects.exists()


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_coordinator_uploads_previews_and_confirms(
    client: Client, network: Network, alice: User, indicators: dict[str, Indicator]
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:values_import", args=(network.slug,)),
        {"file": SimpleUploadedFile("verdier.csv", csv(GOOD), content_type="text/csv")},
    )
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200
    assert not IndicatorValue.objects.exists()
    assert "Telefoniske kontakter" in page.content.decode()
    assert client.post(preview_url).status_code == 302
    assert len(stored(network)) == 7


def test_no_one_else_opens_the_preview_or_uploads(
    client: Client,
    request: pytest.FixtureRequest,
    network: Network,
    alice: User,
    indicators: dict[str, Indicator],
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:values_import", args=(network.slug,)),
        {"file": SimpleUploadedFile("verdier.csv", csv(GOOD), content_type="text/csv")},
    )
    preview_url = response["Location"]
    for name in ("carl", "rolf", "rita", "lena", "charlie", "nobody"):
        login(client, request.getfixturevalue(name))
        assert client.get(preview_url).status_code == 404, name
        assert client.post(preview_url).status_code == 404, name
        upload = SimpleUploadedFile("verdier.csv", csv(GOOD), content_type="text/csv")
        assert (
            client.post(reverse("plans:values_import", args=(network.slug,)), {"file": upload}).status_code
            == 404
        )
    assert not IndicatorValue.objects.exists()


def test_the_template_has_the_header_and_two_example_rows_that_import(
    client: Client, network: Network, alice: User, indicators: dict[str, Indicator]
) -> None:
    login(client, alice)
    response = client.get(reverse("plans:values_template", args=(network.slug,)))
    table = read_table(response.content, "mal.csv")
    assert table.headers == ["indikator", "periode", "verdi"]
    assert len(table.rows) == 2
    result = IndicatorValuesImporter(network).preview_file(response.content, "mal.csv")
    assert result.ok


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_imports_again_unchanged(
    client: Client, network: Network, rolf: User, indicators: dict[str, Indicator], fmt: str
) -> None:
    apply(network, GOOD)
    login(client, rolf)
    response = client.get(reverse("plans:values_export", args=(network.slug, fmt)))
    assert response.status_code == 200
    result = IndicatorValuesImporter(network).preview_file(response.content, f"verdier.{fmt}")
    assert result.ok, result.errors
    assert (result.unchanged, result.has_changes) == (7, False)
    # Into a network without values, the export recreates them.
    IndicatorValue.objects.all().delete()
    IndicatorValuesImporter(network).apply(
        IndicatorValuesImporter(network).preview_file(response.content, f"v.{fmt}"), actor=None
    )
    assert len(stored(network)) == 7
    assert ("Dokumenterte tilsyn", 2024, 2, Decimal("51.5")) in stored(network)


def test_an_unknown_export_format_is_404(client: Client, network: Network, alice: User) -> None:
    login(client, alice)
    assert client.get(reverse("plans:values_export", args=(network.slug, "pdf"))).status_code == 404


def test_the_export_holds_only_this_networks_values(
    client: Client, network: Network, other_network: Network, alice: User, indicators: dict[str, Indicator]
) -> None:
    foreign = Indicator.objects.create(network=other_network, name="Fremmed", source=IndicatorSource.ENTERED)
    IndicatorValue.objects.create(indicator=foreign, year=2024, period=0, value=Decimal(1))
    login(client, alice)
    content = client.get(reverse("plans:values_export", args=(network.slug, "csv"))).content
    assert b"Fremmed" not in content
    assert io.BytesIO(content).read().startswith("\ufeff".encode())

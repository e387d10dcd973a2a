"""Importing a dissemination plan's measures (upload → preview → confirm), the template and the exports."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.lib.tabular import Cell, read_table, to_csv, to_xlsx
from fagnett.networks.models import Network
from fagnett.plans.dissemination_import import COLUMN_NAMES, DisseminationImporter
from fagnett.plans.models import (
    DisseminationPlan,
    Measure,
    MeasureCategory,
    MeasureStatus,
    MeasureYear,
    TargetGroup,
)
from tests.conftest import login
from tests.helpers import nb, needs_pdftotext, pdf_text
from tests.plans.test_dissemination_views import make_measure, make_plan

NOW = dt.datetime(2024, 9, 1, 12, 0, tzinfo=dt.UTC)
HEADER = list(COLUMN_NAMES)


def _url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=["barnepalliasjon", *args])


def xlsx(*rows: list[Cell], header: list[str] | None = None) -> bytes:
    return to_xlsx([header or HEADER, *rows])


def row(
    kategori: Cell = "Nettverksarbeid",
    tiltak: Cell = "Nettverksmøter",
    maalgruppe: Cell = "H",
    virkemidler: Cell = "Opprette lokale nettverk\nRegelmessige møter",
    fra_aar: Cell = 2024,
    til_aar: Cell = 2034,
    loepende: Cell = "nei",
    satsingsomraade: Cell = "",
) -> list[Cell]:
    return [kategori, tiltak, maalgruppe, virkemidler, fra_aar, til_aar, loepende, satsingsomraade]


@pytest.fixture
def plan(network: Network) -> DisseminationPlan:
    return make_plan(network)


def preview_of(plan: DisseminationPlan, data: bytes, name: str = "plan.xlsx") -> Any:
    return DisseminationImporter(plan).preview_file(data, name)


def errors_of(plan: DisseminationPlan, data: bytes, name: str = "plan.xlsx") -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in preview_of(plan, data, name).errors]


def upload(client: Client, plan: DisseminationPlan, data: bytes, name: str = "plan.xlsx") -> str:
    response = client.post(_url("plan_import", plan.pk), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


# --- The file's rows ----------------------------------------------------------------------------------------


def test_it_reads_categories_and_target_groups_by_code_or_name(
    plan: DisseminationPlan, network: Network
) -> None:
    TargetGroup.objects.create(network=network, code="LIS", name="LIS-leger")
    preview = preview_of(
        plan,
        xlsx(
            row(kategori="nettverksarbeid", maalgruppe="H, pasienter og pårørende, lis-leger"),
            row(
                kategori="Informasjon om tjenesten", tiltak="Nettside", maalgruppe="", virkemidler="A; B ;; C"
            ),
        ),
    )
    assert preview.errors == []
    first, second = preview.items
    assert [group.code for group in first.target_groups] == ["H", "P", "LIS"]
    assert second.category.code == "informasjon"
    assert second.means == "A\nB\nC"
    assert preview.to_create == 2


@pytest.mark.parametrize(
    ("cells", "column", "message", "params"),
    [
        (
            {"kategori": "Sirkus"},
            "kategori",
            "The category “%(value)s” does not exist. Use its code or name, or add it first.",
            {"value": "Sirkus"},
        ),
        ({"kategori": None}, "kategori", "A value is required.", {}),
        ({"tiltak": None}, "tiltak", "A value is required.", {}),
        (
            {"maalgruppe": "H, Sirkusartister"},
            "maalgruppe",
            "The target group “%(value)s” does not exist. Use a code or name, or add it first.",
            {"value": "Sirkusartister"},
        ),
        (
            {"fra_aar": "20x4"},
            "fra_aar",
            "“%(value)s” is not a year. Write four digits from %(first)s to %(last)s, or leave it empty.",
            {"value": "20x4", "first": 1950, "last": 2100},
        ),
        (
            {"til_aar": 1800},
            "til_aar",
            "“%(value)s” is not a year. Write four digits from %(first)s to %(last)s, or leave it empty.",
            {"value": "1800", "first": 1950, "last": 2100},
        ),
        ({"fra_aar": 2030, "til_aar": 2024}, "til_aar", "“To year” cannot be before “From year”.", {}),
        (
            {"loepende": "ja", "til_aar": 2030},
            "til_aar",
            "An ongoing measure has no “To year”: leave it empty, or untick “Ongoing”.",
            {},
        ),
        (
            {"loepende": "kanskje"},
            "loepende",
            "“%(value)s” is not yes or no. Write ja, nei, x or leave it empty.",
            {"value": "kanskje"},
        ),
        (
            {"satsingsomraade": "2"},
            "satsingsomraade",
            "“%(value)s” is not yes or no. Write ja, nei, x or leave it empty.",
            {"value": "2"},
        ),
        (
            {"tiltak": "x" * 301},
            "tiltak",
            "The value is too long (%(length)s characters; at most %(max)s).",
            {"length": 301, "max": 300},
        ),
    ],
)
def test_it_refuses_a_bad_row_naming_the_row_and_column(
    plan: DisseminationPlan, cells: dict[str, Cell], column: str, message: str, params: dict[str, Any]
) -> None:
    values = dict(zip(HEADER, row(), strict=True)) | cells
    assert errors_of(plan, xlsx(row(tiltak="Et annet tiltak"), [values[name] for name in HEADER])) == [
        (3, column, nb(message, **params))
    ]


def test_it_refuses_a_file_without_a_required_column(plan: DisseminationPlan) -> None:
    header = [name for name in HEADER if name != "kategori"]
    errors = errors_of(plan, xlsx(row()[1:], header=header))
    assert errors == [(1, "kategori", nb("The required column “%(column)s” is missing.", column="kategori"))]


def test_it_refuses_the_same_measure_twice_in_one_file(plan: DisseminationPlan) -> None:
    errors = errors_of(plan, xlsx(row(), row(tiltak=" nettverksmøter ")))
    assert errors == [
        (
            3,
            "tiltak",
            nb(
                "The measure “%(title)s” in the category “%(category)s” is also on row %(row)s.",
                title="nettverksmøter",
                category="Nettverksarbeid",
                row=2,
            ),
        )
    ]


def test_it_refuses_a_category_of_another_network(plan: DisseminationPlan, other_network: Network) -> None:
    MeasureCategory.objects.create(network=other_network, code="bergen", name="Bergenskategori")
    assert errors_of(plan, xlsx(row(kategori="Bergenskategori")))[0][1] == "kategori"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ja", True),
        ("JA", True),
        ("x", True),
        ("true", True),
        (True, True),
        ("nei", False),
        ("", False),
        (None, False),
        ("false", False),
        (False, False),
    ],
)
def test_it_reads_yes_and_no(plan: DisseminationPlan, value: Cell, expected: bool) -> None:
    preview = preview_of(plan, xlsx(row(satsingsomraade=value, loepende=value, til_aar=None)))
    assert preview.errors == []
    assert (preview.items[0].priority_area, preview.items[0].ongoing) == (expected, expected)


def test_it_reads_a_semicolon_separated_csv(plan: DisseminationPlan) -> None:
    data = to_csv([HEADER, row(virkemidler="Nettside; Nyhetsbrev", maalgruppe="H, P")])
    preview = preview_of(plan, data, "plan.csv")
    assert preview.errors == []
    assert preview.items[0].means == "Nettside\nNyhetsbrev"


# --- Upload, preview and confirm ----------------------------------------------------------------------------


def test_the_coordinator_imports_a_file_after_the_preview(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    login(client, alice)
    preview_url = upload(client, plan, xlsx(row(), row(tiltak="Fagdag", satsingsomraade="x")))
    content = html.unescape(client.get(preview_url).content.decode())
    assert "Fagdag" in content
    assert nb("Confirm and import") in content
    assert not Measure.objects.exists()
    response = client.post(preview_url)
    assert response["Location"] == _url("plan_detail", plan.pk)
    measures = list(Measure.objects.filter(plan=plan).order_by("position"))
    assert [(m.title, m.priority_area, m.from_year, m.to_year) for m in measures] == [
        ("Nettverksmøter", False, 2024, 2034),
        ("Fagdag", True, 2024, 2034),
    ]
    assert AuditEntry.objects.filter(action="plans.measure_created").count() == 2
    assert AuditEntry.objects.filter(action="plans.measures_imported").count() == 1


def test_importing_the_same_file_again_creates_nothing_and_a_changed_row_updates(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    login(client, alice)
    data = xlsx(row(), row(tiltak="Fagdag"))
    client.post(upload(client, plan, data))
    again = upload(client, plan, data)
    content = html.unescape(client.get(again).content.decode())
    assert nb("Nothing to import: what is stored already matches the file.") in content
    client.post(again)
    assert Measure.objects.count() == 2
    client.post(upload(client, plan, xlsx(row(virkemidler="Bare én", maalgruppe="P, H"))))
    assert Measure.objects.count() == 2
    changed = Measure.objects.get(title="Nettverksmøter")
    assert changed.means == "Bare én"
    assert {group.code for group in changed.target_groups.all()} == {"H", "P"}
    assert set(AuditEntry.objects.get(action="plans.measure_updated").fields) == {"means", "target_groups"}


def test_a_file_with_one_bad_row_imports_nothing(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    login(client, alice)
    preview_url = upload(client, plan, xlsx(row(), row(tiltak="Fagdag", fra_aar="neste år")))
    content = html.unescape(client.get(preview_url).content.decode())
    assert (
        nb("Nothing will be saved. Correct the rows listed below in the file and upload it again.") in content
    )
    assert "neste år" in content
    assert client.post(preview_url).status_code == 200
    assert not Measure.objects.exists()


def test_an_unreadable_file_is_an_error_not_a_crash(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    login(client, alice)
    preview_url = upload(client, plan, b"not a spreadsheet", name="plan.xlsx")
    content = html.unescape(client.get(preview_url).content.decode())
    assert nb("Errors in the file: %(count)s.", count=1).strip() in " ".join(content.split())
    response = client.post(_url("plan_import", plan.pk), {"file": SimpleUploadedFile("plan.txt", b"x")})
    assert nb("Choose an .xlsx or a .csv file.") in html.unescape(response.content.decode())


def test_a_preview_belongs_to_its_plan_and_uploader(
    client: Client,
    alice: User,
    network: Network,
    plan: DisseminationPlan,
    other_plan_of_alice: DisseminationPlan,
) -> None:
    login(client, alice)
    preview_url = upload(client, plan, xlsx(row()))
    upload_pk = int(re.findall(r"/import/([0-9]+)/", preview_url)[0])
    elsewhere = _url("plan_import_preview", other_plan_of_alice.pk, upload_pk)
    assert client.get(elsewhere).status_code == 404
    assert client.post(elsewhere).status_code == 404
    assert client.get(_url("plan_import_preview", plan.pk, 123)).status_code == 404
    assert not Measure.objects.exists()


@pytest.fixture
def other_plan_of_alice(network: Network) -> DisseminationPlan:
    return make_plan(network, title="Annen plan")


@pytest.mark.parametrize("persona", ["carl", "rolf", "rita", "lena", "charlie", "nobody"])
def test_nobody_but_the_coordinator_previews_or_confirms_an_import(
    client: Client, request: pytest.FixtureRequest, alice: User, plan: DisseminationPlan, persona: str
) -> None:
    preview_url = upload(login(Client(), alice), plan, xlsx(row()))
    login(client, request.getfixturevalue(persona))
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert (
        client.post(
            _url("plan_import", plan.pk), {"file": SimpleUploadedFile("p.xlsx", xlsx(row()))}
        ).status_code
        == 404
    )
    assert not Measure.objects.exists()


# --- Template and exports -----------------------------------------------------------------------------------


def test_the_template_has_the_columns_and_two_example_rows_that_import(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    login(client, alice)
    response = client.get(_url("plan_template"))
    assert response["Content-Disposition"] == 'attachment; filename="kompetansespredningsplan-mal.xlsx"'
    table = read_table(response.content, "mal.xlsx")
    assert table.headers == HEADER
    assert len(table.rows) == 2
    preview = preview_of(plan, response.content)
    assert preview.errors == []
    assert preview.to_create == 2


@time_machine.travel(NOW, tick=False)
def test_the_excel_export_imports_again_to_the_same_measures(
    client: Client, rolf: User, alice: User, network: Network, plan: DisseminationPlan
) -> None:
    TargetGroup.objects.create(network=network, code="LIS", name="LIS-leger")
    make_measure(
        plan,
        title="Nettside",
        category_code="informasjon",
        target_groups=("H", "P"),
        means="Nettside\nFolder",
        ongoing=True,
        priority_area=True,
    )
    lis = make_measure(
        plan,
        title="Læringsmål for LIS",
        category_code="utdanning",
        target_groups=(),
        from_year=2023,
        to_year=2024,
    )
    lis.target_groups.add(TargetGroup.objects.get(code="LIS"))
    make_measure(plan, title='=HYPERLINK("http://example.com")', category_code="annet", target_groups=())
    MeasureYear.objects.create(measure=lis, year=2024, status=MeasureStatus.DONE, comment="Ferdig")
    login(client, rolf)
    response = client.get(_url("plan_export", plan.pk, "xlsx"))
    assert response.status_code == 200
    assert "kompetansespredningsplan-kompetansespredningsplan.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    plan_sheet, status_sheet = workbook.worksheets
    assert [cell.value for cell in plan_sheet[1]] == HEADER
    formula = [cell for cell in plan_sheet["B"] if str(cell.value).startswith("=")]
    assert formula and all(cell.data_type == "s" for cell in formula)
    assert [cell.value for cell in status_sheet[2]] == [
        "Utdanning og kursvirksomhet",
        "Læringsmål for LIS",
        2024,
        nb("Done"),
        "Ferdig",
    ]

    def shape(of: DisseminationPlan) -> list[tuple[Any, ...]]:
        return sorted(
            (
                m.category.code,
                m.title,
                sorted(group.code for group in m.target_groups.all()),
                m.means,
                m.from_year,
                m.to_year,
                m.ongoing,
                m.priority_area,
            )
            for m in of.measures.all()
        )

    # Into the same plan: nothing changes. Into an empty plan: the same measures.
    same = DisseminationImporter(plan).preview_file(response.content, "plan.xlsx")
    assert same.errors == [] and not same.has_changes
    empty = make_plan(network, title="Kopi")
    importer = DisseminationImporter(empty)
    importer.apply(importer.preview_file(response.content, "plan.xlsx"), actor=alice)
    assert shape(empty) == shape(plan)


def test_an_unknown_export_format_answers_404(client: Client, rolf: User, plan: DisseminationPlan) -> None:
    login(client, rolf)
    assert client.get(_url("plan_export", plan.pk, "csv")).status_code == 404
    assert client.get(_url("plan_export", plan.pk, "docx")).status_code == 404


@needs_pdftotext
@time_machine.travel(NOW, tick=False)
def test_the_pdf_holds_the_plans_table(
    client: Client, rolf: User, network: Network, plan: DisseminationPlan, tmp_path: Path
) -> None:
    make_measure(
        plan,
        title="Regionale fagnettverk",
        means="Workshop med ledere",
        priority_area=True,
        per_year_min=2,
        per_year_max=4,
    )
    make_measure(
        plan,
        title="Egen nettside",
        category_code="informasjon",
        target_groups=("P", "B"),
        ongoing=True,
        from_year=2021,
    )
    login(client, rolf)
    response = client.get(_url("plan_export", plan.pk, "pdf") + "?aar=2024")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Kompetansespredningsplan 2024–2034",
        "Regionale fagnettverk",
        "Workshop med ledere",
        "Egen nettside",
        nb("Continuous from %(year)s", year=2021),
        "Pasienter og pårørende (P)",
        network.name,
        nb("PRIORITY AREA"),
    ):
        assert expected in text, expected
    assert nb("Page %(page)s of %(pages)s", page=1, pages=1) in text

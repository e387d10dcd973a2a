"""Upload, preview and confirm pages of the roster import, and the template download."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.imports import RosterImporter
from fagnett.networks.models import LocalChapter, Membership, Network, Person, Role, Workplace
from tests.conftest import add_member, login, make_user
from tests.helpers import count_queries, nb
from tests.networks.test_import_roster import csv_bytes, person_row, row

SLUG = "barnepalliasjon"
UPLOAD = reverse("networks:import_upload", args=[SLUG])
OUTSIDERS = ["carl", "rita", "lena", "rolf", "charlie", "nobody"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def snapshot() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Membership.objects.count(),
        Workplace.objects.count(),
        AuditEntry.objects.filter(network__isnull=False).count(),  # not the log-in entries
    )


def upload(client: Client, data: bytes, name: str = "liste.csv") -> Any:
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def preview_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    url: str = response["Location"]
    assert url.startswith(f"/n/{SLUG}/import/")
    return url


# --- Upload -----------------------------------------------------------------------------------------------


def test_the_coordinator_sees_the_upload_form_with_template_links_and_columns(
    client: Client, alice: User
) -> None:
    response = login(client, alice).get(UPLOAD)
    assert response.status_code == 200
    assert response.context["nav"] == "import"
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".xlsx,.csv"' in page
    assert reverse("networks:import_template", args=[SLUG, "xlsx"]) in page
    assert reverse("networks:import_template", args=[SLUG, "csv"]) in page
    for name in RosterImporter.column_names():
        assert f"<code>{name}</code>" in page


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", ["import_upload", "import_template"])
def test_everyone_but_the_network_coordinator_gets_404(
    client: Client, persona: str, name: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("alice")
    user = request.getfixturevalue(persona)
    args = [SLUG, "xlsx"] if name == "import_template" else [SLUG]
    login(client, user)
    assert client.get(reverse(f"networks:{name}", args=args)).status_code == 404
    if name == "import_upload":
        assert upload(client, csv_bytes([row()])).status_code == 404


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_nobody_else_sees_or_confirms_the_coordinators_preview(
    client: Client, alice: User, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    url = preview_url(upload(login(client, alice), csv_bytes([row()])))
    before = snapshot()
    other = login(Client(), user)
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client: Client, network: Network) -> None:
    for url in (
        UPLOAD,
        reverse("networks:import_template", args=[SLUG, "csv"]),
        f"/n/{SLUG}/import/123456789/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_an_upload_is_stored_for_its_uploader_and_nothing_is_written(
    client: Client, alice: User, network: Network, media: Path
) -> None:
    before = snapshot()
    url = preview_url(upload(login(client, alice), csv_bytes([row()])))
    pk = int(url.rstrip("/").rsplit("/", 1)[1])
    assert 100_000_000 <= pk <= 999_999_999
    stored = media / "imports" / f"{network.pk}-{pk}.csv"
    assert stored.read_bytes() == csv_bytes([row()])
    sidecar = json.loads((media / "imports" / f"{network.pk}-{pk}.meta.json").read_text())
    assert (sidecar["user_id"], sidecar["network_id"], sidecar["name"], sidecar["kind"]) == (
        alice.pk,
        network.pk,
        "liste.csv",
        "roster",
    )
    assert len(sidecar["sha256"]) == 64
    assert snapshot() == before


def test_another_coordinator_of_the_same_network_cannot_open_the_upload(
    client: Client, alice: User, network: Network
) -> None:
    url = preview_url(upload(login(client, alice), csv_bytes([row()])))
    anna = make_user("anna@example.no", "Anna Koordinator")
    add_member(network, anna, anna.email, Role.COORDINATOR, dt.date(2020, 1, 1))
    assert login(Client(), anna).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "message"),
    [("liste.xls", "Choose an .xlsx or a .csv file."), ("liste.txt", "Choose an .xlsx or a .csv file.")],
)
def test_it_refuses_other_file_types(
    client: Client, alice: User, media: Path, name: str, message: str
) -> None:
    response = upload(login(client, alice), b"a;b\n", name)
    assert response.status_code == 200
    assert nb(message) in response.content.decode()
    assert 'class="ds-error-summary"' in response.content.decode()
    assert not (media / "imports").exists() or not any((media / "imports").iterdir())


def test_it_refuses_a_post_without_a_file(client: Client, alice: User) -> None:
    response = login(client, alice).post(UPLOAD, {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_new_upload_removes_uploads_older_than_a_day(client: Client, alice: User, media: Path) -> None:
    (media / "imports").mkdir(parents=True)
    old = media / "imports" / "1-111111111.csv"
    old.write_bytes(b"gammel")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    recent = media / "imports" / "1-222222222.csv"
    recent.write_bytes(b"ny")
    preview_url(upload(login(client, alice), csv_bytes([row()])))
    assert not old.exists()
    assert recent.exists()


# --- Preview and confirm ---------------------------------------------------------------------------------


def test_the_preview_shows_counts_and_what_would_change(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    url = preview_url(upload(client, csv_bytes([row(), person_row(2), row(rolle="arbeidsgruppe")])))
    before = snapshot()
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["nav"] == "import"
    preview = response.context["preview"]
    assert (preview.rows_total, preview.to_create, preview.to_add, preview.errors) == (3, 2, 3, [])
    page = response.content.decode()
    assert nb("Persons the import adds") in page
    assert "kari@example.no" in page
    assert "Hjemmetjenesten Madla" in page
    assert "01.01.2024" in page
    assert nb("Confirm and import") in page
    assert snapshot() == before


def test_the_preview_lists_errors_and_offers_no_confirm(client: Client, alice: User) -> None:
    login(client, alice)
    url = preview_url(upload(client, csv_bytes([row(), person_row(2, epost="feil", startdato="32.01.2024")])))
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert nb("Nothing will be saved. Correct the rows listed below in the file and upload it again.") in page
    assert nb("Confirm and import") not in page
    assert "<code>epost</code>" in page
    assert nb("“%(value)s” is not a valid e-mail address.", value="feil") in page
    assert nb("“%(value)s” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.", value="32.01.2024") in page
    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "epost"), (3, "startdato")]
    before = snapshot()
    assert client.post(url).status_code == 200
    assert snapshot() == before


def test_an_unreadable_file_is_shown_as_an_error(client: Client, alice: User) -> None:
    login(client, alice)
    url = preview_url(upload(client, b"not a workbook", "liste.xlsx"))
    response = client.get(url)
    assert (
        nb("The file cannot be read. Save it as an Excel file (.xlsx) or as CSV.")
        in response.content.decode()
    )
    assert nb("Confirm and import") not in response.content.decode()


def test_confirming_imports_everything_and_returns_to_the_roster(
    client: Client, alice: User, network: Network, chapter: LocalChapter, media: Path
) -> None:
    login(client, alice)
    url = preview_url(upload(client, csv_bytes([row(lokallag="Stavanger"), person_row(2)])))
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:roster", args=[SLUG])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        nb(
            "The import is done. New persons: %(created)s, changed: %(updated)s, new memberships: %(added)s, "
            "ended: %(ended)s.",
            created=2,
            updated=0,
            added=2,
            ended=0,
        )
    ]
    kari = Person.objects.get(network=network, email="kari@example.no")
    assert kari.memberships.get().chapter == chapter
    summary = AuditEntry.objects.get(action="roster.imported")
    assert (summary.actor, summary.data["persons_created"]) == (alice, 2)
    # The stored file is gone once it is imported; the preview address with it.
    assert list((media / "imports").iterdir()) == []
    assert client.get(url).status_code == 404


def test_a_file_that_changes_nothing_says_so(client: Client, alice: User, network: Network) -> None:
    RosterImporter(network).apply(
        RosterImporter(network).preview_file(csv_bytes([row()]), "a.csv"), actor=None
    )
    login(client, alice)
    url = preview_url(upload(client, csv_bytes([row()])))
    page = client.get(url).content.decode()
    assert nb("Nothing to import: the roster already matches the file.") in page
    assert nb("Confirm and import") not in page
    before = snapshot()
    client.post(url)
    assert snapshot() == before


def test_confirming_after_the_roster_changed_writes_nothing_and_shows_why(
    client: Client, alice: User, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, alice)
    url = preview_url(upload(client, csv_bytes([row()])))
    before = snapshot()

    def somebody_else_adds_kari_first(importer: RosterImporter) -> None:
        # Runs inside the import's transaction, after the page's own check and before the final one.
        add_member(network, None, "kari@example.no", Role.RESOURCE_PERSON, dt.date(2023, 6, 1))

    monkeypatch.setattr(RosterImporter, "lock", somebody_else_adds_kari_first)
    response = client.post(url)
    assert response.status_code == 200
    assert snapshot() == before
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "startdato")]
    assert (
        nb("The roster changed after the preview was made, and the file no longer fits. Nothing was saved.")
        in response.content.decode()
    )


def test_a_tampered_stored_file_is_404(client: Client, alice: User, network: Network, media: Path) -> None:
    login(client, alice)
    url = preview_url(upload(client, csv_bytes([row()])))
    stored = next((media / "imports").glob("*.csv"))
    stored.write_bytes(csv_bytes([row(epost="annen@example.no")]))
    assert client.get(url).status_code == 404


def test_an_unknown_preview_is_404(client: Client, alice: User) -> None:
    assert login(client, alice).get(f"/n/{SLUG}/import/123456789/").status_code == 404


def test_the_preview_page_runs_a_fixed_number_of_queries(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    small = preview_url(upload(client, csv_bytes([person_row(i) for i in range(5)])))
    large = preview_url(upload(client, csv_bytes([person_row(i) for i in range(60)])))
    assert count_queries(lambda: client.get(small)) == count_queries(lambda: client.get(large))


# --- Template -----------------------------------------------------------------------------------------------


def test_the_xlsx_template_has_the_columns_and_an_example_that_imports(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    response = login(client, alice).get(reverse("networks:import_template", args=[SLUG, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="personimport-mal.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))
    assert list(header) == RosterImporter.column_names()
    values = dict(zip(header, example, strict=True))
    assert values["kommunenummer"] == "1103"
    assert values["lokallag"] == "Stavanger"
    assert isinstance(values["startdato"], dt.datetime)
    preview = RosterImporter(network).preview_file(response.content, "mal.xlsx")
    assert (preview.errors, preview.to_create) == ([], 1)


def test_the_csv_template_is_semicolon_separated_utf8_with_bom(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).get(reverse("networks:import_template", args=[SLUG, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(RosterImporter.column_names())
    assert "kari.nordmann@example.no" in lines[1]
    preview = RosterImporter(network).preview_file(response.content, "mal.csv")
    assert (preview.errors, preview.to_create) == ([], 1)


def test_an_unknown_template_format_is_404(client: Client, alice: User) -> None:
    assert (
        login(client, alice).get(reverse("networks:import_template", args=[SLUG, "pdf"])).status_code == 404
    )

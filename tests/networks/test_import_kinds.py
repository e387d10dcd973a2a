"""The import pages for the network's history: activities, attendance and job shadowing, on the same
upload → preview → confirm pages as the roster."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
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
from fagnett.activities.models import Activity, ActivityKind, Attendance, AttendanceStatus, Shadowing, Theme
from fagnett.networks.models import Network, Person, Workplace
from tests.conftest import login
from tests.helpers import count_queries, nb

SLUG = "barnepalliasjon"
UPLOAD = reverse("networks:import_upload", args=[SLUG])
OUTSIDERS = ["carl", "rita", "rolf", "charlie", "nobody"]

HEADERS = {
    "aktiviteter": [
        "aktivitetstype",
        "tittel",
        "startdato",
        "sluttdato",
        "timer",
        "sted",
        "lokallag",
        "tema",
        "andre_deltakere",
    ],
    "oppmote": ["epost", "tittel", "startdato", "timer", "status"],
    "hospitering": ["epost", "vertsarbeidssted", "vertskommunenummer", "startdato", "sluttdato", "dager"],
}
VALID = {
    "aktiviteter": {
        "aktivitetstype": "nettverkssamling",
        "tittel": "Smertelindring hos barn",
        "startdato": "12.03.2024",
        "timer": "6",
        "tema": "Smertelindring; Pårørende",
    },
    "oppmote": {"epost": "rita@example.no", "tittel": "Sorg", "startdato": "10.04.2024", "status": "deltatt"},
    "hospitering": {
        "epost": "rita@example.no",
        "vertsarbeidssted": "Barneavdelingen SUS",
        "vertskommunenummer": "1103",
        "startdato": "04.03.2024",
        "sluttdato": "05.03.2024",
        "dager": "2",
    },
}
# One wrong cell per kind: (column, value, the message shown).
INVALID = {
    "aktiviteter": ("aktivitetstype", "ukjent", "Unknown activity type “%(value)s”. Use one of: %(codes)s."),
    "oppmote": ("epost", "ukjent@example.no", "No person in the network has the e-mail address %(email)s."),
    "hospitering": ("dager", "mange", "“%(value)s” is not a number. Write for example 6 or 3,5."),
}
STORED = {"aktiviteter": "activities", "oppmote": "attendance", "hospitering": "shadowing"}
REDIRECTS = {
    "aktiviteter": "activities:calendar",
    "oppmote": "activities:calendar",
    "hospitering": "activities:shadowings",
}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def history(network: Network, rita: User) -> Activity:
    """Rita is in the roster, and the activity the attendance file names exists."""
    return Activity.objects.create(
        network=network,
        kind=ActivityKind.GATHERING,
        title="Sorg",
        starts_on=dt.date(2024, 4, 10),
        ends_on=dt.date(2024, 4, 10),
        hours=Decimal(5),
    )


def csv_bytes(kind: str, rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS[kind])
    writer.writerows([[r.get(name, "") for name in HEADERS[kind]] for r in rows])
    return buffer.getvalue().encode("utf-8")


def upload(client: Client, kind: str, data: bytes) -> Any:
    return client.post(UPLOAD, {"type": kind, "file": SimpleUploadedFile("historikk.csv", data)})


def preview_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:800]
    url: str = response["Location"]
    assert url.startswith(f"/n/{SLUG}/import/")
    return url


def counts() -> tuple[int, ...]:
    return (
        Activity.objects.count(),
        Theme.objects.count(),
        Attendance.objects.count(),
        Shadowing.objects.count(),
        Workplace.objects.count(),
    )


# --- Upload page -------------------------------------------------------------------------------------------


def test_the_upload_form_asks_what_to_import_with_persons_chosen_by_default(
    client: Client, alice: User
) -> None:
    response = login(client, alice).get(UPLOAD)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<fieldset class="ds-fieldset" id="id_type"' in page
    assert f'<legend class="ds-label">{nb("What do you want to import?")}</legend>' in page
    for code in ("personer", "aktiviteter", "oppmote", "hospitering"):
        assert f'name="type" value="{code}"' in page
    assert response.context["form"]["type"].value() == "personer"


@pytest.mark.parametrize("kind", ["aktiviteter", "oppmote", "hospitering"])
def test_the_upload_page_for_a_kind_shows_its_columns_and_template_links(
    client: Client, alice: User, kind: str
) -> None:
    response = login(client, alice).get(UPLOAD, {"type": kind})
    page = response.content.decode()
    assert response.context["form"]["type"].value() == kind
    for name in HEADERS[kind]:
        assert f"<code>{name}</code>" in page
    for fmt in ("xlsx", "csv"):
        assert f"{reverse('networks:import_template', args=[SLUG, fmt])}?type={kind}" in page


def test_alice_gets_the_activity_upload_page(client: Client, alice: User) -> None:
    assert login(client, alice).get(UPLOAD, {"type": "aktiviteter"}).status_code == 200


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_everyone_but_the_network_coordinator_gets_404_on_the_activity_upload(
    client: Client, persona: str, history: Activity, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("alice")
    login(client, request.getfixturevalue(persona))
    assert client.get(UPLOAD, {"type": "aktiviteter"}).status_code == 404
    assert (
        client.get(
            reverse("networks:import_template", args=[SLUG, "csv"]), {"type": "aktiviteter"}
        ).status_code
        == 404
    )
    before = counts()
    assert upload(client, "aktiviteter", csv_bytes("aktiviteter", [VALID["aktiviteter"]])).status_code == 404
    assert counts() == before


def test_an_unknown_type_is_404(client: Client, alice: User) -> None:
    login(client, alice)
    assert client.get(UPLOAD, {"type": "ukjent"}).status_code == 404
    assert (
        client.get(reverse("networks:import_template", args=[SLUG, "csv"]), {"type": "ukjent"}).status_code
        == 404
    )


def test_a_wrong_choice_in_the_form_is_an_error_and_stores_nothing(
    client: Client, alice: User, media: Path
) -> None:
    response = upload(login(client, alice), "ukjent", csv_bytes("aktiviteter", [VALID["aktiviteter"]]))
    assert response.status_code == 200
    assert response.context["form"].errors["type"]
    assert not (media / "imports").exists() or list((media / "imports").iterdir()) == []


# --- Preview and confirm -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["aktiviteter", "oppmote", "hospitering"])
def test_a_valid_file_is_previewed_then_imported_on_confirm(
    client: Client, alice: User, network: Network, history: Activity, media: Path, kind: str
) -> None:
    login(client, alice)
    url = preview_url(upload(client, kind, csv_bytes(kind, [VALID[kind]])))
    pk = url.rstrip("/").rsplit("/", 1)[1]
    sidecar = json.loads((media / "imports" / f"{network.pk}-{pk}.meta.json").read_text())
    assert sidecar["kind"] == STORED[kind]
    before = counts()
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["kind"].code == kind
    assert response.context["summary"][0][1] == 1  # one new record
    assert nb("Confirm and import") in page
    assert '<th scope="row" class="fn-number">2</th>' in page  # the row it adds
    assert counts() == before  # the preview writes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(REDIRECTS[kind], args=[SLUG])
    assert len(list(get_messages(response.wsgi_request))) == 1
    assert list((media / "imports").iterdir()) == []
    rita = Person.objects.get(network=network, email="rita@example.no")
    if kind == "aktiviteter":
        activity = Activity.objects.get(network=network, title="Smertelindring hos barn")
        assert (activity.starts_on, activity.hours) == (dt.date(2024, 3, 12), Decimal(6))
        assert sorted(activity.themes.values_list("name", flat=True)) == ["Pårørende", "Smertelindring"]
    elif kind == "oppmote":
        attendance = Attendance.objects.get(activity=history, person=rita)
        assert (attendance.status, attendance.hours) == (AttendanceStatus.ATTENDED, Decimal(5))
    else:
        shadowing = Shadowing.objects.get(network=network, person=rita)
        assert (shadowing.host.name, shadowing.days) == ("Barneavdelingen SUS", Decimal(2))


@pytest.mark.parametrize("kind", ["aktiviteter", "oppmote", "hospitering"])
def test_an_invalid_row_shows_its_row_and_column_and_offers_no_confirm(
    client: Client, alice: User, history: Activity, kind: str
) -> None:
    login(client, alice)
    column, value, message = INVALID[kind]
    url = preview_url(upload(client, kind, csv_bytes(kind, [VALID[kind], {**VALID[kind], column: value}])))
    before = counts()
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, column)]
    assert f"<code>{column}</code>" in page
    assert '<th scope="row" class="fn-number">3</th>' in page
    params = {"value": value, "email": value, "codes": ", ".join(ActivityKind.values)}
    assert nb(message) % params in page.replace("&#x27;", "'")
    assert nb("Confirm and import") not in page
    assert client.post(url).status_code == 200
    assert counts() == before


def test_the_preview_of_an_activity_file_runs_a_fixed_number_of_queries(client: Client, alice: User) -> None:
    login(client, alice)

    def rows(n: int) -> list[dict[str, str]]:
        return [{**VALID["aktiviteter"], "tittel": f"Samling {i}"} for i in range(n)]

    small = preview_url(upload(client, "aktiviteter", csv_bytes("aktiviteter", rows(3))))
    large = preview_url(upload(client, "aktiviteter", csv_bytes("aktiviteter", rows(40))))
    assert count_queries(lambda: client.get(small)) == count_queries(lambda: client.get(large))


def test_an_activity_upload_is_not_found_as_another_users_preview(
    client: Client, alice: User, carl: User
) -> None:
    url = preview_url(
        upload(login(client, alice), "aktiviteter", csv_bytes("aktiviteter", [VALID["aktiviteter"]]))
    )
    assert login(Client(), carl).get(url).status_code == 404


# --- Templates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["aktiviteter", "oppmote", "hospitering"])
def test_the_template_of_each_kind_has_its_header_columns(client: Client, alice: User, kind: str) -> None:
    login(client, alice)
    response = client.get(reverse("networks:import_template", args=[SLUG, "csv"]), {"type": kind})
    assert response.status_code == 200
    assert "-mal.csv" in response["Content-Disposition"]
    assert "personimport" not in response["Content-Disposition"]
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header == HEADERS[kind]

    response = client.get(reverse("networks:import_template", args=[SLUG, "xlsx"]), {"type": kind})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert list(next(sheet.iter_rows(values_only=True))) == HEADERS[kind]

"""The coordinator's matrix of persons × requirements and its XLSX export (competence/views/matrix.py)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from fagnett.accounts.models import User
from fagnett.activities.models import ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.competence.models import CompetenceStatus
from fagnett.networks.models import LocalChapter, Membership, Network, Person, ServiceType, Workplace
from fagnett.places.models import Municipality
from tests.competence.helpers import attend, resource_person, shadow
from tests.conftest import login
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

SLUG = "barnepalliasjon"
URL = reverse("competence:matrix", args=[SLUG])
EXPORT = reverse("competence:matrix_export", args=[SLUG])
GATHERING = ActivityKind.GATHERING
STUDY_DAY = ActivityKind.STUDY_DAY
INTRO = ActivityKind.INTRO_COURSE


@pytest.fixture(autouse=True)
def _on_the_day() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class Matrix:
    anne: Person
    bjorn: Person
    cecilie: Person
    sandnes: LocalChapter


def workplace(network: Network, name: str, number: str, service_type: str) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name=name,
        service_type=ServiceType.objects.get(code=service_type, network=None),
        municipality=Municipality.objects.get(number=number),
    )


def place(person: Person, chapter: LocalChapter | None, at: Workplace | None) -> None:
    Membership.objects.filter(person=person).update(chapter=chapter)
    Person.objects.filter(pk=person.pk).update(workplace=at)


@pytest.fixture
def known(network: Network, chapter: LocalChapter) -> Matrix:
    """On 01.10.2025 with the default plan:
    - Anne Test (chapter Stavanger, home care in Stavanger, since 2023): intro course, 2 gatherings of 6 h
      and a study day in 2025; never shadowed (overdue).
    - Bjørn Test (chapter Sandnes, nursing home in Sandnes, since 2023): shadowed in 2023; 1 gathering in
      2025 credited 4,5 h (yearly requirements due); no intro course (overdue). In 2024: 2 gatherings.
    - Cecilie Test (no chapter, no workplace, joined 01.08.2025): once-requirements due, yearly ones not
      applicable.
    """
    sandnes = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    anne = resource_person(network, "anne@example.no", dt.date(2023, 1, 1))
    bjorn = resource_person(network, "bjorn@example.no", dt.date(2023, 1, 1))
    cecilie = resource_person(network, "cecilie@example.no", dt.date(2025, 8, 1))
    Person.objects.filter(pk=anne.pk).update(first_name="Anne")
    Person.objects.filter(pk=bjorn.pk).update(first_name="Bjørn")
    Person.objects.filter(pk=cecilie.pk).update(first_name="Cecilie")
    place(anne, chapter, workplace(network, "Hjemmetjenesten Hillevåg", "1103", ServiceType.HOME_CARE))
    place(bjorn, sandnes, workplace(network, "Sandnes sykehjem", "1108", ServiceType.NURSING_HOME))
    attend(anne, INTRO, dt.date(2023, 2, 1), "6")
    attend(anne, GATHERING, dt.date(2025, 3, 1), "6")
    attend(anne, GATHERING, dt.date(2025, 9, 1), "6")
    attend(anne, STUDY_DAY, dt.date(2025, 5, 1), "6")
    shadow(bjorn, dt.date(2023, 5, 2), "1")
    attend(bjorn, GATHERING, dt.date(2024, 3, 2), "6")
    attend(bjorn, GATHERING, dt.date(2024, 9, 2), "6")
    # Partial attendance: he left early and was credited 4,5 of the 6 hours.
    attend(bjorn, GATHERING, dt.date(2025, 3, 2), "6", credited="4.5")
    return Matrix(anne, bjorn, cecilie, sandnes)


COLOURS = {"met": "success", "due": "warning", "overdue": "danger", "not_applicable": "neutral"}


def names(response: object) -> list[str]:
    return [row.person.name for row in response.context["rows"]]  # type: ignore[attr-defined]


def workbook_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl"])
@pytest.mark.parametrize("url", [URL, EXPORT])
def test_network_and_chapter_coordinators_open_the_matrix_and_its_export(
    client: Client, known: Matrix, persona: str, url: str, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["rolf", "rita", "lena", "charlie", "nobody"])
@pytest.mark.parametrize("url", [URL, EXPORT])
def test_readers_resource_persons_leaders_and_outsiders_get_404(
    client: Client, known: Matrix, persona: str, url: str, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(url).status_code == 404


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_anonymous_visitors_are_sent_to_login(client: Client, known: Matrix, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["competence:matrix", "competence:matrix_export"])
def test_another_or_a_missing_network_is_404(client: Client, alice: User, charlie: User, name: str) -> None:
    client = login(client, alice)
    assert client.get(reverse(name, args=["bergen"])).status_code == 404
    assert client.get(reverse(name, args=["finnes-ikke"])).status_code == 404


# What the matrix shows -----------------------------------------------------------------------------------


def test_the_network_coordinator_sees_every_resource_person_with_a_status_per_requirement(
    client: Client, known: Matrix, alice: User
) -> None:
    response = login(client, alice).get(URL)
    assert response.context["nav"] == "competence"
    assert names(response) == ["Anne Test", "Bjørn Test", "Cecilie Test"]
    anne = response.context["rows"][0]
    assert [cell.status.status for cell in anne.cells] == ["met", "overdue", "met", "met", "met"]
    assert [cell.status.status for cell in response.context["rows"][1].cells] == [
        "overdue",
        "met",
        "due",
        "due",
        "due",
    ]
    assert anne.municipality_name == "Stavanger"
    html = response.content.decode()
    assert reverse("competence:person_plan", args=[SLUG, known.anne.pk]) in html
    assert 'class="fn-table-wrap' in html and "<caption>" in html and 'scope="row"' in html
    words = {"met": "Met", "due": "Due", "overdue": "Overdue", "not_applicable": "Not applicable"}
    for status in CompetenceStatus:
        assert f'data-color="{COLOURS[status]}" data-status="{status}">{nb(words[status])}</span>' in html
    assert nb("Showing %(shown)s of %(total)s persons", shown=3, total=3) in html


def test_a_cell_shows_the_hours_and_activities_that_count(client: Client, known: Matrix, alice: User) -> None:
    response = login(client, alice).get(URL)
    anne, bjorn = response.context["rows"][:2]
    with translation.override("en"):
        assert [cell.detail for cell in anne.cells] == [
            "1 activity, 6 hours",
            "0 days of job shadowing",
            "2 activities, 12 hours",
            "2 activities, 12 hours",
            "1 activity, 6 hours",
        ]
        assert [cell.detail for cell in bjorn.cells][1:4] == [
            "1 day of job shadowing",
            "1 activity, 4.5 hours",
            "1 activity, 4.5 hours",
        ]
    # Hours from partial attendance count as recorded.
    assert bjorn.cells[3].status.hours == Decimal("4.5")
    with translation.override("nb"):
        assert anne.cells[0].detail in response.content.decode()


def test_a_chapter_coordinator_sees_only_the_persons_of_their_chapters(
    client: Client, known: Matrix, carl: User
) -> None:
    client = login(client, carl)
    response = client.get(URL)
    assert names(response) == ["Anne Test"]
    # Another chapter is not a choice for him: the filter is ignored, never widened.
    assert names(client.get(URL + "?lokallag=sandnes")) == ["Anne Test"]
    assert [slug for _pk, slug, _name in response.context["facts"].chapters] == ["stavanger"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?lokallag=sandnes", ["Bjørn Test"]),
        ("?lokallag=stavanger", ["Anne Test"]),
        ("?kommune=1103", ["Anne Test"]),
        ("?kommune=1108", ["Bjørn Test"]),
        ("?status=due", ["Bjørn Test", "Cecilie Test"]),
        ("?status=met", ["Anne Test", "Bjørn Test"]),
        ("?status=overdue", ["Anne Test", "Bjørn Test"]),
        ("?status=not_applicable", ["Cecilie Test"]),
        ("?status=due&kommune=1108", ["Bjørn Test"]),
        ("?aar=2024", ["Anne Test", "Bjørn Test"]),
        ("?aar=2024&status=due", []),
        ("?status=ukjent&kommune=9999", ["Anne Test", "Bjørn Test", "Cecilie Test"]),
    ],
)
def test_the_filters_narrow_the_persons(
    client: Client, known: Matrix, alice: User, query: str, expected: list[str]
) -> None:
    response = login(client, alice).get(URL + query)
    assert names(response) == expected
    html = response.content.decode()
    total = 2 if "aar=2024" in query else 3
    assert nb("Showing %(shown)s of %(total)s persons", shown=len(expected), total=total) in html


def test_a_past_year_is_evaluated_at_its_end(client: Client, known: Matrix, alice: User) -> None:
    response = login(client, alice).get(URL + "?aar=2024")
    bjorn = response.context["rows"][1]
    assert response.context["facts"].as_of == dt.date(2024, 12, 31)
    assert [cell.status.status for cell in bjorn.cells] == ["overdue", "met", "met", "met", "overdue"]


def test_a_future_year_shows_this_year_with_a_message(client: Client, known: Matrix, alice: User) -> None:
    response = login(client, alice).get(URL + "?aar=2031")
    assert response.context["facts"].year == 2025
    assert response.context["form"]["aar"].value() == "2025"
    assert 'data-color="warning"' in response.content.decode()


def test_the_filter_form_has_labelled_controls_and_the_export_keeps_the_filters(
    client: Client, known: Matrix, alice: User
) -> None:
    html = login(client, alice).get(URL + "?kommune=1103&status=met").content.decode()
    for name in ("aar", "lokallag", "kommune", "status"):
        assert f'<label class="ds-label" for="id_{name}">' in html
    assert f"{EXPORT}?kommune=1103&amp;status=met&amp;aar=2025" in html


def test_the_matrix_costs_the_same_number_of_queries_however_many_persons(
    client: Client, known: Matrix, alice: User, carl: User, chapter: LocalChapter
) -> None:
    for user in (alice, carl):
        browser = login(Client(), user)

        def page(client: Client = browser) -> object:
            return client.get(URL + "?status=due")

        def export(client: Client = browser) -> object:
            return client.get(EXPORT)

        few, export_few = count_queries(page), count_queries(export)
        for number in range(8):
            email = f"p{user.pk}-{number}@example.no"
            person = resource_person(known.anne.network, email, dt.date(2022, 1, 1))
            Membership.objects.filter(person=person).update(chapter=chapter)
            attend(person, GATHERING, dt.date(2025, 2, 1), "6")
            shadow(person, dt.date(2022, 5, 1), "1")
        assert count_queries(page) == few
        assert count_queries(export) == export_few


# The export ----------------------------------------------------------------------------------------------


def test_the_export_has_a_row_per_person_with_status_words_and_hours(
    client: Client, known: Matrix, alice: User
) -> None:
    response = login(client, alice).get(EXPORT)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert (
        response["Content-Disposition"] == 'attachment; filename="kompetanseplan-barnepalliasjon-2025.xlsx"'
    )
    rows = workbook_rows(response.content)
    header = rows[0]
    assert header[:3] == [nb("Name"), nb("E-mail"), nb("Municipality")]
    assert len(header) == 3 + 2 * 5
    assert header[3] == nb(
        "%(requirement)s: status", requirement="Introduksjonskurs (minst 6 timer, første år)"
    )
    assert header[4] == nb(
        "%(requirement)s: hours", requirement="Introduksjonskurs (minst 6 timer, første år)"
    )
    assert [row[:3] for row in rows[1:]] == [
        ["Anne Test", "anne@example.no", "Stavanger"],
        ["Bjørn Test", "bjorn@example.no", "Sandnes"],
        ["Cecilie Test", "cecilie@example.no", None],
    ]
    met, due, overdue = nb("Met"), nb("Due"), nb("Overdue")
    assert rows[1][3:] == [met, 6, overdue, 0, met, 12, met, 12, met, 6]
    assert rows[2][3:] == [overdue, 0, met, 0, due, 4.5, due, 4.5, due, 0]
    assert rows[3][3:] == [
        due,
        0,
        due,
        0,
        nb("Not applicable"),
        0,
        nb("Not applicable"),
        0,
        nb("Not applicable"),
        0,
    ]
    entry = AuditEntry.objects.get(action="competence.matrix_exported")
    assert entry.data == {"rows": 3, "year": 2025}
    assert entry.fields == []


def test_the_export_uses_the_same_filters_and_year(client: Client, known: Matrix, alice: User) -> None:
    response = login(client, alice).get(EXPORT + "?aar=2024&lokallag=sandnes")
    assert (
        response["Content-Disposition"] == 'attachment; filename="kompetanseplan-barnepalliasjon-2024.xlsx"'
    )
    rows = workbook_rows(response.content)
    assert [row[0] for row in rows[1:]] == ["Bjørn Test"]


def test_a_chapter_coordinators_export_holds_only_their_chapters_persons(
    client: Client, known: Matrix, carl: User
) -> None:
    rows = workbook_rows(login(client, carl).get(EXPORT).content)
    assert [row[1] for row in rows[1:]] == ["anne@example.no"]


def test_the_export_never_turns_a_name_into_a_formula(client: Client, known: Matrix, alice: User) -> None:
    Person.objects.filter(pk=known.cecilie.pk).update(first_name='=HYPERLINK("http://x")')
    content = login(client, alice).get(EXPORT).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_the_page_shows_a_hundred_persons_at_a_time_and_counts_them_all(
    client: Client, network: Network, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fagnett.competence.views import matrix as matrix_view

    monkeypatch.setattr(matrix_view, "ROWS_PER_PAGE", 2)
    for number in range(5):
        resource_person(network, f"side{number}@example.no", dt.date(2022, 1, 1))
    login(client, alice)

    first = client.get(URL + "?aar=2025")
    last = client.get(URL + "?aar=2025&side=3")

    assert len(first.context["rows"]) == 2 and len(last.context["rows"]) == 1
    assert first.context["matched"] == last.context["matched"] == 5
    assert nb("Page %(number)s of %(pages)s", number=3, pages=3) in last.content.decode()
    assert 'href="/n/barnepalliasjon/kompetanseplan/oversikt/?aar=2025&amp;side=2" rel="next"' in (
        first.content.decode()
    )

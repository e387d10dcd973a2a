"""The roster list and its export: who sees whom, search, filters, sort, pages, and the export's content."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import LocalChapter, Membership, Network, Person, Role, ServiceType, Workplace
from fagnett.networks.roster import EXPORT_COLUMNS, PersonStatus
from fagnett.places.models import Municipality
from tests.conftest import add_member, login
from tests.helpers import count_queries

SLUG = "barnepalliasjon"
URL = reverse("networks:roster", args=[SLUG])
TODAY = dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def nb(msgid: str, **params: object) -> str:
    """What the Norwegian page says for `msgid` (English until the catalogue has the translation)."""
    with translation.override("nb"):
        return translation.gettext(msgid) % params if params else translation.gettext(msgid)


def export_url(fmt: str) -> str:
    return reverse("networks:roster_export", args=[SLUG, fmt])


def workplace(network: Network, name: str, service: str, municipality: str) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name=name,
        service_type=ServiceType.objects.get(code=service, network=None),
        municipality=Municipality.objects.get(number=municipality),
    )


def person(
    network: Network,
    first: str,
    last: str,
    *,
    profession: str = "",
    place: Workplace | None = None,
    level: str = "",
) -> Person:
    return Person.objects.create(
        network=network,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@example.no".lower(),
        profession=profession,
        workplace=place,
        competence_level=level,
    )


def membership(
    who: Person,
    role: str,
    start: dt.date,
    *,
    end: dt.date | None = None,
    chapter: LocalChapter | None = None,
) -> Membership:
    return Membership.objects.create(
        person=who,
        network=who.network,
        role=Role.objects.get(code=role, network=None),
        start=start,
        end=end,
        chapter=chapter,
    )


@pytest.fixture
def staff(network: Network, chapter: LocalChapter) -> dict[str, Person]:
    """Known data: Anne (Stavanger home care, nurse, chapter Stavanger), Bjørn (Sandnes nursing home,
    physiotherapist), Cecilie (ended), Dag (two memberships, one in the chapter), Eva (no membership)."""
    home = workplace(network, "Hjemmetjenesten Hillevåg", ServiceType.HOME_CARE, "1103")
    nursing = workplace(network, "Austrått sykehjem", ServiceType.NURSING_HOME, "1108")
    anne = person(network, "Anne", "Aas", profession="sykepleier", place=home, level="B")
    bjorn = person(network, "Bjørn", "Berg", profession="fysioterapeut", place=nursing)
    cecilie = person(network, "Cecilie", "Carlsen", profession="sykepleier", place=nursing)
    dag = person(network, "Dag", "Dahl", profession="pedagog")
    eva = person(network, "Eva", "Eik")
    membership(anne, Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter)
    membership(bjorn, Role.RESOURCE_PERSON, dt.date(2022, 5, 1))
    membership(cecilie, Role.RESOURCE_PERSON, dt.date(2021, 1, 1), end=dt.date(2023, 12, 31))
    membership(dag, Role.RESOURCE_PERSON, dt.date(2020, 2, 1), end=dt.date(2022, 1, 31), chapter=chapter)
    membership(dag, Role.WORKING_GROUP, dt.date(2024, 1, 1))
    return {"anne": anne, "bjorn": bjorn, "cecilie": cecilie, "dag": dag, "eva": eva}


def names(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return [row.person.first_name for row in response.context["roster"].rows]


# Who may see the list


def test_the_coordinator_sees_every_active_person(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    assert names(login(client, alice)) == ["Anne", "Bjørn", "Dag", "Alice"]


def test_the_chapter_coordinator_sees_only_persons_of_their_chapter(
    client: Client, carl: User, staff: dict[str, Person]
) -> None:
    login(client, carl)
    assert names(client, "status=alle") == ["Anne", "Dag", "Carl"]
    assert "Bjørn" not in client.get(f"{URL}?status=alle").content.decode()


def test_the_chapter_coordinator_gets_the_add_and_export_buttons(client: Client, carl: User) -> None:
    content = login(client, carl).get(URL).content.decode()
    assert reverse("networks:person_create", args=[SLUG]) in content
    assert export_url("xlsx") in content


def test_the_leader_sees_only_their_staff_and_cannot_change_anything(
    client: Client, lena: User, staff: dict[str, Person]
) -> None:
    response = login(client, lena).get(URL)
    assert [row.person.first_name for row in response.context["roster"].rows] == ["Rita"]
    content = response.content.decode()
    assert "rita@example.no" in content  # a leader may see their staff's contact details
    assert reverse("networks:person_create", args=[SLUG]) not in content
    assert export_url("xlsx") not in content
    assert "anne.aas@example.no" not in content
    # Professions are personal data too: the filter offers only those of the leader's staff.
    assert "sykepleier" not in content


@pytest.mark.parametrize("persona", ["rita", "rolf", "charlie", "nobody", "admin_user"])
def test_everyone_else_gets_404_on_the_roster(
    client: Client, persona: str, network: Network, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert login(client, user).get(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client: Client, network: Network) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_missing_network_is_404(client: Client, alice: User) -> None:
    assert login(client, alice).get(reverse("networks:roster", args=["finnes-ikke"])).status_code == 404


# Search, filters, sort


def test_the_search_matches_first_and_last_name_together_ignoring_case(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    login(client, alice)
    assert names(client, "q=anne+AAS") == ["Anne"]
    assert names(client, "q=BERG") == ["Bjørn"]
    assert names(client, "q=anne+berg") == []


def test_the_search_matches_the_email_address(client: Client, alice: User, staff: dict[str, Person]) -> None:
    login(client, alice)
    assert names(client, "q=dag.dahl@EXAMPLE") == ["Dag"]


def test_the_municipality_filter_uses_the_municipality_number(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    login(client, alice)
    assert names(client, "kommune=1108&status=alle") == ["Bjørn", "Cecilie"]
    assert names(client, "kommune=1103") == ["Anne"]


def test_the_service_type_filter_uses_the_code(client: Client, alice: User, staff: dict[str, Person]) -> None:
    login(client, alice)
    assert names(client, "tjenestetype=hjemmetjeneste") == ["Anne"]
    assert names(client, "tjenestetype=sykehjem&status=alle") == ["Bjørn", "Cecilie"]


def test_the_profession_filter_offers_existing_values_and_matches_exactly(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    login(client, alice)
    assert names(client, "yrke=sykepleier&status=alle") == ["Anne", "Cecilie"]
    choices = [value for value, _label in client.get(URL).context["form"].fields["yrke"].choices]
    assert choices == ["", "fysioterapeut", "pedagog", "sykepleier"]


def test_the_chapter_and_role_filters_apply_to_the_same_active_membership(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    login(client, alice)
    # Dag's membership in the chapter ended; only Anne is active there.
    assert names(client, "lokallag=stavanger") == ["Anne"]
    assert names(client, "lokallag=stavanger&status=alle") == ["Anne", "Dag"]
    assert names(client, "rolle=arbeidsgruppe") == ["Dag"]
    assert names(client, "rolle=ressursperson&status=avsluttet") == ["Cecilie", "Dag"]


def test_the_status_filter_defaults_to_active_and_splits_everyone_in_two(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    login(client, alice)
    active = names(client)
    ended = names(client, "status=avsluttet")
    assert ended == ["Cecilie", "Eva"]
    assert sorted(active + ended) == sorted(names(client, "status=alle"))


def test_the_roles_and_chapters_columns_show_the_memberships_asked_about(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    rows = {
        row.person.first_name: row
        for row in login(client, alice).get(f"{URL}?status=alle").context["roster"].rows
    }
    assert rows["Anne"].chapters == ["Stavanger"]
    assert rows["Dag"].roles == ["Arbeidsgruppemedlem", "Ressursperson"]  # newest first
    assert rows["Dag"].chapters == ["Stavanger"]
    assert rows["Anne"].status is PersonStatus.ACTIVE
    assert rows["Cecilie"].status is PersonStatus.ENDED
    assert rows["Eva"].status is PersonStatus.NO_MEMBERSHIP


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # By last name: Aas, Berg, Carlsen, Dahl, Eik, Koordinator.
        ("navn", ["Anne", "Bjørn", "Cecilie", "Dag", "Eva", "Alice"]),
        ("-navn", ["Alice", "Eva", "Dag", "Cecilie", "Bjørn", "Anne"]),
        # Sandnes before Stavanger; persons without a workplace last, by name.
        ("kommune", ["Bjørn", "Cecilie", "Anne", "Dag", "Eva", "Alice"]),
        ("arbeidssted", ["Bjørn", "Cecilie", "Anne", "Dag", "Eva", "Alice"]),
        # First start date: Alice 01.01.2020, Dag 01.02.2020, …; Eva has none and comes last.
        ("start", ["Alice", "Dag", "Cecilie", "Bjørn", "Anne", "Eva"]),
    ],
)
def test_it_sorts_by_the_chosen_column(
    client: Client, alice: User, staff: dict[str, Person], sort: str, expected: list[str]
) -> None:
    assert names(login(client, alice), f"status=alle&sort={sort}") == expected


def test_an_unknown_filter_value_is_left_out(client: Client, alice: User, staff: dict[str, Person]) -> None:
    login(client, alice)
    assert names(client, "kommune=9999&sort=skostørrelse&status=kanskje") == names(client)


def test_the_count_is_shown(client: Client, alice: User, staff: dict[str, Person]) -> None:
    content = login(client, alice).get(f"{URL}?status=alle").content.decode()
    assert nb("%(count)s persons", count=6) in content


# Pages


@pytest.fixture
def sixty(network: Network) -> None:
    for i in range(60):
        who = person(network, f"P{i:02d}", f"Etternavn{i:02d}")
        membership(who, Role.RESOURCE_PERSON, dt.date(2023, 1, 1))


def test_it_shows_fifty_persons_a_page(client: Client, alice: User, sixty: None) -> None:
    login(client, alice)
    first = client.get(URL)
    second = client.get(f"{URL}?side=2")
    assert len(first.context["roster"].rows) == 50
    assert len(second.context["roster"].rows) == 11  # 60 + Alice
    assert first.context["roster"].total == 61
    seen = {row.person.pk for row in first.context["roster"].rows + second.context["roster"].rows}
    assert len(seen) == 61


def test_the_pagination_is_an_accessible_navigation(client: Client, alice: User, sixty: None) -> None:
    content = login(client, alice).get(f"{URL}?q=e&side=2").content.decode()
    assert '<nav class="ds-pagination" aria-label="' in content
    assert 'aria-current="true" href="/n/barnepalliasjon/personer/?q=e&amp;side=2"' in content
    assert 'href="/n/barnepalliasjon/personer/?q=e&amp;side=1" rel="prev"' in content


def test_a_page_number_out_of_range_shows_the_last_page(client: Client, alice: User, sixty: None) -> None:
    response = login(client, alice).get(f"{URL}?side=99")
    assert response.context["roster"].page.number == 2


def test_htmx_gets_only_the_results_region(client: Client, alice: User, staff: dict[str, Person]) -> None:
    response = login(client, alice).get(f"{URL}?q=anne", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert '<table class="ds-table"' in content
    assert "<caption" in content
    assert 'id="fn-roster-status" role="status" hx-swap-oob="true">' + nb("1 person found") in content
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client: Client, alice: User) -> None:
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in login(client, alice).get(URL, headers=headers).content.decode()


def test_the_filter_form_works_without_javascript(client: Client, alice: User) -> None:
    content = login(client, alice).get(URL).content.decode()
    assert f'method="get" action="{URL}"' in content
    assert 'type="submit"' in content
    assert f'hx-get="{URL}"' in content
    assert 'hx-push-url="true"' in content


def test_the_roster_query_count_does_not_grow_with_persons(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    login(client, alice)
    place = workplace(network, "Hjemmetjenesten", ServiceType.HOME_CARE, "1103")

    def add(start: int, stop: int) -> None:
        for i in range(start, stop):
            who = person(network, f"P{i:02d}", "X", place=place, profession=f"yrke{i}")
            membership(who, Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter)
            membership(who, Role.WORKING_GROUP, dt.date(2023, 1, 1))

    add(0, 5)
    few = count_queries(lambda: client.get(f"{URL}?status=alle&sort=start"))
    add(5, 60)
    assert count_queries(lambda: client.get(f"{URL}?status=alle&sort=start")) == few
    assert count_queries(lambda: client.get(f"{URL}?status=alle&sort=start&side=2")) == few


# Export


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header = [str(cell) for cell in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def test_the_csv_export_has_the_import_columns_and_one_row_per_membership(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    response = login(client, alice).get(export_url("csv") + "?status=alle&sort=navn")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ressurspersoner-barnepalliasjon-2024-06-15.csv"'
    )
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.split(";") == list(EXPORT_COLUMNS)
    rows = read_csv(response.content)
    assert [(r["fornavn"], r["rolle"]) for r in rows] == [
        ("Anne", "ressursperson"),
        ("Bjørn", "ressursperson"),
        ("Cecilie", "ressursperson"),
        ("Dag", "ressursperson"),
        ("Dag", "arbeidsgruppe"),
        ("Eva", ""),
        ("Alice", "koordinator"),
    ]
    anne = rows[0]
    assert anne == {
        "fornavn": "Anne",
        "etternavn": "Aas",
        "epost": "anne.aas@example.no",
        "telefon": "",
        "yrke": "sykepleier",
        "kompetansenivaa": "B",
        "arbeidssted": "Hjemmetjenesten Hillevåg",
        "tjenestetype": "hjemmetjeneste",
        "kommunenummer": "1103",
        "lokallag": "stavanger",
        "rolle": "ressursperson",
        "startdato": "01.01.2023",
        "sluttdato": "",
        "leder_epost": "",
    }
    assert (rows[2]["startdato"], rows[2]["sluttdato"]) == ("01.01.2021", "31.12.2023")
    assert (rows[5]["startdato"], rows[5]["sluttdato"]) == ("", "")


def test_the_export_equals_the_filtered_list(client: Client, alice: User, staff: dict[str, Person]) -> None:
    login(client, alice)
    query = "yrke=sykepleier&status=alle&sort=-navn"
    listed = [row.person.email for row in client.get(f"{URL}?{query}").context["roster"].rows]
    exported = [row["epost"] for row in read_csv(client.get(f"{export_url('csv')}?{query}").content)]
    assert exported == listed == ["cecilie.carlsen@example.no", "anne.aas@example.no"]


def test_the_active_export_leaves_out_ended_memberships(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    rows = read_csv(login(client, alice).get(export_url("csv") + "?q=dag").content)
    assert [(r["rolle"], r["startdato"]) for r in rows] == [("arbeidsgruppe", "01.01.2024")]


def test_the_xlsx_export_has_date_cells_and_the_same_rows(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    login(client, alice)
    response = client.get(export_url("xlsx") + "?status=alle")
    assert response["Content-Disposition"].endswith('ressurspersoner-barnepalliasjon-2024-06-15.xlsx"')
    rows = read_xlsx(response.content)
    csv_rows = read_csv(client.get(export_url("csv") + "?status=alle").content)
    assert [r["epost"] for r in rows] == [r["epost"] for r in csv_rows]
    cecilie = next(r for r in rows if r["fornavn"] == "Cecilie")
    # openpyxl reads date cells back as (naive) datetimes at midnight.
    assert cecilie["startdato"] == dt.datetime(2021, 1, 1)  # noqa: DTZ001
    assert cecilie["sluttdato"] == dt.datetime(2023, 12, 31)  # noqa: DTZ001
    assert cecilie["kommunenummer"] == "1108"


def test_the_export_gives_the_linked_line_managers_email(
    client: Client, alice: User, staff: dict[str, Person]
) -> None:
    staff["anne"].leader = staff["bjorn"]
    staff["anne"].save()
    rows = read_csv(login(client, alice).get(export_url("csv") + "?q=anne").content)
    assert rows[0]["leder_epost"] == "bjørn.berg@example.no"


def test_the_export_keeps_text_that_looks_like_a_formula_as_text(
    client: Client, alice: User, network: Network
) -> None:
    who = person(network, "Eve", "Ond", profession="=HYPERLINK(1)")
    who.phone = "+47 912 34 567"
    who.save()
    membership(who, Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    login(client, alice)
    row = read_csv(client.get(export_url("csv") + "?q=eve").content)[0]
    assert (row["yrke"], row["telefon"]) == ("'=HYPERLINK(1)", "+47 912 34 567")
    sheet = load_workbook(io.BytesIO(client.get(export_url("xlsx") + "?q=eve").content)).active
    assert sheet is not None
    assert sheet["E2"].data_type == "s"
    assert sheet["E2"].value == "=HYPERLINK(1)"


def test_the_export_is_audited(client: Client, alice: User, staff: dict[str, Person]) -> None:
    login(client, alice).get(export_url("xlsx"))
    entry = AuditEntry.objects.get(action="roster.exported")
    assert entry.actor == alice
    assert entry.network is not None and entry.network.slug == SLUG
    # Active today: Anne, Bjørn, Dag (his working-group membership only) and Alice.
    assert entry.data == {"rows": 4, "format": "xlsx"}


def test_the_chapter_coordinators_export_holds_only_their_persons(
    client: Client, carl: User, staff: dict[str, Person]
) -> None:
    rows = read_csv(login(client, carl).get(export_url("csv") + "?status=alle").content)
    assert sorted({r["fornavn"] for r in rows}) == ["Anne", "Carl", "Dag"]


def test_an_unknown_export_format_is_404(client: Client, alice: User) -> None:
    assert login(client, alice).get(export_url("pdf")).status_code == 404
    assert not AuditEntry.objects.filter(action="roster.exported").exists()


@pytest.mark.parametrize("persona", ["lena", "rita", "rolf", "charlie", "nobody"])
def test_only_coordinators_may_export(
    client: Client, persona: str, network: Network, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert login(client, user).get(export_url("csv")).status_code == 404


def test_anonymous_visitors_cannot_export(client: Client, network: Network) -> None:
    assert client.get(export_url("xlsx")).status_code == 302


def test_the_export_query_count_does_not_grow_with_persons(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    place = workplace(network, "Hjemmetjenesten", ServiceType.HOME_CARE, "1103")
    for i in range(5):
        membership(person(network, f"P{i:02d}", "X", place=place), Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    few = count_queries(lambda: client.get(export_url("xlsx")))
    for i in range(5, 60):
        membership(person(network, f"P{i:02d}", "X", place=place), Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    assert count_queries(lambda: client.get(export_url("xlsx"))) == few


def test_other_networks_persons_never_appear(
    client: Client, alice: User, other_network: Network, staff: dict[str, Person]
) -> None:
    add_member(other_network, None, "fremmed@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    login(client, alice)
    assert "fremmed@example.no" not in client.get(f"{URL}?status=alle").content.decode()
    assert "fremmed@example.no" not in client.get(export_url("csv") + "?status=alle").content.decode()

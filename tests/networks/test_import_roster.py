"""The roster import: validation, idempotent apply, the CLI (docs/import-roster.md)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.lib.importing import ImportRejected, Preview
from fagnett.networks.imports import RosterImporter, RosterItem, summary_line
from fagnett.networks.models import (
    LocalChapter,
    Membership,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.places.models import Municipality
from tests.conftest import add_member
from tests.helpers import count_queries

HEADER = [
    "fornavn",
    "etternavn",
    "epost",
    "telefon",
    "yrke",
    "kompetansenivaa",
    "arbeidssted",
    "tjenestetype",
    "kommunenummer",
    "lokallag",
    "rolle",
    "startdato",
    "sluttdato",
    "leder_epost",
]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in the source language, whatever the catalogue holds."""
    with translation.override("en"):
        yield


def row(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "fornavn": "Kari",
        "etternavn": "Nordmann",
        "epost": "kari@example.no",
        "telefon": "",
        "yrke": "Sykepleier",
        "kompetansenivaa": "B",
        "arbeidssted": "Hjemmetjenesten Madla",
        "tjenestetype": "hjemmetjeneste",
        "kommunenummer": "1103",
        "lokallag": "",
        "rolle": "ressursperson",
        "startdato": "01.01.2024",
        "sluttdato": "",
        "leder_epost": "",
    }
    base.update(values)
    return base


def person_row(number: int, **values: Any) -> dict[str, Any]:
    return row(**{"fornavn": f"Person{number}", "epost": f"p{number}@example.no", **values})


def csv_bytes(rows: list[dict[str, Any]], *, separator: str = ";", encoding: str = "utf-8") -> bytes:
    lines = [separator.join(HEADER)]
    lines += [separator.join(str(r.get(name, "")) for name in HEADER) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_of(network: Network, rows: list[dict[str, Any]], **kwargs: Any) -> Preview[RosterItem]:
    return RosterImporter(network).preview_file(csv_bytes(rows, **kwargs), "liste.csv")


def import_rows(
    network: Network, rows: list[dict[str, Any]], actor: User | None = None
) -> Preview[RosterItem]:
    preview = preview_of(network, rows)
    assert preview.errors == []
    return RosterImporter(network).apply(preview, actor=actor)


def snapshot() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Membership.objects.count(),
        Workplace.objects.count(),
        AuditEntry.objects.count(),
    )


def counts(preview: Preview[Any]) -> dict[str, int]:
    return {
        "rows": preview.rows_total,
        "create": preview.to_create,
        "update": preview.to_update,
        "add": preview.to_add,
        "end": preview.to_end,
        "unchanged": preview.unchanged,
        "errors": len(preview.errors),
    }


# --- A first import -----------------------------------------------------------------------------------------


def test_it_creates_persons_workplaces_and_memberships(network: Network, alice: User) -> None:
    before = snapshot()
    done = import_rows(
        network,
        [row(telefon="40000000"), person_row(2, arbeidssted="hjemmetjenesten madla", rolle="Ressursperson")],
        actor=alice,
    )
    assert counts(done) == {
        "rows": 2,
        "create": 2,
        "update": 0,
        "add": 2,
        "end": 0,
        "unchanged": 0,
        "errors": 0,
    }
    kari = Person.objects.get(network=network, email="kari@example.no")
    assert (kari.first_name, kari.last_name, kari.phone, kari.profession, kari.competence_level) == (
        "Kari",
        "Nordmann",
        "40000000",
        "Sykepleier",
        "B",
    )
    assert kari.workplace is not None
    assert kari.workplace.name == "Hjemmetjenesten Madla"
    assert kari.workplace.municipality is not None and kari.workplace.municipality.number == "1103"
    assert kari.workplace.service_type.code == ServiceType.HOME_CARE
    # Both rows name the same workplace (case aside): it is created once.
    assert Person.objects.get(email="p2@example.no").workplace_id == kari.workplace_id
    membership = kari.memberships.get()
    assert (membership.role.code, membership.start, membership.end, membership.chapter) == (
        Role.RESOURCE_PERSON,
        dt.date(2024, 1, 1),
        None,
        None,
    )
    assert snapshot()[:3] == (before[0] + 2, before[1] + 2, before[2] + 1)
    actions = sorted(AuditEntry.objects.filter(network=network).values_list("action", flat=True))
    assert actions == [
        "membership.created",
        "membership.created",
        "person.created",
        "person.created",
        "roster.imported",
        "workplace.created",
    ]
    summary = AuditEntry.objects.get(action="roster.imported")
    assert summary.actor == alice
    assert summary.data["persons_created"] == 2
    assert summary.data["file"] == "liste.csv"


def test_it_matches_an_existing_workplace_case_insensitively(network: Network) -> None:
    workplace = Workplace.objects.create(
        network=network,
        name="Hjemmetjenesten Madla",
        service_type=ServiceType.objects.get(code=ServiceType.HOME_CARE, network=None),
        municipality=Municipality.objects.get(number="1103"),
    )
    import_rows(network, [row(arbeidssted="HJEMMETJENESTEN MADLA", tjenestetype="Hjemmetjeneste")])
    assert Workplace.objects.count() == 1
    assert Person.objects.get(email="kari@example.no").workplace == workplace


def test_it_assigns_the_local_chapter_by_name_or_short_name(network: Network, chapter: LocalChapter) -> None:
    import_rows(network, [row(lokallag="STAVANGER"), person_row(2, lokallag="stavanger")])
    assert set(Membership.objects.values_list("chapter__slug", flat=True)) == {"stavanger"}


def test_it_matches_an_in_scope_hospital_unit_by_name_without_a_municipality(network: Network) -> None:
    unit = Workplace.objects.create(
        network=network,
        name="Barneavdelingen SUS",
        service_type=ServiceType.objects.get(code=ServiceType.HOSPITAL_UNIT, network=None),
        in_scope=True,
    )
    import_rows(
        network, [row(arbeidssted="barneavdelingen sus", tjenestetype="Sykehusavdeling", kommunenummer="")]
    )
    assert Workplace.objects.count() == 1
    assert Person.objects.get(email="kari@example.no").workplace == unit


def test_an_unknown_hospital_unit_is_created_without_a_municipality(network: Network) -> None:
    import_rows(
        network, [row(arbeidssted="Barneklinikken", tjenestetype="sykehusavdeling", kommunenummer="")]
    )
    unit = Workplace.objects.get()
    assert (unit.name, unit.service_type.code, unit.municipality, unit.in_scope) == (
        "Barneklinikken",
        ServiceType.HOSPITAL_UNIT,
        None,
        False,
    )


def test_a_person_with_two_roles_has_two_rows(network: Network) -> None:
    done = import_rows(network, [row(), row(rolle="arbeidsgruppe", startdato="2024-06-01")])
    assert (done.to_create, done.to_add) == (1, 2)
    assert Person.objects.count() == 1
    assert sorted(Membership.objects.values_list("role__code", flat=True)) == [
        "arbeidsgruppe",
        "ressursperson",
    ]


def test_a_later_row_may_add_what_the_first_row_left_empty(network: Network) -> None:
    import_rows(network, [row(telefon=""), row(rolle="arbeidsgruppe", telefon="40000000")])
    assert Person.objects.get().phone == "40000000"


def test_the_line_manager_is_linked_when_in_the_roster_or_the_same_file(network: Network, rita: User) -> None:
    import_rows(
        network,
        [
            row(leder_epost="Leder@example.no"),
            person_row(2, epost="leder@example.no", fornavn="Lise", rolle="arbeidsgruppe"),
            person_row(3, leder_epost="RITA@example.no"),
            person_row(4, leder_epost="ukjent@example.no"),
        ],
    )
    leader = Person.objects.get(email="leder@example.no")
    kari = Person.objects.get(email="kari@example.no")
    assert (kari.leader, kari.leader_email) == (leader, "Leder@example.no")
    assert Person.objects.get(email="p3@example.no").leader == Person.objects.get(user=rita)
    unknown = Person.objects.get(email="p4@example.no")
    assert (unknown.leader, unknown.leader_email) == (None, "ukjent@example.no")


# --- Reading the file -----------------------------------------------------------------------------------


def test_it_reads_comma_separated_csv(network: Network) -> None:
    done = RosterImporter(network).preview_file(csv_bytes([row()], separator=","), "liste.csv")
    assert counts(done)["create"] == 1
    assert done.errors == []


def test_it_reads_utf8_with_a_byte_order_mark(network: Network) -> None:
    data = b"\xef\xbb\xbf" + csv_bytes([row(fornavn="Bjørg", etternavn="Ås")])
    preview = RosterImporter(network).preview_file(data, "liste.csv")
    RosterImporter(network).apply(preview, actor=None)
    assert Person.objects.get().full_name == "Bjørg Ås"


def test_it_reads_windows_1252_from_norwegian_excel(network: Network) -> None:
    data = csv_bytes([row(fornavn="Bjørg", etternavn="Ås", arbeidssted="Ås sykehjem")], encoding="cp1252")
    preview = RosterImporter(network).preview_file(data, "liste.csv")
    RosterImporter(network).apply(preview, actor=None)
    person = Person.objects.get()
    assert person.full_name == "Bjørg Ås"
    assert person.workplace is not None and person.workplace.name == "Ås sykehjem"


def test_it_reads_xlsx_with_date_and_number_cells(network: Network, tmp_path: Path) -> None:
    network.municipalities.add(Municipality.objects.get(number="0301"))
    values = row(kommunenummer=301, telefon=40000000, startdato=dt.date(2024, 3, 1), sluttdato=None)
    path = tmp_path / "liste.xlsx"
    path.write_bytes(xlsx_bytes([[name.upper() for name in HEADER], [values[name] for name in HEADER]]))
    preview = RosterImporter(network).preview_file(path.read_bytes(), path.name)
    assert preview.errors == []
    RosterImporter(network).apply(preview, actor=None)
    person = Person.objects.select_related("workplace__municipality").get()
    assert person.phone == "40000000"
    assert person.workplace is not None and person.workplace.municipality is not None
    assert person.workplace.municipality.number == "0301"
    assert person.memberships.get().start == dt.date(2024, 3, 1)


def test_an_unknown_column_is_a_warning_not_an_error(network: Network) -> None:
    data = csv_bytes([row()]).replace(b"leder_epost", b"kommentar", 1)
    preview = RosterImporter(network).preview_file(data, "liste.csv")
    assert preview.errors == []
    assert preview.warnings == ["The column “kommentar” is not used and will be ignored."]


def test_a_missing_required_column_is_an_error_on_the_header_row(network: Network) -> None:
    data = csv_bytes([row()]).replace(b"epost;", b"e-post;", 1)
    preview = RosterImporter(network).preview_file(data, "liste.csv")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (1, "epost", "The required column “epost” is missing.")
    ]


def test_an_unreadable_file_is_one_error(network: Network) -> None:
    preview = RosterImporter(network).preview_file(b"", "liste.csv")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(1, "", "The file is empty.")]


def test_a_file_with_only_the_header_row_is_an_error(network: Network) -> None:
    preview = RosterImporter(network).preview_file(csv_bytes([]), "liste.csv")
    assert [(e.row, e.message) for e in preview.errors] == [(2, "The file has no rows below the header row.")]


# --- Bad rows: every one names its row and column and nothing is written -----------------------------------

BAD_ROWS = [
    ({"epost": ""}, "epost", "A value is required."),
    ({"epost": "kari(at)example.no"}, "epost", "“kari(at)example.no” is not a valid e-mail address."),
    ({"fornavn": ""}, "fornavn", "A value is required."),
    ({"etternavn": ""}, "etternavn", "A value is required."),
    ({"fornavn": "K" * 101}, "fornavn", "The value is too long (101 characters; at most 100)."),
    ({"rolle": ""}, "rolle", "A value is required."),
    ({"rolle": "sjef"}, "rolle", "Unknown role “sjef”."),
    ({"startdato": ""}, "startdato", "A value is required."),
    (
        {"startdato": "31.02.2024"},
        "startdato",
        "“31.02.2024” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.",
    ),
    (
        {"sluttdato": "neste år"},
        "sluttdato",
        "“neste år” is not a date. Write it as dd.mm.yyyy or yyyy-mm-dd.",
    ),
    (
        {"sluttdato": "31.12.2023"},
        "sluttdato",
        "The end date 31.12.2023 is before the start date 01.01.2024.",
    ),
    ({"kommunenummer": "9999"}, "kommunenummer", "“9999” is not a Norwegian municipality number."),
    ({"kommunenummer": "Stavanger"}, "kommunenummer", "“Stavanger” is not a Norwegian municipality number."),
    ({"kommunenummer": "0301"}, "kommunenummer", "Municipality 0301 Oslo is not in the network's area."),
    (
        {"kommunenummer": ""},
        "kommunenummer",
        "A municipality number is required when arbeidssted is filled in (except for hospital units).",
    ),
    ({"tjenestetype": "romskip"}, "tjenestetype", "Unknown service type “romskip”."),
    ({"tjenestetype": ""}, "tjenestetype", "A service type is required when arbeidssted is filled in."),
    (
        {"arbeidssted": ""},
        "arbeidssted",
        "The workplace's name is missing, but tjenestetype or kommunenummer is filled in.",
    ),
    ({"kompetansenivaa": "D"}, "kompetansenivaa", "Unknown competence level “D”. Use A, B or C."),
    (
        {"lokallag": "Bergen"},
        "lokallag",
        "Unknown local chapter “Bergen”. The network has no local chapters.",
    ),
    ({"leder_epost": "leder@"}, "leder_epost", "“leder@” is not a valid e-mail address."),
    ({"leder_epost": "KARI@example.no"}, "leder_epost", "A person cannot be their own line manager."),
]


@pytest.mark.parametrize(("values", "column", "message"), BAD_ROWS)
def test_it_rejects_a_bad_row_naming_row_and_column(
    network: Network, values: dict[str, Any], column: str, message: str
) -> None:
    before = snapshot()
    preview = preview_of(network, [person_row(1), row(**values)])
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(3, column, message)]
    assert "Row 3, column " + column in preview.errors[0].describe()
    with pytest.raises(ImportRejected):
        RosterImporter(network).apply(preview, actor=None)
    assert snapshot() == before


def test_it_lists_the_local_chapters_when_one_is_unknown(network: Network, chapter: LocalChapter) -> None:
    preview = preview_of(network, [row(lokallag="Sandnes")])
    assert [e.message for e in preview.errors] == [
        "Unknown local chapter “Sandnes”. The network's local chapters: Stavanger."
    ]


def test_the_same_email_twice_with_other_data_is_an_error_on_the_later_row(network: Network) -> None:
    before = snapshot()
    preview = preview_of(network, [row(), person_row(2), row(fornavn="Karin", rolle="arbeidsgruppe")])
    assert [(e.row, e.column) for e in preview.errors] == [(4, "fornavn")]
    assert preview.errors[0].message == (
        "The e-mail address kari@example.no is also on row 2, with a different value in this column."
    )
    with pytest.raises(ImportRejected):
        RosterImporter(network).apply(preview, actor=None)
    assert snapshot() == before


def test_the_same_email_in_another_case_is_the_same_person(network: Network) -> None:
    preview = preview_of(
        network,
        [
            row(),
            row(
                epost="KARI@example.no",
                arbeidssted="Sandnes sykehjem",
                kommunenummer="1108",
                tjenestetype="sykehjem",
                rolle="arbeidsgruppe",
            ),
        ],
    )
    assert [(e.row, e.column) for e in preview.errors] == [(3, "arbeidssted")]


def test_overlapping_memberships_in_one_role_are_rejected(network: Network) -> None:
    preview = preview_of(network, [row(), row(startdato="01.06.2024")])
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (
            3,
            "startdato",
            "Kari Nordmann already has the role Ressursperson in this period "
            "(the membership from 01.01.2024).",
        )
    ]


def test_a_new_membership_may_not_overlap_a_stored_one(network: Network, rita: User) -> None:
    rows = [row(fornavn="Rita", etternavn="Ressurs", epost="rita@example.no", startdato="01.01.2024")]
    preview = preview_of(network, rows)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "startdato")]


def test_all_errors_are_listed_at_once_in_row_order(network: Network) -> None:
    preview = preview_of(
        network, [row(epost="x"), row(epost="y@example.no", rolle="sjef", startdato="i går")]
    )
    assert [(e.row, e.column) for e in preview.errors] == [(2, "epost"), (3, "rolle"), (3, "startdato")]


# --- Importing again ------------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(network: Network, chapter: LocalChapter) -> None:
    rows = [
        row(lokallag="Stavanger", leder_epost="p2@example.no", telefon="40000000"),
        person_row(2, sluttdato="31.12.2024", arbeidssted="Barneklinikken", tjenestetype="sykehusavdeling"),
        row(rolle="arbeidsgruppe"),
    ]
    import_rows(network, rows)
    before = snapshot()
    preview = preview_of(network, rows)
    assert counts(preview) == {
        "rows": 3,
        "create": 0,
        "update": 0,
        "add": 0,
        "end": 0,
        "unchanged": 3,
        "errors": 0,
    }
    assert not preview.has_changes
    RosterImporter(network).apply(preview, actor=None)
    assert snapshot() == before


def test_an_existing_person_is_matched_by_email_ignoring_case(network: Network, rita: User) -> None:
    preview = preview_of(
        network,
        [
            row(
                fornavn="Rita",
                etternavn="Ressurs",
                epost="RITA@EXAMPLE.NO",
                startdato="01.03.2022",
                yrke="",
                kompetansenivaa="",
                arbeidssted="",
                tjenestetype="",
                kommunenummer="",
            )
        ],
    )
    assert counts(preview) == {
        "rows": 1,
        "create": 0,
        "update": 0,
        "add": 0,
        "end": 0,
        "unchanged": 1,
        "errors": 0,
    }


def test_a_changed_field_updates_the_person_and_audits_its_name(network: Network, alice: User) -> None:
    import_rows(network, [row(telefon="40000000")])
    before = snapshot()
    done = import_rows(network, [row(telefon="99999999", yrke="")], actor=alice)
    assert counts(done) == {
        "rows": 1,
        "create": 0,
        "update": 1,
        "add": 0,
        "end": 0,
        "unchanged": 0,
        "errors": 0,
    }
    person = Person.objects.get(email="kari@example.no")
    assert (person.phone, person.profession) == (
        "99999999",
        "Sykepleier",
    )  # the empty yrke cell cleared nothing
    entry = AuditEntry.objects.get(action="person.updated")
    assert (entry.fields, entry.actor, entry.target_id) == (["phone"], alice, str(person.pk))
    assert snapshot() == (before[0], before[1], before[2], before[3] + 2)  # person.updated + roster.imported


def test_a_new_workplace_for_an_existing_person_is_created_and_linked(network: Network) -> None:
    import_rows(network, [row()])
    done = import_rows(
        network, [row(arbeidssted="Sandnes sykehjem", tjenestetype="sykehjem", kommunenummer="1108")]
    )
    assert done.to_update == 1
    person = Person.objects.select_related("workplace").get()
    assert person.workplace is not None and person.workplace.name == "Sandnes sykehjem"
    assert Workplace.objects.count() == 2


def test_a_new_end_date_ends_the_membership(network: Network, alice: User) -> None:
    import_rows(network, [row()])
    preview = preview_of(network, [row(sluttdato="30.06.2025")])
    assert counts(preview) == {
        "rows": 1,
        "create": 0,
        "update": 0,
        "add": 0,
        "end": 1,
        "unchanged": 0,
        "errors": 0,
    }
    RosterImporter(network).apply(preview, actor=alice)
    membership = Membership.objects.get(person__email="kari@example.no")
    assert membership.end == dt.date(2025, 6, 30)
    entry = AuditEntry.objects.get(action="membership.ended")
    assert (entry.fields, entry.target_id) == (["end"], str(membership.pk))
    assert counts(preview_of(network, [row(sluttdato="30.06.2025")]))["unchanged"] == 1


def test_an_already_ended_membership_with_another_end_date_is_an_error(network: Network) -> None:
    import_rows(network, [row(sluttdato="30.06.2025")])
    preview = preview_of(network, [row(sluttdato="31.12.2025")])
    assert [(e.row, e.column) for e in preview.errors] == [(2, "sluttdato")]
    assert "already ended on 30.06.2025" in preview.errors[0].message


def test_a_stored_membership_in_another_chapter_is_an_error(network: Network, chapter: LocalChapter) -> None:
    other = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    import_rows(network, [row(lokallag="stavanger")])
    preview = preview_of(network, [row(lokallag=other.name)])
    assert [(e.row, e.column) for e in preview.errors] == [(2, "lokallag")]


def test_a_later_start_date_adds_a_second_period(network: Network) -> None:
    import_rows(network, [row(sluttdato="31.12.2024")])
    done = import_rows(network, [row(sluttdato="31.12.2024"), row(startdato="01.03.2025")])
    assert counts(done) == {
        "rows": 2,
        "create": 0,
        "update": 0,
        "add": 1,
        "end": 0,
        "unchanged": 1,
        "errors": 0,
    }
    assert Membership.objects.count() == 2


def test_it_never_touches_another_networks_persons(network: Network, other_network: Network) -> None:
    add_member(other_network, None, "kari@example.no", Role.RESOURCE_PERSON, dt.date(2020, 1, 1))
    done = import_rows(network, [row()])
    assert done.to_create == 1
    assert Person.objects.filter(email="kari@example.no").count() == 2


def test_apply_validates_again_and_writes_nothing_if_the_roster_changed(network: Network) -> None:
    preview = preview_of(network, [row()])
    assert preview.errors == []
    # Between preview and confirm somebody adds an overlapping membership by hand.
    add_member(network, None, "kari@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    before = snapshot()
    with pytest.raises(ImportRejected) as rejected:
        RosterImporter(network).apply(preview, actor=None)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "startdato")]
    assert snapshot() == before


# --- Queries --------------------------------------------------------------------------------------------


def test_validate_runs_a_fixed_number_of_queries(network: Network, chapter: LocalChapter, rita: User) -> None:
    def rows(n: int) -> list[dict[str, Any]]:
        return [person_row(i, lokallag="Stavanger", leder_epost="rita@example.no") for i in range(n)]

    import_rows(network, rows(20)[10:])  # some of the persons exist, with memberships
    small = count_queries(lambda: preview_of(network, rows(10)))
    large = count_queries(lambda: preview_of(network, rows(100)))
    assert small == large
    assert small <= 10


def test_apply_of_many_rows_does_not_query_per_row_beyond_the_audit(network: Network) -> None:
    def queries(n: int) -> int:
        Membership.objects.all().delete()
        Person.objects.all().delete()
        Workplace.objects.all().delete()
        preview = preview_of(network, [person_row(i, arbeidssted=f"Sted {i % 3}") for i in range(n)])
        return count_queries(lambda: RosterImporter(network).apply(preview, actor=None))

    # Workplaces, persons, memberships and audit entries are all inserted in bulk.
    assert queries(40) == queries(20)


def test_the_summary_line_is_the_one_operators_script_against() -> None:
    preview: Preview[Any] = Preview(rows_total=56, to_create=50, to_add=56, to_end=3)
    assert summary_line(preview) == (
        "Rader: 56. Nye personer: 50, endrede: 0, nye medlemskap: 56, avsluttede: 3, uendrede: 0."
    )


# --- The command line -----------------------------------------------------------------------------------


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_the_summary(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes([row(), person_row(2), person_row(3, sluttdato="31.12.2024")]))
    out, err = run_command(str(path), "--network", "barnepalliasjon")
    assert (
        out.strip() == "Rader: 3. Nye personer: 3, endrede: 0, nye medlemskap: 3, avsluttede: 0, uendrede: 0."
    )
    assert err == ""
    assert Person.objects.filter(network=network).count() == 3
    summary = AuditEntry.objects.get(action="roster.imported")
    assert (summary.actor, summary.data["file"]) == (None, "liste.csv")
    out, _ = run_command(str(path), "--network", "barnepalliasjon")
    assert "uendrede: 3." in out


def test_the_command_prints_every_error_writes_nothing_and_exits_1(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes([row(), person_row(2, epost="feil"), person_row(3, rolle="sjef")]))
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_roster", str(path), "--network", "barnepalliasjon", stderr=err)
    assert caught.value.returncode == 1
    assert "2 feil i filen. Ingenting er lagret." in str(caught.value)
    assert err.getvalue().splitlines() == [
        "Rad 3, kolonne epost: “feil” is not a valid e-mail address.",
        "Rad 4, kolonne rolle: Unknown role “sjef”.",
    ]
    assert snapshot() == before


def test_the_command_dry_run_writes_nothing(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "liste.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, [row()[name] or None for name in HEADER]]))
    before = snapshot()
    out, _ = run_command(str(path), "--network", "barnepalliasjon", "--dry-run")
    assert out.splitlines() == [
        "Rader: 1. Nye personer: 1, endrede: 0, nye medlemskap: 1, avsluttede: 0, uendrede: 0.",
        "Prøvekjøring (--dry-run): ingenting er lagret.",
    ]
    assert snapshot() == before


def test_the_command_rejects_an_unknown_network(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes([row()]))
    with pytest.raises(CommandError, match="Fant ikke nettverket «finnes-ikke»") as caught:
        run_command(str(path), "--network", "finnes-ikke")
    assert caught.value.returncode == 1


def test_the_command_rejects_an_unreadable_file(network: Network, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="mangler.csv: Kan ikke lese filen."):
        run_command(str(tmp_path / "mangler.csv"), "--network", "barnepalliasjon")
    path = tmp_path / "liste.txt"
    path.write_text("a;b\n")
    with pytest.raises(CommandError, match="Filtypen «.txt» støttes ikke"):
        run_command(str(path), "--network", "barnepalliasjon")

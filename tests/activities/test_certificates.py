"""Certificates of attended activities and yearly statements as PDF, and the public page that verifies a
certificate's code. PDF text is read with pdftotext (poppler-utils)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.activities.certificates import css_string, page_numbers_css, verification_url
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
    Theme,
)
from fagnett.activities.person import attendance_for_certificate, yearly_statement
from fagnett.audit.models import AuditEntry
from fagnett.networks.access import access_for
from fagnett.networks.models import LocalChapter, Network, Person, Role, ServiceType, Workplace
from fagnett.places.models import HealthTrust
from tests.conftest import add_member, login
from tests.helpers import ON_CI, count_queries, nb, needs_pdftotext, pdf_text

SLUG = "barnepalliasjon"
PDFINFO = shutil.which("pdfinfo")

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def person_of(user: User, network: Network) -> Person:
    return Person.objects.get(network=network, user=user)


def attended(activity: Activity, person: Person, hours: Decimal | None = None) -> Attendance:
    return Attendance.objects.create(
        activity=activity,
        person=person,
        status=AttendanceStatus.ATTENDED,
        hours=activity.hours if hours is None else hours,
    )


def certificate_url(attendance: Attendance) -> str:
    return reverse("activities:certificate", args=[SLUG, attendance.pk])


def statement_url(person: Person, year: int) -> str:
    return reverse("activities:yearly_statement", args=[SLUG, person.pk, year])


@pytest.fixture
def inside(network: Network, chapter: LocalChapter) -> Person:
    """A resource person in Carl's chapter."""
    return add_member(
        network, None, "inne@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter
    ).person


@pytest.fixture
def outside(network: Network) -> Person:
    """A resource person in no chapter."""
    return add_member(network, None, "ute@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1)).person


@pytest.fixture
def unit(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Barneavdelingen",
        service_type=ServiceType.objects.get(code=ServiceType.HOSPITAL_UNIT, network=None),
        health_trust=HealthTrust.objects.first(),
        in_scope=True,
    )


# --- The certificate -------------------------------------------------------------------------------------


@needs_pdftotext
def test_rita_downloads_her_certificate_with_name_activity_date_hours_organiser_and_code(
    client: Client, network: Network, rita: User, activity: Activity, tmp_path: Path
) -> None:
    record = attended(activity, person_of(rita, network))
    response = login(client, rita).get(certificate_url(record))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="attest-nettverkssamling-smertelindring-2025-06-11.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    for expected in (
        nb("Certificate of attendance"),
        "Rita Ressurs",
        "Nettverkssamling: smertelindring",
        "11.06.2025",
        network.name,
        record.verification_code,
        verification_url(record.verification_code),
    ):
        assert expected in text
    assert f"{nb('Credited hours')} 6" in text


@needs_pdftotext
def test_a_certificate_shows_partial_hours_with_a_decimal_comma_and_the_chapter_as_organiser(
    client: Client, network: Network, rita: User, chapter_activity: Activity, tmp_path: Path
) -> None:
    record = attended(chapter_activity, person_of(rita, network), Decimal("2.5"))
    text = pdf_text(login(client, rita).get(certificate_url(record)).content, tmp_path)
    assert "2,50" in text
    assert f"Stavanger, {network.name}" in text


@pytest.mark.skipif(PDFINFO is None and not ON_CI, reason="pdfinfo (poppler-utils) is not installed")
def test_the_certificate_is_a_tagged_a4_pdf_with_a_title(
    client: Client, network: Network, rita: User, activity: Activity, tmp_path: Path
) -> None:
    assert PDFINFO is not None
    record = attended(activity, person_of(rita, network))
    path = tmp_path / "attest.pdf"
    path.write_bytes(login(client, rita).get(certificate_url(record)).content)
    info = subprocess.run(  # noqa: S603 - a fixed binary on a file this test wrote
        [PDFINFO, str(path)], capture_output=True, check=True, text=True
    ).stdout
    assert "Tagged:          yes" in info
    assert "(A4)" in info
    assert "Nettverkssamling: smertelindring" in info  # the document title


@needs_pdftotext
def test_documents_are_numbered_page_x_of_y(
    client: Client, network: Network, rita: User, activity: Activity, tmp_path: Path
) -> None:
    record = attended(activity, person_of(rita, network))
    text = pdf_text(login(client, rita).get(certificate_url(record)).content, tmp_path)
    assert nb("Page %(page)s of %(pages)s", page=1, pages=1) in text


def test_the_page_numbers_survive_quotes_in_a_translation() -> None:
    with translation.override("en"):
        css = page_numbers_css()
    assert css == '"Page " counter(page) " of " counter(pages) ""'
    assert css_string('Side "x" <b>') == '"Side \\"x\\" \\3C b>"'


def test_the_document_templates_refer_to_no_other_resource(network: Network, activity: Activity) -> None:
    person = add_member(network, None, "x@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1)).person
    record = attended(activity, person)
    html = render_to_string(
        "activities/certificate.html",
        {"attendance": record, "person": person, "activity": activity, "themes": [], "organiser": "N"},
    )
    assert "url(" not in html
    assert "src=" not in html
    assert "<link" not in html


def test_rita_gets_404_for_someone_elses_certificate(
    client: Client, network: Network, rita: User, outside: Person, activity: Activity
) -> None:
    record = attended(activity, outside)
    assert login(client, rita).get(certificate_url(record)).status_code == 404


def test_an_absence_has_no_certificate(
    client: Client, network: Network, alice: User, rita: User, activity: Activity
) -> None:
    record = Attendance.objects.create(
        activity=activity, person=person_of(rita, network), status=AttendanceStatus.ABSENT
    )
    assert login(client, rita).get(certificate_url(record)).status_code == 404
    assert login(client, alice).get(certificate_url(record)).status_code == 404


def test_alice_downloads_anyones_certificate_and_the_download_is_audited(
    client: Client, network: Network, alice: User, outside: Person, activity: Activity
) -> None:
    record = attended(activity, outside)
    assert login(client, alice).get(certificate_url(record)).status_code == 200
    entry = AuditEntry.objects.get(action="activities.certificate.downloaded")
    assert entry.actor == alice
    assert entry.target_id == str(record.pk)


def test_rita_downloading_her_own_certificate_leaves_no_audit_entry(
    client: Client, network: Network, rita: User, activity: Activity
) -> None:
    record = attended(activity, person_of(rita, network))
    assert login(client, rita).get(certificate_url(record)).status_code == 200
    assert not AuditEntry.objects.filter(action="activities.certificate.downloaded").exists()


def test_carl_downloads_certificates_of_his_chapters_persons_and_of_his_chapters_activities_only(
    client: Client,
    network: Network,
    carl: User,
    inside: Person,
    outside: Person,
    activity: Activity,
    chapter_activity: Activity,
) -> None:
    login(client, carl)
    assert client.get(certificate_url(attended(activity, inside))).status_code == 200
    assert client.get(certificate_url(attended(chapter_activity, outside))).status_code == 200
    assert client.get(certificate_url(attended(activity, outside))).status_code == 404


@pytest.mark.parametrize("persona", ["lena", "rolf", "charlie", "nobody"])
def test_others_get_404_for_ritas_certificate(
    client: Client,
    network: Network,
    rita: User,
    activity: Activity,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    record = attended(activity, person_of(rita, network))
    user: User = request.getfixturevalue(persona)
    assert login(client, user).get(certificate_url(record)).status_code == 404


def test_a_certificate_of_another_networks_activity_is_404_under_this_network(
    client: Client, network: Network, other_network: Network, charlie: User, rita: User
) -> None:
    foreign = Activity.objects.create(
        network=other_network,
        kind=ActivityKind.COURSE,
        title="Kurs i Bergen",
        starts_on=dt.date(2025, 5, 5),
        ends_on=dt.date(2025, 5, 5),
        hours=Decimal(3),
    )
    person = add_member(other_network, None, "b@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1)).person
    record = attended(foreign, person)
    assert login(client, rita).get(certificate_url(record)).status_code == 404


def test_anonymous_is_sent_to_log_in_for_a_certificate(
    client: Client, network: Network, rita: User, activity: Activity
) -> None:
    record = attended(activity, person_of(rita, network))
    response = client.get(certificate_url(record))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_certificate_lookup_reads_a_fixed_number_of_queries(
    network: Network, alice: User, activity: Activity
) -> None:
    person = add_member(network, None, "q@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1)).person
    record = attended(activity, person)
    access = access_for(alice, network)
    few = count_queries(lambda: attendance_for_certificate(access, record.pk))
    activity.themes.set([Theme.objects.create(network=network, name=f"Tema {i}") for i in range(5)])
    assert count_queries(lambda: attendance_for_certificate(access, record.pk)) == few


# --- The yearly statement --------------------------------------------------------------------------------


@pytest.fixture
def ritas_2025(
    network: Network, rita: User, activity: Activity, chapter_activity: Activity, unit: Workplace
) -> Person:
    """Rita in 2025: two activities attended (6 h and 3 h), one absence, two completed days of shadowing,
    one planned; and an activity in 2024 (4 h)."""
    rita_person = person_of(rita, network)
    attended(activity, rita_person)
    attended(chapter_activity, rita_person)
    missed = Activity.objects.create(
        network=network,
        kind=ActivityKind.WEBINAR,
        title="Webinar om smerte",
        starts_on=dt.date(2025, 3, 3),
        ends_on=dt.date(2025, 3, 3),
        hours=Decimal(1),
    )
    Attendance.objects.create(activity=missed, person=rita_person, status=AttendanceStatus.ABSENT)
    earlier = Activity.objects.create(
        network=network,
        kind=ActivityKind.INTRO_COURSE,
        title="Introduksjonskurs 2024",
        starts_on=dt.date(2024, 12, 31),
        ends_on=dt.date(2025, 1, 1),
        hours=Decimal(4),
    )
    attended(earlier, rita_person)
    Shadowing.objects.create(
        network=network,
        person=rita_person,
        host=unit,
        starts_on=dt.date(2025, 2, 10),
        ends_on=dt.date(2025, 2, 11),
        days=Decimal(2),
        status=ShadowingStatus.DONE,
    )
    Shadowing.objects.create(
        network=network,
        person=rita_person,
        host=unit,
        starts_on=dt.date(2025, 11, 10),
        ends_on=dt.date(2025, 11, 10),
        days=Decimal(1),
        status=ShadowingStatus.PLANNED,
    )
    return rita_person


def test_the_statement_counts_attended_activities_and_completed_shadowing_of_the_year(
    network: Network, ritas_2025: Person
) -> None:
    statement = yearly_statement(network, ritas_2025, 2025)
    assert [a.activity.title for a in statement.attendances] == [
        "Nettverkssamling: smertelindring",
        "Lokal samling Stavanger",
    ]
    assert statement.activity_hours == Decimal(9)
    assert statement.shadowing_days == Decimal(2)
    assert statement.supervision_hours == Decimal(8)
    assert statement.total_hours == Decimal(17)
    # An activity belongs to the year it starts in.
    assert [a.activity.title for a in yearly_statement(network, ritas_2025, 2024).attendances] == [
        "Introduksjonskurs 2024"
    ]


def test_the_statement_uses_the_networks_supervision_hours_per_day(
    network: Network, ritas_2025: Person
) -> None:
    network.shadowing_hours_per_day = Decimal("3.5")
    network.save()
    assert yearly_statement(network, ritas_2025, 2025).supervision_hours == Decimal(7)


@needs_pdftotext
def test_rita_downloads_her_yearly_statement_with_activities_hours_and_shadowing(
    client: Client, network: Network, rita: User, ritas_2025: Person, tmp_path: Path
) -> None:
    response = login(client, rita).get(statement_url(ritas_2025, 2025))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="aarsoversikt-barnepalliasjon-2025-')
    text = pdf_text(response.content, tmp_path)
    for expected in (
        nb("Yearly statement %(year)s", year=2025),
        "Rita Ressurs",
        "Nettverkssamling: smertelindring",
        "11.06.2025",
        "Lokal samling Stavanger",
        "17.09.2025",
        "Barneavdelingen",
        "10.02.2025",
    ):
        assert expected in text
    assert "Webinar om smerte" not in text
    assert "Introduksjonskurs 2024" not in text
    assert f"{nb('Credited hours from activities')} 9" in text
    assert f"{nb('Days of job shadowing')} 2" in text
    assert f"{nb('Hours of clinical supervision from job shadowing')} 8" in text
    assert f"{nb('Total hours')} 17" in text


@needs_pdftotext
def test_an_empty_year_gives_a_statement_that_says_so(
    client: Client, network: Network, rita: User, tmp_path: Path
) -> None:
    text = pdf_text(login(client, rita).get(statement_url(person_of(rita, network), 2023)).content, tmp_path)
    assert nb("No activities attended in %(year)s.", year=2023) in text
    assert nb("No completed job shadowing in %(year)s.", year=2023) in text


def test_alice_downloads_anyones_statement_and_it_is_audited(
    client: Client, network: Network, alice: User, outside: Person
) -> None:
    assert login(client, alice).get(statement_url(outside, 2025)).status_code == 200
    entry = AuditEntry.objects.get(action="activities.yearly_statement.downloaded")
    assert (entry.actor, entry.target_id, entry.data) == (alice, str(outside.pk), {"year": 2025})


def test_carl_downloads_statements_of_his_chapters_persons_only(
    client: Client, network: Network, carl: User, inside: Person, outside: Person
) -> None:
    login(client, carl)
    assert client.get(statement_url(inside, 2025)).status_code == 200
    assert client.get(statement_url(outside, 2025)).status_code == 404


def test_rita_gets_404_for_someone_elses_statement(
    client: Client, network: Network, rita: User, outside: Person
) -> None:
    assert login(client, rita).get(statement_url(outside, 2025)).status_code == 404


@pytest.mark.parametrize("persona", ["lena", "rolf", "charlie", "nobody"])
def test_others_get_404_for_ritas_statement(
    client: Client, network: Network, rita: User, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    assert login(client, user).get(statement_url(person_of(rita, network), 2025)).status_code == 404


def test_a_year_out_of_range_is_404(client: Client, network: Network, rita: User) -> None:
    assert login(client, rita).get(statement_url(person_of(rita, network), 1066)).status_code == 404


def test_anonymous_is_sent_to_log_in_for_a_statement(client: Client, network: Network, rita: User) -> None:
    response = client.get(statement_url(person_of(rita, network), 2025))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_statement_reads_a_fixed_number_of_queries(
    network: Network, rita: User, activity: Activity, unit: Workplace
) -> None:
    person = person_of(rita, network)
    attended(activity, person)
    few = count_queries(lambda: yearly_statement(network, person, 2025))
    themes = [Theme.objects.create(network=network, name=f"Tema {i}") for i in range(3)]
    for i in range(8):
        more = Activity.objects.create(
            network=network,
            kind=ActivityKind.COURSE,
            title=f"Kurs {i}",
            starts_on=dt.date(2025, 1, 1 + i),
            ends_on=dt.date(2025, 1, 1 + i),
            hours=Decimal(2),
        )
        more.themes.set(themes)
        attended(more, person)
        Shadowing.objects.create(
            network=network,
            person=person,
            host=unit,
            starts_on=dt.date(2025, 4, 1 + i),
            ends_on=dt.date(2025, 4, 1 + i),
            days=Decimal(1),
            status=ShadowingStatus.DONE,
        )
    assert count_queries(lambda: yearly_statement(network, person, 2025)) == few


# --- Public verification ---------------------------------------------------------------------------------


def test_anyone_can_verify_a_certificate_by_its_code_without_seeing_personal_data(
    client: Client, network: Network, rita: User, activity: Activity
) -> None:
    record = attended(activity, person_of(rita, network), Decimal("5.5"))
    response = client.get(reverse("activities:verify", args=[record.verification_code]))
    assert response.status_code == 200
    page = response.content.decode()
    for expected in ("Rita Ressurs", "Nettverkssamling: smertelindring", "11.06.2025", "5,50", network.name):
        assert expected in page
    assert "rita@example.no" not in page
    assert "Stavanger universitetssjukehus" not in page  # nothing beyond what the certificate states


def test_verification_accepts_a_code_typed_in_lower_case(
    client: Client, network: Network, rita: User, activity: Activity
) -> None:
    record = attended(activity, person_of(rita, network))
    response = client.get(reverse("activities:verify", args=[record.verification_code.lower()]))
    assert response.status_code == 200


def test_an_unknown_code_answers_a_clear_not_found_page(client: Client, db: None) -> None:
    response = client.get(reverse("activities:verify", args=["ZZZZZZZZZZ"]))
    assert response.status_code == 404
    assert nb("Check a certificate") in response.content.decode()
    assert "ZZZZZZZZZZ" in response.content.decode()


def test_the_code_of_an_absence_does_not_verify(
    client: Client, network: Network, rita: User, activity: Activity
) -> None:
    record = Attendance.objects.create(
        activity=activity, person=person_of(rita, network), status=AttendanceStatus.ABSENT
    )
    assert client.get(reverse("activities:verify", args=[record.verification_code])).status_code == 404

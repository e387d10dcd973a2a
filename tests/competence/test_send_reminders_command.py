"""`send_reminders` against a real SMTP server on 127.0.0.1 (aiosmtpd): what arrives, how often, and what the
command prints. The rules themselves are tested in test_reminders.py."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from fagnett.activities.models import ActivityKind
from fagnett.competence import reminders
from fagnett.competence.models import (
    DigestState,
    Reminder,
    ReminderDigest,
    ReminderPreference,
    Requirement,
    RequirementKind,
)
from fagnett.networks.models import Network, Person
from tests.activities.test_emails import Collector, free_port
from tests.competence.helpers import attend, resource_person
from tests.helpers import nb

pytestmark = pytest.mark.django_db

# Joined 15.11.2024: both once-requirements are due 15.11.2025; their 60-day window opens 16.09.2025.
JOINED = dt.date(2024, 11, 15)
WINDOW_OPENS = dt.datetime(2025, 9, 16, 5, tzinfo=dt.UTC)  # 07:00 in Oslo, a cron job's time
BOTH_UPCOMING = "introduksjonskurs:upcoming:2025-11-15,hospitering:upcoming:2025-11-15"


class RefusingCollector(Collector):
    """Refuses recipients whose address starts with "refused", as a server refuses an unknown mailbox."""

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.startswith("refused"):
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(address for _, tos, _ in self.received for address in tos)


def use_server(settings: Any, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Fagnett <noreply@fagnett.example.no>"


@pytest.fixture
def smtp(settings: Any) -> Iterator[RefusingCollector]:
    collector = RefusingCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_server(settings, controller.port)
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(WINDOW_OPENS, tick=False) as traveller:
        yield traveller


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().splitlines()


def person(network: Network, email: str, *, leader_email: str = "") -> Person:
    created = resource_person(network, email, JOINED)
    if leader_email:
        Person.objects.filter(pk=created.pk).update(leader_email=leader_email)
    return created


@pytest.mark.usefixtures("clock")
def test_it_sends_each_person_one_digest_and_prints_what_it_sent(
    smtp: RefusingCollector, network: Network
) -> None:
    person(network, "kari@example.no")
    person(network, "ola@example.no")

    lines = run()

    assert lines == [
        f"sent kari@example.no barnepalliasjon {BOTH_UPCOMING}",
        f"sent ola@example.no barnepalliasjon {BOTH_UPCOMING}",
        "2 e-mails to persons, 0 to leaders, 0 failed",
    ]
    assert smtp.recipients() == ["kari@example.no", "ola@example.no"]
    message = smtp.message_to("kari@example.no")
    assert message["Subject"].strip() == nb(
        "Reminder: your competence plan in %(network)s", network=network.name
    )
    assert message["From"] == "Fagnett <noreply@fagnett.example.no>"
    digest = ReminderDigest.objects.get(email="kari@example.no")
    assert (digest.state, digest.sent is not None, digest.error) == (DigestState.SENT, True, "")
    assert digest.items.count() == 2


@pytest.mark.usefixtures("clock")
def test_a_second_run_the_same_day_sends_nothing(smtp: RefusingCollector, network: Network) -> None:
    person(network, "kari@example.no")
    run()

    lines = run()

    assert lines == ["0 e-mails to persons, 0 to leaders, 0 failed"]
    assert smtp.recipients() == ["kari@example.no"]


def test_a_reminder_is_never_sent_twice_even_after_the_weekly_limit(
    smtp: RefusingCollector, network: Network, clock: time_machine.Traveller
) -> None:
    person(network, "kari@example.no")
    run()
    clock.shift(dt.timedelta(days=14))

    assert run() == ["0 e-mails to persons, 0 to leaders, 0 failed"]
    assert len(smtp.received) == 1


@pytest.mark.usefixtures("clock")
def test_dry_run_lists_what_it_would_send_and_sends_and_stores_nothing(
    smtp: RefusingCollector, network: Network
) -> None:
    person(network, "kari@example.no", leader_email="leder@example.no")

    lines = run("--dry-run")

    assert lines == [
        f"would send kari@example.no barnepalliasjon {BOTH_UPCOMING}",
        "would send leader leder@example.no barnepalliasjon kari@example.no "
        "introduksjonskurs:upcoming:2025-11-15",
        "1 e-mails to persons, 1 to leaders, 0 failed (dry run: nothing sent)",
    ]
    assert smtp.received == []
    assert not ReminderDigest.objects.exists()
    assert not Reminder.objects.exists()
    # A real run afterwards sends exactly what the dry run listed.
    assert run()[:2] == [
        f"sent kari@example.no barnepalliasjon {BOTH_UPCOMING}",
        "leader leder@example.no barnepalliasjon kari@example.no introduksjonskurs:upcoming:2025-11-15",
    ]


@pytest.mark.usefixtures("clock")
def test_the_leader_gets_a_separate_message_for_the_intro_course_only(
    smtp: RefusingCollector, network: Network
) -> None:
    kari = person(network, "kari@example.no", leader_email="leder@example.no")
    # Ola has met the introductory course: only job shadowing is left, which the leader is not told about.
    ola = person(network, "ola@example.no", leader_email="leder2@example.no")
    attend(ola, ActivityKind.INTRO_COURSE, dt.date(2025, 1, 10), "6")

    lines = run()

    assert lines == [
        f"sent kari@example.no barnepalliasjon {BOTH_UPCOMING}",
        "leader leder@example.no barnepalliasjon kari@example.no introduksjonskurs:upcoming:2025-11-15",
        "sent ola@example.no barnepalliasjon hospitering:upcoming:2025-11-15",
        "2 e-mails to persons, 1 to leaders, 0 failed",
    ]
    assert smtp.recipients() == ["kari@example.no", "leder@example.no", "ola@example.no"]
    to_kari = smtp.message_to("kari@example.no")
    to_leader = smtp.message_to("leder@example.no")
    assert to_kari["Cc"] is None
    assert to_leader["Subject"].strip() == nb(
        "Reminder: the competence plan of %(name)s in %(network)s",
        name=kari.full_name,
        network=network.name,
    )
    assert ReminderDigest.objects.get(person=kari).leader_email == "leder@example.no"
    assert ReminderDigest.objects.get(person=ola).leader_email == ""


@pytest.mark.usefixtures("clock")
def test_persons_who_turned_reminders_off_or_left_get_nothing(
    smtp: RefusingCollector, network: Network
) -> None:
    off = person(network, "off@example.no", leader_email="leder@example.no")
    ReminderPreference.objects.create(person=off, enabled=False)
    resource_person(network, "left@example.no", JOINED, end=dt.date(2025, 9, 1))

    assert run() == ["0 e-mails to persons, 0 to leaders, 0 failed"]
    assert smtp.received == []
    assert not ReminderDigest.objects.exists()


def test_a_second_reminder_within_a_week_waits_and_is_sent_after_seven_days(
    smtp: RefusingCollector, network: Network, clock: time_machine.Traveller
) -> None:
    kari = person(network, "kari@example.no")
    assert run()[0] == f"sent kari@example.no barnepalliasjon {BOTH_UPCOMING}"
    # Two days later the coordinator adds a requirement that is due within 60 days at once.
    clock.shift(dt.timedelta(days=2))
    plan = Requirement.objects.get(plan__network=network, code="hospitering").plan
    Requirement.objects.create(
        plan=plan,
        code="veiledning",
        name="Veiledning",
        kind=RequirementKind.ONCE,
        activity_kinds=[ActivityKind.GUIDANCE],
        within_months=11,
        position=9,
    )

    assert run()[0] == "skipped kari@example.no weekly limit"
    clock.shift(dt.timedelta(days=4))  # six days after the first digest
    assert run()[0] == "skipped kari@example.no weekly limit"
    assert len(smtp.received) == 1
    clock.shift(dt.timedelta(days=1))  # seven days after

    assert run() == [
        "sent kari@example.no barnepalliasjon veiledning:upcoming:2025-10-15",
        "1 e-mails to persons, 0 to leaders, 0 failed",
    ]
    assert len(smtp.received) == 2
    assert ReminderDigest.objects.filter(person=kari, state=DigestState.SENT).count() == 2


def test_an_upcoming_reminder_not_yet_sent_is_replaced_by_the_overdue_one(
    smtp: RefusingCollector, network: Network, clock: time_machine.Traveller
) -> None:
    person(network, "kari@example.no")
    clock.move_to(dt.datetime(2025, 11, 16, 6, tzinfo=dt.UTC))  # the cron job did not run in the window

    assert run()[0] == (
        "sent kari@example.no barnepalliasjon "
        "introduksjonskurs:overdue:2025-11-15,hospitering:overdue:2025-11-15"
    )
    assert len(smtp.received) == 1


def test_a_crash_after_a_message_left_the_server_sends_nobody_twice(
    smtp: RefusingCollector, network: Network, clock: time_machine.Traveller, monkeypatch: Any
) -> None:
    for name in ("anne", "berit", "cecilie"):
        person(network, f"{name}@example.no")
    deliver = reminders._deliver

    def crash_after_first(connection: BaseEmailBackend, message: EmailMultiAlternatives) -> None:
        deliver(connection, message)
        raise KeyboardInterrupt  # killed after the server took it, before the digest was marked sent

    monkeypatch.setattr(reminders, "_deliver", crash_after_first)
    with pytest.raises(KeyboardInterrupt):
        run()
    monkeypatch.setattr(reminders, "_deliver", deliver)
    assert ReminderDigest.objects.get().state == DigestState.SENDING

    lines = run()
    clock.shift(dt.timedelta(days=8))
    later = run()

    assert lines == [
        "uncertain anne@example.no 2025-09-16T07:00:00+02:00",
        f"sent berit@example.no barnepalliasjon {BOTH_UPCOMING}",
        f"sent cecilie@example.no barnepalliasjon {BOTH_UPCOMING}",
        "2 e-mails to persons, 0 to leaders, 0 failed",
    ]
    # Once the weekly limit is over the uncertain digest is not reported, and still never sent again.
    assert later == ["0 e-mails to persons, 0 to leaders, 0 failed"]
    assert smtp.recipients() == ["anne@example.no", "berit@example.no", "cecilie@example.no"]


@pytest.mark.usefixtures("clock")
def test_a_failed_message_is_recorded_reported_and_tried_again_by_the_next_run(
    settings: Any, network: Network
) -> None:
    kari = person(network, "kari@example.no")
    use_server(settings, free_port())  # nothing listens there

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 reminder e-mail"):
        call_command("send_reminders", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("failed kari@example.no ConnectionRefusedError")
    assert lines[1] == "0 e-mails to persons, 0 to leaders, 1 failed"
    digest = ReminderDigest.objects.get(person=kari)
    assert digest.state == DigestState.FAILED
    assert "ConnectionRefusedError" in digest.error
    assert not Reminder.objects.exists()

    collector = RefusingCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_server(settings, controller.port)
        assert run()[0] == f"sent kari@example.no barnepalliasjon {BOTH_UPCOMING}"
    finally:
        controller.stop()
    assert collector.recipients() == ["kari@example.no"]


@pytest.mark.usefixtures("clock")
def test_a_refused_leader_address_fails_the_run_but_the_person_is_not_reminded_again(
    smtp: RefusingCollector, network: Network
) -> None:
    kari = person(network, "kari@example.no", leader_email="refused@example.no")
    person(network, "ola@example.no")

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 reminder e-mail"):
        call_command("send_reminders", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == f"sent kari@example.no barnepalliasjon {BOTH_UPCOMING}"
    assert lines[1].startswith("failed refused@example.no SMTPRecipientsRefused")
    assert lines[2:] == [
        f"sent ola@example.no barnepalliasjon {BOTH_UPCOMING}",
        "2 e-mails to persons, 0 to leaders, 1 failed",
    ]
    digest = ReminderDigest.objects.get(person=kari)
    assert digest.state == DigestState.SENT
    assert digest.error.startswith("leader: SMTPRecipientsRefused")
    assert smtp.recipients() == ["kari@example.no", "ola@example.no"]


@pytest.mark.usefixtures("clock")
def test_network_limits_the_run_to_one_network(
    smtp: RefusingCollector, network: Network, other_network: Network
) -> None:
    person(network, "kari@example.no")
    person(other_network, "bergen@example.no")

    assert run("--network", "bergen") == [
        f"sent bergen@example.no bergen {BOTH_UPCOMING}",
        "1 e-mails to persons, 0 to leaders, 0 failed",
    ]
    with pytest.raises(CommandError, match="No network"):
        run("--network", "finnes-ikke")
    assert run() == [
        f"sent kari@example.no barnepalliasjon {BOTH_UPCOMING}",
        "1 e-mails to persons, 0 to leaders, 0 failed",
    ]

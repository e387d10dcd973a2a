"""The sending engine: queueing, the worker's loop (claim before SMTP, retries with back-off, permanent
failures, uncertain rows after a crash, opt-outs), the watchdog, progress facts and the coordinator's
decision about uncertain deliveries. SMTP is a scripted backend here; test_worker_kill.py uses a real
server."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network, Role
from fagnett.newsletters import rendering, sending
from fagnett.newsletters.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus, OptOut
from fagnett.newsletters.sending import (
    find_stalled,
    progress,
    queue_newsletter,
    recover_stalled,
    resolve_uncertain,
    send_pending,
)
from tests.conftest import add_member
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 5, 12, 8, 0, tzinfo=dt.UTC)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CaptureOnCommit = Callable[..., Any]


class ScriptedBackend(BaseEmailBackend):
    """An e-mail backend that fails as told: `script[address]` is a list of exceptions (None = accept) used
    one per attempt; `sent` lists the accepted addresses in order; `during_send` runs inside a send."""

    script: ClassVar[dict[str, list[Exception | None]]] = {}
    sent: ClassVar[list[str]] = []
    during_send: ClassVar[Callable[[str], None] | None] = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            address = message.to[0]
            planned = self.script.get(address, [])
            outcome = planned.pop(0) if planned else None
            hook = type(self).during_send
            if hook is not None:
                type(self).during_send = None
                hook(address)
            if outcome is not None:
                raise outcome
            self.sent.append(address)
        return len(email_messages)


@pytest.fixture
def scripted(settings: Any) -> Iterator[type[ScriptedBackend]]:
    settings.EMAIL_BACKEND = f"{__name__}.ScriptedBackend"
    ScriptedBackend.script = {}
    ScriptedBackend.sent = []
    ScriptedBackend.during_send = None
    yield ScriptedBackend
    ScriptedBackend.during_send = None


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def members(network: Network, *emails: str) -> None:
    for email in emails:
        add_member(network, None, email, Role.RESOURCE_PERSON, dt.date(2024, 1, 1))


def draft(network: Network, **fields: Any) -> Newsletter:
    return Newsletter.objects.create(network=network, subject="Vårbrev", body="Hei *alle*", **fields)


def queued(network: Network, alice: User, *emails: str, **fields: Any) -> Newsletter:
    """A queued newsletter whose task has not run (the test's transaction never commits)."""
    members(network, *emails)
    newsletter = draft(network, **fields)
    queue_newsletter(newsletter, alice)
    return newsletter


def statuses(newsletter: Newsletter) -> dict[str, str]:
    return dict(Delivery.objects.filter(newsletter=newsletter).values_list("email", "status"))


def refused(code: int, text: str = "Mailbox busy") -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({"x": (code, text.encode())})


# Queueing ----------------------------------------------------------------------------------------------


def test_it_queues_one_delivery_per_recipient_freezes_the_text_and_audits(
    network: Network, alice: User, clock: time_machine.Traveller
) -> None:
    members(network, "kari@example.no", "ola@example.no")
    newsletter = draft(network, extra_recipients="ny@example.no")

    count = queue_newsletter(newsletter, alice)

    assert count == 4  # alice is an active member (coordinator) too
    newsletter.refresh_from_db()
    assert (newsletter.status, newsletter.queued_at, newsletter.queued_by) == (
        NewsletterStatus.QUEUED,
        T0,
        alice,
    )
    assert "<em>alle</em>" in newsletter.sent_html
    assert set(statuses(newsletter).values()) == {DeliveryStatus.QUEUED}
    assert sorted(statuses(newsletter)) == [
        "alice@example.no",
        "kari@example.no",
        "ny@example.no",
        "ola@example.no",
    ]
    entry = AuditEntry.objects.get(action="newsletter.queued")
    assert (entry.actor, entry.target_id, entry.network) == (alice, str(newsletter.pk), network)
    assert entry.data == {"recipients": 4}
    assert "status" in entry.fields


def test_it_sends_after_the_commit(
    network: Network, alice: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    members(network, "kari@example.no")
    newsletter = draft(network)

    with django_capture_on_commit_callbacks(execute=True):
        queue_newsletter(newsletter, alice)

    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.no", "kari@example.no"]
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT
    assert set(statuses(newsletter).values()) == {DeliveryStatus.SENT}


def test_it_enqueues_a_database_task_after_the_commit(
    network: Network, alice: User, settings: Any, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    settings.TASKS = DB_TASKS
    newsletter = draft(network)

    with django_capture_on_commit_callbacks(execute=True):
        queue_newsletter(newsletter, alice)

    task = DBTaskResult.objects.get()
    assert (task.status, task.args_kwargs) == ("READY", {"args": [newsletter.pk], "kwargs": {}})
    assert mail.outbox == []


@pytest.mark.parametrize("status", [NewsletterStatus.QUEUED, NewsletterStatus.SENDING, NewsletterStatus.SENT])
def test_it_refuses_to_queue_a_newsletter_that_is_not_a_draft(
    network: Network, alice: User, status: NewsletterStatus
) -> None:
    newsletter = draft(network, status=status)

    with pytest.raises(ValidationError) as raised:
        queue_newsletter(newsletter, alice)

    assert raised.value.messages == [
        nb(
            "“%(subject)s” has already been sent or is being sent. Only a draft can be sent.",
            subject="Vårbrev",
        )
    ]
    assert not Delivery.objects.exists()
    assert not AuditEntry.objects.filter(action="newsletter.queued").exists()


def test_it_refuses_to_queue_without_recipients_and_saves_nothing(network: Network, alice: User) -> None:
    OptOut.objects.create(network=network, email="alice@example.no")
    newsletter = draft(network)

    with pytest.raises(ValidationError) as raised:
        queue_newsletter(newsletter, alice)

    assert raised.value.messages == [
        nb(
            "“%(subject)s” has no recipients: nobody is an active member, and there are no line managers or "
            "extra addresses that have not opted out.",
            subject="Vårbrev",
        )
    ]
    newsletter.refresh_from_db()
    assert (newsletter.status, newsletter.sent_html, newsletter.queued_at) == (
        NewsletterStatus.DRAFT,
        "",
        None,
    )
    assert not Delivery.objects.exists()
    assert not AuditEntry.objects.filter(action="newsletter.queued").exists()


# The worker's loop ---------------------------------------------------------------------------------------


def test_it_sends_every_due_delivery_and_closes_the_newsletter(
    network: Network, alice: User, clock: time_machine.Traveller
) -> None:
    newsletter = queued(network, alice, "kari@example.no", "ola@example.no")

    report = send_pending(newsletter.pk)

    assert (report.sent, report.failed, report.finished) == (3, 0, True)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alice@example.no",
        "kari@example.no",
        "ola@example.no",
    ]
    message = mail.outbox[0]
    assert message.subject == "Vårbrev"
    assert "List-Unsubscribe" in message.extra_headers
    newsletter.refresh_from_db()
    assert (newsletter.status, newsletter.finished_at, newsletter.heartbeat_at) == (
        NewsletterStatus.SENT,
        T0,
        T0,
    )
    delivery = Delivery.objects.get(email="kari@example.no")
    assert (delivery.status, delivery.attempts, delivery.claimed_at, delivery.sent_at) == (
        DeliveryStatus.SENT,
        1,
        T0,
        T0,
    )


def test_it_never_sends_to_an_address_that_opted_out_after_queueing(network: Network, alice: User) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    OptOut.objects.create(network=network, email="KARI@example.no")

    report = send_pending(newsletter.pk)

    assert [message.to[0] for message in mail.outbox] == ["alice@example.no"]
    assert statuses(newsletter)["kari@example.no"] == DeliveryStatus.OPTED_OUT
    assert report.opted_out == 1


def test_it_turns_rows_left_sending_by_a_crashed_run_into_uncertain_and_never_resends_them(
    network: Network, alice: User
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    Delivery.objects.filter(email="kari@example.no").update(status=DeliveryStatus.SENDING, attempts=1)

    report = send_pending(newsletter.pk)

    assert [message.to[0] for message in mail.outbox] == ["alice@example.no"]
    assert statuses(newsletter)["kari@example.no"] == DeliveryStatus.UNCERTAIN
    assert (report.uncertain, report.finished) == (1, True)


def test_two_workers_on_one_newsletter_never_send_an_address_twice(
    network: Network, alice: User, scripted: type[ScriptedBackend]
) -> None:
    newsletter = queued(network, alice, "kari@example.no", "ola@example.no", "per@example.no")
    inner: list[sending.SendReport] = []
    # While the first worker is handing its first message over, a second worker runs the whole newsletter.
    scripted.during_send = lambda address: inner.append(send_pending(newsletter.pk))

    outer = send_pending(newsletter.pk)

    assert (
        sorted(scripted.sent)
        == sorted(set(scripted.sent))
        == [
            "alice@example.no",
            "kari@example.no",
            "ola@example.no",
            "per@example.no",
        ]
    )
    assert (outer.sent, inner[0].sent) == (1, 3)
    # The second worker saw the first one's row as "sending"; the first one, knowing the answer, settles it.
    assert set(statuses(newsletter).values()) == {DeliveryStatus.SENT}
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT


def test_it_retries_temporary_failures_with_back_off_and_then_fails(
    network: Network, alice: User, scripted: type[ScriptedBackend], clock: time_machine.Traveller
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    scripted.script["kari@example.no"] = [refused(451, "Try again later")] * 4
    waits: list[dt.timedelta] = []

    for _attempt in range(3):
        report = send_pending(newsletter.pk)
        delivery = Delivery.objects.get(email="kari@example.no")
        assert (delivery.status, delivery.last_error) == (DeliveryStatus.RETRY, "451 Try again later")
        assert delivery.next_attempt_at is not None
        waits.append(delivery.next_attempt_at - dt.datetime.now(dt.UTC))
        assert not report.finished
        assert send_pending(newsletter.pk).sent == 0  # not due yet: nothing is sent early
        clock.move_to(delivery.next_attempt_at)
    report = send_pending(newsletter.pk)

    assert waits == [dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=25)]
    delivery = Delivery.objects.get(email="kari@example.no")
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        4,
        "451 Try again later",
    )
    assert report.finished
    assert scripted.sent == ["alice@example.no"]


def test_it_sends_on_retry_once_the_temporary_failure_is_over(
    network: Network, alice: User, scripted: type[ScriptedBackend], clock: time_machine.Traveller
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    scripted.script["kari@example.no"] = [smtplib.SMTPDataError(421, b"Service not available")]

    send_pending(newsletter.pk)
    clock.shift(dt.timedelta(minutes=1))
    report = send_pending(newsletter.pk)

    assert scripted.sent.count("kari@example.no") == 1
    delivery = Delivery.objects.get(email="kari@example.no")
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert report.finished


def test_it_reports_a_permanent_failure_with_the_servers_reason(
    network: Network, alice: User, scripted: type[ScriptedBackend]
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    scripted.script["kari@example.no"] = [refused(550, "5.1.1 No such\r\n  mailbox")]

    report = send_pending(newsletter.pk)

    delivery = Delivery.objects.get(email="kari@example.no")
    assert (delivery.status, delivery.last_error, delivery.attempts) == (
        DeliveryStatus.FAILED,
        "550 5.1.1 No such mailbox",
        1,
    )
    assert (report.failed, report.sent, report.finished) == (1, 1, True)


def test_a_broken_connection_retries_that_delivery_and_leaves_the_rest_queued(
    network: Network, alice: User, scripted: type[ScriptedBackend], clock: time_machine.Traveller
) -> None:
    newsletter = queued(network, alice, "kari@example.no", "ola@example.no")
    scripted.script["alice@example.no"] = [ConnectionRefusedError(111, "Connection refused")]

    report = send_pending(newsletter.pk)

    assert scripted.sent == []
    assert statuses(newsletter) == {
        "alice@example.no": DeliveryStatus.RETRY,
        "kari@example.no": DeliveryStatus.QUEUED,
        "ola@example.no": DeliveryStatus.QUEUED,
    }
    assert "Connection refused" in Delivery.objects.get(email="alice@example.no").last_error
    # The immediate backend of the tests cannot defer a task; the watchdog would resume it.
    assert (report.retry, report.finished, report.next_run) == (1, False, None)


def test_it_schedules_the_next_run_for_the_earliest_retry_when_the_backend_can_defer(
    network: Network,
    alice: User,
    scripted: type[ScriptedBackend],
    settings: Any,
    clock: time_machine.Traveller,
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    settings.TASKS = DB_TASKS
    scripted.script["kari@example.no"] = [refused(452, "Insufficient storage")]

    report = send_pending(newsletter.pk)

    task = DBTaskResult.objects.get()
    assert (task.run_after, task.args_kwargs["args"]) == (T0 + dt.timedelta(minutes=1), [newsletter.pk])
    assert report.next_run == T0 + dt.timedelta(minutes=1)
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENDING


def test_a_long_run_hands_over_to_a_new_task_after_its_time_budget(
    network: Network,
    alice: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    clock: time_machine.Traveller,
) -> None:
    newsletter = queued(network, alice, "kari@example.no", "ola@example.no")
    settings.TASKS = DB_TASKS
    monkeypatch.setattr(sending, "RUN_BUDGET", 0.0)

    report = send_pending(newsletter.pk)

    assert (report.sent, report.finished, report.next_run) == (1, False, T0)
    assert sorted(statuses(newsletter).values()) == [
        DeliveryStatus.QUEUED,
        DeliveryStatus.QUEUED,
        DeliveryStatus.SENT,
    ]
    assert DBTaskResult.objects.ready().get().args_kwargs["args"] == [newsletter.pk]


class DroppingSMTP(smtplib.SMTP):
    """An SMTP connection that drops while the message body is on its way: the answer is lost."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()  # no host: nothing is connected

    def sendmail(self, from_addr: str, to_addrs: Any, msg: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.data(msg)
        return {}

    def data(self, msg: Any) -> tuple[int, bytes]:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class DroppingBackend(SMTPBackend):
    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return DroppingSMTP


def test_a_connection_lost_during_the_message_makes_the_delivery_uncertain(
    network: Network, alice: User, settings: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DroppingBackend"
    newsletter = queued(network, alice)

    report = send_pending(newsletter.pk)

    delivery = Delivery.objects.get(email="alice@example.no")
    assert (delivery.status, delivery.last_error) == (
        DeliveryStatus.UNCERTAIN,
        "SMTPServerDisconnected: Connection unexpectedly closed",
    )
    assert (report.uncertain, report.finished) == (1, True)


def test_a_message_that_cannot_be_built_fails_with_the_reason_and_the_rest_go(
    network: Network, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    real = rendering.build_message

    def build(letter: Newsletter, email: str) -> Any:
        if email == "kari@example.no":
            raise ValueError("broken template")
        return real(letter, email)

    monkeypatch.setattr(rendering, "build_message", build)

    send_pending(newsletter.pk)

    assert [message.to[0] for message in mail.outbox] == ["alice@example.no"]
    delivery = Delivery.objects.get(email="kari@example.no")
    assert (delivery.status, delivery.last_error, delivery.attempts) == (
        DeliveryStatus.FAILED,
        "ValueError: broken template",
        0,
    )


def test_it_does_nothing_for_a_draft_or_a_missing_newsletter(network: Network) -> None:
    newsletter = draft(network)

    assert send_pending(newsletter.pk).as_json()["sent"] == 0
    assert send_pending(newsletter.pk + 1000).finished is False
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.DRAFT


# The watchdog ------------------------------------------------------------------------------------------


def stalled(network: Network, alice: User, minutes: int = 11) -> Newsletter:
    """A send whose worker died `minutes` ago with kari's message in its hands."""
    newsletter = queued(network, alice, "kari@example.no", "ola@example.no")
    Newsletter.objects.filter(pk=newsletter.pk).update(
        status=NewsletterStatus.SENDING, heartbeat_at=T0 - dt.timedelta(minutes=minutes)
    )
    Delivery.objects.filter(email="kari@example.no").update(status=DeliveryStatus.SENDING, attempts=1)
    Delivery.objects.filter(email="alice@example.no").update(status=DeliveryStatus.SENT, attempts=1)
    return newsletter


@pytest.mark.usefixtures("clock")
def test_the_watchdog_marks_the_dead_workers_row_uncertain_and_enqueues_a_new_task(
    network: Network, alice: User, settings: Any, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    newsletter = stalled(network, alice)
    settings.TASKS = DB_TASKS

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_stalled() == 1

    assert statuses(newsletter)["kari@example.no"] == DeliveryStatus.UNCERTAIN
    assert statuses(newsletter)["ola@example.no"] == DeliveryStatus.QUEUED
    assert DBTaskResult.objects.get().args_kwargs["args"] == [newsletter.pk]
    assert AuditEntry.objects.get(action="newsletter.send_recovered").data == {"uncertain": 1}
    # A waiting task will continue it: later watchdog runs leave it alone.
    assert recover_stalled(T0 + dt.timedelta(minutes=30)) == 0


@pytest.mark.usefixtures("clock")
def test_the_watchdog_resumes_the_send_with_the_immediate_backend(
    network: Network, alice: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    newsletter = stalled(network, alice)

    with django_capture_on_commit_callbacks(execute=True):
        recover_stalled()

    assert [message.to[0] for message in mail.outbox] == ["ola@example.no"]
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT


@pytest.mark.usefixtures("clock")
def test_the_watchdog_leaves_a_live_send_and_a_draft_alone(network: Network, alice: User) -> None:
    stalled(network, alice, minutes=9)
    draft(network)

    assert find_stalled() == []
    assert recover_stalled() == 0


@pytest.mark.usefixtures("clock")
def test_the_watchdog_takes_over_a_queued_send_no_worker_started(network: Network, alice: User) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    Newsletter.objects.filter(pk=newsletter.pk).update(queued_at=T0 - dt.timedelta(minutes=11))

    assert find_stalled() == [newsletter]


@pytest.mark.usefixtures("clock")
def test_the_watchdog_command_prints_what_it_would_do_and_what_it_did(
    network: Network, alice: User, settings: Any, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    newsletter = stalled(network, alice)
    settings.TASKS = DB_TASKS
    out = io.StringIO()

    call_command("newsletter_watchdog", "--dry-run", stdout=out)
    assert statuses(newsletter)["kari@example.no"] == DeliveryStatus.SENDING
    with django_capture_on_commit_callbacks(execute=True):
        call_command("newsletter_watchdog", stdout=out)

    assert out.getvalue().splitlines() == [
        f'would recover {newsletter.pk} barnepalliasjon "Vårbrev"',
        "1 stalled newsletter(s)",
        f'recovered {newsletter.pk} barnepalliasjon "Vårbrev" (1 uncertain)',
        "1 stalled newsletter(s)",
    ]
    assert statuses(newsletter)["kari@example.no"] == DeliveryStatus.UNCERTAIN


# Progress and the coordinator's decision --------------------------------------------------------------


def test_progress_counts_each_status_and_the_share_done(network: Network, alice: User) -> None:
    newsletter = queued(network, alice, "a@example.no", "b@example.no", "c@example.no")
    Newsletter.objects.filter(pk=newsletter.pk).update(status=NewsletterStatus.SENDING)
    newsletter.refresh_from_db()
    Delivery.objects.filter(email__in=["a@example.no", "b@example.no"]).update(status=DeliveryStatus.SENT)
    Delivery.objects.filter(email="c@example.no").update(status=DeliveryStatus.UNCERTAIN)

    facts = progress(newsletter)

    assert (facts.total, facts.done, facts.percent, facts.running) == (4, 3, 75, True)
    assert (facts.sent, facts.failed, facts.counts[DeliveryStatus.QUEUED]) == (2, 0, 1)
    assert [(row.status, row.count) for row in facts.rows] == [
        (DeliveryStatus.QUEUED, 1),
        (DeliveryStatus.SENT, 2),
        (DeliveryStatus.UNCERTAIN, 1),
    ]
    assert [delivery.email for delivery in facts.uncertain] == ["c@example.no"]
    assert [delivery.email for delivery in facts.page] == [
        "a@example.no",
        "alice@example.no",
        "b@example.no",
        "c@example.no",
    ]


@pytest.mark.parametrize("size", [3, 230])
def test_progress_takes_a_fixed_number_of_queries(network: Network, size: int) -> None:
    newsletter = draft(network, status=NewsletterStatus.SENDING)
    Delivery.objects.bulk_create(
        Delivery(
            newsletter=newsletter, email=f"p{n:03}@example.no", kind="medlem", status=DeliveryStatus.SENT
        )
        for n in range(size)
    )

    assert count_queries(lambda: progress(newsletter, 2)) == 4
    assert progress(newsletter, 3).page.object_list[0].email == (
        "p200@example.no" if size > 200 else "p000@example.no"
    )


def test_the_coordinator_marks_uncertain_deliveries_as_sent(network: Network, alice: User) -> None:
    newsletter = queued(network, alice, "kari@example.no", "ola@example.no")
    Delivery.objects.filter(email__in=["kari@example.no", "ola@example.no"]).update(
        status=DeliveryStatus.UNCERTAIN, claimed_at=T0
    )
    kari, ola, alices = (
        Delivery.objects.get(email=e) for e in ("kari@example.no", "ola@example.no", "alice@example.no")
    )

    changed = resolve_uncertain(newsletter, [kari.pk, alices.pk], "mark_sent", alice)

    assert changed == 1  # alice's row is queued, not uncertain: untouched
    kari.refresh_from_db()
    assert (kari.status, kari.sent_at) == (DeliveryStatus.SENT, T0)
    assert statuses(newsletter)["ola@example.no"] == DeliveryStatus.UNCERTAIN
    assert statuses(newsletter)["alice@example.no"] == DeliveryStatus.QUEUED
    entry = AuditEntry.objects.get(action="newsletter.uncertain_resolved")
    assert (entry.actor, entry.data) == (alice, {"action": "mark_sent", "deliveries": 1})
    assert mail.outbox == []


def test_the_coordinator_sends_uncertain_deliveries_again(
    network: Network, alice: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    Delivery.objects.update(status=DeliveryStatus.SENT)
    Delivery.objects.filter(email="kari@example.no").update(status=DeliveryStatus.UNCERTAIN)
    Newsletter.objects.filter(pk=newsletter.pk).update(status=NewsletterStatus.SENT)
    newsletter.refresh_from_db()
    kari = Delivery.objects.get(email="kari@example.no")

    with django_capture_on_commit_callbacks(execute=True):
        assert resolve_uncertain(newsletter, [kari.pk], "resend", alice) == 1

    assert [message.to[0] for message in mail.outbox] == ["kari@example.no"]
    assert statuses(newsletter)["kari@example.no"] == DeliveryStatus.SENT
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT


def test_it_changes_nothing_for_another_newsletters_rows_or_an_unknown_action(
    network: Network, alice: User
) -> None:
    newsletter = queued(network, alice, "kari@example.no")
    other = draft(network)
    Delivery.objects.update(status=DeliveryStatus.UNCERTAIN)
    kari = Delivery.objects.get(email="kari@example.no")

    assert resolve_uncertain(other, [kari.pk], "mark_sent", alice) == 0
    with pytest.raises(ValueError, match="unknown action"):
        resolve_uncertain(newsletter, [kari.pk], "delete", alice)  # type: ignore[arg-type]
    assert set(statuses(newsletter).values()) == {DeliveryStatus.UNCERTAIN}
    assert not AuditEntry.objects.filter(action="newsletter.uncertain_resolved").exists()

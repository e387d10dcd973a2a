"""No duplicates, nothing lost, against a real SMTP server on 127.0.0.1 (aiosmtpd).

The kill test runs the real thing in subprocesses: `manage.py db_worker` with the database task backend on a
SQLite file, SIGKILLed in the middle of a 40-recipient send, then the watchdog and a fresh worker. It then
compares what the server received with what the database says: no address got two copies, every address
the database calls sent arrived, and whatever arrived is either sent or reported uncertain.

The retry test drives `send_pending` in this process against a server that answers 451 once and 550 always
for chosen addresses.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from fagnett.networks.models import Network, Role
from fagnett.newsletters.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus
from fagnett.newsletters.sending import queue_newsletter, send_pending
from tests.activities.test_emails import free_port
from tests.conftest import add_member

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 40
KILL_AFTER = 10
DELAY = 0.2  # seconds the server takes per message, so that the kill lands mid-send


class Server:
    """An aiosmtpd handler that counts what it received per address. It answers 451 to the first attempt
    for `temporary` addresses and 550 to every attempt for `permanent` ones, and takes `delay` seconds per
    message after it has the message (a kill in that window loses the server's answer, not the message)."""

    def __init__(
        self, delay: float = 0.0, temporary: set[str] | None = None, permanent: set[str] | None = None
    ):
        self.delay = delay
        self.temporary = set(temporary or ())
        self.permanent = set(permanent or ())
        self.received: list[str] = []
        self.lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.permanent:
            return "550 5.1.1 No such mailbox"
        if address in self.temporary:
            self.temporary.discard(address)
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def start(server: Server) -> Controller:
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


# The kill test -------------------------------------------------------------------------------------------

SETUP = """
import datetime as dt
from fagnett.networks.models import Membership, Network, Person, Role
from fagnett.newsletters.models import Newsletter
from fagnett.newsletters.sending import queue_newsletter

# The copied test database has the built-in roles unless a transactional test emptied it.
role, _ = Role.objects.get_or_create(
    code=Role.RESOURCE_PERSON, network=None, defaults={"name": "Ressursperson"}
)
network = Network.objects.create(name="Drepetest", slug="drepetest")
for number in range(%(recipients)d):
    person = Person.objects.create(
        network=network, first_name="Person", last_name=str(number), email=f"p{number:02}@example.no"
    )
    Membership.objects.create(person=person, network=network, role=role, start=dt.date(2024, 1, 1))
newsletter = Newsletter.objects.create(network=network, subject="Drepetest", body="Hei **alle**")
print(queue_newsletter(newsletter, None), newsletter.pk)
"""


@pytest.fixture
def database_file(tmp_path: Path, django_db_setup: None, django_db_blocker: Any) -> Path:
    """A migrated SQLite file that the worker subprocesses and this test all see.

    On SQLite, a copy of the (in-memory) test database as migrated, taken outside any transaction; on
    another database, `manage.py migrate` into a new file (slower, but the same outcome).
    """
    path = tmp_path / "worker.sqlite3"
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            return path
    manage("migrate", "--no-input", "-v", "0", env=environment(path, 25))
    return path


def environment(path: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{path}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_URL=f"smtp://127.0.0.1:{port}?timeout=10",
        DEFAULT_FROM_EMAIL="Fagnett <noreply@fagnett.example.no>",
        FAGNETT_REQUIRE_MFA_FOR_STAFF="0",
    )
    return env


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - this interpreter running the project's manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def worker(env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_a_killed_worker_never_causes_a_second_copy_and_the_rest_is_sent_after_recovery(
    database_file: Path, tmp_path: Path
) -> None:
    server = Server(delay=DELAY)
    controller = start(server)
    log = tmp_path / "worker.log"
    try:
        env = environment(database_file, controller.port)
        output = manage("shell", "-v", "0", "-c", SETUP % {"recipients": RECIPIENTS}, env=env)
        count, newsletter_id = output.splitlines()[-1].split()
        assert int(count) == RECIPIENTS

        first = worker(env, log)
        try:
            wait_for(lambda: server.count() >= KILL_AFTER, 20, f"{KILL_AFTER} messages at the server")
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        time.sleep(DELAY + 0.1)  # let the server finish the message it was given
        at_kill = server.count()
        assert at_kill < RECIPIENTS, "the worker finished before it was killed; the test proves nothing"

        db = sqlite3.connect(database_file)
        try:
            in_flight = db.execute(
                "SELECT count(*) FROM newsletters_delivery WHERE status = ?", [DeliveryStatus.SENDING.value]
            ).fetchone()[0]
            assert in_flight <= 1
            # As time passes: the dead worker's heartbeat grows old enough for the watchdog.
            with db:
                db.execute(
                    "UPDATE newsletters_newsletter SET heartbeat_at = strftime('%Y-%m-%d %H:%M:%f', 'now', "
                    "'-11 minutes') WHERE id = ?",
                    [newsletter_id],
                )
        finally:
            db.close()

        assert "recovered" in manage("newsletter_watchdog", env=env)
        second = worker(env, log, "--batch")
        assert second.wait(30) == 0, log.read_text()

        db = sqlite3.connect(database_file)
        try:
            rows = dict(
                db.execute(
                    "SELECT email, status FROM newsletters_delivery WHERE newsletter_id = ?", [newsletter_id]
                ).fetchall()
            )
            (newsletter_status,) = db.execute(
                "SELECT status FROM newsletters_newsletter WHERE id = ?", [newsletter_id]
            ).fetchone()
        finally:
            db.close()
    finally:
        controller.stop()

    received = Counter(server.received)
    everyone = {f"p{number:02}@example.no" for number in range(RECIPIENTS)}
    sent = {email for email, status in rows.items() if status == DeliveryStatus.SENT.value}
    uncertain = {email for email, status in rows.items() if status == DeliveryStatus.UNCERTAIN.value}
    assert set(rows) == everyone
    assert sent | uncertain == everyone, rows
    assert len(uncertain) <= 1  # one worker, one message in its hands when it died
    assert max(received.values()) == 1, "an address got two copies"
    assert sent <= set(received), "the database says sent, the server never got it"
    assert set(received) <= sent | uncertain, "the server got a message the database does not account for"
    assert all(received[email] == 1 for email in everyone - uncertain)
    assert newsletter_status == NewsletterStatus.SENT.value
    assert at_kill < len(received)  # the second worker did send the rest


# Temporary and permanent failures ---------------------------------------------------------------------


@pytest.fixture
def greylisting(settings: Any) -> Iterator[Server]:
    server = Server(temporary={"p01@example.no", "p02@example.no"}, permanent={"p03@example.no"})
    controller = start(server)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        controller.stop()


@pytest.mark.django_db
def test_a_451_is_retried_into_one_copy_and_a_550_fails_with_the_servers_reason(
    greylisting: Server, network: Network
) -> None:
    for number in range(5):
        add_member(network, None, f"p{number:02}@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1))
    newsletter = Newsletter.objects.create(network=network, subject="Vårbrev", body="Hei")
    queue_newsletter(newsletter, None)

    first = send_pending(newsletter.pk)
    retried = dict(Delivery.objects.filter(status=DeliveryStatus.RETRY).values_list("email", "last_error"))
    Delivery.objects.filter(status=DeliveryStatus.RETRY).update(next_attempt_at=dt.datetime.now(dt.UTC))
    second = send_pending(newsletter.pk)

    assert (first.sent, first.retry, first.failed, first.finished) == (2, 2, 1, False)
    assert retried == {
        "p01@example.no": "451 4.7.1 Greylisted, try again later",
        "p02@example.no": "451 4.7.1 Greylisted, try again later",
    }
    assert (second.sent, second.finished) == (2, True)
    assert Counter(greylisting.received) == {
        "p00@example.no": 1,
        "p01@example.no": 1,
        "p02@example.no": 1,
        "p04@example.no": 1,
    }
    rows = {d.email: (d.status, d.attempts, d.last_error) for d in Delivery.objects.all()}
    assert rows["p01@example.no"] == (DeliveryStatus.SENT, 2, "")
    assert rows["p03@example.no"] == (DeliveryStatus.FAILED, 1, "550 5.1.1 No such mailbox")
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT

"""`send_evaluation_links`: the e-mail with a personal single-use link to each attendee once the activity
has ended, sent through Django's SMTP backend to a real SMTP server on 127.0.0.1 (aiosmtpd) and read back
from what it received."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError

from fagnett.activities.models import Activity, AttendanceStatus
from fagnett.audit.models import AuditEntry
from fagnett.evaluations.links import hash_token
from fagnett.evaluations.links_email import send_links
from fagnett.evaluations.models import AnswerLink, Evaluation
from fagnett.networks.models import Network
from tests.activities.test_emails import Collector, free_port
from tests.evaluations.test_setup import AFTER, DURING, OSLO, attach, attendee, make_activity
from tests.helpers import nb

BASE_URL = "https://fagnett.example.no"
LINK = re.compile(r"https://fagnett\.example\.no/e/([a-z0-9]+)/([A-Za-z0-9_-]+)/")


@pytest.fixture
def smtp(settings: Any) -> Iterator[Collector]:
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Fagnett <noreply@fagnett.example.no>"
    settings.FAGNETT_BASE_URL = BASE_URL
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def activity(network: Network) -> Activity:
    """A study day on 11.06.2025, 09:00–15:00."""
    return make_activity(network)


@pytest.fixture
def evaluation(activity: Activity) -> Evaluation:
    """The default template on the study day, open 11.06.2025 08:00 to 25.06.2025 15:00, e-mail opted in,
    with two attendees, one absent person and one attendee without an e-mail address."""
    attendee(activity, "anne@example.no", "Anne")
    attendee(activity, "berit@example.no", "Berit")
    attendee(activity, "fravaer@example.no", "Frida", status=AttendanceStatus.ABSENT)
    attendee(activity, "", "Uten")
    return attach(activity, email=True)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_evaluation_links", *args, stdout=out)
    return out.getvalue()


def at(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


# Sending -------------------------------------------------------------------------------------------------


def test_each_attendee_gets_one_e_mail_with_a_personal_single_use_link(
    smtp: Collector, evaluation: Evaluation
) -> None:
    with at(AFTER):
        output = run()
    messages = smtp.messages()
    assert sorted(str(m["To"]) for m in messages) == ["anne@example.no", "berit@example.no"]
    assert "sent barnepalliasjon 2025-06-11 Fagdag: smertelindring: 2 of 2 e-mail(s)" in output
    tokens = []
    for message in messages:
        found = LINK.findall(text_part(message))
        assert len(found) == 1
        code, token = found[0]
        assert code == evaluation.short_code
        assert f"{BASE_URL}/e/{code}/{token}/" in html_part(message)
        tokens.append(token)
    assert len(set(tokens)) == 2
    # Only the hashes are stored, one per message, none used, and none names a person.
    links = AnswerLink.objects.filter(evaluation=evaluation)
    assert sorted(link.token_hash for link in links) == sorted(hash_token(token) for token in tokens)
    assert not links.filter(used=True).exists()
    assert not any(token in link.token_hash for token in tokens for link in links)
    evaluation.refresh_from_db()
    assert evaluation.emailed_at == AFTER
    entry = AuditEntry.objects.get(action="evaluations.links_emailed")
    assert entry.data == {"recipients": 2}
    assert entry.actor is None


def test_the_message_comes_from_the_network_and_says_what_when_until_when_and_how_anonymous(
    smtp: Collector, evaluation: Evaluation
) -> None:
    with at(AFTER):
        run()
    message = smtp.message_to("anne@example.no")
    name, address = parseaddr(str(message["From"]))
    assert (name, address) == ("Barnepalliasjon Sør-Rogaland", "noreply@fagnett.example.no")
    assert str(message["Subject"]).strip() == nb(
        "What did you think of %(title)s?", title="Fagdag: smertelindring"
    )
    text = text_part(message)
    html = html_part(message)
    deadline = nb("%(date)s at %(time)s", date="25.06.2025", time="15:00")
    for body in (text, html):
        assert "Fagdag: smertelindring" in body
        assert "11.06.2025" in body
        assert nb("The form is open until %(deadline)s.", deadline=deadline) in body
        assert "Barnepalliasjon Sør-Rogaland" in body
    assert text.startswith(nb("Hello %(name)s,", name="Anne"))
    anonymous = nb(
        "The form is anonymous: your response is stored without your name, e-mail address, IP address or "
        "time of day, and nobody can see which response is yours. The link is personal and can be used once, "
        "but it is not stored with your response."
    )
    assert anonymous in " ".join(text.split())


def test_a_form_that_is_not_anonymous_says_so(smtp: Collector, evaluation: Evaluation) -> None:
    form = evaluation.form
    form.anonymous = False
    form.save()
    with at(AFTER):
        run()
    text = " ".join(text_part(smtp.message_to("anne@example.no")).split())
    assert (
        nb(
            "The form is not anonymous: your name is stored with your response. The link is personal and can "
            "be used once."
        )
        in text
    )


def test_a_second_run_sends_nothing(smtp: Collector, evaluation: Evaluation) -> None:
    with at(AFTER):
        run()
    with at(AFTER + dt.timedelta(minutes=15)):
        output = run()
    assert len(smtp.received) == 2
    assert AnswerLink.objects.count() == 2
    assert "0 of 0 e-mail(s) sent for 0 evaluation(s)" in output


def test_a_dry_run_sends_and_stores_nothing(smtp: Collector, evaluation: Evaluation) -> None:
    with at(AFTER):
        output = run("--dry-run")
    assert "would send barnepalliasjon 2025-06-11 Fagdag: smertelindring: 2 e-mail(s)" in output
    assert smtp.received == []
    assert not AnswerLink.objects.exists()
    evaluation.refresh_from_db()
    assert evaluation.emailed_at is None
    assert not AuditEntry.objects.filter(action="evaluations.links_emailed").exists()


def test_the_messages_go_over_one_smtp_session(smtp: Collector, evaluation: Evaluation) -> None:
    with at(AFTER):
        run()
    assert len({session for session, _, _ in smtp.received}) == 1


# When nothing is sent ------------------------------------------------------------------------------------


def test_nothing_is_sent_before_the_activity_has_ended(smtp: Collector, evaluation: Evaluation) -> None:
    with at(DURING):
        run()
    with at(dt.datetime(2025, 6, 11, 14, 59, tzinfo=OSLO)):
        run()
    assert smtp.received == []
    evaluation.refresh_from_db()
    assert evaluation.emailed_at is None
    with at(dt.datetime(2025, 6, 11, 15, 0, tzinfo=OSLO)):
        run()
    assert len(smtp.received) == 2


def test_nothing_is_sent_without_the_opt_in(smtp: Collector, evaluation: Evaluation) -> None:
    Evaluation.objects.filter(pk=evaluation.pk).update(email_attendees=False)
    with at(AFTER):
        run()
    assert smtp.received == []
    assert not AnswerLink.objects.exists()


def test_nothing_is_sent_once_the_form_has_closed(smtp: Collector, evaluation: Evaluation) -> None:
    with at(dt.datetime(2025, 6, 25, 15, 0, tzinfo=OSLO)):
        run()
    assert smtp.received == []
    evaluation.refresh_from_db()
    assert evaluation.emailed_at is None


def test_the_link_waits_for_a_form_that_opens_after_the_activity(
    smtp: Collector, evaluation: Evaluation
) -> None:
    opens = dt.datetime(2025, 6, 12, 8, 0, tzinfo=OSLO)
    Evaluation.objects.filter(pk=evaluation.pk).update(opens_at=opens)
    with at(AFTER):
        run()
    assert smtp.received == []
    with at(opens):
        run()
    assert len(smtp.received) == 2


def test_an_activity_without_an_end_time_counts_as_ended_at_midnight(
    smtp: Collector, network: Network
) -> None:
    activity = make_activity(network, title="Heldagssamling", start=None, end=None)
    attendee(activity, "anne@example.no", "Anne")
    attach(activity, email=True)
    with at(dt.datetime(2025, 6, 11, 23, 59, tzinfo=OSLO)):
        run()
    assert smtp.received == []
    with at(dt.datetime(2025, 6, 12, 0, 0, tzinfo=OSLO)):
        run()
    assert len(smtp.received) == 1


def test_without_recorded_attendees_it_waits_and_sends_once_attendance_is_recorded(
    smtp: Collector, activity: Activity
) -> None:
    evaluation = attach(activity, email=True)
    with at(AFTER):
        output = run()
    assert "waiting barnepalliasjon 2025-06-11 Fagdag: smertelindring: " in output
    assert smtp.received == []
    evaluation.refresh_from_db()
    assert evaluation.emailed_at is None
    attendee(activity, "anne@example.no", "Anne")
    with at(AFTER + dt.timedelta(hours=1)):
        run()
    assert [str(m["To"]) for m in smtp.messages()] == ["anne@example.no"]


def test_only_the_due_evaluations_are_sent(smtp: Collector, evaluation: Evaluation, network: Network) -> None:
    later = make_activity(network, title="Neste fagdag", day=dt.date(2025, 6, 20))
    attendee(later, "anne@example.no", "Anne")
    other = attach(later, email=True)
    with at(AFTER):
        run()
    assert len(smtp.received) == 2
    other.refresh_from_db()
    assert other.emailed_at is None


# Failures ------------------------------------------------------------------------------------------------


def test_a_mail_server_failure_is_not_retried_so_nobody_gets_two_links(
    smtp: Collector, evaluation: Evaluation, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with at(AFTER), pytest.raises(CommandError, match="not accepted by the mail server"):
        run()
    assert "Could not send 2 evaluation link e-mail(s)" in caplog.text
    evaluation.refresh_from_db()
    assert evaluation.emailed_at == AFTER
    assert AnswerLink.objects.count() == 2
    settings.EMAIL_PORT = working_port
    with at(AFTER + dt.timedelta(minutes=15)):
        run()
    assert smtp.received == []


def test_a_broken_message_rolls_back_so_the_next_run_sends(
    smtp: Collector, evaluation: Evaluation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("template error")

    monkeypatch.setattr("fagnett.evaluations.links_email.build_message", broken)
    with at(AFTER), pytest.raises(RuntimeError):
        send_links(evaluation)
    evaluation.refresh_from_db()
    assert evaluation.emailed_at is None
    assert not AnswerLink.objects.exists()
    monkeypatch.undo()
    with at(AFTER):
        run()
    assert len(smtp.received) == 2


def test_the_service_refuses_a_second_send_with_the_date_it_went(
    smtp: Collector, evaluation: Evaluation
) -> None:
    with at(AFTER):
        first = send_links(evaluation)
        second = send_links(evaluation)
    assert (first.recipients, first.sent, first.refusal) == (2, 2, "")
    moment = nb("%(date)s at %(time)s", date="11.06.2025", time="15:30")
    assert second.refusal == nb(
        "The link was already e-mailed to the attendees on %(moment)s.", moment=moment
    )
    assert len(smtp.received) == 2

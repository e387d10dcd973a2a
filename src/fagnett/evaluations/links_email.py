"""The e-mail with a personal, single-use answer link to each attendee of an activity that has ended.

Sent once per evaluation, never twice: the links are issued and `Evaluation.emailed_at` is set in one
transaction, and the messages go out only after it has committed (as competence.reminders does). A rerun
(the cron job runs every 15 minutes) therefore finds nothing to send. The price is that a crash or a
mail-server failure in the middle of sending leaves some attendees without their link; they can still
answer through the short link or QR code shown in the room, which works without a personal link.
Nothing records which token went to whom: the raw tokens exist only in the messages (evaluations.links).

Who gets it: every attendee recorded as attended (activities.Attendance) with an e-mail address, one message
per address, when the activity has ended (local time) and the form is open. With no attendee recorded yet
nothing is sent and nothing is marked, so the next run tries again once attendance is recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fagnett.activities.emails import format_when
from fagnett.activities.models import Attendance, AttendanceStatus
from fagnett.audit.services import log_action
from fagnett.core.links import absolute_url
from fagnett.evaluations.answering import Availability, availability
from fagnett.evaluations.links import answer_url, issue_links
from fagnett.evaluations.models import Evaluation
from fagnett.evaluations.services import activity_ends_at, activity_has_ended
from fagnett.networks.models import Network, Person

if TYPE_CHECKING:
    from fagnett.accounts.models import User

logger = logging.getLogger(__name__)


@dataclass
class SendResult:
    """What happened to one evaluation: `refusal` says why nothing was sent; otherwise `recipients` is how
    many messages were prepared and `sent` how many the mail server accepted (0 in a dry run)."""

    evaluation: Evaluation
    recipients: int = 0
    sent: int = 0
    refusal: str = ""
    dry_run: bool = False


def format_moment(moment: dt.datetime) -> str:
    """A moment as Norwegians write it: 25.06.2025 kl. 15:00 (local time)."""
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {"date": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"}


def sender(network: Network) -> str:
    """The site's sending address with the network's name, so attendees see who asks."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((network.name, address))


def send_refusal(evaluation: Evaluation, now: dt.datetime) -> str:
    """Why the links cannot be sent now, or "" when they can (the opt-in is the caller's business)."""
    if evaluation.emailed_at is not None:
        return _("The link was already e-mailed to the attendees on %(moment)s.") % {
            "moment": format_moment(evaluation.emailed_at)
        }
    if not activity_has_ended(evaluation.activity, now):
        return _("The link is sent when the activity has ended, %(moment)s.") % {
            "moment": format_moment(activity_ends_at(evaluation.activity))
        }
    state = availability(evaluation, now)
    if state is Availability.NOT_YET:
        return _("The form is not open yet; it opens %(moment)s.") % {
            "moment": format_moment(evaluation.opens_at)
        }
    if state is Availability.CLOSED:
        return _("The form closed %(moment)s, so there is no point in sending the link.") % {
            "moment": format_moment(evaluation.closes_at)
        }
    return ""


def recipients(evaluation: Evaluation) -> list[Person]:
    """The attendees with an e-mail address, one per address, in a stable order."""
    attendances = (
        Attendance.objects.filter(activity=evaluation.activity, status=AttendanceStatus.ATTENDED)
        .exclude(person__email="")
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person_id")
    )
    seen: set[str] = set()
    people: list[Person] = []
    for attendance in attendances:
        key = attendance.person.email.strip().casefold()
        if key not in seen:
            seen.add(key)
            people.append(attendance.person)
    return people


def build_message(evaluation: Evaluation, person: Person, token: str) -> EmailMultiAlternatives:
    """Subject, plain text and HTML in the site's language, with the person's single-use link."""
    activity = evaluation.activity
    network = activity.network
    with translation.override(settings.LANGUAGE_CODE):
        context: dict[str, object] = {
            "activity": activity,
            "network": network,
            "person": person,
            "form": evaluation.form,
            "when": format_when(activity),
            "deadline": format_moment(evaluation.closes_at),
            "url": absolute_url(answer_url(evaluation, token)),
        }
        subject = " ".join(render_to_string("evaluations/emails/link_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string("evaluations/emails/link_body.txt", context)
        html = render_to_string("evaluations/emails/link_body.html", context)
    message = EmailMultiAlternatives(subject, text, sender(network), [person.email])
    message.attach_alternative(html, "text/html")
    return message


def deliver(messages: Sequence[EmailMultiAlternatives]) -> int:
    """Send over one connection; the number of messages the server accepted. A failure is logged, not
    raised: the links are already marked as sent and must not be issued again."""
    try:
        with get_connection() as connection:
            return int(connection.send_messages(list(messages)) or 0)
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send %s evaluation link e-mail(s)", len(messages))
        return 0


def send_links(
    evaluation: Evaluation,
    *,
    now: dt.datetime | None = None,
    actor: User | None = None,
    dry_run: bool = False,
) -> SendResult:
    """E-mail each attendee a personal link to the evaluation, once: the links are issued and `emailed_at`
    set in one transaction, and the messages sent after it. Call it outside any transaction (the view and
    the command do), or a rollback of the outer one could forget links whose messages already left."""
    moment = now or timezone.now()
    with transaction.atomic():
        # The lock makes two runs at the same time (cron and the button) send once between them.
        locked = (
            Evaluation.objects.select_for_update()
            .select_related("activity__network", "form")
            .get(pk=evaluation.pk)
        )
        result = SendResult(evaluation=locked, dry_run=dry_run)
        result.refusal = send_refusal(locked, moment)
        if result.refusal:
            return result
        people = recipients(locked)
        result.recipients = len(people)
        if not people:
            result.refusal = _("No attendee with an e-mail address is recorded for the activity yet.")
            return result
        if dry_run:
            return result
        tokens = issue_links(locked, len(people))
        locked.emailed_at = moment
        locked.save(update_fields=["emailed_at"])
        log_action(
            "evaluations.links_emailed",
            actor=actor,
            target=locked,
            network=locked.activity.network,
            data={"recipients": len(people)},
        )
        # Built before the commit, so a broken template rolls the marking back and sends nothing.
        messages = [
            build_message(locked, person, token) for person, token in zip(people, tokens, strict=True)
        ]
        del tokens  # the raw tokens live on only in the messages
    # Committed: the links are marked sent before any message leaves, so nothing is sent twice.
    result.sent = deliver(messages)
    evaluation.emailed_at = locked.emailed_at
    return result


def due_evaluations(now: dt.datetime) -> list[Evaluation]:
    """Evaluations whose links should go out now: opted in, not sent, open, and the activity has ended."""
    candidates = (
        Evaluation.objects.filter(
            email_attendees=True,
            emailed_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
            activity__ends_on__lte=timezone.localdate(now),
        )
        .select_related("activity__network", "form")
        .order_by("activity__ends_on", "pk")
    )
    return [evaluation for evaluation in candidates if activity_has_ended(evaluation.activity, now)]


def send_due(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[SendResult]:
    """Send (or, in a dry run, count) the links of every due evaluation; one result each."""
    moment = now or timezone.now()
    return [send_links(evaluation, now=moment, dry_run=dry_run) for evaluation in due_evaluations(moment)]

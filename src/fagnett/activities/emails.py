"""Confirmation e-mails for registrations, with the activity as an .ics invitation.

Sent through Django's configured backend (SMTP in production) only after the transaction that changed the
registration commits (transaction.on_commit): a rolled-back sign-up sends nothing, and a slow or failing
mail server cannot undo one. A failure to send is logged, not raised, since the registration is already
saved and shown to the user.

The invitation is METHOD:REQUEST for a place or a waiting-list place (STATUS:TENTATIVE while waiting) and
METHOD:CANCEL for a cancellation, with the activity's stable UID so the calendar program updates or removes
the event it already has. SEQUENCE is the sending time in seconds, so a later message always wins.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import smtplib
from collections.abc import Sequence
from decimal import Decimal
from email.mime.text import MIMEText
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from fagnett.activities.checkin_links import personal_checkin_url
from fagnett.activities.ics import activity_event, activity_url, calendar_for
from fagnett.activities.models import Activity, Registration

logger = logging.getLogger(__name__)


class EmailKind(enum.StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"


def invitation(registration: Registration, kind: EmailKind, *, now: dt.datetime | None = None) -> bytes:
    """The .ics for one person: the activity's VEVENT with organizer, the person as attendee, and the
    iTIP method that tells the calendar program to add, update or remove it."""
    activity = registration.activity
    person = registration.person
    moment = now or timezone.now()
    event = activity_event(activity)
    event.pop("dtstamp")
    event.add("dtstamp", moment.astimezone(dt.UTC))
    event.add("sequence", int(moment.timestamp()))
    organizer_name, organizer_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{organizer_address}")
    organizer.params["cn"] = activity.network.name or organizer_name
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{person.email}")
    attendee.params["cn"] = person.full_name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["rsvp"] = "FALSE"
    if kind == EmailKind.CANCELLED:
        attendee.params["partstat"] = "DECLINED"
        event.add("status", "CANCELLED")
        method = "CANCEL"
    elif kind == EmailKind.WAITING:
        attendee.params["partstat"] = "TENTATIVE"
        event.add("status", "TENTATIVE")
        method = "REQUEST"
    else:
        attendee.params["partstat"] = "ACCEPTED"
        event.add("status", "CONFIRMED")
        method = "REQUEST"
    event.add("attendee", attendee)
    return calendar_for([event], method=method)


def ics_part(content: bytes, method: str) -> MIMEText:
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invitasjon.ics")
    return part


def format_hours(value: Decimal) -> str:
    """Hours as people write them: 6, 4,5 or 1,25 (decimal comma in Norwegian), without trailing zeros."""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def format_when(activity: Activity) -> str:
    """The date(s) and time of an activity, dates as dd.mm.yyyy."""
    start = activity.starts_on.strftime("%d.%m.%Y")
    days = start if activity.ends_on == activity.starts_on else f"{start}–{activity.ends_on:%d.%m.%Y}"
    if activity.start_time is None:
        return days
    times = f"{activity.start_time:%H:%M}"
    if activity.end_time is not None:
        times += f"–{activity.end_time:%H:%M}"
    return _("%(days)s, %(times)s") % {"days": days, "times": times}


def build_message(registration: Registration, kind: EmailKind) -> EmailMultiAlternatives:
    """Subject, plain text and HTML in the site's language, and the invitation as an attachment."""
    activity = registration.activity
    with translation.override(settings.LANGUAGE_CODE):
        context: dict[str, object] = {
            "kind": kind.value,
            "activity": activity,
            "person": registration.person,
            "network": activity.network,
            "url": activity_url(activity),
            "when": format_when(activity),
            "hours": format_hours(activity.hours),
            # Only those with a place get the personal check-in link (no login needed to use it).
            "checkin_url": personal_checkin_url(activity, registration.person)
            if kind in (EmailKind.REGISTERED, EmailKind.PROMOTED)
            else "",
        }
        subject = " ".join(render_to_string("activities/emails/subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string("activities/emails/body.txt", context)
        html = render_to_string("activities/emails/body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [registration.person.email])
    message.attach_alternative(html, "text/html")
    method = "CANCEL" if kind == EmailKind.CANCELLED else "REQUEST"
    message.attach(ics_part(invitation(registration, kind), method))
    return message


def deliver(registrations: Sequence[Registration], kind: EmailKind) -> int:
    """Send now, over one connection; the number of messages sent."""
    messages = [build_message(registration, kind) for registration in registrations]
    try:
        with get_connection() as connection:
            return int(connection.send_messages(messages) or 0)
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send %s registration e-mail(s) (%s)", len(messages), kind.value)
        return 0


def send_registration_emails(registrations: Sequence[Registration], kind: EmailKind) -> None:
    """Send the `kind` e-mail to each registration's person once the current transaction commits."""
    chosen = [r for r in registrations if r.person.email]
    if chosen:
        transaction.on_commit(lambda: deliver(chosen, kind))

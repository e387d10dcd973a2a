"""Calendar feeds (RFC 5545): a person's private feed of their registrations, reached by a secret token that
they can revoke, and each network's public feed of the activities open to others.

Events come from activities.ics, the same VEVENTs the invitation e-mails carry, so a calendar program that
got an invitation and also subscribes to the feed keeps one event per activity (the UID is the activity's).
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from fagnett.accounts.models import User
from fagnett.activities.ics import activity_event, calendar_for
from fagnett.activities.models import (
    Activity,
    Audience,
    CalendarFeed,
    Registration,
    RegistrationStatus,
    new_token,
)
from fagnett.audit.services import log_action
from fagnett.core.links import absolute_url
from fagnett.networks.models import Network, Person

FEED_LANGUAGE = "nb"  # a calendar program fetches without a session; Norwegian is the site's language
PUBLIC_FEED_DAYS_BACK = 365  # "upcoming and the last 12 months"


def private_feed_url(feed: CalendarFeed) -> str:
    return absolute_url(reverse("activities:private_feed", args=[feed.token]))


def public_feed_url(network: Network) -> str:
    return absolute_url(reverse("activities:public_feed", args=[network.slug]))


def webcal(url: str) -> str:
    """The same address with the webcal scheme, which asks the calendar program to subscribe."""
    return "webcal://" + url.split("://", 1)[-1]


# --- Writes ----------------------------------------------------------------------------------------------


@transaction.atomic
def ensure_calendar_feed(person: Person, *, actor: User | None) -> CalendarFeed:
    """The person's feed, made on the first visit to the feed page."""
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is not None:
        return feed
    feed = CalendarFeed.objects.create(person=person)
    log_action("activities.calendar_feed.created", actor=actor, target=feed, network=person.network)
    return feed


@transaction.atomic
def revoke_calendar_feed(person: Person, *, actor: User | None) -> CalendarFeed:
    """A new secret: the old address stops working at once (it answers 404)."""
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        feed = CalendarFeed.objects.create(person=person)
        log_action("activities.calendar_feed.created", actor=actor, target=feed, network=person.network)
        return feed
    feed.token = new_token()
    feed.save(update_fields=["token"])
    log_action(
        "activities.calendar_feed.revoked", actor=actor, target=feed, network=person.network, fields=["token"]
    )
    return feed


# --- Reads -----------------------------------------------------------------------------------------------


def feed_by_token(token: str) -> CalendarFeed | None:
    if not token:
        return None
    return CalendarFeed.objects.select_related("person__network").filter(token=token).first()


def private_calendar(feed: CalendarFeed) -> bytes:
    """The person's registrations in their network, those on the waiting list marked TENTATIVE. One query."""
    person = feed.person
    registrations = (
        Registration.objects.filter(
            person=person,
            activity__network_id=person.network_id,
            status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITING),
        )
        .select_related("activity__network")
        .order_by("activity__starts_on", "activity__start_time", "activity__pk")
    )
    with translation.override(FEED_LANGUAGE):
        events = [_registration_event(r) for r in registrations]
        name = f"{person.network.name}: {_('My activities')}"
    return calendar_for(events, name=name)


def _registration_event(registration: Registration) -> icalendar.Event:
    event = activity_event(registration.activity)
    if registration.status == RegistrationStatus.WAITING:
        event.add("status", "TENTATIVE")
        # Few calendar programs show STATUS; the title says it too.
        event["summary"] = f"{registration.activity.title} ({_('On the waiting list')})"
    else:
        event.add("status", "CONFIRMED")
    return event


def network_for_public_feed(slug: str) -> Network:
    """Any network has a public feed (it holds only activities open to others); 404 for an unknown slug."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def public_activities(network: Network, today: dt.date) -> list[Activity]:
    """Activities open to others, from those that ended in the last twelve months onwards. One query."""
    since = today - dt.timedelta(days=PUBLIC_FEED_DAYS_BACK)
    return list(
        Activity.objects.filter(network=network, audience=Audience.OPEN, ends_on__gte=since)
        .select_related("network")
        .order_by("starts_on", "start_time", "pk")
    )


def public_calendar(network: Network, today: dt.date) -> bytes:
    return calendar_for((activity_event(a) for a in public_activities(network, today)), name=network.name)

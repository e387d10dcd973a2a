"""iCalendar (RFC 5545) for activities: one VEVENT per activity, wrapped in a VCALENDAR.

Used by the confirmation e-mails (METHOD:REQUEST / CANCEL invitations) and by the calendar feeds, which build
their calendars with `calendar_for(activity_event(a) for a in …)`.

- UID is stable per activity (`activity-<pk>@<host of FAGNETT_BASE_URL>`), so a calendar program updates the
  event it already has instead of adding a second one.
- An activity with both a start and an end time is timed in Europe/Oslo (TZID plus a VTIMEZONE); otherwise
  it is an all-day event whose DTEND is the day after the last day (DTEND is exclusive for dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse

from fagnett.activities.models import Activity
from fagnett.core.links import absolute_url

OSLO = "Europe/Oslo"
PRODID = "-//Fagnett//Fagnett aktiviteter//NB"


def site_host() -> str:
    return urlsplit(settings.FAGNETT_BASE_URL).hostname or "fagnett.invalid"


def activity_uid(activity: Activity) -> str:
    return f"activity-{activity.pk}@{site_host()}"


def activity_url(activity: Activity) -> str:
    path = reverse("activities:activity_detail", args=[activity.network.slug, activity.pk])
    return absolute_url(path)


def activity_times(activity: Activity) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    """DTSTART and DTEND: aware Oslo datetimes when both times are known and the end is after the start,
    else dates with an exclusive end (the day after `ends_on`)."""
    if activity.start_time is not None and activity.end_time is not None:
        zone = ZoneInfo(OSLO)
        start = dt.datetime.combine(activity.starts_on, activity.start_time, tzinfo=zone)
        end = dt.datetime.combine(activity.ends_on, activity.end_time, tzinfo=zone)
        if end > start:
            return start, end
    return activity.starts_on, activity.ends_on + dt.timedelta(days=1)


def _description(activity: Activity, url: str) -> str:
    parts = [activity.description.strip()] if activity.description.strip() else []
    if activity.link:
        parts.append(activity.link)
    parts.append(url)
    return "\n\n".join(parts)


def activity_event(activity: Activity) -> icalendar.Event:
    """The activity as a VEVENT. DTSTAMP is the activity's last change, so a feed is byte-stable between
    requests while nothing changed; e-mails replace it with the time of sending."""
    url = activity_url(activity)
    start, end = activity_times(activity)
    event = icalendar.Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", (activity.updated or activity.created).astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", activity.title)
    location = activity.place or activity.link
    if location:
        event.add("location", location)
    event.add("description", _description(activity, url))
    event.add("url", url)
    return event


def _oslo_timezone() -> icalendar.Timezone:
    """Europe/Oslo with the EU daylight-saving rules (in force since 1996) as RRULEs: a few lines instead of
    the dated list a generated VTIMEZONE carries, and valid past 2038."""
    timezone = icalendar.Timezone()
    timezone.add("tzid", OSLO)
    standard = icalendar.TimezoneStandard()
    # RFC 5545 wants the onset in local time without a zone, hence the naive datetimes.
    standard.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001
    standard.add("tzoffsetfrom", dt.timedelta(hours=2))
    standard.add("tzoffsetto", dt.timedelta(hours=1))
    standard.add("tzname", "CET")
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    daylight = icalendar.TimezoneDaylight()
    daylight.add("dtstart", dt.datetime(1996, 3, 31, 2, 0))  # noqa: DTZ001
    daylight.add("tzoffsetfrom", dt.timedelta(hours=1))
    daylight.add("tzoffsetto", dt.timedelta(hours=2))
    daylight.add("tzname", "CEST")
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    timezone.add_component(standard)
    timezone.add_component(daylight)
    return timezone


def _uses_oslo(event: icalendar.Event) -> bool:
    start = event.get("dtstart")
    return start is not None and "TZID" in start.params


def calendar_for(events: Iterable[icalendar.Event], *, method: str | None = None, name: str = "") -> bytes:
    """A VCALENDAR holding `events`, with the Europe/Oslo VTIMEZONE when any event is timed. `method` is the
    iTIP method of an e-mail invitation (REQUEST, CANCEL); feeds leave it out. `name` becomes X-WR-CALNAME,
    the title most calendar programs show for a subscribed feed."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    components = list(events)
    if any(_uses_oslo(event) for event in components):
        calendar.add_component(_oslo_timezone())
    for event in components:
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical

"""Shared activity fixtures for tests/activities. Fixture names are stable; other test modules rely on them.

- `activity`: a network-wide gathering in `network` on Wednesday 11.06.2025, 6 credited hours, capacity 2,
  registration deadline 04.06.2025, audience resource persons.
- `chapter_activity`: the same kind of day organised by `chapter` (Stavanger) on 17.09.2025, 3 hours, no
  capacity limit and no deadline.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fagnett.activities.models import Activity, ActivityKind, Audience
from fagnett.networks.models import LocalChapter, Network

ACTIVITY_DAY = dt.date(2025, 6, 11)
CHAPTER_ACTIVITY_DAY = dt.date(2025, 9, 17)


@pytest.fixture
def activity(network: Network) -> Activity:
    """A network gathering on 11.06.2025 09:00–15:00 with 6 hours and room for two."""
    return Activity.objects.create(
        network=network,
        kind=ActivityKind.GATHERING,
        title="Nettverkssamling: smertelindring",
        starts_on=ACTIVITY_DAY,
        ends_on=ACTIVITY_DAY,
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        hours=Decimal(6),
        place="Stavanger universitetssjukehus, auditorium 1",
        description="Samling for ressurspersonene i nettverket.",
        audience=Audience.RESOURCE_PERSONS,
        capacity=2,
        registration_deadline=dt.date(2025, 6, 4),
    )


@pytest.fixture
def chapter_activity(network: Network, chapter: LocalChapter) -> Activity:
    """A gathering organised by the Stavanger chapter on 17.09.2025, 3 hours, no limit, no deadline."""
    return Activity.objects.create(
        network=network,
        chapter=chapter,
        kind=ActivityKind.GATHERING,
        title="Lokal samling Stavanger",
        starts_on=CHAPTER_ACTIVITY_DAY,
        ends_on=CHAPTER_ACTIVITY_DAY,
        start_time=dt.time(12, 0),
        end_time=dt.time(15, 0),
        hours=Decimal(3),
        place="Stavanger kommune, Olav Kyrres gate 19",
        audience=Audience.RESOURCE_PERSONS,
    )

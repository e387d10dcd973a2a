"""Membership numbers for the annual report (seed 002: "Per 31. desember 20xx hadde kompetansenettverket x
medlemmer, en oppgang på x siden …") and the dashboard.

Members are resource persons: memberships with the role code "ressursperson". A membership is active from its
start date to its end date, both included, so a membership that ends on 31 December is a member at that year's
end *and* has left in that year.

Moves do not count as leaving or joining. `services.move_membership` ends the old membership the day before
the new one starts; generally, when the same person has a resource-person membership ending on day D and
another starting on D + 1, they never left, so neither the end nor the start is counted. This is decided by
dates rather than by `end_reason`, whose text is stored in whatever language the mover used. With a chapter,
only that chapter's memberships are looked at, so a move out of the chapter is a leaving for it, and a move
into it a joining.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from fagnett.networks.models import LocalChapter, Membership, Network, Role

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class MembershipStats:
    year: int
    members_at_year_end: int  # distinct persons active on 31 December of `year`
    members_at_previous_year_end: int  # distinct persons active on 31 December of `year` - 1
    joined: int  # resource-person memberships starting in `year`, moves left out
    left: int  # resource-person memberships ending in `year`, moves left out

    @property
    def change(self) -> int:
        return self.members_at_year_end - self.members_at_previous_year_end

    def as_json(self) -> dict[str, int]:
        """The `membership_stats --format json` object (docs/commands.md); its keys are a public interface."""
        return {
            "members_at_year_end": self.members_at_year_end,
            "members_at_previous_year_end": self.members_at_previous_year_end,
            "joined": self.joined,
            "left": self.left,
        }


def resource_memberships(network: Network, chapter: LocalChapter | None = None) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(network=network, role__code=Role.RESOURCE_PERSON)
    return memberships if chapter is None else memberships.filter(chapter=chapter)


def _active_on(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def joined_and_left(memberships: QuerySet[Membership], first: dt.date, last: dt.date) -> tuple[int, int]:
    """How many of `memberships` started and how many ended between `first` and `last` (both included),
    leaving out moves (see the module's docstring). One query; it reads only the rows that start or end
    around the period, never the whole roster."""
    rows = list(
        memberships.filter(
            Q(start__gte=first, start__lte=last + ONE_DAY) | Q(end__gte=first - ONE_DAY, end__lte=last)
        ).values_list("person_id", "start", "end")
    )
    starts = {(person, start) for person, start, _end in rows}
    ends = {(person, end) for person, _start, end in rows if end is not None}
    joined = sum(
        1 for person, start, _end in rows if first <= start <= last and (person, start - ONE_DAY) not in ends
    )
    left = sum(
        1
        for person, _start, end in rows
        if end is not None and first <= end <= last and (person, end + ONE_DAY) not in starts
    )
    return joined, left


def membership_stats(network: Network, year: int, chapter: LocalChapter | None = None) -> MembershipStats:
    """The year's membership numbers of the network, or of one chapter's memberships. Two queries."""
    memberships = resource_memberships(network, chapter)
    year_end = dt.date(year, 12, 31)
    previous_year_end = dt.date(year - 1, 12, 31)
    counts = memberships.aggregate(
        at_end=Count("person", filter=_active_on(year_end), distinct=True),
        at_previous_end=Count("person", filter=_active_on(previous_year_end), distinct=True),
    )
    joined, left = joined_and_left(memberships, dt.date(year, 1, 1), year_end)
    return MembershipStats(
        year=year,
        members_at_year_end=counts["at_end"],
        members_at_previous_year_end=counts["at_previous_end"],
        joined=joined,
        left=left,
    )

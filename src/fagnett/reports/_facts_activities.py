"""The activities' part of the annual report's facts (reports/facts.py): introductory courses, study days,
gatherings, hours by kind, themes and completed job shadowing.

The activity numbers are activities.stats' (`activity_stats`): an activity belongs to the year of its start
date, `participants` counts the resource persons marked attended. Job shadowing counts only completed
placements (ShadowingStatus.DONE), as the result indicators do, because the report states what was done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Shadowing,
    ShadowingStatus,
    activity_year_bounds,
)
from fagnett.activities.stats import ActivityLine, ActivityStats
from fagnett.networks.models import Membership, Network
from fagnett.plans.models import as_json_number


def number_text(value: Decimal | int) -> str:
    """A number as the report writes it in a sentence: 6, 1,5 (the active language's decimal mark)."""
    return str(formats.number_format(as_json_number(value), use_l10n=True))


def _plural_count(value: Decimal | int) -> int:
    # ngettext needs an integer; 1,5 dager is plural, only exactly one is singular.
    return 1 if value == 1 else 2


def activity_chapters(network: Network, year: int) -> dict[int, int | None]:
    """{activity id: chapter id or None} for the year's activities (one query)."""
    first, last = activity_year_bounds(year)
    return dict(
        Activity.objects.filter(network=network, starts_on__gte=first, starts_on__lte=last)
        .order_by()
        .values_list("pk", "chapter_id")
    )


def activity_list(lines: Iterable[ActivityLine], kind: str) -> list[dict[str, Any]]:
    """`intro_courses` / `study_days`: one entry per activity of `kind`, by start date."""
    return [
        {
            "date": line.start.isoformat(),
            "title": line.title,
            "hours": as_json_number(line.hours),
            "participants": line.participants,
            "other_participants": line.other_participants,
        }
        for line in lines
        if line.kind == kind
    ]


def gatherings_sentence(count: int, hours: list[Decimal]) -> str:
    """ "3 samlinger à 6 timer" when every gathering is as long, else "3 samlinger, til sammen 17 timer"."""
    if count == 0:
        return _("No gatherings were held.")
    gatherings = ngettext("%(count)s gathering", "%(count)s gatherings", count) % {"count": count}
    if len(set(hours)) == 1:
        each = hours[0]
        return _("%(gatherings)s of %(hours)s each") % {
            "gatherings": gatherings,
            "hours": ngettext("%(hours)s hour", "%(hours)s hours", _plural_count(each))
            % {"hours": number_text(each)},
        }
    total = sum(hours, Decimal(0))
    return _("%(gatherings)s, %(hours)s in all") % {
        "gatherings": gatherings,
        "hours": ngettext("%(hours)s hour", "%(hours)s hours", _plural_count(total))
        % {"hours": number_text(total)},
    }


def gatherings_facts(lines: Iterable[ActivityLine]) -> dict[str, Any]:
    """`gatherings`: count, total hours, participants summed over the gatherings (a person at three
    gatherings counts three times, as "antall deltakere" per gathering adds up), their themes."""
    gatherings = [line for line in lines if line.kind == ActivityKind.GATHERING]
    hours = [line.hours for line in gatherings]
    return {
        "count": len(gatherings),
        "hours": as_json_number(sum(hours, Decimal(0))),
        "participants": sum(line.participants for line in gatherings),
        "other_participants": sum(line.other_participants for line in gatherings),
        "themes": sorted_themes(name for line in gatherings for name in line.themes),
        "sentence": gatherings_sentence(len(gatherings), hours),
    }


def sorted_themes(names: Iterable[str]) -> list[str]:
    return sorted(set(names), key=lambda name: (name.casefold(), name))


def hours_by_kind(stats: ActivityStats) -> list[dict[str, Any]]:
    """`hours_by_kind`: the kinds with activities in the year, in ActivityKind's order; `participants` is
    the distinct resource persons who attended an activity of the kind (activities.stats.KindStats)."""
    return [
        {
            "kind": code,
            "label": str(ActivityKind(code).label),
            "activities": kind.count,
            "hours": as_json_number(kind.hours),
            "participants": kind.participants,
            "other_participants": kind.other_participants,
        }
        for code, kind in stats.kinds.items()
        if kind.count
    ]


# Job shadowing --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    person_id: int
    from_municipality: str | None  # of the person's workplace as stored today (activities.stats' rule)
    host: str
    days: Decimal


def completed_placements(network: Network, year: int) -> list[Placement]:
    """The completed placements starting in `year` (one query)."""
    first, last = activity_year_bounds(year)
    rows = (
        Shadowing.objects.filter(
            network=network, starts_on__gte=first, starts_on__lte=last, status=ShadowingStatus.DONE
        )
        .order_by()
        .values_list("person_id", "person__workplace__municipality__display_name", "host__name", "days")
    )
    return [Placement(person, municipality, host, days) for person, municipality, host, days in rows]


def person_chapters(network: Network, person_ids: Iterable[int]) -> dict[int, set[int]]:
    """{person id: the chapters of any of their memberships} (one query; activities.stats' chapter rule:
    a chapter's job shadowing is that of persons who have or had a membership in it)."""
    chapters: dict[int, set[int]] = defaultdict(set)
    for person_id, chapter_id in (
        Membership.objects.filter(network=network, person_id__in=set(person_ids), chapter__isnull=False)
        .order_by()
        .values_list("person_id", "chapter_id")
    ):
        chapters[person_id].add(chapter_id)
    return chapters


def shadowing_sentence(persons: int, municipality: str | None, host: str, days: Decimal) -> str:
    values = {"persons": persons, "municipality": municipality, "host": host, "days": number_text(days)}
    plural = _plural_count(days)
    if municipality is None:
        return (
            ngettext(
                "%(persons)s shadowed at %(host)s for %(days)s day",
                "%(persons)s shadowed at %(host)s for %(days)s days",
                plural,
            )
            % values
        )
    return (
        ngettext(
            "%(persons)s from %(municipality)s municipality shadowed at %(host)s for %(days)s day",
            "%(persons)s from %(municipality)s municipality shadowed at %(host)s for %(days)s days",
            plural,
        )
        % values
    )


def shadowing_facts(placements: Sequence[Placement]) -> list[dict[str, Any]]:
    """`shadowing`: the placements grouped by the persons' municipality and the host, with the distinct
    persons and the days summed; by municipality (unknown last), then host."""
    groups: dict[tuple[str | None, str], list[Placement]] = defaultdict(list)
    for placement in placements:
        groups[(placement.from_municipality, placement.host)].append(placement)
    facts = []
    for (municipality, host), group in sorted(
        groups.items(), key=lambda item: (item[0][0] is None, item[0][0] or "", item[0][1])
    ):
        persons = len({placement.person_id for placement in group})
        days = sum((placement.days for placement in group), Decimal(0))
        facts.append(
            {
                "from_municipality": municipality,
                "host": host,
                "persons": persons,
                "days": as_json_number(days),
                "sentence": shadowing_sentence(persons, municipality, host, days),
            }
        )
    return facts

"""The annual report (issue 8) at the issue's scale: a network of 1,000 persons with ten years of history
(memberships starting and ending over 2015–2024, three local chapters, nine activities a year with
attendance, job shadowing, a working group). Made with bulk inserts and a fixed seed, so every run measures
the same data. Timed: the JSON facts (target 0.3 s), the DOCX (1.5 s) and the PDF (3 s), each from the
database to the finished document.

Registered in bench/benchmarks.py with `BENCHMARKS += reports.benchmarks()` (after `from bench import
reports`); Benchmark is imported inside the function, so the two modules do not import each other at load
time.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.benchmarks import Benchmark

SLUG = "bench-arsrapport"
PERSONS = 1_000
FIRST_YEAR, YEAR = 2015, 2024
ROGALAND = "11"


@functools.cache
def generate(seed: int = 8) -> Any:
    from django.db import transaction

    from fagnett.activities.models import (
        Activity,
        ActivityKind,
        Attendance,
        AttendanceStatus,
        Shadowing,
        ShadowingStatus,
        Theme,
    )
    from fagnett.networks.models import (
        CoverageRule,
        CoverageScope,
        Group,
        GroupKind,
        GroupMember,
        LocalChapter,
        Membership,
        Network,
        Person,
        Role,
        ServiceType,
        Workplace,
    )
    from fagnett.places.models import HealthTrust, Municipality

    rng = random.Random(seed)  # noqa: S311 - benchmark data
    with transaction.atomic():
        network = Network.objects.create(
            name="Årsrapport-nettverket",
            slug=SLUG,
            established_year=FIRST_YEAR,
            purpose="Bygge og spre kompetanse i palliasjon.",
        )
        area = list(Municipality.objects.filter(county__number=ROGALAND).order_by("number"))
        network.municipalities.set(area)
        types = {t.code: t for t in ServiceType.objects.filter(network=None)}
        roles = {r.code: r for r in Role.objects.filter(network=None)}
        chapters = []
        for n in range(3):
            chapter = LocalChapter.objects.create(
                network=network, name=f"Lokallag {n + 1}", slug=f"lag-{n + 1}"
            )
            chapter.municipalities.set(area[n::3])
            chapters.append(chapter)
        trust = HealthTrust.objects.order_by("pk").first()
        workplaces = Workplace.objects.bulk_create(
            [
                Workplace(
                    network=network, name=f"{types[c].name} {m.name}", service_type=types[c], municipality=m
                )
                for m in area
                for c in ("hjemmetjeneste", "sykehjem")
            ]
            + [
                Workplace(
                    network=network,
                    name=f"Sykehusavdeling {u}",
                    service_type=types["sykehusavdeling"],
                    health_trust=trust,
                    in_scope=True,
                )
                for u in range(1, 5)
            ]
        )
        CoverageRule.objects.bulk_create(
            [
                CoverageRule(network=network, scope=CoverageScope.MUNICIPALITY, service_type=types[code])
                for code in ("hjemmetjeneste", "sykehjem")
            ]
            + [CoverageRule(network=network, scope=CoverageScope.HOSPITAL_UNIT)]
        )
        persons = Person.objects.bulk_create(
            Person(
                network=network,
                first_name=f"Fornavn{n}",
                last_name=f"Etternavn{n}",
                email=f"p{n}@{SLUG}.example.no",
                workplace=rng.choice(workplaces),
            )
            for n in range(PERSONS)
        )
        memberships = []
        span = (dt.date(YEAR, 12, 31) - dt.date(FIRST_YEAR, 1, 1)).days
        for person in persons:
            start = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(span))
            end = start + dt.timedelta(days=rng.randrange(200, 2500)) if rng.random() < 0.3 else None
            memberships.append(
                Membership(
                    person=person,
                    network=network,
                    role=roles[Role.RESOURCE_PERSON],
                    chapter=rng.choice(chapters) if rng.random() < 0.5 else None,
                    start=start,
                    end=end,
                )
            )
        Membership.objects.bulk_create(memberships, batch_size=2000)
        group = Group.objects.create(
            network=network, kind=GroupKind.WORKING, name="Arbeidsgruppen", meetings_per_year=6
        )
        GroupMember.objects.bulk_create(
            GroupMember(group=group, name=f"Medlem {n}", title="Sykepleier", position=n) for n in range(8)
        )
        themes = Theme.objects.bulk_create(Theme(network=network, name=f"Tema {n}") for n in range(12))
        kinds = [ActivityKind.GATHERING] * 4 + [ActivityKind.STUDY_DAY] + [ActivityKind.INTRO_COURSE] * 2
        kinds += [ActivityKind.GUIDANCE] * 2
        activities = Activity.objects.bulk_create(
            Activity(
                network=network,
                chapter=chapters[n % 3] if kind == ActivityKind.GATHERING and n % 2 else None,
                kind=kind,
                title=f"{kind} {year}-{n}",
                starts_on=dt.date(year, 1 + n, 10),
                ends_on=dt.date(year, 1 + n, 10),
                hours=Decimal(6),
                other_participants=rng.randrange(0, 20),
            )
            for year in range(FIRST_YEAR, YEAR + 1)
            for n, kind in enumerate(kinds)
        )
        Activity.themes.through.objects.bulk_create(
            Activity.themes.through(activity=a, theme=rng.choice(themes)) for a in activities
        )
        by_year: dict[int, list[Any]] = {}
        for activity in activities:
            by_year.setdefault(activity.starts_on.year, []).append(activity)
        attendances = []
        for membership in memberships:
            last = membership.end.year if membership.end else YEAR
            for year in range(membership.start.year, min(last, YEAR) + 1):
                for activity in rng.sample(by_year[year], rng.randrange(0, 4)):
                    attendances.append(
                        Attendance(
                            activity=activity,
                            person=membership.person,
                            status=AttendanceStatus.ATTENDED,
                            hours=Decimal(6),
                        )
                    )
        Attendance.objects.bulk_create(attendances, batch_size=5000)
        Shadowing.objects.bulk_create(
            Shadowing(
                network=network,
                person=person,
                host=workplaces[-1],
                starts_on=dt.date(year, 4, 2),
                ends_on=dt.date(year, 4, 3),
                days=Decimal(rng.choice((1, 2, 3))),
                status=ShadowingStatus.DONE,
            )
            for year in range(FIRST_YEAR, YEAR + 1)
            for person in rng.sample(persons, 40)
        )
    return network


def _facts() -> Callable[[], object]:
    import json

    from fagnett.reports.facts import annual_facts

    network = generate()
    return lambda: json.dumps(annual_facts(network, YEAR), ensure_ascii=False)


def _document(fmt: str) -> Callable[[], Callable[[], object]]:
    """From the database to the finished document, as the download does it (a draft: live facts)."""

    def prepare() -> Callable[[], object]:
        from fagnett.reports.content import report_content
        from fagnett.reports.models import AnnualReport
        from fagnett.reports.rendering import render_document

        report = AnnualReport(network=generate(), year=YEAR)
        return lambda: render_document(report, report_content(report), fmt)

    return prepare


def benchmarks() -> list[Benchmark]:
    from bench.benchmarks import Benchmark

    return [
        Benchmark("annual report JSON facts, 1,000 persons, ten years", _facts, target_ms=300, repeat=20),
        Benchmark(
            "annual report DOCX, 1,000 persons, ten years", _document("docx"), target_ms=1500, repeat=10
        ),
        Benchmark("annual report PDF, 1,000 persons, ten years", _document("pdf"), target_ms=3000, repeat=5),
    ]

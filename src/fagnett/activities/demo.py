"""The demo network's activities, from seed 001's project report (Sør-Rogaland, 2022–2024):

- five network gatherings, each with talks, group work and a shared lunch, on the themes the report lists;
- an introductory course for new resource persons and their leaders (seed 003: at least 6 hours);
- the study day in child palliative care for kindergartens and schools on 05.11.2024, 58 participants;
- two working-group meetings a year;
- a few days of job shadowing at the hospital's children's units;
- attendance for the resource persons, drawn with a fixed seed so every run gives the same history.

Speakers are named by their role only; the persons in the roster are invented (networks.demo).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Audience,
    LiteratureItem,
    ProgrammeItem,
    Shadowing,
    ShadowingStatus,
    Theme,
)
from fagnett.audit.services import log_action
from fagnett.networks.models import Group, Membership, Network, Person, Role, Workplace

SEED = 2025
STUDY_DAY_PARTICIPANTS = 58  # seed 001: "58 personer, både fagpersoner og ledere, deltok"
SIX_HOURS = Decimal(6)

# Seed 001: "Det er avholdt 5 nettverkssamlinger i prosjektperioden. Tema for samlingene var: …"
GATHERINGS = (
    (dt.date(2022, 11, 10), "Pårørendeperspektivet"),
    (dt.date(2023, 4, 20), "Ivaretakelse av hjelperen"),
    (dt.date(2023, 11, 16), "Tverrfaglig samarbeid"),
    (dt.date(2024, 4, 18), "En god avslutning"),
    (dt.date(2024, 10, 24), "Palliasjon i et flerkulturelt perspektiv"),
)
# Seed 001: two working-group meetings a year.
WORKING_GROUP_MEETINGS = (
    dt.date(2022, 3, 3),
    dt.date(2022, 9, 1),
    dt.date(2023, 2, 2),
    dt.date(2023, 9, 7),
    dt.date(2024, 2, 1),
    dt.date(2024, 9, 5),
)
INTRO_COURSE_DAY = dt.date(2023, 2, 23)
STUDY_DAY = dt.date(2024, 11, 5)
STUDY_DAY_SERVICES = ("barnehage", "skole")

# (start, days); the hosts are the hospital units in turn. Seed 003: 1–3 days in the first year.
SHADOWING = (
    (dt.date(2023, 3, 8), Decimal(2)),
    (dt.date(2023, 10, 4), Decimal(1)),
    (dt.date(2024, 2, 14), Decimal(3)),
    (dt.date(2024, 5, 22), Decimal("1.5")),
    (dt.date(2024, 9, 11), Decimal(1)),
)
SHADOWING_GOALS = (
    "Få innsikt i hvordan avdelingen følger opp barn med palliative behov og familiene deres, og bli kjent "
    "med personer det er naturlig å samarbeide med ved utskrivning til kommunen."
)
SHADOWING_REFLECTION = (
    "Nyttig å se hvordan overgangen mellom sykehus og kommune planlegges. Tar med meg rutinen for "
    "samarbeidsmøte før utskrivning til egen arbeidsplass."
)


@dataclass
class _Seeded:
    activities: int = 0
    attendances: list[Attendance] = field(default_factory=list)
    shadowings: int = 0


def load_demo_activities(network: Network) -> None:
    """Seed the demo network's activities once; a network that has any activity is left as it is."""
    if Activity.objects.filter(network=network).exists():
        return
    with transaction.atomic():
        _load(network)


def _load(network: Network) -> None:
    rng = random.Random(SEED)  # noqa: S311 - invented demo data, not security
    memberships = list(
        Membership.objects.filter(network=network, role__code=Role.RESOURCE_PERSON, role__network=None)
        .select_related("person__workplace__service_type")
        .order_by("person__email", "start", "pk")
    )
    seeded = _Seeded()

    def theme(name: str) -> Theme:
        found, _ = Theme.objects.get_or_create(network=network, name=name)
        return found

    def active_on(day: dt.date) -> list[Person]:
        persons: dict[int, Person] = {}
        for m in memberships:
            if m.is_active_on(day):
                persons.setdefault(m.person_id, m.person)
        return list(persons.values())

    def attend(activity: Activity, persons: list[Person], *, rate: float) -> None:
        for person in persons:
            draw = rng.random()
            if draw < rate:
                # One in fifteen leaves at lunch: half the hours (partial attendance).
                hours = activity.hours / 2 if rng.random() < 1 / 15 else activity.hours
                status = AttendanceStatus.ATTENDED
            elif draw < rate + 0.1:
                hours, status = Decimal(0), AttendanceStatus.ABSENT
            else:
                continue  # neither signed up nor recorded
            seeded.attendances.append(
                Attendance(activity=activity, person=person, status=status, hours=hours)
            )

    def create(**fields: object) -> Activity:
        activity = Activity.objects.create(network=network, **fields)
        seeded.activities += 1
        return activity

    for number, (day, name) in enumerate(GATHERINGS, start=1):
        gathering = create(
            kind=ActivityKind.GATHERING,
            title=f"Nettverkssamling {number}: {name}",
            starts_on=day,
            ends_on=day,
            start_time=dt.time(9, 0),
            end_time=dt.time(15, 0),
            hours=SIX_HOURS,
            place="Stavanger",
            description=(
                "Heldags nettverkssamling for ressurspersonene med foredrag, gruppearbeid og felles lunsj. "
                "Ressurspersonene deler det de lærer på egen arbeidsplass og i egen kommune."
            ),
            audience=Audience.RESOURCE_PERSONS,
            registration_deadline=day - dt.timedelta(days=14),
        )
        gathering.themes.set([theme(name)])
        for position, (time, title) in enumerate(
            (
                (dt.time(9, 0), "Velkommen og nytt fra nettverket"),
                (dt.time(9, 30), f"Foredrag: {name}"),
                (dt.time(11, 30), "Felles lunsj"),
                (dt.time(12, 15), "Gruppearbeid med case fra egen praksis"),
                (dt.time(14, 15), "Oppsummering og veien videre"),
            )
        ):
            ProgrammeItem.objects.create(
                activity=gathering, day=day, time=time, title=title, position=position
            )
        attend(gathering, active_on(day), rate=0.72)

    intro = create(
        kind=ActivityKind.INTRO_COURSE,
        title="Introduksjonskurs for nye ressurspersoner og deres ledere",
        starts_on=INTRO_COURSE_DAY,
        ends_on=INTRO_COURSE_DAY,
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 30),
        hours=SIX_HOURS,
        place="Stavanger",
        description=(
            "For ressurspersoner i sitt første år, sammen med nærmeste leder: ressurspersonens rolle og "
            "oppgaver, hva arbeidsgiver legger til rette for, og hvordan nettverket er organisert."
        ),
        audience=Audience.WITH_LEADERS,
        registration_deadline=INTRO_COURSE_DAY - dt.timedelta(days=14),
    )
    intro.themes.set([theme("Ressurspersonens rolle"), theme("Tverrfaglig samarbeid")])
    for position, title in enumerate(
        (
            "Ressurspersonens rolle og oppgaver, og hva arbeidsgiver legger til rette for",
            "Organiseringen av nettverket",
            "Tilbudet i barnepalliasjon i helseforetaksområdet",
            "Kartlegging av symptomer",
            "Individuell plan og samarbeid på tvers av tjenestenivåene",
        )
    ):
        ProgrammeItem.objects.create(activity=intro, day=INTRO_COURSE_DAY, title=title, position=position)
    for position, title in enumerate(
        (
            "Palliasjon til barn og unge. Nasjonal faglig retningslinje. Helsedirektoratet, 2017",
            "Kaasa S, Loge JH (red). Palliasjon. Nordisk lærebok. 3. utgave. Gyldendal Akademisk, 2016",
            "Pårørendeveileder. Nasjonal veileder. Helsedirektoratet, 2019",
        )
    ):
        LiteratureItem.objects.create(activity=intro, title=title, position=position)
    first_year = [
        m.person
        for m in memberships
        if INTRO_COURSE_DAY - dt.timedelta(days=365) <= m.start <= INTRO_COURSE_DAY
        and m.is_active_on(INTRO_COURSE_DAY)
    ]
    attend(intro, first_year, rate=0.85)

    study_day = create(
        kind=ActivityKind.STUDY_DAY,
        title="Fagdag i barnepalliasjon for barnehage og skole",
        starts_on=STUDY_DAY,
        ends_on=STUDY_DAY,
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        hours=SIX_HOURS,
        place="Stavanger",
        description=(
            "For barnehager og skoler i Sør-Rogaland som arbeider på tilrettelagte avdelinger: fagpersoner "
            "og ledere."
        ),
        audience=Audience.OPEN,
    )
    study_day.themes.set(
        [
            theme("Barnepalliasjon i barnehage og skole"),
            theme("Kommunikasjon med familier i sorg og krise"),
            theme("Ivaretakelse av hjelperen"),
        ]
    )
    for position, (title, speaker, organisation) in enumerate(
        (
            (
                "Hva er barnepalliasjon, og hvilke erfaringer har KPT i møte med barnehage og skole?",
                "Prosjektleder",
                "Kommunalt palliativt team, Stavanger kommune",
            ),
            ("Hva innebærer barnepalliasjon i barnehage og skole?", "Spesialpedagog", ""),
            (
                "Kommunikasjon med familier i sorg og krise",
                "Kreftsykepleier og sorgterapeut",
                "Kreftomsorg Rogaland",
            ),
            (
                "Ivaretakelse av hjelperen",
                "Psykologspesialist",
                "Frambu kompetansesenter for sjeldne diagnoser",
            ),
            ("Et innblikk i hverdagen", "Lektor og vernepleier", "En skole og en barnehage i Stavanger"),
        )
    ):
        ProgrammeItem.objects.create(
            activity=study_day,
            day=STUDY_DAY,
            title=title,
            speaker=speaker,
            speaker_organisation=organisation,
            position=position,
        )
    from_schools = [
        p
        for p in active_on(STUDY_DAY)
        if p.workplace is not None and p.workplace.service_type.code in STUDY_DAY_SERVICES
    ]
    seeded.attendances.extend(
        Attendance(activity=study_day, person=p, status=AttendanceStatus.ATTENDED, hours=SIX_HOURS)
        for p in from_schools
    )
    # The others who came were staff and leaders who are not in the roster.
    study_day.other_participants = max(STUDY_DAY_PARTICIPANTS - len(from_schools), 0)
    study_day.save(update_fields=["other_participants"])

    working_group = Group.objects.filter(network=network, name__startswith="Arbeidsgruppen").first()
    group_size = working_group.members.count() if working_group is not None else 0
    for day in WORKING_GROUP_MEETINGS:
        create(
            kind=ActivityKind.WORKING_GROUP_MEETING,
            title="Arbeidsgruppemøte",
            starts_on=day,
            ends_on=day,
            start_time=dt.time(13, 0),
            end_time=dt.time(15, 0),
            hours=Decimal(2),
            place="Stavanger",
            description="Planlegging av nettverkssamlinger og fagdager, og oppfølging av ressurspersonene.",
            # The working group's members are listed on the group, not in the roster.
            other_participants=group_size,
        )

    Attendance.objects.bulk_create(seeded.attendances)
    seeded.shadowings = _shadowing(network, memberships, rng)
    log_action(
        "activities.demo_loaded",
        actor=None,
        network=network,
        data={
            "activities": seeded.activities,
            "attendances": len(seeded.attendances),
            "shadowings": seeded.shadowings,
        },
    )


def _shadowing(network: Network, memberships: list[Membership], rng: random.Random) -> int:
    """Municipal resource persons spend days at the hospital's units, in their first year where possible."""
    units = list(Workplace.objects.filter(network=network, in_scope=True).order_by("name"))
    if not units:
        return 0
    used: set[int] = set()
    created = 0
    for start, days in SHADOWING:
        candidates = [
            m
            for m in memberships
            if m.person_id not in used
            and m.is_active_on(start)
            and m.person.workplace is not None
            and m.person.workplace.municipality_id is not None
        ]
        in_first_year = [m for m in candidates if m.start >= start - dt.timedelta(days=365)]
        pool = in_first_year or candidates
        if not pool:
            continue
        person = rng.choice(pool).person
        used.add(person.pk)
        ends = start + dt.timedelta(days=max(int(days.to_integral_value(rounding="ROUND_CEILING")) - 1, 0))
        Shadowing.objects.create(
            network=network,
            person=person,
            host=units[created % len(units)],
            starts_on=start,
            ends_on=ends,
            days=days,
            goals=SHADOWING_GOALS,
            reflection=SHADOWING_REFLECTION,
            status=ShadowingStatus.DONE,
        )
        created += 1
    return created

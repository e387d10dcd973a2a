"""The demo network `make run` sets up, so a newcomer has something real to look at.

Built from seed 001's description of the interdisciplinary network in child palliative care in Sør-Rogaland:
56 resource persons at the end of 2024 from 14 of the 15 municipalities of the Helse Stavanger area, five
hospital departments and a voluntary organisation; sykepleiere, fysioterapeuter, pedagoger, sosionomer and
barnekoordinatorer; some joined and some left over 2022–2024; one local chapter and a working group. The names
are invented (Faker, no_NO, fixed seed) and every address is under demo.fagnett.no. Running it again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from faker import Faker

from fagnett.accounts.models import User
from fagnett.activities.demo import load_demo_activities
from fagnett.networks.models import (
    CompetenceLevel,
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
from fagnett.networks.services import PersonData, add_membership, create_person, end_membership, setup_network
from fagnett.places.models import Municipality
from fagnett.places.queries import health_trust_by_name, municipalities_in_health_trust
from fagnett.plans.demo import load_demo_plans

DEMO_SLUG = "sor-rogaland-barnepalliasjon"
DEMO_COORDINATOR_EMAIL = "koordinator@demo.fagnett.no"
DEMO_DOMAIN = "demo.fagnett.no"

HOSPITAL_UNITS = (
    ("Barneavdelingen, Stavanger universitetssjukehus", 2),
    ("Nyfødtintensiv, Stavanger universitetssjukehus", 1),
    ("Barnehabiliteringen", 2),
    ("Barne- og ungdomspsykiatrisk avdeling", 1),
    ("Barne- og ungdomsklinikkens poliklinikk", 1),
)
# Active resource persons per municipality at the end of 2024; Kvitsøy (1144) has none, as in seed 001
# ("14 av 15 kommuner").
MUNICIPAL_PERSONS = {
    "1103": 10,  # Stavanger
    "1108": 8,  # Sandnes
    "1124": 4,  # Sola
    "1120": 3,  # Klepp
    "1121": 3,  # Time
    "1119": 3,  # Hå
    "1122": 3,  # Gjesdal
    "1127": 2,  # Randaberg
    "1130": 2,  # Strand
    "1101": 2,  # Eigersund
    "1111": 2,  # Sokndal
    "1112": 2,  # Lund
    "1114": 2,  # Bjerkreim
    "1133": 2,  # Hjelmeland
}
JAEREN = ("1119", "1120", "1121", "1122")  # Hå, Klepp, Time, Gjesdal
# After home care (one in every municipality, which the demo's coverage rule asks for), the services a
# child-palliative network draws on.
OTHER_SERVICES = (
    "avlastningsbolig",
    "barnebolig",
    "koordinerende_enhet",
    "skole",
    "barnehage",
    "hjemmetjeneste",
    "palliativt_team",
)
WORKPLACE_NAMES = {
    "hjemmetjeneste": "Hjemmetjenesten {m}",
    "avlastningsbolig": "Avlastningsboligen {m}",
    "barnebolig": "Barneboligen {m}",
    "koordinerende_enhet": "Koordinerende enhet {m}",
    "skole": "Skolehelsetjenesten {m}",
    "barnehage": "Barnehagene i {m}",
    "palliativt_team": "Kommunalt palliativt team {m}",
}
PROFESSIONS = (
    ("Sykepleier", 14),
    ("Barnesykepleier", 5),
    ("Fysioterapeut", 4),
    ("Pedagog", 4),
    ("Sosionom", 3),
    ("Barnekoordinator", 3),
    ("Vernepleier", 3),
    ("Ergoterapeut", 2),
)
WORKING_GROUP = (
    ("Prosjektleder, sykepleier", "Kommunalt palliativt team, Stavanger kommune", "Leder"),
    ("Overlege", "Kommunalt palliativt team, Stavanger kommune", "Medlem"),
    (
        "Fagrådgiver, geriatrisk sykepleier",
        "Utviklingssenter for sykehjem og hjemmetjeneste Rogaland",
        "Sekretær",
    ),
    ("Vernepleier", "Barneboligen Sandnes", "Medlem"),
    ("Barnesykepleier", "Barneavdelingen, Stavanger universitetssjukehus", "Medlem"),
    ("Rådgiver", "Kreftomsorg Rogaland", "Medlem"),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    network: Network


def _password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-login.txt"


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum() and c.isascii())


@transaction.atomic
def load_demo() -> DemoLogin:
    trust = health_trust_by_name("Helse Stavanger HF")
    if trust is None:
        raise RuntimeError("The reference data is missing: run the migrations first.")
    setup = setup_network(
        DEMO_SLUG,
        name="Regionalt nettverk i barnepalliasjon, Sør-Rogaland",
        municipalities=municipalities_in_health_trust(trust),
        hospital_units=[name for name, _ in HOSPITAL_UNITS],
        units_health_trust=trust,
        actor=None,
    )
    network = setup.network
    if setup.created:
        network.purpose = (
            "Et tverrfaglig nettverk som skal sikre at barn med palliative behov og deres familier får et "
            "likeverdig tilbud uansett hvor de bor, ved å bygge og spre kompetanse i kommunene og "
            "spesialisthelsetjenesten."
        )
        network.established_year = 2022
        network.initiative = (
            "Kommunalt palliativt team i Stavanger og Utviklingssenter for sykehjem og hjemmetjeneste"
        )
        network.anchoring = "Samarbeidsavtale mellom Helse Stavanger HF og kommunene i helseforetaksområdet."
        network.anchoring_reference = "Delavtale 11"
        network.owner_organisation = "Stavanger kommune"
        network.public_page = True
        network.public_contact_email = "nettverk@demo.fagnett.no"
        network.newsletter_archive_public = True
        network.save()
        # Children rarely live in nursing homes: this network asks each municipality for a resource person in
        # home care and every hospital unit for one (the template's nursing-home rule is dropped).
        CoverageRule.objects.filter(
            network=network, scope=CoverageScope.MUNICIPALITY, service_type__code=ServiceType.NURSING_HOME
        ).delete()

    user = _coordinator_account(network)
    if not network.persons.exclude(email__iexact=DEMO_COORDINATOR_EMAIL).exists():
        _roster(network)
    load_demo_activities(network)  # seeds once; a second run finds the activities and changes nothing
    load_demo_plans(network)  # after the activities, which the plan's measures and resources link to
    return DemoLogin(email=user.email, password=_password_file().read_text().strip(), network=network)


def _coordinator_account(network: Network) -> User:
    password_file = _password_file()
    user = User.objects.filter(email=DEMO_COORDINATOR_EMAIL).first()
    if user is None or not password_file.exists():
        # The password is made here, on this machine, and kept under var/ (never in the repository).
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_user(DEMO_COORDINATOR_EMAIL, password, name="Kari Koordinator")
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
    person = Person.objects.filter(network=network, email__iexact=DEMO_COORDINATOR_EMAIL).first()
    if person is None:
        person = create_person(
            network,
            PersonData(
                first_name="Kari",
                last_name="Koordinator",
                email=DEMO_COORDINATOR_EMAIL,
                profession="Sykepleier",
            ),
            actor=None,
        )
        person.user = user
        person.save(update_fields=["user"])
        coordinator = Role.objects.get(code=Role.COORDINATOR, network=None)
        add_membership(person, role=coordinator, start=dt.date(2022, 1, 1), actor=None)
    return user


def _roster(network: Network) -> None:
    rng = random.Random(2024)  # noqa: S311 - invented demo data, not security
    fake = Faker("no_NO")
    fake.seed_instance(2024)
    types = {t.code: t for t in ServiceType.objects.filter(network=None)}
    resource = Role.objects.get(code=Role.RESOURCE_PERSON, network=None)
    chapter = LocalChapter.objects.create(network=network, name="Jæren", slug="jaeren")
    chapter.municipalities.set(Municipality.objects.filter(number__in=JAEREN))
    professions = [name for name, weight in PROFESSIONS for _ in range(weight)]
    used_emails: set[str] = set()

    def new_person(workplace: Workplace, *, leader: tuple[str, str]) -> Person:
        first, last = fake.first_name(), fake.last_name()
        base = f"{_ascii(first)}.{_ascii(last)}"
        email, n = f"{base}@{DEMO_DOMAIN}", 2
        while email in used_emails:
            email, n = f"{base}{n}@{DEMO_DOMAIN}", n + 1
        used_emails.add(email)
        return create_person(
            network,
            PersonData(
                first_name=first,
                last_name=last,
                email=email,
                phone=f"4{rng.randrange(1000000, 9999999)}",
                profession=rng.choice(professions),
                competence_level=rng.choices(
                    [CompetenceLevel.A, CompetenceLevel.B, CompetenceLevel.C], weights=[2, 7, 1]
                )[0],
                workplace=workplace,
                leader_name=leader[0],
                leader_email=leader[1],
                public_consent=rng.random() < 0.6,
            ),
            actor=None,
        )

    def start_date() -> dt.date:
        return dt.date(2022, 1, 15) + dt.timedelta(days=rng.randrange(0, 365 * 3 - 60))

    def workplace(name: str, service_type: str, municipality: Municipality | None) -> Workplace:
        found, _ = Workplace.objects.get_or_create(
            network=network, name=name, service_type=types[service_type], municipality=municipality
        )
        return found

    def leader_of(place: Workplace) -> tuple[str, str]:
        return (fake.name(), f"leder.{_ascii(place.name)[:40]}@{DEMO_DOMAIN}")

    placements: list[tuple[Workplace, LocalChapter | None]] = []
    for number, count in MUNICIPAL_PERSONS.items():
        municipality = Municipality.objects.get(number=number)
        in_chapter = chapter if number in JAEREN else None
        for i in range(count):
            code = "hjemmetjeneste" if i == 0 else OTHER_SERVICES[(i - 1 + int(number)) % len(OTHER_SERVICES)]
            if code == "palliativt_team" and number != "1103":
                code = "koordinerende_enhet"
            name = WORKPLACE_NAMES[code].format(m=municipality.name)
            placements.append((workplace(name, code, municipality), in_chapter))
    units = {w.name: w for w in Workplace.objects.filter(network=network, in_scope=True)}
    for unit_name, count in HOSPITAL_UNITS:
        placements.extend((units[unit_name], None) for _ in range(count))
    voluntary = workplace(
        "Kreftomsorg Rogaland", "frivillig_organisasjon", Municipality.objects.get(number="1103")
    )
    placements.append((voluntary, None))

    leaders: dict[int, tuple[str, str]] = {}
    for place, in_chapter in placements:
        leader = leaders.setdefault(place.pk, leader_of(place))
        person = new_person(place, leader=leader)
        add_membership(person, role=resource, start=start_date(), chapter=in_chapter, actor=None)

    # Six who left over 2023–2024, from places that still have someone (seed 001: the network changed
    # members during the project period).
    for place, in_chapter in placements[1::9][:6]:
        person = new_person(place, leader=leaders[place.pk])
        start = dt.date(2022, 2, 1) + dt.timedelta(days=rng.randrange(0, 300))
        membership = add_membership(person, role=resource, start=start, chapter=in_chapter, actor=None)
        end = dt.date(2023, 3, 31) + dt.timedelta(days=rng.randrange(0, 600))
        end_membership(
            membership,
            end=end,
            reason=rng.choice(["Ny jobb", "Permisjon", "Ny rolle i virksomheten"]),
            actor=None,
        )

    # The chapter's coordinator is one of its resource persons.
    jaeren_person = (
        Membership.objects.filter(chapter=chapter, end__isnull=True).select_related("person").first()
    )
    if jaeren_person is not None:
        coordinator = Role.objects.get(code=Role.COORDINATOR, network=None)
        add_membership(
            jaeren_person.person, role=coordinator, start=dt.date(2023, 1, 1), chapter=chapter, actor=None
        )

    group = Group.objects.create(
        network=network,
        kind=GroupKind.WORKING,
        name="Arbeidsgruppen for barnepalliasjon",
        mandate=(
            "Planlegge og gjennomføre nettverkssamlinger og fagdager, følge opp ressurspersonene og "
            "rapportere til styringsgruppen."
        ),
        meetings_per_year=8,
    )
    for position, (title, member_workplace, function) in enumerate(WORKING_GROUP):
        GroupMember.objects.create(
            group=group,
            name=fake.name(),
            title=title,
            workplace=member_workplace,
            function=function,
            position=position,
        )

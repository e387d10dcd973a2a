"""A national-scale data set: all 357 municipalities, 200 networks, 20,000 persons, 30,000 memberships.

Made with bulk inserts (not the audited services: this is measurement data, not user data) and a fixed random
seed, so every run measures the same data. Network 0 ("bench-stor") is the largest, with 2,000 persons; the
others share the rest (about 90 each).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fagnett.networks.models import (
    CoverageRule,
    CoverageScope,
    LocalChapter,
    Membership,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.places.models import County, HealthTrust, Municipality

NETWORKS = 200
PERSONS = 20_000
MEMBERSHIPS = 30_000
LARGEST = 2_000


@dataclass(frozen=True)
class NationalData:
    largest: Network
    typical: Network
    networks: int
    persons: int
    memberships: int


@transaction.atomic
def generate(seed: int = 357) -> NationalData:
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    types = {t.code: t for t in ServiceType.objects.filter(network=None)}
    roles = {r.code: r for r in Role.objects.filter(network=None)}
    counties = list(County.objects.prefetch_related("municipalities"))
    trusts = list(HealthTrust.objects.all())
    networks = Network.objects.bulk_create(
        Network(name=f"Nettverk {i:03d}", slug="bench-stor" if i == 0 else f"bench-{i:03d}")
        for i in range(NETWORKS)
    )
    area_links: list[Any] = []
    chapters = []
    workplaces: list[Workplace] = []
    areas: dict[int, list[Municipality]] = {}
    for i, network in enumerate(networks):
        county = counties[i % len(counties)]
        municipalities = list(county.municipalities.all())
        area = rng.sample(municipalities, k=min(len(municipalities), rng.randint(3, 20)))
        areas[network.pk] = area
        area_links.extend(
            Network.municipalities.through(network_id=network.pk, municipality_id=m.pk) for m in area
        )
        chapters.append(LocalChapter(network=network, name="Lokallag 1", slug="lokallag-1"))
        for municipality in area:
            for code in (
                "hjemmetjeneste",
                "sykehjem",
                rng.choice(["barnebolig", "skole", "avlastningsbolig"]),
            ):
                workplaces.append(
                    Workplace(
                        network=network,
                        name=f"{types[code].name} {municipality.name}",
                        service_type=types[code],
                        municipality=municipality,
                    )
                )
        trust = rng.choice(trusts)
        for unit in range(rng.randint(1, 3)):
            workplaces.append(
                Workplace(
                    network=network,
                    name=f"Sykehusavdeling {unit + 1}",
                    service_type=types["sykehusavdeling"],
                    health_trust=trust,
                    in_scope=True,
                )
            )
    Network.municipalities.through.objects.bulk_create(area_links)
    chapters = LocalChapter.objects.bulk_create(chapters)
    workplaces = Workplace.objects.bulk_create(workplaces, batch_size=2000)
    rules = []
    for network in networks:
        rules.append(
            CoverageRule(
                network=network, scope=CoverageScope.MUNICIPALITY, service_type=types["hjemmetjeneste"]
            )
        )
        rules.append(
            CoverageRule(network=network, scope=CoverageScope.MUNICIPALITY, service_type=types["sykehjem"])
        )
        rules.append(CoverageRule(network=network, scope=CoverageScope.HOSPITAL_UNIT))
    CoverageRule.objects.bulk_create(rules)

    by_network: dict[int, list[Workplace]] = {}
    for workplace in workplaces:
        by_network.setdefault(workplace.network_id, []).append(workplace)
    chapter_of = {chapter.network_id: chapter for chapter in chapters}
    sizes = [LARGEST] + [0] * (NETWORKS - 1)
    rest = PERSONS - LARGEST
    for i in range(1, NETWORKS):
        sizes[i] = rest // (NETWORKS - 1) + (1 if i <= rest % (NETWORKS - 1) else 0)
    persons = []
    for network, size in zip(networks, sizes, strict=True):
        places = by_network[network.pk]
        for n in range(size):
            persons.append(
                Person(
                    network=network,
                    first_name=f"Fornavn{n}",
                    last_name=f"Etternavn{n % 997}",
                    email=f"person{n}@{network.slug}.example.no",
                    profession=rng.choice(["Sykepleier", "Fysioterapeut", "Vernepleier", "Lege"]),
                    competence_level=rng.choice("ABC"),
                    workplace=rng.choice(places),
                )
            )
    persons = Person.objects.bulk_create(persons, batch_size=2000)
    memberships = []
    for person in persons:
        start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3600))
        memberships.append(
            Membership(
                person=person,
                network_id=person.network_id,
                role=roles["ressursperson"],
                chapter=chapter_of[person.network_id] if rng.random() < 0.3 else None,
                start=start,
                end=start + dt.timedelta(days=rng.randrange(200, 2000)) if rng.random() < 0.2 else None,
            )
        )
    for person in rng.sample(persons, MEMBERSHIPS - len(persons)):
        memberships.append(
            Membership(
                person=person,
                network_id=person.network_id,
                role=roles["arbeidsgruppe"],
                start=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500)),
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    return NationalData(
        largest=networks[0],
        typical=networks[1],
        networks=len(networks),
        persons=len(persons),
        memberships=len(memberships),
    )

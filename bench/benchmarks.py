"""The benchmarks `make bench` runs. Each prepares its data, then times one user-facing action."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import maps, overview, reports
from bench.runner import Result, measure


@dataclass(frozen=True)
class Benchmark:
    name: str
    prepare: Callable[[], Callable[[], object]]
    target_ms: float | None = None
    repeat: int | None = None  # fixed number of runs for slow actions; otherwise the command's --repeat

    def run(self, repeat: int) -> Result:
        return measure(self.name, self.prepare(), repeat=self.repeat or repeat, target_ms=self.target_ms)


def _client_get(client: Any, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


@functools.cache
def _national() -> Any:
    from bench.national import generate

    return generate()


@functools.cache
def _coordinator_client(slug: str) -> Any:
    """A logged-in client for a coordinator of the network `slug` of the national data set."""
    from django.test import Client

    from fagnett.accounts.models import User
    from fagnett.networks.models import Membership, Network, Person, Role

    _national()
    network = Network.objects.get(slug=slug)
    user, _ = User.objects.get_or_create(email=f"koordinator@{slug}.example.no")
    person, _ = Person.objects.get_or_create(
        network=network,
        email=user.email,
        defaults={"first_name": "Kari", "last_name": "Koordinator", "user": user},
    )
    Membership.objects.get_or_create(
        person=person,
        network=network,
        role=Role.objects.get(code="koordinator", network=None),
        start=dt.date(2020, 1, 1),
    )
    client = Client()
    client.force_login(user)
    return client


def _page(slug: str, name: str, *args: Any, query: str = "") -> Callable[[], Callable[[], object]]:
    def prepare() -> Callable[[], object]:
        from django.urls import reverse

        _national()
        resolved = [a() if callable(a) else a for a in args]
        url = reverse(f"networks:{name}", args=[slug, *resolved]) + query
        return _client_get(_coordinator_client(slug), url)

    return prepare


def _some_person(slug: str) -> Callable[[], int]:
    def pk() -> int:
        from fagnett.networks.models import Person

        person = Person.objects.filter(network__slug=slug, memberships__isnull=False).order_by("pk").first()
        assert person is not None
        return person.pk

    return pk


def _login_page() -> Callable[[], object]:
    from django.test import Client
    from django.urls import reverse

    return _client_get(Client(), reverse("account_login"))


def _public_page(slug: str) -> Callable[[], object]:
    """The public network page for an anonymous visitor, with the network's page turned on."""
    from django.test import Client
    from django.urls import reverse

    from fagnett.networks.models import Network

    _national()
    Network.objects.filter(slug=slug).update(public_page=True, newsletter_archive_public=True)
    return _client_get(Client(), reverse("public:network", args=[slug]))


def _roster_xlsx(rows: int) -> bytes:
    from openpyxl import Workbook

    from fagnett.places.models import Municipality

    numbers = list(Municipality.objects.filter(county__number="11").values_list("number", flat=True))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "fornavn",
            "etternavn",
            "epost",
            "telefon",
            "yrke",
            "kompetansenivaa",
            "arbeidssted",
            "tjenestetype",
            "kommunenummer",
            "rolle",
            "startdato",
            "sluttdato",
            "leder_epost",
        ]
    )
    for n in range(rows):
        number = numbers[n % len(numbers)]
        sheet.append(
            [
                f"Fornavn{n}",
                f"Etternavn{n}",
                f"person{n}@import.example.no",
                40000000 + n,
                "Sykepleier",
                "B",
                f"Hjemmetjenesten {number}",
                "hjemmetjeneste",
                int(number),
                "ressursperson",
                dt.date(2020, 1, 1) + dt.timedelta(days=n % 1500),
                None,
                f"leder{n % 50}@import.example.no",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(rows: int, *, again: bool) -> Callable[[], Callable[[], object]]:
    """Import a roster of `rows` rows into a network of Rogaland's municipalities (first run), or import the
    same file again into the same network (the idempotent re-import: validates, writes nothing)."""

    def prepare() -> Callable[[], object]:
        from fagnett.lib.tabular import read_table
        from fagnett.networks.imports import RosterImporter
        from fagnett.networks.models import Network
        from fagnett.places.models import Municipality

        data = _roster_xlsx(rows)
        counter = iter(range(1000))

        def fresh_network() -> Network:
            network = Network.objects.create(name="Import", slug=f"import-{next(counter)}-{again}")
            network.municipalities.set(Municipality.objects.filter(county__number="11"))
            return network

        def run(network: Network) -> object:
            importer = RosterImporter(network)
            preview = importer.validate(read_table(data, "roster.xlsx"))
            assert preview.ok, preview.errors[:3]
            return importer.apply(preview, actor=None)

        if again:
            network = fresh_network()
            run(network)
            return lambda: run(network)
        return lambda: run(fresh_network())

    return prepare


STOR, TYPICAL = "bench-stor", "bench-001"

BENCHMARKS = [
    Benchmark("login page (anonymous GET)", _login_page, target_ms=100),
    Benchmark("dashboard, network of 2,000 persons", _page(STOR, "dashboard"), target_ms=100),
    Benchmark("roster page 1, 2,000 persons", _page(STOR, "roster"), target_ms=100),
    Benchmark(
        "roster search + filter, 2,000 persons",
        _page(STOR, "roster", query="?q=etternavn1&status=alle"),
        target_ms=100,
    ),
    Benchmark("person page", _page(STOR, "person_detail", _some_person(STOR)), target_ms=100),
    Benchmark("coverage page, 2,000 persons", _page(STOR, "coverage"), target_ms=100),
    Benchmark("coverage page, typical network (~90 persons)", _page(TYPICAL, "coverage"), target_ms=100),
    Benchmark(
        "roster export XLSX, 2,000 persons", _page(STOR, "roster_export", "xlsx"), target_ms=None, repeat=5
    ),
    Benchmark(
        "import 10,000-row XLSX into an empty network",
        _import(10_000, again=False),
        target_ms=10_000,
        repeat=3,
    ),
    Benchmark(
        "re-import the same 10,000 rows (no changes)", _import(10_000, again=True), target_ms=10_000, repeat=3
    ),
]


@functools.cache
def _activities() -> dict[str, Any]:
    """Activities in the largest network: 60 over two years, one with 300 registered and attended, and a
    person with 30 attended activities (a full yearly statement)."""
    from fagnett.activities.models import Activity, ActivityKind, Attendance, Registration
    from fagnett.networks.models import Network, Person

    _national()
    network = Network.objects.get(slug=STOR)
    kinds = [ActivityKind.GATHERING, ActivityKind.STUDY_DAY, ActivityKind.COURSE, ActivityKind.WEBINAR]
    activities = Activity.objects.bulk_create(
        Activity(
            network=network,
            kind=kinds[n % len(kinds)],
            title=f"Aktivitet {n}",
            starts_on=dt.date(2025, 1, 6) + dt.timedelta(days=12 * n),
            ends_on=dt.date(2025, 1, 6) + dt.timedelta(days=12 * n),
            hours=6,
            place="Stavanger",
        )
        for n in range(60)
    )
    big = activities[0]
    persons = list(Person.objects.filter(network=network).order_by("pk")[:300])
    Registration.objects.bulk_create(Registration(activity=big, person=p, status="paameldt") for p in persons)
    Attendance.objects.bulk_create(
        Attendance(activity=big, person=p, status="deltatt", hours=6) for p in persons
    )
    keen = persons[1]
    Attendance.objects.bulk_create(
        Attendance(activity=a, person=keen, status="deltatt", hours=6) for a in activities[1:31]
    )
    return {"big": big.pk, "persons": [p.pk for p in persons], "keen": keen.pk}


def _activity_page(name: str) -> Callable[[], Callable[[], object]]:
    def prepare() -> Callable[[], object]:
        from django.urls import reverse

        facts = _activities()
        return _client_get(
            _coordinator_client(STOR), reverse(f"activities:{name}", args=[STOR, facts["big"]])
        )

    return prepare


def _calendar() -> Callable[[], object]:
    from django.urls import reverse

    _activities()
    return _client_get(
        _coordinator_client(STOR),
        reverse("activities:calendar", args=[STOR]) + "?fra=2025-01-01&til=2026-12-31",
    )


def _save_attendance() -> Callable[[], object]:
    """POST the attendance of 300 persons in one request, alternating the statuses so every run writes."""
    from django.urls import reverse

    facts = _activities()
    client = _coordinator_client(STOR)
    url = reverse("activities:attendance", args=[STOR, facts["big"]])
    flip = iter(range(10**6))

    def post() -> object:
        n = next(flip)
        data = {"action": "save"}
        for i, pk in enumerate(facts["persons"]):
            attended = (i + n) % 3 != 0
            data[f"status_{pk}"] = "deltatt" if attended else "fravaer"
            data[f"hours_{pk}"] = "6" if attended else "0"
        response = client.post(url, data)
        assert response.status_code == 302, response.status_code
        return response

    return post


def _yearly_statement() -> Callable[[], object]:
    from django.urls import reverse

    facts = _activities()
    return _client_get(
        _coordinator_client(STOR), reverse("activities:yearly_statement", args=[STOR, facts["keen"], 2025])
    )


BENCHMARKS += [
    Benchmark("calendar, 60 activities in two years", _calendar, target_ms=100),
    Benchmark("activity page, 300 participants", _activity_page("activity_detail"), target_ms=100),
    Benchmark("attendance page, 300 participants", _activity_page("attendance"), target_ms=None, repeat=10),
    Benchmark("save attendance of 300 persons (one POST)", _save_attendance, target_ms=1000, repeat=10),
    Benchmark("yearly statement PDF, 30 activities", _yearly_statement, target_ms=2000, repeat=5),
]


@functools.cache
def _competence_network(persons: int) -> Any:
    from bench.competence import generate

    return generate(f"bench-kompetanse-{persons}", persons)


def _competence_status(persons: int) -> Callable[[], object]:
    """The engine for a whole network and year: what the matrix, the summary and the CLI all call."""
    from bench.competence import YEAR
    from fagnett.competence.engine import network_status

    network = _competence_network(persons)

    def compute() -> object:
        facts = network_status(network, YEAR)
        assert len(facts.persons) == persons, len(facts.persons)
        return facts

    return compute


def _competence_page(name: str, persons: int, query: str = "") -> Callable[[], Callable[[], object]]:
    def prepare() -> Callable[[], object]:
        from django.urls import reverse

        network = _competence_network(persons)
        client = _coordinator_client_for(network)
        return _client_get(client, reverse(f"competence:{name}", args=[network.slug]) + query)

    return prepare


def _coordinator_client_for(network: Any) -> Any:
    from django.test import Client

    from fagnett.accounts.models import User
    from fagnett.networks.models import Membership, Person, Role

    user, _ = User.objects.get_or_create(email=f"koordinator@{network.slug}.example.no")
    person, _ = Person.objects.get_or_create(
        network=network, email=user.email, defaults={"first_name": "K", "last_name": "K", "user": user}
    )
    Membership.objects.get_or_create(
        person=person,
        network=network,
        role=Role.objects.get(code="koordinator", network=None),
        start=dt.date(2020, 1, 1),
    )
    client = Client()
    client.force_login(user)
    return client


BENCHMARKS += [
    Benchmark(
        "competence status, network of 5,000 persons",
        lambda: _competence_status(5_000),
        target_ms=500,
        repeat=10,
    ),
    Benchmark(
        "competence status, network of 20,000 persons",
        lambda: _competence_status(20_000),
        target_ms=2000,
        repeat=5,
    ),
    Benchmark(
        "competence matrix page, 5,000 persons",
        _competence_page("matrix", 5_000, "?aar=2025"),
        target_ms=500,
        repeat=10,
    ),
    Benchmark(
        "competence summary page, 20,000 persons (two years)",
        _competence_page("summary", 20_000),
        target_ms=None,
        repeat=5,
    ),
]

BENCHMARKS += maps.benchmarks()
BENCHMARKS += overview.benchmarks()
BENCHMARKS += reports.benchmarks()
BENCHMARKS += [
    Benchmark(
        "public network page, 2,000 persons (anonymous)", functools.partial(_public_page, STOR), target_ms=100
    ),
]

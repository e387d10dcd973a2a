"""Every URL of the networks app against every role: the issue's "a test enumerates every URL of the app and
checks every role against it". A URL added to the app without a row here fails the first test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from fagnett.accounts.models import User
from fagnett.networks.models import Group, LocalChapter, Membership, Network, Person, ServiceType, Workplace
from tests.conftest import login

PERSONAS = ("alice", "carl", "lena", "rita", "rolf", "charlie", "nobody")
COORDINATOR = {"alice"}
MANAGERS = {"alice", "carl"}
AGGREGATES = {"alice", "carl", "rolf"}
ROSTER = {"alice", "carl", "lena"}
ABOUT_RITA = {"alice", "carl", "lena", "rita"}

# URL name → (arguments after the network slug, who gets 200; everyone else gets 404)
MATRIX: dict[str, tuple[Callable[[dict[str, Any]], list[Any]], set[str]]] = {
    "dashboard": (lambda o: [], AGGREGATES),
    "roster": (lambda o: [], ROSTER),
    "roster_export": (lambda o: ["xlsx"], MANAGERS),
    "person_create": (lambda o: [], MANAGERS),
    "person_detail": (lambda o: [o["rita"].pk], ABOUT_RITA),
    "person_edit": (lambda o: [o["rita"].pk], MANAGERS),
    "membership_create": (lambda o: [o["rita"].pk], MANAGERS),
    "membership_end": (lambda o: [o["membership"].pk], MANAGERS),
    "membership_move": (lambda o: [o["membership"].pk], MANAGERS),
    "workplaces": (lambda o: [], COORDINATOR),
    "workplace_create": (lambda o: [], COORDINATOR),
    "workplace_edit": (lambda o: [o["workplace"].pk], COORDINATOR),
    "groups": (lambda o: [], COORDINATOR),
    "group_create": (lambda o: [], COORDINATOR),
    "group_detail": (lambda o: [o["group"].pk], COORDINATOR),
    "group_edit": (lambda o: [o["group"].pk], COORDINATOR),
    "chapters": (lambda o: [], MANAGERS),
    "chapter_create": (lambda o: [], COORDINATOR),
    "chapter_edit": (lambda o: [o["chapter"].slug], COORDINATOR),
    "settings": (lambda o: [], COORDINATOR),
    "coverage": (lambda o: [], AGGREGATES),
    "coverage_export": (lambda o: [], AGGREGATES),
    "import_upload": (lambda o: [], COORDINATOR),
    "import_template": (lambda o: ["xlsx"], COORDINATOR),
    "import_preview": (lambda o: [o["upload"]], COORDINATOR),
}


def network_url_names() -> set[str]:
    resolver = get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        for inner in getattr(pattern, "url_patterns", [pattern]):
            if isinstance(inner, URLPattern) and inner.callback.__module__.startswith("fagnett.networks"):
                assert inner.name, f"unnamed URL {inner.pattern}"
                names.add(inner.name)
    return names


def test_every_networks_url_is_in_the_matrix() -> None:
    assert network_url_names() == set(MATRIX)


@pytest.fixture
def objects(
    network: Network, chapter: LocalChapter, alice: User, carl: User, rita: User, lena: User, rolf: User
) -> dict[str, Any]:
    person = Person.objects.get(network=network, user=rita)
    membership = Membership.objects.get(person=person)
    # Rita is in Carl's chapter, so Carl may see and manage her.
    membership.chapter = chapter
    membership.save()
    workplace = Workplace.objects.create(
        network=network,
        name="Hjemmetjenesten Stavanger",
        service_type=ServiceType.objects.get(code="hjemmetjeneste"),
    )
    group = Group.objects.create(network=network, kind="arbeidsgruppe", name="Arbeidsgruppen")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(Client(), alice)
    response = client.post(
        reverse("networks:import_upload", args=[network.slug]),
        {
            "file": SimpleUploadedFile(
                "r.csv", b"fornavn;etternavn;epost;rolle;startdato\nA;B;a@b.no;ressursperson;01.01.2024\n"
            )
        },
    )
    assert response.status_code == 302, response.content[:500]
    upload = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return {
        "rita": person,
        "membership": membership,
        "workplace": workplace,
        "group": group,
        "chapter": chapter,
        "upload": upload,
    }


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_page_or_404(
    name: str, objects: dict[str, Any], network: Network, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("charlie")
    request.getfixturevalue("nobody")
    args_of, allowed = MATRIX[name]
    url = reverse(f"networks:{name}", args=[network.slug, *args_of(objects)])
    results = {}
    for persona in PERSONAS:
        user = User.objects.get(email=f"{persona}@example.no")
        results[persona] = login(Client(), user).get(url).status_code
    expected = {persona: 200 if persona in allowed else 404 for persona in PERSONAS}
    assert results == expected
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_same_pages_of_a_missing_network_are_404_for_its_would_be_coordinator(
    name: str, objects: dict[str, Any], alice: User
) -> None:
    args_of, _ = MATRIX[name]
    url = reverse(f"networks:{name}", args=["finnes-ikke", *args_of(objects)])
    assert login(Client(), alice).get(url).status_code == 404


def test_rita_cannot_reach_another_persons_page(
    client: Client, network: Network, rita: User, alice: User
) -> None:
    other = Person.objects.get(network=network, user=alice)
    url = reverse("networks:person_detail", args=[network.slug, other.pk])
    assert login(client, rita).get(url).status_code == 404


def test_charlie_cannot_reach_ritas_page_through_his_own_network(
    client: Client, network: Network, other_network: Network, rita: User, charlie: User
) -> None:
    person = Person.objects.get(network=network, user=rita)
    url = reverse("networks:person_detail", args=[other_network.slug, person.pk])
    assert login(client, charlie).get(url).status_code == 404


WRITE_URLS = sorted(
    name for name in MATRIX if MATRIX[name][1] <= MANAGERS and not name.endswith(("export", "template"))
)


@pytest.mark.parametrize("name", WRITE_URLS)
def test_posts_from_roles_without_write_access_are_404_and_change_nothing(
    name: str, objects: dict[str, Any], network: Network, request: pytest.FixtureRequest
) -> None:
    from fagnett.audit.models import AuditEntry

    request.getfixturevalue("charlie")
    args_of, allowed = MATRIX[name]
    url = reverse(f"networks:{name}", args=[network.slug, *args_of(objects)])
    changes = AuditEntry.objects.exclude(action__startswith="account.")
    before = changes.count()
    for persona in sorted(set(PERSONAS) - allowed - {"nobody"}):
        user = User.objects.get(email=f"{persona}@example.no")
        assert login(Client(), user).post(url, {"first_name": "X"}).status_code == 404, persona
    assert changes.count() == before

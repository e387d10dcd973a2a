"""Personas shared by every test. Each fixture says what that person may do.

Passwords are set per test run; nothing here is a real credential.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from fagnett.accounts.models import User
from fagnett.networks.models import LocalChapter, Membership, Network, NetworkReader, Person, Role
from fagnett.places.models import Municipality

PASSWORD = "korrekt-hest-batteri-stift"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """PBKDF2 at production strength costs a large part of a second per user; tests create thousands."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploads (roster imports) go to a fresh folder per test, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last (see tests/browser/conftest.py for why)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def make_user(email: str, name: str = "", **extra: object) -> User:
    return User.objects.create_user(email, PASSWORD, name=name, **extra)


def add_member(
    network: Network,
    user: User | None,
    email: str,
    role_code: str,
    start: dt.date,
    chapter: LocalChapter | None = None,
) -> Membership:
    first, _, last = (user.name if user and user.name else email.split("@")[0]).partition(" ")
    person, _ = Person.objects.get_or_create(
        network=network, email=email, defaults={"first_name": first, "last_name": last or "-", "user": user}
    )
    role = Role.objects.get(code=role_code, network=None)
    return Membership.objects.create(person=person, network=network, role=role, start=start, chapter=chapter)


@pytest.fixture
def network(db: None) -> Network:
    """A network in the Stavanger area with two municipalities."""
    network = Network.objects.create(name="Barnepalliasjon Sør-Rogaland", slug="barnepalliasjon")
    network.municipalities.set(Municipality.objects.filter(number__in=["1103", "1108"]))
    return network


@pytest.fixture
def other_network(db: None) -> Network:
    """Another network in the same installation; nothing of it may leak into `network`."""
    return Network.objects.create(name="Lindrende nettverk Bergen", slug="bergen")


@pytest.fixture
def alice(network: Network) -> User:
    """Alice coordinates `network`: she may see and change everything in it."""
    user = make_user("alice@example.no", "Alice Koordinator")
    add_member(network, user, user.email, Role.COORDINATOR, dt.date(2020, 1, 1))
    return user


@pytest.fixture
def rita(network: Network) -> User:
    """Rita is a resource person in `network`: she may see only herself, not the coordinator's pages."""
    user = make_user("rita@example.no", "Rita Ressurs")
    add_member(network, user, user.email, Role.RESOURCE_PERSON, dt.date(2022, 3, 1))
    return user


@pytest.fixture
def chapter(network: Network) -> LocalChapter:
    """The local chapter "Stavanger" of `network`, covering municipality 1103."""
    chapter = LocalChapter.objects.create(network=network, name="Stavanger", slug="stavanger")
    chapter.municipalities.set(Municipality.objects.filter(number="1103"))
    return chapter


@pytest.fixture
def carl(network: Network, chapter: LocalChapter) -> User:
    """Carl coordinates the chapter `chapter`: its persons and memberships, and the network's aggregates."""
    user = make_user("carl@example.no", "Carl Lokallag")
    add_member(network, user, user.email, Role.COORDINATOR, dt.date(2021, 1, 1), chapter=chapter)
    return user


@pytest.fixture
def lena(network: Network, rita: User) -> User:
    """Lena is Rita's line manager: she may read her staff (Rita), nothing else, and change nothing."""
    user = make_user("lena@example.no", "Lena Leder")
    Person.objects.filter(network=network, user=rita).update(leader_email="Lena@Example.no")
    return user


@pytest.fixture
def rolf(network: Network) -> User:
    """Rolf reads `network` for the health authority: aggregates and reports only, never persons."""
    user = make_user("rolf@example.no", "Rolf Leser")
    NetworkReader.objects.create(network=network, user=user)
    return user


@pytest.fixture
def charlie(other_network: Network) -> User:
    """Charlie coordinates `other_network`: every page of `network` must answer him 404."""
    user = make_user("charlie@example.no", "Charlie Annen")
    add_member(other_network, user, user.email, Role.COORDINATOR, dt.date(2020, 1, 1))
    return user


@pytest.fixture
def nobody(db: None) -> User:
    """Nobody has an account but no role anywhere: 404 on every network page."""
    return make_user("nobody@example.no", "Nils Ingen")


@pytest.fixture
def admin_user(db: None) -> User:
    """A site administrator: the admin pages, but no network role by default."""
    return User.objects.create_superuser("admin@example.no", PASSWORD, name="Ada Admin")


def login(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.networks.demo import DEMO_COORDINATOR_EMAIL, DEMO_SLUG
from fagnett.networks.models import Membership, Network


@pytest.fixture(autouse=True)
def _var_dir(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_prints_a_login_that_works(client: Client) -> None:
    output = run_load_demo()
    line = next(line for line in output.splitlines() if line.startswith("Demo login"))
    email, password = line.split(": ", 1)[1].split(" / ")
    assert email == DEMO_COORDINATOR_EMAIL
    client.post(reverse("account_login"), {"login": email, "password": password})
    assert client.get(reverse("core:home"))["Location"] == reverse("networks:dashboard", args=[DEMO_SLUG])


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_and_keeps_the_password() -> None:
    first = run_load_demo()
    counts = (Network.objects.count(), User.objects.count(), Membership.objects.count())
    assert run_load_demo() == first
    assert (Network.objects.count(), User.objects.count(), Membership.objects.count()) == counts


@pytest.mark.django_db
def test_the_demo_network_covers_the_helse_stavanger_area() -> None:
    run_load_demo()
    network = Network.objects.get(slug=DEMO_SLUG)
    numbers = set(network.municipalities.values_list("number", flat=True))
    assert len(numbers) == 15
    assert {"1103", "1108", "1124", "1127"} <= numbers


@pytest.mark.django_db
def test_the_demo_roster_matches_seed_001() -> None:
    import datetime as dt

    from fagnett.networks.models import Group, Workplace

    run_load_demo()
    network = Network.objects.get(slug=DEMO_SLUG)
    active = Membership.objects.active_on(dt.date(2024, 12, 31)).filter(
        network=network, role__code="ressursperson"
    )
    assert active.values("person").distinct().count() == 56
    municipalities = set(active.values_list("person__workplace__municipality__number", flat=True)) - {None}
    assert len(municipalities) == 14 and "1144" not in municipalities  # 14 of 15; Kvitsøy has none
    units = Workplace.objects.filter(network=network, in_scope=True, service_type__code="sykehusavdeling")
    assert units.count() == 5
    assert active.filter(person__workplace__in=units).values("person").distinct().count() == 7
    assert active.filter(person__workplace__service_type__code="frivillig_organisasjon").count() == 1
    left = Membership.objects.filter(network=network, role__code="ressursperson", end__isnull=False)
    assert left.count() == 6
    assert all(dt.date(2023, 1, 1) <= m.end <= dt.date(2024, 12, 31) for m in left if m.end)
    assert network.chapters.get().name == "Jæren"
    assert Group.objects.get(network=network).members.count() == 6
    assert not network.persons.exclude(email__endswith="@demo.fagnett.no").exists()

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

"""`manage.py national_coverage`: every municipality across all networks, the same facts the map shows a
site-wide reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fagnett.networks.models import Network, ServiceType
from tests.conftest import login
from tests.overview.test_facts import make_network, random_networks, resource_person, site_reader, workplace


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("national_coverage", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def networks(db: None) -> list[Network]:
    network = make_network("barnepalliasjon", ["1103", "1108"])
    for code in (ServiceType.HOME_CARE, ServiceType.NURSING_HOME):
        resource_person(network, workplace(network, "1103", code))
    resource_person(network, workplace(network, "1108", "skole"))
    return [network, make_network("bergen", ["4601", "1103"], rules=[(ServiceType.HOME_CARE, 2)])]


@pytest.mark.django_db
def test_json_lists_every_municipality_with_the_documented_keys(networks: list[Network]) -> None:
    data = json.loads(run("--format", "json", "--date", "2025-06-15"))
    assert data["date"] == "2025-06-15"
    assert len(data["municipalities"]) == 357
    stavanger = next(m for m in data["municipalities"] if m["number"] == "1103")
    assert stavanger == {
        "number": "1103",
        "name": "Stavanger",
        "county": stavanger["county"],
        "county_number": "11",
        "networks": ["barnepalliasjon", "bergen"],
        "resource_persons": {"hjemmetjeneste": 1, "sykehjem": 1},
        "covered": True,
        "status": "dekket",
    }
    assert stavanger["county"].startswith("Rogaland")
    sandnes = next(m for m in data["municipalities"] if m["number"] == "1108")
    assert (sandnes["covered"], sandnes["status"], sandnes["resource_persons"]) == (
        False,
        "ikke_dekket",
        {"skole": 1},
    )
    oslo = next(m for m in data["municipalities"] if m["number"] == "0301")
    assert (oslo["networks"], oslo["status"], oslo["covered"]) == ([], "utenfor", False)


@pytest.mark.django_db
def test_csv_has_a_column_per_service_type(networks: list[Network]) -> None:
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", "--date", "2025-06-15"))))
    assert len(rows) == 357
    assert list(rows[0]) == [
        "number",
        "name",
        "county",
        "county_number",
        "networks",
        "hjemmetjeneste",
        "skole",
        "sykehjem",
        "covered",
        "status",
    ]
    stavanger = next(r for r in rows if r["number"] == "1103")
    assert (stavanger["networks"], stavanger["hjemmetjeneste"], stavanger["covered"]) == (
        "barnepalliasjon bergen",
        "1",
        "true",
    )


@pytest.mark.django_db
def test_the_date_defaults_to_today(networks: list[Network]) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        assert json.loads(run("--format", "json"))["date"] == "2025-06-15"
    before = json.loads(run("--format", "json", "--date", "2019-12-31"))
    assert not any(m["resource_persons"] for m in before["municipalities"])  # nobody had started


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["15.06.2025", "2025-02-30", "i dag", "20250615"])
def test_a_bad_date_is_refused_naming_the_option(value: str) -> None:
    with pytest.raises(CommandError, match="--date"):
        run("--format", "json", "--date", value)


@pytest.mark.django_db
def test_the_format_is_required() -> None:
    with pytest.raises(CommandError):
        run()


@pytest.mark.django_db
def test_the_output_equals_what_the_map_shows_a_site_wide_reader(client: Client) -> None:
    random_networks(8, seed=30)
    login(client, site_reader())
    with time_machine.travel(dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("overview:map"))
        data = json.loads(run("--format", "json"))

    def shown(m: Any) -> tuple[Any, ...]:
        return (m.number, m.name, m.county_name, m.network_slugs, m.counts, m.covered, str(m.status))

    def printed(m: dict[str, Any]) -> tuple[Any, ...]:
        keys = ("number", "name", "county", "networks", "resource_persons", "covered", "status")
        return tuple(m[key] for key in keys)

    assert [printed(m) for m in data["municipalities"]] == [shown(m) for m in page.context["municipalities"]]
    assert sum(1 for m in data["municipalities"] if m["networks"]) > 10

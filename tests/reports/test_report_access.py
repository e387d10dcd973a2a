"""Every report view for every persona: the network coordinator may do everything; chapter coordinators and
readers read published reports only; everyone else gets 404, as for a missing network. A refused POST
changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.access import network_for_user
from fagnett.networks.models import LocalChapter, Network
from fagnett.reports.access import report_for_user
from fagnett.reports.models import AnnualReport, Narrative, ReportStatus
from tests.conftest import login
from tests.reports.test_editor import (  # noqa: F401 - the fixtures apply here too
    HTMX,
    _fake_facts,
    _frozen_time,
    fake_annual_facts,
)

DRAFT, PUBLISHED, MISSING = 2024, 2023, 2021
READERS = ("carl", "rolf")
OUTSIDERS = ("rita", "lena", "charlie", "nobody")
EVERYONE = ("alice", *READERS, *OUTSIDERS)


@pytest.fixture
def reports(network: Network, chapter: LocalChapter) -> Network:
    AnnualReport.objects.create(network=network, year=DRAFT)
    AnnualReport.objects.create(
        network=network,
        year=PUBLISHED,
        status=ReportStatus.PUBLISHED,
        published_at=dt.datetime(2024, 2, 1, 10, tzinfo=dt.UTC),
        snapshot={"facts": fake_annual_facts(network, PUBLISHED), "narratives": {"purpose": "Frosset."}},
    )
    return network


def client_for(request: pytest.FixtureRequest, persona: str) -> Client:
    return login(Client(), request.getfixturevalue(persona))


def state() -> tuple[Any, ...]:
    return (
        list(AnnualReport.objects.order_by("year").values_list("year", "status", "public", "generated")),
        list(Narrative.objects.values_list("section", "text")),
        AuditEntry.objects.count(),
    )


def url(name: str, network: Network, *args: Any) -> str:
    return reverse(f"reports:{name}", args=[network.slug, *args])


# Reading ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_list_is_for_coordinators_and_readers(
    request: pytest.FixtureRequest, reports: Network, persona: str
) -> None:
    response = client_for(request, persona).get(url("list", reports))
    assert response.status_code == (404 if persona in OUTSIDERS else 200)


@pytest.mark.parametrize("persona", READERS)
def test_chapter_coordinators_and_readers_see_only_published_years_in_the_list(
    request: pytest.FixtureRequest, reports: Network, persona: str
) -> None:
    page = client_for(request, persona).get(url("list", reports)).content.decode()
    assert url("report", reports, PUBLISHED) in page
    assert url("report", reports, DRAFT) not in page
    assert url("edit", reports, DRAFT) not in page


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_published_report_is_read_by_coordinators_and_readers(
    request: pytest.FixtureRequest, reports: Network, persona: str
) -> None:
    response = client_for(request, persona).get(url("report", reports, PUBLISHED))
    assert response.status_code == (404 if persona in OUTSIDERS else 200)
    if response.status_code == 200:
        assert "Frosset." in response.content.decode()


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("year", [DRAFT, MISSING])
def test_a_draft_or_missing_report_is_the_network_coordinators_only(
    request: pytest.FixtureRequest, reports: Network, persona: str, year: int
) -> None:
    response = client_for(request, persona).get(url("report", reports, year))
    assert response.status_code == (200 if persona == "alice" else 404)


def test_the_coordinator_sees_the_draft_banner_and_the_downloads(
    client: Client, alice: User, reports: Network
) -> None:
    page = login(client, alice).get(url("report", reports, DRAFT)).content.decode()
    assert 'class="ds-alert" data-color="warning"' in page
    assert url("edit", reports, DRAFT) in page
    for fmt in ("docx", "pdf", "json", "xlsx"):
        assert url("download", reports, DRAFT, fmt) in page


def test_a_report_of_a_future_year_is_404(client: Client, alice: User, reports: Network) -> None:
    login(client, alice)
    assert client.get(url("report", reports, 2026)).status_code == 404
    assert client.get(url("edit", reports, 2026)).status_code == 404
    assert client.get(url("report", reports, 1949)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: Client, reports: Network) -> None:
    for name, args in (("list", ()), ("report", (PUBLISHED,)), ("edit", (DRAFT,))):
        response = client.get(url(name, reports, *args))
        assert response.status_code == 302
        assert "login" in response["Location"] or "logg-inn" in response["Location"]


def test_report_for_user_gives_the_coordinator_an_unsaved_draft_for_a_missing_year(
    alice: User, rolf: User, reports: Network
) -> None:
    from django.http import Http404

    report = report_for_user(network_for_user(alice, reports.slug), MISSING)
    assert report.pk is None and report.year == MISSING and not report.is_published
    with pytest.raises(Http404):
        report_for_user(network_for_user(rolf, reports.slug), MISSING)


# Writing ------------------------------------------------------------------------------------------------

WRITES: list[tuple[str, str, int, dict[str, Any]]] = [
    ("get", "edit", DRAFT, {}),
    ("get", "edit", PUBLISHED, {}),
    ("post", "edit", DRAFT, {"tekst-purpose": "Innbrudd."}),
    ("post", "regenerate", DRAFT, {}),
    ("get", "publish", DRAFT, {}),
    ("post", "publish", DRAFT, {"public": "on"}),
    ("post", "publish", PUBLISHED, {"public": "on"}),
    ("get", "reopen", PUBLISHED, {}),
    ("post", "reopen", PUBLISHED, {}),
]


@pytest.mark.parametrize("persona", (*READERS, *OUTSIDERS))
@pytest.mark.parametrize(("method", "name", "year", "data"), WRITES)
def test_only_the_network_coordinator_may_edit_and_change_the_lifecycle(
    request: pytest.FixtureRequest,
    reports: Network,
    persona: str,
    method: str,
    name: str,
    year: int,
    data: dict[str, Any],
) -> None:
    client = client_for(request, persona)
    before = state()
    response = getattr(client, method)(url(name, reports, year), data)
    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("persona", (*READERS, *OUTSIDERS))
def test_only_the_network_coordinator_may_autosave(
    request: pytest.FixtureRequest, reports: Network, persona: str
) -> None:
    client = client_for(request, persona)
    before = state()
    response = client.post(url("narrative", reports, DRAFT, "purpose"), {"text": "Innbrudd."}, headers=HTMX)
    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    ("method", "name", "year", "data", "status"),
    [(*w, s) for w, s in zip(WRITES, (200, 200, 302, 302, 200, 302, 302, 200, 302), strict=True)],
)
def test_the_network_coordinator_may_do_every_write(
    client: Client,
    alice: User,
    reports: Network,
    method: str,
    name: str,
    year: int,
    data: dict[str, Any],
    status: int,
) -> None:
    response = getattr(login(client, alice), method)(url(name, reports, year), data)
    assert response.status_code == status


def test_the_network_coordinator_may_autosave(client: Client, alice: User, reports: Network) -> None:
    response = login(client, alice).post(
        url("narrative", reports, DRAFT, "purpose"), {"text": "Lov."}, headers=HTMX
    )
    assert response.status_code == 200
    assert Narrative.objects.get(section="purpose").text == "Lov."

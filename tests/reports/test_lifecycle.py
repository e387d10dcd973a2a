"""Regenerate, publish (freeze), reopen, and the public listing of a published report."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.demo import DEMO_COORDINATOR_EMAIL, DEMO_SLUG
from fagnett.networks.models import Membership, Network, Role
from fagnett.reports.diff import path_label
from fagnett.reports.models import AnnualReport, ReportStatus
from tests.conftest import add_member, login
from tests.helpers import nb
from tests.reports.test_editor import (  # noqa: F401 - the fixtures apply here too
    HTMX,
    MEMBER_BASE,
    YEAR,
    _fake_facts,
    _frozen_time,
    edit_url,
    narrative_url,
)


def members_now(network: Network) -> int:
    return MEMBER_BASE + Membership.objects.filter(network=network).count()


def url(name: str, network: Network, year: int = YEAR) -> str:
    return reverse(f"reports:{name}", args=[network.slug, year])


def add_resource_person(network: Network, email: str) -> None:
    add_member(network, None, email, Role.RESOURCE_PERSON, dt.date(2024, 5, 1))


def test_publishing_asks_for_confirmation_first(client: Client, alice: User, network: Network) -> None:
    response = login(client, alice).get(url("publish", network))
    assert response.status_code == 200
    page = response.content.decode()
    assert nb("Yes, publish") in page
    assert 'name="public"' in page
    assert not AnnualReport.objects.exists()


def test_publishing_freezes_the_facts_and_the_narratives(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    client.post(narrative_url(network, "purpose"), {"text": "Teksten før publisering."}, headers=HTMX)
    frozen = members_now(network)
    response = client.post(url("publish", network), {"public": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("report", network)
    report = AnnualReport.objects.get(network=network, year=YEAR)
    assert report.status == ReportStatus.PUBLISHED
    assert report.public is True
    assert report.published_by == alice
    assert report.published_at is not None
    assert report.snapshot is not None
    assert report.snapshot["facts"]["members"]["at_year_end"] == frozen
    assert report.snapshot["narratives"] == {"purpose": "Teksten før publisering."}
    assert AuditEntry.objects.filter(action="reports.publish", network=network).exists()

    # Corrections to the data after publishing do not change the published report.
    add_resource_person(network, "ny@example.no")
    assert members_now(network) == frozen + 1
    page = client.get(url("report", network)).content.decode()
    assert str(frozen) in page
    assert str(frozen + 1) not in page
    assert "Teksten før publisering." in page
    assert nb("Published %(date)s.", date="03.03.2025") in page


def test_reopening_and_publishing_again_shows_the_new_numbers(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    client.post(url("publish", network), {})
    frozen = members_now(network)
    add_resource_person(network, "ny@example.no")

    assert client.get(url("reopen", network)).status_code == 200  # the confirmation page
    assert AnnualReport.objects.get().is_published
    response = client.post(url("reopen", network))
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    assert report.snapshot is not None  # kept, to show what changed since it was published
    assert AuditEntry.objects.filter(action="reports.reopen").exists()

    page = client.get(edit_url(network)).content.decode()
    assert escape(nb("Changed since published %(date)s:", date="03.03.2025")) in page
    assert f"{escape(path_label('members.at_year_end'))}</strong>: {frozen} → {frozen + 1}" in page

    client.post(url("publish", network), {})
    page = client.get(url("report", network)).content.decode()
    assert str(frozen + 1) in page


def test_readers_see_a_published_report_and_not_after_it_is_reopened(
    client: Client, alice: User, rolf: User, network: Network
) -> None:
    login(Client(), alice).post(url("publish", network), {})
    reader = login(client, rolf)
    assert reader.get(url("report", network)).status_code == 200
    login(Client(), alice).post(url("reopen", network))
    assert reader.get(url("report", network)).status_code == 404


def test_regenerating_stores_the_facts_and_the_editor_shows_what_changed_since(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    page = client.get(edit_url(network)).content.decode()
    assert (
        nb("The report has not been generated yet. Generate it to be shown later what changes in the data.")
        in page
    )

    before = members_now(network)
    response = client.post(url("regenerate", network))
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert report.generated is not None
    assert report.generated["members"]["at_year_end"] == before
    assert report.generated_at is not None
    assert AuditEntry.objects.filter(action="reports.regenerate").exists()
    heading = escape(
        nb("Changed since last generated %(date)s at %(time)s:", date="03.03.2025", time="14.03")
    )
    page = client.get(edit_url(network)).content.decode()
    assert heading in page
    assert nb("No changes.") in page

    add_resource_person(network, "ny@example.no")
    add_resource_person(network, "nummer2@example.no")
    page = client.get(edit_url(network)).content.decode()
    assert f"{escape(path_label('members.at_year_end'))}</strong>: {before} → {before + 2}" in page
    assert nb("No changes.") not in page


def test_regenerate_is_post_only(client: Client, alice: User, network: Network) -> None:
    assert login(client, alice).get(url("regenerate", network)).status_code == 405
    assert not AnnualReport.objects.exists()


def test_a_published_report_cannot_be_regenerated(client: Client, alice: User, network: Network) -> None:
    login(client, alice)
    client.post(url("publish", network), {})
    client.post(url("regenerate", network))
    assert AnnualReport.objects.get().generated is None


def test_a_draft_cannot_be_reopened(client: Client, alice: User, network: Network) -> None:
    AnnualReport.objects.create(network=network, year=YEAR)
    login(client, alice)
    assert client.get(url("reopen", network)).status_code == 404
    assert client.post(url("reopen", network)).status_code == 404


def test_the_publish_page_of_a_published_report_changes_only_its_visibility(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    client.post(url("publish", network), {})
    published_at = AnnualReport.objects.get().published_at
    add_resource_person(network, "ny@example.no")
    client.post(url("publish", network), {"public": "on"})
    report = AnnualReport.objects.get()
    assert report.public is True
    assert report.published_at == published_at
    assert report.snapshot is not None
    assert report.snapshot["facts"]["members"]["at_year_end"] == members_now(network) - 1
    assert AuditEntry.objects.filter(action="reports.public").count() == 1


def test_the_public_page_lists_published_public_reports_only(
    client: Client, alice: User, network: Network
) -> None:
    network.public_page = True
    network.save()
    coordinator = login(Client(), alice)
    coordinator.post(url("publish", network, 2024), {"public": "on"})
    coordinator.post(url("publish", network, 2023), {})
    coordinator.post(edit_url(network, 2022), {"tekst-purpose": "Utkast."})
    page = client.get(reverse("public:network", args=[network.slug])).content.decode()
    assert url("public", network, 2024) in page
    assert url("public", network, 2023) not in page
    assert url("public", network, 2022) not in page
    assert nb("Annual report %(year)s", year="2024") in page


def test_the_demo_networks_2024_report_is_edited_and_published_with_the_real_facts(
    db: None, client: Client, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real annual_facts, not the stand-in
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=StringIO())
    network = Network.objects.get(slug=DEMO_SLUG)
    login(client, User.objects.get(email=DEMO_COORDINATOR_EMAIL))
    page = client.get(edit_url(network)).content.decode()
    assert 'id="fn-narrative-chapters"' in page
    response = client.post(narrative_url(network, "purpose"), {"text": "Demoteksten."}, headers=HTMX)
    assert response.status_code == 200
    assert client.post(url("regenerate", network)).status_code == 302
    assert nb("No changes.") in client.get(edit_url(network)).content.decode()
    assert client.post(url("publish", network), {}).status_code == 302
    report = AnnualReport.objects.get(network=network, year=YEAR)
    assert report.snapshot is not None and report.generated is not None
    assert report.snapshot["facts"]["members"]["at_year_end"] == report.generated["members"]["at_year_end"]
    page = client.get(url("report", network)).content.decode()
    assert "Demoteksten." in page
    assert str(report.snapshot["facts"]["members"]["at_year_end"]) in page

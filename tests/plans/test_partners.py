"""Partner networks (plans/views/partners.py, plans/partner_services.py, hub_queries.partners_year_facts):
coordinators, chapter coordinators and readers read the list; only the network coordinator changes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.plans.hub_queries import partners_year_facts
from fagnett.plans.models import Partner
from fagnett.plans.partner_services import PartnerData, create_partner, update_partner
from tests.conftest import login
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

SLUG = "barnepalliasjon"
READERS = ["alice", "carl", "rolf"]
OUTSIDERS = ["rita", "lena", "charlie", "nobody"]
NOT_WRITERS = ["carl", "rolf", "rita", "lena", "charlie", "nobody"]
WRITE_PAGES = ["partner_create", "partner_edit", "partner_delete"]


@pytest.fixture
def partner(network: Network) -> Partner:
    return Partner.objects.create(
        network=network,
        name="Barnepalliativt team, SUS",
        organisation="Helse Stavanger HF",
        link="https://helse-stavanger.no",
        collaboration="Felles samarbeidsmøter",
        since_year=2022,
    )


def url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[SLUG, *args])


def page_url(page: str, partner: Partner) -> str:
    return url(page) if page == "partner_create" else url(page, partner.pk)


def post_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Kompetansesenter i lindrande behandling",
        "organisation": "Helse Bergen HF",
        "link": "https://helse-bergen.no",
        "collaboration": "Undervisning",
        "since_year": "2023",
        "until_year": "",
        "partner_network": "",
    }
    data.update(changes)
    return data


def snapshot() -> list[tuple[Any, ...]]:
    return list(Partner.objects.order_by("pk").values_list("pk", "name", "link", "since_year", "until_year"))


# Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_coordinators_chapter_coordinators_and_readers_read_the_partner_list(
    client: Client, partner: Partner, persona: str, request: pytest.FixtureRequest
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(url("partners"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Barnepalliativt team, SUS" in page
    assert 'href="https://helse-stavanger.no"' in page
    assert "2022–" in page


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_resource_persons_leaders_and_outsiders_get_404_on_every_partner_page(
    client: Client, partner: Partner, persona: str, request: pytest.FixtureRequest
) -> None:
    client = login(client, request.getfixturevalue(persona))
    assert client.get(url("partners")).status_code == 404
    for page in WRITE_PAGES:
        assert client.get(page_url(page, partner)).status_code == 404


def test_only_the_coordinator_sees_the_add_and_edit_links(
    client: Client, partner: Partner, alice: User, rolf: User
) -> None:
    edit = url("partner_edit", partner.pk)
    assert edit in login(client, alice).get(url("partners")).content.decode()
    assert edit not in login(Client(), rolf).get(url("partners")).content.decode()


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_the_network_coordinator_opens_every_editing_page(
    client: Client, partner: Partner, alice: User, page: str
) -> None:
    response = login(client, alice).get(page_url(page, partner))
    assert response.status_code == 200
    page_text = response.content.decode()
    assert 'method="post"' in page_text
    assert (partner.name in page_text) == (page != "partner_create")


@pytest.mark.parametrize("persona", NOT_WRITERS)
@pytest.mark.parametrize("page", WRITE_PAGES)
def test_nobody_but_the_network_coordinator_can_change_partners(
    client: Client, partner: Partner, persona: str, page: str, request: pytest.FixtureRequest
) -> None:
    client = login(client, request.getfixturevalue(persona))
    before = snapshot()
    assert client.get(page_url(page, partner)).status_code == 404
    assert client.post(page_url(page, partner), post_data(name="Endret")).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("page", ["partner_edit", "partner_delete"])
def test_another_networks_partner_is_404_for_the_coordinator(
    client: Client, alice: User, other_network: Network, page: str
) -> None:
    theirs = Partner.objects.create(network=other_network, name="Bergen sin partner")
    client = login(client, alice)
    assert client.get(url(page, theirs.pk)).status_code == 404
    assert client.post(url(page, theirs.pk), post_data()).status_code == 404
    assert Partner.objects.filter(pk=theirs.pk, name="Bergen sin partner").exists()


def test_a_missing_partner_is_404(client: Client, alice: User) -> None:
    assert login(client, alice).get(url("partner_edit", 999999)).status_code == 404


# Writes --------------------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_partner_that_is_a_network_in_fagnett(
    client: Client, network: Network, other_network: Network, alice: User
) -> None:
    response = login(client, alice).post(
        url("partner_create"), post_data(partner_network=str(other_network.pk), until_year="2025")
    )
    assert response.status_code == 302
    partner = Partner.objects.get(network=network)
    assert (partner.name, partner.since_year, partner.until_year, partner.partner_network) == (
        "Kompetansesenter i lindrande behandling",
        2023,
        2025,
        other_network,
    )
    entry = AuditEntry.objects.get(action="plans.partner_created")
    assert entry.network == network
    assert "link" in entry.fields
    assert "helse-bergen" not in str(entry.data)
    assert other_network.name in client.get(url("partners")).content.decode()


def test_the_coordinator_edits_and_the_audit_names_only_the_changed_fields(
    client: Client, partner: Partner, alice: User
) -> None:
    data = post_data(
        name=partner.name,
        organisation=partner.organisation,
        link=partner.link,
        collaboration=partner.collaboration,
        since_year="2022",
        until_year="2024",
    )
    assert login(client, alice).post(url("partner_edit", partner.pk), data).status_code == 302
    partner.refresh_from_db()
    assert partner.until_year == 2024
    assert AuditEntry.objects.get(action="plans.partner_updated").fields == ["until_year"]


def test_saving_without_changes_writes_nothing(client: Client, partner: Partner, alice: User) -> None:
    data = post_data(
        name=partner.name,
        organisation=partner.organisation,
        link=partner.link,
        collaboration=partner.collaboration,
        since_year="2022",
    )
    assert login(client, alice).post(url("partner_edit", partner.pk), data).status_code == 302
    assert not AuditEntry.objects.filter(action="plans.partner_updated").exists()


def test_the_coordinator_deletes_a_partner_after_confirming(
    client: Client, partner: Partner, alice: User
) -> None:
    client = login(client, alice)
    assert client.get(url("partner_delete", partner.pk)).status_code == 200
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert client.post(url("partner_delete", partner.pk)).status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert AuditEntry.objects.filter(action="plans.partner_deleted").exists()


# Validation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Write the name of the partner network."),
        (
            {"link": "ftp://example.no/fil"},
            "link",
            "The link must be a web address that starts with http:// or https://.",
        ),
        (
            {"link": "javascript:alert(1)"},
            "link",
            "The link must be a web address that starts with http:// or https://.",
        ),
        ({"since_year": "24"}, "since_year", "Write a year with four digits, for example 2024."),
        (
            {"since_year": "2024", "until_year": "2020"},
            "until_year",
            "The year the collaboration ended cannot be before the year it started.",
        ),
    ],
)
def test_it_refuses_a_partner_with_an_error_at_the_field(
    client: Client, network: Network, alice: User, changes: dict[str, str], field: str, message: str
) -> None:
    response = login(client, alice).post(url("partner_create"), post_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [nb(message)]
    assert nb(message) in response.content.decode()
    assert not Partner.objects.exists()


def test_the_network_itself_is_not_offered_as_its_own_partner(
    client: Client, network: Network, other_network: Network, alice: User
) -> None:
    response = login(client, alice).post(url("partner_create"), post_data(partner_network=str(network.pk)))
    assert response.status_code == 200
    assert "partner_network" in response.context["form"].errors
    choices = [str(choice) for _, choice in response.context["form"].fields["partner_network"].choices]
    assert other_network.name in choices
    assert network.name not in choices


def test_the_service_refuses_the_network_as_its_own_partner(network: Network) -> None:
    with pytest.raises(ValidationError) as refused:
        create_partner(network, PartnerData(name="Oss selv", partner_network=network), actor=None)
    assert "partner_network" in refused.value.error_dict


def test_the_service_refuses_a_link_that_is_not_a_web_address(partner: Partner) -> None:
    with pytest.raises(ValidationError) as refused:
        update_partner(partner, PartnerData(name=partner.name, link="mailto:a@b.no"), actor=None)
    assert list(refused.value.error_dict) == ["link"]


# Facts ---------------------------------------------------------------------------------------------------


def test_partners_year_facts_lists_the_partners_active_that_year(
    network: Network, other_network: Network
) -> None:
    Partner.objects.create(network=network, name="B tidligere", since_year=2018, until_year=2021)
    Partner.objects.create(
        network=network,
        name="A i Fagnett",
        organisation="Helse Bergen HF",
        link="https://example.no",
        collaboration="Felles fagdag",
        since_year=2020,
        partner_network=other_network,
    )
    Partner.objects.create(network=network, name="C uten år")
    Partner.objects.create(network=network, name="D senere", since_year=2025)
    Partner.objects.create(network=other_network, name="E annet nettverk")
    facts = partners_year_facts(network, 2024)
    assert [row["name"] for row in facts] == ["A i Fagnett", "C uten år"]
    assert facts[0] == {
        "name": "A i Fagnett",
        "organisation": "Helse Bergen HF",
        "link": "https://example.no",
        "collaboration": "Felles fagdag",
        "since_year": 2020,
        "until_year": None,
        "network": "bergen",
    }
    assert facts[1]["network"] is None
    assert [row["name"] for row in partners_year_facts(network, 2021)] == [
        "A i Fagnett",
        "B tidligere",
        "C uten år",
    ]
    for row in facts:
        partner = Partner.objects.get(network=network, name=row["name"])
        assert partner.active_in(2024)


def test_the_empty_list_tells_the_coordinator_what_to_do(
    client: Client, network: Network, alice: User
) -> None:
    page = login(client, alice).get(url("partners")).content.decode()
    assert (
        nb(
            "No partner networks yet. Add the networks and services you collaborate with, so the annual "
            "report can list them."
        )
        in page
    )


def test_the_list_costs_the_same_queries_with_many_partners(
    client: Client, network: Network, other_network: Network, partner: Partner, rolf: User
) -> None:
    login(client, rolf)
    few = count_queries(lambda: client.get(url("partners")))
    for i in range(10):
        Partner.objects.create(network=network, name=f"Partner {i}", partner_network=other_network)
    response = client.get(url("partners"))
    assert len(response.context["partners"]) == 11
    assert count_queries(lambda: client.get(url("partners"))) == few

"""The network coordinator's settings for the public page (/n/<slug>/innstillinger/offentlig/): only the
network coordinator may open or change them; every change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.public.services import update_public_settings
from tests.conftest import login
from tests.helpers import nb

CONTACT = "post@barnepalliasjon.example.no"
TURN_ON = {"public_page": "on", "public_contact_email": CONTACT, "newsletter_archive_public": "on"}


def settings_url(network: Network) -> str:
    return reverse("public:settings", args=[network.slug])


def public_state(network: Network) -> tuple[bool, str, bool]:
    network.refresh_from_db()
    return network.public_page, network.public_contact_email, network.newsletter_archive_public


def test_the_coordinator_sees_the_form_with_the_shared_address_help(
    client: Client, network: Network, alice: User
) -> None:
    response = login(client, alice).get(settings_url(network))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="public_page"' in html
    assert 'name="public_contact_email"' in html
    assert 'name="newsletter_archive_public"' in html
    help_text = (
        "A shared address, such as the network's or the team's mailbox, not a person's own: it is shown to "
        "everyone."
    )
    assert escape(nb(help_text)) in html
    off = "The public page is off: visitors to its address are told that the page does not exist."
    assert nb(off + " Turn it on below to see it.") in html


def test_the_coordinator_turns_the_page_on_and_the_change_is_audited(
    client: Client, network: Network, alice: User
) -> None:
    response = login(client, alice).post(settings_url(network), TURN_ON)
    assert response.status_code == 302
    assert response.headers["Location"] == settings_url(network)
    assert public_state(network) == (True, CONTACT, True)
    entry = AuditEntry.objects.get(action="network.public_settings.updated")
    assert entry.actor == alice
    assert entry.network == network
    assert entry.fields == ["newsletter_archive_public", "public_contact_email", "public_page"]
    # The page now links to the public page, which answers an anonymous visitor.
    html = client.get(settings_url(network)).content.decode()
    public_url = reverse("public:network", args=[network.slug])
    assert f'href="{public_url}"' in html
    assert Client().get(public_url).status_code == 200


def test_the_coordinator_turns_the_page_off_again(client: Client, network: Network, alice: User) -> None:
    update_public_settings(
        network, public_page=True, public_contact_email=CONTACT, newsletter_archive_public=True, actor=alice
    )
    login(client, alice).post(settings_url(network), {"public_contact_email": CONTACT})
    assert public_state(network) == (False, CONTACT, False)
    assert Client().get(reverse("public:network", args=[network.slug])).status_code == 404


def test_it_rejects_an_invalid_contact_address_and_saves_nothing(
    client: Client, network: Network, alice: User
) -> None:
    response = login(client, alice).post(settings_url(network), {**TURN_ON, "public_contact_email": "post@"})
    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()
    assert public_state(network) == (False, "", False)
    assert not AuditEntry.objects.filter(action="network.public_settings.updated").exists()


def test_saving_without_changes_logs_nothing(network: Network, alice: User) -> None:
    changed = update_public_settings(
        network, public_page=False, public_contact_email="  ", newsletter_archive_public=False, actor=alice
    )
    assert changed == []
    assert not AuditEntry.objects.filter(action="network.public_settings.updated").exists()


def test_the_service_rejects_an_invalid_address(network: Network, alice: User) -> None:
    with pytest.raises(ValidationError) as error:
        update_public_settings(
            network,
            public_page=True,
            public_contact_email="ikke en adresse",
            newsletter_archive_public=False,
            actor=alice,
        )
    assert "public_contact_email" in error.value.message_dict
    assert public_state(network) == (False, "", False)


@pytest.mark.parametrize("persona", ["carl", "rolf", "rita", "lena", "charlie", "nobody"])
def test_everyone_but_the_network_coordinator_gets_404_and_changes_nothing(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    login(client, user)
    assert client.get(settings_url(network)).status_code == 404
    assert client.post(settings_url(network), TURN_ON).status_code == 404
    assert public_state(network) == (False, "", False)
    assert not AuditEntry.objects.filter(action="network.public_settings.updated").exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client: Client, network: Network) -> None:
    response = client.post(settings_url(network), TURN_ON)
    assert response.status_code == 302
    assert reverse("account_login") in response.headers["Location"]
    assert public_state(network) == (False, "", False)


def test_the_network_settings_page_links_to_the_public_page_settings(
    client: Client, network: Network, alice: User
) -> None:
    html = login(client, alice).get(reverse("networks:settings", args=[network.slug])).content.decode()
    assert f'href="{settings_url(network)}"' in html

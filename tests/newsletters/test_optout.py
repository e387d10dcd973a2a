"""Opting out of newsletters from the link in every message: the page, RFC 8058 one-click, what it keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Membership, Network, Person
from fagnett.newsletters.models import Newsletter, OptOut
from fagnett.newsletters.recipients import recipient_counts, resolve_recipients
from fagnett.newsletters.rendering import build_message, unsubscribe_token, unsubscribe_url
from tests.conftest import login
from tests.helpers import nb

BASE = "http://127.0.0.1:8000"
ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture(autouse=True)
def frozen_now(settings: Any) -> Iterator[None]:
    settings.FAGNETT_BASE_URL = BASE
    with time_machine.travel(dt.datetime(2025, 5, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def csrf_client() -> Client:
    """A client that, like a browser, is held to the CSRF check (the default test client skips it)."""
    return Client(enforce_csrf_checks=True)


def link(network: Network, email: str = "rita@example.no") -> str:
    return reverse("newsletters:unsubscribe", args=[unsubscribe_token(network, email)])


def test_the_page_asks_before_opting_out(client: Client, network: Network, rita: User) -> None:
    response = client.get(link(network))
    assert response.status_code == 200
    content = response.content.decode()
    title = nb("Unsubscribe from newsletters from %(network)s") % {"network": network.name}
    assert title in content
    assert 'method="post"' in content
    assert "csrfmiddlewaretoken" in content
    assert not OptOut.objects.exists()


def test_confirming_on_the_page_opts_out_and_keeps_the_membership(
    csrf_client: Client, network: Network, rita: User
) -> None:
    page = csrf_client.get(link(network))
    token = page.context["csrf_token"]
    response = csrf_client.post(link(network), {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert OptOut.objects.get().email == "rita@example.no"
    assert (
        nb("Changed your mind? Ask the network's coordinator to subscribe you again.")
        in response.content.decode()
    )
    person = Person.objects.get(network=network, email="rita@example.no")
    assert Membership.objects.active_on(dt.date(2025, 5, 15)).filter(person=person).exists()


def test_a_page_post_without_the_csrf_token_is_refused(
    csrf_client: Client, network: Network, rita: User
) -> None:
    response = csrf_client.post(link(network), {"confirm": "1"})
    assert response.status_code == 403
    assert not OptOut.objects.exists()


def test_one_click_works_without_csrf_token(csrf_client: Client, network: Network, rita: User) -> None:
    response = csrf_client.post(link(network), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert OptOut.objects.filter(network=network, email="rita@example.no").exists()
    assert AuditEntry.objects.get(action="newsletters.opted_out").data == {"method": "one-click"}


def test_one_click_with_anything_more_in_the_body_needs_csrf(csrf_client: Client, network: Network) -> None:
    response = csrf_client.post(
        link(network), ONE_CLICK + "&extra=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 403
    response = csrf_client.post(
        link(network), "List-Unsubscribe=Yes", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 403
    assert not OptOut.objects.exists()


def test_the_header_link_of_a_real_message_opts_out_with_one_click(
    csrf_client: Client, network: Network
) -> None:
    newsletter = Newsletter.objects.create(network=network, subject="Brev", body="Hei")
    header = build_message(newsletter, "Rita@Example.no").extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix(BASE)
    response = csrf_client.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert OptOut.objects.get().email == "rita@example.no"


def test_opting_out_twice_changes_nothing_more(client: Client, network: Network) -> None:
    client.post(link(network))
    client.post(link(network, "RITA@example.no"), ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert OptOut.objects.count() == 1
    assert AuditEntry.objects.filter(action="newsletters.opted_out").count() == 1
    assert (
        nb("%(email)s is already unsubscribed and gets no more newsletters from the network.")
        % {"email": "rita@example.no"}
        in client.get(link(network)).content.decode()
    )


def test_the_audit_entry_does_not_hold_the_address(client: Client, network: Network) -> None:
    client.post(link(network))
    entry = AuditEntry.objects.get(action="newsletters.opted_out")
    assert entry.network == network
    stored = f"{entry.target_label} {entry.target_id} {entry.fields} {entry.data}"
    assert "rita" not in stored.lower()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_changed_token_is_refused_kindly(client: Client, network: Network, method: str) -> None:
    token = unsubscribe_token(network, "rita@example.no")
    bad = reverse("newsletters:unsubscribe", args=[token[:-3] + "xyz"])
    response = getattr(client, method)(bad)
    assert response.status_code == 400
    assert nb("The link does not work") in response.content.decode()
    assert not OptOut.objects.exists()


def test_a_token_for_a_deleted_network_is_refused(client: Client, other_network: Network) -> None:
    path = link(other_network)
    other_network.delete()
    assert client.post(path).status_code == 400


def test_an_opted_out_address_is_left_out_and_counted_for_the_coordinator(
    client: Client, network: Network, alice: User, rita: User
) -> None:
    newsletter = Newsletter.objects.create(network=network, subject="Brev", body="Hei")
    client.post(link(network))
    assert "rita@example.no" not in [r.email for r in resolve_recipients(newsletter)]
    assert recipient_counts(newsletter).opted_out == 1
    response = login(client, alice).get(reverse("newsletters:detail", args=[network.slug, newsletter.pk]))
    assert response.context["counts"].opted_out == 1


def test_the_opt_out_is_per_network(client: Client, network: Network, other_network: Network) -> None:
    client.post(link(network))
    assert not OptOut.objects.filter(network=other_network).exists()


def test_the_unsubscribe_url_in_the_footer_needs_no_login(client: Client, network: Network) -> None:
    response = client.get(unsubscribe_url(network, "rita@example.no").removeprefix(BASE))
    assert response.status_code == 200

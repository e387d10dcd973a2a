from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from tests.conftest import login


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:accessibility", "core:privacy"])
def test_statements_are_public(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'<html lang="nb"' in response.content


@pytest.mark.django_db
def test_every_page_links_to_the_accessibility_statement_and_privacy(client: Client) -> None:
    content = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("core:accessibility")}"' in content
    assert f'href="{reverse("core:privacy")}"' in content


@pytest.mark.django_db
def test_privacy_page_says_what_is_stored_and_for_how_long(client: Client) -> None:
    content = client.get(reverse("core:privacy")).content.decode()
    assert "pasientopplysninger" in content
    assert "Hvor lenge" in content


@pytest.mark.django_db
def test_norwegian_is_the_default_even_when_the_browser_asks_for_english(client: Client) -> None:
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert b'<html lang="nb"' in response.content
    assert b"Logg inn" in response.content


@pytest.mark.django_db
def test_a_user_can_switch_to_english_and_back(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/personvern/"})
    response = client.get(reverse("core:privacy"))
    assert b'<html lang="en"' in response.content
    assert b"What is stored" in response.content
    client.post(reverse("set_language"), {"language": "nb", "next": "/personvern/"})
    assert b'<html lang="nb"' in client.get(reverse("core:privacy")).content


@pytest.mark.django_db
def test_home_sends_anonymous_visitors_to_login(client: Client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")


def test_home_takes_a_coordinator_straight_to_the_network(client: Client, alice: User) -> None:
    response = login(client, alice).get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:dashboard", args=["barnepalliasjon"])


def test_home_tells_a_user_without_roles_what_to_do(client: Client, nobody: User) -> None:
    response = login(client, nobody).get(reverse("core:home"))
    assert response.status_code == 200
    assert b"koordinator" in response.content.lower()


@pytest.mark.django_db
def test_pages_send_the_security_headers(client: Client) -> None:
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"

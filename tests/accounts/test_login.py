from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from tests.conftest import PASSWORD, login


def post_login(client: Client, email: str, password: str) -> object:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_coordinator_logs_in_with_e_mail_in_any_case(client: Client, alice: User) -> None:
    response = post_login(client, "ALICE@Example.no", PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert client.get(reverse("core:home"))["Location"] == reverse(
        "networks:dashboard", args=["barnepalliasjon"]
    )
    assert AuditEntry.objects.filter(action="account.login", actor=alice).count() == 1


def test_a_wrong_password_is_refused_and_audited_without_the_typed_values(
    client: Client, alice: User
) -> None:
    response = post_login(client, alice.email, "feil-passord")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="account.login_failed")
    assert entry.target_id == str(alice.pk)
    assert entry.actor is None
    assert "feil-passord" not in str(entry.data) and entry.fields == []


def test_repeated_failed_logins_are_throttled(client: Client, alice: User) -> None:
    for _ in range(5):
        post_login(client, alice.email, "feil-passord")
    response = post_login(client, alice.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "For mange innloggingsforsøk".encode() in response.content  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_nobody_can_sign_up_on_their_own(client: Client) -> None:
    client.post(
        reverse("account_signup"),
        {"email": "ny@example.no", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="ny@example.no").exists()


def test_password_reset_by_e_mail_lets_the_user_choose_a_new_password(client: Client, alice: User) -> None:
    client.post(reverse("account_reset_password"), {"email": alice.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    match = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    form_page = client.get(match.group(1), follow=True)
    new_password = "et-helt-nytt-passord-42"
    client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    alice.refresh_from_db()
    assert alice.check_password(new_password)
    assert AuditEntry.objects.filter(action="account.password_reset", target_id=str(alice.pk)).exists()


def test_staff_level_users_must_set_up_two_factor_when_required(
    client: Client, alice: User, rita: User, settings: object
) -> None:
    settings.FAGNETT_REQUIRE_MFA_FOR_STAFF = True  # type: ignore[attr-defined]
    dashboard = reverse("networks:dashboard", args=["barnepalliasjon"])
    response = login(client, alice).get(dashboard)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Rita is not staff-level: she goes to her own page, not to two-factor set-up.
    assert login(Client(), rita).get(reverse("core:home"))["Location"] != reverse("mfa_activate_totp")

    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(dashboard).status_code == 200


def test_two_factor_is_optional_when_not_required(client: Client, alice: User, settings: object) -> None:
    settings.FAGNETT_REQUIRE_MFA_FOR_STAFF = False  # type: ignore[attr-defined]
    assert (
        login(client, alice).get(reverse("networks:dashboard", args=["barnepalliasjon"])).status_code == 200
    )


def test_every_user_can_reach_the_two_factor_setup(client: Client, rita: User) -> None:
    post_login(client, rita.email, PASSWORD)
    # Setting up two-factor asks for the password once more, as allauth does for every security change.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert b"data:image/svg+xml" in response.content  # the QR code, served inline


@pytest.mark.django_db
def test_e_mail_is_unique_regardless_of_case() -> None:
    User.objects.create_user("Per@Example.no", PASSWORD)
    assert User.objects.get().email == "per@example.no"
    with pytest.raises(Exception, match="(?i)unique"):
        User.objects.create_user("PER@example.NO", PASSWORD)

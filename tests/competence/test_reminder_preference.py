"""The person's own reminder choice: the view (every persona), the audited write, and the form partial the
person's plan page includes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.competence.models import ReminderPreference
from fagnett.competence.reminder_services import set_reminder_preference
from fagnett.competence.reminders import reminders_enabled
from fagnett.networks.models import Network, Person
from tests.conftest import add_member, login
from tests.helpers import nb

pytestmark = pytest.mark.django_db


def rita_person(network: Network, rita: User) -> Person:
    return Person.objects.get(network=network, user=rita)


def url(person: Person) -> str:
    return reverse("competence:reminder_preference", args=["barnepalliasjon", person.pk])


def plan_url(person: Person) -> str:
    return reverse("competence:person_plan", args=["barnepalliasjon", person.pk])


def test_rita_turns_her_reminders_off_and_on_again(client: Client, network: Network, rita: User) -> None:
    person = rita_person(network, rita)
    login(client, rita)

    response = client.post(url(person), {"reminders": "off"}, follow=False)

    assert response.status_code == 302
    assert response["Location"] == plan_url(person)
    assert ReminderPreference.objects.get(person=person).enabled is False
    entry = AuditEntry.objects.get(action="competence.reminder_preference_changed")
    assert (entry.actor, entry.target_id, entry.network, entry.fields) == (
        rita,
        str(person.pk),
        network,
        ["enabled"],
    )

    response = client.post(url(person), {"reminders": "on"})

    assert response.status_code == 302
    assert reminders_enabled(person.pk) is True
    assert AuditEntry.objects.filter(action="competence.reminder_preference_changed").count() == 2


def test_rita_sees_a_success_message_after_saving(client: Client, network: Network, rita: User) -> None:
    person = rita_person(network, rita)
    login(client, rita)

    response = client.post(url(person), {"reminders": "off"})

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        nb("Reminders about your competence plan are off.")
    ]
    # The first message was never shown (the redirect was not followed), so it is still stored.
    response = client.post(url(person), {"reminders": "on"})
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == nb(
        "Reminders about your competence plan are on."
    )


def test_choosing_what_is_already_in_effect_stores_and_audits_nothing(
    client: Client, network: Network, rita: User
) -> None:
    person = rita_person(network, rita)
    login(client, rita)

    response = client.post(url(person), {"reminders": "on"})

    assert response.status_code == 302
    assert not ReminderPreference.objects.exists()
    assert not AuditEntry.objects.filter(action="competence.reminder_preference_changed").exists()


def test_it_rejects_a_post_without_a_valid_choice(client: Client, network: Network, rita: User) -> None:
    person = rita_person(network, rita)
    login(client, rita)

    assert client.post(url(person), {}).status_code == 400
    assert client.post(url(person), {"reminders": "maybe"}).status_code == 400
    assert not ReminderPreference.objects.exists()


def test_get_is_not_allowed(client: Client, network: Network, rita: User) -> None:
    login(client, rita)
    assert client.get(url(rita_person(network, rita))).status_code == 405


def test_anonymous_is_sent_to_the_login(client: Client, network: Network, rita: User) -> None:
    target = url(rita_person(network, rita))

    response = client.post(target, {"reminders": "off"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ReminderPreference.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "carl", "lena", "rolf", "charlie", "nobody", "admin_user"])
def test_nobody_but_rita_may_change_ritas_choice(
    client: Client, network: Network, rita: User, lena: User, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    login(client, user)

    response = client.post(url(rita_person(network, rita)), {"reminders": "off"})

    assert response.status_code == 404
    assert not ReminderPreference.objects.exists()
    assert not AuditEntry.objects.filter(action="competence.reminder_preference_changed").exists()


def test_a_person_of_another_network_gets_404_even_for_their_own_pk_under_this_slug(
    client: Client, network: Network, other_network: Network
) -> None:
    user = User.objects.create_user("bergen@example.no", "x-passord-1234", name="Berit Bergen")
    own = add_member(other_network, user, user.email, "ressursperson", dt.date(2024, 1, 1)).person
    login(client, user)

    response = client.post(
        reverse("competence:reminder_preference", args=["barnepalliasjon", own.pk]), {"reminders": "off"}
    )

    assert response.status_code == 404
    assert not ReminderPreference.objects.exists()


def test_the_service_audits_only_a_change(network: Network, rita: User) -> None:
    person = rita_person(network, rita)

    assert set_reminder_preference(person, True, actor=rita) is False
    assert set_reminder_preference(person, False, actor=rita) is True
    assert set_reminder_preference(person, False, actor=rita) is False
    assert set_reminder_preference(person, True, actor=rita) is True

    assert ReminderPreference.objects.get(person=person).enabled is True
    assert AuditEntry.objects.filter(action="competence.reminder_preference_changed").count() == 2


@pytest.mark.parametrize("enabled", [True, False])
def test_the_partial_shows_the_choice_in_words_and_a_form_posting_to_the_view(
    network: Network, rita: User, enabled: bool
) -> None:
    person = rita_person(network, rita)

    with translation.override("nb"):
        html = render_to_string(
            "competence/reminder_preference_form.html",
            {"person": person, "reminders_enabled": enabled},
            request=RequestFactory().get("/"),
        )

    assert f'action="{url(person)}"' in html
    assert 'method="post"' in html
    on_checked = 'value="on" checked' in html
    off_checked = 'value="off" checked' in html
    assert (on_checked, off_checked) == (enabled, not enabled)
    if enabled:
        assert "rita@example.no" in html
    else:
        assert nb("Reminders are off: we do not e-mail you about your competence plan.") in html
    assert "<legend" in html and "<label" in html
    assert nb("Save choice") in html

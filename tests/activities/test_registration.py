"""Sign-up, waiting list and cancellation (activities.registration); the sign-up and participants pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities import registration as services
from fagnett.activities.models import Activity, Audience, Registration, RegistrationStatus
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import LocalChapter, Network, Person, Role
from tests.conftest import add_member, login
from tests.helpers import count_queries, nb

SLUG = "barnepalliasjon"
BEFORE_DEADLINE = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
AFTER_DEADLINE = dt.datetime(2025, 6, 5, 10, tzinfo=dt.UTC)

Capture = Callable[..., Any]


@pytest.fixture
def before_deadline() -> Iterator[None]:
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        yield


def resource_person(network: Network, email: str, chapter: LocalChapter | None = None) -> Person:
    return add_member(network, None, email, Role.RESOURCE_PERSON, dt.date(2024, 1, 1), chapter=chapter).person


def own_person(network: Network, user: User) -> Person:
    return Person.objects.get(network=network, user=user)


def signup_url(activity: Activity) -> str:
    return reverse("activities:signup", args=[SLUG, activity.pk])


def participants_url(activity: Activity) -> str:
    return reverse("activities:participants", args=[SLUG, activity.pk])


# Capacity, waiting list, promotion ----------------------------------------------------------------------


@pytest.mark.usefixtures("before_deadline")
def test_the_third_sign_up_for_two_places_goes_on_the_waiting_list(
    network: Network, activity: Activity
) -> None:
    first, second, third = (resource_person(network, f"p{i}@example.no") for i in range(3))

    statuses = [services.register(activity, person, None).status for person in (first, second, third)]

    assert statuses == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
    ]


@pytest.mark.usefixtures("before_deadline")
def test_cancelling_a_place_promotes_the_first_waiting_exactly_once_and_emails_them(
    network: Network, activity: Activity, django_capture_on_commit_callbacks: Capture
) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(4)]
    registrations = [services.register(activity, person, None) for person in persons]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(registrations[0], None)
        again = services.cancel(registrations[0], None)

    assert [r.person for r in promoted] == [persons[2]]
    assert again == []
    statuses = dict(Registration.objects.filter(activity=activity).values_list("person__email", "status"))
    assert statuses == {
        "p0@example.no": RegistrationStatus.CANCELLED,
        "p1@example.no": RegistrationStatus.REGISTERED,
        "p2@example.no": RegistrationStatus.REGISTERED,
        "p3@example.no": RegistrationStatus.WAITING,
    }
    # One cancellation confirmation to p0, one "you have got a place" to p2, nothing for the second cancel.
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.no", "p2@example.no"]
    promotion = next(m for m in mail.outbox if m.to == ["p2@example.no"])
    assert promotion.subject == nb("You have got a place: %(title)s", title=activity.title)


@pytest.mark.usefixtures("before_deadline")
def test_cancelling_a_waiting_place_promotes_nobody(network: Network, activity: Activity) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(4)]
    registrations = [services.register(activity, person, None) for person in persons]

    promoted = services.cancel(registrations[2], None)

    assert promoted == []
    assert registrations[3].status == RegistrationStatus.WAITING
    assert Registration.objects.get(pk=registrations[3].pk).status == RegistrationStatus.WAITING


@pytest.mark.usefixtures("before_deadline")
def test_without_capacity_everyone_gets_a_place(network: Network, chapter_activity: Activity) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(5)]

    statuses = {services.register(chapter_activity, person, None).status for person in persons}

    assert statuses == {RegistrationStatus.REGISTERED}


@pytest.mark.usefixtures("before_deadline")
def test_raising_the_capacity_and_filling_places_promotes_in_sign_up_order(
    network: Network, activity: Activity
) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(5)]
    for person in persons:
        services.register(activity, person, None)
    Activity.objects.filter(pk=activity.pk).update(capacity=4)

    promoted = services.fill_free_places(activity, None)

    assert [r.person for r in promoted] == persons[2:4]


# Deadline, audience, re-sign-up -------------------------------------------------------------------------


def test_it_refuses_a_sign_up_after_the_deadline_and_saves_nothing(
    network: Network, activity: Activity
) -> None:
    person = resource_person(network, "late@example.no")

    with time_machine.travel(AFTER_DEADLINE, tick=False), pytest.raises(ValidationError) as error:
        services.register(activity, person, None)

    assert error.value.messages == [
        nb("Registration closed on %(date)s, the registration deadline.", date="04.06.2025")
    ]
    assert not Registration.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="registration.").exists()


def test_the_deadline_day_itself_is_open(network: Network, activity: Activity) -> None:
    person = resource_person(network, "just-in-time@example.no")

    with time_machine.travel(dt.datetime(2025, 6, 4, 21, 30, tzinfo=dt.UTC), tick=False):  # 23:30 in Oslo
        registration = services.register(activity, person, None)

    assert registration.status == RegistrationStatus.REGISTERED


def test_it_refuses_a_sign_up_once_the_activity_has_started(
    network: Network, chapter_activity: Activity
) -> None:
    person = resource_person(network, "late@example.no")

    with (
        time_machine.travel(dt.datetime(2025, 9, 18, 8, tzinfo=dt.UTC), tick=False),
        pytest.raises(ValidationError),
    ):
        services.register(chapter_activity, person, None)

    assert not Registration.objects.exists()


def test_a_coordinator_may_add_a_person_after_the_deadline(
    network: Network, activity: Activity, alice: User
) -> None:
    person = resource_person(network, "late@example.no")

    with time_machine.travel(AFTER_DEADLINE, tick=False):
        registration = services.register(activity, person, alice, as_coordinator=True)

    assert registration.status == RegistrationStatus.REGISTERED


@pytest.mark.usefixtures("before_deadline")
def test_signing_up_again_after_cancelling_reuses_the_row_and_joins_the_back_of_the_queue(
    network: Network, activity: Activity
) -> None:
    first, second, third = (resource_person(network, f"p{i}@example.no") for i in range(3))
    registration = services.register(activity, first, None)
    services.register(activity, second, None)
    services.cancel(registration, None)
    services.register(activity, third, None)

    with time_machine.travel(BEFORE_DEADLINE + dt.timedelta(hours=1), tick=False):
        again = services.register(activity, first, None)

    assert again.pk == registration.pk
    assert again.status == RegistrationStatus.WAITING
    assert again.registered_at == BEFORE_DEADLINE + dt.timedelta(hours=1)
    assert Registration.objects.filter(activity=activity, person=first).count() == 1


@pytest.mark.usefixtures("before_deadline")
def test_signing_up_twice_changes_nothing(network: Network, activity: Activity) -> None:
    person = resource_person(network, "twice@example.no")
    first = services.register(activity, person, None)

    second = services.register(activity, person, None)

    assert second.pk == first.pk
    assert AuditEntry.objects.filter(action__startswith="registration.").count() == 1


@pytest.mark.usefixtures("before_deadline")
def test_a_line_manager_may_sign_up_only_when_leaders_are_invited(
    network: Network, activity: Activity
) -> None:
    staff = resource_person(network, "staff@example.no")
    leader = Person.objects.create(
        network=network, first_name="Lise", last_name="Leder", email="lise@example.no"
    )
    staff.leader = leader
    staff.save()

    with pytest.raises(ValidationError) as error:
        services.register(activity, leader, None)
    Activity.objects.filter(pk=activity.pk).update(audience=Audience.WITH_LEADERS)
    activity.refresh_from_db()
    registration = services.register(activity, leader, None)

    assert error.value.code == "audience"
    assert registration.status == RegistrationStatus.REGISTERED


@pytest.mark.usefixtures("before_deadline")
def test_an_open_activity_takes_persons_without_a_membership(network: Network, activity: Activity) -> None:
    guest = Person.objects.create(
        network=network, first_name="Gjest", last_name="Gjestesen", email="g@example.no"
    )
    Activity.objects.filter(pk=activity.pk).update(audience=Audience.OPEN)
    activity.refresh_from_db()

    assert services.register(activity, guest, None).status == RegistrationStatus.REGISTERED


@pytest.mark.usefixtures("before_deadline")
def test_a_person_of_another_network_cannot_register(activity: Activity, other_network: Network) -> None:
    stranger = resource_person(other_network, "stranger@example.no")

    with pytest.raises(ValidationError):
        services.register(activity, stranger, None)

    assert not Registration.objects.exists()


@pytest.mark.usefixtures("before_deadline")
def test_registration_changes_are_audited_with_field_names_only(
    network: Network, activity: Activity, alice: User
) -> None:
    person = resource_person(network, "audited@example.no")

    registration = services.register(activity, person, alice)
    services.cancel(registration, alice)

    entries = list(AuditEntry.objects.filter(action__startswith="registration.").order_by("pk"))
    assert [(e.action, e.fields, e.actor) for e in entries] == [
        ("registration.created", ["status"], alice),
        ("registration.cancelled", ["status"], alice),
    ]
    assert all(e.network == network and e.target_id == str(registration.pk) for e in entries)
    assert all(RegistrationStatus.REGISTERED not in str(e.data) for e in entries)


# Adding many --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("before_deadline")
def test_add_many_fills_the_places_then_the_waiting_list_and_skips_those_already_signed_up(
    network: Network, activity: Activity, alice: User
) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(5)]
    services.register(activity, persons[0], None)
    cancelled = services.register(activity, persons[1], None)
    services.cancel(cancelled, None)

    result = services.add_many(activity, persons + [persons[2]], alice)

    assert result == services.AddResult(registered=1, waiting=2, skipped=2)
    statuses = dict(Registration.objects.filter(activity=activity).values_list("person__email", "status"))
    assert statuses == {
        "p0@example.no": RegistrationStatus.REGISTERED,
        "p1@example.no": RegistrationStatus.CANCELLED,
        "p2@example.no": RegistrationStatus.REGISTERED,
        "p3@example.no": RegistrationStatus.WAITING,
        "p4@example.no": RegistrationStatus.WAITING,
    }
    assert AuditEntry.objects.filter(action="registration.created", actor=alice).count() == 3


@pytest.mark.usefixtures("before_deadline")
def test_the_chapter_choice_takes_its_active_resource_persons_and_optionally_only_the_new(
    network: Network, chapter: LocalChapter
) -> None:
    old = resource_person(network, "old@example.no", chapter)
    new = add_member(
        network, None, "new@example.no", Role.RESOURCE_PERSON, dt.date(2025, 3, 1), chapter=chapter
    ).person
    ended = add_member(
        network, None, "ended@example.no", Role.RESOURCE_PERSON, dt.date(2020, 1, 1), chapter=chapter
    )
    ended.end = dt.date(2024, 12, 31)
    ended.save()
    resource_person(network, "elsewhere@example.no")
    add_member(
        network, None, "coordinator@example.no", Role.COORDINATOR, dt.date(2020, 1, 1), chapter=chapter
    )
    today = BEFORE_DEADLINE.date()

    assert list(services.active_resource_persons(chapter, today)) == [new, old]
    assert list(services.active_resource_persons(chapter, today, started_since=dt.date(2025, 1, 1))) == [new]


# Sign-up page -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("before_deadline")
@pytest.mark.parametrize("persona", ["alice", "carl", "rita"])
def test_a_user_with_a_person_in_the_network_signs_up_and_cancels(
    client: Client, network: Network, activity: Activity, persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    login(client, user)

    signed = client.post(signup_url(activity), {"action": "signup"}, follow=True)
    registration = Registration.objects.get(activity=activity, person__user=user)
    cancelled = client.post(signup_url(activity), {"action": "cancel"})

    assert signed.redirect_chain == [(reverse("activities:activity_detail", args=[SLUG, activity.pk]), 302)]
    assert registration.status == RegistrationStatus.REGISTERED
    assert cancelled.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED


@pytest.mark.usefixtures("before_deadline")
@pytest.mark.parametrize(
    ("back", "expected"),
    [
        ("/n/barnepalliasjon/personer/1/kompetanseplan/", "/n/barnepalliasjon/personer/1/kompetanseplan/"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
    ],
)
def test_sign_up_returns_to_a_page_of_this_site_only(
    client: Client, activity: Activity, rita: User, back: str, expected: str | None
) -> None:
    login(client, rita)

    response = client.post(signup_url(activity), {"action": "signup", "next": back})

    detail = reverse("activities:activity_detail", args=[SLUG, activity.pk])
    assert response["Location"] == (expected or detail)
    assert Registration.objects.filter(activity=activity, person__user=rita).exists()


@pytest.mark.usefixtures("before_deadline")
@pytest.mark.parametrize("persona", ["lena", "rolf", "charlie", "nobody"])
def test_users_without_a_person_in_the_network_get_404_on_sign_up(
    client: Client, activity: Activity, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))

    response = client.post(signup_url(activity), {"action": "signup"})

    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_sign_up_sends_anonymous_users_to_the_login_page(client: Client, activity: Activity) -> None:
    response = client.post(signup_url(activity), {"action": "signup"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_up_is_post_only(client: Client, activity: Activity, rita: User) -> None:
    login(client, rita)

    assert client.get(signup_url(activity)).status_code == 405


@pytest.mark.usefixtures("before_deadline")
def test_the_sign_up_page_says_when_the_activity_is_full(
    client: Client, network: Network, activity: Activity, rita: User
) -> None:
    for i in range(2):
        services.register(activity, resource_person(network, f"p{i}@example.no"), None)
    login(client, rita)

    response = client.post(signup_url(activity), {"action": "signup"}, follow=True)

    text = nb(
        "%(title)s is full, so you are on the waiting list. You will get an e-mail if a place becomes free.",
        title=activity.title,
    )
    assert [str(m) for m in response.context["messages"]] == [text]
    assert Registration.objects.get(person__user=rita).status == RegistrationStatus.WAITING


def test_the_sign_up_page_explains_a_passed_deadline_and_saves_nothing(
    client: Client, activity: Activity, rita: User
) -> None:
    login(client, rita)

    with time_machine.travel(AFTER_DEADLINE, tick=False):
        response = client.post(signup_url(activity), {"action": "signup"}, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [nb("Registration closed on %(date)s, the registration deadline.", date="04.06.2025")]
    assert not Registration.objects.exists()


@pytest.mark.usefixtures("before_deadline")
def test_the_sign_up_page_refuses_an_unknown_action(client: Client, activity: Activity, rita: User) -> None:
    login(client, rita)

    assert client.post(signup_url(activity), {"action": "delete"}).status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.usefixtures("before_deadline")
def test_a_second_sign_up_says_so(client: Client, activity: Activity, rita: User) -> None:
    login(client, rita)
    client.post(signup_url(activity), {"action": "signup"}, follow=True)

    response = client.post(signup_url(activity), {"action": "signup"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        nb("You have already signed up for %(title)s.", title=activity.title)
    ]


# Participants page --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "fixture", "expected"),
    [
        ("alice", "activity", 200),
        ("alice", "chapter_activity", 200),
        ("carl", "chapter_activity", 200),
        ("carl", "activity", 404),
        ("rita", "activity", 404),
        ("lena", "activity", 404),
        ("rolf", "activity", 404),
        ("charlie", "activity", 404),
        ("nobody", "activity", 404),
    ],
)
def test_participants_page_access(
    client: Client, persona: str, fixture: str, expected: int, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    chosen: Activity = request.getfixturevalue(fixture)
    login(client, user)

    get = client.get(participants_url(chosen))
    post = client.post(participants_url(chosen), {"action": "add_members"})

    assert get.status_code == expected
    assert post.status_code == (302 if expected == 200 else 404)


def test_participants_page_sends_anonymous_users_to_the_login_page(
    client: Client, activity: Activity
) -> None:
    response = client.get(participants_url(activity))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.usefixtures("before_deadline")
def test_participants_page_lists_registrations_by_status_with_counts(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(4)]
    registrations = [services.register(activity, p, None) for p in persons]
    services.cancel(registrations[3], None)
    login(client, alice)

    response = client.get(participants_url(activity))

    facts = response.context["facts"]
    assert [r.person for r in facts.registered] == persons[:2]
    assert [r.person for r in facts.waiting] == [persons[2]]
    assert [r.person for r in facts.cancelled] == [persons[3]]
    assert f"{nb('On the waiting list')} (1)" in response.content.decode()


@pytest.mark.usefixtures("before_deadline")
def test_participants_page_reads_a_fixed_number_of_queries(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    login(client, alice)
    services.register(activity, resource_person(network, "first@example.no"), None)
    url = participants_url(activity)
    few = count_queries(lambda: client.get(url))
    Activity.objects.filter(pk=activity.pk).update(capacity=None)
    services.add_many(activity, [resource_person(network, f"p{i}@example.no") for i in range(40)], None)

    many = count_queries(lambda: client.get(url))

    assert many == few


@pytest.mark.usefixtures("before_deadline")
def test_a_coordinator_adds_one_person_after_the_deadline(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    person = resource_person(network, "one@example.no")

    with time_machine.travel(AFTER_DEADLINE, tick=False):
        login(client, alice)
        response = client.post(
            participants_url(activity), {"action": "add_person", "person-person": person.pk}
        )

    assert response.status_code == 302
    assert Registration.objects.get(person=person).status == RegistrationStatus.REGISTERED


@pytest.mark.usefixtures("before_deadline")
def test_adding_without_choosing_a_person_shows_the_error(
    client: Client, activity: Activity, alice: User
) -> None:
    login(client, alice)

    response = client.post(participants_url(activity), {"action": "add_person", "person-person": ""})

    assert response.status_code == 200
    assert nb("Choose the person to add.") in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.usefixtures("before_deadline")
def test_a_chapter_coordinator_cannot_add_a_person_outside_the_chapter(
    client: Client, network: Network, chapter: LocalChapter, chapter_activity: Activity, carl: User
) -> None:
    outsider = resource_person(network, "outsider@example.no")
    insider = resource_person(network, "insider@example.no", chapter)
    login(client, carl)

    refused = client.post(
        participants_url(chapter_activity), {"action": "add_person", "person-person": outsider.pk}
    )
    added = client.post(
        participants_url(chapter_activity), {"action": "add_person", "person-person": insider.pk}
    )

    assert refused.status_code == 200
    assert added.status_code == 302
    assert list(Registration.objects.values_list("person__email", flat=True)) == ["insider@example.no"]


@pytest.mark.usefixtures("before_deadline")
def test_a_coordinator_adds_a_chapters_resource_persons(
    client: Client, network: Network, chapter: LocalChapter, chapter_activity: Activity, alice: User
) -> None:
    members = [resource_person(network, f"c{i}@example.no", chapter) for i in range(3)]
    resource_person(network, "elsewhere@example.no")
    login(client, alice)

    response = client.post(
        participants_url(chapter_activity),
        {"action": "add_chapter", "chapter-chapter": chapter.pk},
        follow=True,
    )

    assert set(Registration.objects.values_list("person", flat=True)) == {p.pk for p in members}
    added = (
        "%(registered)s registered, %(waiting)s on the waiting list, %(skipped)s skipped because they had "
        "already signed up or cancelled."
    )
    assert [str(m) for m in response.context["messages"]] == [nb(added, registered=3, waiting=0, skipped=0)]


@pytest.mark.usefixtures("before_deadline")
def test_a_chapter_coordinator_adds_the_active_members_of_their_chapter_only(
    client: Client, network: Network, chapter: LocalChapter, chapter_activity: Activity, carl: User
) -> None:
    members = [resource_person(network, f"c{i}@example.no", chapter) for i in range(2)]
    resource_person(network, "elsewhere@example.no")
    login(client, carl)

    client.post(participants_url(chapter_activity), {"action": "add_members"})

    carl_person = own_person(network, carl)
    assert set(Registration.objects.values_list("person", flat=True)) == {p.pk for p in members} | {
        carl_person.pk
    }


@pytest.mark.usefixtures("before_deadline")
def test_a_coordinator_adds_all_active_members(
    client: Client, network: Network, activity: Activity, alice: User, rita: User, carl: User
) -> None:
    login(client, alice)
    Activity.objects.filter(pk=activity.pk).update(capacity=None)

    client.post(participants_url(activity), {"action": "add_members"})

    emails = set(Registration.objects.values_list("person__email", flat=True))
    assert emails == {"alice@example.no", "rita@example.no", "carl@example.no"}


@pytest.mark.usefixtures("before_deadline")
def test_a_coordinator_cancels_on_someones_behalf_and_the_waiting_person_moves_up(
    client: Client, network: Network, activity: Activity, alice: User
) -> None:
    persons = [resource_person(network, f"p{i}@example.no") for i in range(3)]
    registrations = [services.register(activity, p, None) for p in persons]
    login(client, alice)

    response = client.post(
        participants_url(activity), {"action": "cancel", "registration": registrations[1].pk}, follow=True
    )

    assert Registration.objects.get(pk=registrations[1].pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(pk=registrations[2].pk).status == RegistrationStatus.REGISTERED
    assert nb("Moved up from the waiting list: %(names)s.", names=persons[2].full_name) in [
        str(m) for m in response.context["messages"]
    ]


@pytest.mark.usefixtures("before_deadline")
def test_cancelling_a_registration_of_another_activity_is_404(
    client: Client, network: Network, activity: Activity, chapter_activity: Activity, alice: User
) -> None:
    other = services.register(chapter_activity, resource_person(network, "p@example.no"), None)
    login(client, alice)

    response = client.post(participants_url(activity), {"action": "cancel", "registration": other.pk})

    assert response.status_code == 404
    assert Registration.objects.get(pk=other.pk).status == RegistrationStatus.REGISTERED

"""The learning-resource list (plans/views/resources.py, plans/partner_services.py) and the
`{% linked_resources %}` tag on the activity page and the competence-plan pages. Everyone with a role in the
network reads the list; only the network coordinator changes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.competence.models import CompetencePlan, Requirement
from fagnett.networks.models import Network, Person
from fagnett.plans.models import LearningResource, ResourceKind
from tests.conftest import login
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

SLUG = "barnepalliasjon"
READERS = ["alice", "carl", "rolf", "rita", "lena"]
OUTSIDERS = ["charlie", "nobody"]
NOT_WRITERS = ["carl", "rolf", "rita", "lena", "charlie", "nobody"]
WRITE_PAGES = ["resource_create", "resource_edit", "resource_delete"]
GUIDELINE = "Nasjonal faglig retningslinje for palliasjon til barn og unge"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def make_activity(network: Network, title: str = "Introduksjonskurs", day: dt.date | None = None) -> Activity:
    day = day or dt.date(2025, 2, 20)
    return Activity.objects.create(
        network=network,
        kind=ActivityKind.INTRO_COURSE,
        title=title,
        starts_on=day,
        ends_on=day,
        hours=Decimal(6),
    )


def intro_requirement(network: Network) -> Requirement:
    return Requirement.objects.get(plan__network=network, code="introduksjonskurs")


@pytest.fixture
def course(network: Network) -> Activity:
    return make_activity(network)


@pytest.fixture
def resource(network: Network, course: Activity) -> LearningResource:
    resource = LearningResource.objects.create(
        network=network,
        title=GUIDELINE,
        author="Helsedirektoratet",
        year=2017,
        kind=ResourceKind.GUIDELINE,
        link="https://www.helsedirektoratet.no/retningslinjer/palliasjon-til-barn-og-unge",
        description="Retningslinjen nettverket bygger på.",
    )
    resource.activities.set([course])
    resource.requirements.set([intro_requirement(network)])
    return resource


def url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[SLUG, *args])


def page_url(page: str, resource: LearningResource) -> str:
    return url(page) if page == "resource_create" else url(page, resource.pk)


def post_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Palliasjon. Nordisk lærebok",
        "kind": ResourceKind.BOOK,
        "author": "Gyldendal",
        "year": "2016",
        "link": "",
        "description": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def snapshot() -> list[tuple[Any, ...]]:
    return list(LearningResource.objects.order_by("pk").values_list("pk", "title", "kind", "link", "year"))


# Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_everyone_with_a_role_in_the_network_reads_the_list(
    client: Client, resource: LearningResource, persona: str, request: pytest.FixtureRequest
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(url("resources"))
    assert response.status_code == 200
    page = response.content.decode()
    assert GUIDELINE in page
    assert f'href="{resource.link}"' in page
    assert "Helsedirektoratet" in page
    assert "Introduksjonskurs" in page  # the linked activity
    assert response.context["nav"] == "resources"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_resource_page(
    client: Client, resource: LearningResource, persona: str, request: pytest.FixtureRequest
) -> None:
    client = login(client, request.getfixturevalue(persona))
    assert client.get(url("resources")).status_code == 404
    for page in WRITE_PAGES:
        assert client.get(page_url(page, resource)).status_code == 404


def test_only_the_coordinator_sees_the_add_and_edit_links(
    client: Client, resource: LearningResource, alice: User, rita: User
) -> None:
    edit = url("resource_edit", resource.pk)
    assert edit in login(client, alice).get(url("resources")).content.decode()
    assert edit not in login(Client(), rita).get(url("resources")).content.decode()


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_the_network_coordinator_opens_every_editing_page(
    client: Client, resource: LearningResource, alice: User, page: str
) -> None:
    response = login(client, alice).get(page_url(page, resource))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()


@pytest.mark.parametrize("persona", NOT_WRITERS)
@pytest.mark.parametrize("page", WRITE_PAGES)
def test_nobody_but_the_network_coordinator_can_change_resources(
    client: Client, resource: LearningResource, persona: str, page: str, request: pytest.FixtureRequest
) -> None:
    client = login(client, request.getfixturevalue(persona))
    before = snapshot()
    assert client.get(page_url(page, resource)).status_code == 404
    assert client.post(page_url(page, resource), post_data(title="Endret")).status_code == 404
    assert snapshot() == before
    assert resource.activities.count() == 1


@pytest.mark.parametrize("page", ["resource_edit", "resource_delete"])
def test_another_networks_resource_is_404_for_the_coordinator(
    client: Client, alice: User, other_network: Network, page: str
) -> None:
    theirs = LearningResource.objects.create(network=other_network, title="Bergen", kind=ResourceKind.BOOK)
    client = login(client, alice)
    assert client.get(url(page, theirs.pk)).status_code == 404
    assert client.post(url(page, theirs.pk), post_data()).status_code == 404
    assert LearningResource.objects.filter(pk=theirs.pk, title="Bergen").exists()


# Writes --------------------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_resource_linked_to_an_activity_and_a_requirement(
    client: Client, network: Network, course: Activity, alice: User
) -> None:
    requirement = intro_requirement(network)
    response = login(client, alice).post(
        url("resource_create"),
        post_data(
            link="https://example.no/bok", activities=[str(course.pk)], requirements=[str(requirement.pk)]
        ),
    )
    assert response.status_code == 302
    resource = LearningResource.objects.get(network=network)
    assert (resource.title, resource.kind, resource.year) == ("Palliasjon. Nordisk lærebok", "bok", 2016)
    assert list(resource.activities.all()) == [course]
    assert list(resource.requirements.all()) == [requirement]
    entry = AuditEntry.objects.get(action="plans.resource_created")
    assert {"title", "activities", "requirements"} <= set(entry.fields)


def test_the_form_labels_requirements_with_the_plan_version_and_what_they_ask(
    client: Client, network: Network, alice: User
) -> None:
    page = login(client, alice).get(url("resource_create")).content.decode()
    assert "Introduksjonskurs (minst 6 timer, første år) – " in page
    assert "(01.01.1901)" in page


def test_the_coordinator_edits_the_links_and_the_audit_names_them(
    client: Client, network: Network, resource: LearningResource, alice: User
) -> None:
    other = make_activity(network, "Fagdag", dt.date(2025, 11, 5))
    data = post_data(
        title=resource.title,
        kind=resource.kind,
        author=resource.author,
        year="2017",
        link=resource.link,
        description=resource.description,
        activities=[str(other.pk)],
        requirements=[str(intro_requirement(network).pk)],
    )
    assert login(client, alice).post(url("resource_edit", resource.pk), data).status_code == 302
    assert list(resource.activities.all()) == [other]
    assert AuditEntry.objects.get(action="plans.resource_updated").fields == ["activities"]


def test_the_coordinator_deletes_a_resource_after_confirming(
    client: Client, resource: LearningResource, alice: User
) -> None:
    client = login(client, alice)
    assert client.get(url("resource_delete", resource.pk)).status_code == 200
    assert LearningResource.objects.filter(pk=resource.pk).exists()
    assert client.post(url("resource_delete", resource.pk)).status_code == 302
    assert not LearningResource.objects.filter(pk=resource.pk).exists()
    assert AuditEntry.objects.filter(action="plans.resource_deleted").exists()


# Validation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Write the title of the learning resource."),
        ({"kind": ""}, "kind", "Choose what kind of learning resource it is."),
        ({"kind": "podkast"}, "kind", "Choose what kind of learning resource it is."),
        (
            {"link": "ftp://example.no/bok.pdf"},
            "link",
            "The link must be a web address that starts with http:// or https://.",
        ),
        (
            {"link": "javascript:alert(1)"},
            "link",
            "The link must be a web address that starts with http:// or https://.",
        ),
        ({"year": "tjuesytten"}, "year", "Write a year with four digits, for example 2024."),
    ],
)
def test_it_refuses_a_resource_with_an_error_at_the_field(
    client: Client, network: Network, alice: User, changes: dict[str, str], field: str, message: str
) -> None:
    response = login(client, alice).post(url("resource_create"), post_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [nb(message)]
    assert nb(message) in response.content.decode()
    assert not LearningResource.objects.exists()


def test_it_refuses_activities_and_requirements_of_another_network(
    client: Client, network: Network, other_network: Network, alice: User
) -> None:
    theirs = make_activity(other_network, "Bergen-kurs")
    their_requirement = intro_requirement(other_network)
    response = login(client, alice).post(
        url("resource_create"),
        post_data(activities=[str(theirs.pk)], requirements=[str(their_requirement.pk)]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["activities"] == [nb("Choose activities from the list.")]
    assert response.context["form"].errors["requirements"] == [nb("Choose requirements from the list.")]
    assert not LearningResource.objects.exists()


# The list ------------------------------------------------------------------------------------------------


def test_the_list_is_grouped_by_kind_and_can_show_one_kind(
    client: Client, network: Network, resource: LearningResource, rita: User
) -> None:
    LearningResource.objects.create(network=network, title="Lærebok", kind=ResourceKind.BOOK)
    LearningResource.objects.create(network=network, title="Film om sorg", kind=ResourceKind.VIDEO)
    client = login(client, rita)
    groups = client.get(url("resources")).context["groups"]
    assert [(group.kind, [r.title for r in group.resources]) for group in groups] == [
        ("bok", ["Lærebok"]),
        ("retningslinje", [GUIDELINE]),
        ("video", ["Film om sorg"]),
    ]
    only_videos = client.get(url("resources"), {"type": "video"}).context["groups"]
    assert [group.kind for group in only_videos] == ["video"]
    # An unknown kind shows everything rather than failing.
    assert len(client.get(url("resources"), {"type": "podkast"}).context["groups"]) == 3


def test_an_empty_list_says_what_to_do(client: Client, network: Network, alice: User, rita: User) -> None:
    assert (
        nb(
            "No learning resources yet. Add the literature and courses you recommend, and link them to "
            "activities and competence-plan requirements."
        )
        in login(client, alice).get(url("resources")).content.decode()
    )
    assert nb("The network has not added any learning resources yet.") in (
        login(Client(), rita).get(url("resources")).content.decode()
    )


def test_the_list_costs_the_same_queries_with_many_resources(
    client: Client, network: Network, resource: LearningResource, rita: User
) -> None:
    login(client, rita)
    few = count_queries(lambda: client.get(url("resources")))
    requirement = intro_requirement(network)
    for i in range(10):
        extra = LearningResource.objects.create(
            network=network, title=f"Ressurs {i}", kind=ResourceKind.ARTICLE
        )
        extra.activities.set([make_activity(network, f"Kurs {i}")])
        extra.requirements.set([requirement])
    assert count_queries(lambda: client.get(url("resources"))) == few


# The tag -------------------------------------------------------------------------------------------------


def test_the_activity_page_lists_its_learning_resources(
    client: Client, network: Network, course: Activity, resource: LearningResource, rita: User
) -> None:
    page = (
        login(client, rita)
        .get(reverse("activities:activity_detail", args=[SLUG, course.pk]))
        .content.decode()
    )
    assert f'<a class="ds-link" href="{resource.link}">{GUIDELINE}</a>' in page
    assert nb("Learning resources") in page


def test_an_activity_without_resources_shows_no_list(
    client: Client, network: Network, course: Activity, alice: User
) -> None:
    page = (
        login(client, alice)
        .get(reverse("activities:activity_detail", args=[SLUG, course.pk]))
        .content.decode()
    )
    assert "fn-linked-resources" not in page


def test_the_tag_renders_nothing_for_nothing() -> None:
    assert Template("{% load plans_tags %}{% linked_resources None %}").render(Context({})).strip() == ""


def test_the_competence_plan_page_lists_resources_beside_the_requirement(
    client: Client, network: Network, resource: LearningResource, rolf: User
) -> None:
    plan = CompetencePlan.objects.get(network=network)
    page = login(client, rolf).get(reverse("competence:plan_detail", args=[SLUG, plan.pk])).content.decode()
    assert page.count(GUIDELINE) == 1


def test_the_persons_plan_page_lists_resources_beside_the_requirement(
    client: Client, network: Network, resource: LearningResource, rita: User
) -> None:
    person = Person.objects.get(network=network, user=rita)
    page = login(client, rita).get(reverse("competence:person_plan", args=[SLUG, person.pk])).content.decode()
    assert page.count(GUIDELINE) == 1


def _queries(user: User, path: str) -> int:
    client = login(Client(), user)
    return count_queries(lambda: client.get(path))


def _link_to_every_requirement(network: Network, count: int) -> None:
    for i in range(count):
        extra = LearningResource.objects.create(network=network, title=f"Ressurs {i}", kind=ResourceKind.WEB)
        extra.requirements.set(Requirement.objects.filter(plan__network=network))
        extra.activities.set(Activity.objects.filter(network=network))


def test_the_competence_pages_cost_one_query_more_whatever_the_number_of_linked_requirements(
    client: Client, network: Network, resource: LearningResource, rita: User, alice: User
) -> None:
    plan = CompetencePlan.objects.get(network=network)
    person = Person.objects.get(network=network, user=rita)
    pages = [
        (alice, reverse("competence:plan_detail", args=[SLUG, plan.pk])),
        (rita, reverse("competence:person_plan", args=[SLUG, person.pk])),
        (rita, reverse("activities:activity_detail", args=[SLUG, resource.activities.get().pk])),
    ]
    few = [_queries(user, path) for user, path in pages]
    _link_to_every_requirement(network, 6)
    many = [_queries(user, path) for user, path in pages]
    assert many == few
    person_page = login(Client(), rita).get(pages[1][1]).content.decode()
    assert "Ressurs 5" in person_page

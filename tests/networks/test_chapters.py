"""Local chapters: the list (network and chapter coordinators) and create/edit (network coordinators)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import LocalChapter, Network, Role
from fagnett.networks.organisation_services import norwegian_slug
from fagnett.places.models import Municipality
from tests.conftest import add_member, login
from tests.helpers import count_queries

LIST = reverse("networks:chapters", args=["barnepalliasjon"])
CREATE = reverse("networks:chapter_create", args=["barnepalliasjon"])


def edit_url(chapter: LocalChapter) -> str:
    return reverse("networks:chapter_edit", args=["barnepalliasjon", chapter.slug])


def pk_of(number: str) -> int:
    return Municipality.objects.get(number=number).pk


def chapter_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"name": "Sandnes", "slug": "", "municipalities": [pk_of("1108")]}
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl"])
def test_network_and_chapter_coordinators_read_the_list(
    client: Client, persona: str, chapter: LocalChapter, request: pytest.FixtureRequest
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(LIST)
    assert response.status_code == 200
    assert [row.chapter for row in response.context["rows"]] == [chapter]


def test_only_the_network_coordinator_sees_the_create_and_edit_links(
    client: Client, alice: User, carl: User, chapter: LocalChapter
) -> None:
    assert CREATE in login(client, alice).get(LIST).content.decode()
    assert edit_url(chapter) in client.get(LIST).content.decode()
    page = login(Client(), carl).get(LIST).content.decode()
    assert CREATE not in page and edit_url(chapter) not in page


@pytest.mark.parametrize("persona", ["rita", "lena", "rolf", "charlie", "nobody", "admin_user"])
def test_everyone_else_gets_404_on_every_chapter_page(
    client: Client, persona: str, chapter: LocalChapter, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    for url in (LIST, CREATE, edit_url(chapter)):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["carl", "rita", "lena", "rolf", "charlie", "nobody"])
def test_only_the_network_coordinator_creates_or_edits_chapters(
    client: Client, persona: str, chapter: LocalChapter, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(CREATE).status_code == 404
    assert client.get(edit_url(chapter)).status_code == 404
    assert client.post(CREATE, chapter_data()).status_code == 404
    assert client.post(edit_url(chapter), chapter_data(name="Kapret")).status_code == 404
    assert LocalChapter.objects.count() == 1
    chapter.refresh_from_db()
    assert chapter.name == "Stavanger"


def test_anonymous_visitors_are_sent_to_login(client: Client, chapter: LocalChapter) -> None:
    for url in (LIST, CREATE, edit_url(chapter)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_chapter_of_another_network_is_404(client: Client, alice: User, other_network: Network) -> None:
    LocalChapter.objects.create(network=other_network, name="Bergen", slug="bergen-lokal")
    url = reverse("networks:chapter_edit", args=["barnepalliasjon", "bergen-lokal"])
    assert login(client, alice).get(url).status_code == 404


# The list ----------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_list_shows_municipalities_active_resource_persons_and_coordinators(
    client: Client, alice: User, carl: User, network: Network, chapter: LocalChapter
) -> None:
    sandnes = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    add_member(network, None, "a@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter)
    add_member(network, None, "b@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1), chapter=chapter)
    ended = add_member(
        network, None, "c@example.no", Role.RESOURCE_PERSON, dt.date(2022, 1, 1), chapter=chapter
    )
    ended.end = dt.date(2024, 5, 31)
    ended.save()
    add_member(network, None, "d@example.no", Role.RESOURCE_PERSON, dt.date(2024, 9, 1), chapter=chapter)
    add_member(network, None, "e@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))  # no chapter
    add_member(network, None, "f@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=sandnes)
    former = add_member(
        network, None, "gro@example.no", Role.COORDINATOR, dt.date(2020, 1, 1), chapter=chapter
    )
    former.end = dt.date(2023, 12, 31)
    former.save()

    response = login(client, alice).get(LIST)

    rows = {row.chapter.name: row for row in response.context["rows"]}
    assert [m.number for m in rows["Stavanger"].municipalities] == ["1103"]
    assert rows["Sandnes"].municipalities == []
    assert (rows["Stavanger"].active_resource_persons, rows["Sandnes"].active_resource_persons) == (2, 1)
    assert [p.full_name for p in rows["Stavanger"].coordinators] == ["Carl Lokallag"]
    assert rows["Sandnes"].coordinators == []
    page = response.content.decode()
    assert "Carl Lokallag" in page and "15.06.2024" in page


def test_the_list_query_count_does_not_grow_with_chapters_and_persons(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    area = list(Municipality.objects.filter(number__in=["1103", "1108"]))

    def add(first: int, last: int) -> None:
        for i in range(first, last):
            chapter = LocalChapter.objects.create(network=network, name=f"Lag {i}", slug=f"lag-{i}")
            chapter.municipalities.set(area)
            add_member(
                network, None, f"r{i}@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter
            )
            add_member(
                network, None, f"k{i}@example.no", Role.COORDINATOR, dt.date(2023, 1, 1), chapter=chapter
            )

    add(0, 5)
    few = count_queries(lambda: client.get(LIST))
    add(5, 40)
    assert count_queries(lambda: client.get(LIST)) == few
    rows = client.get(LIST).context["rows"]
    assert len(rows) == 40 and all(row.active_resource_persons == 1 for row in rows)


# Creating and editing ----------------------------------------------------------------------------------


def test_the_coordinator_creates_a_chapter_and_it_is_audited(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(CREATE, chapter_data(name="Sør-Rogaland Øst"))
    assert response.status_code == 302 and response["Location"] == LIST
    chapter = LocalChapter.objects.get(network=network, name="Sør-Rogaland Øst")
    assert chapter.slug == "sor-rogaland-ost"  # made from the name, Norwegian letters spelled out
    assert [m.number for m in chapter.municipalities.all()] == ["1108"]
    entry = AuditEntry.objects.get(action="chapter.created")
    assert (entry.actor, entry.network, entry.target_id) == (alice, network, str(chapter.pk))


def test_a_short_name_given_by_the_coordinator_is_kept(client: Client, alice: User, network: Network) -> None:
    login(client, alice).post(CREATE, chapter_data(slug="jaeren"))
    assert LocalChapter.objects.get(network=network, name="Sandnes").slug == "jaeren"


def test_norwegian_letters_become_ascii_in_short_names() -> None:
    assert norwegian_slug("Ålesund og Ærøy, Bø") == "alesund-og-aeroy-bo"


def test_it_rejects_a_municipality_outside_the_area_and_names_it(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    # Offered municipalities are only those of the area; editing a chapter whose municipalities are no
    # longer in it shows them (checked) and refuses to save until they are removed.
    network.municipalities.set(Municipality.objects.filter(number="1108"))
    login(client, alice)
    form = client.get(edit_url(chapter)).context["form"]
    assert {m.number for m in form.fields["municipalities"].queryset} == {"1103", "1108"}
    response = client.post(
        edit_url(chapter), chapter_data(name="Stavanger", slug="stavanger", municipalities=[pk_of("1103")])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["municipalities"]
    assert len(errors) == 1 and "Stavanger" in errors[0] and "Sandnes" not in errors[0]
    assert [m.number for m in chapter.municipalities.all()] == ["1103"]
    assert not AuditEntry.objects.filter(action="chapter.updated").exists()


def test_a_new_chapter_cannot_take_a_municipality_outside_the_area(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, chapter_data(municipalities=[pk_of("0301")]))
    assert response.context["form"].has_error("municipalities", "invalid_choice")
    assert not LocalChapter.objects.exists()


def test_it_rejects_a_duplicate_short_name(client: Client, alice: User, chapter: LocalChapter) -> None:
    response = login(client, alice).post(CREATE, chapter_data(name="Stavanger sentrum", slug="stavanger"))
    assert list(response.context["form"].errors) == ["slug"]
    assert "stavanger" in response.context["form"].errors["slug"][0]
    assert LocalChapter.objects.count() == 1


def test_it_rejects_a_name_that_makes_a_duplicate_short_name(
    client: Client, alice: User, chapter: LocalChapter
) -> None:
    response = login(client, alice).post(CREATE, chapter_data(name="STAVANGER"))
    assert set(response.context["form"].errors) == {"name", "slug"}
    assert LocalChapter.objects.count() == 1


def test_it_rejects_a_name_without_letters_for_a_short_name(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, chapter_data(name="???"))
    assert list(response.context["form"].errors) == ["slug"]


def test_a_short_name_used_in_another_network_is_fine(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    LocalChapter.objects.create(network=other_network, name="Sandnes", slug="sandnes")
    assert login(client, alice).post(CREATE, chapter_data()).status_code == 302
    assert LocalChapter.objects.filter(network=network, slug="sandnes").exists()


def test_the_coordinator_edits_a_chapter_and_the_changed_fields_are_audited(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    data = chapter_data(
        name="Stavanger og Sandnes", slug="stavanger", municipalities=[pk_of("1103"), pk_of("1108")]
    )
    response = login(client, alice).post(edit_url(chapter), data)
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.name == "Stavanger og Sandnes"
    assert {m.number for m in chapter.municipalities.all()} == {"1103", "1108"}
    entry = AuditEntry.objects.get(action="chapter.updated")
    assert entry.fields == ["municipalities", "name"]
    assert (entry.actor, entry.network) == (alice, network)


def test_the_edit_form_starts_with_the_stored_values(
    client: Client, alice: User, chapter: LocalChapter
) -> None:
    form = login(client, alice).get(edit_url(chapter)).context["form"]
    assert form["name"].value() == "Stavanger"
    assert list(form["municipalities"].value()) == [pk_of("1103")]


def test_saving_a_chapter_unchanged_writes_no_audit_entry(
    client: Client, alice: User, chapter: LocalChapter
) -> None:
    data = chapter_data(name="Stavanger", slug="stavanger", municipalities=[pk_of("1103")])
    assert login(client, alice).post(edit_url(chapter), data).status_code == 302
    assert not AuditEntry.objects.filter(action="chapter.updated").exists()

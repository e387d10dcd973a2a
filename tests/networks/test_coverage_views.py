"""The coverage page and its CSV export, on the network of tests/networks/test_coverage.py (15.06.2024:
Stavanger covered; Sandnes lacks a nursing home, Sola home care; one of two hospital units covered)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.networks.coverage import compute_coverage, coverage_json
from fagnett.networks.models import LocalChapter, Network, Workplace
from tests.conftest import login
from tests.helpers import count_queries
from tests.networks.test_coverage import DAY, Places, build_known_network, resource_person

URL = reverse("networks:coverage", args=["barnepalliasjon"])
EXPORT = reverse("networks:coverage_export", args=["barnepalliasjon"])


@pytest.fixture(autouse=True)
def _on_the_day() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def places(network: Network, chapter: LocalChapter) -> Places:
    return build_known_network(network, chapter)


@pytest.fixture
def english(client: Client) -> Client:
    """Assert on the English source texts, whatever the Norwegian catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def cli(*args: str) -> str:
    out = StringIO()
    call_command("coverage", "--network", "barnepalliasjon", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("persona", ["alice", "carl", "rolf"])
@pytest.mark.parametrize("url", [URL, EXPORT])
def test_coordinators_chapter_coordinators_and_readers_see_coverage(
    client: Client, persona: str, url: str, places: Places, request: pytest.FixtureRequest
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["rita", "lena", "charlie", "nobody"])
@pytest.mark.parametrize("url", [URL, EXPORT])
def test_everyone_else_gets_404(
    client: Client, persona: str, url: str, places: Places, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(url).status_code == 404


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_anonymous_visitors_are_sent_to_login(client: Client, url: str, places: Places) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["networks:coverage", "networks:coverage_export"])
def test_a_missing_network_is_404_too(client: Client, alice: User, name: str) -> None:
    assert login(client, alice).get(reverse(name, args=["finnes-ikke"])).status_code == 404


def test_the_page_shows_the_headlines_the_matrix_and_the_gaps(
    english: Client, alice: User, places: Places
) -> None:
    response = login(english, alice).get(URL)
    html = response.content.decode()
    assert response.context["nav"] == "coverage"
    assert response.context["facts"] == compute_coverage(places.ward.network, DAY)
    assert "1 of 3 municipalities covered" in html
    assert "1 of 2 units covered" in html
    assert "<li>Sandnes: missing sykehjem</li>" in html
    assert "<li>Nyfødt intensiv (Helse Stavanger HF): missing a resource person</li>" in html
    # A gap is told in words, not by colour alone.
    assert (
        '<td class="fn-number fn-gap">0 <span class="ds-tag" data-color="danger">Missing</span></td>' in html
    )
    assert html.count("fn-gap") == 6  # Sandnes, Sola: cell and row; Nyfødt intensiv: cell and row
    assert "<caption>Resource persons per municipality and service type</caption>" in html
    assert '<th scope="row">Stavanger <span class="fn-muted">1103</span></th>' in html


def test_the_page_links_each_chapter_and_the_export_with_the_same_choice(
    english: Client, alice: User, places: Places
) -> None:
    html = login(english, alice).get(URL).content.decode()
    assert f'href="{URL}?dato=2024-06-15&amp;lokallag=stavanger">Stavanger</a>' in html
    assert "1 of 1 municipalities covered" in html
    assert f'href="{EXPORT}?dato=2024-06-15"' in html
    chapter_html = english.get(URL, {"dato": "2024-06-15", "lokallag": "stavanger"}).content.decode()
    assert f'href="{EXPORT}?dato=2024-06-15&amp;lokallag=stavanger"' in chapter_html


def test_the_page_annual_report_text_is_the_statement(english: Client, alice: User, places: Places) -> None:
    html = login(english, alice).get(URL).content.decode()
    assert "1 of 3 municipalities in the area are covered. Sandnes: missing sykehjem." in html


def test_the_page_facts_equal_the_commands_json(client: Client, rolf: User, places: Places) -> None:
    response = login(client, rolf).get(URL, {"dato": "2024-06-15"})
    assert coverage_json(response.context["facts"]) == json.loads(cli("--date", "2024-06-15"))
    response = client.get(URL, {"dato": "2024-06-15", "lokallag": "stavanger"})
    assert coverage_json(response.context["facts"]) == json.loads(
        cli("--date", "2024-06-15", "--chapter", "stavanger")
    )


def test_the_export_is_the_commands_csv(client: Client, carl: User, places: Places) -> None:
    response = login(client, carl).get(EXPORT, {"dato": "2024-06-01"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dekning-barnepalliasjon-2024-06-01.csv"'
    assert response.content.decode("utf-8") == cli("--date", "2024-06-01", "--format", "csv")
    response = client.get(EXPORT, {"dato": "2024-06-15", "lokallag": "stavanger"})
    assert response.content.decode("utf-8") == cli(
        "--date", "2024-06-15", "--chapter", "stavanger", "--format", "csv"
    )
    assert "stavanger-2024-06-15.csv" in response["Content-Disposition"]


def test_the_date_defaults_to_today(client: Client, alice: User, places: Places) -> None:
    response = login(client, alice).get(URL)
    assert response.context["facts"].on == DAY
    assert 'value="2024-06-15"' in response.content.decode()


def test_a_date_may_be_written_the_norwegian_way(client: Client, alice: User, places: Places) -> None:
    response = login(client, alice).get(URL, {"dato": "31.05.2024"})
    assert response.context["facts"].on == dt.date(2024, 5, 31)
    # On 31 May the ended Sandnes nursing-home membership still counts.
    assert response.context["facts"].municipalities[0].covered is True


def test_a_wrong_date_says_so_and_shows_today(english: Client, alice: User, places: Places) -> None:
    response = login(english, alice).get(URL, {"dato": "2024-13-45"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["facts"].on == DAY
    assert "ds-error-summary" in html
    assert (
        "Date: Write the date as dd.mm.yyyy, for example 31.12.2024. The coverage today is shown instead."
        in html
    )
    assert 'aria-invalid="true"' in html


def test_a_wrong_date_in_the_export_falls_back_to_today(client: Client, alice: User, places: Places) -> None:
    response = login(client, alice).get(EXPORT, {"dato": "i går"})
    assert response.status_code == 200
    assert "2024-06-15.csv" in response["Content-Disposition"]


def test_a_chapter_view_counts_only_the_chapter_and_lists_no_units(
    english: Client, carl: User, places: Places
) -> None:
    response = login(english, carl).get(URL, {"lokallag": "stavanger"})
    facts = response.context["facts"]
    html = response.content.decode()
    assert [(m.name, m.counts) for m in facts.municipalities] == [
        ("Stavanger", {"hjemmetjeneste": 1, "sykehjem": 1})
    ]
    assert "Coverage: Stavanger" in html
    assert "Hospital units are checked for the whole network, not for a local chapter." in html
    assert f'href="{URL}?dato=2024-06-15">See the whole network</a>' in html


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_an_unknown_chapter_is_404(client: Client, alice: User, places: Places, url: str) -> None:
    assert login(client, alice).get(url, {"lokallag": "finnes-ikke"}).status_code == 404


def test_another_networks_chapter_is_404(
    client: Client, alice: User, other_network: Network, places: Places
) -> None:
    LocalChapter.objects.create(network=other_network, name="Bergen", slug="bergen-sentrum")
    assert login(client, alice).get(URL, {"lokallag": "bergen-sentrum"}).status_code == 404


def test_the_page_query_count_does_not_grow_with_persons(client: Client, alice: User, places: Places) -> None:
    login(client, alice)
    network = places.ward.network
    home_care = Workplace.objects.get(name="Hillevåg hjemmetjeneste")
    chapter = LocalChapter.objects.get(slug="stavanger")
    for i in range(5):
        resource_person(network, f"few{i}@example.no", home_care, chapter=chapter)

    def page(slug: str) -> int:
        return count_queries(lambda: client.get(URL, {"lokallag": slug}))

    def pages() -> list[int]:
        return [page(slug) for slug in ("", "stavanger")]

    few = pages()
    few_export = count_queries(lambda: client.get(EXPORT))
    for i in range(45):
        resource_person(network, f"many{i}@example.no", home_care, chapter=chapter)
    LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    assert pages() == few
    assert count_queries(lambda: client.get(EXPORT)) == few_export

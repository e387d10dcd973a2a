"""The network's competence summary: share met per requirement this year and last year, as an SVG chart and
a table (competence/views/summary.py, competence/charts.py), on data with known answers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.activities.models import ActivityKind
from fagnett.competence.charts import Group, Series, grouped_bar_chart
from fagnett.competence.queries import Share, SummaryFacts, summary_facts
from fagnett.networks.models import Network, Person
from tests.competence.helpers import attend, resource_person, shadow
from tests.conftest import login
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

URL = reverse("competence:summary", args=["barnepalliasjon"])
TODAY = dt.date(2025, 10, 1)
GATHERING = ActivityKind.GATHERING
STUDY_DAY = ActivityKind.STUDY_DAY
INTRO = ActivityKind.INTRO_COURSE


@pytest.fixture(autouse=True)
def _on_the_day() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class Known:
    anne: Person
    bjorn: Person
    cecilie: Person
    dag: Person


def build_known(network: Network) -> Known:
    """On 01.10.2025, with the default plan (6 months for yearly requirements):
    - Anne (since 2023): intro course in time; 2 gatherings of 6 h in 2024 and in 2025; a study day in 2025.
    - Bjørn (since 2023): job shadowing in 2023; 2 gatherings and a study day in 2024; 1 gathering in 2025.
    - Cecilie joined 01.08.2025: yearly requirements do not apply to her in 2025.
    - Dag (01.01.2023–31.03.2024): three months of 2024, so yearly requirements do not apply to him then.
    """
    anne = resource_person(network, "anne@example.no", dt.date(2023, 1, 1))
    bjorn = resource_person(network, "bjorn@example.no", dt.date(2023, 1, 1))
    cecilie = resource_person(network, "cecilie@example.no", dt.date(2025, 8, 1))
    dag = resource_person(network, "dag@example.no", dt.date(2023, 1, 1), end=dt.date(2024, 3, 31))
    attend(anne, INTRO, dt.date(2023, 2, 1), "6")
    for day in (dt.date(2024, 3, 1), dt.date(2024, 9, 1), dt.date(2025, 3, 1), dt.date(2025, 9, 1)):
        attend(anne, GATHERING, day, "6")
    attend(anne, STUDY_DAY, dt.date(2025, 5, 1), "6")
    shadow(bjorn, dt.date(2023, 5, 2), "1")
    for day in (dt.date(2024, 3, 2), dt.date(2024, 9, 2), dt.date(2025, 3, 2)):
        attend(bjorn, GATHERING, day, "6")
    attend(bjorn, STUDY_DAY, dt.date(2024, 5, 2), "6")
    return Known(anne, bjorn, cecilie, dag)


def shares(facts: SummaryFacts) -> dict[str, tuple[Share | None, Share | None]]:
    return {row.code: (row.this_year, row.last_year) for row in facts.rows}


# Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl", "rolf"])
def test_coordinators_chapter_coordinators_and_readers_see_the_summary(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    build_known(network)
    response = login(client, request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert response.context["nav"] == "competence"


@pytest.mark.parametrize("persona", ["rita", "lena", "charlie", "nobody"])
def test_everyone_else_gets_404(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client: Client, network: Network) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_missing_network_is_404(client: Client, alice: User) -> None:
    assert login(client, alice).get(reverse("competence:summary", args=["finnes-ikke"])).status_code == 404


def test_links_lead_to_the_matrix_for_coordinators_only(
    client: Client, network: Network, alice: User, carl: User, rolf: User
) -> None:
    matrix = reverse("competence:matrix", args=["barnepalliasjon"])
    plans = reverse("competence:plans", args=["barnepalliasjon"])
    for user, sees_matrix in ((alice, True), (carl, True), (rolf, False)):
        html = login(Client(), user).get(URL).content.decode()
        assert (matrix in html) is sees_matrix
        assert plans in html


# The numbers ---------------------------------------------------------------------------------------------


def test_the_summary_counts_applicable_and_met_persons_for_this_year_and_last(network: Network) -> None:
    build_known(network)
    facts = summary_facts(network, 2025, TODAY)
    assert (facts.year, facts.last_year, facts.persons, facts.last_year_persons) == (2025, 2024, 3, 3)
    assert shares(facts) == {
        # Once-requirements apply to everyone: Anne met the course, Bjørn shadowed; Cecilie is still due.
        "introduksjonskurs": (Share(3, 1), Share(3, 1)),
        "hospitering": (Share(3, 1), Share(3, 1)),
        # Yearly: Anne and Bjørn in 2025 (not Cecilie), Anne and Bjørn in 2024 (not Dag).
        "samlinger_antall": (Share(2, 1), Share(2, 2)),
        "samlinger_timer": (Share(2, 1), Share(2, 2)),
        "fagdag": (Share(2, 1), Share(2, 1)),
    }
    assert [row.this_year.percent for row in facts.rows if row.this_year] == [33, 33, 50, 50, 50]
    assert facts.min_months_for_yearly == 6


def test_a_share_is_rounded_half_up_and_missing_without_applicable_persons() -> None:
    assert Share(8, 1).percent == 13  # 12.5 %
    assert Share(3, 2).percent == 67
    assert Share(0, 0).percent is None


def test_the_page_shows_the_table_and_the_chart_with_the_same_numbers(
    client: Client, network: Network, alice: User
) -> None:
    build_known(network)
    html = login(client, alice).get(URL).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert "<caption>" in table and 'scope="row"' in table and 'scope="col"' in table
    row = table[table.index("Minst 2 nettverkssamlinger per år") :]
    cells = re.findall(r'<td class="fn-number">([^<]*)</td>', row)[:6]
    assert cells == ["2", "1", "50&nbsp;%", "2", "2", "100&nbsp;%"]
    svg = html[html.index("<svg") : html.index("</svg>")]
    with translation.override("nb"):
        this_year = translation.gettext("%(series)s: %(value)s") % {
            "series": "2025",
            "value": translation.gettext("%(percent)s%%") % {"percent": 50},
        }
    assert this_year in svg
    assert "Minst 2 nettverkssamlinger per år" in svg


def test_the_page_states_the_months_rule(client: Client, network: Network, alice: User) -> None:
    build_known(network)
    html = login(client, alice).get(URL).content.decode()
    rule = nb(
        "A yearly requirement counts only the persons who were members for at least %(months)s whole "
        "calendar months of the year; a once-requirement counts everyone who was a resource person in the "
        "year.",
        months=6,
    )
    assert rule in html


def test_an_earlier_year_is_compared_with_the_year_before_it(
    client: Client, network: Network, alice: User
) -> None:
    build_known(network)
    response = login(client, alice).get(URL + "?aar=2024")
    facts = response.context["facts"]
    assert (facts.year, facts.last_year, facts.as_of) == (2024, 2023, dt.date(2024, 12, 31))
    assert shares(facts)["samlinger_antall"][0] == Share(2, 2)


@pytest.mark.parametrize("value", ["2026", "tjue", "1800", "²⁰²⁴"])
def test_a_future_or_invalid_year_falls_back_to_this_year_with_a_message(
    client: Client, network: Network, alice: User, value: str
) -> None:
    response = login(client, alice).get(URL + f"?aar={value}")
    assert response.status_code == 200
    assert response.context["facts"].year == 2025
    assert response.context["refused_year"] == value
    assert 'data-color="warning"' in response.content.decode()


def test_a_requirement_in_only_one_years_plan_has_figures_for_that_year_only(
    client: Client, network: Network, alice: User
) -> None:
    from fagnett.competence.models import CompetencePlan
    from fagnett.competence.plan_services import PlanData, create_plan_version

    build_known(network)
    new = create_plan_version(
        network,
        PlanData("2025", dt.date(2025, 1, 1), 6),
        source=CompetencePlan.objects.get(network=network),
        actor=alice,
    )
    new.requirements.filter(code="fagdag").delete()
    response = login(client, alice).get(URL)
    facts = response.context["facts"]
    assert [row.code for row in facts.rows][-1] == "fagdag"
    assert shares(facts)["fagdag"] == (None, Share(2, 1))
    assert not facts.same_plan
    assert nb("Not in that year's plan") in response.content.decode()


def test_the_page_costs_the_same_number_of_queries_however_many_persons(
    client: Client, network: Network, alice: User
) -> None:
    build_known(network)
    client = login(client, alice)
    few = count_queries(lambda: client.get(URL))
    for number in range(10):
        person = resource_person(network, f"p{number}@example.no", dt.date(2022, 1, 1))
        attend(person, GATHERING, dt.date(2025, 2, 1), "6")
        shadow(person, dt.date(2022, 5, 1), "1")
    many = count_queries(lambda: client.get(URL))
    assert few == many


# The chart -----------------------------------------------------------------------------------------------


def chart() -> str:
    return grouped_bar_chart(
        chart_id="c",
        title="Andel <oppfylt>",
        description="Søyler",
        series=(Series("2025"), Series("2024", hatched=True)),
        groups=(Group("Fagdag & <b>", (50, 100)), Group("Hospitering", (None, 0))),
        missing="ingen tall",
    )


def test_the_chart_is_an_image_labelled_by_its_title_and_description() -> None:
    svg = chart()
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Andel &lt;oppfylt&gt;</title>' in svg
    assert '<desc id="c-desc">Søyler</desc>' in svg
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_chart_tells_the_years_apart_without_colour() -> None:
    with translation.override("en"):
        svg = chart()
    # Each bar carries its year and value as text, and last year's bars are hatched, this year's solid.
    for text in ("2025: 50%", "2024: 100%", "2025: ingen tall", "2024: 0%"):
        assert f">{text}</text>" in svg
    assert svg.count('fill="url(#c-hatch)"') == 2  # the legend's swatch and one bar (0 % draws none)
    assert (
        svg.count("fn-competence-chart__bar--solid") == 2
    )  # the legend's swatch and one bar (no value: none)
    assert "<pattern" in svg


def test_the_chart_escapes_names_and_draws_bars_in_proportion() -> None:
    svg = chart()
    assert "Fagdag &amp; &lt;b&gt;" in svg
    widths = [int(w) for w in re.findall(r'x="0" y="\d+" width="(\d+)" height="20"', svg)]
    assert widths == [120, 240]

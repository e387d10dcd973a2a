"""The overview pages of issue 10: the networks table and its export, the coverage map with its zoom and
export, and one municipality's page, for every persona; no person is ever named on them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind
from fagnett.networks.models import Network, Person, ServiceType
from fagnett.overview.maps import MapStatus
from fagnett.places.models import HealthTrust, Municipality
from fagnett.reports.models import AnnualReport, ReportStatus
from fagnett.reports.services import get_or_create_report, publish
from tests.conftest import login
from tests.helpers import count_queries, nb
from tests.overview.test_facts import (
    make_network,
    random_networks,
    resource_person,
    site_reader,
    trust_reader,
    workplace,
)

NOW = dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC)

URLS = {
    "networks": (reverse("overview:networks"), ""),
    "networks_csv": (reverse("overview:networks_export", args=["csv"]), ""),
    "networks_xlsx": (reverse("overview:networks_export", args=["xlsx"]), ""),
    "map": (reverse("overview:map"), ""),
    "map_csv": (reverse("overview:map_export", args=["csv"]), ""),
    "map_xlsx": (reverse("overview:map_export", args=["xlsx"]), ""),
    "municipality": (reverse("overview:municipality", args=["1103"]), ""),
}
ALL_URLS = [url for url, _query in URLS.values()]


@pytest.fixture(autouse=True)
def _frozen() -> object:
    cache.clear()  # competence shares from another test's network with the same primary key
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def populated(network: Network, other_network: Network) -> Network:
    """`network` (Stavanger, Sandnes) with resource persons; `other_network` in Bergen with one of its own."""
    for code in (ServiceType.HOME_CARE, ServiceType.NURSING_HOME):
        resource_person(network, workplace(network, "1103", code), email=f"{code}@stavanger.example.no")
    resource_person(network, workplace(network, "1108"), email="sandnes@example.no")
    other_network.municipalities.set(Municipality.objects.filter(number="4601"))
    resource_person(other_network, workplace(other_network, "4601"), email="bergen@example.no")
    Activity.objects.create(
        network=network,
        kind=ActivityKind.GATHERING,
        title="Samling",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 3, 1),
        hours=Decimal("3.5"),
    )
    return network


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- who may open the pages ---


@pytest.mark.django_db
@pytest.mark.parametrize("url", ALL_URLS)
def test_anonymous_users_are_sent_to_log_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nobody", "rita", "lena", "carl"])
@pytest.mark.parametrize("url", ALL_URLS)
def test_users_without_a_network_to_read_or_coordinate_get_404(
    client: Client, url: str, persona: str, request: pytest.FixtureRequest, populated: Network
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ALL_URLS)
def test_a_site_wide_reader_opens_every_page(client: Client, url: str, populated: Network) -> None:
    login(client, site_reader())
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_site_wide_reader_sees_every_network(
    client: Client, populated: Network, other_network: Network
) -> None:
    login(client, site_reader())
    response = client.get(reverse("overview:networks"))
    assert [row.slug for row in response.context["rows"]] == ["barnepalliasjon", "bergen"]
    html = response.content.decode()
    assert reverse("networks:dashboard", args=["barnepalliasjon"]) in html
    assert reverse("networks:dashboard", args=["bergen"]) in html


@pytest.mark.django_db
def test_each_row_says_whether_the_years_annual_report_is_missing_a_draft_or_published(
    client: Client, populated: Network, other_network: Network, alice: User
) -> None:
    publish(get_or_create_report(populated, NOW.year, actor=alice), actor=alice, public=True)
    AnnualReport.objects.create(network=other_network, year=NOW.year - 1, status=ReportStatus.DRAFT)
    login(client, site_reader())
    response = client.get(reverse("overview:networks"))
    labels = {row.slug: row.report_label for row in response.context["rows"]}
    assert labels == {"barnepalliasjon": nb("Published, public"), "bergen": nb("No report")}
    # Every user of the overview may read a published report of a network in it.
    link = reverse("reports:report", args=["barnepalliasjon", NOW.year])
    assert link in response.content.decode()
    assert client.get(link).status_code == 200
    csv_text = client.get(reverse("overview:networks_export", args=["csv"])).content.decode("utf-8-sig")
    assert nb("Published, public") in csv_text


@pytest.mark.django_db
def test_a_health_trust_reader_sees_only_networks_in_the_trusts_area(
    client: Client, populated: Network
) -> None:
    login(client, trust_reader())
    response = client.get(reverse("overview:networks"))
    assert [row.slug for row in response.context["rows"]] == ["barnepalliasjon"]
    bergen = next(
        m for m in client.get(reverse("overview:map")).context["municipalities"] if m.number == "4601"
    )
    assert bergen.status == MapStatus.OUTSIDE and bergen.total == 0  # outside every network *he* can see


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["rolf", "alice"])
def test_a_reader_or_coordinator_of_one_network_sees_one_row(
    client: Client, persona: str, request: pytest.FixtureRequest, populated: Network
) -> None:
    login(client, request.getfixturevalue(persona))
    rows = client.get(reverse("overview:networks")).context["rows"]
    assert [(r.slug, r.members, r.municipalities_covered, r.municipalities_total) for r in rows] == [
        ("barnepalliasjon", 3, 1, 2)
    ]
    assert rows[0].activity_hours == Decimal("3.5")


@pytest.mark.django_db
def test_charlie_sees_his_own_network_and_nothing_of_the_other(
    client: Client, charlie: User, populated: Network
) -> None:
    login(client, charlie)
    assert [r.slug for r in client.get(reverse("overview:networks")).context["rows"]] == ["bergen"]
    html = get(client, reverse("overview:municipality", args=["1103"]))
    assert "Barnepalliasjon" not in html
    assert nb("None of the networks you can see has this municipality in its area.") in html


# --- the networks table ---


@pytest.mark.django_db
def test_the_table_sorts_by_each_column_with_aria_sort(client: Client, populated: Network) -> None:
    login(client, site_reader())
    url = reverse("overview:networks")
    response = client.get(url + "?sorter=-medlemmer")
    assert [r.slug for r in response.context["rows"]] == ["barnepalliasjon", "bergen"]  # 3 before 1
    html = response.content.decode()
    assert html.count("aria-sort=") == 1
    assert 'aria-sort="descending"' in html
    assert "?aar=2025&amp;sorter=medlemmer" in html  # the sorted column's link turns the order around
    assert [r.slug for r in client.get(url + "?sorter=medlemmer").context["rows"]] == [
        "bergen",
        "barnepalliasjon",
    ]
    for key in ("navn", "innmeldt", "utmeldt", "dekning", "timer", "kompetanse"):
        for value in (key, f"-{key}"):
            assert len(client.get(url + f"?sorter={value}").context["rows"]) == 2
    assert client.get(url + "?sorter=tull").context["chosen"].sorting.key == "navn"


@pytest.mark.django_db
def test_the_year_selector_shows_a_past_year_and_refuses_a_future_one(
    client: Client, populated: Network
) -> None:
    login(client, site_reader())
    url = reverse("overview:networks")
    past = client.get(url + "?aar=2024")
    assert past.context["chosen"].year == 2024
    assert past.context["chosen"].as_of == dt.date(2024, 12, 31)
    assert [r.members for r in past.context["rows"]] == [3, 1]
    for bad in ("2030", "abc", "²⁰²⁴"):
        response = client.get(url, {"aar": bad})
        assert response.status_code == 200
        assert response.context["chosen"].year == 2025
        assert response.context["chosen"].refused_year == bad


@pytest.mark.django_db
def test_the_networks_export_has_the_tables_rows_in_csv_and_xlsx(client: Client, populated: Network) -> None:
    login(client, site_reader())
    csv_response = client.get(reverse("overview:networks_export", args=["csv"]) + "?aar=2025&sorter=-timer")
    assert csv_response["Content-Disposition"] == 'attachment; filename="oversikt-nettverk-2025.csv"'
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == nb("Network")
    assert rows[1][:9] == [
        "Barnepalliasjon Sør-Rogaland",
        "barnepalliasjon",
        "3",
        "0",
        "0",
        "1",
        "2",
        "3,5",
        "0",
    ]
    assert rows[2][1] == "bergen"
    xlsx = client.get(reverse("overview:networks_export", args=["xlsx"]) + "?aar=2025&sorter=-timer")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 3 and values[1][1] == "barnepalliasjon" and values[2][1] == "bergen"


@pytest.mark.django_db
def test_an_export_in_another_format_is_404(client: Client, populated: Network) -> None:
    login(client, site_reader())
    assert client.get(reverse("overview:networks_export", args=["pdf"])).status_code == 404
    assert client.get(reverse("overview:map_export", args=["json"])).status_code == 404


@pytest.mark.django_db
def test_a_network_name_that_looks_like_a_formula_is_quoted_in_csv(
    client: Client, populated: Network
) -> None:
    Network.objects.filter(pk=populated.pk).update(name="=HYPERLINK(1)")
    login(client, site_reader())
    text = client.get(reverse("overview:networks_export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


# --- the map ---


@pytest.mark.django_db
def test_the_map_shows_every_municipality_with_counts_per_status(client: Client, populated: Network) -> None:
    login(client, site_reader())
    response = client.get(reverse("overview:map"))
    context = response.context
    assert len(context["municipalities"]) == 357
    counts = dict(context["status_counts"])
    assert counts == {
        MapStatus.COVERED: 1,
        MapStatus.PARTLY: 2,
        MapStatus.NOT_COVERED: 0,
        MapStatus.OUTSIDE: 354,
    }
    html = response.content.decode()
    assert "<svg" in html and "Kartverket" in html
    assert 'href="#fn-map-table"' in html
    assert reverse("overview:municipality", args=["1103"]) in html
    stavanger = next(m for m in context["municipalities"] if m.number == "1103")
    assert stavanger.status == MapStatus.COVERED and stavanger.total == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "label", "count"),
    [("fylke=11", "Rogaland", 23), ("nettverk=barnepalliasjon", "Barnepalliasjon Sør-Rogaland", 2)],
)
def test_zooming_restricts_the_table(
    client: Client, populated: Network, query: str, label: str, count: int
) -> None:
    login(client, site_reader())
    response = client.get(reverse("overview:map") + "?" + query)
    assert response.context["zoom"].label == label
    assert len(response.context["municipalities"]) == count
    assert not response.context["selection"].notices
    parameter, value = query.split("=")
    assert f'<option value="{value}" selected>' in response.content.decode()  # the form shows the zoom


@pytest.mark.django_db
def test_zooming_to_a_health_trust_shows_its_catchment_area(client: Client, populated: Network) -> None:
    trust = HealthTrust.objects.get(short_name="Stavanger")
    login(client, site_reader())
    response = client.get(reverse("overview:map"), {"helseforetak": str(trust.pk)})
    numbers = {m.number for m in response.context["municipalities"]}
    assert {"1103", "1108"} <= numbers and "4601" not in numbers


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"fylke": "99"},
        {"fylke": "<script>"},
        {"helseforetak": "abc"},
        {"helseforetak": "999999"},
        {"helseforetak": "²"},
        {"nettverk": "finnes-ikke"},
        {"fylke": "11", "nettverk": "barnepalliasjon"},
        {"dato": "31.02.2025"},
        {"dato": "i går"},
    ],
)
def test_bad_zoom_parameters_show_the_whole_country_with_a_message(
    client: Client, populated: Network, query: dict[str, str]
) -> None:
    login(client, site_reader())
    response = client.get(reverse("overview:map"), query)
    assert response.status_code == 200
    assert len(response.context["municipalities"]) == 357
    assert len(response.context["selection"].notices) == 1
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.django_db
def test_a_network_the_user_cannot_see_is_not_zoomed_to(
    client: Client, populated: Network, rolf: User
) -> None:
    login(client, rolf)
    response = client.get(reverse("overview:map"), {"nettverk": "bergen"})
    assert response.context["zoom"].parameter == ""
    assert len(response.context["selection"].notices) == 1
    assert [value for value, _name, _selected in response.context["networks"]] == ["barnepalliasjon"]


@pytest.mark.django_db
def test_the_map_counts_on_the_date_asked_for(client: Client, populated: Network) -> None:
    login(client, site_reader())
    response = client.get(reverse("overview:map"), {"dato": "2019-01-01"})
    assert response.context["selection"].on == dt.date(2019, 1, 1)
    assert dict(response.context["status_counts"])[MapStatus.COVERED] == 0
    assert client.get(reverse("overview:map"), {"dato": "15.06.2025"}).context["selection"].on == dt.date(
        2025, 6, 15
    )


@pytest.mark.django_db
def test_the_map_export_is_the_zoomed_table(client: Client, populated: Network) -> None:
    login(client, site_reader())
    response = client.get(reverse("overview:map_export", args=["csv"]) + "?fylke=11&dato=2025-06-15")
    assert (
        response["Content-Disposition"] == 'attachment; filename="dekning-kommuner-fylke-11-2025-06-15.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 24
    stavanger = next(row for row in rows if row[0] == "1103")
    assert stavanger[2:] == ["11", stavanger[3], "Barnepalliasjon Sør-Rogaland", "2", nb("Covered")]
    xlsx = client.get(reverse("overview:map_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 358


# --- one municipality ---


@pytest.mark.django_db
def test_the_municipality_page_shows_networks_rules_and_counts(client: Client, populated: Network) -> None:
    login(client, site_reader())
    response = client.get(reverse("overview:municipality", args=["1108"]))
    municipality = response.context["municipality"]
    assert municipality.name == "Sandnes"
    assert [(n.slug, n.covered) for n in municipality.networks] == [("barnepalliasjon", False)]
    assert municipality.counts == {ServiceType.HOME_CARE: 1}
    html = response.content.decode()
    assert reverse("networks:dashboard", args=["barnepalliasjon"]) in html
    assert "<svg" in html


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["9999", "abc", "0"])
def test_an_unknown_municipality_is_404(client: Client, populated: Network, number: str) -> None:
    login(client, site_reader())
    assert client.get(reverse("overview:municipality", args=[number])).status_code == 404


# --- no persons anywhere ---


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*ALL_URLS, reverse("overview:map") + "?fylke=11"])
def test_no_persons_name_email_or_phone_is_shown(
    client: Client, url: str, populated: Network, alice: User, rita: User
) -> None:
    login(client, site_reader())
    response = client.get(url)
    content = response.content
    if url.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    else:
        text = content.decode("utf-8-sig")
    for person in Person.objects.all():
        for value in (person.email, person.phone, person.full_name):
            if value:
                assert value not in text, (url, value)
    assert "@" not in text.replace("@media", "")


# --- query counts ---


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["overview:networks", "overview:map", "overview:municipality"])
def test_the_pages_cost_the_same_queries_for_2_and_20_networks(client: Client, name: str) -> None:
    reader = site_reader()
    login(client, reader)
    url = reverse(name, args=["1103"] if name.endswith("municipality") else [])

    def queries(count: int, seed: int) -> int:
        random_networks(count, seed)
        client.get(url)  # the competence shares are cached on the first visit
        return count_queries(lambda: client.get(url))

    assert queries(2, 21) == queries(18, 22)  # 2 networks, then 20


@pytest.mark.django_db
def test_the_map_zoom_to_a_network_shows_its_area_only_with_the_municipality_links(
    client: Client, populated: Network
) -> None:
    make_network("nabo", ["1119"])
    login(client, site_reader())
    html = get(client, reverse("overview:map") + "?nettverk=nabo")
    assert reverse("overview:municipality", args=["1119"]) in html

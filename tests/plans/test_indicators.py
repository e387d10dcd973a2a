"""Result-indicator pages: who may see and change them, the definition form, a year's values, the table and
the chart (plans/views/indicators.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.plans.indicator_services import IndicatorData, update_indicator
from fagnett.plans.models import Indicator, IndicatorPeriod, IndicatorSource, IndicatorValue
from tests.conftest import login
from tests.helpers import count_queries, nb

READERS = ("alice", "carl", "rolf")
WRITE_REFUSED = ("carl", "rolf", "rita", "lena", "charlie", "nobody")
READ_REFUSED = ("rita", "lena", "charlie", "nobody")


@pytest.fixture
def referrals(network: Network) -> Indicator:
    target = Indicator.objects.create(
        network=network,
        name="Henvisninger barnepalliasjon",
        unit="barn/unge",
        source=IndicatorSource.ENTERED,
        period=IndicatorPeriod.QUARTER,
        yearly_target=Decimal(10),
        position=1,
    )
    IndicatorValue.objects.create(indicator=target, year=2024, period=1, value=Decimal(5))
    IndicatorValue.objects.create(indicator=target, year=2024, period=2, value=Decimal(7))
    return target


@pytest.fixture
def transitions(network: Network) -> Indicator:
    target = Indicator.objects.create(
        network=network,
        name="Overgang barn til voksenpalliasjon",
        source=IndicatorSource.ENTERED,
        footnote="KPT er en aldersuavhengig tjeneste.",
        position=2,
    )
    IndicatorValue.objects.create(indicator=target, year=2024, period=0, value=Decimal(3))
    return target


@pytest.fixture
def guidance(network: Network) -> Indicator:
    return Indicator.objects.create(
        network=network, name="Veiledninger", source=IndicatorSource.GUIDANCE, position=3
    )


@pytest.fixture
def foreign(other_network: Network) -> Indicator:
    return Indicator.objects.create(network=other_network, name="Fremmed", source=IndicatorSource.ENTERED)


def _users(request: pytest.FixtureRequest, names: tuple[str, ...]) -> list[tuple[str, User]]:
    return [(name, request.getfixturevalue(name)) for name in names]


def _read_urls(slug: str, pk: int) -> list[str]:
    return [
        reverse("plans:indicators", args=(slug,)),
        reverse("plans:indicator_detail", args=(slug, pk)),
        reverse("plans:values_export", args=(slug, "csv")),
        reverse("plans:values_export", args=(slug, "xlsx")),
    ]


def _write_urls(slug: str, pk: int) -> list[str]:
    return [
        reverse("plans:indicator_create", args=(slug,)),
        reverse("plans:indicator_edit", args=(slug, pk)),
        reverse("plans:indicator_delete", args=(slug, pk)),
        reverse("plans:values_edit", args=(slug, pk, 2024)),
        reverse("plans:values_import", args=(slug,)),
        reverse("plans:values_template", args=(slug,)),
    ]


# --- Access ----------------------------------------------------------------------------------------------


def test_coordinators_and_readers_read_every_page(
    client: Client, request: pytest.FixtureRequest, network: Network, referrals: Indicator
) -> None:
    for name, user in _users(request, READERS):
        login(client, user)
        for url in _read_urls(network.slug, referrals.pk):
            assert client.get(url).status_code == 200, (name, url)


def test_others_get_404_on_every_page(
    client: Client, request: pytest.FixtureRequest, network: Network, referrals: Indicator
) -> None:
    for name, user in _users(request, READ_REFUSED):
        login(client, user)
        for url in _read_urls(network.slug, referrals.pk) + _write_urls(network.slug, referrals.pk):
            assert client.get(url).status_code == 404, (name, url)


def test_only_the_network_coordinator_opens_the_pages_that_change(
    client: Client, request: pytest.FixtureRequest, network: Network, referrals: Indicator, alice: User
) -> None:
    login(client, alice)
    for url in _write_urls(network.slug, referrals.pk):
        assert client.get(url).status_code == 200, url
    for name, user in _users(request, ("carl", "rolf")):
        login(client, user)
        for url in _write_urls(network.slug, referrals.pk):
            assert client.get(url).status_code == 404, (name, url)


def test_posts_without_write_access_change_nothing(
    client: Client, request: pytest.FixtureRequest, network: Network, referrals: Indicator
) -> None:
    slug, pk = network.slug, referrals.pk
    posts = [
        (
            reverse("plans:indicator_create", args=(slug,)),
            {"name": "Ny", "source": "registrert", "period": "aar"},
        ),
        (
            reverse("plans:indicator_edit", args=(slug, pk)),
            {"name": "Endret", "source": "registrert", "period": "kvartal"},
        ),
        (reverse("plans:indicator_delete", args=(slug, pk)), {}),
        (reverse("plans:values_edit", args=(slug, pk, 2024)), {"p1": "99", "p2": "", "p3": "1", "p4": "1"}),
    ]
    for name, user in _users(request, WRITE_REFUSED):
        login(client, user)
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (name, url)
    referrals.refresh_from_db()
    assert referrals.name == "Henvisninger barnepalliasjon"
    assert Indicator.objects.count() == 1
    assert sorted(IndicatorValue.objects.values_list("period", "value")) == [(1, Decimal(5)), (2, Decimal(7))]
    assert not AuditEntry.objects.filter(action__startswith="plans.indicator").exists()


def test_another_networks_indicator_is_404(
    client: Client, network: Network, alice: User, foreign: Indicator, referrals: Indicator
) -> None:
    login(client, alice)
    urls = [
        reverse("plans:indicator_detail", args=(network.slug, foreign.pk)),
        reverse("plans:indicator_edit", args=(network.slug, foreign.pk)),
        reverse("plans:indicator_delete", args=(network.slug, foreign.pk)),
        reverse("plans:values_edit", args=(network.slug, foreign.pk, 2024)),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[2]).status_code == 404
    assert Indicator.objects.filter(pk=foreign.pk).exists()


# --- The table -------------------------------------------------------------------------------------------


def test_the_table_shows_counts_units_targets_and_footnotes(
    client: Client,
    network: Network,
    alice: User,
    referrals: Indicator,
    transitions: Indicator,
    guidance: Indicator,
) -> None:
    Activity.objects.create(
        network=network,
        kind=ActivityKind.GUIDANCE,
        title="Veiledning",
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2024, 4, 1),
    )
    login(client, alice)
    page = client.get(reverse("plans:indicators", args=(network.slug,)), {"aar": "2024"}).content.decode()
    assert "<caption>" in page
    assert "12 barn/unge" in page
    assert "3<a" in page  # the footnote marker follows the count
    assert "* KPT er en aldersuavhengig tjeneste." in page
    assert nb("Target reached?") in page
    assert reverse("plans:indicator_detail", args=(network.slug, guidance.pk)) in page
    assert reverse("plans:indicator_create", args=(network.slug,)) in page


def test_readers_see_no_links_that_change(
    client: Client, network: Network, rolf: User, referrals: Indicator
) -> None:
    login(client, rolf)
    page = client.get(reverse("plans:indicators", args=(network.slug,))).content.decode()
    assert reverse("plans:indicator_create", args=(network.slug,)) not in page
    assert reverse("plans:values_import", args=(network.slug,)) not in page


@time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC))
def test_a_year_that_is_not_a_year_falls_back_to_this_year(
    client: Client, network: Network, alice: User, referrals: Indicator
) -> None:
    login(client, alice)
    for value in ("abc", "20245", "1900", "٢٠٢٤", ""):
        response = client.get(reverse("plans:indicators", args=(network.slug,)), {"aar": value})
        assert response.status_code == 200
        assert response.context["year"] == 2025


def test_the_table_takes_the_same_number_of_queries_for_2_and_12_indicators(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    url = reverse("plans:indicators", args=(network.slug,))
    sources = [IndicatorSource.ENTERED, IndicatorSource.PARTICIPANTS, IndicatorSource.MEMBERS]
    for number in range(2):
        Indicator.objects.create(network=network, name=f"I{number}", source=sources[number % 3])
    Indicator.objects.create(network=network, name="I2", source=sources[2])
    few = count_queries(lambda: client.get(url, {"aar": "2024"}))
    for number in range(3, 12):
        Indicator.objects.create(network=network, name=f"I{number}", source=sources[number % 3])
    assert count_queries(lambda: client.get(url, {"aar": "2024"})) == few


# --- The detail page and its chart ----------------------------------------------------------------------


def test_the_chart_comes_with_its_table(
    client: Client, network: Network, rolf: User, referrals: Indicator
) -> None:
    login(client, rolf)
    page = client.get(
        reverse("plans:indicator_detail", args=(network.slug, referrals.pk)), {"aar": "2024"}
    ).content.decode()
    assert page.count('role="img"') == 2  # per year, and per quarter of 2024
    assert "<title" in page and "<desc" in page
    assert page.count("<caption>") == 2
    assert nb("%(number)s. quarter") % {"number": 1} in page
    assert "12 barn/unge" in page  # the bar's value label
    assert nb("Target per year") in page


def test_a_computed_indicator_has_no_values_to_enter(
    client: Client, network: Network, alice: User, guidance: Indicator
) -> None:
    login(client, alice)
    page = client.get(reverse("plans:indicator_detail", args=(network.slug, guidance.pk))).content.decode()
    assert reverse("plans:values_edit", args=(network.slug, guidance.pk, 2024)) not in page
    assert client.get(reverse("plans:values_edit", args=(network.slug, guidance.pk, 2024))).status_code == 404
    assert (
        client.post(
            reverse("plans:values_edit", args=(network.slug, guidance.pk, 2024)), {"p0": "3"}
        ).status_code
        == 404
    )


# --- The definition form --------------------------------------------------------------------------------


def test_the_coordinator_adds_an_indicator_and_it_is_audited(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:indicator_create", args=(network.slug,)),
        {
            "name": "Deltakere på samlinger",
            "unit": "personer",
            "source": IndicatorSource.PARTICIPANTS,
            "activity_kinds": [ActivityKind.GATHERING, ActivityKind.STUDY_DAY],
            "period": "aar",
            "yearly_target": "100,5",
            "footnote": "",
            "position": "",
        },
    )
    created = Indicator.objects.get(network=network)
    assert response.status_code == 302
    assert created.yearly_target == Decimal("100.5")
    assert sorted(created.activity_kinds) == sorted([ActivityKind.GATHERING, ActivityKind.STUDY_DAY])
    entry = AuditEntry.objects.get(action="plans.indicator_created")
    assert "name" in entry.fields


def test_the_form_offers_newsletters_sent_as_a_computed_source(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    page = client.get(reverse("plans:indicator_create", args=(network.slug,))).content.decode()
    assert f'value="{IndicatorSource.NEWSLETTERS.value}"' in page
    response = client.post(
        reverse("plans:indicator_create", args=(network.slug,)),
        {"name": "Nyhetsbrev", "source": IndicatorSource.NEWSLETTERS, "period": "aar", "position": "0"},
    )
    assert response.status_code == 302
    assert Indicator.objects.get(network=network).source == IndicatorSource.NEWSLETTERS


def test_a_name_taken_in_the_network_is_refused_whatever_its_case(
    client: Client, network: Network, alice: User, referrals: Indicator
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:indicator_create", args=(network.slug,)),
        {"name": "HENVISNINGER barnepalliasjon", "source": "registrert", "period": "aar"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Indicator.objects.count() == 1


def test_a_target_that_looks_like_a_national_identity_number_is_refused(
    client: Client, network: Network, alice: User
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:indicator_create", args=(network.slug,)),
        {"name": "X", "source": "registrert", "period": "aar", "yearly_target": "01020312345"},
    )
    assert "yearly_target" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_the_period_of_an_indicator_with_values_cannot_change(
    client: Client, network: Network, alice: User, referrals: Indicator
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:indicator_edit", args=(network.slug, referrals.pk)),
        {"name": referrals.name, "source": "registrert", "period": "maaned"},
    )
    assert response.status_code == 200
    assert "period" in response.context["form"].errors
    referrals.refresh_from_db()
    assert referrals.period == IndicatorPeriod.QUARTER


def test_an_entered_indicator_with_values_cannot_become_computed(
    network: Network, alice: User, referrals: Indicator
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        update_indicator(
            referrals,
            IndicatorData(
                name=referrals.name, source=IndicatorSource.GUIDANCE, period=IndicatorPeriod.QUARTER
            ),
            actor=alice,
        )
    assert "source" in refused.value.message_dict
    referrals.refresh_from_db()
    assert referrals.source == IndicatorSource.ENTERED


def test_the_coordinator_edits_and_deletes_an_indicator(
    client: Client, network: Network, alice: User, referrals: Indicator
) -> None:
    login(client, alice)
    client.post(
        reverse("plans:indicator_edit", args=(network.slug, referrals.pk)),
        {"name": "Henvisninger", "source": "registrert", "period": "kvartal", "unit": "barn"},
    )
    referrals.refresh_from_db()
    assert (referrals.name, referrals.unit) == ("Henvisninger", "barn")
    assert sorted(AuditEntry.objects.get(action="plans.indicator_changed").fields) == [
        "name",
        "unit",
        "yearly_target",
    ]
    page = client.get(reverse("plans:indicator_delete", args=(network.slug, referrals.pk)))
    assert Indicator.objects.filter(pk=referrals.pk).exists()
    assert page.status_code == 200
    client.post(reverse("plans:indicator_delete", args=(network.slug, referrals.pk)))
    assert not Indicator.objects.filter(pk=referrals.pk).exists()
    assert not IndicatorValue.objects.exists()
    assert AuditEntry.objects.filter(action="plans.indicator_deleted").count() == 1


# --- A year's values ------------------------------------------------------------------------------------


def test_the_values_form_has_a_field_per_quarter(
    client: Client, network: Network, alice: User, referrals: Indicator
) -> None:
    login(client, alice)
    form = client.get(reverse("plans:values_edit", args=(network.slug, referrals.pk, 2024))).context["form"]
    assert list(form.fields) == ["p1", "p2", "p3", "p4"]
    assert form.initial == {"p1": "5", "p2": "7"}


def test_saving_values_accepts_decimal_comma_deletes_blanks_and_audits_the_periods(
    client: Client, network: Network, alice: User, referrals: Indicator
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:values_edit", args=(network.slug, referrals.pk, 2024)),
        {"p1": "5", "p2": "", "p3": "4,5", "p4": " 1 200 "},
    )
    assert response.status_code == 302
    assert sorted(IndicatorValue.objects.values_list("period", "value")) == [
        (1, Decimal(5)),
        (3, Decimal("4.5")),
        (4, Decimal(1200)),
    ]
    entry = AuditEntry.objects.get(action="plans.indicator_values_changed")
    assert sorted(entry.fields) == ["2024-K2", "2024-K3", "2024-K4"]


@pytest.mark.parametrize("value", ["01020312345", "010203 12345", "010203-12345"])
def test_a_value_that_looks_like_a_national_identity_number_is_refused_naming_the_field(
    client: Client, network: Network, alice: User, referrals: Indicator, value: str
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:values_edit", args=(network.slug, referrals.pk, 2024)),
        {"p1": "9", "p2": "", "p3": value, "p4": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["p3"]
    assert nb("%(number)s. quarter") % {"number": 3} in errors[0]
    assert "11" in errors[0]
    assert value not in response.content.decode()  # not sent back to the browser either
    # All or nothing: the valid first quarter was not saved either.
    assert sorted(IndicatorValue.objects.values_list("period", "value")) == [(1, Decimal(5)), (2, Decimal(7))]


@pytest.mark.parametrize("value", ["-3", "tolv", "12 barn", "1,234"])
def test_a_value_that_is_not_a_non_negative_number_is_refused(
    client: Client, network: Network, alice: User, referrals: Indicator, value: str
) -> None:
    login(client, alice)
    response = client.post(
        reverse("plans:values_edit", args=(network.slug, referrals.pk, 2024)),
        {"p1": value, "p2": "", "p3": "", "p4": ""},
    )
    assert "p1" in response.context["form"].errors
    assert IndicatorValue.objects.count() == 2


def test_a_year_outside_1950_to_2100_has_no_values_page(
    client: Client, network: Network, alice: User, referrals: Indicator
) -> None:
    login(client, alice)
    assert (
        client.get(reverse("plans:values_edit", args=(network.slug, referrals.pk, 1949))).status_code == 404
    )
    assert (
        client.get(reverse("plans:values_edit", args=(network.slug, referrals.pk, 2101))).status_code == 404
    )

"""Dissemination plans in the browser: who may read and change them, the plan's table, measures, the status
per year, and the network's own categories and target groups."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.plans.models import (
    DisseminationPlan,
    Measure,
    MeasureCategory,
    MeasureStatus,
    MeasureYear,
    TargetGroup,
)
from tests.conftest import login
from tests.helpers import count_queries, nb

NOW = dt.datetime(2024, 9, 1, 12, 0, tzinfo=dt.UTC)
READERS = ("alice", "carl", "rolf")
OUTSIDERS = ("rita", "lena", "charlie", "nobody")


# --- Helpers shared with the other dissemination test modules -----------------------------------------------


def category(code: str, network: Network | None = None) -> MeasureCategory:
    return MeasureCategory.objects.get(code=code, network=network)


def groups(*codes: str) -> list[TargetGroup]:
    return [TargetGroup.objects.get(code=code, network=None) for code in codes]


def make_plan(
    network: Network, title: str = "Kompetansespredningsplan", start: int = 2024, end: int = 2034
) -> DisseminationPlan:
    return DisseminationPlan.objects.create(network=network, title=title, start_year=start, end_year=end)


def make_measure(
    plan: DisseminationPlan,
    title: str = "Nettverksmøter",
    category_code: str = "nettverksarbeid",
    target_groups: Sequence[str] = ("H",),
    **values: Any,
) -> Measure:
    measure = Measure.objects.create(plan=plan, category=category(category_code), title=title, **values)
    measure.target_groups.set(groups(*target_groups))
    return measure


def make_activity(
    network: Network, starts_on: dt.date, kind: str = ActivityKind.GATHERING, title: str = "Samling"
) -> Activity:
    return Activity.objects.create(
        network=network, kind=kind, title=title, starts_on=starts_on, ends_on=starts_on
    )


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.fixture
def plan(network: Network) -> DisseminationPlan:
    return make_plan(network)


@pytest.fixture
def measure(plan: DisseminationPlan) -> Measure:
    return make_measure(
        plan, means="Opprette lokale nettverk\nRegelmessige nettverksmøter", per_year_min=2, per_year_max=4
    )


@pytest.fixture
def other_plan(other_network: Network) -> DisseminationPlan:
    foreign = make_plan(other_network, title="Bergens plan")
    make_measure(foreign, title="Bergens tiltak")
    return foreign


def _url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=["barnepalliasjon", *args])


# --- Who may open what --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*READERS, *OUTSIDERS])
def test_readers_see_the_plan_and_outsiders_get_404(
    client: Client, request: pytest.FixtureRequest, plan: DisseminationPlan, measure: Measure, persona: str
) -> None:
    login(client, request.getfixturevalue(persona))
    expected = 200 if persona in READERS else 404
    for url in (
        _url("plan_detail", plan.pk),
        _url("plan_detail", plan.pk) + "?aar=2025",
        _url("vocabulary"),
        _url("plan_export", plan.pk, "xlsx"),
    ):
        assert client.get(url).status_code == expected, url


def _write_urls(plan: DisseminationPlan, measure: Measure) -> list[str]:
    return [
        _url("plan_create"),
        _url("plan_edit", plan.pk),
        _url("plan_delete", plan.pk),
        _url("plan_import", plan.pk),
        _url("plan_template"),
        _url("plan_year", plan.pk, 2024),
        _url("measure_create", plan.pk),
        _url("measure_edit", measure.pk),
        _url("measure_delete", measure.pk),
    ]


@pytest.mark.parametrize("persona", ["alice", "carl", "rolf", *OUTSIDERS])
def test_only_the_network_coordinator_opens_the_pages_that_change_plans(
    client: Client, request: pytest.FixtureRequest, plan: DisseminationPlan, measure: Measure, persona: str
) -> None:
    login(client, request.getfixturevalue(persona))
    expected = 200 if persona == "alice" else 404
    for url in _write_urls(plan, measure):
        assert client.get(url).status_code == expected, url


def _state() -> tuple[Any, ...]:
    return (
        list(DisseminationPlan.objects.values_list("pk", "title", "start_year", "end_year", "introduction")),
        list(Measure.objects.values_list("pk", "title", "means", "from_year", "to_year", "position")),
        list(MeasureYear.objects.values_list("pk", "status", "comment")),
        list(MeasureCategory.objects.values_list("pk", "code")),
        list(TargetGroup.objects.values_list("pk", "code")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("persona", ["carl", "rolf", *OUTSIDERS])
def test_posts_from_anyone_but_the_coordinator_change_nothing(
    client: Client,
    request: pytest.FixtureRequest,
    network: Network,
    plan: DisseminationPlan,
    measure: Measure,
    persona: str,
) -> None:
    own = MeasureCategory.objects.create(network=network, code="egen", name="Egen kategori")
    login(client, request.getfixturevalue(persona))
    before = _state()
    plan_data = {"title": "Endret", "start_year": "2020", "end_year": "2030", "introduction": "x"}
    measure_data = {"category": str(measure.category_id), "title": "Endret tiltak", "means": "x"}
    posts: list[tuple[str, dict[str, str]]] = [
        (_url("plan_create"), plan_data),
        (_url("plan_edit", plan.pk), plan_data),
        (_url("plan_delete", plan.pk), {}),
        (_url("plan_year", plan.pk, 2024), {f"status_{measure.pk}": MeasureStatus.DONE}),
        (_url("measure_create", plan.pk), measure_data),
        (_url("measure_edit", measure.pk), measure_data),
        (_url("measure_delete", measure.pk), {}),
        (_url("vocabulary"), {"action": "add_category", "category-code": "ny", "category-name": "Ny"}),
        (_url("vocabulary"), {"action": "add_group", "group-code": "LIS", "group-name": "LIS-leger"}),
        (_url("vocabulary"), {"action": "delete_category", "pk": str(own.pk)}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert _state() == before


def test_another_networks_plan_and_a_missing_one_answer_404(
    client: Client, alice: User, plan: DisseminationPlan, other_plan: DisseminationPlan
) -> None:
    login(client, alice)
    foreign_measure = other_plan.measures.get()
    for pk in (other_plan.pk, 999_999):
        for name in ("plan_detail", "plan_edit", "plan_delete", "plan_import", "measure_create"):
            assert client.get(_url(name, pk)).status_code == 404, name
        assert client.get(_url("plan_export", pk, "xlsx")).status_code == 404
        assert client.get(_url("plan_year", pk, 2024)).status_code == 404
        assert client.post(_url("plan_delete", pk)).status_code == 404
    for pk in (foreign_measure.pk, 999_999):
        for name in ("measure_edit", "measure_delete"):
            assert client.get(_url(name, pk)).status_code == 404
            assert client.post(_url(name, pk)).status_code == 404
    assert DisseminationPlan.objects.filter(pk=other_plan.pk).exists()
    assert Measure.objects.filter(pk=foreign_measure.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, plan: DisseminationPlan) -> None:
    response = client.get(_url("plan_detail", plan.pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- Plans --------------------------------------------------------------------------------------------------


def test_the_coordinator_creates_a_plan(client: Client, alice: User, network: Network) -> None:
    login(client, alice)
    response = client.post(
        _url("plan_create"),
        {
            "title": "Kompetansespredningsplan",
            "start_year": "2024",
            "end_year": "2034",
            "introduction": "Om planen",
        },
    )
    plan = DisseminationPlan.objects.get(network=network)
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", plan.pk)
    assert (plan.title, plan.start_year, plan.end_year, plan.introduction) == (
        "Kompetansespredningsplan",
        2024,
        2034,
        "Om planen",
    )
    assert AuditEntry.objects.filter(action="plans.plan_created", target_id=str(plan.pk)).exists()


def test_it_refuses_a_plan_that_ends_before_it_starts(client: Client, alice: User) -> None:
    login(client, alice)
    response = client.post(_url("plan_create"), {"title": "Plan", "start_year": "2024", "end_year": "2020"})
    assert response.status_code == 200
    assert nb("“To year” cannot be before “From year”.") in html.unescape(response.content.decode())
    assert not DisseminationPlan.objects.exists()


def test_it_refuses_a_plan_year_outside_1950_to_2100(client: Client, alice: User) -> None:
    login(client, alice)
    response = client.post(_url("plan_create"), {"title": "Plan", "start_year": "1949", "end_year": "2101"})
    content = html.unescape(response.content.decode())
    assert nb("“From year” must be a year from 1950 to 2100.") in content
    assert nb("“To year” must be a year from 1950 to 2100.") in content
    assert not DisseminationPlan.objects.exists()


def test_the_coordinator_edits_a_plan_and_the_audit_names_the_fields(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    login(client, alice)
    response = client.post(
        _url("plan_edit", plan.pk),
        {"title": "Ny tittel", "start_year": "2024", "end_year": "2030", "introduction": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.end_year) == ("Ny tittel", 2030)
    entry = AuditEntry.objects.get(action="plans.plan_updated")
    assert sorted(entry.fields) == ["end_year", "title"]


def test_deleting_a_plan_asks_first_then_deletes_it_with_its_measures(
    client: Client, alice: User, plan: DisseminationPlan, measure: Measure
) -> None:
    login(client, alice)
    confirm = page(client, _url("plan_delete", plan.pk))
    assert plan.title in confirm
    assert DisseminationPlan.objects.filter(pk=plan.pk).exists()
    response = client.post(_url("plan_delete", plan.pk))
    assert response["Location"] == reverse("plans:overview", args=["barnepalliasjon"])
    assert not DisseminationPlan.objects.exists()
    assert not Measure.objects.exists()
    assert AuditEntry.objects.filter(action="plans.plan_deleted").count() == 1


# --- The plan's page ----------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_plan_renders_as_the_seeds_table(
    client: Client, rolf: User, network: Network, plan: DisseminationPlan
) -> None:
    info = make_measure(
        plan,
        title="Informasjon om tjenesten",
        category_code="informasjon",
        target_groups=("H", "P", "B"),
        means="Egen nettside\nInformasjonsfolder",
        ongoing=True,
        timeframe_note="samt årlig gjennomgang",
        position=1,
    )
    make_measure(
        plan,
        title="Etablere regionale fagnettverk",
        priority_area=True,
        is_new=True,
        from_year=2024,
        to_year=2034,
        per_year_min=2,
        per_year_max=4,
        activity_kinds=[ActivityKind.GATHERING],
        position=2,
    )
    for day in (dt.date(2024, 2, 1), dt.date(2024, 5, 1), dt.date(2024, 10, 1), dt.date(2023, 10, 1)):
        make_activity(network, day)
    MeasureYear.objects.create(
        measure=info, year=2024, status=MeasureStatus.ONGOING, comment="Nettsiden er fornyet"
    )
    login(client, rolf)
    content = page(client, _url("plan_detail", plan.pk))
    assert "Kompetansespredningsplan 2024–2034" in content
    assert '<th scope="rowgroup" colspan="6">Informasjon om tjenesten</th>' in content
    assert '<th scope="rowgroup" colspan="6">Nettverksarbeid</th>' in content
    assert content.index("Informasjon om tjenesten</th>") < content.index("Nettverksarbeid</th>")
    assert '<abbr title="Pasienter og pårørende">P</abbr>' in content
    assert "<li>Egen nettside</li><li>Informasjonsfolder</li>" in content
    assert nb("Continuous") + " (samt årlig gjennomgang)" in content
    assert nb("PRIORITY AREA") in content
    assert nb("New (measure)") in content
    assert str(MeasureStatus.ONGOING.label) in content or nb("Ongoing") in content
    assert "Nettsiden er fornyet" in content
    # Three gatherings in 2024 count, the one in 2023 does not.
    expected = (
        nb("%(count)s in %(year)s", count=3, year=2024)
        + " ("
        + nb("target %(min)s–%(max)s a year", min=2, max=4)
        + ")"
    )
    assert expected in content
    assert (
        "*"
        + nb("Target groups:")
        + " Pasienter og pårørende (P), Helsepersonell og andre faggrupper (H), Befolkningen (B)"
        in content
    )
    # Rolf reads: no links to change anything.
    assert _url("measure_edit", info.pk) not in content
    assert _url("plan_year", plan.pk, 2024) not in content


@time_machine.travel(NOW, tick=False)
def test_the_coordinator_sees_the_links_to_change_the_plan(
    client: Client, alice: User, plan: DisseminationPlan, measure: Measure
) -> None:
    login(client, alice)
    content = page(client, _url("plan_detail", plan.pk))
    for url in (
        _url("measure_edit", measure.pk),
        _url("measure_delete", measure.pk),
        _url("plan_year", plan.pk, 2024),
        _url("measure_create", plan.pk),
        _url("plan_import", plan.pk),
    ):
        assert url in content


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("asked", "shown"),
    [("2026", 2026), ("", 2024), ("abc", 2024), ("²⁰²⁵", 2024), ("2040", 2024), ("1800", 2024)],
)
def test_the_year_is_one_of_the_plans_years_or_this_year(
    client: Client, rolf: User, plan: DisseminationPlan, measure: Measure, asked: str, shown: int
) -> None:
    login(client, rolf)
    content = page(client, _url("plan_detail", plan.pk) + f"?aar={asked}")
    assert f'<option value="{shown}" selected>' in content


@time_machine.travel(dt.datetime(2040, 1, 1, tzinfo=dt.UTC), tick=False)
def test_after_the_plan_ended_its_last_year_is_shown(
    client: Client, rolf: User, plan: DisseminationPlan
) -> None:
    login(client, rolf)
    assert '<option value="2034" selected>' in page(client, _url("plan_detail", plan.pk))


def test_the_plan_page_runs_the_same_number_of_queries_for_3_and_30_measures(
    client: Client, rolf: User, network: Network
) -> None:
    login(client, rolf)

    def build(count: int) -> DisseminationPlan:
        built = make_plan(network, title=f"Plan {count}")
        for number in range(count):
            made = make_measure(
                built, title=f"Tiltak {number}", category_code=("informasjon", "nettverksarbeid")[number % 2]
            )
            made.activities.add(make_activity(network, dt.date(2024, 3, 1), title=f"A{number}"))
            MeasureYear.objects.create(measure=made, year=2024, status=MeasureStatus.DONE)
        return built

    small, large = build(3), build(30)
    assert count_queries(lambda: client.get(_url("plan_detail", small.pk) + "?aar=2024")) == count_queries(
        lambda: client.get(_url("plan_detail", large.pk) + "?aar=2024")
    )


# --- Measures -----------------------------------------------------------------------------------------------


def _measure_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": str(category("nettverksarbeid").pk),
        "title": "Regelmessige nettverksmøter",
        "target_groups": [str(group.pk) for group in groups("H", "P")],
        "means": "Opprette lokale nettverk\n\n  Nettverksmøter  \n",
        "from_year": "2024",
        "to_year": "2034",
        "timeframe_note": "",
        "per_year_min": "2",
        "per_year_max": "4",
        "position": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_coordinator_adds_a_measure_with_its_activities_and_kinds(
    client: Client, alice: User, network: Network, plan: DisseminationPlan
) -> None:
    gathering = make_activity(network, dt.date(2024, 3, 1))
    login(client, alice)
    form = page(client, _url("measure_create", plan.pk))
    assert f"01.03.2024 – {gathering.title}" in form
    response = client.post(
        _url("measure_create", plan.pk),
        _measure_post(
            activities=[str(gathering.pk)],
            activity_kinds=[ActivityKind.GATHERING, ActivityKind.STUDY_DAY],
            priority_area="on",
            is_new="on",
        ),
    )
    assert response.status_code == 302
    made = Measure.objects.get(plan=plan)
    assert made.means == "Opprette lokale nettverk\nNettverksmøter"
    assert {group.code for group in made.target_groups.all()} == {"H", "P"}
    assert list(made.activities.all()) == [gathering]
    assert made.activity_kinds == [ActivityKind.GATHERING, ActivityKind.STUDY_DAY]
    assert (made.priority_area, made.is_new, made.per_year_min, made.per_year_max) == (True, True, 2, 4)
    assert AuditEntry.objects.filter(action="plans.measure_created", target_id=str(made.pk)).exists()


def test_a_new_measure_without_a_position_comes_last(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    make_measure(plan, title="Første", position=5)
    login(client, alice)
    client.post(_url("measure_create", plan.pk), _measure_post(title="Andre"))
    assert Measure.objects.get(title="Andre").position == 6


@pytest.mark.parametrize(
    ("overrides", "field", "message", "params"),
    [
        ({"from_year": "2030", "to_year": "2024"}, "to_year", "“To year” cannot be before “From year”.", {}),
        ({"from_year": "1949"}, "from_year", "“From year” must be a year from 1950 to 2100.", {}),
        ({"to_year": "2101"}, "to_year", "“To year” must be a year from 1950 to 2100.", {}),
        ({"to_year": "tjue"}, "to_year", "“To year” must be a year from 1950 to 2100.", {}),
        (
            {"per_year_min": "-1"},
            "per_year_min",
            "“At least per year” must be a whole number from 0 to 999.",
            {},
        ),
        (
            {"ongoing": "on", "to_year": "2030"},
            "to_year",
            "An ongoing measure has no “To year”: leave it empty, or untick “Ongoing”.",
            {},
        ),
        (
            {"per_year_min": "5", "per_year_max": "2"},
            "per_year_max",
            "“At most per year” cannot be less than “At least per year”.",
            {},
        ),
        ({"title": ""}, "title", "Write what the measure is.", {}),
        ({"category": ""}, "category", "Choose a category.", {}),
    ],
)
def test_it_refuses_a_measure_with_a_message_naming_the_field(
    client: Client,
    alice: User,
    plan: DisseminationPlan,
    overrides: dict[str, str],
    field: str,
    message: str,
    params: dict[str, Any],
) -> None:
    login(client, alice)
    response = client.post(_url("measure_create", plan.pk), _measure_post(**overrides))
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert re.search(rf'id="id_{field}_error"[^>]*>{re.escape(nb(message, **params))}', content), content[
        :3000
    ]
    assert not Measure.objects.exists()


def test_it_refuses_another_networks_activity_and_category(
    client: Client, alice: User, plan: DisseminationPlan, other_network: Network
) -> None:
    foreign_activity = make_activity(other_network, dt.date(2024, 3, 1))
    foreign_category = MeasureCategory.objects.create(network=other_network, code="fremmed", name="Fremmed")
    login(client, alice)
    response = client.post(
        _url("measure_create", plan.pk),
        _measure_post(activities=[str(foreign_activity.pk)], category=str(foreign_category.pk)),
    )
    content = html.unescape(response.content.decode())
    assert nb("“Activities” can only be activities of this network.") in content
    assert nb("“Category” must be one of this network's categories.") in content
    assert not Measure.objects.exists()


def test_the_coordinator_edits_a_measure(
    client: Client, alice: User, plan: DisseminationPlan, measure: Measure
) -> None:
    login(client, alice)
    form = page(client, _url("measure_edit", measure.pk))
    assert "Nettverksmøter" in form
    response = client.post(
        _url("measure_edit", measure.pk),
        _measure_post(
            title="Nettverksmøter", ongoing="on", to_year="", target_groups=[str(groups("R")[0].pk)]
        ),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.ongoing and measure.to_year is None
    assert [group.code for group in measure.target_groups.all()] == ["R"]
    entry = AuditEntry.objects.get(action="plans.measure_updated")
    assert {"ongoing", "from_year", "target_groups", "means"} <= set(entry.fields)


def test_deleting_a_measure_asks_first(
    client: Client, alice: User, plan: DisseminationPlan, measure: Measure
) -> None:
    login(client, alice)
    assert measure.title in page(client, _url("measure_delete", measure.pk))
    assert Measure.objects.exists()
    response = client.post(_url("measure_delete", measure.pk))
    assert response["Location"] == _url("plan_detail", plan.pk)
    assert not Measure.objects.exists()
    assert AuditEntry.objects.filter(action="plans.measure_deleted").count() == 1


# --- Status per year ----------------------------------------------------------------------------------------


@pytest.fixture
def year_measures(plan: DisseminationPlan) -> tuple[Measure, Measure, Measure]:
    now = make_measure(plan, title="Nettverksmøter", from_year=2024, to_year=2026)
    later = make_measure(
        plan, title="Kvalitetsregister", category_code="kvalitetsregister", from_year=2026, to_year=2034
    )
    ongoing = make_measure(plan, title="Veiledning", category_code="radgivning", ongoing=True, from_year=2021)
    return now, later, ongoing


def test_the_year_form_lists_only_the_measures_of_that_year(
    client: Client, alice: User, plan: DisseminationPlan, year_measures: tuple[Measure, Measure, Measure]
) -> None:
    now, later, ongoing = year_measures
    login(client, alice)
    content = page(client, _url("plan_year", plan.pk, 2024))
    assert f'name="status_{now.pk}"' in content
    assert f'name="status_{ongoing.pk}"' in content
    assert f'name="status_{later.pk}"' not in content


def test_the_coordinator_saves_the_years_statuses_audited_once_per_changed_measure(
    client: Client, alice: User, plan: DisseminationPlan, year_measures: tuple[Measure, Measure, Measure]
) -> None:
    now, _later, ongoing = year_measures
    login(client, alice)
    response = client.post(
        _url("plan_year", plan.pk, 2024),
        {
            f"status_{now.pk}": MeasureStatus.DONE,
            f"comment_{now.pk}": "Tre møter",
            f"status_{ongoing.pk}": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", plan.pk) + "?aar=2024"
    stored = MeasureYear.objects.get(measure=now, year=2024)
    assert (stored.status, stored.comment) == (MeasureStatus.DONE, "Tre møter")
    assert not MeasureYear.objects.filter(measure=ongoing).exists()
    assert AuditEntry.objects.filter(action="plans.measure_year_set").count() == 1
    # The same again changes nothing and audits nothing; clearing a status removes it.
    client.post(
        _url("plan_year", plan.pk, 2024),
        {f"status_{now.pk}": MeasureStatus.DONE, f"comment_{now.pk}": "Tre møter"},
    )
    assert AuditEntry.objects.filter(action__startswith="plans.measure_year").count() == 1
    client.post(_url("plan_year", plan.pk, 2024), {f"status_{now.pk}": ""})
    assert not MeasureYear.objects.exists()
    assert AuditEntry.objects.filter(action="plans.measure_year_cleared").count() == 1


def test_the_year_form_saves_all_or_nothing(
    client: Client, alice: User, plan: DisseminationPlan, year_measures: tuple[Measure, Measure, Measure]
) -> None:
    now, _later, ongoing = year_measures
    login(client, alice)
    response = client.post(
        _url("plan_year", plan.pk, 2024),
        {
            f"status_{now.pk}": MeasureStatus.DONE,
            f"status_{ongoing.pk}": "",
            f"comment_{ongoing.pk}": "Uten status",
        },
    )
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert nb("Choose a status for “%(measure)s” to save its comment.", measure="Veiledning") in content
    assert not MeasureYear.objects.exists()
    response = client.post(_url("plan_year", plan.pk, 2024), {f"status_{now.pk}": "tull"})
    assert nb("Choose a status from the list.") in html.unescape(response.content.decode())
    assert not MeasureYear.objects.exists()


def test_a_year_outside_the_plans_period_answers_404(
    client: Client, alice: User, plan: DisseminationPlan
) -> None:
    login(client, alice)
    assert client.get(_url("plan_year", plan.pk, 2023)).status_code == 404
    assert client.get(_url("plan_year", plan.pk, 2035)).status_code == 404
    assert client.post(_url("plan_year", plan.pk, 2035)).status_code == 404


# --- Categories and target groups ---------------------------------------------------------------------------


def test_the_vocabulary_lists_built_in_and_own_entries_but_not_other_networks(
    client: Client, carl: User, network: Network, other_network: Network
) -> None:
    TargetGroup.objects.create(network=network, code="LIS", name="LIS-leger")
    TargetGroup.objects.create(network=other_network, code="BERGEN", name="Bergensgruppe")
    login(client, carl)
    content = page(client, _url("vocabulary"))
    assert "Kvalitetsregister" in content
    assert "Referansegruppen" in content
    assert "LIS-leger" in content
    assert "Bergensgruppe" not in content
    assert 'name="action"' not in content  # carl reads only


def test_the_coordinator_adds_a_category_and_a_target_group(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    client.post(
        _url("vocabulary"),
        {"action": "add_category", "category-code": "lis", "category-name": "LIS-utdanning"},
    )
    client.post(_url("vocabulary"), {"action": "add_group", "group-code": "LIS", "group-name": "LIS-leger"})
    assert MeasureCategory.objects.get(network=network).name == "LIS-utdanning"
    assert TargetGroup.objects.get(network=network).code == "LIS"
    assert (
        AuditEntry.objects.filter(action__in=["plans.category_created", "plans.target_group_created"]).count()
        == 2
    )


def test_it_refuses_a_code_already_in_use(client: Client, alice: User, network: Network) -> None:
    login(client, alice)
    response = client.post(
        _url("vocabulary"), {"action": "add_group", "group-code": "p", "group-name": "Pasienter"}
    )
    assert nb("The code “%(code)s” is already in use.", code="p") in html.unescape(response.content.decode())
    assert not TargetGroup.objects.filter(network=network).exists()


def test_the_coordinator_deletes_an_unused_own_entry_but_not_a_used_or_built_in_one(
    client: Client, alice: User, network: Network, plan: DisseminationPlan
) -> None:
    unused = TargetGroup.objects.create(network=network, code="LIS", name="LIS-leger")
    used = MeasureCategory.objects.create(network=network, code="egen", name="Egen kategori")
    Measure.objects.create(plan=plan, category=used, title="Tiltak")
    login(client, alice)
    response = client.post(_url("vocabulary"), {"action": "delete_group", "pk": str(unused.pk)})
    assert response.status_code == 302
    assert not TargetGroup.objects.filter(pk=unused.pk).exists()
    response = client.post(_url("vocabulary"), {"action": "delete_category", "pk": str(used.pk)})
    assert response.status_code == 200
    assert nb(
        "The category “%(name)s” is in use (measures: %(count)s) and cannot be deleted.",
        name="Egen kategori",
        count=1,
    ) in html.unescape(response.content.decode())
    assert MeasureCategory.objects.filter(pk=used.pk).exists()
    built_in = category("annet")
    assert (
        client.post(_url("vocabulary"), {"action": "delete_category", "pk": str(built_in.pk)}).status_code
        == 404
    )
    assert MeasureCategory.objects.filter(pk=built_in.pk).exists()


def test_another_networks_entry_cannot_be_deleted(
    client: Client, alice: User, other_network: Network
) -> None:
    foreign = TargetGroup.objects.create(network=other_network, code="X", name="Fremmed")
    login(client, alice)
    assert (
        client.post(_url("vocabulary"), {"action": "delete_group", "pk": str(foreign.pk)}).status_code == 404
    )
    assert client.post(_url("vocabulary"), {"action": "delete_group", "pk": "abc"}).status_code == 404
    assert client.post(_url("vocabulary"), {"action": "tull"}).status_code == 404
    assert TargetGroup.objects.filter(pk=foreign.pk).exists()

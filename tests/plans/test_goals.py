"""Goals (seed 001): the page with its tree and results table, who may read and change it, the forms' rules,
the yearly assessments, the exports and the facts the CLI and the annual report read."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.core.years import year_param
from fagnett.networks.models import Network
from fagnett.plans import goal_services
from fagnett.plans.goal_queries import action_letter, goals_year_facts
from fagnett.plans.models import GoalAction, MainGoal, SubGoal, SubGoalAssessment
from tests.conftest import login
from tests.helpers import count_queries, nb, needs_pdftotext, pdf_text

SLUG = "barnepalliasjon"
YEAR = 2024
NOW = dt.datetime(2024, 11, 15, 12, 0, tzinfo=dt.UTC)

READERS = ("alice", "carl", "rolf")
READ_ONLY = ("carl", "rolf")
OUTSIDERS = ("rita", "lena", "charlie", "nobody")

# Seed 001's tree: sub-goals "1", "2,3,4", "5", "6", "7", their actions, and the results
# Ja/Ja/Ja/Delvis/Delvis.
MAIN_GOAL = "Å legge til rette for best mulig livskvalitet for barn med palliative behov og deres familier"
SEED_TREE: list[tuple[str, str, list[str], str]] = [
    (
        "1",
        "Tydeliggjøre og utvikle kommunens rolle i barnepalliasjon",
        [
            "Arbeide aktivt med barnepalliasjons modell.",
            "Identifisere forbedringsområder i tjenestetilbudet for barnepalliasjon.",
            "Utvikle systemer og prosedyrer.",
        ],
        "ja",
    ),
    (
        "2,3,4",
        "Utvikle et godt tjenestetilbud for barn med palliative behov",
        [
            "Videreutvikling av barnepalliasjon ved Madla avlastningsbolig.",
            "Ta utgangspunkt i pasienten og pårørendes erfaringer.",
            "Utvikle barnepalliasjon hjemme.",
            "Styrke kommunikasjon og samhandling innad i kommunen.",
            "Lage individualiserte palliative planer.",
        ],
        "ja",
    ),
    (
        "5",
        "Tydeliggjøre KPT's rolle i barnepalliasjon",
        [
            "Få erfaring med praktisk bistand.",
            "Veiledning av personalet.",
            "Samarbeid med barnepalliativt team.",
        ],
        "ja",
    ),
    (
        "6",
        "Øke kompetanse i barnepalliasjon hos involvert personal og i KPT",
        [
            "Styrke observasjons- og handlingskompetanse.",
            "Utarbeide kompetansehjul.",
            "Etablere ressursgruppe.",
            "Veiledning av personalet.",
            "Gjennomføre videreutdanning i barnepalliasjon ved Oslomet.",
            "Fagdag for personell ved Madla avlastningsbolig.",
            "Opprette og drifte Tverrfaglig nettverk i barnepalliasjon.",
            "Øke kompetanse hos personell i barnebolig.",
            "Fagdag for personell i barnehage og skole",
        ],
        "delvis",
    ),
    (
        "7",
        "Videreutvikle samarbeid med spesialisthelsetjenesten",
        [
            "Utarbeide systemer for god informasjonsutveksling.",
            "Lage systemer for å sikre gode overganger.",
            "Veiledning og kompetanseøkning",
            "Integrere barnepalliasjon i pasientforløp i palliasjon.",
        ],
        "delvis",
    ),
]


def build_seed_tree(network: Network, year: int = YEAR, assessed: bool = True) -> MainGoal:
    goal = MainGoal.objects.create(network=network, text=MAIN_GOAL, start_year=2022, end_year=2024)
    for position, (label, description, actions, achievement) in enumerate(SEED_TREE):
        sub_goal = SubGoal.objects.create(
            main_goal=goal, label=label, description=description, position=position
        )
        for index, text in enumerate(actions):
            # "I. Fagdag for personell i barnehage og skole (nytt tiltak i 2024)."
            new_in_year = 2024 if text.startswith("Fagdag for personell i barnehage") else None
            GoalAction.objects.create(sub_goal=sub_goal, text=text, new_in_year=new_in_year, position=index)
        if assessed:
            SubGoalAssessment.objects.create(
                sub_goal=sub_goal, year=year, achievement=achievement, narrative=f"Vurdering av {label}"
            )
    return goal


def url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[SLUG, *args])


def as_user(client: Client, request: pytest.FixtureRequest, name: str) -> User:
    user: User = request.getfixturevalue(name)
    login(client, user)
    return user


def results_rows(html: str) -> list[list[str]]:
    """The body rows of the results table, each cell's text with white space collapsed."""
    table = html.split('class="ds-table fn-goal-table"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return rows


@pytest.fixture
def goal(network: Network) -> MainGoal:
    return build_seed_tree(network)


@pytest.fixture
def other_goal(other_network: Network) -> MainGoal:
    return build_seed_tree(other_network)


# The page ---------------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("persona", READERS)
def test_coordinators_and_readers_see_the_goals_page(
    client: Client, request: pytest.FixtureRequest, goal: MainGoal, persona: str
) -> None:
    as_user(client, request, persona)
    response = client.get(url("goals"))
    assert response.status_code == 200
    content = response.content.decode()
    assert MAIN_GOAL in content
    assert nb("Sub-goal achieved?") in content
    edit_link = url("main_goal_edit", goal.pk)
    assert (edit_link in content) is (persona == "alice")


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_the_goals_page(
    client: Client, request: pytest.FixtureRequest, goal: MainGoal, persona: str
) -> None:
    as_user(client, request, persona)
    assert client.get(url("goals")).status_code == 404
    assert client.get(url("goals_export", goal.pk, "xlsx")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: Client, goal: MainGoal) -> None:
    response = client.get(url("goals"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_renders_seed_001s_results_table(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    content = client.get(url("goals") + f"?aar={YEAR}").content.decode()
    for header in ("Sub-goal", "Description", "Measures", "Sub-goal achieved?"):
        assert f'<th scope="col">{nb(header)}</th>' in content
    rows = results_rows(content)
    assert [row[0] for row in rows] == ["1", "2,3,4", "5", "6", "7"]
    assert [row[3].split()[0] for row in rows] == [
        nb("Yes"),
        nb("Yes"),
        nb("Yes"),
        nb("Partly"),
        nb("Partly"),
    ]
    assert rows[0][1] == SEED_TREE[0][1]
    assert rows[0][2] == (
        "A. Arbeide aktivt med barnepalliasjons modell. "
        "B. Identifisere forbedringsområder i tjenestetilbudet for barnepalliasjon. "
        "C. Utvikle systemer og prosedyrer."
    )
    assert rows[3][2].startswith("A. Styrke observasjons- og handlingskompetanse.")
    assert (
        "I. Fagdag for personell i barnehage og skole " + nb("(new action in %(year)s)", year=2024)
        in rows[3][2]
    )
    assert rows[1][2].count(". ") >= 5 and "E. Lage individualiserte palliative planer." in rows[1][2]
    assert rows[4][3] == f"{nb('Partly')} Vurdering av 7"


def test_a_year_without_assessments_says_not_assessed(client: Client, rolf: User, goal: MainGoal) -> None:
    login(client, rolf)
    content = client.get(url("goals") + "?aar=2023").content.decode()
    rows = results_rows(content)
    assert len(rows) == 5
    assert all(row[3] == nb("Not assessed") for row in rows)


def test_a_main_goal_outside_the_year_is_listed_apart(client: Client, rolf: User, goal: MainGoal) -> None:
    login(client, rolf)
    content = client.get(url("goals") + "?aar=2030").content.decode()
    assert 'class="ds-table fn-goal-table"' not in content
    assert nb("No main goal applies in %(year)s.", year=2030) in content
    assert f"{url('goals')}?aar=2024" in content


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("value", ["abc", "20244", "1800", "²⁰²⁴", ""])
def test_a_bad_year_falls_back_to_this_year(client: Client, rolf: User, goal: MainGoal, value: str) -> None:
    login(client, rolf)
    response = client.get(url("goals"), {"aar": value})
    assert response.status_code == 200
    assert nb("Goals %(year)s", year=2024) in response.content.decode()


def test_year_param_accepts_only_four_ascii_digits_in_range() -> None:
    today = dt.date(2025, 3, 1)
    assert year_param("2024", today) == 2024
    assert year_param(" 2100 ", today) == 2100
    for value in (None, "", "1949", "2101", "２０２４", "20a4", "-2024"):
        assert year_param(value, today) == 2025


def test_actions_are_lettered_in_order() -> None:
    assert [action_letter(i) for i in (0, 1, 8, 25, 26, 27)] == ["A", "B", "I", "Z", "AA", "AB"]


def test_the_page_query_count_does_not_grow_with_the_goals(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    build_seed_tree(network)
    small = count_queries(lambda: client.get(url("goals") + f"?aar={YEAR}"))
    build_seed_tree(network)
    build_seed_tree(network)
    large = count_queries(lambda: client.get(url("goals") + f"?aar={YEAR}"))
    assert large == small


# Main goals -------------------------------------------------------------------------------------------------


def test_alice_adds_a_main_goal(client: Client, alice: User, network: Network) -> None:
    login(client, alice)
    response = client.post(
        url("main_goal_create") + "?aar=2024",
        {"text": "Bedre livskvalitet", "start_year": "2022", "end_year": "2024", "position": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?aar=2024")
    goal = MainGoal.objects.get(network=network)
    assert (goal.text, goal.start_year, goal.end_year) == ("Bedre livskvalitet", 2022, 2024)
    assert AuditEntry.objects.filter(action="plans.main_goal_created", target_id=str(goal.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": " "}, "text", "Write the main goal."),
        (
            {"text": "Mål", "start_year": "2025", "end_year": "2024"},
            "end_year",
            "To year must be the same as or after from year.",
        ),
        (
            {"text": "Mål", "start_year": "1900"},
            "start_year",
            "From year must be a year from 1950 to 2100, for example 2024.",
        ),
        (
            {"text": "Mål", "end_year": "toåtusen"},
            "end_year",
            "To year must be a year from 1950 to 2100, for example 2026.",
        ),
    ],
)
def test_it_rejects_an_invalid_main_goal(
    client: Client, alice: User, network: Network, data: dict[str, str], field: str, message: str
) -> None:
    login(client, alice)
    response = client.post(url("main_goal_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [nb(message)]
    assert nb(message) in response.content.decode()
    assert not MainGoal.objects.exists()


def test_alice_edits_a_main_goal(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    response = client.post(
        url("main_goal_edit", goal.pk), {"text": "Nytt hovedmål", "start_year": "2022", "end_year": "2025"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.text, goal.end_year) == ("Nytt hovedmål", 2025)
    entry = AuditEntry.objects.get(action="plans.main_goal_updated")
    assert entry.fields == ["end_year", "text"]


def nb_plural(singular: str, plural: str, count: int) -> str:
    from django.utils import translation

    with translation.override("nb"):
        return translation.ngettext(singular, plural, count) % {"count": count}


def test_deleting_a_main_goal_says_how_many_assessments_go(
    client: Client, alice: User, goal: MainGoal
) -> None:
    login(client, alice)
    content = client.get(url("main_goal_delete", goal.pk)).content.decode()
    assert nb("Delete this main goal?") in content
    assert (
        nb_plural(
            "%(count)s yearly assessment (achieved yes, partly or no) is deleted with it.",
            "%(count)s yearly assessments (achieved yes, partly or no) are deleted with it.",
            5,
        )
        in content
    )
    assert MainGoal.objects.filter(pk=goal.pk).exists()
    response = client.post(url("main_goal_delete", goal.pk))
    assert response.status_code == 302
    assert not MainGoal.objects.filter(pk=goal.pk).exists()
    assert not SubGoalAssessment.objects.exists()
    entry = AuditEntry.objects.get(action="plans.main_goal_deleted")
    assert entry.data == {"assessments": 5}


def test_the_delete_page_counts_the_assessments(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    response = client.get(url("main_goal_delete", goal.pk))
    assert response.context["assessments"] == 5
    assert response.context["sub_goals"] == 5
    sub_goal = goal.sub_goals.get(label="6")
    response = client.get(url("sub_goal_delete", sub_goal.pk))
    assert response.context["assessments"] == 1
    assert response.context["actions"] == 9


# Sub-goals and actions --------------------------------------------------------------------------------------


def test_alice_adds_a_sub_goal_last(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    response = client.post(url("sub_goal_create", goal.pk), {"label": "8, 9", "description": "Nytt delmål"})
    assert response.status_code == 302
    sub_goal = SubGoal.objects.get(main_goal=goal, label="8, 9")
    assert sub_goal.position == 5
    assert AuditEntry.objects.filter(action="plans.sub_goal_created").count() == 1


@pytest.mark.parametrize(
    ("label", "ok"),
    [("1", True), ("2,3,4", True), ("2-4", True), ("1 ,2", True), ("a", False), ("1.", False)],
)
def test_a_sub_goal_label_holds_digits_commas_hyphens_and_spaces(
    client: Client, alice: User, goal: MainGoal, label: str, ok: bool
) -> None:
    login(client, alice)
    response = client.post(url("sub_goal_create", goal.pk), {"label": label, "description": "Beskrivelse"})
    assert (response.status_code == 302) is ok
    if not ok:
        message = response.context["form"].errors["label"][0]
        assert message.startswith(
            nb(
                "The sub-goal's number may hold only digits, commas, hyphens and spaces, "
                "for example 1 or 2,3,4 (at most %(max)s characters)."
            )[:30]
        )


def test_a_sub_goal_needs_a_description(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    response = client.post(url("sub_goal_create", goal.pk), {"label": "8", "description": ""})
    assert response.context["form"].errors["description"] == [nb("Write the sub-goal's description.")]
    assert not SubGoal.objects.filter(label="8").exists()


def test_alice_edits_and_deletes_a_sub_goal(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    sub_goal = goal.sub_goals.get(label="5")
    response = client.post(
        url("sub_goal_edit", sub_goal.pk), {"label": "5", "description": "Ny tekst", "position": "9"}
    )
    assert response.status_code == 302
    sub_goal.refresh_from_db()
    assert (sub_goal.description, sub_goal.position) == ("Ny tekst", 9)
    assert client.post(url("sub_goal_delete", sub_goal.pk)).status_code == 302
    assert not SubGoal.objects.filter(pk=sub_goal.pk).exists()
    assert SubGoalAssessment.objects.count() == 4


def test_alice_adds_edits_and_deletes_an_action(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    sub_goal = goal.sub_goals.get(label="1")
    response = client.post(url("action_create", sub_goal.pk), {"text": "Nytt tiltak", "new_in_year": "2024"})
    assert response.status_code == 302
    action = sub_goal.actions.get(text="Nytt tiltak")
    assert (action.position, action.new_in_year) == (3, 2024)
    content = client.get(url("goals") + "?aar=2024").content.decode()
    assert "D. Nytt tiltak " + nb("(new action in %(year)s)", year=2024) in content
    response = client.post(url("action_edit", action.pk), {"text": "Endret tiltak", "new_in_year": ""})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.text, action.new_in_year) == ("Endret tiltak", None)
    assert client.post(url("action_delete", action.pk)).status_code == 302
    assert not GoalAction.objects.filter(pk=action.pk).exists()
    actions = set(
        AuditEntry.objects.filter(action__startswith="plans.goal_action").values_list("action", flat=True)
    )
    assert actions == {"plans.goal_action_created", "plans.goal_action_updated", "plans.goal_action_deleted"}


def test_an_action_needs_text_and_a_real_year(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    sub_goal = goal.sub_goals.get(label="1")
    response = client.post(url("action_create", sub_goal.pk), {"text": "", "new_in_year": "3000"})
    errors = response.context["form"].errors
    assert errors["text"] == [nb("Write the action.")]
    assert errors["new_in_year"] == [nb("New in year must be a year from 1950 to 2100, for example 2024.")]
    assert sub_goal.actions.count() == 3


# Assessments ------------------------------------------------------------------------------------------------


def assessment_post(goal: MainGoal, values: dict[str, tuple[str, str]]) -> dict[str, str]:
    data = {}
    for sub_goal in goal.sub_goals.all():
        achievement, narrative = values.get(sub_goal.label, ("", ""))
        data[f"achievement_{sub_goal.pk}"] = achievement
        data[f"narrative_{sub_goal.pk}"] = narrative
    return data


def test_alice_assesses_every_sub_goal_at_once(client: Client, alice: User, network: Network) -> None:
    goal = build_seed_tree(network, assessed=False)
    login(client, alice)
    response = client.get(url("assessment_edit", goal.pk, 2023))
    assert response.status_code == 200
    assert (
        nb("Sub-goal %(label)s achieved in %(year)s?", label="2,3,4", year=2023) in response.content.decode()
    )
    values = {label: (achievement, f"Om {label}") for label, _, _, achievement in SEED_TREE}
    response = client.post(url("assessment_edit", goal.pk, 2023), assessment_post(goal, values))
    assert response.status_code == 302
    assert response["Location"].endswith("?aar=2023")
    facts = goals_year_facts(network, 2023)[0]
    assert [sub["achievement"] for sub in facts["sub_goals"]] == ["ja", "ja", "ja", "delvis", "delvis"]
    assert AuditEntry.objects.filter(action="plans.assessment_created").count() == 5


def test_a_blank_achievement_removes_the_years_assessment(
    client: Client, alice: User, goal: MainGoal
) -> None:
    login(client, alice)
    values = {label: (achievement, "") for label, _, _, achievement in SEED_TREE if label != "7"}
    values["1"] = ("nei", "Ikke nådd")
    response = client.post(url("assessment_edit", goal.pk, YEAR), assessment_post(goal, values))
    assert response.status_code == 302
    by_label = {a.sub_goal.label: a for a in SubGoalAssessment.objects.select_related("sub_goal")}
    assert "7" not in by_label
    assert (by_label["1"].achievement, by_label["1"].narrative) == ("nei", "Ikke nådd")
    assert AuditEntry.objects.filter(action="plans.assessment_removed").count() == 1


def test_assessments_are_all_or_nothing(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    values = {label: ("nei", "") for label, _, _, _ in SEED_TREE}
    values["5"] = ("", "En kommentar uten vurdering")
    response = client.post(url("assessment_edit", goal.pk, YEAR), assessment_post(goal, values))
    assert response.status_code == 200
    sub_goal = goal.sub_goals.get(label="5")
    message = nb("Choose whether sub-goal %(label)s was achieved, or empty its comment.", label="5")
    assert response.context["form"].errors[f"achievement_{sub_goal.pk}"] == [message]
    assert not SubGoalAssessment.objects.filter(achievement="nei").exists()


def test_an_unknown_achievement_is_refused(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    values = {label: (achievement, "") for label, _, _, achievement in SEED_TREE}
    values["1"] = ("kanskje", "")
    response = client.post(url("assessment_edit", goal.pk, YEAR), assessment_post(goal, values))
    assert response.status_code == 200
    assert SubGoalAssessment.objects.filter(sub_goal__label="1").get().achievement == "ja"


def test_an_assessment_year_out_of_range_is_404(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    assert client.get(url("assessment_edit", goal.pk, 1900)).status_code == 404


# Write access -----------------------------------------------------------------------------------------------


def write_requests(goal: MainGoal) -> list[tuple[str, dict[str, str]]]:
    sub_goal = goal.sub_goals.get(label="1")
    action = sub_goal.actions.first()
    assert action is not None
    return [
        (url("main_goal_create"), {"text": "Nytt"}),
        (url("main_goal_edit", goal.pk), {"text": "Endret"}),
        (url("main_goal_delete", goal.pk), {}),
        (url("sub_goal_create", goal.pk), {"label": "9", "description": "Nytt"}),
        (url("sub_goal_edit", sub_goal.pk), {"label": "9", "description": "Endret"}),
        (url("sub_goal_delete", sub_goal.pk), {}),
        (url("action_create", sub_goal.pk), {"text": "Nytt"}),
        (url("action_edit", action.pk), {"text": "Endret"}),
        (url("action_delete", action.pk), {}),
        (url("assessment_edit", goal.pk, YEAR), assessment_post(goal, {})),
    ]


def snapshot() -> tuple[Any, ...]:
    return (
        list(MainGoal.objects.values_list("pk", "text")),
        list(SubGoal.objects.values_list("pk", "label", "description")),
        list(GoalAction.objects.values_list("pk", "text")),
        list(SubGoalAssessment.objects.values_list("pk", "achievement")),
        AuditEntry.objects.filter(action__startswith="plans.").count(),
    )


@pytest.mark.parametrize("persona", (*READ_ONLY, *OUTSIDERS))
def test_only_the_network_coordinator_may_change_goals(
    client: Client, request: pytest.FixtureRequest, goal: MainGoal, persona: str
) -> None:
    as_user(client, request, persona)
    before = snapshot()
    for path, data in write_requests(goal):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data).status_code == 404, path
    assert snapshot() == before


def test_another_networks_goals_are_404(
    client: Client, alice: User, goal: MainGoal, other_goal: MainGoal
) -> None:
    login(client, alice)
    before = snapshot()
    # Every request but the first (a new main goal, which names no row) points at the other network's rows.
    for path, data in write_requests(other_goal)[1:]:
        assert client.get(path).status_code == 404, path
        assert client.post(path, data).status_code == 404, path
    assert client.get(url("goals_export", other_goal.pk, "xlsx")).status_code == 404
    assert snapshot() == before


def test_alice_sees_every_write_page(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    for path, _ in write_requests(goal):
        response = client.get(path)
        assert response.status_code == 200, path
        assert nb("Back to goals") in response.content.decode()


# Exports ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_the_results_table_exports_to_xlsx(
    client: Client, request: pytest.FixtureRequest, goal: MainGoal, persona: str
) -> None:
    from openpyxl import load_workbook

    as_user(client, request, persona)
    response = client.get(url("goals_export", goal.pk, "xlsx") + f"?aar={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == nb("Main goal: %(goal)s", goal=MAIN_GOAL)
    assert rows[1][:4] == [
        nb("Sub-goal"),
        nb("Description"),
        nb("Measures"),
        nb("Sub-goal achieved in %(year)s?", year=YEAR),
    ]
    assert [row[0] for row in rows[2:]] == ["1", "2,3,4", "5", "6", "7"]
    assert rows[2][2] == (
        "A. Arbeide aktivt med barnepalliasjons modell.\n"
        "B. Identifisere forbedringsområder i tjenestetilbudet for barnepalliasjon.\n"
        "C. Utvikle systemer og prosedyrer."
    )
    assert [row[3] for row in rows[2:]] == [nb("Yes")] * 3 + [nb("Partly")] * 2


@needs_pdftotext
def test_the_results_table_exports_to_pdf(client: Client, rolf: User, goal: MainGoal, tmp_path: Path) -> None:
    login(client, rolf)
    response = client.get(url("goals_export", goal.pk, "pdf") + f"?aar={YEAR}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Arbeide aktivt med barnepalliasjons modell." in text
    assert "2,3,4" in text
    assert nb("Partly") in text


def test_other_export_formats_are_404(client: Client, alice: User, goal: MainGoal) -> None:
    login(client, alice)
    assert client.get(url("goals_export", goal.pk, "csv")).status_code == 404
    assert client.get(url("goals_export", goal.pk, "docx")).status_code == 404


# Facts ------------------------------------------------------------------------------------------------------


def test_goals_year_facts_have_the_agreed_keys(network: Network, goal: MainGoal) -> None:
    facts = goals_year_facts(network, YEAR)
    assert len(facts) == 1
    assert set(facts[0]) == {"main_goal", "sub_goals"}
    assert facts[0]["main_goal"] == MAIN_GOAL
    first = facts[0]["sub_goals"][0]
    assert set(first) == {"label", "description", "actions", "achievement", "achievement_label", "narrative"}
    assert first["actions"][0] == {"letter": "A", "text": SEED_TREE[0][2][0], "new_in_year": None}
    assert [sub["achievement"] for sub in facts[0]["sub_goals"]] == ["ja", "ja", "ja", "delvis", "delvis"]
    assert facts[0]["sub_goals"][3]["actions"][8] == {
        "letter": "I",
        "text": "Fagdag for personell i barnehage og skole",
        "new_in_year": 2024,
    }
    assert first["narrative"] == "Vurdering av 1"


def test_goals_year_facts_without_assessments_say_none(network: Network, goal: MainGoal) -> None:
    sub_goals = goals_year_facts(network, 2023)[0]["sub_goals"]
    assert {(s["achievement"], s["achievement_label"], s["narrative"]) for s in sub_goals} == {
        (None, None, "")
    }


def test_goals_year_facts_keep_to_the_goals_years(network: Network, goal: MainGoal) -> None:
    MainGoal.objects.create(network=network, text="Uten år")
    MainGoal.objects.create(network=network, text="Fra 2025", start_year=2025)
    assert [f["main_goal"] for f in goals_year_facts(network, 2024)] == [MAIN_GOAL, "Uten år"]
    assert [f["main_goal"] for f in goals_year_facts(network, 2026)] == ["Uten år", "Fra 2025"]
    assert [f["main_goal"] for f in goals_year_facts(network, 2021)] == ["Uten år"]


def test_goals_year_facts_run_a_fixed_number_of_queries(network: Network) -> None:
    build_seed_tree(network)
    small = count_queries(lambda: goals_year_facts(network, YEAR))
    build_seed_tree(network)
    build_seed_tree(network)
    assert count_queries(lambda: goals_year_facts(network, YEAR)) == small == 4


def test_services_refuse_invalid_data_without_a_form(network: Network, alice: User) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        goal_services.create_main_goal(
            network, goal_services.MainGoalData("x", start_year=2030, end_year=2020), actor=alice
        )
    assert "end_year" in caught.value.message_dict
    assert not MainGoal.objects.exists()

"""The plan editor: versions of the network's competence plan and their requirements
(competence/views/plan.py, competence/plan_services.py). Reading needs Need.AGGREGATES, changing
Need.COORDINATE."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.activities.models import ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.competence.engine import network_status
from fagnett.competence.models import CompetencePlan, Requirement, RequirementKind
from fagnett.competence.plan_services import (
    PlanData,
    RequirementData,
    create_plan_version,
    create_requirement,
)
from fagnett.competence.queries import describe_requirement
from fagnett.networks.models import Network
from fagnett.plans.models import LearningResource, ResourceKind
from tests.competence.helpers import attend, resource_person
from tests.conftest import login
from tests.helpers import nb

pytestmark = pytest.mark.django_db

SLUG = "barnepalliasjon"
READERS = ["alice", "carl", "rolf"]
NOT_READERS = ["rita", "lena", "charlie", "nobody"]
NOT_EDITORS = ["carl", "rolf", "rita", "lena", "charlie", "nobody"]


@pytest.fixture(autouse=True)
def _on_the_day() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def default_plan(network: Network) -> CompetencePlan:
    return CompetencePlan.objects.get(network=network, valid_from=dt.date(1901, 1, 1))


def requirement(network: Network, code: str) -> Requirement:
    return Requirement.objects.get(plan=default_plan(network), code=code)


def page_urls(network: Network) -> dict[str, str]:
    plan = default_plan(network)
    intro = requirement(network, "introduksjonskurs")
    return {
        "plans": reverse("competence:plans", args=[SLUG]),
        "plan_detail": reverse("competence:plan_detail", args=[SLUG, plan.pk]),
        "plan_create": reverse("competence:plan_create", args=[SLUG]),
        "plan_edit": reverse("competence:plan_edit", args=[SLUG, plan.pk]),
        "plan_delete": reverse("competence:plan_delete", args=[SLUG, plan.pk]),
        "requirement_create": reverse("competence:requirement_create", args=[SLUG, plan.pk]),
        "requirement_edit": reverse("competence:requirement_edit", args=[SLUG, intro.pk]),
        "requirement_delete": reverse("competence:requirement_delete", args=[SLUG, intro.pk]),
    }


READ_PAGES = ["plans", "plan_detail"]
EDIT_PAGES = [
    "plan_create",
    "plan_edit",
    "plan_delete",
    "requirement_create",
    "requirement_edit",
    "requirement_delete",
]


def requirement_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "veiledning",
        "name": "Veiledning hvert år",
        "kind": RequirementKind.YEARLY_COUNT,
        "activity_kinds": [ActivityKind.GUIDANCE],
        "within_months": "",
        "min_count": "2",
        "min_hours": "",
        "min_shadowing_days": "",
        "position": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("page", READ_PAGES)
def test_coordinators_chapter_coordinators_and_readers_may_read_the_plan(
    client: Client, network: Network, persona: str, page: str, request: pytest.FixtureRequest
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(page_urls(network)[page])
    assert response.status_code == 200
    assert "Introduksjonskurs (minst 6 timer, første år)" in response.content.decode() or page == "plans"


@pytest.mark.parametrize("persona", NOT_READERS)
@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_resource_persons_leaders_and_outsiders_get_404_on_every_plan_page(
    client: Client, network: Network, persona: str, page: str, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(page_urls(network)[page]).status_code == 404


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_the_network_coordinator_opens_every_editing_page(
    client: Client, network: Network, alice: User, page: str
) -> None:
    urls = page_urls(network)
    # A second version, so that deleting one is possible and its page shows the form.
    create_plan_version(
        network, PlanData("Plan 2026", dt.date(2026, 1, 1), 6), source=default_plan(network), actor=None
    )
    assert login(client, alice).get(urls[page]).status_code == 200


@pytest.mark.parametrize("persona", ["carl", "rolf"])
@pytest.mark.parametrize("page", EDIT_PAGES)
def test_chapter_coordinators_and_readers_cannot_change_the_plan(
    client: Client, network: Network, persona: str, page: str, request: pytest.FixtureRequest
) -> None:
    client = login(client, request.getfixturevalue(persona))
    before = list(Requirement.objects.values_list("pk", "code", "name"))
    assert client.get(page_urls(network)[page]).status_code == 404
    assert client.post(page_urls(network)[page], requirement_post(name="Endret")).status_code == 404
    assert list(Requirement.objects.values_list("pk", "code", "name")) == before
    assert CompetencePlan.objects.filter(network=network).count() == 1


@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_anonymous_visitors_are_sent_to_login(client: Client, network: Network, page: str) -> None:
    response = client.get(page_urls(network)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_networks_versions_and_requirements_are_404(
    client: Client, network: Network, other_network: Network, alice: User
) -> None:
    theirs = CompetencePlan.objects.get(network=other_network)
    their_requirement = theirs.requirements.first()
    assert their_requirement is not None
    client = login(client, alice)
    for url in [
        reverse("competence:plan_detail", args=[SLUG, theirs.pk]),
        reverse("competence:plan_edit", args=[SLUG, theirs.pk]),
        reverse("competence:plan_delete", args=[SLUG, theirs.pk]),
        reverse("competence:requirement_create", args=[SLUG, theirs.pk]),
        reverse("competence:requirement_edit", args=[SLUG, their_requirement.pk]),
        reverse("competence:requirement_delete", args=[SLUG, their_requirement.pk]),
        # The other network's own address is as missing to Alice as a network that does not exist.
        reverse("competence:plans", args=["bergen"]),
        reverse("competence:plans", args=["finnes-ikke"]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("competence:plan_delete", args=[SLUG, theirs.pk])).status_code == 404
    assert CompetencePlan.objects.filter(pk=theirs.pk).exists()


# The list of versions ------------------------------------------------------------------------------------


def test_the_versions_page_lists_dates_counts_the_governing_version_and_the_months_rule(
    client: Client, network: Network, alice: User
) -> None:
    plan = default_plan(network)
    create_plan_version(network, PlanData("Plan 2026", dt.date(2026, 1, 1), 4), source=plan, actor=None)
    response = login(client, alice).get(reverse("competence:plans", args=[SLUG]))
    html = response.content.decode()
    versions = response.context["versions"].versions
    assert [(v.plan.name, v.requirement_count, v.governs_today) for v in versions] == [
        ("Plan 2026", 5, False),
        ("Kompetanseplan for ressurssykepleiere", 5, True),
    ]
    assert versions[1].valid_until == dt.date(2025, 12, 31)
    assert "01.01.2026" in html and "01.01.1901" in html and "31.12.2025" in html
    # The rule states the number of months of the version that governs today (6), not the future one's.
    rule = nb(
        "A yearly requirement applies in a year the person was a member for at least %(months)s whole "
        "calendar months (in the version that governs today).",
        months=6,
    )
    assert rule in html
    assert nb("Governs today") in html
    assert reverse("competence:plan_create", args=[SLUG]) in html


def test_readers_see_the_versions_without_editing_links(client: Client, network: Network, rolf: User) -> None:
    plan = default_plan(network)
    html = login(client, rolf).get(reverse("competence:plan_detail", args=[SLUG, plan.pk])).content.decode()
    assert "Introduksjonskurs (minst 6 timer, første år)" in html
    assert reverse("competence:plan_edit", args=[SLUG, plan.pk]) not in html
    assert reverse("competence:requirement_create", args=[SLUG, plan.pk]) not in html


# Versions ------------------------------------------------------------------------------------------------


def test_a_new_version_copies_the_governing_versions_requirements_and_governs_from_its_date(
    client: Client, network: Network, alice: User
) -> None:
    old = default_plan(network)
    response = login(client, alice).post(
        reverse("competence:plan_create", args=[SLUG]),
        {"name": "Plan fra 2025", "valid_from": "01.07.2025", "min_months_for_yearly": "4", "source": old.pk},
    )
    new = CompetencePlan.objects.get(network=network, name="Plan fra 2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("competence:plan_detail", args=[SLUG, new.pk])
    assert (new.valid_from, new.min_months_for_yearly) == (dt.date(2025, 7, 1), 4)
    fields = ["code", "name", "kind", "activity_kinds", "within_months", "min_count", "min_hours"]
    fields += ["min_shadowing_days", "remind_leader", "position"]
    assert list(new.requirements.values_list(*fields)) == list(old.requirements.values_list(*fields))
    # Copies, not moves: the old version keeps its own requirements.
    assert old.requirements.count() == 5
    # The engine picks the new version from its date: 2025 (as of today) uses it, 2024 the old one.
    assert network_status(network, 2025).plan is not None
    assert network_status(network, 2025).plan.id == new.pk  # type: ignore[union-attr]
    assert network_status(network, 2024).plan.id == old.pk  # type: ignore[union-attr]
    entry = AuditEntry.objects.get(action="competence.plan_created")
    assert entry.fields == ["min_months_for_yearly", "name", "valid_from"]
    assert entry.actor == alice


def test_a_new_version_keeps_the_learning_resources_linked_to_each_requirement(
    client: Client, network: Network, alice: User
) -> None:
    old = default_plan(network)
    first, second = old.requirements.order_by("position")[:2]
    book = LearningResource.objects.create(network=network, title="Lærebok", kind=ResourceKind.BOOK)
    book.requirements.add(first)
    login(client, alice).post(
        reverse("competence:plan_create", args=[SLUG]),
        {"name": "Plan fra 2025", "valid_from": "01.07.2025", "min_months_for_yearly": "6", "source": old.pk},
    )
    new = CompetencePlan.objects.get(network=network, name="Plan fra 2025")
    linked = set(book.requirements.values_list("plan_id", "code"))
    assert linked == {(old.pk, first.code), (new.pk, first.code)}
    assert not new.requirements.get(code=second.code).learning_resources.exists()


def test_a_changed_requirement_in_the_new_version_changes_statuses_from_its_date_only(
    network: Network, alice: User
) -> None:
    person = resource_person(network, "ria@example.no", dt.date(2023, 1, 1))
    attend(person, ActivityKind.GATHERING, dt.date(2024, 3, 1), "6")
    attend(person, ActivityKind.GATHERING, dt.date(2025, 3, 1), "6")
    new = create_plan_version(
        network, PlanData("Strengere", dt.date(2025, 1, 1), 6), source=default_plan(network), actor=alice
    )
    Requirement.objects.filter(plan=new, code="samlinger_antall").update(min_count=1)

    def samlinger(year: int) -> str:
        found = network_status(network, year).persons[0]
        return next(s.status for s in found.requirements if s.requirement == "samlinger_antall")

    assert samlinger(2025) == "met"
    assert samlinger(2024) == "overdue"


def test_a_new_version_may_copy_a_chosen_version(client: Client, network: Network, alice: User) -> None:
    old = default_plan(network)
    empty = create_plan_version(network, PlanData("Tom", dt.date(2027, 1, 1), 6), source=None, actor=alice)
    client = login(client, alice)
    page = client.get(reverse("competence:plan_create", args=[SLUG]) + f"?kopi={empty.pk}")
    assert page.context["form"].initial["source"] == empty.pk
    # Without a choice the version governing today is offered.
    assert (
        client.get(reverse("competence:plan_create", args=[SLUG])).context["form"].initial["source"] == old.pk
    )
    client.post(
        reverse("competence:plan_create", args=[SLUG]),
        {"name": "Kopi av tom", "valid_from": "2026-01-01", "min_months_for_yearly": "6", "source": empty.pk},
    )
    assert CompetencePlan.objects.get(name="Kopi av tom").requirements.count() == 0


def test_two_versions_cannot_share_a_valid_from_date(client: Client, network: Network, alice: User) -> None:
    response = login(client, alice).post(
        reverse("competence:plan_create", args=[SLUG]),
        {
            "name": "Dobbel",
            "valid_from": "1901-01-01",
            "min_months_for_yearly": "6",
            "source": default_plan(network).pk,
        },
    )
    assert response.status_code == 200
    message = nb(
        "Another version of the plan is already valid from %(date)s. Choose another valid-from date.",
        date="01.01.1901",
    )
    assert response.context["form"].errors["valid_from"] == [message]
    assert message in response.content.decode()
    assert CompetencePlan.objects.filter(network=network).count() == 1


def test_editing_a_version_changes_name_date_and_months_and_audits_the_field_names(
    client: Client, network: Network, alice: User
) -> None:
    plan = default_plan(network)
    response = login(client, alice).post(
        reverse("competence:plan_edit", args=[SLUG, plan.pk]),
        {"name": "Ny plan", "valid_from": "01.01.2000", "min_months_for_yearly": "3"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.valid_from, plan.min_months_for_yearly) == ("Ny plan", dt.date(2000, 1, 1), 3)
    entry = AuditEntry.objects.get(action="competence.plan_updated")
    assert entry.fields == ["min_months_for_yearly", "name", "valid_from"]
    assert "Ny plan" not in str(entry.data)


def test_it_rejects_months_for_yearly_requirements_above_twelve(
    client: Client, network: Network, alice: User
) -> None:
    plan = default_plan(network)
    response = login(client, alice).post(
        reverse("competence:plan_edit", args=[SLUG, plan.pk]),
        {"name": "Plan", "valid_from": "01.01.2000", "min_months_for_yearly": "13"},
    )
    assert response.context["form"].errors["min_months_for_yearly"] == [
        nb("Write the number of months as a whole number from 0 to 12.")
    ]


def test_the_only_version_cannot_be_deleted(client: Client, network: Network, alice: User) -> None:
    plan = default_plan(network)
    client = login(client, alice)
    page = client.get(reverse("competence:plan_delete", args=[SLUG, plan.pk])).content.decode()
    assert nb("This is the only version of the plan, so it cannot be deleted. Change it instead.") in page
    response = client.post(reverse("competence:plan_delete", args=[SLUG, plan.pk]))
    assert response.status_code == 200
    assert (
        nb(
            "%(name)s is the only version of the plan and cannot be deleted. Change it instead.",
            name=plan.name,
        )
        in response.content.decode()
    )
    assert CompetencePlan.objects.filter(pk=plan.pk).exists()


def test_deleting_a_version_removes_it_and_its_requirements(
    client: Client, network: Network, alice: User
) -> None:
    new = create_plan_version(
        network, PlanData("Plan 2026", dt.date(2026, 1, 1), 6), source=default_plan(network), actor=alice
    )
    response = login(client, alice).post(reverse("competence:plan_delete", args=[SLUG, new.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("competence:plans", args=[SLUG])
    assert not CompetencePlan.objects.filter(pk=new.pk).exists()
    assert not Requirement.objects.filter(plan_id=new.pk).exists()
    assert AuditEntry.objects.get(action="competence.plan_deleted").target_id == str(new.pk)


# Requirements --------------------------------------------------------------------------------------------


def test_it_adds_a_yearly_count_requirement_last(client: Client, network: Network, alice: User) -> None:
    plan = default_plan(network)
    response = login(client, alice).post(
        reverse("competence:requirement_create", args=[SLUG, plan.pk]), requirement_post()
    )
    assert response.status_code == 302
    added = plan.requirements.get(code="veiledning")
    assert (added.kind, added.activity_kinds, added.min_count, added.position) == (
        RequirementKind.YEARLY_COUNT,
        [ActivityKind.GUIDANCE],
        2,
        6,
    )
    entry = AuditEntry.objects.get(action="competence.requirement_created")
    assert "code" in entry.fields and entry.data == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"kind": RequirementKind.ONCE, "within_months": ""},
            "within_months",
            "A once-requirement needs the number of months after joining it must be met within (at least 1).",
        ),
        (
            {"kind": RequirementKind.ONCE, "within_months": "0"},
            "within_months",
            "A once-requirement needs the number of months after joining it must be met within (at least 1).",
        ),
        (
            {"kind": RequirementKind.ONCE, "within_months": "12", "activity_kinds": []},
            "activity_kinds",
            "Choose at least one activity kind, or give the minimum days of job shadowing, so that something "
            "can meet the requirement.",
        ),
        (
            {"kind": RequirementKind.ONCE, "within_months": "12", "min_shadowing_days": "0"},
            "min_shadowing_days",
            "The minimum days of job shadowing must be more than 0, or left empty.",
        ),
        (
            {"kind": RequirementKind.YEARLY_COUNT, "activity_kinds": []},
            "activity_kinds",
            "Choose at least one activity kind that counts.",
        ),
        (
            {"kind": RequirementKind.YEARLY_COUNT, "min_count": "0"},
            "min_count",
            "A yearly number of activities needs the minimum number of activities (at least 1).",
        ),
        (
            {"kind": RequirementKind.YEARLY_HOURS, "activity_kinds": [], "min_hours": "6"},
            "activity_kinds",
            "Choose at least one activity kind that counts.",
        ),
        (
            {"kind": RequirementKind.YEARLY_HOURS, "min_hours": ""},
            "min_hours",
            "A yearly number of hours needs the minimum credited hours (more than 0).",
        ),
        (
            {"kind": RequirementKind.YEARLY_HOURS, "min_hours": "0"},
            "min_hours",
            "A yearly number of hours needs the minimum credited hours (more than 0).",
        ),
        (
            {"code": "Ikke en kode!"},
            "code",
            "The code may only contain the letters a–z, digits, hyphens and underscores, for example "
            "samlinger_antall.",
        ),
        ({"kind": ""}, "kind", "Choose what kind of requirement it is."),
    ],
)
def test_it_rejects_a_requirement_that_its_kind_cannot_use_with_a_message_at_the_field(
    client: Client, network: Network, alice: User, changes: dict[str, Any], field: str, message: str
) -> None:
    plan = default_plan(network)
    response = login(client, alice).post(
        reverse("competence:requirement_create", args=[SLUG, plan.pk]), requirement_post(**changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [nb(message)]
    assert nb(message) in response.content.decode()
    assert plan.requirements.count() == 5


def test_the_service_refuses_an_unknown_activity_kind(network: Network, alice: User) -> None:
    data = RequirementData(
        code="x", name="X", kind=RequirementKind.YEARLY_COUNT, activity_kinds=["sirkus"], min_count=1
    )
    with pytest.raises(ValidationError) as refused:
        create_requirement(default_plan(network), data, actor=alice)
    assert refused.value.message_dict == {"activity_kinds": [nb("Choose activity kinds from the list.")]}
    assert not AuditEntry.objects.filter(action="competence.requirement_created").exists()


def test_it_rejects_a_code_already_used_in_the_version(client: Client, network: Network, alice: User) -> None:
    plan = default_plan(network)
    response = login(client, alice).post(
        reverse("competence:requirement_create", args=[SLUG, plan.pk]), requirement_post(code="fagdag")
    )
    assert response.context["form"].errors["code"] == [
        nb(
            "Another requirement in this version already has the code “%(code)s”. Choose another code.",
            code="fagdag",
        )
    ]


def test_the_same_code_may_be_used_in_another_version(network: Network, alice: User, client: Client) -> None:
    empty = create_plan_version(network, PlanData("Tom", dt.date(2026, 1, 1), 6), source=None, actor=alice)
    response = login(client, alice).post(
        reverse("competence:requirement_create", args=[SLUG, empty.pk]), requirement_post(code="fagdag")
    )
    assert response.status_code == 302
    assert empty.requirements.get().code == "fagdag"


def test_a_once_requirement_met_by_job_shadowing_needs_no_activity_kinds(
    client: Client, network: Network, alice: User
) -> None:
    plan = default_plan(network)
    response = login(client, alice).post(
        reverse("competence:requirement_create", args=[SLUG, plan.pk]),
        requirement_post(
            code="hospitering2",
            kind=RequirementKind.ONCE,
            activity_kinds=[],
            within_months="24",
            min_shadowing_days="2,5",
            min_hours="6",
            remind_leader="on",
        ),
    )
    assert response.status_code == 302
    added = plan.requirements.get(code="hospitering2")
    # Without activity kinds, hours have nothing to count: cleared.
    assert (added.within_months, added.min_shadowing_days, added.min_hours, added.remind_leader) == (
        24,
        Decimal("2.5"),
        None,
        True,
    )


def test_fields_the_kind_does_not_use_are_cleared_on_save(
    client: Client, network: Network, alice: User
) -> None:
    intro = requirement(network, "introduksjonskurs")
    response = login(client, alice).post(
        reverse("competence:requirement_edit", args=[SLUG, intro.pk]),
        requirement_post(
            code="introduksjonskurs",
            name="Intro hvert år",
            kind=RequirementKind.YEARLY_HOURS,
            activity_kinds=[ActivityKind.INTRO_COURSE],
            within_months="12",
            min_count="3",
            min_hours="6",
            min_shadowing_days="1",
            remind_leader="on",
            position="1",
        ),
    )
    assert response.status_code == 302
    intro.refresh_from_db()
    assert (
        intro.kind,
        intro.within_months,
        intro.min_count,
        intro.min_hours,
        intro.min_shadowing_days,
        intro.remind_leader,
    ) == (RequirementKind.YEARLY_HOURS, None, 0, Decimal(6), None, False)
    entry = AuditEntry.objects.get(action="competence.requirement_updated")
    assert entry.fields == sorted(["kind", "name", "within_months", "min_count", "remind_leader"])


def test_saving_an_unchanged_requirement_changes_nothing(
    client: Client, network: Network, alice: User
) -> None:
    fagdag = requirement(network, "fagdag")
    response = login(client, alice).post(
        reverse("competence:requirement_edit", args=[SLUG, fagdag.pk]),
        requirement_post(
            code="fagdag",
            name=fagdag.name,
            kind=RequirementKind.YEARLY_HOURS,
            activity_kinds=[ActivityKind.STUDY_DAY],
            min_count="",
            min_hours="6",
            position=str(fagdag.position),
        ),
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="competence.requirement_updated").exists()


def test_deleting_a_requirement_removes_it_from_that_version_only(
    client: Client, network: Network, alice: User
) -> None:
    new = create_plan_version(
        network, PlanData("Plan 2026", dt.date(2026, 1, 1), 6), source=default_plan(network), actor=alice
    )
    doomed = new.requirements.get(code="fagdag")
    client = login(client, alice)
    assert (
        nb("Delete requirement")
        in client.get(reverse("competence:requirement_delete", args=[SLUG, doomed.pk])).content.decode()
    )
    response = client.post(reverse("competence:requirement_delete", args=[SLUG, doomed.pk]))
    assert response["Location"] == reverse("competence:plan_detail", args=[SLUG, new.pk])
    assert list(new.requirements.values_list("code", flat=True)) == [
        "introduksjonskurs",
        "hospitering",
        "samlinger_antall",
        "samlinger_timer",
    ]
    assert default_plan_requirements(network) == 5
    assert AuditEntry.objects.get(action="competence.requirement_deleted").target_id == str(doomed.pk)


def default_plan_requirements(network: Network) -> int:
    return Requirement.objects.filter(plan__network=network, plan__valid_from=dt.date(1901, 1, 1)).count()


# Requirements in words -------------------------------------------------------------------------------------


def test_each_default_requirement_is_described_in_words(network: Network) -> None:
    with translation.override("en"):
        described = {r.code: describe_requirement(r) for r in default_plan(network).requirements.all()}
    assert described == {
        "introduksjonskurs": (
            "At least 1 Introductory course with at least 6 hours within 12 months of starting"
        ),
        "hospitering": "Job shadowing of at least 1 day within 12 months of starting",
        "samlinger_antall": "Every year: at least 2 Network gathering",
        "samlinger_timer": "Every year: at least 12 hours credited from Network gathering",
        "fagdag": "Every year: at least 6 hours credited from Study day",
    }


def test_a_requirement_with_several_kinds_and_shadowing_reads_as_alternatives(network: Network) -> None:
    either = Requirement(
        plan=default_plan(network),
        code="x",
        name="x",
        kind=RequirementKind.ONCE,
        activity_kinds=[ActivityKind.COURSE, ActivityKind.WEBINAR, ActivityKind.INTRO_COURSE],
        within_months=1,
        min_count=2,
        min_shadowing_days=Decimal("1.5"),
    )
    with translation.override("en"):
        assert describe_requirement(either) == (
            "At least 2 Course, Webinar / e-learning or Introductory course or job shadowing of at least "
            "1.5 days within 1 month of starting"
        )


def test_the_plan_page_shows_each_requirement_in_words_in_norwegian(
    client: Client, network: Network, alice: User
) -> None:
    plan = default_plan(network)
    html = login(client, alice).get(reverse("competence:plan_detail", args=[SLUG, plan.pk])).content.decode()
    with translation.override("nb"):
        for req in plan.requirements.all():
            assert describe_requirement(req) in html
    assert nb("Reminders also go to the line manager.") in html

"""Creating, editing and reading an activity: who may, what is validated, what is written and audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Audience,
    LiteratureItem,
    ProgrammeItem,
    Registration,
    RegistrationStatus,
    Theme,
)
from fagnett.activities.services import (
    ActivityData,
    LiteratureData,
    ProgrammeItemData,
    create_activity,
    parse_theme_names,
    replace_literature,
    replace_programme,
    set_themes,
    update_activity,
)
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import LocalChapter, Network, Person
from tests.conftest import login
from tests.helpers import count_queries, nb

SLUG = "barnepalliasjon"
CREATE = reverse("activities:activity_create", args=[SLUG])

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 5, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def detail_url(activity: Activity) -> str:
    return reverse("activities:activity_detail", args=[SLUG, activity.pk])


def edit_url(activity: Activity) -> str:
    return reverse("activities:activity_edit", args=[SLUG, activity.pk])


@pytest.fixture
def gathering(network: Network) -> Activity:
    """A network-wide gathering on 10.06.2025 with a programme, literature and a theme."""
    activity = Activity.objects.create(
        network=network,
        kind=ActivityKind.GATHERING,
        title="Samling om smerte",
        starts_on=dt.date(2025, 6, 10),
        ends_on=dt.date(2025, 6, 10),
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        hours=Decimal("6.5"),
        place="SUS, auditorium 1",
        description="Samling for ressurspersonene.",
        capacity=2,
        registration_deadline=dt.date(2025, 6, 1),
        other_participants=4,
    )
    activity.themes.set([Theme.objects.create(network=network, name="Smertelindring")])
    ProgrammeItem.objects.create(activity=activity, position=0, time=dt.time(9, 0), title="Velkommen")
    ProgrammeItem.objects.create(
        activity=activity,
        position=1,
        time=dt.time(9, 30),
        title="Smertelindring hos barn",
        speaker="Kari Lege",
        speaker_organisation="SUS",
    )
    LiteratureItem.objects.create(
        activity=activity, title="Veileder for lindrende behandling", link="https://example.no/v"
    )
    return activity


@pytest.fixture
def local_day(network: Network, chapter: LocalChapter) -> Activity:
    """A study day organised by the Stavanger chapter."""
    return Activity.objects.create(
        network=network,
        chapter=chapter,
        kind=ActivityKind.STUDY_DAY,
        title="Fagdag Stavanger",
        starts_on=dt.date(2025, 9, 17),
        ends_on=dt.date(2025, 9, 17),
        hours=Decimal(6),
    )


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Nettverkssamling høst",
        "kind": ActivityKind.GATHERING,
        "chapter": "",
        "themes": "Sorg, Kommunikasjon",
        "starts_on": "2025-10-01",
        "ends_on": "2025-10-02",
        "start_time": "09:00",
        "end_time": "15:00",
        "hours": "3,5",
        "place": "Sandnes kulturhus",
        "link": "",
        "description": "To dager om sorg.",
        "audience": Audience.WITH_LEADERS,
        "capacity": "40",
        "registration_deadline": "2025-09-20",
        "other_participants": "0",
        "programme-TOTAL_FORMS": "3",
        "programme-INITIAL_FORMS": "0",
        "programme-0-day": "2025-10-01",
        "programme-0-time": "09:00",
        "programme-0-title": "Velkommen",
        "programme-1-day": "2025-10-02",
        "programme-1-time": "10:00",
        "programme-1-title": "Sorg hos barn",
        "programme-1-speaker": "Per Prest",
        "programme-1-speaker_organisation": "Sandnes kirke",
        "literature-TOTAL_FORMS": "2",
        "literature-INITIAL_FORMS": "0",
        "literature-0-title": "Barn i sorg",
        "literature-0-link": "https://example.no/sorg",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(activity: Activity, **overrides: object) -> dict[str, object]:
    """What the edit form posts back unchanged."""
    data: dict[str, object] = {
        "title": activity.title,
        "kind": activity.kind,
        "chapter": activity.chapter_id or "",
        "themes": ", ".join(theme.name for theme in activity.themes.all()),
        "starts_on": activity.starts_on.isoformat(),
        "ends_on": "",
        "start_time": activity.start_time.strftime("%H:%M") if activity.start_time else "",
        "end_time": activity.end_time.strftime("%H:%M") if activity.end_time else "",
        "hours": str(activity.hours).replace(".", ","),
        "place": activity.place,
        "link": activity.link,
        "description": activity.description,
        "audience": activity.audience,
        "capacity": activity.capacity or "",
        "registration_deadline": activity.registration_deadline.isoformat()
        if activity.registration_deadline
        else "",
        "other_participants": activity.other_participants,
        "literature-TOTAL_FORMS": "0",
        "literature-INITIAL_FORMS": "0",
    }
    programme = list(activity.programme.all())
    data["programme-TOTAL_FORMS"] = str(len(programme))
    data["programme-INITIAL_FORMS"] = "0"
    for i, item in enumerate(programme):
        data[f"programme-{i}-title"] = item.title
        data[f"programme-{i}-time"] = item.time.strftime("%H:%M") if item.time else ""
        data[f"programme-{i}-speaker"] = item.speaker
        data[f"programme-{i}-speaker_organisation"] = item.speaker_organisation
    literature = list(activity.literature.all())
    data["literature-TOTAL_FORMS"] = str(len(literature))
    for i, book in enumerate(literature):
        data[f"literature-{i}-title"] = book.title
        data[f"literature-{i}-link"] = book.link
    data.update(overrides)
    return data


class _FormReader(HTMLParser):
    """The values a browser would send for the activity form (inputs, checked radios, selects, textareas;
    not the buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("class", "").startswith("fn-form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "radio", "checkbox"):
            self.data[name] = a.get("value", "")
        elif tag == "input" and a.get("type") == "radio" and "checked" in a:
            self.data[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            # Browsers drop the newline right after <textarea>.
            self.data[self._textarea] += data.removeprefix("\n") if not self.data[self._textarea] else data


def posted_back(response: Any) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.data


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# Access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl", "rita", "lena", "rolf"])
def test_everyone_with_a_role_sees_the_activity_page(
    client: Client, persona: str, gathering: Activity, local_day: Activity, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(detail_url(gathering)).status_code == 200
    assert client.get(detail_url(local_day)).status_code == 200


@pytest.mark.parametrize("persona", ["charlie", "nobody"])
def test_others_get_404_on_every_activity_page(
    client: Client, persona: str, gathering: Activity, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    for url in (detail_url(gathering), edit_url(gathering), CREATE):
        assert client.get(url).status_code == 404, url
    assert client.post(CREATE, form_data()).status_code == 404
    assert client.post(edit_url(gathering), edit_data(gathering, title="Kapret")).status_code == 404
    assert Activity.objects.count() == 1
    assert Activity.objects.get().title == "Samling om smerte"


@pytest.mark.parametrize("persona", ["rita", "lena", "rolf"])
def test_those_who_do_not_manage_activities_cannot_create_or_edit(
    client: Client, persona: str, gathering: Activity, local_day: Activity, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, form_data()).status_code == 404
    for activity in (gathering, local_day):
        assert client.get(edit_url(activity)).status_code == 404
        assert client.post(edit_url(activity), edit_data(activity, title="Endret")).status_code == 404
    assert Activity.objects.count() == 2 and not Activity.objects.filter(title="Endret").exists()
    page = client.get(detail_url(gathering)).content.decode()
    assert edit_url(gathering) not in page
    assert reverse("activities:participants", args=[SLUG, gathering.pk]) not in page


def test_anonymous_visitors_are_sent_to_login(client: Client, gathering: Activity) -> None:
    for url in (detail_url(gathering), edit_url(gathering), CREATE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_network_coordinator_edits_every_activity(
    client: Client, alice: User, gathering: Activity, local_day: Activity
) -> None:
    login(client, alice)
    assert client.get(CREATE).status_code == 200
    assert client.get(edit_url(gathering)).status_code == 200
    assert client.get(edit_url(local_day)).status_code == 200


def test_a_chapter_coordinator_edits_only_their_chapters_activities(
    client: Client, carl: User, gathering: Activity, local_day: Activity
) -> None:
    login(client, carl)
    assert client.get(CREATE).status_code == 200
    assert client.get(edit_url(local_day)).status_code == 200
    assert client.get(edit_url(gathering)).status_code == 404
    assert client.post(edit_url(gathering), edit_data(gathering, title="Kapret")).status_code == 404
    assert Activity.objects.get(pk=gathering.pk).title == "Samling om smerte"
    assert edit_url(gathering) not in client.get(detail_url(gathering)).content.decode()
    assert edit_url(local_day) in client.get(detail_url(local_day)).content.decode()


def test_an_activity_of_another_network_is_404(client: Client, alice: User, other_network: Network) -> None:
    theirs = Activity.objects.create(
        network=other_network,
        kind=ActivityKind.COURSE,
        title="Fremmed",
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 6, 1),
    )
    login(client, alice)
    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(edit_url(theirs)).status_code == 404


# Create ------------------------------------------------------------------------------------------------


def test_a_coordinator_creates_an_activity_with_programme_literature_and_themes(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(CREATE, form_data())
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(activity)
    assert activity.network == network and activity.chapter is None
    assert (activity.starts_on, activity.ends_on) == (dt.date(2025, 10, 1), dt.date(2025, 10, 2))
    assert (activity.start_time, activity.end_time) == (dt.time(9), dt.time(15))
    assert activity.hours == Decimal("3.5")
    assert activity.audience == Audience.WITH_LEADERS and activity.capacity == 40
    assert activity.registration_deadline == dt.date(2025, 9, 20)
    assert sorted(theme.name for theme in activity.themes.all()) == ["Kommunikasjon", "Sorg"]
    assert [(item.day, item.title, item.speaker) for item in activity.programme.all()] == [
        (dt.date(2025, 10, 1), "Velkommen", ""),
        (dt.date(2025, 10, 2), "Sorg hos barn", "Per Prest"),
    ]
    assert [(item.title, item.link) for item in activity.literature.all()] == [
        ("Barn i sorg", "https://example.no/sorg")
    ]
    entry = AuditEntry.objects.get(action="activity.created")
    assert entry.actor == alice and entry.network == network and entry.target_id == str(activity.pk)
    assert AuditEntry.objects.filter(action="activity.theme_created").count() == 2


def test_hours_accept_a_decimal_point_and_a_one_day_activity_ends_the_day_it_starts(
    client: Client, alice: User
) -> None:
    login(client, alice).post(
        CREATE, form_data(hours="2.5", ends_on="", themes="", **{"programme-1-day": ""})
    )
    activity = Activity.objects.get()
    assert activity.hours == Decimal("2.5")
    assert activity.ends_on == activity.starts_on == dt.date(2025, 10, 1)
    assert activity.themes.count() == 0


def test_a_chapter_coordinator_must_pick_one_of_their_own_chapters(
    client: Client, carl: User, network: Network, chapter: LocalChapter
) -> None:
    sandnes = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    login(client, carl)
    response = client.post(CREATE, form_data(chapter=""))
    assert response.status_code == 200 and "chapter" in response.context["forms"].form.errors
    response = client.post(CREATE, form_data(chapter=sandnes.pk))
    assert response.status_code == 200 and "chapter" in response.context["forms"].form.errors
    assert Activity.objects.count() == 0
    offered = list(response.context["forms"].form.fields["chapter"].queryset)
    assert offered == [chapter]
    assert client.post(CREATE, form_data(chapter=chapter.pk)).status_code == 302
    assert Activity.objects.get().chapter == chapter


def test_the_network_coordinator_may_pick_any_chapter_or_none(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    sandnes = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    login(client, alice)
    assert client.post(CREATE, form_data(chapter=sandnes.pk, title="A")).status_code == 302
    assert client.post(CREATE, form_data(chapter="", title="B")).status_code == 302
    assert Activity.objects.get(title="A").chapter == sandnes
    assert Activity.objects.get(title="B").chapter is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2025-09-30"}, "ends_on", "The end date cannot be before the start date."),
        ({"hours": "-1"}, "hours", "The credited hours cannot be negative."),
        (
            {"registration_deadline": "2025-10-02"},
            "registration_deadline",
            "The registration deadline cannot be after the start date.",
        ),
        ({"capacity": "0"}, "capacity", "The capacity must be at least 1. Leave it empty for no limit."),
        (
            {"ends_on": "", "end_time": "08:00"},
            "end_time",
            "The end time must be after the start time on a one-day activity.",
        ),
        ({"title": ""}, "title", None),
        ({"hours": "tre"}, "hours", None),
        ({"starts_on": "31.02.2025"}, "starts_on", None),
    ],
)
def test_invalid_input_shows_a_field_error_and_writes_nothing(
    client: Client, alice: User, overrides: dict[str, str], field: str, message: str | None
) -> None:
    response = login(client, alice).post(CREATE, form_data(**overrides))
    assert response.status_code == 200
    form = response.context["forms"].form
    assert field in form.errors
    if message is not None:
        assert form.errors[field] == [nb(message)]
        assert nb(message) in text(response)
    page = response.content.decode()
    assert "ds-error-summary" in page and f'href="#id_{field}"' in page
    assert Activity.objects.count() == 0 and Theme.objects.count() == 0
    assert (
        ProgrammeItem.objects.count() == 0
        and not AuditEntry.objects.filter(action__startswith="activity.").exists()
    )


def test_a_programme_row_without_a_title_names_the_row_and_writes_nothing(
    client: Client, alice: User
) -> None:
    response = login(client, alice).post(CREATE, form_data(**{"programme-2-speaker": "Uten tittel"}))
    assert response.status_code == 200
    assert response.context["forms"].programme.forms[2].errors["title"]
    page = text(response)
    assert f"{nb('Programme item %(number)s') % {'number': 3}} – {nb('Title')}" in page
    assert 'href="#id_programme-2-title"' in response.content.decode()
    assert Activity.objects.count() == 0 and Theme.objects.count() == 0


def test_a_programme_day_outside_the_activity_and_a_bad_literature_link_are_refused(
    client: Client, alice: User
) -> None:
    response = login(client, alice).post(CREATE, form_data(**{"programme-0-day": "2025-10-05"}))
    assert response.status_code == 200
    assert response.context["forms"].programme.forms[0].errors["day"] == [
        nb(
            "The day must be within the activity's dates, %(start)s–%(end)s.",
            start="01.10.2025",
            end="02.10.2025",
        )
    ]
    response = client.post(CREATE, form_data(**{"literature-0-link": "ikke en lenke"}))
    assert response.context["forms"].literature.forms[0].errors["link"]
    assert Activity.objects.count() == 0


def test_errors_in_the_fields_and_in_the_rows_show_at_once(client: Client, alice: User) -> None:
    response = login(client, alice).post(
        CREATE, form_data(capacity="0", **{"programme-2-speaker": "Uten tittel"})
    )
    html = response.content.decode()
    assert 'href="#id_capacity"' in html and 'href="#id_programme-2-title"' in html
    assert Activity.objects.count() == 0


def test_the_service_refuses_a_programme_day_outside_the_activity(alice: User, network: Network) -> None:
    from django.core.exceptions import ValidationError

    data = ActivityData(title="Kurs", kind=ActivityKind.COURSE, starts_on=dt.date(2025, 6, 2))
    with pytest.raises(ValidationError) as caught:
        create_activity(
            network, data, actor=alice, programme=[ProgrammeItemData(title="A", day=dt.date(2025, 6, 3))]
        )
    assert caught.value.message_dict["programme"] == [
        nb("Programme item %(number)d: %(error)s")
        % {"number": 1, "error": nb("The day must be the activity's date, %(start)s.", start="02.06.2025")}
    ]
    assert Activity.objects.count() == 0


def test_adding_a_row_shows_the_form_again_without_errors_or_writing(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, form_data(title="", more_programme="1"))
    assert response.status_code == 200
    forms = response.context["forms"]
    assert len(forms.programme.forms) == 4 and len(forms.literature.forms) == 2
    page = response.content.decode()
    assert "ds-error-summary" not in page and "aria-invalid" not in page
    assert 'value="Sorg hos barn"' in page
    assert Activity.objects.count() == 0


def test_themes_are_reused_without_regard_to_case(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    sorrow = Theme.objects.create(network=network, name="Sorg")
    moment = Theme.objects.create(network=network, name="Øyeblikk")
    Theme.objects.create(network=other_network, name="Kommunikasjon")
    login(client, alice).post(CREATE, form_data(themes="sorg, SORG , øyeblikk, Kommunikasjon,  ,"))
    activity = Activity.objects.get()
    assert set(activity.themes.all()) == {
        sorrow,
        moment,
        Theme.objects.get(network=network, name="Kommunikasjon"),
    }
    assert Theme.objects.filter(network=network).count() == 3
    assert AuditEntry.objects.filter(action="activity.theme_created").count() == 1


def test_theme_names_are_split_on_commas_and_tidied() -> None:
    assert parse_theme_names(" Sorg ,  smerte   lindring,sorg,, ") == ["Sorg", "smerte lindring"]
    assert parse_theme_names("") == []


# Edit --------------------------------------------------------------------------------------------------


def test_the_edit_form_shows_the_current_values(client: Client, alice: User, gathering: Activity) -> None:
    response = login(client, alice).get(edit_url(gathering))
    form = response.context["forms"].form
    assert form.initial["title"] == "Samling om smerte"
    assert form.initial["themes"] == "Smertelindring"
    assert form.initial["ends_on"] is None
    page = response.content.decode()
    assert 'value="6,50"' in page
    assert 'value="Smertelindring hos barn"' in page and 'value="Veileder for lindrende behandling"' in page
    # Two programme rows plus three empty ones.
    assert len(response.context["forms"].programme.forms) == 5


def test_editing_saves_the_changes_and_audits_the_names_of_what_changed(
    client: Client, alice: User, gathering: Activity
) -> None:
    data = edit_data(gathering, title="Samling om smerte og sorg", themes="Smertelindring, Sorg", hours="7")
    response = login(client, alice).post(edit_url(gathering), data)
    assert response.status_code == 302, response.context["forms"].summary and text(response)[:3000]
    gathering.refresh_from_db()
    assert gathering.title == "Samling om smerte og sorg" and gathering.hours == Decimal(7)
    assert sorted(theme.name for theme in gathering.themes.all()) == ["Smertelindring", "Sorg"]
    entry = AuditEntry.objects.get(action="activity.updated")
    assert entry.fields == ["hours", "themes", "title"] and entry.actor == alice
    assert "Samling om smerte og sorg" not in str(entry.data)


def test_saving_without_changes_writes_no_audit_entry(
    client: Client, alice: User, gathering: Activity
) -> None:
    response = login(client, alice).post(edit_url(gathering), edit_data(gathering))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="activity.updated").exists()
    assert [item.title for item in gathering.programme.all()] == ["Velkommen", "Smertelindring hos barn"]


@pytest.mark.parametrize("persona", ["alice", "carl"])
def test_the_edit_page_posted_back_as_it_is_changes_nothing(
    client: Client, persona: str, gathering: Activity, local_day: Activity, request: pytest.FixtureRequest
) -> None:
    activity = gathering if persona == "alice" else local_day
    login(client, request.getfixturevalue(persona))
    data = posted_back(client.get(edit_url(activity)))
    assert data["programme-INITIAL_FORMS"] == "0"
    response = client.post(edit_url(activity), data)
    assert response.status_code == 302, text(response)[:3000]
    assert not AuditEntry.objects.filter(action="activity.updated").exists()


def test_a_row_emptied_on_the_page_is_removed(client: Client, alice: User, gathering: Activity) -> None:
    login(client, alice)
    data = posted_back(client.get(edit_url(gathering)))
    assert data["literature-0-title"] == "Veileder for lindrende behandling"
    data.update({"literature-0-title": "", "literature-0-link": "", "programme-4-title": "Avslutning"})
    assert client.post(edit_url(gathering), data).status_code == 302
    assert gathering.literature.count() == 0
    assert [item.title for item in gathering.programme.all()] == [
        "Velkommen",
        "Smertelindring hos barn",
        "Avslutning",
    ]
    assert AuditEntry.objects.get(action="activity.updated").fields == ["literature", "programme"]


def test_emptying_a_programme_row_removes_it(client: Client, alice: User, gathering: Activity) -> None:
    data = edit_data(gathering, **{"programme-0-title": "", "programme-0-time": ""})
    assert login(client, alice).post(edit_url(gathering), data).status_code == 302
    assert [item.title for item in gathering.programme.all()] == ["Smertelindring hos barn"]
    assert AuditEntry.objects.get(action="activity.updated").fields == ["programme"]


def test_the_chapter_coordinator_edits_their_chapters_activity(
    client: Client, carl: User, local_day: Activity
) -> None:
    response = login(client, carl).post(edit_url(local_day), edit_data(local_day, place="Tou Scene"))
    assert response.status_code == 302
    local_day.refresh_from_db()
    assert local_day.place == "Tou Scene"


def test_an_invalid_edit_changes_nothing(client: Client, alice: User, gathering: Activity) -> None:
    response = login(client, alice).post(
        edit_url(gathering), edit_data(gathering, title="Nytt navn", capacity="0", themes="Nytt tema")
    )
    assert response.status_code == 200
    gathering.refresh_from_db()
    assert gathering.title == "Samling om smerte" and gathering.capacity == 2
    assert not Theme.objects.filter(name="Nytt tema").exists()
    assert not AuditEntry.objects.filter(action__startswith="activity.").exists()


# Detail ------------------------------------------------------------------------------------------------


def test_the_page_shows_the_activity_programme_literature_and_themes(
    client: Client, rita: User, gathering: Activity
) -> None:
    response = login(client, rita).get(detail_url(gathering))
    page = text(response)
    for expected in (
        "Samling om smerte",
        "10.06.2025",
        "09:00–15:00",
        "SUS, auditorium 1",
        "6,5",
        "Samling for ressurspersonene.",
        "Smertelindring hos barn",
        "Kari Lege",
        "Veileder for lindrende behandling",
        "Smertelindring",
        "01.06.2025",
        str(nb("Resource persons")),
    ):
        assert expected in page, expected
    html = response.content.decode()
    assert "<caption>" in html and '<th scope="col">' in html and '<th scope="row">Velkommen</th>' in html
    assert 'href="https://example.no/v"' in html


def test_managers_see_the_counts_and_links_to_participants_attendance_and_check_in(
    client: Client, alice: User, network: Network, gathering: Activity
) -> None:
    persons = Person.objects.bulk_create(
        Person(network=network, first_name="P", last_name=str(i), email=f"p{i}@example.no") for i in range(6)
    )
    statuses = (
        [RegistrationStatus.REGISTERED] * 2
        + [RegistrationStatus.WAITING] * 3
        + [RegistrationStatus.CANCELLED]
    )
    for person, status in zip(persons, statuses, strict=True):
        Registration.objects.create(activity=gathering, person=person, status=status)
    Attendance.objects.create(
        activity=gathering, person=persons[0], status=AttendanceStatus.ATTENDED, hours=Decimal(6)
    )
    Attendance.objects.create(activity=gathering, person=persons[1], status=AttendanceStatus.ABSENT)
    response = login(client, alice).get(detail_url(gathering))
    facts = response.context["facts"]
    assert (facts.registered, facts.waiting, facts.cancelled, facts.attended) == (2, 3, 1, 1)
    assert facts.places_left == 0 and facts.can_manage
    html = response.content.decode()
    for name in ("participants", "attendance", "checkin_display", "activity_edit"):
        assert reverse(f"activities:{name}", args=[SLUG, gathering.pk]) in html


def test_places_left_are_the_capacity_less_those_registered(
    client: Client, rolf: User, network: Network, gathering: Activity
) -> None:
    person = Person.objects.create(network=network, first_name="A", last_name="B", email="ab@example.no")
    Registration.objects.create(activity=gathering, person=person, status=RegistrationStatus.REGISTERED)
    response = login(client, rolf).get(detail_url(gathering))
    assert response.context["facts"].places_left == 1
    assert not response.context["facts"].can_manage and not response.context["facts"].can_sign_up
    assert 'name="action"' not in response.content.decode()


def signup_form(response: Any) -> str:
    html: str = response.content.decode()
    match = re.search(
        r'<form method="post" action="([^"]+/pamelding/)">.*?name="action" value="(\w+)"', html, re.S
    )
    assert match is not None, "no sign-up form"
    return f"{match.group(1)}:{match.group(2)}"


def test_a_resource_person_without_a_registration_gets_the_sign_up_form(
    client: Client, rita: User, gathering: Activity
) -> None:
    response = login(client, rita).get(detail_url(gathering))
    assert signup_form(response) == f"{reverse('activities:signup', args=[SLUG, gathering.pk])}:signup"
    assert nb("You are not registered.") in text(response)
    assert nb("Sign up") in text(response)


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (RegistrationStatus.REGISTERED, "cancel", "You are registered."),
        (RegistrationStatus.CANCELLED, "signup", "You have cancelled your registration."),
    ],
)
def test_the_form_follows_the_persons_registration(
    client: Client, rita: User, network: Network, gathering: Activity, status: str, action: str, message: str
) -> None:
    person = Person.objects.get(network=network, user=rita)
    Registration.objects.create(activity=gathering, person=person, status=status)
    response = login(client, rita).get(detail_url(gathering))
    assert signup_form(response).endswith(f":{action}")
    assert nb(message) in text(response)


def test_a_waiting_person_sees_their_place_in_the_queue(
    client: Client, rita: User, network: Network, gathering: Activity
) -> None:
    others = Person.objects.bulk_create(
        Person(network=network, first_name="P", last_name=str(i), email=f"w{i}@example.no") for i in range(4)
    )
    for person in others[:2]:
        Registration.objects.create(activity=gathering, person=person, status=RegistrationStatus.REGISTERED)
    Registration.objects.create(activity=gathering, person=others[2], status=RegistrationStatus.WAITING)
    Registration.objects.create(
        activity=gathering,
        person=Person.objects.get(network=network, user=rita),
        status=RegistrationStatus.WAITING,
    )
    Registration.objects.create(activity=gathering, person=others[3], status=RegistrationStatus.WAITING)
    response = login(client, rita).get(detail_url(gathering))
    assert response.context["facts"].waiting_position == 2
    assert signup_form(response).endswith(":cancel")


def test_a_full_activity_offers_the_waiting_list(
    client: Client, rita: User, network: Network, gathering: Activity
) -> None:
    for i in range(2):
        person = Person.objects.create(
            network=network, first_name="F", last_name=str(i), email=f"f{i}@example.no"
        )
        Registration.objects.create(activity=gathering, person=person, status=RegistrationStatus.REGISTERED)
    response = login(client, rita).get(detail_url(gathering))
    assert signup_form(response).endswith(":signup")
    assert nb("Join the waiting list") in text(response)


def test_after_the_deadline_registration_is_closed(client: Client, rita: User, gathering: Activity) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC), tick=False):
        response = login(client, rita).get(detail_url(gathering))
    assert not response.context["facts"].registration_open
    assert 'value="signup"' not in response.content.decode()
    assert nb("Registration is closed.") in text(response)


def add_registrations(network: Network, activity: Activity, count: int, start: int) -> None:
    persons = Person.objects.bulk_create(
        Person(network=network, first_name="P", last_name=str(i), email=f"q{i}@example.no")
        for i in range(start, start + count)
    )
    statuses = list(RegistrationStatus)
    Registration.objects.bulk_create(
        Registration(activity=activity, person=person, status=statuses[i % 3])
        for i, person in enumerate(persons)
    )
    Attendance.objects.bulk_create(
        Attendance(activity=activity, person=person, status=AttendanceStatus.ATTENDED, hours=Decimal(6))
        for person in persons[::2]
    )


@pytest.mark.parametrize("persona", ["alice", "rita"])
def test_the_page_runs_the_same_number_of_queries_for_3_and_300_registrations(
    client: Client, persona: str, network: Network, gathering: Activity, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    add_registrations(network, gathering, 3, 0)
    login(client, user)
    few = count_queries(lambda: client.get(detail_url(gathering)))
    add_registrations(network, gathering, 297, 3)
    assert Registration.objects.filter(activity=gathering).count() == 300
    assert count_queries(lambda: client.get(detail_url(gathering))) == few


# Services ----------------------------------------------------------------------------------------------


def test_the_services_audit_themes_programme_and_literature_changes(alice: User, network: Network) -> None:
    activity = create_activity(
        network,
        ActivityData(
            title="Webinar", kind=ActivityKind.WEBINAR, starts_on=dt.date(2025, 11, 3), themes=["Etikk"]
        ),
        actor=alice,
    )
    assert set_themes(activity, ["etikk"], actor=alice) is False
    assert set_themes(activity, ["Etikk", "Juss"], actor=alice) is True
    assert replace_programme(activity, [ProgrammeItemData(title="Innledning")], actor=alice) is True
    assert replace_programme(activity, [ProgrammeItemData(title="Innledning")], actor=alice) is False
    assert replace_literature(activity, [LiteratureData(title="Boka")], actor=alice) is True
    fields = [entry.fields for entry in AuditEntry.objects.filter(action="activity.updated").order_by("pk")]
    assert fields == [["themes"], ["programme"], ["literature"]]


def test_update_activity_leaves_programme_and_literature_alone_when_not_given(
    alice: User, gathering: Activity
) -> None:
    data = ActivityData(
        title="Nytt navn",
        kind=gathering.kind,
        starts_on=gathering.starts_on,
        hours=gathering.hours,
        themes=["Smertelindring"],
    )
    changed = update_activity(gathering, data, actor=alice)
    assert "title" in changed and "programme" not in changed
    assert gathering.programme.count() == 2 and gathering.literature.count() == 1


def test_a_chapter_of_another_network_is_refused(
    alice: User, network: Network, other_network: Network
) -> None:
    from django.core.exceptions import ValidationError

    theirs = LocalChapter.objects.create(network=other_network, name="Bergen", slug="bergen")
    with pytest.raises(ValidationError) as caught:
        create_activity(
            network,
            ActivityData(title="X", kind=ActivityKind.OTHER, starts_on=dt.date(2025, 6, 1), chapter=theirs),
            actor=alice,
        )
    assert "chapter" in caught.value.message_dict
    assert Activity.objects.count() == 0


# Admin -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "theme",
        "activity",
        "programmeitem",
        "literatureitem",
        "registration",
        "attendance",
        "shadowing",
        "calendarfeed",
    ],
)
def test_the_admin_lists_every_activities_model(
    client: Client, admin_user: User, gathering: Activity, model: str
) -> None:
    assert login(client, admin_user).get(reverse(f"admin:activities_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["registration", "attendance", "calendarfeed"])
def test_the_admin_does_not_add_what_the_services_make(client: Client, admin_user: User, model: str) -> None:
    assert login(client, admin_user).get(reverse(f"admin:activities_{model}_add")).status_code == 403


def test_an_activity_changed_in_the_admin_is_audited(
    client: Client, admin_user: User, gathering: Activity
) -> None:
    login(client, admin_user)
    url = reverse("admin:activities_activity_change", args=[gathering.pk])
    assert client.get(url).status_code == 200
    data = {
        "network": gathering.network_id,
        "chapter": "",
        "kind": gathering.kind,
        "title": "Endret i admin",
        "themes": [theme.pk for theme in gathering.themes.all()],
        "starts_on": "2025-06-10",
        "ends_on": "2025-06-10",
        "start_time": "09:00",
        "end_time": "15:00",
        "hours": "6.5",
        "place": gathering.place,
        "link": "",
        "description": gathering.description,
        "audience": gathering.audience,
        "capacity": "2",
        "registration_deadline": "2025-06-01",
        "other_participants": "4",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="admin.activity.updated")
    assert entry.fields == ["title"] and entry.actor == admin_user

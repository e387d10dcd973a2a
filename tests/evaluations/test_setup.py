"""Attaching a form to an activity (evaluations:setup) and the room display (evaluations:room).

The builders at the top make activities, evaluations, attendees and responses straight from the models;
test_builder and test_send_links import them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind, Attendance, AttendanceStatus
from fagnett.audit.models import AuditEntry
from fagnett.evaluations.defaults import DEFAULT_TEMPLATE_TITLE
from fagnett.evaluations.models import (
    Answer,
    AnswerLink,
    Evaluation,
    EvaluationForm,
    Option,
    Question,
    QuestionKind,
    Response,
)
from fagnett.evaluations.services import activity_ends_at, default_window
from fagnett.networks.models import LocalChapter, Network, Person
from tests.conftest import login
from tests.helpers import count_queries, nb

OSLO = ZoneInfo("Europe/Oslo")
DAY = dt.date(2025, 6, 11)
CHAPTER_DAY = dt.date(2025, 9, 17)
BEFORE = dt.datetime(2025, 6, 1, 12, tzinfo=OSLO)
DURING = dt.datetime(2025, 6, 11, 11, tzinfo=OSLO)
AFTER = dt.datetime(2025, 6, 11, 15, 30, tzinfo=OSLO)
SLUG = "barnepalliasjon"
PERSONAS = ("alice", "carl", "rita", "lena", "rolf", "charlie", "nobody")


# Builders ------------------------------------------------------------------------------------------------


def make_activity(
    network: Network,
    *,
    title: str = "Fagdag: smertelindring",
    day: dt.date = DAY,
    chapter: LocalChapter | None = None,
    start: dt.time | None = dt.time(9),
    end: dt.time | None = dt.time(15),
) -> Activity:
    return Activity.objects.create(
        network=network,
        chapter=chapter,
        kind=ActivityKind.STUDY_DAY,
        title=title,
        starts_on=day,
        ends_on=day,
        start_time=start,
        end_time=end,
        hours=Decimal(6),
    )


def default_template(network: Network) -> EvaluationForm:
    return EvaluationForm.objects.get(network=network, title=DEFAULT_TEMPLATE_TITLE)


def attach(
    activity: Activity,
    form: EvaluationForm | None = None,
    *,
    email: bool = False,
    opens: dt.datetime | None = None,
    closes: dt.datetime | None = None,
) -> Evaluation:
    default_opens, default_closes = default_window(activity)
    return Evaluation.objects.create(
        activity=activity,
        form=form or default_template(activity.network),
        opens_at=opens or default_opens,
        closes_at=closes or default_closes,
        email_attendees=email,
    )


def attendee(
    activity: Activity,
    email: str,
    first_name: str = "Randi",
    *,
    status: str = AttendanceStatus.ATTENDED,
) -> Person:
    person = Person.objects.filter(network=activity.network, email=email).first()
    if person is None:
        person = Person.objects.create(
            network=activity.network, first_name=first_name, last_name="Deltaker", email=email
        )
    Attendance.objects.create(activity=activity, person=person, status=status, hours=Decimal(6))
    return person


def respond(
    evaluation: Evaluation, question: Question | None = None, option: Option | None = None
) -> Response:
    """A response answering one question (the form's first scale question when none is given)."""
    response = Response.objects.create(evaluation=evaluation, submitted_on=evaluation.activity.starts_on)
    target = question or evaluation.form.questions.filter(kind=QuestionKind.SCALE).first()
    assert target is not None
    if option is not None:
        Answer.objects.create(response=response, question=target, option=option)
    elif target.kind == QuestionKind.SCALE:
        Answer.objects.create(response=response, question=target, number=4)
    else:
        Answer.objects.create(response=response, question=target, text="Bra")
    return response


def page(client: Client, user: User | None, path: str) -> int:
    if user is not None:
        login(client, user)
    return client.get(path).status_code


# Fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture
def activity(network: Network) -> Activity:
    """A network study day on 11.06.2025, 09:00–15:00."""
    return make_activity(network)


@pytest.fixture
def chapter_activity(network: Network, chapter: LocalChapter) -> Activity:
    """A gathering the Stavanger chapter organises on 17.09.2025, 12:00–15:00."""
    return make_activity(
        network, title="Lokal samling Stavanger", day=CHAPTER_DAY, chapter=chapter, start=dt.time(12)
    )


@pytest.fixture
def before() -> Iterator[None]:
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def during() -> Iterator[None]:
    with time_machine.travel(DURING, tick=False):
        yield


@pytest.fixture
def after() -> Iterator[None]:
    with time_machine.travel(AFTER, tick=False):
        yield


def setup_path(activity: Activity) -> str:
    return reverse("evaluations:setup", args=[activity.network.slug, activity.pk])


def room_path(evaluation: Evaluation) -> str:
    return reverse("evaluations:room", args=[evaluation.activity.network.slug, evaluation.pk])


def setup_post(activity: Activity, form: EvaluationForm, **extra: str) -> dict[str, str]:
    data = {
        "action": "save",
        "form": str(form.pk),
        "opens_at": "2025-06-11T08:00",
        "closes_at": "2025-06-25T15:00",
    }
    data.update(extra)
    return data


# Who may open the pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("carl", 404),
        ("rita", 404),
        ("lena", 404),
        ("rolf", 404),
        ("charlie", 404),
        ("nobody", 404),
    ],
)
def test_only_those_who_manage_a_network_activity_may_set_up_its_evaluation(
    request: pytest.FixtureRequest, client: Client, activity: Activity, persona: str, status: int
) -> None:
    request.getfixturevalue("chapter")
    user = request.getfixturevalue(persona)
    assert page(client, user, setup_path(activity)) == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("carl", 200),
        ("rita", 404),
        ("lena", 404),
        ("rolf", 404),
        ("charlie", 404),
        ("nobody", 404),
    ],
)
def test_a_chapter_coordinator_may_set_up_the_evaluation_of_the_chapters_activity(
    request: pytest.FixtureRequest, client: Client, chapter_activity: Activity, persona: str, status: int
) -> None:
    user = request.getfixturevalue(persona)
    assert page(client, user, setup_path(chapter_activity)) == status


@pytest.mark.parametrize(
    ("persona", "network_status", "chapter_status"),
    [
        ("alice", 200, 200),
        ("carl", 404, 200),
        ("rita", 404, 404),
        ("lena", 404, 404),
        ("rolf", 404, 404),
        ("charlie", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_the_room_display_is_for_those_who_manage_the_activity(
    request: pytest.FixtureRequest,
    client: Client,
    activity: Activity,
    chapter_activity: Activity,
    persona: str,
    network_status: int,
    chapter_status: int,
) -> None:
    user = request.getfixturevalue(persona)
    assert page(client, user, room_path(attach(activity))) == network_status
    assert page(client, None, room_path(attach(chapter_activity))) == chapter_status


def test_anonymous_visitors_are_sent_to_log_in(client: Client, activity: Activity) -> None:
    evaluation = attach(activity)
    for path in (setup_path(activity), room_path(evaluation)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_missing_activity_or_evaluation_is_404(client: Client, alice: User, activity: Activity) -> None:
    login(client, alice)
    assert client.get(reverse("evaluations:setup", args=[SLUG, activity.pk + 100])).status_code == 404
    assert client.get(reverse("evaluations:room", args=[SLUG, 999])).status_code == 404


def test_charlie_cannot_reach_an_evaluation_through_his_own_network(
    client: Client, charlie: User, activity: Activity
) -> None:
    evaluation = attach(activity)
    login(client, charlie)
    assert client.get(reverse("evaluations:setup", args=["bergen", activity.pk])).status_code == 404
    assert client.get(reverse("evaluations:room", args=["bergen", evaluation.pk])).status_code == 404


# Attaching -----------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("before")
def test_the_form_is_offered_with_the_default_template_and_the_default_times(
    client: Client, alice: User, activity: Activity
) -> None:
    login(client, alice)
    response = client.get(setup_path(activity))
    form = response.context["form"]
    assert form.initial["form"] == default_template(activity.network)
    assert form.initial["opens_at"] == dt.datetime(2025, 6, 11, 8, 0, tzinfo=OSLO)
    assert form.initial["closes_at"] == dt.datetime(2025, 6, 25, 15, 0, tzinfo=OSLO)
    assert 'value="2025-06-11T08:00"' in response.content.decode()


def test_without_an_end_time_the_activity_ends_at_midnight_and_closes_14_days_later(network: Network) -> None:
    activity = make_activity(network, start=None, end=None)
    assert activity_ends_at(activity) == dt.datetime(2025, 6, 12, 0, 0, tzinfo=OSLO)
    assert default_window(activity) == (
        dt.datetime(2025, 6, 11, 8, 0, tzinfo=OSLO),
        dt.datetime(2025, 6, 26, 0, 0, tzinfo=OSLO),
    )


@pytest.mark.usefixtures("before")
def test_only_the_networks_forms_are_offered(
    client: Client, alice: User, activity: Activity, other_network: Network
) -> None:
    login(client, alice)
    foreign = default_template(other_network)
    response = client.get(setup_path(activity))
    assert foreign.pk not in [f.pk for f in response.context["form"].fields["form"].queryset]
    response = client.post(setup_path(activity), setup_post(activity, foreign))
    assert response.status_code == 200
    assert not Evaluation.objects.exists()


@pytest.mark.usefixtures("before")
def test_a_coordinator_attaches_a_form_and_sees_the_short_link(
    client: Client, alice: User, activity: Activity, settings: object
) -> None:
    login(client, alice)
    template = default_template(activity.network)
    response = client.post(setup_path(activity), setup_post(activity, template, email_attendees="on"))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(activity=activity)
    assert evaluation.form == template
    assert evaluation.opens_at == dt.datetime(2025, 6, 11, 8, 0, tzinfo=OSLO)
    assert evaluation.closes_at == dt.datetime(2025, 6, 25, 15, 0, tzinfo=OSLO)
    assert evaluation.email_attendees
    assert AuditEntry.objects.filter(action="evaluations.evaluation_attached", actor=alice).count() == 1
    text = client.get(setup_path(activity)).content.decode()
    assert f"/e/{evaluation.short_code}/" in text
    assert reverse("evaluations:room", args=[SLUG, evaluation.pk]) in text
    assert reverse("evaluations:results", args=[SLUG, evaluation.pk]) in text


@pytest.mark.usefixtures("before")
def test_the_short_link_is_absolute(
    client: Client, alice: User, activity: Activity, settings: object
) -> None:
    setattr(settings, "FAGNETT_BASE_URL", "https://fagnett.example.no")  # noqa: B010
    evaluation = attach(activity)
    login(client, alice)
    text = client.get(setup_path(activity)).content.decode()
    assert f"https://fagnett.example.no/e/{evaluation.short_code}/" in text


@pytest.mark.usefixtures("before")
def test_a_chapter_coordinator_attaches_a_form_to_the_chapters_activity(
    client: Client, carl: User, chapter_activity: Activity
) -> None:
    login(client, carl)
    template = default_template(chapter_activity.network)
    data = setup_post(chapter_activity, template, opens_at="2025-09-17T12:00", closes_at="2025-10-01T15:00")
    assert client.post(setup_path(chapter_activity), data).status_code == 302
    assert Evaluation.objects.get(activity=chapter_activity).form == template


@pytest.mark.usefixtures("before")
def test_it_rejects_a_form_that_closes_before_it_opens(
    client: Client, alice: User, activity: Activity
) -> None:
    login(client, alice)
    data = setup_post(activity, default_template(activity.network), closes_at="2025-06-10T08:00")
    response = client.post(setup_path(activity), data)
    assert response.status_code == 200
    assert nb("The form must close after it opens.") in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.usefixtures("before")
def test_it_rejects_e_mailing_a_link_to_a_form_that_closes_before_the_activity_ends(
    client: Client, alice: User, activity: Activity
) -> None:
    login(client, alice)
    data = setup_post(
        activity, default_template(activity.network), closes_at="2025-06-11T14:00", email_attendees="on"
    )
    response = client.post(setup_path(activity), data)
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"]
    assert not Evaluation.objects.exists()


@pytest.mark.usefixtures("before")
def test_dates_typed_the_norwegian_way_are_understood(
    client: Client, alice: User, activity: Activity
) -> None:
    login(client, alice)
    data = setup_post(
        activity,
        default_template(activity.network),
        opens_at="11.06.2025 08:00",
        closes_at="25.06.2025 15:00",
    )
    assert client.post(setup_path(activity), data).status_code == 302
    assert Evaluation.objects.get().closes_at == dt.datetime(2025, 6, 25, 15, 0, tzinfo=OSLO)


# Changing and removing -----------------------------------------------------------------------------------


@pytest.fixture
def other_form(network: Network) -> EvaluationForm:
    form = EvaluationForm.objects.create(network=network, title="Kursevaluering")
    Question.objects.create(form=form, text="Hva lærte du?", kind=QuestionKind.TEXT)
    return form


@pytest.mark.usefixtures("before")
def test_the_form_and_times_can_change_before_there_are_responses(
    client: Client, alice: User, activity: Activity, other_form: EvaluationForm
) -> None:
    evaluation = attach(activity)
    login(client, alice)
    response = client.post(
        setup_path(activity), setup_post(activity, other_form, closes_at="2025-06-30T12:00")
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.form == other_form
    assert evaluation.closes_at == dt.datetime(2025, 6, 30, 12, 0, tzinfo=OSLO)
    entry = AuditEntry.objects.get(action="evaluations.evaluation_updated")
    assert entry.fields == ["closes_at", "form"]


@pytest.mark.usefixtures("before")
def test_the_form_cannot_change_once_there_are_responses_but_the_times_can(
    client: Client, alice: User, activity: Activity, other_form: EvaluationForm
) -> None:
    evaluation = attach(activity)
    respond(evaluation)
    login(client, alice)
    response = client.post(setup_path(activity), setup_post(activity, other_form))
    assert response.status_code == 200
    assert response.context["form"].errors["form"]
    evaluation.refresh_from_db()
    assert evaluation.form == default_template(activity.network)
    template = default_template(activity.network)
    response = client.post(setup_path(activity), setup_post(activity, template, closes_at="2025-06-30T12:00"))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.closes_at == dt.datetime(2025, 6, 30, 12, 0, tzinfo=OSLO)


@pytest.mark.usefixtures("before")
def test_removing_asks_first_and_then_removes_an_evaluation_without_responses(
    client: Client, alice: User, activity: Activity
) -> None:
    evaluation = attach(activity)
    AnswerLink.objects.create(evaluation=evaluation, token_hash="a" * 64)
    login(client, alice)
    confirm = client.get(setup_path(activity) + "?fjern=1").content.decode()
    assert 'name="action" value="remove"' in confirm
    response = client.post(setup_path(activity), {"action": "remove"})
    assert response.status_code == 302
    assert not Evaluation.objects.exists()
    assert not AnswerLink.objects.exists()
    assert EvaluationForm.objects.filter(pk=evaluation.form_id).exists()
    assert AuditEntry.objects.filter(action="evaluations.evaluation_removed").count() == 1


@pytest.mark.usefixtures("before")
def test_an_evaluation_with_responses_cannot_be_removed(
    client: Client, alice: User, activity: Activity
) -> None:
    evaluation = attach(activity)
    respond(evaluation)
    login(client, alice)
    page_text = client.get(setup_path(activity) + "?fjern=1").content.decode()
    assert 'value="remove"' not in page_text
    response = client.post(setup_path(activity), {"action": "remove"}, follow=True)
    assert (
        nb(
            "The evaluation has responses, so it cannot be removed from the activity: the answers would be "
            "deleted with it."
        )
        in response.content.decode()
    )
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    assert Response.objects.count() == 1


# The page's facts and the send button ---------------------------------------------------------------------


@pytest.mark.usefixtures("after")
def test_the_page_shows_responses_and_attendees_so_far(
    client: Client, alice: User, activity: Activity
) -> None:
    evaluation = attach(activity)
    respond(evaluation)
    respond(evaluation)
    attendee(activity, "a@example.no")
    attendee(activity, "b@example.no", status=AttendanceStatus.ABSENT)
    login(client, alice)
    facts = client.get(setup_path(activity)).context["facts"]
    assert (facts.responses, facts.attendees, facts.attendees_with_email) == (2, 1, 1)


def test_the_setup_page_needs_the_same_number_of_queries_whatever_the_data(
    client: Client, alice: User, activity: Activity
) -> None:
    evaluation = attach(activity)
    login(client, alice)
    path = setup_path(activity)
    client.get(path)
    first = count_queries(lambda: client.get(path))
    for number in range(6):
        respond(evaluation)
        attendee(activity, f"p{number}@example.no")
    assert count_queries(lambda: client.get(path)) == first


@pytest.mark.usefixtures("during")
def test_the_send_button_waits_until_the_activity_has_ended(
    client: Client, alice: User, activity: Activity
) -> None:
    attach(activity)
    attendee(activity, "a@example.no")
    login(client, alice)
    text = client.get(setup_path(activity)).content.decode()
    assert 'value="send"' not in text
    moment = nb("%(date)s at %(time)s", date="11.06.2025", time="15:00")
    assert nb("The link is sent when the activity has ended, %(moment)s.", moment=moment) in text
    response = client.post(setup_path(activity), {"action": "send"}, follow=True)
    assert len(mail.outbox) == 0
    assert Evaluation.objects.get().emailed_at is None
    assert response.status_code == 200


@pytest.mark.usefixtures("after")
def test_send_now_e_mails_each_attendee_once_even_without_the_opt_in(
    client: Client, alice: User, activity: Activity
) -> None:
    evaluation = attach(activity)
    attendee(activity, "a@example.no", "Anne")
    attendee(activity, "b@example.no", "Berit")
    login(client, alice)
    assert 'value="send"' in client.get(setup_path(activity)).content.decode()
    response = client.post(setup_path(activity), {"action": "send"}, follow=True)
    with translation.override("nb"):
        sent = translation.ngettext(
            "The link was e-mailed to %(count)s attendee.", "The link was e-mailed to %(count)s attendees.", 2
        )
    assert sent % {"count": 2} in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.no", "b@example.no"]
    evaluation.refresh_from_db()
    assert evaluation.emailed_at == AFTER
    assert AnswerLink.objects.filter(evaluation=evaluation).count() == 2
    client.post(setup_path(activity), {"action": "send"})
    assert len(mail.outbox) == 2
    assert 'value="send"' not in client.get(setup_path(activity)).content.decode()


@pytest.mark.usefixtures("after")
def test_send_now_does_nothing_without_attendees(client: Client, alice: User, activity: Activity) -> None:
    attach(activity)
    login(client, alice)
    text = client.get(setup_path(activity)).content.decode()
    assert 'value="send"' not in text
    response = client.post(setup_path(activity), {"action": "send"}, follow=True)
    assert (
        nb("No attendee with an e-mail address is recorded for the activity yet.")
        in response.content.decode()
    )
    assert Evaluation.objects.get().emailed_at is None


# The room display ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("during")
def test_the_room_display_shows_a_qr_code_and_the_short_link(
    client: Client, alice: User, activity: Activity, settings: object
) -> None:
    setattr(settings, "FAGNETT_BASE_URL", "https://fagnett.example.no")  # noqa: B010
    evaluation = attach(activity)
    login(client, alice)
    text = client.get(room_path(evaluation)).content.decode()
    assert '<svg role="img"' in text
    assert f'href="https://fagnett.example.no/e/{evaluation.short_code}/"' in text
    assert f">fagnett.example.no/e/{evaluation.short_code}/<" in text
    assert activity.title in text
    assert "25.06.2025" in text


@pytest.mark.usefixtures("before")
def test_without_any_form_the_page_says_where_forms_are_made(
    client: Client, alice: User, activity: Activity
) -> None:
    EvaluationForm.objects.filter(network=activity.network).delete()
    login(client, alice)
    text = client.get(setup_path(activity)).content.decode()
    assert (
        nb("The network has no evaluation forms. A network coordinator creates them under Evaluation forms.")
        in text
    )
    response = client.post(setup_path(activity), {"action": "save", "opens_at": "2025-06-11T08:00"})
    assert response.status_code == 200
    assert not Evaluation.objects.exists()

"""The Nettskjema import pages: upload, preview with the choice of questions, confirm."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Activity
from fagnett.evaluations.models import Answer, Evaluation, EvaluationForm, Question, Response
from fagnett.networks.models import LocalChapter, Network
from tests.conftest import login
from tests.evaluations.test_nettskjema import (
    ELEMENTS,
    IMPORT_DAY,
    changed_report,
    make_activity,
    many_rows,
    report_bytes,
    report_rows,
    to_xlsx,
)
from tests.helpers import count_queries, nb


@pytest.fixture
def study_day(network: Network) -> Activity:
    return make_activity(network)


@pytest.fixture
def chapter_day(network: Network, chapter: LocalChapter) -> Activity:
    return make_activity(network, chapter=chapter, title="Lokal fagdag")


def upload_url(activity: Activity) -> str:
    return reverse("evaluations:import_upload", args=[activity.network.slug, activity.pk])


def upload(
    client: Client, activity: Activity, data: bytes | None = None, name: str = "rapport.csv", **extra: Any
) -> str:
    """Upload a report; the preview's address."""
    files = {"file": SimpleUploadedFile(name, report_bytes() if data is None else data)} | extra
    response = client.post(upload_url(activity), files)
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def batch_of(url: str) -> int:
    match = re.search(r"/import/([0-9]+)/", url)
    assert match is not None
    return int(match.group(1))


def select_names(html: str) -> dict[str, str]:
    """The preview's selects: name → the option selected."""
    selects: dict[str, str] = {}
    for name, body in re.findall(r'<select name="(g[0-9]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        selects[name] = chosen.group(1) if chosen else ""
    return selects


# --- Who may open the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "chapter_activity", "status"),
    [
        ("alice", False, 200),
        ("alice", True, 200),
        ("carl", True, 200),
        ("carl", False, 404),
        ("rita", False, 404),
        ("lena", False, 404),
        ("rolf", False, 404),
        ("charlie", False, 404),
        ("nobody", False, 404),
    ],
)
def test_only_those_who_manage_the_activity_may_import(
    client: Client,
    request: pytest.FixtureRequest,
    study_day: Activity,
    chapter_day: Activity,
    alice: User,
    persona: str,
    chapter_activity: bool,
    status: int,
) -> None:
    activity = chapter_day if chapter_activity else study_day
    user: User = request.getfixturevalue(persona)
    # The preview of an upload alice made: nobody else may open it, and only she may, where she manages.
    batch = batch_of(upload(login(Client(), alice), activity))
    login(client, user)

    assert client.get(upload_url(activity)).status_code == status
    assert client.post(
        upload_url(activity), {"file": SimpleUploadedFile("r.csv", report_bytes())}
    ).status_code in ((302,) if status == 200 else (404,))
    preview = reverse("evaluations:import_preview", args=[activity.network.slug, activity.pk, batch])
    expected = 200 if persona == "alice" else 404  # an upload is its uploader's
    assert client.get(preview).status_code == expected
    assert client.post(preview, {"action": "import"}).status_code in ((200,) if expected == 200 else (404,))
    if persona != "alice":
        assert not Response.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, study_day: Activity) -> None:
    for url in (
        upload_url(study_day),
        reverse("evaluations:import_preview", args=[study_day.network.slug, study_day.pk, 123456789]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_an_upload_cannot_be_previewed_on_another_activity(
    client: Client, alice: User, study_day: Activity, chapter_day: Activity
) -> None:
    login(client, alice)
    batch = batch_of(upload(client, study_day))
    other = reverse("evaluations:import_preview", args=[chapter_day.network.slug, chapter_day.pk, batch])
    assert client.get(other).status_code == 404


# --- Upload, preview, confirm ----------------------------------------------------------------------------


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_coordinator_previews_and_imports_the_example_report(
    client: Client, alice: User, study_day: Activity
) -> None:
    login(client, alice)
    page = client.get(upload_url(study_day))
    assert page.status_code == 200
    assert nb("Import from Nettskjema") in page.content.decode()

    preview_url = upload(client, study_day)
    page = client.get(preview_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fagdag om Nettskjema (Nettskjema)" in html  # the form the import will make
    assert page.context["preview"].to_create == 3
    selects = select_names(html)
    assert len(selects) == 15  # one per question group; the two attachments have none
    assert set(selects.values()) <= {"new:text", "new:single", "new:multiple"}
    assert nb("attachments are not imported: files are not stored") in html
    assert not Response.objects.exists()  # the preview writes nothing

    response = client.post(preview_url, {**selects, "action": "import"})
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:setup", args=[study_day.network.slug, study_day.pk])
    assert Response.objects.filter(evaluation__activity=study_day).count() == 3
    assert client.get(preview_url).status_code == 404  # the stored upload is gone

    again = client.get(upload(client, study_day))
    assert again.context["preview"].unchanged == 3
    assert (
        nb("Nothing to import: every response in the file has been imported before.")
        in again.content.decode()
    )


@time_machine.travel(IMPORT_DAY, tick=False)
def test_the_coordinator_chooses_where_each_column_goes(
    client: Client, alice: User, study_day: Activity
) -> None:
    login(client, alice)
    preview_url = upload(client, study_day)
    selects = select_names(client.get(preview_url).content.decode())
    groups = [plan.group.key for plan in client.get(preview_url).context["importer"].plans]
    choices = dict(selects)
    choices[f"g{groups.index('dropdown')}"] = "skip"
    choices[f"g{groups.index('radio_matrix.lecture')}"] = "new:scale"

    page = client.post(preview_url, {**choices, "action": "preview"})
    assert page.status_code == 200
    assert not Response.objects.exists()  # updating the preview writes nothing
    plans = {plan.group.key: plan for plan in page.context["importer"].plans}
    assert plans["dropdown"].skipped
    assert plans["radio_matrix.lecture"].kind == "scale"

    client.post(preview_url, {**choices, "action": "import"})
    form = EvaluationForm.objects.get(evaluations__activity=study_day)
    assert not Question.objects.filter(form=form, external_key="dropdown").exists()
    lecture = Question.objects.get(form=form, external_key="radio_matrix.lecture")
    assert lecture.kind == "scale"
    numbers = Answer.objects.filter(question=lecture).values_list("number", flat=True)
    assert sorted(number or 0 for number in numbers) == [1, 2, 3]


@time_machine.travel(IMPORT_DAY, tick=False)
def test_the_form_definition_gives_the_questions_their_texts(
    client: Client, alice: User, study_day: Activity
) -> None:
    login(client, alice)
    preview_url = upload(
        client, study_day, elements=SimpleUploadedFile("elements.json", ELEMENTS.read_bytes())
    )
    assert "?elements=" in preview_url
    page = client.get(preview_url)
    assert "How happy are we with Nettskjema?" in page.content.decode()
    # The form posts to the same address, which names the stored form definition.
    client.post(preview_url, {**select_names(page.content.decode()), "action": "import"})
    assert Question.objects.filter(
        text="How happy are we with Nettskjema?", form__evaluations__activity=study_day
    ).exists()


def test_an_element_file_that_is_not_json_is_refused(
    client: Client, alice: User, study_day: Activity
) -> None:
    login(client, alice)
    response = client.post(
        upload_url(study_day),
        {
            "file": SimpleUploadedFile("r.csv", report_bytes()),
            "elements": SimpleUploadedFile("e.json", b"nei"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["elements"]


def test_an_upload_of_another_file_type_is_refused(client: Client, alice: User, study_day: Activity) -> None:
    login(client, alice)
    response = client.post(upload_url(study_day), {"file": SimpleUploadedFile("r.pdf", b"%PDF")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [nb("Choose an .xlsx or a .csv file.")]


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_report_with_an_error_shows_row_and_column_and_saves_nothing(
    client: Client, alice: User, study_day: Activity
) -> None:
    login(client, alice)
    data = changed_report({("27685319", "checkbox_matrix.2.union"): "ja"})
    preview_url = upload(client, study_day, data)
    page = client.get(preview_url)
    html = page.content.decode()
    assert page.context["preview"].errors[0].row == 4
    assert "<code>checkbox_matrix.2.union</code>" in html
    assert 'value="import"' not in html  # no confirm button

    response = client.post(preview_url, {**select_names(html), "action": "import"})
    assert response.status_code == 200
    assert not Response.objects.exists()
    assert not Evaluation.objects.exists()


def test_a_report_with_personal_data_is_refused(client: Client, alice: User, study_day: Activity) -> None:
    login(client, alice)
    data = changed_report({}, extra={"epost": ["a@example.no", "b@example.no", "c@example.no"]})
    page = client.get(upload(client, study_day, data))
    errors = page.context["preview"].errors
    assert [(error.row, error.column) for error in errors] == [(1, "epost")]
    assert nb("an e-mail address") in errors[0].message


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_chapter_coordinator_imports_into_the_chapters_activity(
    client: Client, carl: User, chapter_day: Activity
) -> None:
    login(client, carl)
    preview_url = upload(client, chapter_day, to_xlsx(report_rows()), "rapport.xlsx")
    page = client.get(preview_url)
    client.post(preview_url, {**select_names(page.content.decode()), "action": "import"})
    assert Response.objects.filter(evaluation__activity=chapter_day).count() == 3


def test_the_preview_page_takes_as_many_queries_for_300_rows_as_for_3(
    client: Client, alice: User, study_day: Activity
) -> None:
    login(client, alice)
    small = upload(client, study_day, many_rows(3))
    large = upload(client, study_day, many_rows(300))
    client.get(small)  # warm up the session and the translation catalogue

    assert count_queries(lambda: client.get(large)) == count_queries(lambda: client.get(small))
    assert not Response.objects.exists()  # a preview writes nothing

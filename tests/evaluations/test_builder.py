"""The form builder: forms and templates, sections, questions and options; copying; deleting; what may change
once there are answers; and the default template every network gets (on creation and by migration)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.evaluations import services
from fagnett.evaluations.defaults import DEFAULT_SECTIONS, DEFAULT_TEMPLATE_TITLE
from fagnett.evaluations.models import (
    Answer,
    Evaluation,
    EvaluationForm,
    Option,
    Question,
    QuestionKind,
    Response,
    Section,
)
from fagnett.networks.models import Network
from tests.conftest import login
from tests.evaluations.test_setup import PERSONAS, SLUG, attach, default_template, make_activity, respond
from tests.helpers import count_queries, nb


def url(name: str, *args: Any) -> str:
    return reverse(f"evaluations:{name}", args=[SLUG, *args])


@pytest.fixture
def form(network: Network) -> EvaluationForm:
    """A form with one section and a question of each kind."""
    form = EvaluationForm.objects.create(network=network, title="Evaluering av kurs", intro="Si din mening.")
    section = Section.objects.create(form=form, title="Kurset", intro="Om selve kurset.", position=1)
    Question.objects.create(
        form=form,
        section=section,
        text="Faglig utbytte",
        kind=QuestionKind.SCALE,
        scale_min_label="Svært lite",
        scale_max_label="Svært stort",
        required=True,
        position=1,
    )
    single = Question.objects.create(
        form=form, section=section, text="Lengde", kind=QuestionKind.SINGLE, position=2
    )
    for position, text in enumerate(["For kort", "Passe", "For lang"], start=1):
        Option.objects.create(question=single, text=text, position=position)
    multiple = Question.objects.create(
        form=form, text="Hva var best?", kind=QuestionKind.MULTIPLE, position=3
    )
    for position, text in enumerate(["Foredrag", "Gruppearbeid"], start=1):
        Option.objects.create(question=multiple, text=text, position=position)
    Question.objects.create(
        form=form, text="Kommentarer", kind=QuestionKind.TEXT, help_text="Fritt", position=4
    )
    return form


def question_of(form: EvaluationForm, text: str) -> Question:
    return form.questions.get(text=text)


def answer_option(form: EvaluationForm, question_text: str, option_text: str) -> Response:
    """A response on an activity using `form` that chose one option."""
    question = question_of(form, question_text)
    evaluation = Evaluation.objects.filter(form=form).first() or attach(
        make_activity(form.network, title=f"Aktivitet {Evaluation.objects.count()}"), form
    )
    return respond(evaluation, question, question.options.get(text=option_text))


def question_post(**values: str) -> dict[str, str]:
    data = {"text": "Hvordan var lunsjen?", "kind": "scale", "help_text": "", "position": ""}
    data.update(values)
    return data


def error_text(response: Any, field: str) -> str:
    return " ".join(response.context["form"].errors[field])


# Who may open the pages ----------------------------------------------------------------------------------

WRITE_PAGES = (
    ("form_create", False),
    ("form_edit", True),
    ("form_delete", True),
    ("section_create", True),
    ("question_create", True),
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_forms_list_and_a_forms_page_are_for_coordinators_and_chapter_coordinators(
    request: pytest.FixtureRequest, client: Client, form: EvaluationForm, persona: str
) -> None:
    request.getfixturevalue("chapter")
    login(client, request.getfixturevalue(persona))
    expected = 200 if persona in ("alice", "carl") else 404
    assert client.get(url("forms")).status_code == expected
    assert client.get(url("form_detail", form.pk)).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_network_coordinators_may_change_forms(
    request: pytest.FixtureRequest, client: Client, form: EvaluationForm, persona: str
) -> None:
    request.getfixturevalue("chapter")
    login(client, request.getfixturevalue(persona))
    expected = 200 if persona == "alice" else 404
    section = form.sections.get()
    question = question_of(form, "Lengde")
    paths = [
        url("form_create"),
        url("form_edit", form.pk),
        url("form_delete", form.pk),
        url("section_create", form.pk),
        url("section_edit", section.pk),
        url("section_delete", section.pk),
        url("question_create", form.pk),
        url("question_edit", question.pk),
        url("question_delete", question.pk),
    ]
    assert [client.get(path).status_code for path in paths] == [expected] * len(paths)
    copies = EvaluationForm.objects.count()
    assert client.post(url("form_copy", form.pk)).status_code == (302 if persona == "alice" else 404)
    assert EvaluationForm.objects.count() == copies + (1 if persona == "alice" else 0)


@pytest.mark.parametrize("persona", ("carl", "rita", "rolf", "nobody"))
def test_those_who_may_not_change_forms_change_nothing_by_posting(
    request: pytest.FixtureRequest, client: Client, form: EvaluationForm, persona: str
) -> None:
    request.getfixturevalue("chapter")
    login(client, request.getfixturevalue(persona))
    section = form.sections.get()
    question = question_of(form, "Lengde")
    assert (
        client.post(url("form_edit", form.pk), {"title": "Hacket", "min_responses_shown": "1"}).status_code
        == 404
    )
    assert client.post(url("form_delete", form.pk)).status_code == 404
    assert client.post(url("section_delete", section.pk)).status_code == 404
    assert client.post(url("question_delete", question.pk)).status_code == 404
    assert client.post(url("question_create", form.pk), question_post()).status_code == 404
    form.refresh_from_db()
    assert form.title == "Evaluering av kurs"
    assert form.questions.count() == 4
    assert form.sections.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client: Client, form: EvaluationForm) -> None:
    for path in (url("forms"), url("form_detail", form.pk), url("form_create"), url("form_edit", form.pk)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(url("form_copy", form.pk)).status_code == 302
    assert EvaluationForm.objects.filter(network=form.network).count() == 2


def test_charlie_sees_no_form_of_another_network_even_through_his_own(
    client: Client, charlie: User, form: EvaluationForm
) -> None:
    login(client, charlie)
    section = form.sections.get()
    question = question_of(form, "Lengde")
    assert client.get(url("form_detail", form.pk)).status_code == 404
    for name, pk in (("form_detail", form.pk), ("form_edit", form.pk), ("section_edit", section.pk)):
        assert client.get(reverse(f"evaluations:{name}", args=["bergen", pk])).status_code == 404
    assert client.get(reverse("evaluations:question_edit", args=["bergen", question.pk])).status_code == 404
    assert client.post(reverse("evaluations:form_copy", args=["bergen", form.pk])).status_code == 404


def test_a_missing_form_section_or_question_is_404(client: Client, alice: User) -> None:
    login(client, alice)
    for name in ("form_detail", "form_edit", "section_edit", "question_edit", "question_delete"):
        assert client.get(url(name, 99999)).status_code == 404


def test_copy_accepts_only_post(client: Client, alice: User, form: EvaluationForm) -> None:
    login(client, alice)
    assert client.get(url("form_copy", form.pk)).status_code == 405


# The list and the preview --------------------------------------------------------------------------------


def test_the_list_puts_templates_first_and_marks_them(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    response = client.get(url("forms"))
    rows = response.context["rows"]
    assert [row.form.title for row in rows] == [DEFAULT_TEMPLATE_TITLE, "Evaluering av kurs"]
    assert [row.questions for row in rows] == [6, 4]
    text = response.content.decode()
    assert text.count(f'<span class="ds-tag" data-color="info">{nb("Template")}</span>') == 1
    assert url("form_create") in text


def test_a_chapter_coordinator_sees_the_forms_without_edit_links(
    client: Client, carl: User, form: EvaluationForm
) -> None:
    login(client, carl)
    assert url("form_create") not in client.get(url("forms")).content.decode()
    text = client.get(url("form_detail", form.pk)).content.decode()
    assert "Faglig utbytte" in text
    assert url("form_edit", form.pk) not in text
    assert url("question_edit", question_of(form, "Lengde").pk) not in text
    assert url("form_copy", form.pk) not in text


def test_the_list_counts_activities_and_responses(client: Client, alice: User, form: EvaluationForm) -> None:
    first = attach(make_activity(form.network, title="Kurs 1"), form)
    attach(make_activity(form.network, title="Kurs 2"), form)
    respond(first)
    respond(first)
    login(client, alice)
    row = next(row for row in client.get(url("forms")).context["rows"] if row.form == form)
    assert (row.activities, row.responses) == (2, 2)


def test_the_list_needs_the_same_number_of_queries_whatever_the_number_of_forms(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    client.get(url("forms"))
    first = count_queries(lambda: client.get(url("forms")))
    for number in range(5):
        copy = services.copy_form(form, actor=alice)
        respond(attach(make_activity(form.network, title=f"Kurs {number}"), copy))
    assert count_queries(lambda: client.get(url("forms"))) == first


def test_the_detail_page_previews_the_form_as_respondents_see_it_with_edit_links(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    text = client.get(url("form_detail", form.pk)).content.decode()
    assert "Si din mening." in text
    assert "Om selve kurset." in text
    assert "1 – Svært lite" in text
    assert "5 – Svært stort" in text
    assert 'type="radio"' in text
    assert 'type="checkbox"' in text
    assert "<textarea" in text
    assert '<fieldset class="ds-fieldset" disabled' in text
    assert (
        nb(
            "Your response is anonymous: it is stored without your name, e-mail address, IP address or "
            "time of day."
        )
        in text
    )
    for question in form.questions.all():
        assert url("question_edit", question.pk) in text
        assert url("question_delete", question.pk) in text
    assert url("section_edit", form.sections.get().pk) in text
    # Questions outside any section come before the sections, as on the answer page.
    assert text.index("Hva var best?") < text.index("Om selve kurset.")


def test_the_detail_page_does_not_offer_to_delete_an_answered_question(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    answer_option(form, "Lengde", "Passe")
    login(client, alice)
    text = client.get(url("form_detail", form.pk)).content.decode()
    assert url("question_delete", question_of(form, "Lengde").pk) not in text
    assert url("question_delete", question_of(form, "Kommentarer").pk) in text


def test_the_detail_page_needs_the_same_number_of_queries_whatever_the_form_holds(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    client.get(url("form_detail", form.pk))
    first = count_queries(lambda: client.get(url("form_detail", form.pk)))
    section = Section.objects.create(form=form, title="Mer", position=2)
    for number in range(5):
        question = Question.objects.create(
            form=form, section=section, text=f"Valg {number}", kind=QuestionKind.SINGLE
        )
        Option.objects.bulk_create(Option(question=question, text=f"{number}-{n}") for n in range(3))
        respond(
            attach(make_activity(form.network, title=f"Kurs {number}"), form),
            question,
            question.options.first(),
        )
    assert count_queries(lambda: client.get(url("form_detail", form.pk))) == first


# Creating and copying ------------------------------------------------------------------------------------


def test_a_coordinator_creates_a_blank_form(client: Client, alice: User) -> None:
    login(client, alice)
    response = client.post(
        url("form_create"), {"start_from": "blank", "title": "  Evaluering   av hospitering "}
    )
    created = EvaluationForm.objects.get(title="Evaluering av hospitering")
    assert response["Location"] == url("form_detail", created.pk)
    assert created.anonymous and not created.is_template and created.min_responses_shown == 3
    assert not created.questions.exists()
    assert AuditEntry.objects.filter(action="evaluations.form_created", actor=alice).count() == 1


def test_a_blank_form_needs_a_title(client: Client, alice: User) -> None:
    login(client, alice)
    response = client.post(url("form_create"), {"start_from": "blank", "title": ""})
    assert response.status_code == 200
    assert error_text(response, "title") == nb("Write a title for the blank form.")
    assert EvaluationForm.objects.count() == 1


def test_a_form_created_from_the_template_copies_everything_and_is_called_kopi_av(
    client: Client, alice: User, network: Network
) -> None:
    template = default_template(network)
    login(client, alice)
    response = client.post(url("form_create"), {"start_from": str(template.pk), "title": ""})
    assert response.status_code == 302
    copy = EvaluationForm.objects.get(title=f"Kopi av {DEFAULT_TEMPLATE_TITLE}")
    assert not copy.is_template
    assert copy.intro == template.intro
    assert [s.title for s in copy.sections.all()] == [s.title for s in template.sections.all()]
    assert [(q.text, q.kind, q.section.title if q.section else "") for q in copy.questions.all()] == [
        (q.text, q.kind, q.section.title if q.section else "") for q in template.questions.all()
    ]
    # The template itself is untouched.
    assert template.questions.count() == 6


def test_the_create_page_can_start_from_a_chosen_form(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    response = client.get(url("form_create") + f"?fra={form.pk}")
    assert response.context["form"].initial["start_from"] == str(form.pk)


def test_a_copy_with_a_title_of_its_own_keeps_it(client: Client, alice: User, form: EvaluationForm) -> None:
    login(client, alice)
    client.post(url("form_create"), {"start_from": str(form.pk), "title": "Kursevaluering 2026"})
    copy = EvaluationForm.objects.get(title="Kursevaluering 2026")
    assert copy.questions.count() == 4


def test_copying_copies_sections_questions_and_options_but_no_evaluations_or_answers(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    answer_option(form, "Lengde", "Passe")
    form.is_template = True
    form.min_responses_shown = 5
    form.anonymous = False
    form.save()
    login(client, alice)
    response = client.post(url("form_copy", form.pk))
    copy = EvaluationForm.objects.get(title="Kopi av Evaluering av kurs")
    assert response["Location"] == url("form_detail", copy.pk)
    assert not copy.is_template
    assert (copy.min_responses_shown, copy.anonymous) == (5, False)
    assert copy.sections.get().title == "Kurset"
    length = question_of(copy, "Lengde")
    assert length.section == copy.sections.get()
    assert [o.text for o in length.options.all()] == ["For kort", "Passe", "For lang"]
    assert question_of(copy, "Faglig utbytte").scale_max_label == "Svært stort"
    assert question_of(copy, "Faglig utbytte").required
    assert question_of(copy, "Kommentarer").help_text == "Fritt"
    assert question_of(copy, "Hva var best?").section is None
    assert not copy.evaluations.exists()
    assert not Answer.objects.filter(question__form=copy).exists()
    assert Option.objects.filter(question__form=copy).count() == 5
    assert Option.objects.filter(question__form=form).count() == 5
    entry = AuditEntry.objects.get(action="evaluations.form_copied")
    assert entry.data == {"source_id": form.pk}


# Editing the form ----------------------------------------------------------------------------------------


def test_a_coordinator_edits_the_forms_settings(client: Client, alice: User, form: EvaluationForm) -> None:
    login(client, alice)
    data = {
        "title": "Kursevaluering",
        "intro": "Ny intro",
        "anonymous": "on",
        "min_responses_shown": "5",
        "is_template": "on",
    }
    assert client.post(url("form_edit", form.pk), data).status_code == 302
    form.refresh_from_db()
    assert (form.title, form.intro, form.anonymous, form.min_responses_shown, form.is_template) == (
        "Kursevaluering",
        "Ny intro",
        True,
        5,
        True,
    )
    entry = AuditEntry.objects.get(action="evaluations.form_updated")
    assert entry.fields == ["intro", "is_template", "min_responses_shown", "title"]


def test_it_rejects_fewer_than_one_response_before_results_are_shown(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    response = client.post(url("form_edit", form.pk), {"title": "X", "min_responses_shown": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors["min_responses_shown"]
    form.refresh_from_db()
    assert form.min_responses_shown == 3


def test_whether_a_form_is_anonymous_cannot_change_once_it_has_responses(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    answer_option(form, "Lengde", "Passe")
    login(client, alice)
    response = client.post(
        url("form_edit", form.pk), {"title": "Evaluering av kurs", "min_responses_shown": "3"}
    )
    assert response.status_code == 200
    assert error_text(response, "anonymous") == nb(
        "The form already has responses, and the respondents were told whether it is anonymous. "
        "Copy the form to use it the other way."
    )
    form.refresh_from_db()
    assert form.anonymous
    data = {"title": "Evaluering av kurset", "anonymous": "on", "min_responses_shown": "3"}
    assert client.post(url("form_edit", form.pk), data).status_code == 302
    form.refresh_from_db()
    assert form.title == "Evaluering av kurset"


# Deleting the form ---------------------------------------------------------------------------------------


def test_deleting_a_form_without_responses_removes_it_and_its_unanswered_evaluations(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    activity = make_activity(form.network, title="Kurs uten svar")
    attach(activity, form)
    login(client, alice)
    confirm = client.get(url("form_delete", form.pk)).content.decode()
    assert "Kurs uten svar" in confirm
    response = client.post(url("form_delete", form.pk))
    assert response["Location"] == url("forms")
    assert not EvaluationForm.objects.filter(pk=form.pk).exists()
    assert not Question.objects.filter(form_id=form.pk).exists()
    assert not Evaluation.objects.filter(activity=activity).exists()
    assert AuditEntry.objects.filter(action="evaluations.form_deleted").count() == 1
    assert AuditEntry.objects.filter(action="evaluations.evaluation_removed").count() == 1


def test_a_form_with_responses_cannot_be_deleted(client: Client, alice: User, form: EvaluationForm) -> None:
    answer_option(form, "Lengde", "Passe")
    login(client, alice)
    refusal = nb(
        "%(title)s cannot be deleted because it has responses. Deleting it would delete the answers too.",
        title="Evaluering av kurs",
    )
    page_text = client.get(url("form_delete", form.pk)).content.decode()
    assert refusal in page_text
    assert nb("Yes, delete the form") not in page_text
    response = client.post(url("form_delete", form.pk))
    assert response.status_code == 200
    assert refusal in response.content.decode()
    assert EvaluationForm.objects.filter(pk=form.pk).exists()
    assert Answer.objects.count() == 1


def test_the_service_refuses_to_delete_a_form_with_responses(alice: User, form: EvaluationForm) -> None:
    answer_option(form, "Lengde", "Passe")
    with pytest.raises(ValidationError):
        services.delete_form(form, actor=alice)
    assert EvaluationForm.objects.filter(pk=form.pk).exists()


# Sections ------------------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_section_after_the_last_one(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    response = client.post(
        url("section_create", form.pk), {"title": "Praktisk", "intro": "Om lokalet", "position": ""}
    )
    assert response["Location"] == url("form_detail", form.pk)
    section = form.sections.get(title="Praktisk")
    assert (section.intro, section.position) == ("Om lokalet", 2)
    assert AuditEntry.objects.filter(action="evaluations.section_created").count() == 1


def test_a_section_needs_a_title(client: Client, alice: User, form: EvaluationForm) -> None:
    login(client, alice)
    response = client.post(url("section_create", form.pk), {"title": "", "intro": "", "position": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert form.sections.count() == 1


def test_a_coordinator_edits_a_section_and_its_order(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    section = form.sections.get()
    login(client, alice)
    data = {"title": "Selve kurset", "intro": "", "position": "7"}
    assert client.post(url("section_edit", section.pk), data).status_code == 302
    section.refresh_from_db()
    assert (section.title, section.intro, section.position) == ("Selve kurset", "", 7)
    assert AuditEntry.objects.get(action="evaluations.section_updated").fields == [
        "intro",
        "position",
        "title",
    ]


def test_deleting_a_section_keeps_its_questions_in_the_form(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    section = form.sections.get()
    login(client, alice)
    assert "2" in client.get(url("section_delete", section.pk)).content.decode()
    assert client.post(url("section_delete", section.pk)).status_code == 302
    assert not form.sections.exists()
    assert form.questions.count() == 4
    assert question_of(form, "Lengde").section is None


# Questions -----------------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_scale_question_with_labels_at_the_end(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    data = question_post(
        scale_min_label="Dårlig", scale_max_label="Utmerket", required="on", options="ignored\nlines"
    )
    response = client.post(url("question_create", form.pk), data)
    assert response["Location"] == url("form_detail", form.pk)
    question = question_of(form, "Hvordan var lunsjen?")
    assert (question.kind, question.required, question.position) == (QuestionKind.SCALE, True, 5)
    assert (question.scale_min_label, question.scale_max_label) == ("Dårlig", "Utmerket")
    # A scale needs nothing else: option lines are not stored.
    assert not question.options.exists()
    assert AuditEntry.objects.filter(action="evaluations.question_created").count() == 1


def test_a_choice_question_stores_one_option_per_line_in_order(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    section = form.sections.get()
    data = question_post(
        text="Hvor jobber du?",
        kind="single",
        options="  Hjemmetjeneste \n\nSykehjem\r\nSykehus\n",
        section=str(section.pk),
        scale_min_label="not for a choice",
    )
    assert client.post(url("question_create", form.pk), data).status_code == 302
    question = question_of(form, "Hvor jobber du?")
    assert [o.text for o in question.options.all()] == ["Hjemmetjeneste", "Sykehjem", "Sykehus"]
    assert [o.position for o in question.options.all()] == [1, 2, 3]
    assert question.section == section
    assert question.scale_min_label == ""


@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_it_rejects_a_choice_question_with_fewer_than_two_options(
    client: Client, alice: User, form: EvaluationForm, kind: str
) -> None:
    login(client, alice)
    response = client.post(url("question_create", form.pk), question_post(kind=kind, options="Bare ett"))
    assert response.status_code == 200
    assert error_text(response, "options") == nb(
        "A single or multiple choice question needs at least two options, one per line."
    )
    assert f"{nb('Options')}: " in response.content.decode()
    assert form.questions.count() == 4


def test_it_rejects_the_same_option_twice(client: Client, alice: User, form: EvaluationForm) -> None:
    login(client, alice)
    response = client.post(
        url("question_create", form.pk), question_post(kind="multiple", options="Ja\nNei\nja")
    )
    assert error_text(response, "options") == nb(
        "The option “%(option)s” is given more than once.", option="ja"
    )
    assert form.questions.count() == 4


def test_it_rejects_a_far_too_long_option_and_names_its_line(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    response = client.post(
        url("question_create", form.pk), question_post(kind="single", options="Ja\n" + "x" * 301)
    )
    assert error_text(response, "options") == nb(
        "The option on line %(line)s is longer than %(most)s characters.", line=2, most=300
    )


def test_it_rejects_a_question_without_text_or_with_an_unknown_kind(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    login(client, alice)
    response = client.post(url("question_create", form.pk), question_post(text="", kind="slider"))
    assert set(response.context["form"].errors) == {"text", "kind"}
    assert form.questions.count() == 4


def test_the_service_rejects_a_section_of_another_form(
    alice: User, form: EvaluationForm, network: Network
) -> None:
    foreign = default_template(network).sections.first()
    data = services.QuestionData(text="Spørsmål", kind=QuestionKind.TEXT, section=foreign)
    with pytest.raises(ValidationError) as caught:
        services.create_question(form, data, actor=alice)
    assert "section" in caught.value.message_dict


def test_the_question_page_offers_the_sections_and_preselects_one(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    section = form.sections.get()
    login(client, alice)
    response = client.get(url("question_create", form.pk) + f"?seksjon={section.pk}")
    assert response.context["form"].initial["section"] == section.pk
    blank = services.create_form(form.network, services.FormData(title="Tomt"), actor=alice)
    assert "section" not in client.get(url("question_create", blank.pk)).context["form"].fields


def test_a_question_without_answers_may_change_kind_and_options(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    question = question_of(form, "Lengde")
    login(client, alice)
    data = question_post(
        text="Lengde på kurset", kind="multiple", options="passe\nFor kort\nAltfor lang", position="2"
    )
    assert client.post(url("question_edit", question.pk), data).status_code == 302
    question.refresh_from_db()
    assert (question.text, question.kind) == ("Lengde på kurset", QuestionKind.MULTIPLE)
    assert [o.text for o in question.options.all()] == ["passe", "For kort", "Altfor lang"]
    entry = AuditEntry.objects.get(action="evaluations.question_updated")
    assert entry.fields == ["kind", "options", "section", "text"]


def test_changing_a_choice_question_to_free_text_drops_its_options(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    question = question_of(form, "Lengde")
    login(client, alice)
    assert (
        client.post(url("question_edit", question.pk), question_post(text="Lengde", kind="text")).status_code
        == 302
    )
    assert not question.options.exists()


def test_an_answered_question_may_change_its_wording_and_gain_options(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    answer_option(form, "Lengde", "Passe")
    question = question_of(form, "Lengde")
    passe = question.options.get(text="Passe")
    login(client, alice)
    page_text = client.get(url("question_edit", question.pk)).content.decode()
    assert (
        nb(
            "The question has answers. You can change its wording, help text and scale labels, and add "
            "options, but not change its kind or remove an option someone has chosen."
        )
        in page_text
    )
    data = question_post(
        text="Hvordan var lengden?", kind="single", options="PASSE\nFor kort\nFor lang\nVet ikke"
    )
    data["section"] = str(form.sections.get().pk)
    assert client.post(url("question_edit", question.pk), data).status_code == 302
    passe.refresh_from_db()
    assert passe.text == "PASSE"
    assert Answer.objects.get().option == passe
    assert [o.text for o in question.options.all()] == ["PASSE", "For kort", "For lang", "Vet ikke"]


def test_an_answered_question_cannot_change_kind(client: Client, alice: User, form: EvaluationForm) -> None:
    answer_option(form, "Lengde", "Passe")
    question = question_of(form, "Lengde")
    login(client, alice)
    response = client.post(
        url("question_edit", question.pk),
        question_post(text="Lengde", kind="multiple", options="Passe\nFor kort"),
    )
    assert response.status_code == 200
    assert error_text(response, "kind") == nb(
        "The question has answers, so its kind cannot be changed. Add a new question instead, "
        "or copy the form."
    )
    question.refresh_from_db()
    assert question.kind == QuestionKind.SINGLE
    assert question.options.count() == 3


def test_an_option_someone_chose_cannot_be_removed_or_renamed_but_an_unchosen_one_can(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    answer_option(form, "Lengde", "Passe")
    question = question_of(form, "Lengde")
    section = str(form.sections.get().pk)
    login(client, alice)
    data = question_post(
        text="Lengde", kind="single", options="For kort\nGanske passe\nFor lang", section=section
    )
    response = client.post(url("question_edit", question.pk), data)
    assert error_text(response, "options") == nb(
        "The option “%(option)s” has answers, so it cannot be removed or renamed. Keep the line as it was.",
        option="Passe",
    )
    assert [o.text for o in question.options.all()] == ["For kort", "Passe", "For lang"]
    data = question_post(text="Lengde", kind="single", options="Passe\nFor lang", section=section)
    assert client.post(url("question_edit", question.pk), data).status_code == 302
    assert [o.text for o in question.options.all()] == ["Passe", "For lang"]
    assert Answer.objects.get().option.text == "Passe"  # type: ignore[union-attr]


def test_an_unanswered_question_is_deleted_after_confirmation(
    client: Client, alice: User, form: EvaluationForm
) -> None:
    question = question_of(form, "Kommentarer")
    login(client, alice)
    assert 'type="submit"' in client.get(url("question_delete", question.pk)).content.decode()
    assert client.post(url("question_delete", question.pk))["Location"] == url("form_detail", form.pk)
    assert not Question.objects.filter(pk=question.pk).exists()
    assert AuditEntry.objects.filter(action="evaluations.question_deleted").count() == 1


def test_an_answered_question_cannot_be_deleted(client: Client, alice: User, form: EvaluationForm) -> None:
    answer_option(form, "Lengde", "Passe")
    question = question_of(form, "Lengde")
    login(client, alice)
    refusal = nb(
        "The question “%(question)s” has answers, so it cannot be deleted: the answers would be deleted "
        "with it.",
        question="Lengde",
    )
    assert refusal in client.get(url("question_delete", question.pk)).content.decode()
    response = client.post(url("question_delete", question.pk))
    assert response.status_code == 200
    assert Question.objects.filter(pk=question.pk).exists()
    assert Answer.objects.count() == 1


# The default template ------------------------------------------------------------------------------------


def test_a_new_network_gets_the_default_template(db: None) -> None:
    network = Network.objects.create(name="Nytt nettverk", slug="nytt")
    template = EvaluationForm.objects.get(network=network)
    assert (template.title, template.is_template, template.anonymous, template.min_responses_shown) == (
        "Evaluering av samling/fagdag",
        True,
        True,
        3,
    )
    questions = list(template.questions.all())
    assert [(q.kind, q.text) for q in questions] == [
        ("scale", "Hvor stort faglig utbytte hadde du av dagen?"),
        ("scale", "Hvor relevant var innholdet for ditt eget arbeid?"),
        ("scale", "Hvordan vurderer du foreleserne?"),
        ("scale", "Hvordan vurderer du organiseringen (lokaler, program, informasjon på forhånd)?"),
        ("text", "Hva var bra?"),
        ("text", "Hva kan bli bedre?"),
    ]
    assert (questions[0].scale_min_label, questions[0].scale_max_label) == ("Svært lite", "Svært stort")
    assert all(q.scale_min_label and q.scale_max_label for q in questions[:4])
    assert [s.title for s in template.sections.all()] == [s["title"] for s in DEFAULT_SECTIONS]
    assert all(q.section is not None for q in questions)


def test_saving_an_existing_network_does_not_add_another_template(network: Network) -> None:
    network.name = "Nytt navn"
    network.save()
    assert EvaluationForm.objects.filter(network=network).count() == 1


def test_ensure_default_template_leaves_a_network_with_forms_alone(alice: User, network: Network) -> None:
    assert services.ensure_default_template(network, actor=alice) is None
    EvaluationForm.objects.filter(network=network).delete()
    created = services.ensure_default_template(network, actor=alice)
    assert created is not None and created.title == DEFAULT_TEMPLATE_TITLE
    assert AuditEntry.objects.filter(action="evaluations.default_template_created").count() == 1


def test_the_data_migration_gives_every_existing_network_the_default_template_once(
    network: Network, other_network: Network
) -> None:
    migration = importlib.import_module("fagnett.evaluations.migrations.0002_default_templates")
    EvaluationForm.objects.all().delete()
    kept = EvaluationForm.objects.create(network=other_network, title="Egen mal", is_template=True)
    migration.create_default_templates(django_apps, None)
    template = EvaluationForm.objects.get(network=network)
    assert template.title == DEFAULT_TEMPLATE_TITLE
    assert template.questions.count() == 6
    assert list(EvaluationForm.objects.filter(network=other_network)) == [kept]
    migration.create_default_templates(django_apps, None)
    assert EvaluationForm.objects.filter(network=network).count() == 1

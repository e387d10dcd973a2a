"""Reading Nettskjema reports (evaluations/nettskjema.py) and importing them (evaluations/imports.py).

The example files in tests/evaluations/data/ are Nettskjema's own (see /work/shared/data/SOURCES.md): a
report of three responses to a test form, and that form's element definition."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from openpyxl import Workbook

from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.evaluations.imports import NettskjemaImporter, summary_line
from fagnett.evaluations.models import (
    Answer,
    Evaluation,
    EvaluationForm,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
)
from fagnett.evaluations.nettskjema import (
    Elements,
    ElementsError,
    SourceKind,
    build_report,
    parse_elements,
    personal_column,
    read_report,
)
from fagnett.lib.importing import ImportRejected, Preview
from fagnett.lib.tabular import Table
from fagnett.networks.models import LocalChapter, Network
from tests.helpers import count_queries, nb

DATA = Path(__file__).parent / "data"
REPORT = DATA / "nettskjema-eksempel-csv-report.csv"
ELEMENTS = DATA / "nettskjema-eksempel-elements.json"
IMPORT_DAY = dt.datetime(2023, 6, 5, 12, 0, tzinfo=dt.UTC)


# --- Helpers shared with the view and command tests ------------------------------------------------------


def make_activity(
    network: Network, chapter: LocalChapter | None = None, title: str = "Fagdag om Nettskjema"
) -> Activity:
    """A study day on 01.06.2023 from 09:00, the day the example's responses were given."""
    return Activity.objects.create(
        network=network,
        chapter=chapter,
        kind=ActivityKind.STUDY_DAY,
        title=title,
        starts_on=dt.date(2023, 6, 1),
        ends_on=dt.date(2023, 6, 1),
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        hours=Decimal(6),
    )


def report_bytes() -> bytes:
    return REPORT.read_bytes()


def report_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(REPORT.read_text(encoding="utf-8")), delimiter=";"))


def to_csv(rows: list[list[str]]) -> bytes:
    """Nettskjema's CSV: semicolons, every field quoted, UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def changed_report(changes: dict[tuple[str, str], str], extra: dict[str, list[str]] | None = None) -> bytes:
    """The example report with cells changed, by (submission id, column), and columns added at the end."""
    rows = report_rows()
    header = rows[0]
    by_id = {row[0]: row for row in rows[1:]}
    for (submission, column), value in changes.items():
        by_id[submission][header.index(column)] = value
    for column, values in (extra or {}).items():
        header.append(column)
        for row, value in zip(rows[1:], values, strict=True):
            row.append(value)
    return to_csv(rows)


def many_rows(count: int) -> bytes:
    """The example report's rows repeated with new submission ids, `count` rows in all."""
    rows = report_rows()
    body = [[str(90_000_000 + number), *rows[1 + number % 3][1:]] for number in range(count)]
    return to_csv([rows[0], *body])


def _typed(value: str) -> Any:
    """A cell as a spreadsheet program keeps it: numbers as numbers, ISO dates and times as dates."""
    if re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", value):
        return float(value)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return dt.date.fromisoformat(value)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}", value):
        return dt.datetime.fromisoformat(value)
    if re.fullmatch(r"[0-9]{2}:[0-9]{2}", value):
        return dt.time.fromisoformat(value)
    return value or None


def to_xlsx(rows: list[list[str]], *, typed: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows):
        sheet.append(row if number == 0 or not typed else [_typed(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(
    activity: Activity,
    data: bytes | None = None,
    name: str = "rapport.csv",
    *,
    elements: Elements | None = None,
    choices: dict[str, str] | None = None,
) -> Preview[Any]:
    importer = NettskjemaImporter(activity, elements=elements, choices=choices)
    preview = importer.preview_file(report_bytes() if data is None else data, name)
    assert preview.ok, [error.describe() for error in preview.errors]
    return importer.apply(preview, actor=None)


def answers_of(submission: str) -> dict[str, list[Any]]:
    """What the database holds for one imported submission: question key → stored values."""
    response = Response.objects.get(external_id=submission)
    stored: dict[str, list[Any]] = {}
    for answer in Answer.objects.filter(response=response).select_related("question", "option"):
        if answer.option is not None:
            value: Any = answer.option.external_key
        elif answer.number is not None:
            value = answer.number
        else:
            value = answer.text
        stored.setdefault(answer.question.external_key, []).append(value)
    return {key: sorted(values, key=str) for key, values in stored.items()}


def elements() -> Elements:
    return parse_elements(ELEMENTS.read_bytes())


def table_of(data: bytes, name: str = "rapport.csv") -> Table:
    return read_report(data, name)


@pytest.fixture
def study_day(network: Network) -> Activity:
    return make_activity(network)


# --- Reading -------------------------------------------------------------------------------------------


def test_it_groups_the_example_report_into_questions_from_the_columns_alone() -> None:
    report = build_report(table_of(report_bytes()))
    kinds = {group.key: group.kind for group in report.groups}
    assert kinds == {
        "freetext": SourceKind.TEXT,
        "radio": SourceKind.SINGLE,
        "checkbox": SourceKind.MULTIPLE,
        "dropdown": SourceKind.SINGLE,
        "radio_matrix.grants": SourceKind.SINGLE,
        "radio_matrix.lecture": SourceKind.SINGLE,
        "radio_matrix.email": SourceKind.SINGLE,
        "checkbox_matrix.1": SourceKind.MULTIPLE,
        "checkbox_matrix.2": SourceKind.MULTIPLE,
        "date": SourceKind.DATE,
        "time": SourceKind.DATE,
        "datetime": SourceKind.DATE,
        "number_decimal": SourceKind.NUMBER,
        "number_integer": SourceKind.NUMBER,
        "slider": SourceKind.SINGLE,
        "attachment_1": SourceKind.ATTACHMENT,
        "attachment_2": SourceKind.ATTACHMENT,
    }
    assert report.ignored == ["$answer_time_ms"]
    assert report.personal == []
    groups = {group.key: group for group in report.groups}
    # Checkbox options are the column suffixes, spelled as in the file; radio options the values, as numbers.
    assert [option.key for option in groups["checkbox_matrix.1"].options] == [
        "IT",
        "colleague",
        "admin",
        "union",
        "internet",
    ]
    assert [option.key for option in groups["dropdown"].options] == ["4", "9"]
    assert [option.key for option in groups["radio"].options] == ["1"]  # "-1" is no answer
    assert groups["radio_matrix.lecture"].scale_ok
    assert not groups["dropdown"].scale_ok


def test_it_takes_question_texts_and_option_labels_from_the_element_definition() -> None:
    report = build_report(table_of(report_bytes()), elements())
    groups = {group.key: group for group in report.groups}
    assert groups["radio"].text == "How happy are we with Nettskjema?"
    assert [(o.key, o.label) for o in groups["radio"].options] == [
        ("1", "Very happy!"),
        ("-1", "Very unhappy!"),
    ]
    assert groups["checkbox"].label_for("events") == "Event sign-ups"
    assert groups["radio_matrix.grants"].text == "In the last month I have – written some grant applications"
    assert groups["checkbox_matrix.2"].text == "In the last year, I have – received e-mails from"
    assert groups["checkbox_matrix.2"].label_for("colleague") == "A colleague"
    assert groups["slider"].kind is SourceKind.NUMBER
    assert groups["number_integer"].kind is SourceKind.NUMBER
    assert all(group.defined for group in report.groups)


def test_it_refuses_a_file_that_is_not_an_element_definition() -> None:
    with pytest.raises(ElementsError):
        parse_elements(b"not json")
    with pytest.raises(ElementsError):
        parse_elements(b'{"title": "a form"}')


def test_it_recognises_personal_data_by_the_question_name_only() -> None:
    assert personal_column("$respondent") == "respondent"
    assert personal_column("fodselsnummer") == "national_id"
    assert personal_column("E-post") == "email"
    assert personal_column("ditt_navn") == "name"
    # A matrix row or an option named "email" is a question about e-mail, not an address.
    assert personal_column("radio_matrix.email") == ""
    assert personal_column("kursnavn") == ""
    assert personal_column("$answer_time_ms") == ""


# --- Importing into a new form ---------------------------------------------------------------------------


@time_machine.travel(IMPORT_DAY, tick=False)
def test_it_imports_the_example_report_into_a_new_anonymous_form(study_day: Activity) -> None:
    done = run_import(study_day)

    assert (done.to_create, done.unchanged) == (3, 0)
    evaluation = Evaluation.objects.select_related("form").get(activity=study_day)
    form = evaluation.form
    assert form.title == "Fagdag om Nettskjema (Nettskjema)"
    assert form.anonymous
    assert evaluation.opens_at == dt.datetime(2023, 6, 1, 7, 0, tzinfo=dt.UTC)  # 09:00 in Oslo
    assert evaluation.closes_at == IMPORT_DAY  # later than the last response
    assert not evaluation.email_attendees
    # One question per group except the attachments, keyed by the column (group) name.
    keys = list(Question.objects.filter(form=form).values_list("external_key", flat=True))
    assert keys[:4] == ["freetext", "radio", "checkbox", "dropdown"]
    assert "attachment_1" not in keys and len(keys) == 15
    checkbox = Question.objects.get(form=form, external_key="checkbox")
    assert checkbox.kind == QuestionKind.MULTIPLE
    assert list(checkbox.options.values_list("external_key", flat=True)) == [
        "questionnaires",
        "events",
        "logs",
    ]
    assert Question.objects.get(form=form, external_key="number_integer").kind == QuestionKind.TEXT

    first = answers_of("27685292")
    assert first["freetext"] == ["some text"]
    assert first["checkbox"] == ["events", "questionnaires"]
    assert first["checkbox_matrix.1"] == ["IT", "colleague"]
    assert first["radio"] == ["1"]
    assert first["dropdown"] == ["4"]
    assert first["number_integer"] == ["77"]
    assert first["date"] == ["2023-06-01"]
    # "-1" in a radio column is no answer; an empty text cell is no answer either.
    assert "radio" not in answers_of("27685302")
    assert "freetext" not in answers_of("27685319")


@time_machine.travel(IMPORT_DAY, tick=False)
def test_an_imported_response_holds_the_day_and_no_respondent(study_day: Activity) -> None:
    run_import(study_day)

    rows = list(Response.objects.values())
    assert len(rows) == 3
    for row in rows:
        assert row["submitted_on"] == dt.date(2023, 6, 1)  # from $created, without its time of day
        assert row["respondent_id"] is None
        assert row["respondent_name"] == ""
        assert row["source"] == ResponseSource.NETTSKJEMA
    assert {row["external_id"] for row in rows} == {"27685292", "27685302", "27685319"}
    # Nothing of the attachments is stored: no question, no answer naming the files.
    assert not Answer.objects.filter(text__in=["sølvi.png", "marius.jpeg"]).exists()
    entry = AuditEntry.objects.get(action="evaluations.nettskjema_imported")
    assert entry.data["responses"] == 3


@time_machine.travel(IMPORT_DAY, tick=False)
def test_the_element_definition_gives_texts_labels_and_the_option_minus_one(study_day: Activity) -> None:
    run_import(study_day, elements=elements())

    form = EvaluationForm.objects.get(evaluations__activity=study_day)
    radio = Question.objects.get(form=form, external_key="radio")
    assert radio.text == "How happy are we with Nettskjema?"
    assert list(radio.options.values_list("text", "external_key")) == [
        ("Very happy!", "1"),
        ("Very unhappy!", "-1"),
    ]
    # This form defines "-1" as the option "Very unhappy!", so there it is an answer, not a blank.
    assert answers_of("27685302")["radio"] == ["-1"]
    assert Question.objects.get(form=form, external_key="slider").kind == QuestionKind.TEXT
    assert Option.objects.get(
        question__form=form, question__external_key="dropdown", external_key="9"
    ).text == ("OsloMet")


@time_machine.travel(IMPORT_DAY, tick=False)
def test_the_xlsx_version_of_the_report_imports_the_same(network: Network) -> None:
    from_csv = make_activity(network, title="Fra CSV")
    from_xlsx = make_activity(network, title="Fra Excel")
    run_import(from_csv)
    csv_answers = {s: answers_of(s) for s in ("27685292", "27685302", "27685319")}
    Response.objects.filter(evaluation__activity=from_csv).update(external_id="")

    run_import(from_xlsx, to_xlsx(report_rows()), "rapport.xlsx")

    assert {s: answers_of(s) for s in csv_answers} == csv_answers
    assert Response.objects.filter(evaluation__activity=from_xlsx).count() == 3


@time_machine.travel(IMPORT_DAY, tick=False)
def test_an_xlsx_report_with_number_and_date_cells_imports_as_the_csv(network: Network) -> None:
    from_csv = make_activity(network, title="Fra CSV")
    from_xlsx = make_activity(network, title="Fra Excel")
    run_import(from_csv, elements=elements())
    csv_answers = {s: answers_of(s) for s in ("27685292", "27685302", "27685319")}
    Response.objects.filter(evaluation__activity=from_csv).update(external_id="")

    run_import(from_xlsx, to_xlsx(report_rows(), typed=True), "rapport.xlsx", elements=elements())

    assert {s: answers_of(s) for s in csv_answers} == csv_answers


@time_machine.travel(IMPORT_DAY, tick=False)
def test_importing_the_same_report_twice_adds_nothing_the_second_time(study_day: Activity) -> None:
    run_import(study_day)
    counts = (Response.objects.count(), Answer.objects.count(), Question.objects.count())

    importer = NettskjemaImporter(study_day)
    again = importer.preview_file(report_bytes(), "rapport.csv")

    assert (again.to_create, again.unchanged, again.has_changes) == (0, 3, False)
    assert summary_line(again, importer) == (
        "Rader: 3. Nye svar: 0, allerede importert: 3, kolonner hoppet over: 2."
    )
    importer.apply(again, actor=None)
    assert (Response.objects.count(), Answer.objects.count(), Question.objects.count()) == counts


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_longer_report_adds_only_the_new_responses(study_day: Activity) -> None:
    run_import(study_day, many_rows(3))
    done = run_import(study_day, many_rows(6))
    assert (done.to_create, done.unchanged) == (3, 3)
    assert Response.objects.filter(evaluation__activity=study_day).count() == 6
    # The second import maps to the questions of the first.
    assert Question.objects.filter(form__evaluations__activity=study_day).count() == 15


# --- Errors: all or nothing -----------------------------------------------------------------------------


@time_machine.travel(IMPORT_DAY, tick=False)
def test_one_bad_row_saves_nothing(study_day: Activity) -> None:
    data = changed_report({("27685302", "checkbox_matrix.1.IT"): "2"})
    importer = NettskjemaImporter(study_day)
    preview = importer.preview_file(data, "rapport.csv")

    assert [(e.row, e.column) for e in preview.errors] == [(3, "checkbox_matrix.1.IT")]
    assert preview.errors[0].message == nb("the value “%(value)s” should be 0 or 1", value="2")
    with pytest.raises(ImportRejected):
        importer.apply(preview, actor=None)
    assert not Response.objects.exists()
    assert not Evaluation.objects.exists()
    assert not EvaluationForm.objects.filter(title__endswith="(Nettskjema)").exists()


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_value_that_is_not_an_option_of_the_question_is_an_error_on_its_row(study_day: Activity) -> None:
    run_import(study_day)
    data = changed_report({("27685302", "$submission_id"): "30000001", ("27685302", "dropdown"): "7"})

    preview = NettskjemaImporter(study_day).preview_file(data, "rapport.csv")

    assert [(e.row, e.column) for e in preview.errors] == [(3, "dropdown")]
    assert preview.errors[0].message == nb("the value “%(value)s” is not among the options", value="7")
    assert preview.errors[0].describe() == nb("Row %(row)s, column %(column)s: %(message)s") % {
        "row": 3,
        "column": "dropdown",
        "message": preview.errors[0].message,
    }


@time_machine.travel(IMPORT_DAY, tick=False)
def test_text_into_a_scale_question_is_an_error(study_day: Activity) -> None:
    # Every answer to "held a lecture" is 1–5, so it may become a scale question when the user chooses so.
    run_import(study_day, choices={"radio_matrix.lecture": "new:scale"})
    scale = Question.objects.get(form__evaluations__activity=study_day, external_key="radio_matrix.lecture")
    assert scale.kind == QuestionKind.SCALE
    assert answers_of("27685292")["radio_matrix.lecture"] == [2]

    # A later report with text in that column: the column still goes to the scale question, and the row
    # with text is an error.
    data = changed_report(
        {("27685319", "$submission_id"): "30000002", ("27685319", "radio_matrix.lecture"): "ja"}
    )
    preview = NettskjemaImporter(study_day).preview_file(data, "rapport.csv")
    assert [(e.row, e.column) for e in preview.errors] == [(4, "radio_matrix.lecture")]
    assert preview.errors[0].message == nb(
        "the value “%(value)s” is not a whole number from %(min)s to %(max)s"
    ) % {"value": "ja", "min": 1, "max": 5}


def test_a_report_without_submission_ids_is_refused(study_day: Activity) -> None:
    rows = [row[1:] for row in report_rows()]
    preview = NettskjemaImporter(study_day).preview_file(to_csv(rows), "rapport.csv")
    assert [(e.row, e.column) for e in preview.errors] == [(1, "$submission_id")]


def test_a_duplicate_submission_is_an_error(study_day: Activity) -> None:
    data = changed_report({("27685302", "$submission_id"): "27685292"})
    preview = NettskjemaImporter(study_day).preview_file(data, "rapport.csv")
    assert [(e.row, e.column) for e in preview.errors] == [(3, "$submission_id")]


def test_a_file_that_is_not_a_report_gives_one_error(study_day: Activity) -> None:
    preview = NettskjemaImporter(study_day).preview_file(b"\x00\x01", "rapport.pdf")
    assert len(preview.errors) == 1
    assert not Response.objects.exists()


# --- Anonymity -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("$respondent", "ola"), ("email", "ola@example.no"), ("fodselsnummer", "01019912345"), ("navn", "Ola")],
)
def test_it_refuses_columns_with_personal_data(study_day: Activity, column: str, value: str) -> None:
    data = changed_report({}, extra={column: [value, value, value]})
    preview = NettskjemaImporter(study_day).preview_file(data, "rapport.csv")
    assert (1, column) in [(e.row, e.column) for e in preview.errors]
    assert not preview.ok
    assert not Response.objects.exists()


def test_it_refuses_an_answer_that_looks_like_a_national_identity_number(study_day: Activity) -> None:
    data = changed_report({("27685319", "freetext"): "ring meg, fnr 010199 12345"})
    preview = NettskjemaImporter(study_day).preview_file(data, "rapport.csv")
    assert [(e.row, e.column) for e in preview.errors] == [(4, "freetext")]


# --- Mapping to an existing form -------------------------------------------------------------------------


@pytest.fixture
def existing_form(network: Network, study_day: Activity) -> EvaluationForm:
    """A form written in Fagnett and attached to the study day: questions without Nettskjema keys."""
    form = EvaluationForm.objects.create(network=network, title="Evaluering av fagdag")
    happy = Question.objects.create(
        form=form, text="How happy are we with Nettskjema?", kind="single", position=1
    )
    Option.objects.create(question=happy, text="Very happy!", position=1)
    Option.objects.create(question=happy, text="Very unhappy!", position=2)
    Question.objects.create(form=form, text="Hva var bra?", kind="text", position=2)
    uses = Question.objects.create(
        form=form, text="Bruk", kind="multiple", external_key="checkbox", position=3
    )
    for position, (text, key) in enumerate(
        [("Spørreskjema", "questionnaires"), ("Påmelding", "events"), ("Logging", "logs")], start=1
    ):
        Option.objects.create(question=uses, text=text, external_key=key, position=position)
    Evaluation.objects.create(
        form=form,
        activity=study_day,
        opens_at=dt.datetime(2023, 6, 1, 7, tzinfo=dt.UTC),
        closes_at=dt.datetime(2023, 6, 15, tzinfo=dt.UTC),
    )
    return form


@time_machine.travel(IMPORT_DAY, tick=False)
def test_it_maps_columns_to_the_questions_of_the_activitys_form(
    study_day: Activity, existing_form: EvaluationForm
) -> None:
    free = Question.objects.get(form=existing_form, text="Hva var bra?")
    choices = {"freetext": f"q:{free.pk}"} | {
        key: "skip"
        for key in ("dropdown", "radio_matrix.grants", "radio_matrix.lecture", "radio_matrix.email")
    }
    importer = NettskjemaImporter(study_day, elements=elements(), choices=choices)
    preview = importer.preview_file(report_bytes(), "rapport.csv")
    plans = {plan.group.key: plan for plan in importer.plans}
    # By external key (checkbox), by exact text (radio, with the element definition), and as chosen.
    assert plans["checkbox"].question is not None and plans["checkbox"].question.text == "Bruk"
    assert plans["radio"].question is not None and plans["radio"].question.kind == "single"
    assert plans["freetext"].question == free
    assert plans["dropdown"].skipped
    importer.apply(preview, actor=None)

    assert not EvaluationForm.objects.filter(title__endswith="(Nettskjema)").exists()
    first = Response.objects.get(external_id="27685292")
    stored = {
        (a.question.text, a.option.text if a.option else a.text)
        for a in first.answers.select_related("question", "option")
        if a.question.form_id == existing_form.pk and a.question.external_key in ("", "checkbox")
    }
    assert stored == {
        ("How happy are we with Nettskjema?", "Very happy!"),
        ("Hva var bra?", "some text"),
        ("Bruk", "Spørreskjema"),
        ("Bruk", "Påmelding"),
    }
    # The option labelled "Very unhappy!" is the value "-1" in this form: an answer, matched by label.
    unhappy = Answer.objects.get(
        response__external_id="27685302", question__text="How happy are we with Nettskjema?"
    )
    assert unhappy.option is not None and unhappy.option.text == "Very unhappy!"
    assert not Question.objects.filter(form=existing_form, external_key="dropdown").exists()
    # Groups without a question of their own got new questions in the same form.
    assert Question.objects.filter(form=existing_form, external_key="checkbox_matrix.1").exists()


def test_a_question_cannot_take_the_answers_of_two_columns(
    study_day: Activity, existing_form: EvaluationForm
) -> None:
    free = Question.objects.get(form=existing_form, text="Hva var bra?")
    importer = NettskjemaImporter(study_day, choices={"freetext": f"q:{free.pk}", "date": f"q:{free.pk}"})
    preview = importer.preview_file(report_bytes(), "rapport.csv")
    assert [(e.row, e.column) for e in preview.errors] == [(1, "date")]


def test_a_question_of_another_form_or_kind_is_refused(
    study_day: Activity, existing_form: EvaluationForm, network: Network
) -> None:
    elsewhere = EvaluationForm.objects.create(network=network, title="Annet")
    other = Question.objects.create(form=elsewhere, text="Annet", kind="text")
    free = Question.objects.get(form=existing_form, text="Hva var bra?")
    importer = NettskjemaImporter(
        study_day, choices={"freetext": f"q:{other.pk}", "checkbox": f"q:{free.pk}"}
    )
    preview = importer.preview_file(report_bytes(), "rapport.csv")
    assert sorted((e.row, e.column) for e in preview.errors) == [
        (1, "checkbox.questionnaires"),
        (1, "freetext"),
    ]


# --- Cost --------------------------------------------------------------------------------------------------


def test_the_preview_takes_as_many_queries_for_300_rows_as_for_3(
    study_day: Activity, existing_form: EvaluationForm
) -> None:
    def queries(count: int) -> int:
        table = table_of(many_rows(count))
        return count_queries(lambda: NettskjemaImporter(study_day).validate(table))

    assert queries(300) == queries(3)

"""`manage.py import_nettskjema FILE --network SLUG --activity TITLE --date YYYY-MM-DD [--dry-run]`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from fagnett.activities.models import Activity
from fagnett.evaluations.models import Answer, Evaluation, EvaluationForm, Option, Question, Response
from fagnett.networks.models import Network
from tests.evaluations.test_nettskjema import (
    ELEMENTS,
    IMPORT_DAY,
    REPORT,
    changed_report,
    make_activity,
    report_rows,
    to_xlsx,
)


@pytest.fixture
def study_day(network: Network) -> Activity:
    return make_activity(network)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_nettskjema",
        *args,
        "--network",
        "barnepalliasjon",
        "--activity",
        "fagdag om nettskjema",
        "--date",
        "2023-06-01",
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


@time_machine.travel(IMPORT_DAY, tick=False)
def test_it_imports_the_example_report_and_says_which_questions_it_creates(study_day: Activity) -> None:
    out, err = run(str(REPORT))

    assert "Rader: 3. Nye svar: 3, allerede importert: 0, kolonner hoppet over: 2." in out
    assert "skjemaet «Fagdag om Nettskjema (Nettskjema)» lages fra filen" in out
    assert "  checkbox → nytt spørsmål" in out
    assert "  attachment_1 → hoppet over" in out
    assert err == ""
    assert Response.objects.filter(evaluation__activity=study_day).count() == 3


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_second_run_imports_nothing_and_says_so(study_day: Activity) -> None:
    run(str(REPORT))
    answers = Answer.objects.count()

    out, _err = run(str(REPORT))

    assert "Nye svar: 0, allerede importert: 3" in out
    assert "Ingenting nytt: alle svarene i filen er importert fra før." in out
    assert Answer.objects.count() == answers


def test_a_dry_run_writes_nothing(study_day: Activity) -> None:
    out, _err = run(str(REPORT), "--dry-run")

    assert "Nye svar: 3" in out
    assert "Prøvekjøring (--dry-run): ingenting er lagret." in out
    assert not Response.objects.exists()
    assert not Evaluation.objects.exists()
    assert not Question.objects.filter(form__title__endswith="(Nettskjema)").exists()


def test_a_file_with_errors_prints_them_and_fails(study_day: Activity, tmp_path: Path) -> None:
    path = tmp_path / "rapport.csv"
    path.write_bytes(
        changed_report({("27685302", "checkbox_matrix.1.IT"): "x", ("27685319", "$created"): "i går"})
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 feil i filen. Ingenting er lagret."):
        call_command(
            "import_nettskjema",
            str(path),
            "--network=barnepalliasjon",
            "--activity=Fagdag om Nettskjema",
            "--date=2023-06-01",
            stderr=err,
        )

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Rad 3, kolonne checkbox_matrix.1.IT: ")
    assert lines[1].startswith("Rad 4, kolonne $created: ")
    assert not Response.objects.exists()


@time_machine.travel(IMPORT_DAY, tick=False)
def test_it_reads_an_xlsx_report_and_the_optional_form_definition(
    study_day: Activity, tmp_path: Path
) -> None:
    path = tmp_path / "rapport.xlsx"
    path.write_bytes(to_xlsx(report_rows()))

    out, _err = run(str(path), "--elements", str(ELEMENTS))

    assert "Nye svar: 3" in out
    radio = Question.objects.get(form__evaluations__activity=study_day, external_key="radio")
    assert radio.text == "How happy are we with Nettskjema?"
    assert "  radio → nytt spørsmål" in out


@time_machine.travel(IMPORT_DAY, tick=False)
def test_it_maps_to_an_existing_question_by_its_text(study_day: Activity, network: Network) -> None:
    form = EvaluationForm.objects.create(network=network, title="Fagdag")
    question = Question.objects.create(form=form, text="What do we use it for?", kind="multiple")
    for text in ("Questionnaires", "Event sign-ups", "Data logging"):
        Option.objects.create(question=question, text=text)
    Evaluation.objects.create(
        form=form,
        activity=study_day,
        opens_at=IMPORT_DAY - dt.timedelta(days=5),
        closes_at=IMPORT_DAY + dt.timedelta(days=5),
    )

    out, _err = run(str(REPORT), "--elements", str(ELEMENTS))

    assert "  checkbox → spørsmålet «What do we use it for?»" in out
    chosen = Answer.objects.filter(question=question, response__external_id="27685292")
    assert sorted(chosen.values_list("option__text", flat=True)) == ["Event sign-ups", "Questionnaires"]


def test_an_unknown_activity_is_an_error(study_day: Activity) -> None:
    with pytest.raises(CommandError, match="has no activity"):
        call_command(
            "import_nettskjema",
            str(REPORT),
            "--network=barnepalliasjon",
            "--activity=Ukjent",
            "--date=2023-06-01",
        )


def test_an_unreadable_form_definition_is_an_error(study_day: Activity, tmp_path: Path) -> None:
    path = tmp_path / "elements.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="elements.json"):
        run(str(REPORT), "--elements", str(path))
    assert not Response.objects.exists()

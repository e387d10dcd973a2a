"""`manage.py import_nettskjema FILE --network SLUG --activity TITLE --date YYYY-MM-DD [--dry-run]
[--elements FILE]`: a Nettskjema report (CSV or XLSX) into an activity's evaluation.

Without the web preview's choices, each column group goes to the form's question that has its column as
external key, else to one with exactly its text, else to a new question; the output says which. The output
is fixed Norwegian, as the other import commands' (core/management/import_command.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagnett.core.management.import_command import error_line
from fagnett.evaluations.imports import NettskjemaImporter, kind_label, summary_line
from fagnett.evaluations.management.cli import activity_from_options, add_activity_arguments
from fagnett.evaluations.nettskjema import Elements, ElementsError, parse_elements, read_report
from fagnett.lib.importing import ImportRejected, Preview
from fagnett.lib.tabular import TabularError


class Command(BaseCommand):
    help = (
        "Import a Nettskjema report (.csv or .xlsx) into an activity's evaluation, creating the form from "
        "the report's columns when the activity has none. Responses imported before (by $submission_id) "
        "are skipped. Writes nothing if any row has an error; then every error is printed and the exit "
        "status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The Nettskjema report, .csv or .xlsx.")
        add_activity_arguments(parser)
        parser.add_argument(
            "--elements",
            metavar="FILE",
            help="Optional: the form's element definition from Nettskjema (JSON), for question texts and "
            "option labels.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and print the summary; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        activity = activity_from_options(options)
        path = Path(options["file"])
        try:
            table = read_report(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(f"{path.name}: Kan ikke lese filen.") from error
        except TabularError as error:
            raise CommandError(f"{path.name}: {error.message}") from error
        importer = NettskjemaImporter(activity, elements=self._elements(options.get("elements")))
        preview = importer.validate(table)
        preview.source_name = path.name
        for warning in preview.warnings:
            self.stderr.write(f"Advarsel: {warning}")
        self._fail_on_errors(preview)
        self._describe(importer, preview)
        if options["dry_run"]:
            self.stdout.write(summary_line(preview, importer))
            self.stdout.write("Prøvekjøring (--dry-run): ingenting er lagret.")
            return
        try:
            done = importer.apply(preview, actor=None)
        except ImportRejected as rejected:
            # The data changed between the check above and the transaction (another import, the web).
            self._fail_on_errors(rejected.preview)
            raise CommandError("Ingenting er lagret.") from rejected
        self.stdout.write(summary_line(done, importer))
        if not done.to_create:
            self.stdout.write("Ingenting nytt: alle svarene i filen er importert fra før.")

    def _elements(self, name: str | None) -> Elements | None:
        if not name:
            return None
        path = Path(name)
        try:
            return parse_elements(path.read_bytes())
        except OSError as error:
            raise CommandError(f"{path.name}: Kan ikke lese filen.") from error
        except ElementsError as error:
            raise CommandError(f"{path.name}: {error}") from error

    def _describe(self, importer: NettskjemaImporter, preview: Preview[Any]) -> None:
        """Where each column group goes, so the operator sees which questions the import creates."""
        if not preview.to_create:
            return
        if importer.creates_evaluation:
            self.stdout.write(
                f"Aktiviteten har ingen evaluering: skjemaet «{importer.form_title()}» lages fra filen."
            )
        for plan in importer.plans:
            if plan.question is not None:
                where = f"spørsmålet «{plan.question.text}»"
            elif plan.new_kind:
                where = f"nytt spørsmål ({kind_label(plan.new_kind).lower()})"
            else:
                where = f"hoppet over: {plan.skip_reason}"
            self.stdout.write(f"  {plan.group.key} → {where}")

    def _fail_on_errors(self, preview: Preview[Any]) -> None:
        if preview.errors:
            for error in preview.errors:
                self.stderr.write(error_line(error))
            raise CommandError(f"{len(preview.errors)} feil i filen. Ingenting er lagret.")

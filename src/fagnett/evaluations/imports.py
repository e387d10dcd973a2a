"""Import of a Nettskjema report into an activity's evaluation, on the one import machine (lib/importing.py).

What the machine gives: the whole file is checked before anything is written, a file with an error anywhere
writes nothing, and `apply` checks again inside the transaction that writes. What this importer adds:

- The report's columns are grouped into questions by evaluations/nettskjema.py. Each group goes to a
  question of the activity's form: by the question's external key (the column name a previous import
  stored), else by the question's exact text, else to a new question; the web preview lets the coordinator
  choose another (`choices`: group key → "q:<pk>", "new:<kind>" or "skip").
- An activity without an evaluation gets one, with a form made from the file: "<title> (Nettskjema)",
  anonymous, one question per group.
- A response is recognised by its `$submission_id` (Response.external_id): importing the same report again
  adds nothing. A response gets the day of `$created`, never its time of day, and no respondent.
- Columns that identify who answered (a name, an e-mail address, a national identity number) are refused,
  and so is any cell that looks like a national identity number (11 digits): the evaluation is anonymous.

Loading what is compared against takes a fixed number of queries, whatever the size of the file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fagnett.activities.models import Activity
from fagnett.audit.models import AuditEntry
from fagnett.audit.services import audit_entry, log_entries
from fagnett.evaluations.answering import MAX_TEXT_LENGTH
from fagnett.evaluations.models import (
    SCALE_MAX,
    SCALE_MIN,
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
    CREATED,
    MAX_KEY_LENGTH,
    NATIONAL_ID,
    NO_ANSWER,
    SUBMISSION_ID,
    Elements,
    Group,
    Report,
    SourceKind,
    build_report,
    choice_key,
    created_at,
    personal_description,
    read_report,
    value_text,
    whole_number,
)
from fagnett.lib.importing import Column, Importer, Preview, RowReader, tabular_error_message
from fagnett.lib.tabular import Table, TabularError

if TYPE_CHECKING:
    from fagnett.accounts.models import User

BATCH = 500
SKIP = "skip"
NEW = "new:"
EXISTING = "q:"
FORM_TITLE_SUFFIX = " (Nettskjema)"  # stored data, like the form titles the coordinators write
QUESTION_TEXT_LENGTH = 500  # Question.text
OPTION_TEXT_LENGTH = 300  # Option.text
FORM_TITLE_LENGTH = 200  # EvaluationForm.title
SUBMISSION_ID_LENGTH = 50  # Response.external_id

# The question kinds a group's answers can be stored as; the first is the kind of a new question. A
# number goes to a scale only when the coordinator chooses it (and every answer is 1–5), else it is text.
COMPATIBLE: dict[SourceKind, tuple[str, ...]] = {
    SourceKind.TEXT: (QuestionKind.TEXT,),
    SourceKind.SINGLE: (QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.TEXT),
    SourceKind.MULTIPLE: (QuestionKind.MULTIPLE,),
    SourceKind.NUMBER: (QuestionKind.TEXT, QuestionKind.SCALE),
    SourceKind.DATE: (QuestionKind.TEXT,),
    SourceKind.ATTACHMENT: (),
}


def compatible_kinds(group: Group) -> list[str]:
    """The kinds of the form's questions that can take the group's answers (each row is then checked)."""
    return list(COMPATIBLE[group.kind])


def new_kinds(group: Group) -> list[str]:
    """The kinds of question the import may create for the group: a scale only if every answer is 1–5."""
    return [kind for kind in COMPATIBLE[group.kind] if kind != QuestionKind.SCALE or group.scale_ok]


def kind_label(kind: str) -> str:
    return str(QuestionKind(kind).label)


@dataclass(frozen=True)
class Targets:
    """What the import compares against: the activity's evaluation, its form's questions (with their
    options) and the submissions imported before."""

    evaluation: Evaluation | None
    questions: list[Question]
    imported: frozenset[str]

    def question(self, pk: int) -> Question | None:
        return next((question for question in self.questions if question.pk == pk), None)


def load_targets(activity: Activity) -> Targets:
    evaluation = Evaluation.objects.select_related("form").filter(activity=activity).first()
    if evaluation is None:
        return Targets(evaluation=None, questions=[], imported=frozenset())
    questions = list(
        Question.objects.filter(form_id=evaluation.form_id)
        .prefetch_related("options")
        .order_by("position", "pk")
    )
    imported = frozenset(
        Response.objects.filter(evaluation=evaluation)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    return Targets(evaluation=evaluation, questions=questions, imported=imported)


def choice_options(group: Group, targets: Targets) -> list[tuple[str, str]]:
    """The choices of the preview's select for one group: the form's questions of a kind that fits, a new
    question of each kind that fits, or not importing the column."""
    kinds = compatible_kinds(group)
    options = [
        (f"{EXISTING}{question.pk}", f"{question.text} ({kind_label(question.kind)})")
        for question in targets.questions
        if question.kind in kinds
    ]
    options += [
        (f"{NEW}{kind}", _("New question: %(kind)s") % {"kind": kind_label(kind).lower()})
        for kind in new_kinds(group)
    ]
    options.append((SKIP, _("Do not import")))
    return options


def default_choices(groups: list[Group], targets: Targets) -> dict[str, str]:
    """Each group's question when nobody chose: the question that has the group's column as its external
    key, else one with exactly the group's text, else a new one. A question is given to one group only."""
    used: set[int] = set()
    choices: dict[str, str] = {}
    for group in groups:
        kinds = compatible_kinds(group)
        if not kinds:
            choices[group.key] = SKIP
            continue
        fitting = [q for q in targets.questions if q.kind in kinds and q.pk not in used]
        question = next((q for q in fitting if q.external_key.casefold() == group.key.casefold()), None)
        if question is None:
            text = " ".join(group.text.split()).casefold()
            question = next((q for q in fitting if " ".join(q.text.split()).casefold() == text), None)
        if question is None:
            choices[group.key] = f"{NEW}{new_kinds(group)[0]}"
        else:
            used.add(question.pk)
            choices[group.key] = f"{EXISTING}{question.pk}"
    return choices


@dataclass(eq=False)
class GroupPlan:
    """Where one group's answers go, and what the new responses give it (for the preview)."""

    index: int
    group: Group
    choice: str
    question: Question | None = None  # an existing question of the form
    new_kind: str = ""  # the kind of a question the import creates
    skip_reason: str = ""
    options: dict[str, int] = field(default_factory=dict)  # casefolded external key or text → Option pk
    labels: dict[int, str] = field(default_factory=dict)  # Option pk → text
    answers: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def skipped(self) -> bool:
        return self.question is None and not self.new_kind

    @property
    def kind(self) -> str:
        return self.question.kind if self.question is not None else self.new_kind

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind) if self.kind else ""

    def existing_option(self, key: str) -> int | None:
        found = self.options.get(key.casefold())
        if found is None:
            found = self.options.get(self.group.label_for(key).casefold())
        return found

    def knows(self, key: str) -> bool:
        """Whether `key` is one of the target's options (existing) or of the question to create."""
        if self.question is not None:
            return self.existing_option(key) is not None
        return key in self.group.option_keys()

    def distribution(self) -> list[tuple[str, int]]:
        if self.kind == QuestionKind.SCALE:
            return sorted(self.counts.items(), key=lambda item: int(item[0]))
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return self.counts.most_common()
        return []


@dataclass(frozen=True)
class PlannedAnswer:
    plan: int  # GroupPlan.index
    option_id: int | None = None  # an existing option
    new_option: str | None = None  # the key of an option the import creates
    number: int | None = None
    text: str = ""


@dataclass(eq=False)
class ResponseItem:
    row: int
    submission_id: str
    submitted_on: dt.date
    answers: list[PlannedAnswer]


class NettskjemaImporter(Importer[ResponseItem]):
    columns: ClassVar[tuple[Column, ...]] = (
        Column(SUBMISSION_ID, required=True),
        Column(CREATED, required=True),
    )

    def __init__(
        self,
        activity: Activity,
        *,
        elements: Elements | None = None,
        choices: dict[str, str] | None = None,
    ) -> None:
        self.activity = activity
        self.network = activity.network
        self.elements = elements
        self.choices = dict(choices or {})
        self._targets: Targets | None = None
        self.report: Report | None = None
        self.plans: list[GroupPlan] = []
        self.latest_created: dt.datetime | None = None
        self.evaluation: Evaluation | None = None  # after write: the evaluation the responses went to
        self.created_form: EvaluationForm | None = None  # after write: the form made from the file

    # --- the machine's hooks -------------------------------------------------------------------------

    def targets(self) -> Targets:
        if self._targets is None:
            self._targets = load_targets(self.activity)
        return self._targets

    def lock(self) -> None:
        # Two imports into the same activity wait for each other; what they compare against is read again.
        list(Activity.objects.select_for_update().filter(pk=self.activity.pk).values_list("pk"))
        self._targets = None

    def preview_file(self, data: bytes, filename: str) -> Preview[ResponseItem]:
        try:
            table = read_report(data, filename)
        except TabularError as error:
            preview: Preview[ResponseItem] = Preview(source_name=filename)
            preview.error(1, "", tabular_error_message(error))
            return preview
        preview = self.validate(table)
        preview.source_name = filename
        return preview

    def validate_rows(self, table: Table, preview: Preview[ResponseItem]) -> None:
        # The machine warns of every column it does not list; a report's question columns are not listed.
        preview.warnings.clear()
        report = build_report(table, self.elements)
        self.report = report
        targets = self.targets()
        for column, what in report.personal:
            preview.error(
                table.header_row,
                column,
                _(
                    "the column looks like personal data (%(what)s), and evaluations are anonymous; "
                    "export the report from Nettskjema without it, or rename the column if it holds none"
                )
                % {"what": personal_description(what)},
            )
        if self.elements is not None:
            undescribed = [group.key for group in report.groups if not group.defined]
            if undescribed:
                preview.warnings.append(
                    _(
                        "The form definition does not describe these columns, so their kind is guessed from "
                        "the values: %(columns)s."
                    )
                    % {"columns": ", ".join(undescribed)}
                )
        choices = default_choices(report.groups, targets) | self.choices
        self.plans = [
            self._plan(index, group, choices.get(group.key, SKIP), targets, preview, table.header_row)
            for index, group in enumerate(report.groups)
        ]
        self._check_targets_once(preview, table.header_row)
        self._rows(table, report, targets, preview)

    def _plan(
        self, index: int, group: Group, choice: str, targets: Targets, preview: Preview[Any], header_row: int
    ) -> GroupPlan:
        plan = GroupPlan(index=index, group=group, choice=choice)
        kinds = compatible_kinds(group)
        if group.kind is SourceKind.ATTACHMENT:
            plan.choice = SKIP
            plan.skip_reason = _("attachments are not imported: files are not stored")
            return plan
        if choice == SKIP:
            plan.skip_reason = _("not imported, as chosen")
            return plan
        if choice.startswith(NEW) and choice.removeprefix(NEW) in new_kinds(group):
            plan.new_kind = choice.removeprefix(NEW)
            self._check_new_keys(plan, preview, header_row)
            return plan
        question = None
        if choice.startswith(EXISTING) and choice.removeprefix(EXISTING).isdigit():
            question = targets.question(int(choice.removeprefix(EXISTING)))
        if question is None or question.kind not in kinds:
            plan.choice = SKIP
            preview.error(
                header_row,
                group.columns[0],
                _("the chosen question is not in the form, or its kind does not fit the column"),
            )
            return plan
        plan.question = question
        stored = list(question.options.all())
        # An option's Nettskjema value first, then its text (a form written in Fagnett has no values).
        for option in stored:
            if option.external_key:
                plan.options.setdefault(option.external_key.casefold(), option.pk)
        for option in stored:
            plan.options.setdefault(option.text.casefold(), option.pk)
            plan.labels[option.pk] = option.text
        return plan

    def _check_new_keys(self, plan: GroupPlan, preview: Preview[Any], header_row: int) -> None:
        group = plan.group
        if len(group.key) > MAX_KEY_LENGTH:
            preview.error(
                header_row,
                group.columns[0],
                _("the column name is longer than %(max)s characters") % {"max": MAX_KEY_LENGTH},
            )
        if plan.new_kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            for option in group.options:
                if len(option.key) > MAX_KEY_LENGTH:
                    preview.error(
                        header_row,
                        group.option_columns.get(option.key, group.columns[0]),
                        _("the option value “%(value)s…” is longer than %(max)s characters")
                        % {"value": option.key[:40], "max": MAX_KEY_LENGTH},
                    )

    def _check_targets_once(self, preview: Preview[Any], header_row: int) -> None:
        taken: dict[int, GroupPlan] = {}
        for plan in self.plans:
            if plan.question is None:
                continue
            earlier = taken.get(plan.question.pk)
            if earlier is not None:
                preview.error(
                    header_row,
                    plan.group.columns[0],
                    _("the question “%(question)s” already gets the answers of “%(other)s”; choose another")
                    % {"question": plan.question.text, "other": earlier.group.key},
                )
            else:
                taken[plan.question.pk] = plan

    def _rows(self, table: Table, report: Report, targets: Targets, preview: Preview[ResponseItem]) -> None:
        zone = timezone.get_default_timezone()
        answer_columns = [column for column in table.headers if not column.startswith("$")]
        seen: dict[str, int] = {}
        active = [plan for plan in self.plans if not plan.skipped]
        latest: dt.datetime | None = None
        for row in table.rows:
            reader = RowReader(row, preview)
            submission = reader.text(SUBMISSION_ID, required=True, max_length=SUBMISSION_ID_LENGTH)
            raw_created = reader.raw(CREATED)
            created = created_at(raw_created, zone)
            if raw_created is None:
                reader.error(CREATED, _("A value is required."))
            elif created is None:
                reader.error(
                    CREATED,
                    _("“%(value)s” is not a time from Nettskjema, such as 2023-06-01T20:57:15+02:00")
                    % {"value": value_text(raw_created)},
                )
            for column in answer_columns:
                if NATIONAL_ID.search(value_text(row.get(column))):
                    reader.error(
                        column,
                        _(
                            "the answer looks like a national identity number (11 digits), and evaluations "
                            "are anonymous; remove it from the report"
                        ),
                    )
            if submission and submission in seen:
                reader.error(
                    SUBMISSION_ID,
                    _("the submission “%(id)s” is also on row %(row)s")
                    % {"id": submission, "row": seen[submission]},
                )
            elif submission:
                seen[submission] = row.number
            already = submission in targets.imported
            answers: list[PlannedAnswer] = []
            if not already:
                for plan in active:
                    answers.extend(self._answers(reader, plan))
            if reader.failed or not submission or created is None:
                continue
            latest = created if latest is None or created > latest else latest
            if already:
                preview.unchanged += 1
                continue
            for answer in answers:
                self._count(answer)
            for index in {answer.plan for answer in answers}:
                self.plans[index].answers += 1
            preview.items.append(
                ResponseItem(
                    row=row.number, submission_id=submission, submitted_on=created.date(), answers=answers
                )
            )
        self.latest_created = latest
        preview.to_create = len(preview.items)
        preview.to_add = len([plan for plan in self.plans if plan.new_kind]) if preview.items else 0

    def _answers(self, reader: RowReader, plan: GroupPlan) -> list[PlannedAnswer]:
        group = plan.group
        if group.kind is SourceKind.MULTIPLE:
            return self._checkbox_answers(reader, plan)
        column = group.columns[0]
        value = value_text(reader.raw(column))
        key = choice_key(value)
        # "-1" is how Nettskjema writes an unanswered radio question, unless the form has an option "-1".
        if not value or (group.kind is SourceKind.SINGLE and key == NO_ANSWER and not plan.knows(NO_ANSWER)):
            return []
        if plan.kind == QuestionKind.SCALE:
            number = whole_number(value)
            if number is None or not SCALE_MIN <= number <= SCALE_MAX:
                reader.error(
                    column,
                    _("the value “%(value)s” is not a whole number from %(min)s to %(max)s")
                    % {"value": value, "min": SCALE_MIN, "max": SCALE_MAX},
                )
                return []
            return [PlannedAnswer(plan.index, number=number)]
        if plan.kind == QuestionKind.SINGLE:
            if plan.question is not None:
                option_id = plan.existing_option(key)
                if option_id is not None:
                    return [PlannedAnswer(plan.index, option_id=option_id)]
            elif key in group.option_keys():
                return [PlannedAnswer(plan.index, new_option=key)]
            reader.error(column, _("the value “%(value)s” is not among the options") % {"value": value})
            return []
        if group.kind is SourceKind.SINGLE:
            text = group.label_for(key)
        elif group.kind is SourceKind.NUMBER:
            # Nettskjema's CSV writes a whole number as "77.0", its XLSX as 77: both are stored as "77".
            text = choice_key(value)
        else:
            text = value
        if len(text) > MAX_TEXT_LENGTH:
            reader.error(
                column,
                _("the answer is too long (%(length)s characters; at most %(max)s)")
                % {"length": len(text), "max": MAX_TEXT_LENGTH},
            )
            return []
        return [PlannedAnswer(plan.index, text=text)]

    def _checkbox_answers(self, reader: RowReader, plan: GroupPlan) -> list[PlannedAnswer]:
        answers: list[PlannedAnswer] = []
        for key, column in plan.group.option_columns.items():
            value = choice_key(value_text(reader.raw(column)))
            if value in ("", "0"):
                continue
            if value != "1":
                reader.error(column, _("the value “%(value)s” should be 0 or 1") % {"value": value})
                continue
            if plan.question is None:
                answers.append(PlannedAnswer(plan.index, new_option=key))
                continue
            option_id = plan.existing_option(key)
            if option_id is None:
                reader.error(
                    column,
                    _("the option “%(option)s” is not among the options of the question “%(question)s”")
                    % {"option": plan.group.label_for(key), "question": plan.question.text},
                )
                continue
            answers.append(PlannedAnswer(plan.index, option_id=option_id))
        return answers

    def _count(self, answer: PlannedAnswer) -> None:
        plan = self.plans[answer.plan]
        if answer.number is not None:
            plan.counts[str(answer.number)] += 1
        elif answer.option_id is not None:
            plan.counts[plan.labels.get(answer.option_id, "")] += 1
        elif answer.new_option is not None:
            plan.counts[plan.group.label_for(answer.new_option)] += 1

    # --- facts for the preview and the command line ---------------------------------------------------

    @property
    def creates_evaluation(self) -> bool:
        return self.targets().evaluation is None

    def form_title(self) -> str:
        title = self.activity.title[: FORM_TITLE_LENGTH - len(FORM_TITLE_SUFFIX)]
        return f"{title}{FORM_TITLE_SUFFIX}"

    def skipped_columns(self) -> int:
        return sum(len(plan.group.columns) for plan in self.plans if plan.skipped)

    # --- writing ---------------------------------------------------------------------------------------

    def write(self, preview: Preview[ResponseItem], *, actor: User | None) -> None:
        if not preview.items:
            return
        targets = self.targets()
        audit: list[AuditEntry] = []
        evaluation = targets.evaluation
        if evaluation is None:
            evaluation = self._create_evaluation(actor, audit)
        questions = self._create_questions(evaluation.form, actor, audit)
        new_options = self._create_options(questions)
        responses = Response.objects.bulk_create(
            (
                Response(
                    evaluation=evaluation,
                    submitted_on=item.submitted_on,
                    source=ResponseSource.NETTSKJEMA,
                    external_id=item.submission_id,
                )
                for item in preview.items
            ),
            batch_size=BATCH,
        )
        answers: list[Answer] = []
        for item, response in zip(preview.items, responses, strict=True):
            for planned in item.answers:
                plan = self.plans[planned.plan]
                question = plan.question or questions[plan.index]
                option_id = planned.option_id
                if planned.new_option is not None:
                    option_id = new_options[(plan.index, planned.new_option)].pk
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        option_id=option_id,
                        number=planned.number,
                        text=planned.text,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        audit.append(
            audit_entry(
                "evaluations.nettskjema_imported",
                actor=actor,
                target=evaluation,
                network=self.network,
                data={
                    "file": preview.source_name,
                    "responses": len(responses),
                    "already_imported": preview.unchanged,
                    "questions_created": len(questions),
                },
            )
        )
        log_entries(audit)
        self.evaluation = evaluation

    def _create_evaluation(self, actor: User | None, audit: list[AuditEntry]) -> Evaluation:
        """The form made from the file and the evaluation of the activity: open from the activity's start,
        closed at the import (or the last response, if later), the link not e-mailed."""
        activity = self.activity
        zone = timezone.get_default_timezone()
        opens_at = dt.datetime.combine(activity.starts_on, activity.start_time or dt.time(0), tzinfo=zone)
        closes_at = max(timezone.now(), self.latest_created or opens_at)
        if closes_at <= opens_at:  # an activity in the future: the form must still close after it opens
            closes_at = opens_at + dt.timedelta(days=1)
        form = EvaluationForm.objects.create(network=self.network, title=self.form_title(), anonymous=True)
        self.created_form = form
        evaluation = Evaluation.objects.create(
            form=form, activity=activity, opens_at=opens_at, closes_at=closes_at, email_attendees=False
        )
        audit.append(audit_entry("evaluations.form_created", actor=actor, target=form, network=self.network))
        audit.append(
            audit_entry(
                "evaluations.evaluation_attached", actor=actor, target=evaluation, network=self.network
            )
        )
        return evaluation

    def _create_questions(
        self, form: EvaluationForm, actor: User | None, audit: list[AuditEntry]
    ) -> dict[int, Question]:
        plans = [plan for plan in self.plans if plan.new_kind]
        if not plans:
            return {}
        last = Question.objects.filter(form=form).aggregate(last=Max("position"))["last"] or 0
        questions = Question.objects.bulk_create(
            Question(
                form=form,
                text=_shorten(plan.group.text, QUESTION_TEXT_LENGTH),
                kind=plan.new_kind,
                external_key=plan.group.key,
                position=last + number,
                scale_min_label=plan.group.scale_labels[0][:100]
                if plan.new_kind == QuestionKind.SCALE
                else "",
                scale_max_label=plan.group.scale_labels[1][:100]
                if plan.new_kind == QuestionKind.SCALE
                else "",
            )
            for number, plan in enumerate(plans, start=1)
        )
        for question in questions:
            audit.append(
                audit_entry(
                    "evaluations.question_created", actor=actor, target=question, network=self.network
                )
            )
        return {plan.index: question for plan, question in zip(plans, questions, strict=True)}

    def _create_options(self, questions: dict[int, Question]) -> dict[tuple[int, str], Option]:
        planned: list[tuple[int, str, Option]] = []
        for index, question in questions.items():
            plan = self.plans[index]
            if plan.new_kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                continue
            for position, option in enumerate(plan.group.options, start=1):
                planned.append(
                    (
                        index,
                        option.key,
                        Option(
                            question=question,
                            text=_shorten(option.label, OPTION_TEXT_LENGTH),
                            external_key=option.key,
                            position=position,
                        ),
                    )
                )
        created = Option.objects.bulk_create((option for _index, _key, option in planned), batch_size=BATCH)
        return {(index, key): option for (index, key, _option), option in zip(planned, created, strict=True)}


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def summary_line(preview: Preview[Any], importer: NettskjemaImporter) -> str:
    """Fixed Norwegian, as the other import commands' summaries: operators' scripts read it."""
    return (
        f"Rader: {preview.rows_total}. Nye svar: {preview.to_create}, "
        f"allerede importert: {preview.unchanged}, kolonner hoppet over: {importer.skipped_columns()}."
    )

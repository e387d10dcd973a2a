"""The roster import: persons, their workplaces and memberships from a spreadsheet (docs/import-roster.md).

A person is recognised by e-mail address (case-insensitive) within the network and a membership by
(person, role, start date), so importing the same file twice changes nothing the second time. An empty cell
never clears what is stored: the file adds and corrects, it does not erase.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.lib.importing import Column, Importer, Preview, RowReader
from fagnett.lib.tabular import Cell, Table, cell_text
from fagnett.networks.models import (
    LocalChapter,
    Membership,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.networks.services import PERSON_FIELDS
from fagnett.networks.vocabulary import Vocabulary
from fagnett.places.models import Municipality
from fagnett.places.queries import normalise_municipality_number

if TYPE_CHECKING:
    from fagnett.accounts.models import User

KIND = "roster"

# Person fields a row sets, with the column each comes from.
_TEXT_FIELDS = (
    ("first_name", "fornavn"),
    ("last_name", "etternavn"),
    ("phone", "telefon"),
    ("profession", "yrke"),
    ("competence_level", "kompetansenivaa"),
)


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


@dataclass(eq=False)
class PlannedWorkplace:
    """A workplace a row names: one already in the register, or one the import will create."""

    name: str
    service_type: ServiceType
    municipality: Municipality | None
    existing: Workplace | None
    created: Workplace | None = None

    @property
    def workplace(self) -> Workplace | None:
        return self.existing or self.created

    def __str__(self) -> str:
        place = f" ({self.municipality})" if self.municipality else ""
        return f"{self.name}{place}"


@dataclass(eq=False)
class PersonPlan:
    """One person in the file (all rows with their e-mail address) and what happens to them."""

    email: str
    row: int
    existing: Person | None
    values: dict[str, str]
    workplace: PlannedWorkplace | None = None
    leader_email: str = ""
    # The line manager when they are in the roster: a stored person, or a person this file creates.
    leader: Person | PersonPlan | None = None
    action: str = "none"  # "create", "update" or "none"
    changed: list[str] = field(default_factory=list)
    created: Person | None = None

    @property
    def key(self) -> str:
        return self.email.lower()

    @property
    def full_name(self) -> str:
        first = self.values.get("first_name", "")
        last = self.values.get("last_name", "")
        return f"{first} {last}".strip()

    @property
    def person(self) -> Person | None:
        return self.existing or self.created

    @property
    def changed_labels(self) -> list[str]:
        return [
            capfirst(str(getattr(Person._meta.get_field(name), "verbose_name", name)))
            for name in self.changed
        ]


@dataclass(eq=False)
class RosterItem:
    """One row: the person it belongs to and what happens to the membership it describes."""

    row: int
    person: PersonPlan
    role: Role
    chapter: LocalChapter | None
    start: dt.date
    end: dt.date | None
    membership: Membership | None
    action: str  # "create", "end" or "none"


def _overlaps(start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None) -> bool:
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)


class RosterImporter(Importer[RosterItem]):
    """Imports a roster into one network. `validate` loads everything it compares against in a fixed number
    of queries (persons, memberships, workplaces, municipalities, chapters, vocabularies)."""

    columns: ClassVar[tuple[Column, ...]] = (
        Column("fornavn", required=True, help=gettext_lazy("First name."), example="Kari"),
        Column("etternavn", required=True, help=gettext_lazy("Last name."), example="Nordmann"),
        Column(
            "epost",
            required=True,
            help=gettext_lazy("E-mail address. It identifies the person in the network."),
            example="kari.nordmann@example.no",
        ),
        Column("telefon", help=gettext_lazy("Phone number."), example="40000000"),
        Column("yrke", help=gettext_lazy("Profession, e.g. nurse."), example="Sykepleier"),
        Column("kompetansenivaa", help=gettext_lazy("Competence level: A, B or C."), example="B"),
        Column(
            "arbeidssted",
            help=gettext_lazy(
                "Name of the workplace. Needs tjenestetype, and kommunenummer unless it is a hospital unit."
            ),
            example="Hjemmetjenesten Madla",
        ),
        Column(
            "tjenestetype",
            help=gettext_lazy(
                "Service type, code or name: hjemmetjeneste, sykehjem, sykehusavdeling, skole, …"
            ),
            example="hjemmetjeneste",
        ),
        Column(
            "kommunenummer",
            help=gettext_lazy("The workplace's municipality number, four digits (0301 or 301)."),
            example="1103",
        ),
        Column("lokallag", help=gettext_lazy("Local chapter, by name or short name."), example=""),
        Column(
            "rolle",
            required=True,
            help=gettext_lazy("Role, code or name: ressursperson, arbeidsgruppe, koordinator."),
            example="ressursperson",
        ),
        Column(
            "startdato",
            required=True,
            help=gettext_lazy("First day of the membership: dd.mm.yyyy or yyyy-mm-dd."),
            example="01.01.2025",
        ),
        Column("sluttdato", help=gettext_lazy("Last day of the membership, when it ends."), example=""),
        Column(
            "leder_epost", help=gettext_lazy("The line manager's e-mail address."), example="leder@example.no"
        ),
    )

    def __init__(self, network: Network) -> None:
        self.network = network

    # --- loading (a fixed number of queries) ------------------------------------------------------------

    def _load(self) -> None:
        network = self.network
        self.vocabulary = Vocabulary(network)
        self.persons: dict[str, Person] = {}
        for person in Person.objects.filter(network=network).order_by("pk"):
            self.persons.setdefault(person.email.strip().lower(), person)
        self.memberships: dict[tuple[int, int], list[Membership]] = {}
        for membership in Membership.objects.filter(network=network).order_by("start", "pk"):
            self.memberships.setdefault((membership.person_id, membership.role_id), []).append(membership)
        self.workplaces: dict[tuple[str, int | None, int], Workplace] = {}
        self.hospital_units: dict[str, Workplace] = {}
        workplaces = Workplace.objects.filter(network=network).select_related("service_type", "municipality")
        for workplace in workplaces.order_by("pk"):
            key = (workplace.name.strip().casefold(), workplace.municipality_id, workplace.service_type_id)
            self.workplaces.setdefault(key, workplace)
            if workplace.in_scope and workplace.service_type.code == ServiceType.HOSPITAL_UNIT:
                self.hospital_units.setdefault(workplace.name.strip().casefold(), workplace)
        self.municipalities = {m.number: m for m in Municipality.objects.all()}
        self.area = set(network.municipalities.values_list("pk", flat=True))
        self.chapters: dict[str, LocalChapter] = {}
        self.chapter_list = list(LocalChapter.objects.filter(network=network).order_by("name"))
        for chapter in self.chapter_list:
            self.chapters.setdefault(chapter.name.strip().casefold(), chapter)
            self.chapters.setdefault(chapter.slug.casefold(), chapter)
        self.planned_workplaces: dict[tuple[str, int | None, int], PlannedWorkplace] = {}

    # --- validation ---------------------------------------------------------------------------------------

    def validate_rows(self, table: Table, preview: Preview[RosterItem]) -> None:
        self._load()
        plans: dict[str, PersonPlan] = {}
        parsed: list[tuple[int, PersonPlan, Role, LocalChapter | None, dt.date, dt.date | None]] = []
        for row in table.rows:
            reader = RowReader(row, preview)
            values = self._person_values(reader)
            email = reader.text("epost", required=True, max_length=254)
            if email and not self._valid_email(email):
                reader.error("epost", _("“%(value)s” is not a valid e-mail address.") % {"value": email})
            workplace = self._workplace(reader)
            leader_email = reader.text("leder_epost", max_length=254)
            if leader_email and not self._valid_email(leader_email):
                reader.error(
                    "leder_epost", _("“%(value)s” is not a valid e-mail address.") % {"value": leader_email}
                )
            elif leader_email and leader_email.lower() == email.lower():
                reader.error("leder_epost", _("A person cannot be their own line manager."))
            chapter = self._chapter(reader)
            role = self._role(reader)
            start = reader.date("startdato", required=True)
            end = reader.date("sluttdato")
            if start is not None and end is not None and end < start:
                reader.error(
                    "sluttdato",
                    _("The end date %(end)s is before the start date %(start)s.")
                    % {"end": _date(end), "start": _date(start)},
                )
            if reader.failed or role is None or start is None:
                continue
            plan = plans.get(email.lower())
            if plan is None:
                plan = PersonPlan(
                    email=email,
                    row=row.number,
                    existing=self.persons.get(email.lower()),
                    values=values,
                    workplace=workplace,
                    leader_email=leader_email,
                )
                plans[plan.key] = plan
            elif not self._merge(reader, plan, values, workplace, leader_email):
                continue
            parsed.append((row.number, plan, role, chapter, start, end))

        for plan in plans.values():
            self._plan_person(plan, plans)
        self._plan_memberships(parsed, preview)

        persons = list(plans.values())
        preview.to_create = sum(1 for plan in persons if plan.action == "create")
        preview.to_update = sum(1 for plan in persons if plan.action == "update")
        preview.to_add = sum(1 for item in preview.items if item.action == "create")
        preview.to_end = sum(1 for item in preview.items if item.action == "end")
        preview.unchanged = sum(
            1
            for item in preview.items
            if item.action == "none" and (item.person.action == "none" or item.row != item.person.row)
        )

    @staticmethod
    def _valid_email(value: str) -> bool:
        try:
            validate_email(value)
        except ValidationError:
            return False
        return True

    def _person_values(self, reader: RowReader) -> dict[str, str]:
        values = {
            "first_name": reader.text("fornavn", required=True, max_length=100),
            "last_name": reader.text("etternavn", required=True, max_length=100),
            "phone": reader.text("telefon", max_length=30),
            "profession": reader.text("yrke", max_length=100),
        }
        level_text = reader.text("kompetansenivaa")
        level = Vocabulary.competence_level(level_text)
        if level is None:
            reader.error(
                "kompetansenivaa",
                _("Unknown competence level “%(value)s”. Use A, B or C.") % {"value": level_text},
            )
        values["competence_level"] = level or ""
        # Only what the row gives: an empty cell leaves the stored value alone.
        return {name: value for name, value in values.items() if value}

    def _workplace(self, reader: RowReader) -> PlannedWorkplace | None:
        name = reader.text("arbeidssted", max_length=200)
        type_text = reader.text("tjenestetype")
        number = reader.raw("kommunenummer")
        if not name:
            if type_text or number is not None:
                reader.error(
                    "arbeidssted",
                    _("The workplace's name is missing, but tjenestetype or kommunenummer is filled in."),
                )
            return None
        if not type_text:
            reader.error("tjenestetype", _("A service type is required when arbeidssted is filled in."))
            return None
        service_type = self.vocabulary.service_type(type_text)
        if service_type is None:
            reader.error("tjenestetype", _("Unknown service type “%(value)s”.") % {"value": type_text})
            return None
        hospital = service_type.code == ServiceType.HOSPITAL_UNIT
        municipality = None
        if number is not None:
            # A hospital serves the area from wherever it lies, so only municipal services must be inside it.
            municipality = self._municipality(reader, number, in_area=not hospital)
            if municipality is None:
                return None
        elif not hospital:
            reader.error(
                "kommunenummer",
                _(
                    "A municipality number is required when arbeidssted is filled in (except for hospital "
                    "units)."
                ),
            )
            return None
        if hospital and name.casefold() in self.hospital_units:
            unit = self.hospital_units[name.casefold()]
            key = (unit.name.strip().casefold(), unit.municipality_id, unit.service_type_id)
        else:
            key = (name.casefold(), municipality.pk if municipality else None, service_type.pk)
        planned = self.planned_workplaces.get(key)
        if planned is None:
            existing = self.workplaces.get(key)
            planned = PlannedWorkplace(
                name=existing.name if existing else name,
                service_type=existing.service_type if existing else service_type,
                municipality=existing.municipality if existing else municipality,
                existing=existing,
            )
            self.planned_workplaces[key] = planned
        return planned

    def _municipality(self, reader: RowReader, value: Cell, *, in_area: bool) -> Municipality | None:
        text = cell_text(value)
        try:
            municipality = self.municipalities.get(normalise_municipality_number(text))
        except ValueError:
            municipality = None
        if municipality is None:
            reader.error(
                "kommunenummer", _("“%(value)s” is not a Norwegian municipality number.") % {"value": text}
            )
            return None
        if in_area and municipality.pk not in self.area:
            params = {"number": municipality.number, "name": municipality.name}
            if self.area:
                message = _("Municipality %(number)s %(name)s is not in the network's area.") % params
            else:
                message = (
                    _(
                        "Municipality %(number)s %(name)s is not in the network's area: the network has no "
                        "municipalities yet. Add them under Settings."
                    )
                    % params
                )
            reader.error("kommunenummer", message)
            return None
        return municipality

    def _chapter(self, reader: RowReader) -> LocalChapter | None:
        return chapter_from_row(reader, self.chapters, self.chapter_list)

    def _role(self, reader: RowReader) -> Role | None:
        text = reader.text("rolle", required=True)
        if not text:
            return None
        role = self.vocabulary.role(text)
        if role is None:
            reader.error("rolle", _("Unknown role “%(value)s”.") % {"value": text})
        return role

    def _merge(
        self,
        reader: RowReader,
        plan: PersonPlan,
        values: dict[str, str],
        workplace: PlannedWorkplace | None,
        leader_email: str,
    ) -> bool:
        """Fold a later row of the same person into the plan; a value that contradicts an earlier row is an
        error on the later row."""
        conflicts = [
            column
            for name, column in _TEXT_FIELDS
            if values.get(name) and plan.values.get(name) and values[name] != plan.values[name]
        ]
        if workplace is not None and plan.workplace is not None and workplace is not plan.workplace:
            conflicts.append("arbeidssted")
        if leader_email and plan.leader_email and leader_email.lower() != plan.leader_email.lower():
            conflicts.append("leder_epost")
        for column in conflicts:
            reader.error(
                column,
                _(
                    "The e-mail address %(email)s is also on row %(row)s, with a different value in this "
                    "column."
                )
                % {"email": plan.email, "row": plan.row},
            )
        if conflicts:
            return False
        for name, value in values.items():
            plan.values.setdefault(name, value)
        plan.workplace = plan.workplace or workplace
        plan.leader_email = plan.leader_email or leader_email
        return True

    def _plan_person(self, plan: PersonPlan, plans: dict[str, PersonPlan]) -> None:
        key = plan.leader_email.lower()
        if key:
            in_file = plans.get(key)
            plan.leader = self.persons.get(key) or in_file
        person = plan.existing
        if person is None:
            plan.action = "create"
            return
        changed = {name for name, value in plan.values.items() if getattr(person, name) != value}
        if plan.workplace is not None:
            wanted = plan.workplace.existing
            if wanted is None or person.workplace_id != wanted.pk:
                changed.add("workplace")
        if key:
            leader = plan.leader
            leader_pk = leader.pk if isinstance(leader, Person) else None
            if isinstance(leader, PersonPlan) or person.leader_id != leader_pk:
                changed.add("leader")
            if person.leader_email.strip().lower() != key:
                changed.add("leader_email")
        plan.changed = [name for name in PERSON_FIELDS if name in changed]
        plan.action = "update" if plan.changed else "none"

    def _plan_memberships(
        self,
        parsed: list[tuple[int, PersonPlan, Role, LocalChapter | None, dt.date, dt.date | None]],
        preview: Preview[RosterItem],
    ) -> None:
        seen: dict[tuple[str, int, dt.date], RosterItem] = {}
        planned: dict[tuple[str, int], list[RosterItem]] = {}
        for number, plan, role, chapter, start, end in parsed:
            params = {"role": role.name, "start": _date(start)}
            earlier = seen.get((plan.key, role.pk, start))
            if earlier is not None:
                if (chapter, end) != (earlier.chapter, earlier.end):
                    preview.error(
                        number,
                        "startdato",
                        _(
                            "The membership as %(role)s from %(start)s is also on row %(row)s, with a "
                            "different local chapter or end date."
                        )
                        % {**params, "row": earlier.row},
                    )
                else:
                    preview.items.append(RosterItem(number, plan, role, chapter, start, end, None, "none"))
                continue
            stored = self.memberships.get((plan.existing.pk, role.pk), []) if plan.existing else []
            match = next((m for m in stored if m.start == start), None)
            if match is not None:
                item = self._compare(number, plan, role, chapter, start, end, match, preview)
            else:
                clash = next(
                    (m.start for m in stored if _overlaps(start, end, m.start, m.end)),
                    None,
                ) or next(
                    (
                        i.start
                        for i in planned.get((plan.key, role.pk), [])
                        if _overlaps(start, end, i.start, i.end)
                    ),
                    None,
                )
                if clash is not None:
                    preview.error(
                        number,
                        "startdato",
                        _(
                            "%(person)s already has the role %(role)s in this period (the membership "
                            "from %(other)s)."
                        )
                        % {**params, "person": plan.full_name or plan.email, "other": _date(clash)},
                    )
                    continue
                item = RosterItem(number, plan, role, chapter, start, end, None, "create")
                planned.setdefault((plan.key, role.pk), []).append(item)
            if item is not None:
                seen[(plan.key, role.pk, start)] = item
                preview.items.append(item)

    @staticmethod
    def _compare(
        number: int,
        plan: PersonPlan,
        role: Role,
        chapter: LocalChapter | None,
        start: dt.date,
        end: dt.date | None,
        membership: Membership,
        preview: Preview[RosterItem],
    ) -> RosterItem | None:
        """A row that names a stored membership: it may end it, and must not contradict it otherwise."""
        params = {"role": role.name, "start": _date(start)}
        if chapter is not None and membership.chapter_id != chapter.pk:
            preview.error(
                number,
                "lokallag",
                _(
                    "The membership as %(role)s from %(start)s is registered with another local chapter. "
                    "Move it on the person's page."
                )
                % params,
            )
            return None
        if end is None or membership.end == end:
            action = "none"
        elif membership.end is None:
            action = "end"
        else:
            preview.error(
                number,
                "sluttdato",
                _(
                    "The membership as %(role)s from %(start)s already ended on %(end)s. Change the end "
                    "date on the person's page."
                )
                % {**params, "end": _date(membership.end)},
            )
            return None
        return RosterItem(number, plan, role, chapter, start, end, membership, action)

    # --- writing --------------------------------------------------------------------------------------------

    def lock(self) -> None:
        # Two imports into one network at the same time would each see the other's persons as missing; the
        # row lock on the network makes the second wait (PostgreSQL; SQLite serialises writers anyway).
        list(Network.objects.select_for_update().filter(pk=self.network.pk).values_list("pk"))

    def write(self, preview: Preview[RosterItem], *, actor: User | None) -> None:
        from fagnett.networks.import_services import write_roster_import

        write_roster_import(self.network, preview, actor=actor)


@dataclass(frozen=True)
class RosterPreviewFacts:
    """What the preview page lists: the first `limit` of each kind, and how many there are."""

    new_persons: list[PersonPlan]
    changed_persons: list[PersonPlan]
    new_memberships: list[RosterItem]
    ended_memberships: list[RosterItem]
    counts: dict[str, int]
    limit: int


def preview_facts(preview: Preview[RosterItem], limit: int = 200) -> RosterPreviewFacts:
    """Built from the preview in memory: no queries."""
    persons = list({id(item.person): item.person for item in preview.items}.values())
    new_persons = [plan for plan in persons if plan.action == "create"]
    changed = [plan for plan in persons if plan.action == "update"]
    added = [item for item in preview.items if item.action == "create"]
    ended = [item for item in preview.items if item.action == "end"]
    return RosterPreviewFacts(
        new_persons=new_persons[:limit],
        changed_persons=changed[:limit],
        new_memberships=added[:limit],
        ended_memberships=ended[:limit],
        counts={
            "new_persons": len(new_persons),
            "changed_persons": len(changed),
            "new_memberships": len(added),
            "ended_memberships": len(ended),
        },
        limit=limit,
    )


def summary_line(preview: Preview[Any]) -> str:
    """The CLI's summary. Fixed Norwegian wording: operators' scripts read it (docs/import-roster.md)."""
    return (
        f"Rader: {preview.rows_total}. Nye personer: {preview.to_create}, endrede: {preview.to_update}, "
        f"nye medlemskap: {preview.to_add}, avsluttede: {preview.to_end}, uendrede: {preview.unchanged}."
    )


def template_rows(network: Network, today: dt.date) -> list[list[Cell]]:
    """The header row and one example row that would import into this network as it is."""
    examples: dict[str, Cell] = {column.name: column.example for column in RosterImporter.columns}
    municipality = network.municipalities.order_by("number").first()
    if municipality is not None:
        examples["kommunenummer"] = municipality.number
    chapter = LocalChapter.objects.filter(network=network).order_by("name").first()
    if chapter is not None:
        examples["lokallag"] = chapter.name
    examples["startdato"] = dt.date(today.year, 1, 1)
    header: list[Cell] = list(RosterImporter.column_names())
    return [header, [examples[name] for name in RosterImporter.column_names()]]


def chapter_from_row(
    reader: RowReader, chapters: dict[str, LocalChapter], chapter_list: list[LocalChapter]
) -> LocalChapter | None:
    """The `lokallag` column of a row, by name or short name (`chapters` is keyed by their casefold); every
    importer that takes a chapter reads it the same way and names the known ones in the error."""
    text = reader.text("lokallag")
    if not text:
        return None
    chapter = chapters.get(text.casefold())
    if chapter is None:
        if chapter_list:
            message = _("Unknown local chapter “%(value)s”. The network's local chapters: %(names)s.") % {
                "value": text,
                "names": ", ".join(c.name for c in chapter_list),
            }
        else:
            message = _("Unknown local chapter “%(value)s”. The network has no local chapters.") % {
                "value": text
            }
        reader.error("lokallag", message)
    return chapter

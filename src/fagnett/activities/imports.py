"""Import of a network's history: activities, attendance and job shadowing (docs/import-activities.md).

Three importers on the one import machine (lib/importing.py), the same as the roster's (networks/imports.py):
the file is read by lib/tabular.py, every row is checked before anything is written, a file with any error
writes nothing, and importing the same file again changes nothing.

- activities: an activity is recognised by its title (case does not matter) and start date in the network;
- attendance: a person by e-mail address, an activity as above, an attendance by (activity, person);
- shadowing: a person by e-mail address, a host workplace by name and municipality, a placement by
  (person, host, start date).

As in the roster import, an empty cell never clears what is stored: the file adds and corrects.
Each importer loads what it compares against in a fixed number of queries, whatever the size of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
    Theme,
)
from fagnett.activities.shadowing import days_error, span_error
from fagnett.lib.importing import Column, Importer, Preview, RowReader
from fagnett.lib.tabular import Table, cell_text
from fagnett.networks.imports import chapter_from_row
from fagnett.networks.models import LocalChapter, Network, Person, ServiceType, Workplace
from fagnett.places.models import Municipality
from fagnett.places.queries import normalise_municipality_number

if TYPE_CHECKING:
    from fagnett.accounts.models import User

# The Norwegian labels a file may use besides the codes. They are part of the file format (documented in
# docs/import-activities.md), so they are spelled out here rather than taken only from the translation
# catalogue, whose wording may change; the catalogue's current labels are accepted as well.
KIND_LABELS_NB: dict[str, str] = {
    ActivityKind.INTRO_COURSE: "Introduksjonskurs",
    ActivityKind.GATHERING: "Nettverkssamling",
    ActivityKind.STUDY_DAY: "Fagdag",
    ActivityKind.CONFERENCE: "Konferanse",
    ActivityKind.COURSE: "Kurs",
    ActivityKind.WEBINAR: "Webinar / e-læring",
    ActivityKind.WORKING_GROUP_MEETING: "Arbeidsgruppemøte",
    ActivityKind.GUIDANCE: "Veiledning",
    ActivityKind.TEACHING: "Undervisning",
    ActivityKind.REFLECTION: "Refleksjon",
    ActivityKind.WORKSHOP: "Workshop",
    ActivityKind.OTHER: "Annet",
}
STATUS_LABELS_NB: dict[str, str] = {AttendanceStatus.ATTENDED: "Deltatt", AttendanceStatus.ABSENT: "Fravær"}

HOST_SERVICE_TYPE = "annet"  # the service type of a host workplace the shadowing import creates
THEME_SEPARATORS = re.compile(r"[;|]")
MAX_HOURS = Decimal("999.99")  # Activity.hours and Attendance.hours: five digits, two decimals


def _key(value: str) -> str:
    return " ".join(value.strip().casefold().replace("_", " ").split())


def _lookup(codes: dict[str, str], choices: type[Any]) -> dict[str, str]:
    """code → code for every spelling a file may use: the code, the documented Norwegian label, and the
    label in the Norwegian catalogue and in English."""
    table: dict[str, str] = {}
    for value, label in choices.choices:
        table[_key(value)] = value
        table[_key(codes[value])] = value
        table[_key(str(label))] = value
        with translation.override("nb"):
            table.setdefault(_key(str(label)), value)
        with translation.override("en"):
            table.setdefault(_key(str(label)), value)
    return table


def kind_table() -> dict[str, str]:
    return _lookup(KIND_LABELS_NB, ActivityKind)


def status_table() -> dict[str, str]:
    return _lookup(STATUS_LABELS_NB, AttendanceStatus)


def activity_kind(value: str, table: dict[str, str] | None = None) -> str | None:
    """'nettverkssamling', 'Nettverkssamling', 'Arbeidsgruppemøte' → the kind's code; unknown → None."""
    return (table if table is not None else kind_table()).get(_key(value))


def attendance_status(value: str, table: dict[str, str] | None = None) -> str | None:
    """'deltatt', 'Deltatt', 'fravaer', 'Fravær' → the status's code; unknown → None."""
    return (table if table is not None else status_table()).get(_key(value))


def number_text(value: Decimal) -> str:
    """6.50 → "6,5" (in Norwegian), 6.00 → "6": the number as a person writes it."""
    whole = value == value.to_integral_value()
    return localize(value.quantize(Decimal(1)) if whole else value.normalize())


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


# --- Reading numbers ------------------------------------------------------------------------------------


def read_decimal(reader: RowReader, column: str, *, required: bool = False) -> Decimal | None:
    """A cell as a decimal number: a number cell, or text with a decimal comma or point ("3,5", "3.5").
    None when the cell is empty or wrong (then an error is recorded on the row)."""
    value = reader.raw(column)
    if value is None:
        if required:
            reader.error(column, _("A value is required."))
        return None
    text = cell_text(value)
    if isinstance(value, bool | dt.date | dt.time):
        number = None
    else:
        try:
            number = Decimal("".join(text.split()).replace(",", "."))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        reader.error(column, _("“%(value)s” is not a number. Write for example 6 or 3,5.") % {"value": text})
        return None
    if number < 0:
        reader.error(column, _("The number cannot be negative."))
        return None
    return number


def read_hours(reader: RowReader, column: str) -> Decimal | None:
    hours = read_decimal(reader, column)
    if hours is None:
        return None
    if hours > MAX_HOURS:
        reader.error(column, _("The number of hours must be less than 1000."))
        return None
    if hours != hours.quantize(Decimal("0.01")):
        reader.error(column, _("The number of hours can have at most two decimals."))
        return None
    return hours.quantize(Decimal("0.01"))


def read_count(reader: RowReader, column: str) -> int | None:
    value = reader.raw(column)
    if value is None:
        return None
    text = cell_text(value)
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,9}", "".join(text.split())):
        reader.error(column, _("“%(value)s” is not a whole number of 0 or more.") % {"value": text})
        return None
    return int("".join(text.split()))


def _chapters(network: Network) -> tuple[dict[str, LocalChapter], list[LocalChapter]]:
    chapter_list = list(LocalChapter.objects.filter(network=network).order_by("name"))
    chapters: dict[str, LocalChapter] = {}
    for chapter in chapter_list:
        chapters.setdefault(chapter.name.strip().casefold(), chapter)
        chapters.setdefault(chapter.slug.casefold(), chapter)
    return chapters, chapter_list


def _persons(network: Network) -> dict[str, Person]:
    persons: dict[str, Person] = {}
    for person in Person.objects.filter(network=network).order_by("pk"):
        persons.setdefault(person.email.strip().lower(), person)
    return persons


def _activities(network: Network) -> dict[tuple[str, dt.date], Activity]:
    activities: dict[tuple[str, dt.date], Activity] = {}
    for activity in Activity.objects.filter(network=network).order_by("pk"):
        activities.setdefault((_title_key(activity.title), activity.starts_on), activity)
    return activities


def _person(reader: RowReader, persons: dict[str, Person]) -> Person | None:
    email = reader.text("epost", required=True, max_length=254)
    if not email:
        return None
    person = persons.get(email.lower())
    if person is None:
        reader.error(
            "epost", _("No person in the network has the e-mail address %(email)s.") % {"email": email}
        )
    return person


def _end_after_start(reader: RowReader, start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        reader.error(
            "sluttdato",
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": _date(end), "start": _date(start)},
        )


class _NetworkImporter(Importer[Any]):
    """What the three importers share: the network, and the lock that keeps two imports apart."""

    def __init__(self, network: Network) -> None:
        self.network = network

    def lock(self) -> None:
        # As the roster import: the second of two simultaneous imports into one network waits for the first.
        list(Network.objects.select_for_update().filter(pk=self.network.pk).values_list("pk"))


# --- Activities -----------------------------------------------------------------------------------------

ACTIVITY_FIELDS = ("kind", "ends_on", "hours", "place", "chapter", "other_participants")


@dataclass(eq=False)
class ActivityItem:
    """One row: the activity it names and what happens to it."""

    row: int
    title: str
    starts_on: dt.date
    values: dict[str, Any]  # the fields the row gives (ACTIVITY_FIELDS), empty cells left out
    themes: list[str] | None  # theme names (as in the file, or as stored); None: the cell is empty
    existing: Activity | None
    action: str = "none"  # "create", "update" or "none"
    changed: list[str] = field(default_factory=list)
    created: Activity | None = None

    @property
    def activity(self) -> Activity | None:
        return self.existing or self.created


class ActivityImporter(_NetworkImporter):
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "aktivitetstype",
            required=True,
            help=gettext_lazy("Kind, code or Norwegian name: nettverkssamling, fagdag, introduksjonskurs, …"),
            example="nettverkssamling",
        ),
        Column("tittel", required=True, help=gettext_lazy("The activity's title."), example="Smertelindring"),
        Column(
            "startdato",
            required=True,
            help=gettext_lazy("First day: dd.mm.yyyy or yyyy-mm-dd."),
            example="12.03.2024",
        ),
        Column("sluttdato", help=gettext_lazy("Last day; empty for a one-day activity."), example=""),
        Column("timer", help=gettext_lazy("Credited hours, e.g. 6 or 3,5."), example="6"),
        Column("sted", help=gettext_lazy("Place or digital link."), example="Stavanger"),
        Column("lokallag", help=gettext_lazy("Organising local chapter; empty for the network."), example=""),
        Column(
            "tema",
            help=gettext_lazy("Themes, separated by ; or |."),
            example="Smertelindring; Pårørende",
        ),
        Column(
            "andre_deltakere",
            help=gettext_lazy("Participants who are not in the roster (a whole number)."),
            example="0",
        ),
    )

    def _load(self) -> None:
        self.activities = _activities(self.network)
        self.chapters, self.chapter_list = _chapters(self.network)
        self.themes = {
            theme.name.strip().casefold(): theme for theme in Theme.objects.filter(network=self.network)
        }
        self.theme_links: dict[int, set[str]] = {}
        links = Activity.themes.through.objects.filter(activity__network=self.network).values_list(
            "activity_id", "theme__name"
        )
        for activity_id, name in links:
            self.theme_links.setdefault(activity_id, set()).add(name.strip().casefold())
        self.new_themes: dict[str, str] = {}
        self.kinds = kind_table()

    def validate_rows(self, table: Table, preview: Preview[ActivityItem]) -> None:
        self._load()
        seen: dict[tuple[str, dt.date], ActivityItem] = {}
        for row in table.rows:
            reader = RowReader(row, preview)
            values: dict[str, Any] = {}
            kind_text = reader.text("aktivitetstype", required=True)
            kind = activity_kind(kind_text, self.kinds) if kind_text else None
            if kind_text and kind is None:
                reader.error(
                    "aktivitetstype",
                    _("Unknown activity type “%(value)s”. Use one of: %(codes)s.")
                    % {"value": kind_text, "codes": ", ".join(ActivityKind.values)},
                )
            values["kind"] = kind
            title = " ".join(reader.text("tittel", required=True, max_length=200).split())
            start = reader.date("startdato", required=True)
            end = reader.date("sluttdato")
            _end_after_start(reader, start, end)
            if end is not None:
                values["ends_on"] = end
            hours = read_hours(reader, "timer")
            if hours is not None:
                values["hours"] = hours
            place = reader.text("sted", max_length=300)
            if place:
                values["place"] = place
            chapter = self._chapter(reader)
            if chapter is not None:
                values["chapter"] = chapter
            others = read_count(reader, "andre_deltakere")
            if others is not None:
                values["other_participants"] = others
            themes = self._themes(reader)
            if reader.failed or start is None or not title:
                continue
            key = (_title_key(title), start)
            earlier = seen.get(key)
            if earlier is not None:
                reader.error(
                    "tittel",
                    _("The activity “%(title)s” starting %(date)s is also on row %(row)s.")
                    % {"title": title, "date": _date(start), "row": earlier.row},
                )
                continue
            item = ActivityItem(row.number, title, start, values, themes, self.activities.get(key))
            self._plan(item)
            seen[key] = item
            preview.items.append(item)
        preview.to_create = sum(1 for item in preview.items if item.action == "create")
        preview.to_update = sum(1 for item in preview.items if item.action == "update")
        preview.unchanged = sum(1 for item in preview.items if item.action == "none")
        preview.to_add = len(self.new_themes)

    def _chapter(self, reader: RowReader) -> LocalChapter | None:
        return chapter_from_row(reader, self.chapters, self.chapter_list)

    def _themes(self, reader: RowReader) -> list[str] | None:
        text = reader.text("tema")
        if not text:
            return None
        names: dict[str, str] = {}
        for part in THEME_SEPARATORS.split(text):
            name = " ".join(part.split())
            if not name:
                continue
            if len(name) > 100:
                reader.error(
                    "tema", _("A theme can be at most 100 characters: “%(value)s”.") % {"value": name}
                )
                return None
            names.setdefault(name.casefold(), name)
        return list(names.values()) or None

    def _plan(self, item: ActivityItem) -> None:
        existing = item.existing
        if existing is None:
            item.action = "create"
            item.values.setdefault("ends_on", item.starts_on)  # an empty sluttdato: a one-day activity
            themes = item.themes or []
        else:
            item.changed = [
                name
                for name in ACTIVITY_FIELDS
                if name in item.values and getattr(existing, name) != item.values[name]
            ]
            if item.themes is not None:
                if {name.casefold() for name in item.themes} != self.theme_links.get(existing.pk, set()):
                    item.changed.append("themes")
            item.action = "update" if item.changed else "none"
            themes = (item.themes or []) if "themes" in item.changed else []
        for name in themes:
            if name.casefold() not in self.themes:
                self.new_themes.setdefault(name.casefold(), name)

    def write(self, preview: Preview[ActivityItem], *, actor: User | None) -> None:
        from fagnett.activities.import_services import write_activity_import

        write_activity_import(self.network, preview, self.themes, self.new_themes, actor=actor)


# --- Attendance -----------------------------------------------------------------------------------------


@dataclass(eq=False)
class AttendanceItem:
    row: int
    person: Person
    activity: Activity
    status: str
    hours: Decimal
    existing: Attendance | None
    action: str = "none"  # "create", "update" or "none"
    changed: list[str] = field(default_factory=list)


class AttendanceImporter(_NetworkImporter):
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "epost",
            required=True,
            help=gettext_lazy("The person's e-mail address in the network."),
            example="kari.nordmann@example.no",
        ),
        Column("tittel", required=True, help=gettext_lazy("The activity's title."), example="Smertelindring"),
        Column(
            "startdato", required=True, help=gettext_lazy("The activity's start date."), example="12.03.2024"
        ),
        Column(
            "timer",
            help=gettext_lazy("Credited hours; empty for the activity's hours (0 when absent)."),
            example="",
        ),
        Column("status", required=True, help=gettext_lazy("deltatt or fravaer."), example="deltatt"),
    )

    def _load(self) -> None:
        self.persons = _persons(self.network)
        self.activities = _activities(self.network)
        self.attendances = {
            (a.activity_id, a.person_id): a for a in Attendance.objects.filter(activity__network=self.network)
        }
        self.statuses = status_table()

    def validate_rows(self, table: Table, preview: Preview[AttendanceItem]) -> None:
        self._load()
        seen: dict[tuple[int, int], AttendanceItem] = {}
        for row in table.rows:
            reader = RowReader(row, preview)
            person = _person(reader, self.persons)
            title = " ".join(reader.text("tittel", required=True).split())
            start = reader.date("startdato", required=True)
            activity = None
            if title and start is not None:
                activity = self.activities.get((_title_key(title), start))
                if activity is None:
                    reader.error(
                        "tittel",
                        _("The network has no activity “%(title)s” starting %(date)s.")
                        % {"title": title, "date": _date(start)},
                    )
            status_text = reader.text("status", required=True)
            status = attendance_status(status_text, self.statuses) if status_text else None
            if status_text and status is None:
                reader.error(
                    "status",
                    _("Unknown status “%(value)s”. Use deltatt or fravaer.") % {"value": status_text},
                )
            hours = read_hours(reader, "timer")
            if reader.failed or person is None or activity is None or status is None:
                continue
            hours = self._hours(reader, activity, status, hours)
            if hours is None:
                continue
            earlier = seen.get((activity.pk, person.pk))
            if earlier is not None:
                reader.error(
                    "epost",
                    _("%(email)s is also on row %(row)s for this activity.")
                    % {"email": person.email, "row": earlier.row},
                )
                continue
            item = AttendanceItem(
                row.number, person, activity, status, hours, self.attendances.get((activity.pk, person.pk))
            )
            if item.existing is None:
                item.action = "create"
            else:
                item.changed = [
                    name
                    for name in ("status", "hours")
                    if getattr(item.existing, name) != getattr(item, name)
                ]
                item.action = "update" if item.changed else "none"
            seen[(activity.pk, person.pk)] = item
            preview.items.append(item)
        preview.to_create = sum(1 for item in preview.items if item.action == "create")
        preview.to_update = sum(1 for item in preview.items if item.action == "update")
        preview.unchanged = sum(1 for item in preview.items if item.action == "none")

    @staticmethod
    def _hours(reader: RowReader, activity: Activity, status: str, hours: Decimal | None) -> Decimal | None:
        if status == AttendanceStatus.ABSENT:
            if hours:
                reader.error("timer", _("A person who was absent cannot be credited with hours."))
                return None
            return Decimal("0.00")
        if hours is None:
            return activity.hours
        if hours > activity.hours:
            reader.error(
                "timer",
                _("%(hours)s hours is more than the activity's %(max)s. Correct the activity's hours first.")
                % {"hours": number_text(hours), "max": number_text(activity.hours)},
            )
            return None
        return hours

    def write(self, preview: Preview[AttendanceItem], *, actor: User | None) -> None:
        from fagnett.activities.import_services import write_attendance_import

        write_attendance_import(self.network, preview, actor=actor)


# --- Job shadowing --------------------------------------------------------------------------------------


@dataclass(eq=False)
class PlannedHost:
    """A host workplace a row names: one in the register, or one the import creates (service type annet)."""

    name: str
    municipality: Municipality
    existing: Workplace | None
    created: Workplace | None = None

    @property
    def workplace(self) -> Workplace | None:
        return self.existing or self.created


@dataclass(eq=False)
class ShadowingItem:
    row: int
    person: Person
    host: PlannedHost
    starts_on: dt.date
    ends_on: dt.date | None  # None: the cell is empty (a new placement ends on its start date)
    days: Decimal
    existing: Shadowing | None
    action: str = "none"  # "create", "update" or "none"
    changed: list[str] = field(default_factory=list)


class ShadowingImporter(_NetworkImporter):
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "epost",
            required=True,
            help=gettext_lazy("The person's e-mail address in the network."),
            example="kari.nordmann@example.no",
        ),
        Column(
            "vertsarbeidssted",
            required=True,
            help=gettext_lazy("The host workplace's name; created with service type annet if unknown."),
            example="Barneavdelingen SUS",
        ),
        Column(
            "vertskommunenummer",
            required=True,
            help=gettext_lazy("The host's municipality number, four digits."),
            example="1103",
        ),
        Column("startdato", required=True, help=gettext_lazy("First day."), example="04.03.2024"),
        Column("sluttdato", help=gettext_lazy("Last day; empty for the start date."), example="05.03.2024"),
        Column("dager", required=True, help=gettext_lazy("Days, 0,5 to 10."), example="2"),
    )

    def _load(self) -> None:
        network = self.network
        self.persons = _persons(network)
        self.workplaces: dict[tuple[str, int | None], Workplace] = {}
        self.hospital_units: dict[str, Workplace] = {}
        for workplace in (
            Workplace.objects.filter(network=network).select_related("service_type").order_by("pk")
        ):
            name = _key(workplace.name)
            self.workplaces.setdefault((name, workplace.municipality_id), workplace)
            if workplace.municipality_id is None and workplace.service_type.code == ServiceType.HOSPITAL_UNIT:
                self.hospital_units.setdefault(name, workplace)
        self.municipalities = {m.number: m for m in Municipality.objects.all()}
        self.shadowings = {
            (s.person_id, s.host_id, s.starts_on): s for s in Shadowing.objects.filter(network=network)
        }
        self.planned_hosts: dict[tuple[str, int], PlannedHost] = {}
        self.host_type = ServiceType.objects.filter(network=None, code=HOST_SERVICE_TYPE).first()
        self.today = timezone.localdate()

    def validate_rows(self, table: Table, preview: Preview[ShadowingItem]) -> None:
        self._load()
        seen: dict[tuple[int, int, dt.date], ShadowingItem] = {}  # (person, host, start)
        for row in table.rows:
            reader = RowReader(row, preview)
            person = _person(reader, self.persons)
            host = self._host(reader)
            start = reader.date("startdato", required=True)
            end = reader.date("sluttdato")
            _end_after_start(reader, start, end)
            days = read_decimal(reader, "dager", required=True)
            if days is not None and (message := days_error(days)):
                reader.error("dager", message)
            if reader.failed or person is None or host is None or start is None or days is None:
                continue
            existing = self.shadowings.get((person.pk, host.existing.pk, start)) if host.existing else None
            # The days must fit between the dates: the file's end date, else the stored one, else the start.
            found = span_error(start, end or (existing.ends_on if existing else start), days)
            if found is not None:
                reader.error("dager", found[1])
                continue
            key = (person.pk, host.existing.pk if host.existing else id(host), start)
            earlier = seen.get(key)
            if earlier is not None:
                reader.error(
                    "startdato",
                    _("The job shadowing of %(email)s at this host from %(date)s is also on row %(row)s.")
                    % {"email": person.email, "date": _date(start), "row": earlier.row},
                )
                continue
            item = ShadowingItem(
                row.number, person, host, start, end, days.quantize(Decimal("0.1")), existing
            )
            if existing is None:
                item.action = "create"
            else:
                wanted = {"ends_on": end or existing.ends_on, "days": item.days}
                item.changed = [name for name, value in wanted.items() if getattr(existing, name) != value]
                item.action = "update" if item.changed else "none"
            seen[key] = item
            preview.items.append(item)
        preview.to_create = sum(1 for item in preview.items if item.action == "create")
        preview.to_update = sum(1 for item in preview.items if item.action == "update")
        preview.unchanged = sum(1 for item in preview.items if item.action == "none")
        preview.to_add = sum(1 for host in self.planned_hosts.values() if host.existing is None)

    def _host(self, reader: RowReader) -> PlannedHost | None:
        name = " ".join(reader.text("vertsarbeidssted", required=True, max_length=200).split())
        value = reader.raw("vertskommunenummer")
        if value is None:
            reader.error("vertskommunenummer", _("A value is required."))
            return None
        text = cell_text(value)
        try:
            municipality = self.municipalities.get(normalise_municipality_number(text))
        except ValueError:
            municipality = None
        if municipality is None:
            reader.error(
                "vertskommunenummer",
                _("“%(value)s” is not a Norwegian municipality number.") % {"value": text},
            )
            return None
        if not name:
            return None
        key = (_key(name), municipality.pk)
        planned = self.planned_hosts.get(key)
        if planned is None:
            # A hospital unit is often registered with its health trust only: its name is enough.
            existing = self.workplaces.get(key) or self.hospital_units.get(_key(name))
            planned = PlannedHost(
                name=existing.name if existing else name, municipality=municipality, existing=existing
            )
            if existing is None and self.host_type is None:
                reader.error(
                    "vertsarbeidssted", _("The service type “annet” is missing in this installation.")
                )
                return None
            self.planned_hosts[key] = planned
        return planned

    def status_for(self, item: ShadowingItem) -> str:
        """History is done: a new placement that ended before today is completed, a later one planned."""
        ends_on = item.ends_on or item.starts_on
        return ShadowingStatus.DONE if ends_on < self.today else ShadowingStatus.PLANNED

    def write(self, preview: Preview[ShadowingItem], *, actor: User | None) -> None:
        from fagnett.activities.import_services import write_shadowing_import

        write_shadowing_import(self, preview, actor=actor)


# --- The command line's summaries -----------------------------------------------------------------------
# Fixed Norwegian wording: operators' scripts read them (docs/import-activities.md).


def activity_summary(preview: Preview[Any]) -> str:
    return (
        f"Rader: {preview.rows_total}. Nye aktiviteter: {preview.to_create}, endrede: {preview.to_update}, "
        f"uendrede: {preview.unchanged}, nye tema: {preview.to_add}."
    )


def attendance_summary(preview: Preview[Any]) -> str:
    return (
        f"Rader: {preview.rows_total}. Nye deltakelser: {preview.to_create}, endrede: {preview.to_update}, "
        f"uendrede: {preview.unchanged}."
    )


def shadowing_summary(preview: Preview[Any]) -> str:
    return (
        f"Rader: {preview.rows_total}. Nye hospiteringer: {preview.to_create}, endrede: {preview.to_update}, "
        f"uendrede: {preview.unchanged}, nye vertsarbeidssteder: {preview.to_add}."
    )

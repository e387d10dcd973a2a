"""What the import pages can import: the roster, and the network's history (activities, attendance, job
shadowing). One upload → preview → confirm machine (views/imports.py) serves them all; each kind says
which importer it uses, how its preview is summed up, and where the coordinator lands afterwards.

The activities app imports from networks, so its importers are imported inside `import_kinds()`, when a
page asks, never when this module loads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fagnett.lib.importing import Importer
from fagnett.networks.imports import KIND as ROSTER_KIND
from fagnett.networks.imports import RosterImporter, template_rows

if TYPE_CHECKING:
    from fagnett.lib.importing import Column
    from fagnett.networks.models import Network

DEFAULT = "personer"


@dataclass(frozen=True)
class ImportKind:
    code: str  # the `type` query parameter and form value
    stored: str  # the kind recorded with a stored upload (lib/importing.store_upload)
    label: str | Promise  # the choice on the upload form
    title: str | Promise  # the pages' heading
    importer: Callable[[Network], Importer[Any]]
    columns: tuple[Column, ...]
    template_name: str  # the downloaded template's file name, without extension
    redirect_to: str  # URL name, with the network's slug, after a confirmed import
    intro: str | Promise = ""
    # Preview count attribute → its label; only these are shown besides rows, unchanged and errors.
    counts: tuple[tuple[str, str | Promise], ...] = ()
    item_headers: tuple[str | Promise, ...] = ()
    item_cells: Callable[[Any], list[str]] | None = None

    @property
    def is_roster(self) -> bool:
        return self.code == DEFAULT


def _day(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


def _action(item: Any) -> str:
    return str(_("Will be added") if item.action == "create" else _("Will be changed"))


def _activity_cells(item: Any) -> list[str]:
    return [_action(item), item.title, _day(item.starts_on)]


def _attendance_cells(item: Any) -> list[str]:
    from fagnett.activities.imports import number_text
    from fagnett.activities.models import AttendanceStatus

    status = str(AttendanceStatus(item.status).label)
    return [
        _action(item),
        item.person.email,
        item.activity.title,
        _day(item.activity.starts_on),
        status,
        number_text(item.hours),
    ]


def _shadowing_cells(item: Any) -> list[str]:
    from fagnett.activities.imports import number_text

    return [_action(item), item.person.email, item.host.name, _day(item.starts_on), number_text(item.days)]


@cache
def import_kinds() -> dict[str, ImportKind]:
    """Every kind by its code, the roster first."""
    from fagnett.activities.imports import ActivityImporter, AttendanceImporter, ShadowingImporter

    kinds = [
        ImportKind(
            code=DEFAULT,
            stored=ROSTER_KIND,
            label=_("Persons and memberships"),
            title=_("Import persons"),
            importer=RosterImporter,
            columns=RosterImporter.columns,
            template_name="personimport-mal",
            redirect_to="networks:roster",
        ),
        ImportKind(
            code="aktiviteter",
            stored="activities",
            label=_("Activities"),
            title=_("Import activities"),
            importer=ActivityImporter,
            columns=ActivityImporter.columns,
            template_name="aktivitetsimport-mal",
            redirect_to="activities:calendar",
            intro=_(
                "Add the network's earlier activities from a spreadsheet, one row per activity. An activity "
                "is recognised by its title and start date, so the same file can be imported again."
            ),
            counts=(
                ("to_create", _("New activities")),
                ("to_update", _("Changed activities")),
                ("to_add", _("New themes")),
            ),
            item_headers=(_("What happens"), _("Title"), _("Start")),
            item_cells=_activity_cells,
        ),
        ImportKind(
            code="oppmote",
            stored="attendance",
            label=_("Attendance"),
            title=_("Import attendance"),
            importer=AttendanceImporter,
            columns=AttendanceImporter.columns,
            template_name="oppmoteimport-mal",
            redirect_to="activities:calendar",
            intro=_(
                "Add who attended the network's activities, one row per person and activity. The person is "
                "found by e-mail address and the activity by title and start date; import the activities "
                "first."
            ),
            counts=(
                ("to_create", _("New attendance records")),
                ("to_update", _("Changed attendance records")),
            ),
            item_headers=(_("What happens"), _("E-mail"), _("Activity"), _("Start"), _("Status"), _("Hours")),
            item_cells=_attendance_cells,
        ),
        ImportKind(
            code="hospitering",
            stored="shadowing",
            label=_("Job shadowing"),
            title=_("Import job shadowing"),
            importer=ShadowingImporter,
            columns=ShadowingImporter.columns,
            template_name="hospiteringsimport-mal",
            redirect_to="activities:shadowings",
            intro=_(
                "Add earlier job shadowing placements, one row per placement. The person is found by e-mail "
                "address; a host workplace that is not registered is created."
            ),
            counts=(
                ("to_create", _("New placements")),
                ("to_update", _("Changed placements")),
                ("to_add", _("New host workplaces")),
            ),
            item_headers=(_("What happens"), _("E-mail"), _("Host workplace"), _("Start"), _("Days")),
            item_cells=_shadowing_cells,
        ),
    ]
    return {kind.code: kind for kind in kinds}


def import_kind(code: str | None) -> ImportKind | None:
    """The kind a `type` parameter names; empty or missing: the roster; unknown: None."""
    return import_kinds().get(code or DEFAULT)


def template_rows_for(kind: ImportKind, network: Network, today: dt.date) -> list[list[Any]]:
    """The header row and one example row of the kind's template."""
    if kind.is_roster:
        return template_rows(network, today)
    return [[column.name for column in kind.columns], [column.example for column in kind.columns]]

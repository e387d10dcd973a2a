"""Every write to activities, their themes, programme and literature goes through these functions.

The pattern of `networks.services`: validate, write inside one transaction, and log one audit entry per
change with the names of the changed fields (never their values). Validation errors are `ValidationError`s
keyed by the field the user must correct; errors in a programme or literature row name the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Audience,
    LiteratureItem,
    ProgrammeItem,
    Theme,
)
from fagnett.audit.services import log_action
from fagnett.networks.models import LocalChapter, Network

if TYPE_CHECKING:
    from fagnett.accounts.models import User

THEME_NAME_MAX = Theme._meta.get_field("name").max_length or 100


@dataclass
class ActivityData:
    """An activity's own fields. `ends_on` empty means a one-day activity."""

    title: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    chapter: LocalChapter | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    hours: Decimal = Decimal(0)
    place: str = ""
    link: str = ""
    description: str = ""
    audience: str = Audience.RESOURCE_PERSONS
    capacity: int | None = None
    registration_deadline: dt.date | None = None
    other_participants: int = 0
    themes: Sequence[str] = field(default_factory=tuple)


# The fields stored on Activity itself (themes are a relation, set by set_themes).
ACTIVITY_FIELDS = tuple(f.name for f in fields(ActivityData) if f.name != "themes")


@dataclass(frozen=True)
class ProgrammeItemData:
    title: str
    day: dt.date | None = None
    time: dt.time | None = None
    speaker: str = ""
    speaker_organisation: str = ""


@dataclass(frozen=True)
class LiteratureData:
    title: str
    link: str = ""


def parse_theme_names(text: str) -> list[str]:
    """'Sorg, smerte ,sorg' → ['Sorg', 'smerte']: trimmed, inner spaces collapsed, the first spelling of
    names that differ only in case kept."""
    names: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def validate_activity(network: Network, data: ActivityData) -> None:
    """The rules for an activity's own fields; a ValidationError keyed by field names. Forms call it to show
    these errors together with their own; create_activity and update_activity call it again."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.title.strip():
        add("title", _("Write a title."))
    if data.kind not in ActivityKind.values:
        add("kind", _("Choose a kind of activity."))
    if data.audience not in Audience.values:
        add("audience", _("Choose an audience."))
    if data.chapter is not None and data.chapter.network_id != network.pk:
        add("chapter", _("The local chapter belongs to another network."))
    ends_on = data.ends_on or data.starts_on
    if ends_on < data.starts_on:
        add("ends_on", _("The end date cannot be before the start date."))
    if (
        ends_on == data.starts_on
        and data.start_time is not None
        and data.end_time is not None
        and data.end_time <= data.start_time
    ):
        add("end_time", _("The end time must be after the start time on a one-day activity."))
    if data.hours < 0:
        add("hours", _("The credited hours cannot be negative."))
    elif data.hours >= 1000:
        add("hours", _("The credited hours must be less than 1000."))
    if data.capacity is not None and data.capacity < 1:
        add("capacity", _("The capacity must be at least 1. Leave it empty for no limit."))
    if data.other_participants < 0:
        add("other_participants", _("The number of other participants cannot be negative."))
    if data.registration_deadline is not None and data.registration_deadline > data.starts_on:
        add("registration_deadline", _("The registration deadline cannot be after the start date."))
    if data.link:
        try:
            URLValidator(schemes=["http", "https"])(data.link)
        except ValidationError:
            add("link", _("Write a full web address starting with https://."))
    for name in data.themes:
        if len(name) > THEME_NAME_MAX:
            add(
                "themes",
                _("The theme “%(name)s” is longer than %(max)d characters.")
                % {"name": name[:40] + "…", "max": THEME_NAME_MAX},
            )
    if errors:
        raise ValidationError(errors)


def programme_day_error(day: dt.date | None, starts_on: dt.date, ends_on: dt.date) -> str:
    """Why a programme item's day is wrong for an activity from `starts_on` to `ends_on` ('' when right)."""
    if day is None or starts_on <= day <= ends_on:
        return ""
    if starts_on == ends_on:
        return _("The day must be the activity's date, %(start)s.") % {"start": f"{starts_on:%d.%m.%Y}"}
    return _("The day must be within the activity's dates, %(start)s–%(end)s.") % {
        "start": f"{starts_on:%d.%m.%Y}",
        "end": f"{ends_on:%d.%m.%Y}",
    }


def _validate_rows(
    starts_on: dt.date,
    ends_on: dt.date,
    programme: Sequence[ProgrammeItemData] | None,
    literature: Sequence[LiteratureData] | None,
) -> None:
    errors: dict[str, list[str]] = {}
    for number, item in enumerate(programme or (), start=1):
        if not item.title.strip():
            errors.setdefault("programme", []).append(
                _("Programme item %(number)d: write a title.") % {"number": number}
            )
        day_error = programme_day_error(item.day, starts_on, ends_on)
        if day_error:
            errors.setdefault("programme", []).append(
                _("Programme item %(number)d: %(error)s") % {"number": number, "error": day_error}
            )
    for number, literature_item in enumerate(literature or (), start=1):
        if not literature_item.title.strip():
            errors.setdefault("literature", []).append(
                _("Literature %(number)d: write a title.") % {"number": number}
            )
        if literature_item.link:
            try:
                URLValidator(schemes=["http", "https"])(literature_item.link)
            except ValidationError:
                errors.setdefault("literature", []).append(
                    _("Literature %(number)d: write a full web address starting with https://.")
                    % {"number": number}
                )
    if errors:
        raise ValidationError(errors)


def _apply(activity: Activity, data: ActivityData) -> list[str]:
    """Copy `data` onto `activity`; the names of the fields whose values changed."""
    values = {name: getattr(data, name) for name in ACTIVITY_FIELDS}
    values["ends_on"] = data.ends_on or data.starts_on
    values["title"] = data.title.strip()
    values["hours"] = Decimal(data.hours).quantize(Decimal("0.01"))
    changed = []
    for name, value in values.items():
        current = getattr(activity, name)
        if current != value:
            changed.append(name)
            setattr(activity, name, value)
    return changed


@transaction.atomic
def create_activity(
    network: Network,
    data: ActivityData,
    *,
    actor: User | None,
    programme: Sequence[ProgrammeItemData] = (),
    literature: Sequence[LiteratureData] = (),
) -> Activity:
    validate_activity(network, data)
    _validate_rows(data.starts_on, data.ends_on or data.starts_on, programme, literature)
    activity = Activity(network=network)
    _apply(activity, data)
    activity.save()
    log_action("activity.created", actor=actor, target=activity, network=network)
    _replace_themes(activity, data.themes, actor=actor)
    _replace_programme(activity, programme)
    _replace_literature(activity, literature)
    return activity


@transaction.atomic
def update_activity(
    activity: Activity,
    data: ActivityData,
    *,
    actor: User | None,
    programme: Sequence[ProgrammeItemData] | None = None,
    literature: Sequence[LiteratureData] | None = None,
) -> list[str]:
    """Change the activity; `programme`/`literature` None leaves them as they are. Returns the names of what
    changed (fields, and "themes", "programme", "literature"), which is also what the audit entry lists."""
    network = activity.network
    validate_activity(network, data)
    _validate_rows(data.starts_on, data.ends_on or data.starts_on, programme, literature)
    changed = _apply(activity, data)
    if changed:
        activity.save()
    if _replace_themes(activity, data.themes, actor=actor):
        changed.append("themes")
    if programme is not None and _replace_programme(activity, programme):
        changed.append("programme")
    if literature is not None and _replace_literature(activity, literature):
        changed.append("literature")
    if changed:
        log_action("activity.updated", actor=actor, target=activity, network=network, fields=changed)
    return changed


def themes_for_names(network: Network, names: Iterable[str], *, actor: User | None) -> list[Theme]:
    """The network's themes with these names, matched without regard to case; missing ones are created.

    The network's themes are few (tens), so they are matched in Python: SQLite's lower() leaves æ, ø and å
    alone, and "Øyeblikk" must find "øyeblikk" on every database."""
    wanted = parse_theme_names(",".join(names))
    if not wanted:
        return []
    existing = {theme.name.lower(): theme for theme in Theme.objects.filter(network=network)}
    themes = []
    for name in wanted:
        theme = existing.get(name.lower())
        if theme is None:
            theme = Theme.objects.create(network=network, name=name)
            existing[name.lower()] = theme
            log_action("activity.theme_created", actor=actor, target=theme, network=network)
        themes.append(theme)
    return themes


def _replace_themes(activity: Activity, names: Iterable[str], *, actor: User | None) -> bool:
    themes = themes_for_names(activity.network, names, actor=actor)
    before = set(activity.themes.values_list("pk", flat=True)) if activity.pk else set()
    if before == {theme.pk for theme in themes}:
        return False
    activity.themes.set(themes)
    return True


@transaction.atomic
def set_themes(activity: Activity, names: Iterable[str], *, actor: User | None) -> bool:
    """Give the activity exactly these themes (by name; created when new). True when they changed."""
    changed = _replace_themes(activity, names, actor=actor)
    if changed:
        log_action(
            "activity.updated", actor=actor, target=activity, network=activity.network, fields=["themes"]
        )
    return changed


def _programme_key(items: Iterable[ProgrammeItemData]) -> list[tuple[object, ...]]:
    return [(i.day, i.time, i.title, i.speaker, i.speaker_organisation) for i in items]


def _replace_programme(activity: Activity, items: Sequence[ProgrammeItemData]) -> bool:
    cleaned = [
        ProgrammeItemData(
            title=item.title.strip(),
            day=item.day,
            time=item.time,
            speaker=item.speaker.strip(),
            speaker_organisation=item.speaker_organisation.strip(),
        )
        for item in items
    ]
    current = [
        ProgrammeItemData(
            title=row.title,
            day=row.day,
            time=row.time,
            speaker=row.speaker,
            speaker_organisation=row.speaker_organisation,
        )
        for row in activity.programme.all()
    ]
    if _programme_key(current) == _programme_key(cleaned):
        return False
    activity.programme.all().delete()
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            activity=activity,
            position=position,
            title=item.title,
            day=item.day,
            time=item.time,
            speaker=item.speaker,
            speaker_organisation=item.speaker_organisation,
        )
        for position, item in enumerate(cleaned)
    )
    return True


def _replace_literature(activity: Activity, items: Sequence[LiteratureData]) -> bool:
    cleaned = [LiteratureData(title=item.title.strip(), link=item.link.strip()) for item in items]
    current = [LiteratureData(title=row.title, link=row.link) for row in activity.literature.all()]
    if current == cleaned:
        return False
    activity.literature.all().delete()
    LiteratureItem.objects.bulk_create(
        LiteratureItem(activity=activity, position=position, title=item.title, link=item.link)
        for position, item in enumerate(cleaned)
    )
    return True


@transaction.atomic
def replace_programme(activity: Activity, items: Sequence[ProgrammeItemData], *, actor: User | None) -> bool:
    """Replace the programme with `items`, in this order. True when it changed."""
    _validate_rows(activity.starts_on, activity.ends_on, items, None)
    changed = _replace_programme(activity, items)
    if changed:
        log_action(
            "activity.updated", actor=actor, target=activity, network=activity.network, fields=["programme"]
        )
    return changed


@transaction.atomic
def replace_literature(activity: Activity, items: Sequence[LiteratureData], *, actor: User | None) -> bool:
    """Replace the recommended literature with `items`, in this order. True when it changed."""
    _validate_rows(activity.starts_on, activity.ends_on, None, items)
    changed = _replace_literature(activity, items)
    if changed:
        log_action(
            "activity.updated", actor=actor, target=activity, network=activity.network, fields=["literature"]
        )
    return changed


def activity_data(activity: Activity) -> ActivityData:
    """The activity's current fields, for a form's initial values or a partial update."""
    data = ActivityData(**{name: getattr(activity, name) for name in ACTIVITY_FIELDS})
    data.themes = [theme.name for theme in activity.themes.all()]
    return data

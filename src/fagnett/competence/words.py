"""Amounts in words, shared by the coordinator's pages, the person's plan page and the reminder e-mails, so
each says "1 activity", "4,5 hours" and "2 days of job shadowing" the same way.

Singular and plural are separate messages (not ngettext): only 1 is singular in both languages, and 0,5 or
1,5 days read as plurals.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from fagnett.activities.emails import format_hours
from fagnett.competence.engine import RequirementStatus


def activities_text(count: int) -> str:
    if count == 1:
        return _("1 activity")
    return _("%(count)s activities") % {"count": count}


def hours_text(hours: Decimal) -> str:
    if hours == 1:
        return _("1 hour")
    return _("%(hours)s hours") % {"hours": format_hours(hours)}


def days_text(days: Decimal) -> str:
    """Days alone, for a sentence that names job shadowing itself ("job shadowing of at least 1 day")."""
    text = _("%(days)s day") if days == 1 else _("%(days)s days")
    return text % {"days": format_hours(days)}


def shadowing_text(days: Decimal) -> str:
    if days == 1:
        return _("1 day of job shadowing")
    return _("%(days)s days of job shadowing") % {"days": format_hours(days)}


def _left_parts(status: RequirementStatus) -> tuple[str, str]:
    """What is left by activities ("1 activity and 4 hours") and by job shadowing ("1 day of job
    shadowing"); either is empty when nothing of that is left."""
    parts = []
    if status.count_left:
        parts.append(activities_text(status.count_left))
    if status.hours_left:
        parts.append(hours_text(status.hours_left))
    if len(parts) == 2:
        by_activity = _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    else:
        by_activity = "".join(parts)
    return by_activity, shadowing_text(status.days_left) if status.days_left else ""


def left_in_words(status: RequirementStatus) -> str:
    """What is left of a requirement, as the person's page says it: "1 activity and 4 hours left"; empty
    when nothing is left.

    A once-requirement that both activities and job shadowing can meet is met by either, so its two parts
    are joined with "or"."""
    by_activity, by_shadowing = _left_parts(status)
    if by_activity and by_shadowing:
        items = _("%(activities)s or %(shadowing)s") % {"activities": by_activity, "shadowing": by_shadowing}
    else:
        items = by_activity or by_shadowing
    return _("%(items)s left") % {"items": items} if items else ""


def what_is_left(status: RequirementStatus) -> str:
    """What is left, as a reminder e-mail lists it after "What is left:": "1 activity and 6 hours",
    "1 day of job shadowing"."""
    by_activity, by_shadowing = _left_parts(status)
    if by_activity and by_shadowing:
        return _("%(activities)s, or %(days)s") % {"activities": by_activity, "days": by_shadowing}
    return by_activity or by_shadowing

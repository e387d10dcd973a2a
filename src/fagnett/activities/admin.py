"""Admin pages for the activities app: for looking things up and fixing the odd row. The pages networks'
users work in are the app's own; changes made here are audited through AuditedAdminMixin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from fagnett.activities.models import (
    Activity,
    Attendance,
    CalendarFeed,
    LiteratureItem,
    ProgrammeItem,
    Registration,
    Shadowing,
    Theme,
)
from fagnett.audit.admin import AuditedAdminMixin


class _NoAddAdmin:
    """Registrations, attendance and feeds are made by the app's services (waiting list, e-mails, hours);
    the admin only looks at them and corrects a field now and then."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# Web addresses typed without a scheme are read as https (Django 6's default), as in the app's own forms.
_URL_AS_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(Theme)
class ThemeAdmin(AuditedAdminMixin[Theme]):
    list_display = ("name", "network")
    list_filter = ("network",)
    search_fields = ("name",)


@admin.register(Activity)
class ActivityAdmin(AuditedAdminMixin[Activity]):
    list_display = ("title", "kind", "starts_on", "ends_on", "hours", "network", "chapter")
    list_filter = ("kind", "network")
    search_fields = ("title", "place")
    date_hierarchy = "starts_on"
    raw_id_fields = ("chapter",)
    filter_horizontal = ("themes",)
    readonly_fields = ("checkin_token", "created", "updated")
    formfield_overrides = _URL_AS_HTTPS


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(AuditedAdminMixin[ProgrammeItem]):
    list_display = ("title", "activity", "day", "time", "speaker")
    search_fields = ("title", "speaker", "activity__title")
    raw_id_fields = ("activity",)


@admin.register(LiteratureItem)
class LiteratureItemAdmin(AuditedAdminMixin[LiteratureItem]):
    list_display = ("title", "activity", "link")
    formfield_overrides = _URL_AS_HTTPS
    search_fields = ("title", "activity__title")
    raw_id_fields = ("activity",)


@admin.register(Registration)
class RegistrationAdmin(_NoAddAdmin, AuditedAdminMixin[Registration]):
    list_display = ("person", "activity", "status", "registered_at", "changed_at")
    list_filter = ("status",)
    search_fields = ("person__email", "person__last_name", "activity__title")
    raw_id_fields = ("activity", "person")
    readonly_fields = ("registered_at", "changed_at")


@admin.register(Attendance)
class AttendanceAdmin(_NoAddAdmin, AuditedAdminMixin[Attendance]):
    list_display = ("person", "activity", "status", "hours", "checked_in_at")
    list_filter = ("status",)
    search_fields = ("person__email", "person__last_name", "activity__title", "verification_code")
    raw_id_fields = ("activity", "person", "recorded_by")
    readonly_fields = ("verification_code", "checked_in_at", "updated")


@admin.register(Shadowing)
class ShadowingAdmin(AuditedAdminMixin[Shadowing]):
    list_display = ("person", "host", "starts_on", "ends_on", "days", "status", "network")
    list_filter = ("status", "network")
    search_fields = ("person__email", "person__last_name", "host__name")
    raw_id_fields = ("person", "host")
    readonly_fields = ("created",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(_NoAddAdmin, AuditedAdminMixin[CalendarFeed]):
    list_display = ("person", "created")
    search_fields = ("person__email", "person__last_name")
    raw_id_fields = ("person",)
    # The token is a secret: the admin neither shows nor edits it (revoking is the person's own page).
    exclude = ("token",)
    readonly_fields = ("created",)

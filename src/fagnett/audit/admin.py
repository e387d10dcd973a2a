from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.audit.services import log_action

_M = TypeVar("_M", bound=models.Model)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor_label", "action", "target_label", "network")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "target_label")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


class AuditedAdminMixin(admin.ModelAdmin[_M]):
    """Changes made in the admin pages reach the audit log like any other change (names of fields only)."""

    def save_model(self, request: HttpRequest, obj: _M, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            verb = "updated" if change else "created"
            fields = [name for name in form.changed_data if "password" not in name] if change else []
            if change and any("password" in name for name in form.changed_data):
                fields.append("password")
            log_action(
                f"admin.{obj._meta.model_name}.{verb}", actor=_user(request), target=obj, fields=fields
            )

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        with transaction.atomic():
            log_action(f"admin.{obj._meta.model_name}.deleted", actor=_user(request), target=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        with transaction.atomic():
            for obj in queryset:
                log_action(f"admin.{obj._meta.model_name}.deleted", actor=_user(request), target=obj)
            super().delete_queryset(request, queryset)


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None

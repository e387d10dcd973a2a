"""Opt-outs in the admin: the one place a site administrator can subscribe an address again (delete the row)
when a person asks the coordinator to. Audited like every admin change."""

from __future__ import annotations

from django.contrib import admin

from fagnett.audit.admin import AuditedAdminMixin
from fagnett.newsletters.models import OptOut


@admin.register(OptOut)
class OptOutAdmin(AuditedAdminMixin[OptOut]):
    list_display = ("email", "network", "created")
    list_filter = ("network",)
    search_fields = ("email",)
    readonly_fields = ("created",)

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fagnett.accounts.models import User
from fagnett.audit.admin import AuditedAdminMixin
from fagnett.networks.models import Membership, Network, Person, Role
from fagnett.networks.services import ensure_default_coverage_rules


@admin.register(Network)
class NetworkAdmin(AuditedAdminMixin[Network]):
    list_display = ("name", "slug", "established_year")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("municipalities",)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            # A network made here starts with the template's coverage rules, as one made by create_network.
            user = request.user if isinstance(request.user, User) else None
            ensure_default_coverage_rules(form.instance, actor=user)


@admin.register(Person)
class PersonAdmin(AuditedAdminMixin[Person]):
    list_display = ("last_name", "first_name", "email", "profession")
    search_fields = ("last_name", "first_name", "email")
    raw_id_fields = ("user",)


@admin.register(Role)
class RoleAdmin(AuditedAdminMixin[Role]):
    list_display = ("name", "code", "network")


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin[Membership]):
    list_display = ("person", "network", "role", "start", "end")
    list_filter = ("role", "network")
    raw_id_fields = ("person",)

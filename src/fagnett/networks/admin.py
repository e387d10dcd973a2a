from __future__ import annotations

from django.contrib import admin

from fagnett.audit.admin import AuditedAdminMixin
from fagnett.networks.models import Membership, Network, Person, Role


@admin.register(Network)
class NetworkAdmin(AuditedAdminMixin[Network]):
    list_display = ("name", "slug", "established_year")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("municipalities",)


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

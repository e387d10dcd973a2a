from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fagnett.accounts.models import User
from fagnett.audit.admin import AuditedAdminMixin
from fagnett.networks.models import Membership, Network, Person, ReaderScope, Role
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


@admin.register(ReaderScope)
class ReaderScopeAdmin(AuditedAdminMixin[ReaderScope]):
    """Site administrators grant read access above the single network here (issue 10); the mixin audits every
    grant, change and removal. The model's clean() refuses a scope without the trust or region it names."""

    list_display = ("user", "email", "kind", "target", "created")
    list_filter = ("kind", "health_region", "health_trust")
    search_fields = ("user__email", "user__name")
    autocomplete_fields = ("user",)
    fields = ("user", "kind", "health_trust", "health_region")
    list_select_related = ("user", "health_trust", "health_region")
    ordering = ("user__email", "kind")

    @admin.display(description=_("E-mail"), ordering="user__email")
    def email(self, scope: ReaderScope) -> str:
        return scope.user.email

    @admin.display(description=_("Area"))
    def target(self, scope: ReaderScope) -> str:
        target = scope.health_trust or scope.health_region
        return str(target) if target is not None else str(_("All networks"))

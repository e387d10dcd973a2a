"""Admin pages for the reference data.

The data comes from data migrations (docs/reference-data.md), so the admin only shows it: nothing can be
added or deleted here, and every field is read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from fagnett.places.models import CatchmentArea, County, HealthRegion, HealthTrust, Municipality

# Django's admin classes are generic only in django-stubs; subscripting them at run time needs
# django_stubs_ext.monkeypatch(), so the type parameters are given to the type checker alone.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
    _TabularInline = admin.TabularInline[CatchmentArea, Municipality]
else:
    _ModelAdmin = admin.ModelAdmin
    _TabularInline = admin.TabularInline


class ReferenceDataAdmin(_ModelAdmin):
    """Read-only: the rows are loaded by migrations and other data points at them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class CatchmentAreaInline(_TabularInline):
    model = CatchmentArea
    fields = ["code", "name", "kind", "municipality", "health_trust"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(HealthRegion)
class HealthRegionAdmin(ReferenceDataAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(HealthTrust)
class HealthTrustAdmin(ReferenceDataAdmin):
    list_display = ["name", "short_name", "region", "ownership"]
    list_filter = ["region", "ownership"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]


@admin.register(County)
class CountyAdmin(ReferenceDataAdmin):
    list_display = ["number", "name", "short_name", "region"]
    list_filter = ["region"]
    search_fields = ["number", "name", "short_name"]
    list_select_related = ["region"]


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = ["number", "display_name", "county"]
    list_filter = ["county"]
    search_fields = ["number", "name", "display_name"]
    list_select_related = ["county"]
    inlines = [CatchmentAreaInline]


@admin.register(CatchmentArea)
class CatchmentAreaAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "kind", "municipality", "health_trust"]
    list_filter = ["kind", "health_trust__region", "health_trust"]
    search_fields = ["code", "name", "municipality__name", "health_trust__name", "health_trust__short_name"]
    list_select_related = ["municipality", "health_trust"]

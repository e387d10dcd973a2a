from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from fagnett.accounts.models import User
from fagnett.audit.admin import AuditedAdminMixin


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class UserEditForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = ("email", "name", "is_active", "is_staff", "is_superuser", "groups")


@admin.register(User)
# django-stubs types UserAdmin for AbstractUser subclasses only; ours has no username, so it is not one.
class UserAdmin(AuditedAdminMixin[User], DjangoUserAdmin[User]):  # type: ignore[type-var]
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "name", "is_staff", "is_active", "last_login")
    search_fields = ("email", "name")
    list_filter = ("is_staff", "is_active")
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "name", "usable_password", "password1", "password2")},
        ),
    )
    readonly_fields = ("last_login", "date_joined")

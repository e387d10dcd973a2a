"""The organisation pages of a network: workplaces, groups, local chapters and the settings page.

Everything here is the network coordinator's (Need.COORDINATE), except the list of local chapters, which
chapter coordinators may read too (Need.MANAGE). Views parse, ask `access` for the rows, call one service
and render; the reads are in `organisation_queries`, the writes in `organisation_services`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fagnett.accounts.current import acting_user
from fagnett.networks import organisation_services as org
from fagnett.networks.access import (
    Need,
    NetworkAccess,
    chapter_for_user,
    group_for_user,
    network_for_user,
    workplace_for_user,
)
from fagnett.networks.models import CoverageRule, Group, GroupMember, Network, Role, ServiceType
from fagnett.networks.organisation_forms import (
    AreaForm,
    ChapterForm,
    CoverageRuleForm,
    GroupForm,
    GroupMemberForm,
    NetworkProfileForm,
    UnitsInScopeForm,
    VocabularyEntryForm,
    WorkplaceFilterForm,
    WorkplaceForm,
    add_service_errors,
)
from fagnett.networks.organisation_queries import chapter_rows, group_sections, workplace_rows
from fagnett.networks.services import create_workplace, ensure_default_coverage_rules, set_area

if TYPE_CHECKING:
    pass


def _page(
    request: HttpRequest, template: str, access: NetworkAccess, nav: str, **context: Any
) -> HttpResponse:
    return render(
        request, f"networks/{template}", {"access": access, "network": access.network, "nav": nav, **context}
    )


def _pk(value: str | None) -> int:
    """A primary key from a form field; anything else is treated as a missing row (404)."""
    if value is None or not value.isdigit():
        raise Http404
    return int(value)


# Workplaces ---------------------------------------------------------------------------------------------


@login_required
def workplaces(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    filters = WorkplaceFilterForm(access.network, request.GET or None)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    rows = workplace_rows(
        access.network,
        timezone.localdate(),
        service_type=chosen.get("service_type"),
        municipality=chosen.get("municipality"),
    )
    return _page(request, "workplaces.html", access, "workplaces", filters=filters, rows=rows)


@login_required
def workplace_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    form = WorkplaceForm(access.network, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workplace = create_workplace(access.network, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": workplace.name})
            return redirect("networks:workplaces", slug)
    return _page(request, "workplace_form.html", access, "workplaces", form=form, workplace=None)


@login_required
def workplace_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    workplace = workplace_for_user(access, pk)
    form = WorkplaceForm(access.network, request.POST or None, instance=workplace)
    if request.method == "POST" and form.is_valid():
        try:
            org.update_workplace(workplace, form.cleaned_data, actor=acting_user(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": workplace.name})
            return redirect("networks:workplaces", slug)
    return _page(request, "workplace_form.html", access, "workplaces", form=form, workplace=workplace)


# Groups -------------------------------------------------------------------------------------------------


@login_required
def groups(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    return _page(request, "groups.html", access, "groups", sections=group_sections(access.network))


@login_required
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    form = GroupForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            group = org.create_group(access.network, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": group.name})
            return redirect("networks:group_detail", slug, group.pk)
    return _page(request, "group_form.html", access, "groups", form=form, group=None)


@login_required
def group_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    group = group_for_user(access, pk)
    initial = {name: getattr(group, name) for name in org.GROUP_FIELDS}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org.update_group(group, form.cleaned_data, actor=acting_user(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": group.name})
            return redirect("networks:group_detail", slug, group.pk)
    return _page(request, "group_form.html", access, "groups", form=form, group=group)


@login_required
def group_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The group and its members; adding a member and removing one (after a confirmation step: the link
    `?fjern=<id>` shows the question, the POST removes) happen here."""
    access = network_for_user(request.user, slug, Need.COORDINATE)
    group = group_for_user(access, pk)
    form = GroupMemberForm(access.network, prefix="member")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove_member":
            member = _member_for_group(group, request.POST.get("member"))
            org.remove_group_member(member, actor=acting_user(request))
            messages.success(request, _("%(name)s was removed from the group.") % {"name": member.name})
            return redirect("networks:group_detail", slug, group.pk)
        if action != "add_member":
            return HttpResponseBadRequest()
        form = GroupMemberForm(access.network, request.POST, prefix="member")
        if form.is_valid():
            try:
                member = org.add_group_member(group, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s was added to the group.") % {"name": member.name})
                return redirect("networks:group_detail", slug, group.pk)
    remove = request.GET.get("fjern")
    confirm = _member_for_group(group, remove) if remove is not None else None
    members = list(group.members.order_by("position", "name", "pk"))
    return _page(
        request,
        "group_detail.html",
        access,
        "groups",
        group=group,
        members=members,
        form=form,
        confirm=confirm,
    )


def _member_for_group(group: Group, value: str | None) -> GroupMember:
    member = group.members.filter(pk=_pk(value)).first()
    if member is None:
        raise Http404
    return member


# Local chapters -----------------------------------------------------------------------------------------


@login_required
def chapters(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    today = timezone.localdate()
    rows = chapter_rows(access.network, today)
    return _page(request, "chapters.html", access, "chapters", rows=rows, today=today)


@login_required
def chapter_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    form = ChapterForm(access.network, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chapter = org.create_chapter(access.network, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": chapter.name})
            return redirect("networks:chapters", slug)
    return _page(request, "chapter_form.html", access, "chapters", form=form, chapter=None)


@login_required
def chapter_edit(request: HttpRequest, slug: str, chapter: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    local = chapter_for_user(access, chapter, write=True)
    form = ChapterForm(access.network, request.POST or None, instance=local)
    if request.method == "POST" and form.is_valid():
        try:
            org.update_chapter(local, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": local.name})
            return redirect("networks:chapters", slug)
    return _page(request, "chapter_form.html", access, "chapters", form=form, chapter=local)


# Settings -----------------------------------------------------------------------------------------------


class _SettingsForms:
    """The settings page's sub-forms, each with its own prefix so that their fields' ids never clash.
    At most one is bound: the one whose form was posted."""

    def __init__(self, network: Network, action: str = "", data: Any = None) -> None:
        def bound(name: str) -> Any:
            return data if action == name else None

        self.profile = NetworkProfileForm.for_network(network, bound("profile"), prefix="profile")
        self.area = AreaForm(network, bound("area"), prefix="area")
        self.rule = CoverageRuleForm(network, bound("add_rule"), prefix="rule")
        self.units = UnitsInScopeForm(network, bound("units"), prefix="units")
        self.service_type = VocabularyEntryForm(bound("add_service_type"), prefix="service_type")
        self.role = VocabularyEntryForm(bound("add_role"), prefix="role")

    def invalid(self) -> Any:
        for form in (self.profile, self.area, self.rule, self.units, self.service_type, self.role):
            if form.is_bound and form.errors:
                return form
        return None


def _apply_settings(request: HttpRequest, network: Network, action: str, forms: _SettingsForms) -> str | None:
    """Run the posted sub-form's change; returns the success message, or None when the form has errors."""
    actor = acting_user(request)
    if action == "remove_rule":
        rule = CoverageRule.objects.filter(network=network, pk=_pk(request.POST.get("rule"))).first()
        if rule is None:
            raise Http404
        org.remove_coverage_rule(rule, actor=actor)
        return _("The coverage rule was removed.")
    if action == "default_rules":
        # The shared service is not atomic itself; three rules and their audit entry belong together.
        with transaction.atomic():
            ensure_default_coverage_rules(network, actor=actor)
        return _("The standard coverage rules were added.")
    form = {
        "profile": forms.profile,
        "area": forms.area,
        "add_rule": forms.rule,
        "units": forms.units,
        "add_service_type": forms.service_type,
        "add_role": forms.role,
    }[action]
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if action == "profile":
            org.update_network_profile(network, data, actor=actor)
            return _("The network's profile was saved.")
        if action == "area":
            set_area(network, data["municipalities"], actor=actor)
            return _("The area was saved.")
        if action == "add_rule":
            org.add_coverage_rule(network, actor=actor, **data)
            return _("The coverage rule was added.")
        if action == "units":
            org.set_units_in_scope(network, data["units"], actor=actor)
            return _("The hospital units in the coverage check were saved.")
        if action == "add_service_type":
            entry: ServiceType | Role = org.add_service_type(network, actor=actor, **data)
        else:
            entry = org.add_role(network, actor=actor, **data)
        return _("%(name)s was added.") % {"name": entry.name}
    except ValidationError as error:
        add_service_errors(form, error)
        return None


_SETTINGS_ACTIONS = {
    "profile",
    "area",
    "add_rule",
    "remove_rule",
    "default_rules",
    "units",
    "add_service_type",
    "add_role",
}
# Where each sub-form sits on the page, so that the redirect after saving returns the user to it.
_SETTINGS_ANCHORS = {
    "profile": "profil",
    "area": "omrade",
    "add_rule": "dekning",
    "remove_rule": "dekning",
    "default_rules": "dekning",
    "units": "sykehusavdelinger",
    "add_service_type": "tjenestetyper",
    "add_role": "roller",
}


@login_required
def network_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    network = access.network
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in _SETTINGS_ACTIONS:
        return HttpResponseBadRequest()
    forms = _SettingsForms(network, action, request.POST)
    if action:
        done = _apply_settings(request, network, action, forms)
        if done is not None:
            messages.success(request, done)
            url = reverse("networks:settings", args=[slug])
            return HttpResponseRedirect(f"{url}#{_SETTINGS_ANCHORS[action]}")
    return _page(
        request,
        "settings.html",
        access,
        "settings",
        forms=forms,
        invalid=forms.invalid(),
        area_count=network.municipalities.count(),
        rules=list(network.coverage_rules.select_related("service_type")),
        builtin_service_types=list(ServiceType.objects.filter(network=None).order_by("name")),
        own_service_types=list(ServiceType.objects.filter(network=network).order_by("name")),
        builtin_roles=list(Role.objects.filter(network=None).order_by("name")),
        own_roles=list(Role.objects.filter(network=network).order_by("name")),
    )

"""Dissemination plans (kompetansespredningsplan): the plan's table, its measures, the status per year, the
network's own categories and target groups, and import and export.

Everyone who reads aggregates (coordinators, chapter coordinators, readers) reads; only the network
coordinator changes anything (plans.access). Every write goes through plans.dissemination_services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fagnett.accounts.current import acting_user
from fagnett.lib.importing import (
    ImportRejected,
    discard_upload,
    load_upload,
    purge_stale_uploads,
    store_upload,
)
from fagnett.lib.tabular import XLSX_TYPE, to_xlsx
from fagnett.networks.access import NetworkAccess
from fagnett.plans import dissemination_services as services
from fagnett.plans.access import owned, plans_access
from fagnett.plans.dissemination_exports import PDF_TYPE, file_name, plan_pdf, plan_xlsx
from fagnett.plans.dissemination_forms import (
    MeasureForm,
    PlanForm,
    UploadForm,
    VocabularyEntryForm,
    YearStatusForm,
)
from fagnett.plans.dissemination_import import DisseminationImporter, item_cells, stored_kind, template_rows
from fagnett.plans.dissemination_queries import plan_table, shown_year, target_groups_in_order, year_statuses
from fagnett.plans.models import DisseminationPlan, Measure, MeasureCategory, TargetGroup

if TYPE_CHECKING:
    from fagnett.accounts.models import User

ERRORS_SHOWN = 200


def _context(access: NetworkAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "network": access.network, "nav": "plans", **extra}


def _apply(form: Form, action: Any) -> Any:
    """Run a service call; its ValidationError is shown at the field it names. None when it failed."""
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


def _plan(access: NetworkAccess, pk: int) -> DisseminationPlan:
    return owned(DisseminationPlan.objects.select_related("network"), access, pk)


# --- Plans --------------------------------------------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    year = timezone.localdate().year
    form = PlanForm(request.POST or None, initial={"start_year": year, "end_year": year + 3})
    if request.method == "POST" and form.is_valid():
        plan = _apply(
            form, lambda: services.create_plan(access.network, form.data_object(), actor=acting_user(request))
        )
        if plan is not None:
            messages.success(request, _("The plan is created. Add its measures."))
            return redirect("plans:plan_detail", slug, plan.pk)
    return render(request, "plans/dissemination/plan_form.html", _context(access, form=form, plan=None))


@login_required
def plan_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug)
    plan = _plan(access, pk)
    year = shown_year(plan, request.GET.get("aar"), timezone.localdate())
    table = plan_table(plan, year)
    return render(request, "plans/dissemination/plan_detail.html", _context(access, plan=plan, table=table))


@login_required
def plan_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    plan = _plan(access, pk)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    if request.method == "POST" and form.is_valid():
        changed = _apply(
            form, lambda: services.update_plan(plan, form.data_object(), actor=acting_user(request))
        )
        if changed is not None:
            messages.success(request, _("The plan is saved."))
            return redirect("plans:plan_detail", slug, plan.pk)
    return render(request, "plans/dissemination/plan_form.html", _context(access, form=form, plan=plan))


@login_required
def plan_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    plan = _plan(access, pk)
    if request.method == "POST":
        services.delete_plan(plan, actor=acting_user(request))
        messages.success(request, _("The plan is deleted."))
        return redirect("plans:overview", slug)
    return render(
        request,
        "plans/dissemination/plan_delete.html",
        _context(access, plan=plan, measure_count=plan.measures.count()),
    )


@login_required
def plan_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    plan = _plan(access, pk)
    table = plan_table(plan, shown_year(plan, request.GET.get("aar"), timezone.localdate()))
    if fmt == "xlsx":
        response = HttpResponse(plan_xlsx(table, year_statuses(plan)), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(plan_pdf(table), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(table, fmt)}"'
    return response


@login_required
def plan_template(request: HttpRequest, slug: str) -> HttpResponse:
    plans_access(request.user, slug, write=True)
    response = HttpResponse(to_xlsx(template_rows(), title=_("Plan")), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="kompetansespredningsplan-mal.xlsx"'
    return response


# --- Import -------------------------------------------------------------------------------------------------


@login_required
def plan_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    plan = _plan(access, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        purge_stale_uploads()
        stored = store_upload(
            upload.read(),
            upload.name or "",
            kind=stored_kind(plan),
            network_id=access.network.pk,
            user_id=acting_user(request).pk,
        )
        return redirect("plans:plan_import_preview", slug, plan.pk, stored.pk)
    return render(
        request,
        "plans/dissemination/import_upload.html",
        _context(access, plan=plan, form=form, columns=DisseminationImporter.columns),
    )


@login_required
def plan_import_preview(request: HttpRequest, slug: str, pk: int, upload: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    plan = _plan(access, pk)
    user = acting_user(request)
    stored = load_upload(upload, kind=stored_kind(plan), network_id=access.network.pk, user_id=user.pk)
    if stored is None:
        raise Http404
    try:
        data = stored.read()
    except OSError as error:
        raise Http404 from error
    importer = DisseminationImporter(plan)
    preview = importer.preview_file(data, stored.name)
    if request.method == "POST" and preview.ok and preview.has_changes:
        try:
            done = importer.apply(preview, actor=user)
        except ImportRejected as rejected:
            preview = rejected.preview
            messages.error(
                request,
                _("The plan changed after the preview, and the file no longer fits. Nothing was saved."),
            )
        else:
            discard_upload(stored)
            messages.success(
                request,
                _("The import is done. New measures: %(created)s, changed: %(updated)s.")
                % {"created": done.to_create, "updated": done.to_update},
            )
            return redirect("plans:plan_detail", slug, plan.pk)
    changing = [item for item in preview.items if item.action in ("create", "update")] if preview.ok else []
    return render(
        request,
        "plans/dissemination/import_preview.html",
        _context(
            access,
            plan=plan,
            upload=stored,
            preview=preview,
            errors=preview.errors[:ERRORS_SHOWN],
            errors_shown=ERRORS_SHOWN,
            items=[(item.row, item_cells(item)) for item in changing],
        ),
    )


# --- Status per year ----------------------------------------------------------------------------------------


@login_required
def plan_year(request: HttpRequest, slug: str, pk: int, year: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    plan = _plan(access, pk)
    if not plan.start_year <= year <= plan.end_year:
        raise Http404
    table = plan_table(plan, year)
    shown = [row for row in table.rows if row.applies]
    initial: dict[str, Any] = {}
    for row in shown:
        initial[f"status_{row.pk}"] = row.status or ""
        initial[f"comment_{row.pk}"] = row.comment
    form = YearStatusForm(shown, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = _apply(
            form, lambda: services.set_year_statuses(plan, year, form.entries(), actor=acting_user(request))
        )
        if result is not None:
            messages.success(
                request,
                _("The status for %(year)s is saved (changed measures: %(count)s).")
                % {"year": year, "count": len(result.changed)},
            )
            return redirect(f"{reverse('plans:plan_detail', args=[slug, plan.pk])}?aar={year}")
    return render(
        request,
        "plans/dissemination/plan_year.html",
        _context(access, plan=plan, year=year, form=form, fields=form.bound_rows(), table=table),
    )


# --- Measures -----------------------------------------------------------------------------------------------


@login_required
def measure_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    plan = _plan(access, pk)
    form = MeasureForm(access.network, request.POST or None)
    if request.method == "POST" and form.is_valid():
        measure = _apply(
            form, lambda: services.create_measure(plan, form.data_object(), actor=acting_user(request))
        )
        if measure is not None:
            messages.success(request, _("The measure is added."))
            return redirect("plans:plan_detail", slug, plan.pk)
    return render(
        request, "plans/dissemination/measure_form.html", _context(access, plan=plan, form=form, measure=None)
    )


def _measure(access: NetworkAccess, pk: int) -> Measure:
    return owned(Measure.objects.select_related("plan__network", "category"), access, pk)


@login_required
def measure_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    measure = _measure(access, pk)
    plan = measure.plan
    form = MeasureForm(access.network, request.POST or None, initial=MeasureForm.initial_for(measure))
    if request.method == "POST" and form.is_valid():
        changed = _apply(
            form, lambda: services.update_measure(measure, form.data_object(), actor=acting_user(request))
        )
        if changed is not None:
            messages.success(request, _("The measure is saved."))
            return redirect("plans:plan_detail", slug, plan.pk)
    return render(
        request,
        "plans/dissemination/measure_form.html",
        _context(access, plan=plan, form=form, measure=measure),
    )


@login_required
def measure_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    measure = _measure(access, pk)
    plan = measure.plan
    if request.method == "POST":
        services.delete_measure(measure, actor=acting_user(request))
        messages.success(request, _("The measure is deleted."))
        return redirect("plans:plan_detail", slug, plan.pk)
    return render(
        request, "plans/dissemination/measure_delete.html", _context(access, plan=plan, measure=measure)
    )


# --- Categories and target groups ---------------------------------------------------------------------------

_VOCABULARY_ACTIONS = ("add_category", "add_group", "delete_category", "delete_group")


@login_required
def vocabulary(request: HttpRequest, slug: str) -> HttpResponse:
    writing = request.method == "POST"
    access = plans_access(request.user, slug, write=writing)
    network = access.network
    category_form = VocabularyEntryForm(prefix="category")
    group_form = VocabularyEntryForm(
        prefix="group", code_help=_("Short, as in the plan's table: for example LIS.")
    )
    refusal = ""
    if writing:
        action = request.POST.get("action", "")
        if action not in _VOCABULARY_ACTIONS:
            raise Http404
        actor = acting_user(request)
        if action == "add_category":
            category_form = VocabularyEntryForm(request.POST, prefix="category")
            if category_form.is_valid() and _apply(
                category_form,
                lambda: services.add_category(
                    network,
                    category_form.cleaned_data["code"],
                    category_form.cleaned_data["name"],
                    actor=actor,
                ),
            ):
                messages.success(request, _("The category is added."))
                return redirect("plans:vocabulary", slug)
        elif action == "add_group":
            group_form = VocabularyEntryForm(
                request.POST, prefix="group", code_help=_("Short, as in the plan's table: for example LIS.")
            )
            if group_form.is_valid() and _apply(
                group_form,
                lambda: services.add_target_group(
                    network, group_form.cleaned_data["code"], group_form.cleaned_data["name"], actor=actor
                ),
            ):
                messages.success(request, _("The target group is added."))
                return redirect("plans:vocabulary", slug)
        else:
            entry_pk = request.POST.get("pk", "")
            if not entry_pk.isascii() or not entry_pk.isdigit():
                raise Http404
            refusal, name = _delete_entry(access, action, int(entry_pk), actor)
            if not refusal:
                messages.success(request, _("“%(name)s” is deleted.") % {"name": name})
                return redirect("plans:vocabulary", slug)
    categories = list(
        MeasureCategory.objects.for_network(network).order_by(F("network").asc(nulls_first=True), "name")
    )
    groups = list(TargetGroup.objects.for_network(network))
    return render(
        request,
        "plans/dissemination/vocabulary.html",
        _context(
            access,
            categories=categories,
            groups=target_groups_in_order(groups),
            category_form=category_form,
            group_form=group_form,
            refusal=refusal,
        ),
    )


def _delete_entry(access: NetworkAccess, action: str, pk: int, actor: User) -> tuple[str, str]:
    """Delete one of the network's own categories or target groups: (refusal or "", the entry's name). A
    built-in entry (network empty) is not the network's own and answers 404, as another network's does."""
    try:
        if action == "delete_category":
            category = owned(MeasureCategory.objects.filter(network__isnull=False), access, pk)
            services.delete_category(category, actor=actor)
            return "", category.name
        group = owned(TargetGroup.objects.filter(network__isnull=False), access, pk)
        services.delete_target_group(group, actor=actor)
        return "", group.name
    except ValidationError as error:
        return " ".join(error.messages), ""

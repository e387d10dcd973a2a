"""Result indicators (resultatmål): the year's table, one indicator over time, the definition, a year's
entered values, and the CSV import and export of entered values.

Reading is for everyone who reads the network's plans; every change, the import and its template are the
network coordinator's (plans.access).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fagnett.activities.models import ActivityKind
from fagnett.core.years import FIRST_YEAR, LAST_YEAR, year_param
from fagnett.lib.importing import (
    ImportRejected,
    discard_upload,
    load_upload,
    purge_stale_uploads,
    store_upload,
)
from fagnett.lib.tabular import XLSX_TYPE, to_csv, to_xlsx
from fagnett.networks.access import NetworkAccess
from fagnett.plans.access import owned, plans_access
from fagnett.plans.charts import indicator_chart
from fagnett.plans.indicator_forms import IndicatorForm, UploadForm, ValuesForm
from fagnett.plans.indicator_import import (
    UPLOAD_KIND,
    IndicatorValuesImporter,
    export_rows,
    template_rows,
)
from fagnett.plans.indicator_services import create_indicator, delete_indicator, set_values, update_indicator
from fagnett.plans.indicator_values import indicator_history, number_text, year_rows
from fagnett.plans.models import Indicator, IndicatorValue

if TYPE_CHECKING:
    from fagnett.accounts.models import User

ERRORS_SHOWN = 200


def _context(access: NetworkAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "network": access.network, "nav": "plans", **extra}


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("aar"))


@login_required
def indicators(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    year = _year(request)
    rows = year_rows(access.network, year)
    return render(
        request,
        "plans/indicators/indicators.html",
        _context(
            access,
            year=year,
            rows=rows,
            has_targets=any(row.target is not None for row in rows),
            footnotes=[row for row in rows if row.footnote_mark],
            previous_year=year - 1 if year > FIRST_YEAR else None,
            next_year=year + 1 if year < LAST_YEAR else None,
        ),
    )


@login_required
def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug)
    indicator = owned(Indicator.objects.all(), access, pk)
    year = _year(request)
    history = indicator_history(access.network, indicator, year)
    unit = indicator.unit
    years_chart = indicator_chart(
        chart_id="fn-indicator-years",
        title=_("%(name)s per year") % {"name": indicator.name},
        unit=unit,
        rows=[(str(item.year), item.total) for item in history.years],
        target=indicator.yearly_target,
    )
    periods_chart = None
    if history.current.periods:
        periods_chart = indicator_chart(
            chart_id="fn-indicator-periods",
            title=_("%(name)s in %(year)s") % {"name": indicator.name, "year": year},
            unit=unit,
            rows=[(item.label, item.value) for item in history.current.periods],
        )
    target = indicator.yearly_target
    year_lines = [
        {
            "year": item.year,
            "value": number_text(item.total),
            "reached": None if target is None or item.total is None else item.total >= target,
        }
        for item in history.years
    ]
    return render(
        request,
        "plans/indicators/detail.html",
        _context(
            access,
            indicator=indicator,
            year=year,
            history=history,
            years_chart=years_chart,
            periods_chart=periods_chart,
            year_lines=year_lines,
            period_lines=[
                {"label": item.label, "value": number_text(item.value)} for item in history.current.periods
            ],
            target_text=number_text(target) if target is not None else "",
            kinds=[label for code, label in ActivityKind.choices if code in (indicator.activity_kinds or [])],
            current_text=number_text(history.current.total),
        ),
    )


def _save_indicator(request: HttpRequest, access: NetworkAccess, indicator: Indicator | None) -> HttpResponse:
    actor = cast("User", request.user)
    current = indicator.source if indicator is not None else ""
    if request.method == "POST":
        form = IndicatorForm(request.POST, current_source=current)
        if form.is_valid():
            try:
                if indicator is None:
                    indicator = create_indicator(access.network, form.data_object(), actor=actor)
                    messages.success(
                        request, _("The indicator “%(name)s” was added.") % {"name": indicator.name}
                    )
                else:
                    update_indicator(indicator, form.data_object(), actor=actor)
                    messages.success(
                        request, _("The indicator “%(name)s” was saved.") % {"name": indicator.name}
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("plans:indicator_detail", access.network.slug, indicator.pk)
    elif indicator is not None:
        form = IndicatorForm(initial=IndicatorForm.initial_for(indicator), current_source=current)
    else:
        form = IndicatorForm()
    return render(request, "plans/indicators/form.html", _context(access, form=form, indicator=indicator))


@login_required
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    return _save_indicator(request, access, None)


@login_required
def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    indicator = owned(Indicator.objects.all(), access, pk)
    return _save_indicator(request, access, indicator)


@login_required
def indicator_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    indicator = owned(Indicator.objects.all(), access, pk)
    if request.method == "POST":
        name = indicator.name
        delete_indicator(indicator, actor=cast("User", request.user))
        messages.success(request, _("The indicator “%(name)s” was deleted.") % {"name": name})
        return redirect("plans:indicators", slug)
    values = IndicatorValue.objects.filter(indicator=indicator).count()
    return render(
        request, "plans/indicators/delete.html", _context(access, indicator=indicator, values=values)
    )


@login_required
def values_edit(request: HttpRequest, slug: str, pk: int, year: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    indicator = owned(Indicator.objects.all(), access, pk)
    if indicator.is_computed or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    stored = dict(
        IndicatorValue.objects.filter(indicator=indicator, year=year).values_list("period", "value")
    )
    if request.method == "POST":
        form = ValuesForm(request.POST, indicator=indicator, stored=stored)
        if form.is_valid():
            try:
                set_values(indicator, year, form.values(), actor=cast("User", request.user))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The values of “%(name)s” for %(year)s were saved.")
                    % {"name": indicator.name, "year": year},
                )
                return redirect(f"{reverse('plans:indicator_detail', args=(slug, indicator.pk))}?aar={year}")
    else:
        form = ValuesForm(indicator=indicator, stored=stored)
    return render(
        request, "plans/indicators/values.html", _context(access, form=form, indicator=indicator, year=year)
    )


# --- Import and export ------------------------------------------------------------------------------------


@login_required
def values_import(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        purge_stale_uploads()
        stored = store_upload(
            upload.read(),
            upload.name or "",
            kind=UPLOAD_KIND,
            network_id=access.network.pk,
            user_id=cast("User", request.user).pk,
        )
        return redirect("plans:values_import_preview", slug, stored.pk)
    return render(
        request,
        "plans/indicators/import_upload.html",
        _context(access, form=form, columns=IndicatorValuesImporter.columns),
    )


@login_required
def values_import_preview(request: HttpRequest, slug: str, upload: int) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    user = cast("User", request.user)
    stored = load_upload(upload, kind=UPLOAD_KIND, network_id=access.network.pk, user_id=user.pk)
    if stored is None:
        raise Http404
    try:
        data = stored.read()
    except OSError as error:
        raise Http404 from error
    importer = IndicatorValuesImporter(access.network)
    preview = importer.preview_file(data, stored.name)
    if request.method == "POST" and preview.ok and preview.has_changes:
        try:
            done = importer.apply(preview, actor=user)
        except ImportRejected as rejected:
            preview = rejected.preview
            messages.error(
                request,
                _(
                    "The stored data changed after the preview was made, and the file no longer fits. "
                    "Nothing was saved."
                ),
            )
        else:
            discard_upload(stored)
            messages.success(
                request,
                _(
                    "The import is done. New values: %(created)s, changed: %(updated)s, "
                    "unchanged: %(unchanged)s."
                )
                % {"created": done.to_create, "updated": done.to_update, "unchanged": done.unchanged},
            )
            return redirect("plans:indicators", slug)
    changing = [item for item in preview.items if item.action != "unchanged"] if preview.ok else []
    return render(
        request,
        "plans/indicators/import_preview.html",
        _context(
            access,
            upload=stored,
            preview=preview,
            errors=preview.errors[:ERRORS_SHOWN],
            errors_shown=ERRORS_SHOWN,
            items=[
                {
                    "row": item.row,
                    "indicator": item.indicator.name,
                    "period": item.code,
                    "value": number_text(item.value),
                    "new": item.action == "create",
                }
                for item in changing[:ERRORS_SHOWN]
            ],
            items_total=len(changing),
        ),
    )


@login_required
def values_template(request: HttpRequest, slug: str) -> HttpResponse:
    access = plans_access(request.user, slug, write=True)
    response = HttpResponse(to_csv(template_rows(access.network)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resultatmaal-mal.csv"'
    return response


@login_required
def values_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    access = plans_access(request.user, slug)
    if fmt == "csv":
        content = to_csv(export_rows(access.network, decimal_comma=True))
        content_type = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = to_xlsx(export_rows(access.network, decimal_comma=False), title=_("Result indicators"))
        content_type = XLSX_TYPE
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="resultatmaal-{access.network.slug}.{fmt}"'
    return response

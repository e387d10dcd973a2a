"""The annual report's documents: DOCX, PDF, JSON and XLSX downloads, the network's own Word template, and
the public page and PDF of a published report.

- download: whoever may read the report (reports/access.py: coordinators also drafts, chapter coordinators
  and readers only published reports); audited as an export.
- template, default_template: the network coordinator.
- public_report, public_pdf: no login; 404 unless the report is published, marked public, and the network's
  public page is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fagnett.audit.services import log_action
from fagnett.core.links import absolute_url
from fagnett.public.facts import public_network
from fagnett.reports.access import report_access, report_for_user
from fagnett.reports.content import live_facts, report_content
from fagnett.reports.docx import DOCX_TYPE, PLACEHOLDERS, default_template_bytes
from fagnett.reports.models import AnnualReport, ReportStatus
from fagnett.reports.pdf import render_report_pdf
from fagnett.reports.rendering import CONTENT_TYPES, render_document
from fagnett.reports.template_forms import TemplateUploadForm
from fagnett.reports.template_services import (
    active_template,
    latest_upload,
    upload_template,
    use_default_template,
)

if TYPE_CHECKING:
    from fagnett.accounts.models import User

DOWNLOADS = ("docx", "pdf", "json", "xlsx")  # html is the report page itself
PUBLIC_CACHE_SECONDS = 300


@login_required
@require_safe
def download(request: HttpRequest, slug: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404
    access = report_access(request.user, slug)
    report = report_for_user(access, year)
    content = report_content(report)
    data = render_document(report, content, fmt)
    # A report names the members of the network's groups: who took a copy is recorded.
    log_action(
        "report.exported",
        actor=cast("User", request.user),
        target=report if report.pk else None,
        network=access.network,
        data={"year": year, "format": fmt, "status": report.status},
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="arsrapport-{access.network.slug}-{year}.{fmt}"'
    return response


def _template_page(
    request: HttpRequest, access: Any, form: TemplateUploadForm, status: int = 200
) -> HttpResponse:
    network = access.network
    active = active_template(network)
    latest = latest_upload(network)
    return render(
        request,
        "reports/template.html",
        {
            "access": access,
            "network": network,
            "nav": "reports",
            "form": form,
            "active": active,
            "failed": latest if latest is not None and not latest.active and latest.error else None,
            "placeholders": PLACEHOLDERS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template(request: HttpRequest, slug: str) -> HttpResponse:
    access = report_access(request.user, slug, write=True)
    network = access.network
    user = cast("User", request.user)
    if request.method != "POST":
        return _template_page(request, access, TemplateUploadForm())
    url = reverse("reports:template", args=[slug])
    if request.POST.get("action") == "default":
        use_default_template(network, actor=user)
        messages.success(request, _("The default template is in use again."))
        return HttpResponseRedirect(url)
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _template_page(request, access, form, status=400)
    # Tried on last year's facts as they are now: the report a coordinator is most likely to write.
    year = timezone.localdate().year - 1
    facts = live_facts(AnnualReport(network=network, year=year))
    uploaded = upload_template(network, form.cleaned_data["file"], facts=facts, actor=user)
    if uploaded.active:
        messages.success(
            request,
            _("The template %(name)s is in use for the annual report.") % {"name": uploaded.original_name},
        )
    else:
        messages.error(
            request, _("The template was not taken into use: %(error)s") % {"error": uploaded.error}
        )
    return HttpResponseRedirect(url)


@login_required
@require_safe
def default_template(request: HttpRequest, slug: str) -> HttpResponse:
    report_access(request.user, slug, write=True)
    response = HttpResponse(default_template_bytes(), content_type=DOCX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="arsrapport-mal.docx"'
    return response


def _public_report(slug: str, year: int) -> AnnualReport:
    """Published, public, and the network's public page on; otherwise 404 (nothing tells which)."""
    network = public_network(slug)
    report = AnnualReport.objects.filter(
        network=network, year=year, status=ReportStatus.PUBLISHED, public=True, snapshot__isnull=False
    ).first()
    if report is None:
        raise Http404
    report.network = network
    return report


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


@require_safe
def public_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _public_report(slug, year)
    network = report.network
    path = reverse("reports:public", args=[slug, year])
    response = render(
        request,
        "reports/public.html",
        {
            "network": network,
            "report": report,
            "year": year,
            "content": report_content(report),
            "canonical_url": absolute_url(path),
            "description": _("Annual report %(year)s for %(name)s") % {"year": year, "name": network.name},
        },
    )
    return _public(response)


@require_safe
def public_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _public_report(slug, year)
    data = render_report_pdf(report_content(report))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="arsrapport-{slug}-{year}.pdf"'
    return _public(response)

"""Roster import: upload a file, see what it would change, confirm (network coordinators only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.lib.importing import (
    MAX_UPLOAD_BYTES,
    ImportRejected,
    discard_upload,
    load_upload,
    purge_stale_uploads,
    store_upload,
)
from fagnett.lib.tabular import EXTENSIONS, extension_of, to_csv, to_xlsx
from fagnett.networks.access import Need, network_for_user
from fagnett.networks.imports import KIND, RosterImporter, preview_facts, template_rows

if TYPE_CHECKING:
    from fagnett.accounts.models import User

ERRORS_SHOWN = 200
_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel file (.xlsx) or a CSV file (.csv), at most 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if extension_of(upload.name or "") not in EXTENSIONS:
            raise ValidationError(_("Choose an .xlsx or a .csv file."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload


@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        purge_stale_uploads()
        stored = store_upload(
            upload.read(),
            upload.name or "",
            kind=KIND,
            network_id=access.network.pk,
            user_id=cast("User", request.user).pk,
        )
        return redirect("networks:import_preview", slug, stored.pk)
    return render(
        request,
        "networks/import_upload.html",
        {
            "access": access,
            "network": access.network,
            "nav": "import",
            "form": form,
            "columns": RosterImporter.columns,
        },
    )


@login_required
def import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    if fmt not in _CONTENT_TYPES:
        raise Http404
    rows = template_rows(access.network, timezone.localdate())
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows, title=_("Persons"))
    response = HttpResponse(content, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="personimport-mal.{fmt}"'
    return response


@login_required
def import_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    user = cast("User", request.user)  # login_required
    upload = load_upload(pk, kind=KIND, network_id=access.network.pk, user_id=user.pk)
    if upload is None:
        raise Http404
    try:
        data = upload.read()
    except OSError as error:
        raise Http404 from error
    importer = RosterImporter(access.network)
    preview = importer.preview_file(data, upload.name)
    if request.method == "POST" and preview.ok and preview.has_changes:
        try:
            done = importer.apply(preview, actor=user)
        except ImportRejected as rejected:
            preview = rejected.preview
            messages.error(
                request,
                _(
                    "The roster changed after the preview was made, and the file no longer fits. Nothing was "
                    "saved."
                ),
            )
        else:
            discard_upload(upload)
            messages.success(
                request,
                _(
                    "The import is done. New persons: %(created)s, changed: %(updated)s, new memberships: "
                    "%(added)s, ended: %(ended)s."
                )
                % {
                    "created": done.to_create,
                    "updated": done.to_update,
                    "added": done.to_add,
                    "ended": done.to_end,
                },
            )
            return redirect("networks:roster", slug)
    return render(
        request,
        "networks/import_preview.html",
        {
            "access": access,
            "network": access.network,
            "nav": "import",
            "upload": upload,
            "preview": preview,
            "facts": preview_facts(preview),
            "errors": preview.errors[:ERRORS_SHOWN],
            "errors_shown": ERRORS_SHOWN,
        },
    )

"""Imports: upload a file, see what it would change, confirm (network coordinators only).

The same three pages serve every kind in networks/import_kinds.py (the roster, activities, attendance, job
shadowing); the kind is chosen on the upload form or with `?type=`, and recorded with the stored upload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

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
    Preview,
    StoredUpload,
    discard_upload,
    load_upload,
    purge_stale_uploads,
    store_upload,
)
from fagnett.lib.tabular import EXTENSIONS, XLSX_TYPE, extension_of, to_csv, to_xlsx
from fagnett.networks.access import Need, network_for_user
from fagnett.networks.import_kinds import DEFAULT, ImportKind, import_kind, import_kinds, template_rows_for
from fagnett.networks.imports import preview_facts

if TYPE_CHECKING:
    from fagnett.accounts.models import User

ERRORS_SHOWN = 200
_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPE,
}


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in import_kinds().values()]


class UploadForm(forms.Form):
    # Not required: a form posted without it (an old bookmark, a script) imports persons, as before.
    type = forms.ChoiceField(
        label=gettext_lazy("What do you want to import?"),
        choices=_kind_choices,
        widget=forms.RadioSelect,
        required=False,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel file (.xlsx) or a CSV file (.csv), at most 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_type(self) -> str:
        return str(self.cleaned_data.get("type") or DEFAULT)

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
    kind = _kind_from(request.GET.get("type"))
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        kind = import_kind(request.POST.get("type")) or kind  # a wrong choice is the form's error
    else:
        form = UploadForm(initial={"type": kind.code})
    if form.is_bound and form.is_valid():
        kind = _kind_from(form.cleaned_data["type"])
        upload: UploadedFile = form.cleaned_data["file"]
        purge_stale_uploads()
        stored = store_upload(
            upload.read(),
            upload.name or "",
            kind=kind.stored,
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
            "kind": kind,
            "kinds": import_kinds().values(),
            "columns": kind.columns,
        },
    )


@login_required
def import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    kind = _kind_from(request.GET.get("type"))
    if fmt not in _CONTENT_TYPES:
        raise Http404
    rows = template_rows_for(kind, access.network, timezone.localdate())
    title = _("Persons") if kind.is_roster else str(kind.label)
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows, title=title)
    response = HttpResponse(content, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind.template_name}.{fmt}"'
    return response


@login_required
def import_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.COORDINATE)
    user = cast("User", request.user)  # login_required
    kind, upload = _stored(pk, access.network.pk, user.pk)
    try:
        data = upload.read()
    except OSError as error:
        raise Http404 from error
    importer = kind.importer(access.network)
    preview = importer.preview_file(data, upload.name)
    if request.method == "POST" and preview.ok and preview.has_changes:
        try:
            done = importer.apply(preview, actor=user)
        except ImportRejected as rejected:
            preview = rejected.preview
            messages.error(request, _stale_message(kind))
        else:
            discard_upload(upload)
            if not kind.is_roster:
                messages.success(request, _done_message(kind, done))
                return redirect(kind.redirect_to, slug)
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
            "kind": kind,
            "facts": preview_facts(preview) if kind.is_roster else None,
            "summary": _summary(kind, preview),
            "items": _item_rows(kind, preview),
            "errors": preview.errors[:ERRORS_SHOWN],
            "errors_shown": ERRORS_SHOWN,
        },
    )


def _kind_from(code: str | None) -> ImportKind:
    kind = import_kind(code)
    if kind is None:
        raise Http404
    return kind


def _stored(pk: int, network_id: int, user_id: int) -> tuple[ImportKind, StoredUpload]:
    """The upload and the kind it was stored as; 404 when it is not this uploader's in this network."""
    for kind in import_kinds().values():
        upload = load_upload(pk, kind=kind.stored, network_id=network_id, user_id=user_id)
        if upload is not None:
            return kind, upload
    raise Http404


def _stale_message(kind: ImportKind) -> str:
    if kind.is_roster:
        return _(
            "The roster changed after the preview was made, and the file no longer fits. Nothing was saved."
        )
    return _(
        "The stored data changed after the preview was made, and the file no longer fits. Nothing was saved."
    )


def _summary(kind: ImportKind, preview: Preview[Any]) -> list[tuple[str, int]]:
    """The history kinds' counts as (label, number); the roster's page lists its own."""
    return [(str(label), int(getattr(preview, name))) for name, label in kind.counts]


def _done_message(kind: ImportKind, done: Preview[Any]) -> str:
    figures = "; ".join(f"{label}: {count}" for label, count in _summary(kind, done))
    return _("The import is done. %(figures)s.") % {"figures": figures}


def _item_rows(kind: ImportKind, preview: Preview[Any]) -> ItemRows | None:
    """What the import adds or changes, one row per file row (the first ERRORS_SHOWN), built in memory."""
    if kind.item_cells is None or preview.errors:
        return None
    changing = [item for item in preview.items if getattr(item, "action", "") in ("create", "update")]
    return ItemRows(
        headers=[str(header) for header in kind.item_headers],
        rows=[(int(item.row), kind.item_cells(item)) for item in changing[:ERRORS_SHOWN]],
        total=len(changing),
        limit=ERRORS_SHOWN,
    )


@dataclass(frozen=True)
class ItemRows:
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    total: int
    limit: int

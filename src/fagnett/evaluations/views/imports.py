"""Import of a Nettskjema report into an activity's evaluation: upload, then a preview where each column
group is given a question, then confirm (only those who manage the activity; 404 for everyone else).

The uploaded files wait on disk (lib/importing.store_upload) under a kind naming the activity, so that an
upload cannot be previewed or imported on another activity; the optional element definition is a second
stored upload whose number travels with the preview as `elements`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.activities.access import activity_for_user
from fagnett.activities.models import Activity
from fagnett.evaluations.imports import (
    NettskjemaImporter,
    Targets,
    choice_options,
    default_choices,
)
from fagnett.evaluations.models import Evaluation
from fagnett.evaluations.nettskjema import (
    MAX_ELEMENTS_BYTES,
    Elements,
    ElementsError,
    Group,
    build_report,
    parse_elements,
    read_report,
)
from fagnett.lib.importing import (
    MAX_UPLOAD_BYTES,
    ImportRejected,
    Preview,
    StoredUpload,
    discard_upload,
    load_upload,
    purge_stale_uploads,
    store_upload,
    tabular_error_message,
)
from fagnett.lib.tabular import EXTENSIONS, TabularError, extension_of
from fagnett.networks.access import Need, NetworkAccess, network_for_user

if TYPE_CHECKING:
    from fagnett.accounts.models import User

ERRORS_SHOWN = 200


def _report_kind(activity: Activity) -> str:
    return f"nettskjema:{activity.pk}"


def _elements_kind(activity: Activity) -> str:
    return f"nettskjema-elements:{activity.pk}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Nettskjema report"),
        help_text=gettext_lazy(
            "The report as downloaded from Nettskjema: CSV (.csv) or Excel (.xlsx), at most 20 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    elements = forms.FileField(
        label=gettext_lazy("Form definition (optional)"),
        help_text=gettext_lazy(
            "The form's elements from Nettskjema as JSON. With it, the questions get their texts and the "
            "options their labels; without it, the column names are used."
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if extension_of(upload.name or "") not in EXTENSIONS:
            raise ValidationError(_("Choose an .xlsx or a .csv file."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean_elements(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("elements")
        if upload is None:
            return None
        if extension_of(upload.name or "") != "json" or (upload.size or 0) > MAX_ELEMENTS_BYTES:
            raise ValidationError(_("Choose the form definition as a .json file of at most 5 MB."))
        try:
            parse_elements(upload.read())
        except ElementsError as error:
            raise ValidationError(str(error)) from error
        upload.seek(0)
        return upload


class MappingForm(forms.Form):
    """One select per column group: a question of the form that fits, a new question, or not importing."""

    def __init__(
        self,
        groups: list[Group],
        targets: Targets,
        defaults: dict[str, str],
        data: Any = None,
    ) -> None:
        super().__init__(data=data)
        self.groups = groups
        for index, group in enumerate(groups):
            options = choice_options(group, targets)
            if len(options) == 1:  # attachments: nothing to choose
                continue
            question = group.text if len(group.text) <= 80 else group.text[:79] + "…"
            self.fields[f"g{index}"] = forms.ChoiceField(
                # Every select names its question: a screen reader lists the fields by their labels.
                label=_("Store the answers to “%(question)s” in") % {"question": question},
                choices=options,
                initial=defaults.get(group.key),
            )

    def choices(self) -> dict[str, str]:
        return {
            group.key: str(self.cleaned_data[f"g{index}"])
            for index, group in enumerate(self.groups)
            if f"g{index}" in self.fields
        }


def _activity(request: HttpRequest, slug: str, pk: int) -> tuple[NetworkAccess, Activity]:
    access = network_for_user(request.user, slug, Need.MANAGE)
    return access, activity_for_user(access, pk, manage=True)


@login_required
def upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, activity = _activity(request, slug, pk)
    user = cast("User", request.user)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        report: UploadedFile = form.cleaned_data["file"]
        elements: UploadedFile | None = form.cleaned_data["elements"]
        purge_stale_uploads()
        stored = store_upload(
            report.read(),
            report.name or "",
            kind=_report_kind(activity),
            network_id=access.network.pk,
            user_id=user.pk,
        )
        url = reverse("evaluations:import_preview", args=[slug, activity.pk, stored.pk])
        if elements is not None:
            stored_elements = store_upload(
                elements.read(),
                elements.name or "elements.json",
                kind=_elements_kind(activity),
                network_id=access.network.pk,
                user_id=user.pk,
            )
            url += f"?elements={stored_elements.pk}"
        return redirect(url)
    evaluation = Evaluation.objects.select_related("form").filter(activity=activity).first()
    return render(
        request,
        "evaluations/import_upload.html",
        {
            "access": access,
            "network": access.network,
            "nav": "evaluations",
            "activity": activity,
            "evaluation": evaluation,
            "form": form,
        },
    )


def _stored_elements(
    request: HttpRequest, activity: Activity, network_id: int, user_id: int
) -> tuple[StoredUpload | None, Elements | None]:
    number = request.POST.get("elements") or request.GET.get("elements") or ""
    if not number.isdigit():
        return None, None
    stored = load_upload(int(number), kind=_elements_kind(activity), network_id=network_id, user_id=user_id)
    if stored is None:
        return None, None
    try:
        return stored, parse_elements(stored.read())
    except (OSError, ElementsError):
        return None, None


@login_required
def preview(request: HttpRequest, slug: str, pk: int, batch: int) -> HttpResponse:
    access, activity = _activity(request, slug, pk)
    user = cast("User", request.user)
    stored = load_upload(batch, kind=_report_kind(activity), network_id=access.network.pk, user_id=user.pk)
    if stored is None:
        raise Http404
    try:
        data = stored.read()
    except OSError as error:
        raise Http404 from error
    elements_upload, elements = _stored_elements(request, activity, access.network.pk, user.pk)
    importer = NettskjemaImporter(activity, elements=elements)
    form: MappingForm | None = None
    try:
        table = read_report(data, stored.name)
    except TabularError as error:
        result: Preview[Any] = Preview(source_name=stored.name)
        result.error(1, "", tabular_error_message(error))
    else:
        groups = build_report(table, elements).groups
        targets = importer.targets()
        defaults = default_choices(groups, targets)
        form = MappingForm(groups, targets, defaults, data=request.POST if request.method == "POST" else None)
        importer.choices = form.choices() if form.is_bound and form.is_valid() else defaults
        result = importer.validate(table)
        result.source_name = stored.name
        wants_import = request.method == "POST" and request.POST.get("action") == "import"
        if wants_import and form.is_valid() and result.ok and result.has_changes:
            try:
                done = importer.apply(result, actor=user)
            except ImportRejected as rejected:
                result = rejected.preview
                messages.error(
                    request,
                    _(
                        "The evaluation changed after the preview was made, and the file no longer fits. "
                        "Nothing was saved."
                    ),
                )
            else:
                discard_upload(stored)
                if elements_upload is not None:
                    discard_upload(elements_upload)
                messages.success(request, _done_message(importer, done))
                return redirect("evaluations:setup", slug, activity.pk)
    return render(
        request,
        "evaluations/import_preview.html",
        {
            "access": access,
            "network": access.network,
            "nav": "evaluations",
            "activity": activity,
            "upload": stored,
            "elements_upload": elements_upload,
            "elements_name": elements_upload.name if elements_upload else "",
            "preview": result,
            "importer": importer,
            "form": form,
            "mapping": _mapping_rows(importer, form),
            "skipped_columns": importer.skipped_columns(),
            "ignored": importer.report.ignored if importer.report is not None else [],
            "errors": result.errors[:ERRORS_SHOWN],
            "errors_shown": ERRORS_SHOWN,
        },
    )


def _mapping_rows(importer: NettskjemaImporter, form: MappingForm | None) -> list[tuple[Any, Any]]:
    """Each group's plan with its select (None for attachments, which are never imported)."""
    if form is None:
        return []
    return [
        (plan, form[f"g{plan.index}"] if f"g{plan.index}" in form.fields else None) for plan in importer.plans
    ]


def _done_message(importer: NettskjemaImporter, done: Preview[Any]) -> str:
    message = _("The import is done: %(count)s responses imported, %(already)s imported before.") % {
        "count": done.to_create,
        "already": done.unchanged,
    }
    if importer.created_form is not None:
        message += " " + _(
            "The form “%(title)s” was made from the file; edit it among the evaluation forms."
        ) % {"title": importer.created_form.title}
    elif done.to_add:
        message += " " + _("New questions: %(count)s.") % {"count": done.to_add}
    return message

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Word template (.docx)"),
        help_text=_("A Word document with the placeholders listed below, at most 10 MB."),
        widget=forms.FileInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        self.fields["file"].error_messages["required"] = _("Choose a Word file (.docx) to upload.")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".docx"):
            raise forms.ValidationError(_("The file must be a Word document (.docx)."))
        if (upload.size or 0) > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload

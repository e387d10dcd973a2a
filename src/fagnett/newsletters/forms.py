"""The composer's forms: the newsletter draft and the image upload (issue 9)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fagnett.activities.models import Activity, ActivityKind, Theme
from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import LocalChapter
from fagnett.newsletters.models import Newsletter
from fagnett.newsletters.services import DraftData, clean_extra_addresses, inspect_image

MAX_GATHERINGS_IN_LABEL = 3


class ThemeChoiceField(forms.ModelChoiceField[Theme]):
    """A theme, labelled with the gatherings that had it, so the coordinator sees what it follows up."""

    def label_from_instance(self, obj: Theme) -> str:
        gatherings: list[Activity] = getattr(obj, "gatherings", [])
        if not gatherings:
            return obj.name
        shown = "; ".join(
            f"{activity.title} {activity.starts_on:%d.%m.%Y}"
            for activity in gatherings[:MAX_GATHERINGS_IN_LABEL]
        )
        more = len(gatherings) - MAX_GATHERINGS_IN_LABEL
        if more > 0:
            shown += " " + gettext("and %(count)s more") % {"count": more}
        return f"{obj.name} ({shown})"


class NewsletterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    chapter: forms.ModelChoiceField[LocalChapter] = forms.ModelChoiceField(
        label=_("Send to"),
        queryset=LocalChapter.objects.none(),
        required=False,
        empty_label=_("The whole network"),
        help_text=_("All active members of the network, or only those of one local chapter."),
    )
    theme = ThemeChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("No theme"),
        help_text=_(
            "The gathering theme the newsletter follows up, if any. "
            "Gatherings with the theme are shown in brackets."
        ),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Written in Markdown; see the short guide below the field. The preview shows the result."
        ),
    )
    include_leaders = forms.BooleanField(label=_("Also send to their line managers"), required=False)
    extra_recipients = forms.CharField(
        label=_("Extra addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One e-mail address per line (or separated by commas)."),
    )

    def __init__(
        self, *args: Any, access: NetworkAccess, newsletter: Newsletter | None = None, **kwargs: Any
    ) -> None:
        if newsletter is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "subject": newsletter.subject,
                "chapter": newsletter.chapter_id,
                "theme": newsletter.theme_id,
                "body": newsletter.body,
                "include_leaders": newsletter.include_leaders,
                "extra_recipients": newsletter.extra_recipients,
            }
        super().__init__(*args, **kwargs)
        chapter = cast("forms.ModelChoiceField[LocalChapter]", self.fields["chapter"])
        chapter.queryset = access.editable_chapters().order_by("name")
        if not access.is_coordinator:
            # A chapter coordinator writes to one of their chapters; a network-wide one is not theirs.
            chapter.required = True
            chapter.empty_label = None
            chapter.help_text = _("The active members of the local chapter you choose.")
        theme = cast(ThemeChoiceField, self.fields["theme"])
        gatherings = Activity.objects.filter(kind=ActivityKind.GATHERING).order_by("-starts_on", "pk")
        theme.queryset = Theme.objects.filter(network=access.network).prefetch_related(
            Prefetch("activities", queryset=gatherings, to_attr="gatherings")
        )
        # The live preview (htmx) after a pause in typing; without JavaScript the "Preview" button does it.
        self.fields["body"].widget.attrs.update(
            {
                "hx-post": reverse("newsletters:preview", args=[access.network.slug]),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#fn-preview",
                "hx-swap": "innerHTML",
            }
        )

    def clean_extra_recipients(self) -> str:
        return clean_extra_addresses(str(self.cleaned_data.get("extra_recipients", "")))

    def draft_data(self) -> DraftData:
        data = self.cleaned_data
        return DraftData(
            subject=data["subject"],
            chapter=data.get("chapter"),
            theme=data.get("theme"),
            body=data.get("body", ""),
            include_leaders=bool(data.get("include_leaders")),
            extra_recipients=data.get("extra_recipients", ""),
        )


class ImageForm(forms.Form):
    file = forms.FileField(
        label=_("Image"), help_text=_("PNG, JPEG, GIF or WebP, at most 5 MB."), widget=forms.FileInput
    )
    alt_text = forms.CharField(
        label=_("Description of the image (alt text)"),
        max_length=300,
        help_text=_("Say what the image shows, for those who cannot see it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/png,image/jpeg,image/gif,image/webp"
        self.fields["file"].error_messages["required"] = _("Choose an image to upload.")
        self.fields["alt_text"].error_messages["required"] = _(
            "Describe the image for those who cannot see it."
        )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        inspect_image(upload)
        return upload

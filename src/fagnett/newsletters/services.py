"""Every write of the composer (issue 9): drafts, images and opting out. Each validates, runs in one
transaction and is audited with field names only — never the text, an address or a file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from fagnett.activities.models import Theme
from fagnett.audit.services import log_action
from fagnett.networks.models import LocalChapter, Network
from fagnett.newsletters.models import Newsletter, NewsletterImage, NewsletterStatus, OptOut

if TYPE_CHECKING:
    from fagnett.accounts.models import User

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# What Pillow says the file is → what we serve it as. SVG is never here: it can carry script.
IMAGE_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
IMAGE_CONTENT_TYPES = frozenset(content_type for content_type, _ext in IMAGE_FORMATS.values())
DRAFT_FIELDS = ("subject", "chapter", "theme", "body", "include_leaders", "extra_recipients")


@dataclass(frozen=True)
class DraftData:
    subject: str
    chapter: LocalChapter | None
    theme: Theme | None
    body: str
    include_leaders: bool
    extra_recipients: str


def split_addresses(text: str) -> list[tuple[int, str]]:
    """(line number, address) for each address in a text with one per line or separated by commas,
    semicolons or spaces (as recipients.parse_extra_addresses reads them); blank entries left out."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for part in re.split(r"[\s,;]+", line):
            address = part.strip()
            if address:
                found.append((number, address))
    return found


def clean_extra_addresses(text: str) -> str:
    """The extra addresses one per line, or ValidationError naming each invalid one and its line."""
    errors: list[ValidationError] = []
    addresses: list[str] = []
    for number, address in split_addresses(text):
        try:
            validate_email(address)
        except ValidationError:
            errors.append(
                ValidationError(
                    _("Line %(line)s: “%(address)s” is not a valid e-mail address."),
                    code="invalid_address",
                    params={"line": number, "address": address},
                )
            )
        else:
            addresses.append(address)
    if errors:
        raise ValidationError(errors)
    return "\n".join(addresses)


def _validate_draft(network: Network, data: DraftData) -> DraftData:
    if not data.subject.strip():
        raise ValidationError({"subject": _("Write a subject.")})
    if data.chapter is not None and data.chapter.network_id != network.pk:
        raise ValidationError({"chapter": _("Choose a local chapter of this network.")})
    if data.theme is not None and data.theme.network_id != network.pk:
        raise ValidationError({"theme": _("Choose a theme of this network.")})
    try:
        extra = clean_extra_addresses(data.extra_recipients)
    except ValidationError as error:
        raise ValidationError({"extra_recipients": error.error_list}) from error
    return DraftData(
        subject=data.subject.strip(),
        chapter=data.chapter,
        theme=data.theme,
        body=data.body,
        include_leaders=data.include_leaders,
        extra_recipients=extra,
    )


def create_draft(network: Network, data: DraftData, *, actor: User) -> Newsletter:
    data = _validate_draft(network, data)
    with transaction.atomic():
        newsletter = Newsletter.objects.create(
            network=network,
            subject=data.subject,
            chapter=data.chapter,
            theme=data.theme,
            body=data.body,
            include_leaders=data.include_leaders,
            extra_recipients=data.extra_recipients,
            created_by=actor,
        )
        log_action(
            "newsletters.draft_created", actor=actor, target=newsletter, network=network, fields=DRAFT_FIELDS
        )
    return newsletter


def _locked_draft(newsletter: Newsletter) -> Newsletter:
    # Locked so that a send queued at the same moment cannot slip in between the check and the save.
    row = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if row.status != NewsletterStatus.DRAFT:
        raise ValidationError(
            _("The newsletter has been sent and can no longer be changed."), code="not_draft"
        )
    return row


def update_draft(newsletter: Newsletter, data: DraftData, *, actor: User) -> Newsletter:
    data = _validate_draft(newsletter.network, data)
    with transaction.atomic():
        row = _locked_draft(newsletter)
        changed = [name for name in DRAFT_FIELDS if getattr(row, name) != getattr(data, name)]
        for name in DRAFT_FIELDS:
            setattr(newsletter, name, getattr(data, name))
        if changed:
            newsletter.save(update_fields=[*changed, "updated"])
            log_action(
                "newsletters.draft_updated",
                actor=actor,
                target=newsletter,
                network=newsletter.network,
                fields=changed,
            )
    return newsletter


def delete_draft(newsletter: Newsletter, *, actor: User) -> None:
    with transaction.atomic():
        row = _locked_draft(newsletter)
        log_action("newsletters.draft_deleted", actor=actor, target=row, network=newsletter.network)
        row.delete()


def inspect_image(upload: UploadedFile) -> tuple[str, str]:
    """(content type, file extension) read from the file's content — the name and the browser's claimed type
    are ignored — or ValidationError when it is not a PNG, JPEG, GIF or WebP image of at most 5 MB."""
    if (upload.size or 0) > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than 5 MB. Make it smaller and try again."), code="too_big"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The file is not an image Fagnett can use. Upload a PNG, JPEG, GIF or WebP image."),
            code="not_image",
        ) from error
    finally:
        upload.seek(0)
    if found not in IMAGE_FORMATS:
        raise ValidationError(
            _("The file is not an image Fagnett can use. Upload a PNG, JPEG, GIF or WebP image."),
            code="not_image",
        )
    return IMAGE_FORMATS[found]


def store_image(network: Network, upload: UploadedFile, alt_text: str, *, actor: User) -> NewsletterImage:
    alt = alt_text.strip()
    if not alt:
        raise ValidationError({"alt_text": _("Describe the image for those who cannot see it.")})
    try:
        content_type, extension = inspect_image(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error
    with transaction.atomic():
        image = NewsletterImage(network=network, content_type=content_type, alt_text=alt, uploaded_by=actor)
        # The stored name comes from the content's real type, never from the uploaded name.
        image.file.save(f"image.{extension}", ContentFile(upload.read()), save=False)
        image.save()
        log_action(
            "newsletters.image_uploaded",
            actor=actor,
            target=image,
            network=network,
            fields=["file", "alt_text"],
        )
    return image


def opt_out(network: Network, email: str, *, one_click: bool = False) -> bool:
    """Stop newsletters from `network` to `email` (the person stays a member); True when this was new.

    Idempotent: a second click (or a mail client's one-click POST after the page's) changes nothing. The audit
    entry names neither the address nor the person, only that someone opted out and how.
    """
    address = email.strip().lower()
    with transaction.atomic():
        if OptOut.objects.filter(network=network, email__iexact=address).exists():
            return False
        try:
            with transaction.atomic():
                OptOut.objects.create(network=network, email=address)
        except IntegrityError:  # the same address opted out a moment ago, in another request
            return False
        log_action(
            "newsletters.opted_out",
            actor=None,
            network=network,
            data={"method": "one-click" if one_click else "page"},
        )
    return True

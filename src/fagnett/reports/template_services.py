"""Writes of the network's own Word template for the annual report (issue 8), each audited.

An uploaded template is tried on the network's facts before it is taken into use: only a template that
rendered without error becomes `active` (and the one before it inactive). A template with an error is kept
with its error message, for the coordinator to read, and the template in use stays as it was — the default
one unless an earlier upload was good.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from fagnett.audit.services import log_action
from fagnett.networks.models import Network
from fagnett.reports.docx import validate_template
from fagnett.reports.models import ReportTemplate

if TYPE_CHECKING:
    from fagnett.accounts.models import User

MAX_NAME = 255


def active_template(network: Network) -> ReportTemplate | None:
    """The network's template in use, or None for the default. One query."""
    return ReportTemplate.objects.filter(network=network, active=True).order_by("-uploaded", "-pk").first()


def latest_upload(network: Network) -> ReportTemplate | None:
    return ReportTemplate.objects.filter(network=network).order_by("-uploaded", "-pk").first()


def upload_template(
    network: Network, upload: UploadedFile, *, facts: Mapping[str, Any], actor: User
) -> ReportTemplate:
    """Store `upload`, tried on `facts`; active when it rendered, otherwise with its error."""
    data = upload.read()
    error = validate_template(data, facts) or ""
    with transaction.atomic():
        template = ReportTemplate(
            network=network,
            token=secrets.token_hex(16),
            original_name=(upload.name or "mal.docx").rsplit("/", 1)[-1][:MAX_NAME],
            active=not error,
            error=error,
            uploaded_by=actor,
        )
        template.file.save("mal.docx", ContentFile(data), save=False)
        if template.active:
            ReportTemplate.objects.filter(network=network, active=True).update(active=False)
        template.save()
        log_action(
            "report_template.uploaded",
            actor=actor,
            target=template,
            network=network,
            fields=["file"],
            data={"active": template.active},
        )
    return template


def use_default_template(network: Network, *, actor: User) -> int:
    """Stop using the network's own template; the default one is used again. Returns how many were active."""
    with transaction.atomic():
        count = ReportTemplate.objects.filter(network=network, active=True).update(active=False)
        if count:
            log_action("report_template.reset", actor=actor, network=network, fields=["active"])
    return count

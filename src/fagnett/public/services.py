"""Writes of the public page: the network coordinator's settings (issue 9), audited like every change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from fagnett.audit.services import log_action
from fagnett.networks.models import Network

if TYPE_CHECKING:
    from fagnett.accounts.models import User

PUBLIC_FIELDS = ("public_page", "public_contact_email", "newsletter_archive_public")


@transaction.atomic
def update_public_settings(
    network: Network,
    *,
    public_page: bool,
    public_contact_email: str,
    newsletter_archive_public: bool,
    actor: User | None,
) -> list[str]:
    """Turn the public page and its archive on or off and set the shared contact address. Returns the names of
    the fields that changed (none: nothing is saved or logged)."""
    email = public_contact_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError(
                {"public_contact_email": _("Enter a valid e-mail address for the public contact e-mail.")}
            ) from error
    values = {
        "public_page": public_page,
        "public_contact_email": email,
        "newsletter_archive_public": newsletter_archive_public,
    }
    changed = [name for name in PUBLIC_FIELDS if getattr(network, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(network, name, values[name])
    network.save(update_fields=changed)
    log_action(
        "network.public_settings.updated", actor=actor, target=network, network=network, fields=changed
    )
    return changed

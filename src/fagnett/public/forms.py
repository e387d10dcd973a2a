"""The network coordinator's settings for the public page (issue 9)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fagnett.networks.models import Network


class PublicSettingsForm(forms.Form):
    public_page = forms.BooleanField(
        label=_("Show the public page"),
        required=False,
        help_text=_(
            "Everyone can read the page without logging in, and search engines may list it. It shows the "
            "purpose, the area and its coverage, the names of persons who have agreed to be listed, and the "
            "activities open to others."
        ),
    )
    public_contact_email = forms.EmailField(
        label=_("Public contact e-mail"),
        required=False,
        max_length=254,
        help_text=_(
            "A shared address, such as the network's or the team's mailbox, not a person's own: it is "
            "shown to everyone."
        ),
    )
    newsletter_archive_public = forms.BooleanField(
        label=_("Show the newsletter archive on the public page"),
        required=False,
        help_text=_("Sent newsletters only; drafts are never shown."),
    )

    @classmethod
    def for_network(cls, network: Network, *args: Any, **kwargs: Any) -> PublicSettingsForm:
        kwargs.setdefault("initial", {name: getattr(network, name) for name in cls.base_fields})
        return cls(*args, **kwargs)

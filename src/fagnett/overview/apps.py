from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "fagnett.overview"
    label = "overview"
    verbose_name = _("Overview across networks")

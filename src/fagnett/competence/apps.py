from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "fagnett.competence"
    label = "competence"
    verbose_name = _("Competence plans")

    def ready(self) -> None:
        from fagnett.networks.models import Network

        post_save.connect(
            _give_new_network_the_default_plan, sender=Network, dispatch_uid="competence_default_plan"
        )


def _give_new_network_the_default_plan(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    # Only new networks (and not fixtures being loaded): an existing network's plan is the coordinator's.
    if created and not raw:
        from fagnett.competence.services import ensure_default_plan

        ensure_default_plan(instance, actor=None)

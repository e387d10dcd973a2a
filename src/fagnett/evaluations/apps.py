from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "fagnett.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from fagnett.networks.models import Network

        post_save.connect(
            _give_new_network_the_default_template,
            sender=Network,
            dispatch_uid="evaluations_default_template",
        )


def _give_new_network_the_default_template(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    # Only new networks (and not fixtures being loaded): an existing network's forms are the coordinator's.
    if created and not raw:
        from fagnett.evaluations.services import ensure_default_template

        ensure_default_template(instance, actor=None)

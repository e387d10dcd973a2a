"""What the networks app's commands share: finding the network and chapter named on the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from fagnett.networks.models import LocalChapter, Network


def network_from_options(options: dict[str, Any]) -> Network:
    network = Network.objects.filter(slug=options["network"]).first()
    if network is None:
        raise CommandError(f"No network with the short name {options['network']!r}.")
    return network


def chapter_from_options(network: Network, options: dict[str, Any]) -> LocalChapter | None:
    if not options.get("chapter"):
        return None
    chapter = LocalChapter.objects.filter(network=network, slug=options["chapter"]).first()
    if chapter is None:
        raise CommandError(f"The network {network.slug!r} has no local chapter {options['chapter']!r}.")
    return chapter

"""Who may read and manage which newsletter: the one place the rule lives (issue 9), built on networks.access,
404 for both missing and forbidden.

- Managing (compose, edit, delete, test, send, progress): a network coordinator any newsletter of the
  network; a chapter coordinator only those addressed to one of their chapters (never a network-wide one).
- Reading the in-network archive: sent newsletters, for everyone with any role in the network (Need.ANY:
  resource persons, leaders, readers — they receive or oversee them anyway); drafts and newsletters being
  sent only for those who may manage them.

The archive's reads are here too, so that the list page and its query count live beside the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fagnett.networks.access import Need, NetworkAccess, network_for_user
from fagnett.newsletters.models import DeliveryStatus, Newsletter, NewsletterImage, NewsletterStatus


def newsletter_access(user: Any, slug: str, *, manage: bool = False) -> NetworkAccess:
    """The network and the user's roles, or 404; `manage` asks for a (chapter) coordinator."""
    return network_for_user(user, slug, Need.MANAGE if manage else Need.ANY)


def manageable_newsletters(access: NetworkAccess) -> QuerySet[Newsletter]:
    newsletters = Newsletter.objects.filter(network=access.network)
    if access.is_coordinator:
        return newsletters
    if access.chapter_ids:
        return newsletters.filter(chapter_id__in=access.chapter_ids)
    return newsletters.none()


def visible_newsletters(access: NetworkAccess) -> QuerySet[Newsletter]:
    """Sent newsletters for everyone with a role, and whatever the user may manage."""
    condition = Q(status=NewsletterStatus.SENT)
    if access.is_coordinator:
        condition = Q()
    elif access.chapter_ids:
        condition |= Q(chapter_id__in=access.chapter_ids)
    return Newsletter.objects.filter(network=access.network).filter(condition)


def may_manage(access: NetworkAccess, newsletter: Newsletter) -> bool:
    if newsletter.network_id != access.network.pk:
        return False
    return access.is_coordinator or (
        newsletter.chapter_id is not None and newsletter.chapter_id in access.chapter_ids
    )


def newsletter_for_user(access: NetworkAccess, pk: int, *, manage: bool) -> Newsletter:
    newsletters = manageable_newsletters(access) if manage else visible_newsletters(access)
    newsletter = newsletters.select_related("network", "chapter", "theme").filter(pk=pk).first()
    if newsletter is None:
        raise Http404
    return newsletter


@dataclass(frozen=True)
class ArchiveFacts:
    sent: Sequence[Newsletter]  # each with `delivered`: how many recipients the server accepted
    drafts: list[Newsletter]  # empty unless the user manages newsletters
    in_progress: list[Newsletter]  # queued or being sent, for those who manage them
    can_create: bool


def archive_facts(access: NetworkAccess) -> ArchiveFacts:
    """The archive page: three queries at most, whatever the number of newsletters and deliveries."""
    sent = list(
        Newsletter.objects.filter(network=access.network, status=NewsletterStatus.SENT)
        .select_related("chapter")
        .annotate(delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)))
        .order_by("-finished_at", "-queued_at", "-pk")
    )
    drafts: list[Newsletter] = []
    in_progress: list[Newsletter] = []
    if access.can_manage:
        for newsletter in (
            manageable_newsletters(access)
            .exclude(status=NewsletterStatus.SENT)
            .select_related("chapter")
            .order_by("-updated", "-pk")
        ):
            (drafts if newsletter.status == NewsletterStatus.DRAFT else in_progress).append(newsletter)
    return ArchiveFacts(sent=sent, drafts=drafts, in_progress=in_progress, can_create=access.can_manage)


def network_images(access: NetworkAccess) -> list[NewsletterImage]:
    """The network's uploaded images, newest first, for the snippets on the compose page."""
    return list(NewsletterImage.objects.filter(network=access.network).order_by("-created", "-pk"))

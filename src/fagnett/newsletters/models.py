"""Newsletters (issue 9): composed in Markdown, sent in the background to a network's or a chapter's active
members (optionally their leaders and extra addresses), one Delivery row per recipient.

Delivery states and what each promises (the sending engine in sending.py keeps them):

    queued ──claim (committed before SMTP)──▶ sending ──server accepted (committed)──▶ sent
       ▲                                         │
       └──── retry (temporary SMTP failure, ◀────┤ temporary failure: attempts += 1, next_attempt_at
             next_attempt_at, back-off)          ├─ permanent failure / attempts used up ──▶ failed
                                                 └─ found still "sending" after a crash ──▶ uncertain

A message is never handed to SMTP unless its row was committed as "sending" first, and a "sending" row is
never sent again automatically: after a crash it becomes "uncertain" and the coordinator decides.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from fagnett.activities.models import Theme
from fagnett.networks.models import LocalChapter, Network, Person


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NewsletterStatus(models.TextChoices):
    DRAFT = "utkast", _("Draft")
    QUEUED = "i_ko", _("Queued")
    SENDING = "sender", _("Sending")
    SENT = "sendt", _("Sent")


class Newsletter(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="newsletters"
    )
    # Recipients: the network's active members, or only this chapter's.
    chapter = models.ForeignKey(
        LocalChapter,
        verbose_name=_("local chapter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="newsletters",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletters",
        help_text=_("The gathering theme the newsletter follows up, if any."),
    )
    include_leaders = models.BooleanField(_("also to their line managers"), default=False)
    extra_recipients = models.TextField(
        _("extra addresses"), blank=True, help_text=_("One e-mail address per line (or separated by commas).")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NewsletterStatus.choices, default=NewsletterStatus.DRAFT
    )
    # What was sent, frozen when the send was queued: the archive shows exactly this.
    sent_html = models.TextField(_("sent HTML"), blank=True, editable=False)
    sent_text = models.TextField(_("sent text"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set by the worker while it sends; a send whose heartbeat stops is recovered (sending.recover_stalled).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ("-queued_at", "-created")

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    QUEUED = "i_ko", _("Queued")
    SENDING = "sender", _("Sending")
    SENT = "sendt", _("Sent")
    RETRY = "prover_igjen", _("Will retry")
    FAILED = "feilet", _("Failed")
    UNCERTAIN = "usikker", _("Uncertain")
    OPTED_OUT = "avmeldt", _("Opted out")


class RecipientKind(models.TextChoices):
    MEMBER = "medlem", _("Member")
    LEADER = "leder", _("Line manager")
    EXTRA = "ekstra", _("Extra address")


class Delivery(models.Model):
    newsletter = models.ForeignKey(
        Newsletter, verbose_name=_("newsletter"), on_delete=models.CASCADE, related_name="deliveries"
    )
    email = models.EmailField(_("e-mail address"), max_length=254)  # stored lower-case
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("recipient"), max_length=10, choices=RecipientKind.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("reason"), max_length=500, blank=True)
    claimed_at = models.DateTimeField(_("handed to the mail server"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ("email",)
        constraints = (
            models.UniqueConstraint(fields=("newsletter", "email"), name="newsletters_delivery_unique"),
        )
        indexes = (models.Index(fields=("newsletter", "status"), name="newsletters_delivery_status"),)

    def __str__(self) -> str:
        return f"{self.email}: {self.get_status_display()}"


class OptOut(models.Model):
    """An address that gets no more newsletters from the network — without leaving the network."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="newsletter_opt_outs"
    )
    email = models.EmailField(_("e-mail address"), max_length=254)  # stored lower-case
    created = models.DateTimeField(_("opted out"), auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter opt-out")
        verbose_name_plural = _("newsletter opt-outs")
        constraints = (models.UniqueConstraint(Lower("email"), "network", name="newsletters_optout_unique"),)

    def __str__(self) -> str:
        return f"{self.email} ({self.network})"


def image_path(instance: NewsletterImage, filename: str) -> str:
    # The stored name is the token, not the uploaded name: nothing about the uploader leaks into the URL.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"newsletters/{instance.network_id}/{instance.token}.{extension}"


class NewsletterImage(models.Model):
    """An image used in newsletters, served by Fagnett at an unguessable address that mail clients can load
    without logging in."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="newsletter_images"
    )
    token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    file = models.FileField(_("image"), upload_to=image_path)
    content_type = models.CharField(max_length=50)
    alt_text = models.CharField(_("description of the image (alt text)"), max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter image")
        verbose_name_plural = _("newsletter images")
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.alt_text

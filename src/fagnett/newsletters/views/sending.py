"""Sending a newsletter: the confirmation, the progress page (refreshing itself while the worker sends) and
the coordinator's decision about uncertain deliveries. Who may: newsletters.access (managing coordinators)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagnett.accounts.current import acting_user
from fagnett.networks.access import NetworkAccess
from fagnett.newsletters.access import newsletter_access, newsletter_for_user
from fagnett.newsletters.models import Delivery, Newsletter, NewsletterStatus
from fagnett.newsletters.recipients import recipient_counts
from fagnett.newsletters.sending import progress as progress_facts
from fagnett.newsletters.sending import queue_newsletter, resolve_uncertain

if TYPE_CHECKING:
    pass


class SendForm(forms.Form):
    """No fields: the button confirms; service errors land in the error summary."""


class ResolveForm(forms.Form):
    deliveries = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Uncertain deliveries"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one address.")},
    )
    action = forms.ChoiceField(
        choices=(
            ("mark_sent", gettext_lazy("Mark as sent")),
            ("resend", gettext_lazy("Send again")),
        ),
        widget=forms.HiddenInput,  # set by the button pressed
    )

    def __init__(self, uncertain: list[Delivery], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.TypedMultipleChoiceField", self.fields["deliveries"])
        field.choices = [(delivery.pk, delivery.email) for delivery in uncertain]


def _managed(request: HttpRequest, slug: str, pk: int) -> tuple[NetworkAccess, Newsletter]:
    access = newsletter_access(request.user, slug, manage=True)
    return access, newsletter_for_user(access, pk, manage=True)


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"newsletters/{template}",
        {"access": access, "network": access.network, "nav": "newsletters", **context},
    )


@login_required
def send(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, newsletter = _managed(request, slug, pk)
    if newsletter.status != NewsletterStatus.DRAFT:
        return redirect("newsletters:progress", slug, newsletter.pk)
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = queue_newsletter(newsletter, acting_user(request))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("“%(subject)s” is being sent to %(count)s recipients.")
                % {"subject": newsletter.subject, "count": count},
            )
            return redirect("newsletters:progress", slug, newsletter.pk)
    counts = recipient_counts(newsletter)
    return _page(request, "send_confirm.html", access, newsletter=newsletter, counts=counts, form=form)


@login_required
def progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, newsletter = _managed(request, slug, pk)
    if newsletter.status == NewsletterStatus.DRAFT:
        return redirect("newsletters:send", slug, newsletter.pk)
    facts = progress_facts(newsletter, request.GET.get("side"))
    context: dict[str, Any] = {"newsletter": newsletter, "progress": facts}
    if request.headers.get("HX-Request"):
        # The self-refresh: only the changing part, plus the short announcement for screen readers.
        return render(
            request,
            "newsletters/_progress.html",
            {"network": access.network, "part": "refresh", "refresh": True, **context},
        )
    form = ResolveForm(facts.uncertain)
    return _page(request, "progress.html", access, form=form, **context)


@login_required
def resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access, newsletter = _managed(request, slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    facts = progress_facts(newsletter, request.GET.get("side"))
    form = ResolveForm(facts.uncertain, request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        changed = resolve_uncertain(newsletter, form.cleaned_data["deliveries"], action, acting_user(request))
        if action == "mark_sent":
            text = _("%(count)s uncertain deliveries were marked as sent.")
        else:
            text = _("%(count)s uncertain deliveries will be sent again.")
        messages.success(request, text % {"count": changed})
        return redirect("newsletters:progress", slug, newsletter.pk)
    return _page(request, "progress.html", access, newsletter=newsletter, progress=facts, form=form)

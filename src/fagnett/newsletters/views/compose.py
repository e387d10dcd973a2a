"""Composing newsletters, the in-network archive, images and opting out (issue 9).

Who may do what is decided in newsletters.access: the archive of sent newsletters for everyone with a role
(Need.ANY), everything else for (chapter) coordinators of the newsletter's scope; anyone else gets 404.
The image and unsubscribe addresses work without login: they are opened from e-mail.
"""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fagnett.accounts.current import acting_user
from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import Network
from fagnett.newsletters.access import (
    archive_facts,
    may_manage,
    network_images,
    newsletter_access,
    newsletter_for_user,
)
from fagnett.newsletters.forms import ImageForm, NewsletterForm
from fagnett.newsletters.models import Newsletter, NewsletterImage, NewsletterStatus, OptOut
from fagnett.newsletters.recipients import recipient_counts
from fagnett.newsletters.rendering import build_message, read_unsubscribe_token, render_html
from fagnett.newsletters.services import (
    IMAGE_CONTENT_TYPES,
    create_draft,
    delete_draft,
    opt_out,
    store_image,
    update_draft,
)

if TYPE_CHECKING:
    pass

FORM_FIELDS = ("subject", "chapter", "theme", "body", "include_leaders", "extra_recipients")


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"newsletters/{template}",
        {"access": access, "network": access.network, "nav": "newsletters", **context},
    )


def _not_a_draft(request: HttpRequest, newsletter: Newsletter) -> HttpResponse:
    messages.info(request, _("The newsletter has been sent and can no longer be changed."))
    return redirect("newsletters:detail", newsletter.network.slug, newsletter.pk)


@login_required
@require_GET
def newsletters(request: HttpRequest, slug: str) -> HttpResponse:
    access = newsletter_access(request.user, slug)
    return _page(request, "list.html", access, facts=archive_facts(access))


def _compose(request: HttpRequest, access: NetworkAccess, newsletter: Newsletter | None) -> HttpResponse:
    body = newsletter.body if newsletter is not None else ""
    if request.method == "POST" and "preview" in request.POST:
        # "Preview" without JavaScript: show the text as it will look, keep what was typed, save nothing and
        # show no errors yet (the coordinator has not asked to save).
        initial: dict[str, object] = {name: request.POST.get(name, "") for name in FORM_FIELDS}
        initial["include_leaders"] = "include_leaders" in request.POST
        form = NewsletterForm(access=access, initial=initial)
        body = request.POST.get("body", "")
    elif request.method == "POST":
        form = NewsletterForm(request.POST, access=access, newsletter=newsletter)
        body = request.POST.get("body", "")
        if form.is_valid():
            try:
                if newsletter is None:
                    newsletter = create_draft(access.network, form.draft_data(), actor=acting_user(request))
                else:
                    update_draft(newsletter, form.draft_data(), actor=acting_user(request))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("newsletters:detail", access.network.slug, newsletter.pk)
    else:
        form = NewsletterForm(access=access, newsletter=newsletter)
    return _page(
        request,
        "compose.html",
        access,
        form=form,
        newsletter=newsletter,
        preview=render_html(body),
        image_form=ImageForm(),
        images=network_images(access),
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    access = newsletter_access(request.user, slug, manage=True)
    return _compose(request, access, None)


@login_required
@require_POST
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    newsletter_access(request.user, slug, manage=True)
    context = {"preview": render_html(request.POST.get("body", "")), "live": True}
    return render(request, "newsletters/_preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def image_upload(request: HttpRequest, slug: str) -> HttpResponse:
    access = newsletter_access(request.user, slug, manage=True)
    uploaded: NewsletterImage | None = None
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST":
        form = ImageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                uploaded = store_image(
                    access.network,
                    form.cleaned_data["file"],
                    form.cleaned_data["alt_text"],
                    actor=acting_user(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = ImageForm()
    else:
        form = ImageForm()
    context = {"image_form": form, "images": network_images(access), "uploaded": uploaded, "back": back}
    if request.headers.get("HX-Request"):
        return render(
            request, "newsletters/_images.html", {"network": access.network, "partial": True, **context}
        )
    return _page(request, "images.html", access, form=form, **context)


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = newsletter_access(request.user, slug)
    newsletter = newsletter_for_user(access, pk, manage=False)
    is_draft = newsletter.status == NewsletterStatus.DRAFT
    return _page(
        request,
        "detail.html",
        access,
        newsletter=newsletter,
        is_draft=is_draft,
        can_manage=may_manage(access, newsletter),
        preview=render_html(newsletter.body) if is_draft else None,
        # The archive shows exactly what was sent: the HTML frozen (and sanitised) when the send was queued.
        content=mark_safe(newsletter.sent_html) if newsletter.sent_html else render_html(newsletter.body),  # noqa: S308
        counts=recipient_counts(newsletter) if is_draft else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = newsletter_access(request.user, slug, manage=True)
    newsletter = newsletter_for_user(access, pk, manage=True)
    if newsletter.status != NewsletterStatus.DRAFT:
        return _not_a_draft(request, newsletter)
    return _compose(request, access, newsletter)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = newsletter_access(request.user, slug, manage=True)
    newsletter = newsletter_for_user(access, pk, manage=True)
    if newsletter.status != NewsletterStatus.DRAFT:
        return _not_a_draft(request, newsletter)
    if request.method == "POST":
        try:
            delete_draft(newsletter, actor=acting_user(request))
        except ValidationError:
            return _not_a_draft(request, newsletter)
        messages.success(request, _("The draft “%(subject)s” was deleted.") % {"subject": newsletter.subject})
        return redirect("newsletters:list", slug)
    return _page(request, "delete.html", access, newsletter=newsletter)


@login_required
@require_POST
def send_test(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = newsletter_access(request.user, slug, manage=True)
    newsletter = newsletter_for_user(access, pk, manage=True)
    if newsletter.status != NewsletterStatus.DRAFT:
        return _not_a_draft(request, newsletter)
    address = acting_user(request).email
    message = build_message(newsletter, address)
    message.subject = f"[TEST] {message.subject}"
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        messages.error(
            request, _("The test could not be sent: the mail server did not answer. Try again later.")
        )
    else:
        messages.success(request, _("The test was sent to %(email)s.") % {"email": address})
    return redirect("newsletters:detail", slug, newsletter.pk)


@require_GET
def image(request: HttpRequest, token: str) -> FileResponse:
    found = NewsletterImage.objects.filter(token=token).first()
    # Only the raster types checked at upload are ever served: never SVG or HTML, which can carry script.
    if found is None or found.content_type not in IMAGE_CONTENT_TYPES:
        raise Http404
    try:
        handle = found.file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=found.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # The token names one file forever, so caches may keep it.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _is_one_click(request: HttpRequest) -> bool:
    """An RFC 8058 one-click request: the POST body is exactly List-Unsubscribe=One-Click."""
    return (
        list(request.POST.keys()) == ["List-Unsubscribe"]
        and request.POST.getlist("List-Unsubscribe") == ["One-Click"]
        and not request.FILES
    )


@csrf_protect
def _confirmed_opt_out(request: HttpRequest, network: Network, email: str) -> HttpResponse:
    opt_out(network, email)
    return render(request, "newsletters/unsubscribe_done.html", {"network": network})


@csrf_exempt  # only for the one-click body; every other POST goes through csrf_protect above
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    target = read_unsubscribe_token(token)
    network = Network.objects.filter(pk=target[0]).first() if target is not None else None
    if target is None or network is None:
        return render(request, "newsletters/unsubscribe_invalid.html", status=400)
    email = target[1]
    if request.method == "POST":
        if _is_one_click(request):
            opt_out(network, email, one_click=True)
            return render(request, "newsletters/unsubscribe_done.html", {"network": network})
        return _confirmed_opt_out(request, network, email)
    already = OptOut.objects.filter(network=network, email__iexact=email).exists()
    return render(
        request, "newsletters/unsubscribe.html", {"network": network, "email": email, "already": already}
    )

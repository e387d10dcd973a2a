"""A form on an activity: attach it (form, open and close times, e-mail to attendees), change or remove it,
send the links now, and the room display with the QR code and short link.

Only those who manage the activity (activities.access: network coordinators any, chapter coordinators their
chapters') reach these pages; 404 for everyone else, as for a missing activity or evaluation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from fagnett.accounts.current import acting_user
from fagnett.activities.access import activity_for_user, manageable_activities
from fagnett.activities.emails import format_when
from fagnett.activities.views.registration import qr_svg
from fagnett.core.links import absolute_url
from fagnett.evaluations import services
from fagnett.evaluations.answering import Availability, availability
from fagnett.evaluations.builder_queries import setup_facts
from fagnett.evaluations.defaults import DEFAULT_TEMPLATE_TITLE
from fagnett.evaluations.forms import EvaluationSetupForm
from fagnett.evaluations.links_email import format_moment, send_links, send_refusal
from fagnett.evaluations.models import Evaluation, EvaluationForm
from fagnett.networks.access import Need, NetworkAccess, network_for_user
from fagnett.networks.forms import add_service_error

if TYPE_CHECKING:
    from fagnett.activities.models import Activity


def _page(request: HttpRequest, template: str, access: NetworkAccess, **context: Any) -> HttpResponse:
    return render(
        request,
        f"evaluations/{template}",
        {"access": access, "network": access.network, "nav": "evaluations", **context},
    )


def short_url(evaluation: Evaluation) -> str:
    """The address for the room: the answer page by the evaluation's short code, without a personal link."""
    return absolute_url(reverse("evaluations:answer", args=[evaluation.short_code]))


def _initial(
    activity: Activity, evaluation: Evaluation | None, network_forms: list[EvaluationForm]
) -> dict[str, Any]:
    if evaluation is not None:
        return {name: getattr(evaluation, name) for name in services.EVALUATION_FIELDS}
    opens, closes = services.default_window(activity)
    # The default template first, then any template: the usual start for a gathering or a study day.
    preferred = sorted(
        network_forms, key=lambda f: (not f.is_template, f.title != DEFAULT_TEMPLATE_TITLE, f.title, f.pk)
    )
    return {"form": preferred[0] if preferred else None, "opens_at": opens, "closes_at": closes}


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_setup(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.MANAGE)
    activity = activity_for_user(access, pk, manage=True)
    evaluation = Evaluation.objects.select_related("form").filter(activity=activity).first()
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action == "remove" and evaluation is not None:
        try:
            services.remove_evaluation(evaluation, actor=acting_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The evaluation was removed from %(title)s.") % {"title": activity.title}
            )
        return redirect("evaluations:setup", slug, activity.pk)
    if action == "send" and evaluation is not None:
        result = send_links(evaluation, actor=acting_user(request))
        if result.refusal:
            messages.error(request, result.refusal)
        elif result.sent < result.recipients:
            messages.warning(
                request,
                _(
                    "The mail server accepted %(sent)s of %(count)s e-mails. The links are not sent again; "
                    "the others can answer through the short link."
                )
                % {"sent": result.sent, "count": result.recipients},
            )
        else:
            messages.success(
                request,
                ngettext(
                    "The link was e-mailed to %(count)s attendee.",
                    "The link was e-mailed to %(count)s attendees.",
                    result.recipients,
                )
                % {"count": result.recipients},
            )
        return redirect("evaluations:setup", slug, activity.pk)
    forms_in_network = EvaluationForm.objects.filter(network=access.network).order_by(
        "-is_template", "title", "pk"
    )
    network_forms = list(forms_in_network)
    form = EvaluationSetupForm(
        request.POST if action == "save" else None,
        network_forms=forms_in_network,
        initial=_initial(activity, evaluation, network_forms),
    )
    if action == "save" and form.is_valid():
        try:
            if evaluation is None:
                services.attach_evaluation(activity, form.to_data(), actor=acting_user(request))
                messages.success(
                    request, _("The form was attached to %(title)s.") % {"title": activity.title}
                )
            else:
                services.update_evaluation(evaluation, form.to_data(), actor=acting_user(request))
                messages.success(request, _("The evaluation was saved."))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("evaluations:setup", slug, activity.pk)
    if evaluation is not None:
        # A failed save leaves the in-memory row changed; show what is stored.
        evaluation.refresh_from_db()
        evaluation.activity = activity
    now = timezone.now()
    return _page(
        request,
        "setup.html",
        access,
        activity=activity,
        when=format_when(activity),
        evaluation=evaluation,
        form=form,
        facts=setup_facts(activity, evaluation),
        url=short_url(evaluation) if evaluation is not None else "",
        refusal=send_refusal(evaluation, now) if evaluation is not None else "",
        activity_ends=format_moment(services.activity_ends_at(activity)),
        emailed=format_moment(evaluation.emailed_at) if evaluation and evaluation.emailed_at else "",
        confirm_remove=evaluation is not None and request.GET.get("fjern") == "1",
        removal_refusal=services.evaluation_removal_refusal(evaluation) if evaluation is not None else "",
        has_forms=bool(network_forms),
    )


@login_required
@require_GET
def room(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The QR code and short link in big type, for a projector in the room."""
    access = network_for_user(request.user, slug, Need.MANAGE)
    evaluation = (
        Evaluation.objects.select_related("activity", "form")
        .filter(pk=pk, activity__in=manageable_activities(access))
        .first()
    )
    if evaluation is None:
        raise Http404
    url = short_url(evaluation)
    activity = evaluation.activity
    return _page(
        request,
        "room.html",
        access,
        evaluation=evaluation,
        activity=activity,
        url=url,
        display_url=url.split("://", 1)[-1],
        qr=qr_svg(url, _("QR code for the evaluation of %(title)s") % {"title": activity.title}),
        closes=format_moment(evaluation.closes_at),
        is_open=availability(evaluation) is Availability.OPEN,
        opens=format_moment(evaluation.opens_at),
    )

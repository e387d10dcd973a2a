"""The person's own choice about competence-plan reminders (POST only, from the person's plan page).

Only the person themself may change it: everyone else, also their coordinator and line manager, gets 404
as for a missing person."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagnett.competence.reminder_services import set_reminder_preference
from fagnett.networks.access import Need, network_for_user, person_for_user

if TYPE_CHECKING:
    from fagnett.accounts.models import User

# The form's radio buttons send one of these.
CHOICES = {"on": True, "off": False}


@login_required
@require_POST
def reminder_preference(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = network_for_user(request.user, slug, Need.ANY)
    if pk not in access.own_person_ids:
        raise Http404
    person = person_for_user(access, pk)
    choice = request.POST.get("reminders", "")
    if choice not in CHOICES:
        return HttpResponseBadRequest()
    enabled = CHOICES[choice]
    set_reminder_preference(person, enabled, actor=cast("User", request.user))
    if enabled:
        messages.success(request, _("Reminders about your competence plan are on."))
    else:
        messages.success(request, _("Reminders about your competence plan are off."))
    return redirect("competence:person_plan", slug, person.pk)

"""The signed-in user a view acts for, typed as Fagnett's User (for services and the audit log)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from fagnett.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """request.user behind @login_required; anything else there is a programming error, answered with 404
    rather than acting for an anonymous user."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user

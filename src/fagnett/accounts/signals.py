"""Account and security events go to the audit log."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from fagnett.accounts.models import User
from fagnett.audit.services import log_action


@receiver(auth_signals.user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    log_action("account.login", actor=user, target=user)


@receiver(auth_signals.user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        log_action("account.logout", actor=user, target=user)


@receiver(auth_signals.user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The typed identifier is not stored: it may be someone else's address or a mistyped password. A failure
    # against an existing account is attributed to that account so its owner can see attempts.
    identifier = credentials.get("email") or credentials.get("username") or ""
    user = User.objects.filter(email__iexact=identifier).first() if identifier else None
    log_action("account.login_failed", actor=None, target=user)


@receiver(account_signals.password_changed)
def _password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    log_action("account.password_changed", actor=user, target=user, fields=["password"])


@receiver(account_signals.password_set)
def _password_set(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    log_action("account.password_set", actor=user, target=user, fields=["password"])


@receiver(account_signals.password_reset)
def _password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    log_action("account.password_reset", actor=user, target=user, fields=["password"])


@receiver(account_signals.email_changed)
def _email_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    log_action("account.email_changed", actor=user, target=user, fields=["email"])


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    log_action("account.mfa_added", actor=user, target=user, data={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    log_action("account.mfa_removed", actor=user, target=user, data={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    log_action("account.mfa_reset", actor=user, target=user, data={"type": authenticator.type})

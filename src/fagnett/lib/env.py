"""Typed readers for the environment variables that configure Fagnett.

Each helper fails loudly with ImproperlyConfigured naming the variable and what it expected, so that a
mistyped production setting stops the process at start-up instead of surfacing as odd behaviour later.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    """A string variable; without a default the variable is required."""
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be a boolean (1/0, true/false, yes/no, on/off), not {raw!r}."
    )


def env_int(name: str, default: int, *, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {raw!r}."
        ) from None


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; blanks around items are ignored."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = field(default="", repr=False)
    use_tls: bool = False
    use_ssl: bool = False
    timeout: int = 30
    file_path: str = ""

    def as_settings(self) -> dict[str, Any]:
        return {
            "EMAIL_BACKEND": self.backend,
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": self.user,
            "EMAIL_HOST_PASSWORD": self.password,
            "EMAIL_USE_TLS": self.use_tls,
            "EMAIL_USE_SSL": self.use_ssl,
            "EMAIL_TIMEOUT": self.timeout,
            "EMAIL_FILE_PATH": self.file_path,
        }


def parse_email_url(url: str) -> EmailConfig:
    """Turn EMAIL_URL into Django's e-mail settings.

    smtp://user:pass@host:587?tls=1 (STARTTLS), smtps://…:465 (implicit TLS), console://, locmem://,
    file:///path/to/dir. User and password are URL-decoded so that an @ or : in them can be written %40, %3A.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme == "console":
        return EmailConfig(backend="django.core.mail.backends.console.EmailBackend")
    if scheme == "locmem":
        return EmailConfig(backend="django.core.mail.backends.locmem.EmailBackend")
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(
                "EMAIL_URL file:// needs a directory, e.g. file:///var/lib/fagnett/mail."
            )
        return EmailConfig(backend="django.core.mail.backends.filebased.EmailBackend", file_path=parts.path)
    if scheme not in {"smtp", "smtps", "submission"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtps://, submission://, console://, locmem:// or file://, "
            f"not {scheme or 'nothing'}://."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL must name a host, e.g. smtp://mail.example.no:587?tls=1.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    use_ssl = scheme == "smtps" or query.get("ssl", "").lower() in _TRUE
    use_tls = scheme == "submission" or query.get("tls", "").lower() in _TRUE
    if use_ssl and use_tls:
        raise ImproperlyConfigured(
            "EMAIL_URL cannot ask for both implicit TLS (ssl/smtps) and STARTTLS (tls)."
        )
    default_port = 465 if use_ssl else 587 if use_tls else 25
    timeout_raw = query.get("timeout", "30")
    if not timeout_raw.isdigit():
        raise ImproperlyConfigured("EMAIL_URL timeout= must be a whole number of seconds.")
    return EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=parts.hostname,
        port=port or default_port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=int(timeout_raw),
    )

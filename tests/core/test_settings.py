from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from fagnett.lib.env import env_bool, env_int, env_list, env_str, parse_email_url

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "DATABASE_URL",
            "FAGNETT_REQUIRE_MFA_FOR_STAFF",
            "TASKS_BACKEND",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="fagnett.settings",
        SECRET_KEY="p" * 20 + "-not-a-real-key-only-for-this-test-" + "q" * 20,
        ALLOWED_HOSTS="fagnett.example.no",
        EMAIL_URL="smtp://fagnett%40example.no:hemmelig@smtp.example.no:587?tls=1",
        DEFAULT_FROM_EMAIL="Fagnett <fagnett@example.no>",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        FAGNETT_VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = run_manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_secret_key_stops_with_a_clear_message(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run_manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_stops_with_a_clear_message(tmp_path: Path) -> None:
    result = run_manage(production_env(tmp_path, ALLOWED_HOSTS=""), "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_env_bool_names_the_variable_when_the_value_is_not_a_boolean() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be a boolean"):
        env_bool("DEBUG", False, environ={"DEBUG": "kanskje"})
    assert env_bool("DEBUG", False, environ={"DEBUG": "Yes"}) is True
    assert env_bool("DEBUG", True, environ={}) is True


def test_env_int_and_list_and_required_str() -> None:
    assert env_int("N", 3, environ={"N": "12"}) == 12
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        env_int("N", 3, environ={"N": "tolv"})
    assert env_list("HOSTS", [], environ={"HOSTS": " a.no, ,b.no "}) == ["a.no", "b.no"]
    with pytest.raises(ImproperlyConfigured, match="SECRET must be set"):
        env_str("SECRET", environ={})


def test_email_url_supports_starttls_implicit_tls_and_console() -> None:
    starttls = parse_email_url("smtp://user%40example.no:p%3Ass@mail.example.no?tls=1")
    assert (starttls.host, starttls.port, starttls.use_tls, starttls.use_ssl) == (
        "mail.example.no",
        587,
        True,
        False,
    )
    assert (starttls.user, starttls.password) == ("user@example.no", "p:ss")
    implicit = parse_email_url("smtps://mail.example.no")
    assert (implicit.port, implicit.use_ssl) == (465, True)
    assert parse_email_url("smtp://127.0.0.1:2525").port == 2525
    assert parse_email_url("console://").backend.endswith("console.EmailBackend")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("imap://mail.example.no", "must start with smtp://"),
        ("smtp://", "must name a host"),
        ("smtp://mail.example.no?tls=1&ssl=1", "both implicit TLS"),
    ],
)
def test_email_url_rejects_what_it_cannot_use(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_email_url(url)


def test_password_repr_is_hidden() -> None:
    assert "hemmelig" not in repr(parse_email_url("smtp://u:hemmelig@mail.example.no"))

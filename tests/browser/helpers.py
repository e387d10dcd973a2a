from __future__ import annotations

from pathlib import Path

from django.conf import settings

from fagnett.networks.demo import DemoLogin, load_demo
from tests.browser.conftest import Browser


def demo(tmp_path: Path) -> DemoLogin:
    settings.VAR_DIR = tmp_path
    return load_demo()


def log_in(browser: Browser, email: str, password: str) -> None:
    """Log in through the form, by keyboard, as a user would."""
    page = browser.goto("/konto/login/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_label("Passord").press("Enter")
    page.wait_for_load_state("load")
    browser.check()

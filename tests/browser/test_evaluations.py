"""Evaluations in a real browser: answering the network's default form on a phone without logging in, and
the coordinator's results page — every page checked with axe-core."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from fagnett.activities.models import Activity
from fagnett.evaluations.models import Answer, Evaluation, EvaluationForm, Response
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Network
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in
from tests.browser.test_activities import fits, upcoming
from tests.evaluations.test_setup import respond


def open_evaluation(title: str) -> Evaluation:
    activity: Activity = upcoming(0, title)
    now = timezone.now()
    return Evaluation.objects.create(
        activity=activity,
        form=EvaluationForm.objects.get(network=Network.objects.get(slug=DEMO_SLUG), is_template=True),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
    )


def test_answering_the_default_form_on_a_phone_without_logging_in(phone: Browser, tmp_path: Path) -> None:
    demo(tmp_path)
    evaluation = open_evaluation("Fagdag: evaluering")
    page = phone.goto(f"/e/{evaluation.short_code}/")
    assert fits(phone)

    benefit = page.get_by_role("group", name="Hvor stort faglig utbytte hadde du av dagen?")
    benefit.get_by_label("4").check()
    page.get_by_label("Hva var bra?").fill("Gode eksempler fra praksis.")
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_url(f"**/e/{evaluation.short_code}/takk/")
    phone.check()
    assert fits(phone)

    response = Response.objects.get(evaluation=evaluation)
    assert response.respondent_id is None and response.respondent_name == ""
    assert set(Answer.objects.filter(response=response).values_list("number", "text")) == {
        (None, "Gode eksempler fra praksis."),
        (4, ""),
    }


def test_the_coordinator_reads_the_results_with_chart_and_table(browser: Browser, tmp_path: Path) -> None:
    login = demo(tmp_path)
    evaluation = open_evaluation("Fagdag: resultater")
    for _ in range(3):
        respond(evaluation)
    log_in(browser, login.email, login.password)
    page = browser.goto(f"/n/{DEMO_SLUG}/evalueringer/{evaluation.pk}/")
    assert page.locator("svg[role=img]").first.is_visible()
    assert page.locator("table caption").first.is_visible()
    assert "3" in page.get_by_role("heading", level=1).locator("xpath=..").inner_text()

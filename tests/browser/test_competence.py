"""Competence plans in a real browser: the coordinator's summary and matrix, a resource person's plan on a
phone with one-click sign-up and the reminder choice, and a line manager's view of their staff — every page
checked with axe-core."""

from __future__ import annotations

from pathlib import Path

from fagnett.accounts.models import User
from fagnett.activities.models import Registration
from fagnett.competence.models import ReminderPreference
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Person
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in
from tests.browser.test_activities import fits, resource_person_login, upcoming
from tests.conftest import PASSWORD

BASE = f"/n/{DEMO_SLUG}"


def test_the_coordinator_reads_the_summary_and_filters_the_matrix_by_keyboard(
    browser: Browser, tmp_path: Path
) -> None:
    login = demo(tmp_path)
    log_in(browser, login.email, login.password)
    page = browser.goto(f"{BASE}/kompetanseplan/?aar=2024")
    assert page.locator("svg[role=img]").first.is_visible()
    assert page.locator("table caption").first.is_visible()

    page = browser.goto(f"{BASE}/kompetanseplan/oversikt/?aar=2024")
    rows_before = page.locator("tbody tr").count()
    assert rows_before > 0
    status = page.get_by_label("Status")
    status.focus()
    status.select_option("overdue")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**status=overdue**")
    browser.check()
    assert 0 < page.locator("tbody tr").count() <= rows_before


def test_a_resource_person_signs_up_from_the_plan_and_turns_reminders_off_on_a_phone(
    phone: Browser, tmp_path: Path
) -> None:
    demo(tmp_path)
    person, email = resource_person_login()
    activity = upcoming(20, "Nettverkssamling: lindring hjemme")
    log_in(phone, email, PASSWORD)
    page = phone.goto(f"{BASE}/personer/{person.pk}/kompetanseplan/")
    assert fits(phone)
    card = page.locator("li, article, section").filter(has_text=activity.title).last
    card.get_by_role("button", name="Meld deg på").click()
    page.wait_for_url(lambda url: f"/personer/{person.pk}/kompetanseplan/" in url)
    phone.check()
    assert Registration.objects.get(activity=activity, person=person).status == "paameldt"

    page.get_by_label("Nei, ikke send meg påminnelser").check()
    page.get_by_role("button", name="Lagre valget").click()
    page.wait_for_load_state("load")
    phone.check()
    assert ReminderPreference.objects.get(person=person).enabled is False


def test_a_line_manager_sees_their_staff_on_a_phone(phone: Browser, tmp_path: Path) -> None:
    demo(tmp_path)
    staff_member = (
        Person.objects.filter(network__slug=DEMO_SLUG, memberships__role__code="ressursperson")
        .exclude(leader_email="")
        .order_by("pk")
        .first()
    )
    assert staff_member is not None
    User.objects.create_user(staff_member.leader_email, PASSWORD, name=staff_member.leader_name)
    log_in(phone, staff_member.leader_email, PASSWORD)
    page = phone.goto(f"{BASE}/mine-ansatte/?aar=2024")
    assert fits(phone)
    link = page.get_by_role("link", name=staff_member.full_name).first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: f"/personer/{staff_member.pk}/kompetanseplan/" in url)
    phone.check()
    assert fits(phone)

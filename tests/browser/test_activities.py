"""Activities in a real browser: the calendar (list and month), an activity page, signing up on a phone,
recording attendance and checking in by the room's QR link on a phone — every page checked with axe-core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind, Attendance, AttendanceStatus, Registration
from fagnett.networks.demo import DEMO_SLUG
from fagnett.networks.models import Membership, Person
from tests.browser.conftest import Browser
from tests.browser.helpers import demo, log_in
from tests.conftest import PASSWORD

BASE = f"/n/{DEMO_SLUG}"


def fits(browser: Browser) -> bool:
    return bool(browser.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def resource_person_login() -> tuple[Person, str]:
    """A demo resource person who gets an account, as a coordinator would give them."""
    membership = (
        Membership.objects.filter(network__slug=DEMO_SLUG, role__code="ressursperson", end__isnull=True)
        .select_related("person")
        .order_by("person__last_name")
        .first()
    )
    assert membership is not None
    person = membership.person
    person.user = User.objects.create_user(person.email, PASSWORD, name=person.full_name)
    person.save(update_fields=["user"])
    return person, person.email


def upcoming(days: int, title: str) -> Activity:
    day = timezone.localdate() + dt.timedelta(days=days)
    return Activity.objects.create(
        network=Person.objects.filter(network__slug=DEMO_SLUG).first().network,  # type: ignore[union-attr]
        kind=ActivityKind.GATHERING,
        title=title,
        starts_on=day,
        ends_on=day,
        hours=Decimal(6),
        place="Stavanger",
        capacity=30,
    )


def test_the_coordinator_reads_the_calendar_and_records_attendance(browser: Browser, tmp_path: Path) -> None:
    login = demo(tmp_path)
    log_in(browser, login.email, login.password)
    page = browser.goto(f"{BASE}/aktiviteter/?fra=2024-01-01&til=2024-12-31")
    assert page.get_by_role("heading", level=1).is_visible()
    page = browser.goto(f"{BASE}/aktiviteter/?visning=maaned&maaned=2024-11")
    study_day = Activity.objects.get(
        network__slug=DEMO_SLUG, kind=ActivityKind.STUDY_DAY, starts_on__year=2024
    )
    link = page.get_by_role("link", name=study_day.title).first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/aktiviteter/{study_day.pk}/")
    browser.check()
    assert page.get_by_role("heading", level=1).inner_text() == study_day.title

    page = browser.goto(f"{BASE}/aktiviteter/{study_day.pk}/oppmote/")
    attended_before = Attendance.objects.filter(activity=study_day, status=AttendanceStatus.ATTENDED).count()
    assert attended_before > 0
    page.get_by_role("button", name="Lagre oppmøte").click()
    page.wait_for_load_state("load")
    browser.check()
    assert (
        Attendance.objects.filter(activity=study_day, status=AttendanceStatus.ATTENDED).count()
        == attended_before
    )


def test_a_resource_person_signs_up_on_a_phone(phone: Browser, tmp_path: Path) -> None:
    demo(tmp_path)
    person, email = resource_person_login()
    activity = upcoming(14, "Nettverkssamling: sorg hos søsken")
    log_in(phone, email, PASSWORD)
    page = phone.goto(f"{BASE}/aktiviteter/")
    assert fits(phone)
    page.get_by_role("link", name=activity.title).first.click()
    page.wait_for_url(f"**/aktiviteter/{activity.pk}/")
    phone.check()
    assert fits(phone)
    page.get_by_role("button", name="Meld deg på").click()
    page.wait_for_load_state("load")
    phone.check()
    assert Registration.objects.get(activity=activity, person=person).status == "paameldt"


def test_checking_in_with_the_rooms_link_on_a_phone(phone: Browser, tmp_path: Path) -> None:
    login = demo(tmp_path)
    person, email = resource_person_login()
    activity = upcoming(0, "Fagdag i dag")
    Registration.objects.create(activity=activity, person=person, status="paameldt")

    log_in(phone, login.email, login.password)
    phone.goto(f"{BASE}/aktiviteter/{activity.pk}/innsjekk/")
    assert phone.page.locator("svg").first.is_visible()
    phone.page.context.clear_cookies()

    log_in(phone, email, PASSWORD)
    page = phone.goto(f"/innsjekk/{activity.checkin_token}/")
    assert fits(phone)
    page.get_by_role("button", name="Sjekk inn").click()
    page.wait_for_load_state("load")
    phone.check()
    attendance = Attendance.objects.get(activity=activity, person=person)
    assert attendance.status == AttendanceStatus.ATTENDED and attendance.checked_in_at is not None
    assert attendance.hours == Decimal(6)

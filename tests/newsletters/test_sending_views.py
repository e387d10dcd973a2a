"""The send confirmation, the progress page (and its self-refreshing part) and the decision about uncertain
deliveries, for every persona that matters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.networks.models import LocalChapter, Network, Role
from fagnett.newsletters.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus, OptOut
from tests.conftest import add_member, login
from tests.helpers import nb

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., Any]
OUTSIDERS = ["rolf", "rita", "lena", "charlie", "nobody"]


def member(network: Network, email: str, chapter: LocalChapter | None = None) -> None:
    add_member(network, None, email, Role.RESOURCE_PERSON, dt.date(2024, 1, 1), chapter)


def letter(network: Network, **fields: Any) -> Newsletter:
    return Newsletter.objects.create(network=network, **{"subject": "Vårbrev", "body": "Hei", **fields})


def url(name: str, newsletter: Newsletter) -> str:
    return reverse(f"newsletters:{name}", args=[newsletter.network.slug, newsletter.pk])


def with_deliveries(newsletter: Newsletter, status: str, *rows: tuple[str, str]) -> Newsletter:
    Newsletter.objects.filter(pk=newsletter.pk).update(status=status)
    Delivery.objects.bulk_create(
        Delivery(newsletter=newsletter, email=email, kind="medlem", status=state) for email, state in rows
    )
    newsletter.refresh_from_db()
    return newsletter


# The confirmation --------------------------------------------------------------------------------------


def test_the_coordinator_sees_the_recipient_counts_and_a_reminder_to_test_first(
    client: Client, network: Network, alice: User
) -> None:
    member(network, "kari@example.no")
    OptOut.objects.create(network=network, email="kari@example.no")
    newsletter = letter(network, extra_recipients="ny@example.no\nandre@example.no")

    response = login(client, alice).get(url("send", newsletter))

    assert response.status_code == 200
    page = response.content.decode()
    assert nb("Send a test to yourself first") in page
    assert nb("Send now to %(total)s recipients", total=3) in page
    counts = response.context["counts"]
    assert (counts.members, counts.extra, counts.opted_out, counts.total) == (1, 2, 1, 3)


def test_sending_queues_the_newsletter_and_shows_the_progress(
    client: Client, network: Network, alice: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    member(network, "kari@example.no")
    newsletter = letter(network)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, alice).post(url("send", newsletter))

    assert response.status_code == 302
    assert response["Location"] == url("progress", newsletter)
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.no", "kari@example.no"]
    newsletter.refresh_from_db()
    assert (newsletter.status, newsletter.queued_by) == (NewsletterStatus.SENT, alice)


def test_sending_without_recipients_shows_why_and_saves_nothing(
    client: Client, network: Network, alice: User
) -> None:
    OptOut.objects.create(network=network, email="alice@example.no")
    newsletter = letter(network)

    response = login(client, alice).post(url("send", newsletter))

    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()
    assert response.context["form"].non_field_errors() == [
        nb(
            "“%(subject)s” has no recipients: nobody is an active member, and there are no line managers or "
            "extra addresses that have not opted out.",
            subject="Vårbrev",
        )
    ]
    assert not Delivery.objects.exists()


def test_a_newsletter_already_sent_goes_to_its_progress_and_is_not_queued_again(
    client: Client, network: Network, alice: User
) -> None:
    newsletter = with_deliveries(
        letter(network), NewsletterStatus.SENT, ("kari@example.no", DeliveryStatus.SENT)
    )

    response = login(client, alice).post(url("send", newsletter))

    assert response["Location"] == url("progress", newsletter)
    assert Delivery.objects.count() == 1


def test_the_chapter_coordinator_sends_his_chapters_newsletter_only(
    client: Client, network: Network, chapter: LocalChapter, carl: User
) -> None:
    own = letter(network, chapter=chapter)
    network_wide = letter(network)
    login(client, carl)

    assert client.get(url("send", own)).status_code == 200
    assert client.get(url("send", network_wide)).status_code == 404
    assert client.post(url("send", network_wide)).status_code == 404
    assert client.get(url("progress", network_wide)).status_code == 404
    assert (
        client.post(url("resolve", network_wide), {"deliveries": [], "action": "resend"}).status_code == 404
    )
    network_wide.refresh_from_db()
    assert network_wide.status == NewsletterStatus.DRAFT


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_everyone_else_gets_404_and_changes_nothing(
    client: Client, network: Network, alice: User, persona: str, request: pytest.FixtureRequest
) -> None:
    member(network, "kari@example.no")
    draft = letter(network)
    sending = with_deliveries(
        letter(network, subject="Høstbrev"),
        NewsletterStatus.SENT,
        ("kari@example.no", DeliveryStatus.UNCERTAIN),
    )
    uncertain = Delivery.objects.get()
    login(client, request.getfixturevalue(persona))

    assert client.get(url("send", draft)).status_code == 404
    assert client.post(url("send", draft)).status_code == 404
    assert client.get(url("progress", sending)).status_code == 404
    assert client.get(url("progress", sending), headers={"HX-Request": "true"}).status_code == 404
    assert client.get(url("resolve", sending)).status_code == 404
    assert (
        client.post(
            url("resolve", sending), {"deliveries": [uncertain.pk], "action": "mark_sent"}
        ).status_code
        == 404
    )

    draft.refresh_from_db()
    uncertain.refresh_from_db()
    assert (draft.status, uncertain.status) == (NewsletterStatus.DRAFT, DeliveryStatus.UNCERTAIN)
    assert Delivery.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login(client: Client, network: Network) -> None:
    newsletter = letter(network)

    for name in ("send", "progress", "resolve"):
        response = client.get(url(name, newsletter))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# Progress ----------------------------------------------------------------------------------------------


def test_the_progress_page_refreshes_itself_while_sending(
    client: Client, network: Network, alice: User
) -> None:
    newsletter = with_deliveries(
        letter(network),
        NewsletterStatus.SENDING,
        ("kari@example.no", DeliveryStatus.SENT),
        ("ola@example.no", DeliveryStatus.RETRY),
        ("per@example.no", DeliveryStatus.FAILED),
        ("siv@example.no", DeliveryStatus.QUEUED),
    )
    Delivery.objects.filter(email="per@example.no").update(last_error="550 No such mailbox", attempts=1)

    response = login(client, alice).get(url("progress", newsletter))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 3s"' in page
    assert '<progress id="fn-progress-bar" max="4" value="2">50 %</progress>' in page
    assert 'aria-live="polite"' in page
    assert (
        nb(
            "Sending: %(done)s of %(total)s finished (%(sent)s sent, %(failed)s failed).",
            done=2,
            total=4,
            sent=1,
            failed=1,
        )
        in page
    )
    assert "550 No such mailbox" in page
    for status in (DeliveryStatus.SENT, DeliveryStatus.RETRY, DeliveryStatus.FAILED, DeliveryStatus.QUEUED):
        assert str(status.label) in page or nb(str(status.label)) in page
    # Nothing uncertain: no decision to make.
    assert 'name="action"' not in page


def test_the_refreshing_part_updates_the_announcement_out_of_band_and_stops_when_finished(
    client: Client, network: Network, alice: User
) -> None:
    newsletter = with_deliveries(
        letter(network), NewsletterStatus.SENDING, ("kari@example.no", DeliveryStatus.QUEUED)
    )
    login(client, alice)

    running = client.get(url("progress", newsletter), headers={"HX-Request": "true"}).content.decode()
    Delivery.objects.update(status=DeliveryStatus.SENT)
    Newsletter.objects.update(status=NewsletterStatus.SENT)
    finished = client.get(url("progress", newsletter), headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in running
    assert 'hx-trigger="every 3s"' in running
    assert 'id="fn-progress-summary" hx-swap-oob="innerHTML"' in running
    # The live region itself stays on the page; the table is never inside it.
    assert "aria-live" not in running
    assert "hx-trigger" not in finished
    assert (
        nb("Finished: %(sent)s of %(total)s sent, %(failed)s failed.", sent=1, total=1, failed=0) in finished
    )


def test_the_progress_page_lists_recipients_100_at_a_time(
    client: Client, network: Network, alice: User
) -> None:
    newsletter = with_deliveries(
        letter(network),
        NewsletterStatus.SENT,
        *[(f"p{n:03}@example.no", DeliveryStatus.SENT) for n in range(150)],
    )
    login(client, alice)

    first = client.get(url("progress", newsletter)).content.decode()
    second = client.get(url("progress", newsletter) + "?side=2").content.decode()

    assert "p099@example.no" in first and "p100@example.no" not in first
    assert "p100@example.no" in second and "p149@example.no" in second and "p000@example.no" not in second
    assert 'class="ds-pagination"' in first
    assert "hx-trigger" not in first


def test_the_progress_of_a_draft_leads_to_the_confirmation(
    client: Client, network: Network, alice: User
) -> None:
    newsletter = letter(network)

    response = login(client, alice).get(url("progress", newsletter))

    assert response["Location"] == url("send", newsletter)


# Uncertain deliveries -------------------------------------------------------------------------------------


def uncertain_letter(network: Network) -> Newsletter:
    return with_deliveries(
        letter(network),
        NewsletterStatus.SENT,
        ("kari@example.no", DeliveryStatus.UNCERTAIN),
        ("ola@example.no", DeliveryStatus.UNCERTAIN),
        ("per@example.no", DeliveryStatus.SENT),
    )


def test_the_progress_page_explains_uncertain_deliveries_and_offers_the_choice(
    client: Client, network: Network, alice: User
) -> None:
    newsletter = uncertain_letter(network)

    page = login(client, alice).get(url("progress", newsletter)).content.decode()

    assert nb("Uncertain deliveries: you decide") in page
    assert 'value="mark_sent"' in page and 'value="resend"' in page
    assert page.count('type="checkbox"') == 2


def test_the_coordinator_marks_chosen_uncertain_deliveries_as_sent(
    client: Client, network: Network, alice: User
) -> None:
    newsletter = uncertain_letter(network)
    kari = Delivery.objects.get(email="kari@example.no")

    response = login(client, alice).post(
        url("resolve", newsletter), {"deliveries": [kari.pk], "action": "mark_sent"}
    )

    assert response["Location"] == url("progress", newsletter)
    assert dict(Delivery.objects.values_list("email", "status")) == {
        "kari@example.no": DeliveryStatus.SENT,
        "ola@example.no": DeliveryStatus.UNCERTAIN,
        "per@example.no": DeliveryStatus.SENT,
    }
    assert mail.outbox == []


def test_the_coordinator_sends_chosen_uncertain_deliveries_again(
    client: Client, network: Network, alice: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    newsletter = uncertain_letter(network)
    ids = list(Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN).values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, alice).post(
            url("resolve", newsletter), {"deliveries": ids, "action": "resend"}
        )

    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == ["kari@example.no", "ola@example.no"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_resolving_without_a_choice_shows_an_error(client: Client, network: Network, alice: User) -> None:
    newsletter = uncertain_letter(network)

    response = login(client, alice).post(url("resolve", newsletter), {"action": "resend"})

    assert response.status_code == 200
    assert nb("Choose at least one address.") in response.content.decode()
    assert Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN).count() == 2


def test_resolving_takes_a_post_only(client: Client, network: Network, alice: User) -> None:
    newsletter = uncertain_letter(network)

    assert login(client, alice).get(url("resolve", newsletter)).status_code == 405


def test_the_chapter_coordinator_resolves_his_chapters_newsletter(
    client: Client, network: Network, chapter: LocalChapter, carl: User
) -> None:
    newsletter = uncertain_letter(network)
    Newsletter.objects.filter(pk=newsletter.pk).update(chapter=chapter)
    kari = Delivery.objects.get(email="kari@example.no")

    response = login(client, carl).post(
        url("resolve", newsletter), {"deliveries": [kari.pk], "action": "mark_sent"}
    )

    assert response.status_code == 302
    kari.refresh_from_db()
    assert kari.status == DeliveryStatus.SENT

"""Composing newsletters and the in-network archive: who may do what, what is validated, saved and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind, Theme
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import LocalChapter, Network
from fagnett.newsletters.models import Delivery, DeliveryStatus, Newsletter, NewsletterStatus, RecipientKind
from fagnett.newsletters.recipients import recipient_counts
from tests.conftest import login
from tests.helpers import count_queries, nb

SLUG = "barnepalliasjon"
LIST = reverse("newsletters:list", args=[SLUG])
CREATE = reverse("newsletters:create", args=[SLUG])
PREVIEW = reverse("newsletters:preview", args=[SLUG])
READERS = ("rita", "lena", "rolf")
OUTSIDERS = ("charlie", "nobody")


@pytest.fixture(autouse=True)
def frozen_now() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 5, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def url(name: str, newsletter: Newsletter) -> str:
    return reverse(f"newsletters:{name}", args=[SLUG, newsletter.pk])


@pytest.fixture
def draft(network: Network) -> Newsletter:
    """A network-wide draft: only network coordinators manage it."""
    return Newsletter.objects.create(
        network=network, subject="Utkast for hele nettverket", body="# Hei\n\nTekst"
    )


@pytest.fixture
def chapter_draft(network: Network, chapter: LocalChapter) -> Newsletter:
    """A draft to the Stavanger chapter: Carl manages it too."""
    return Newsletter.objects.create(network=network, chapter=chapter, subject="Utkast for Stavanger")


@pytest.fixture
def sent(network: Network) -> Newsletter:
    """A network-wide newsletter sent 02.04.2025 to two addresses, one of which the server accepted."""
    newsletter = Newsletter.objects.create(
        network=network,
        subject="Vårbrevet",
        body="Endret senere",
        status=NewsletterStatus.SENT,
        sent_html="<h2>Vårbrevet</h2><p>Det som ble sendt</p>",
        sent_text="Det som ble sendt",
        queued_at=dt.datetime(2025, 4, 2, 8, tzinfo=dt.UTC),
        finished_at=dt.datetime(2025, 4, 2, 9, tzinfo=dt.UTC),
    )
    Delivery.objects.create(
        newsletter=newsletter, email="a@example.no", kind=RecipientKind.MEMBER, status=DeliveryStatus.SENT
    )
    Delivery.objects.create(
        newsletter=newsletter, email="b@example.no", kind=RecipientKind.MEMBER, status=DeliveryStatus.FAILED
    )
    return newsletter


@pytest.fixture
def personas(
    alice: User, carl: User, rita: User, lena: User, rolf: User, charlie: User, nobody: User
) -> dict[str, User]:
    return {
        "alice": alice,
        "carl": carl,
        "rita": rita,
        "lena": lena,
        "rolf": rolf,
        "charlie": charlie,
        "nobody": nobody,
    }


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "subject": "Nyhetsbrev mai",
        "chapter": "",
        "theme": "",
        "body": "## Nytt\n\nLes mer.",
        "extra_recipients": "",
        "save": "",
    }
    data.update(overrides)
    return data


# The archive -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl", *READERS])
def test_everyone_with_a_role_sees_the_sent_newsletters(
    client: Client, personas: dict[str, User], sent: Newsletter, persona: str
) -> None:
    response = login(client, personas[persona]).get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vårbrevet" in content
    assert "02.04.2025" in content
    assert url("detail", sent) in content


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_the_archive(client: Client, personas: dict[str, User], persona: str) -> None:
    assert login(client, personas[persona]).get(LIST).status_code == 404


def test_the_archive_needs_a_login(client: Client, network: Network) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_archive_counts_the_recipients_the_server_accepted(
    client: Client, alice: User, sent: Newsletter
) -> None:
    response = login(client, alice).get(LIST)
    assert [n.delivered for n in response.context["facts"].sent] == [1]


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_no_drafts_and_no_new_button(
    client: Client, personas: dict[str, User], draft: Newsletter, chapter_draft: Newsletter, persona: str
) -> None:
    content = login(client, personas[persona]).get(LIST).content.decode()
    assert "Utkast" not in content
    assert CREATE not in content


def test_the_network_coordinator_sees_every_draft(
    client: Client, alice: User, draft: Newsletter, chapter_draft: Newsletter
) -> None:
    content = login(client, alice).get(LIST).content.decode()
    assert "Utkast for hele nettverket" in content
    assert "Utkast for Stavanger" in content
    assert CREATE in content


def test_the_chapter_coordinator_sees_only_his_chapters_drafts(
    client: Client, carl: User, draft: Newsletter, chapter_draft: Newsletter
) -> None:
    content = login(client, carl).get(LIST).content.decode()
    assert "Utkast for Stavanger" in content
    assert "Utkast for hele nettverket" not in content
    assert CREATE in content


def test_the_archive_takes_a_fixed_number_of_queries(
    client: Client, alice: User, network: Network, sent: Newsletter
) -> None:
    login(client, alice)
    few = count_queries(lambda: client.get(LIST))
    for number in range(5):
        newsletter = Newsletter.objects.create(
            network=network, subject=f"Brev {number}", status=NewsletterStatus.SENT, sent_html="<p>x</p>"
        )
        Delivery.objects.create(
            newsletter=newsletter, email=f"x{number}@example.no", kind=RecipientKind.EXTRA
        )
        Newsletter.objects.create(network=network, subject=f"Utkast {number}")
    assert count_queries(lambda: client.get(LIST)) == few


# Reading one newsletter --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl", *READERS])
def test_a_sent_newsletter_shows_what_was_sent(
    client: Client, personas: dict[str, User], sent: Newsletter, persona: str
) -> None:
    response = login(client, personas[persona]).get(url("detail", sent))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<p>Det som ble sendt</p>" in content
    assert "Endret senere" not in content
    assert "<article" in content
    assert url("edit", sent) not in content


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_a_sent_newsletter(
    client: Client, personas: dict[str, User], sent: Newsletter, persona: str
) -> None:
    assert login(client, personas[persona]).get(url("detail", sent)).status_code == 404


@pytest.mark.parametrize("persona", [*READERS, *OUTSIDERS, "carl"])
def test_a_network_wide_draft_is_404_for_everyone_but_the_network_coordinator(
    client: Client, personas: dict[str, User], draft: Newsletter, persona: str
) -> None:
    assert login(client, personas[persona]).get(url("detail", draft)).status_code == 404


def test_a_missing_newsletter_is_404(client: Client, alice: User, network: Network) -> None:
    assert login(client, alice).get(reverse("newsletters:detail", args=[SLUG, 999])).status_code == 404


def test_a_newsletter_of_another_network_is_404(client: Client, alice: User, other_network: Network) -> None:
    foreign = Newsletter.objects.create(network=other_network, subject="Bergen", status=NewsletterStatus.SENT)
    assert login(client, alice).get(url("detail", foreign)).status_code == 404


def test_a_draft_shows_preview_counts_and_actions(
    client: Client, alice: User, rita: User, draft: Newsletter
) -> None:
    draft.extra_recipients = "ekstra@example.no"
    draft.save()
    response = login(client, alice).get(url("detail", draft))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts == recipient_counts(draft)
    assert counts.members == 2  # Alice and Rita are active members
    assert counts.extra == 1
    content = response.content.decode()
    assert "<h2>Hei</h2>" in content
    for action in ("edit", "send_test", "send", "delete"):
        assert url(action, draft) in content


def test_the_chapter_coordinator_reads_and_manages_his_chapters_draft(
    client: Client, carl: User, chapter_draft: Newsletter
) -> None:
    response = login(client, carl).get(url("detail", chapter_draft))
    assert response.status_code == 200
    assert url("edit", chapter_draft) in response.content.decode()


# Composing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carl"])
def test_coordinators_open_the_composer(client: Client, personas: dict[str, User], persona: str) -> None:
    response = login(client, personas[persona]).get(CREATE)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'hx-post="{PREVIEW}"' in content
    assert 'id="fn-preview-status" role="status"' in content
    assert 'name="preview"' in content  # the preview works without JavaScript too


@pytest.mark.parametrize("persona", [*READERS, *OUTSIDERS])
def test_others_get_404_on_the_composer_and_create_nothing(
    client: Client, personas: dict[str, User], network: Network, persona: str
) -> None:
    login(client, personas[persona])
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, form_data()).status_code == 404
    assert not Newsletter.objects.exists()


def test_the_coordinator_saves_a_network_wide_draft_audited(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(
        CREATE, form_data(include_leaders="on", extra_recipients="Ola@Example.no")
    )
    newsletter = Newsletter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", newsletter)
    assert newsletter.status == NewsletterStatus.DRAFT
    assert newsletter.chapter is None
    assert newsletter.include_leaders
    assert newsletter.created_by == alice
    entry = AuditEntry.objects.get(action="newsletters.draft_created")
    assert entry.actor == alice
    assert "body" in entry.fields
    assert "Les mer" not in str(entry.data)


def test_a_theme_shows_its_gatherings_and_is_saved(client: Client, alice: User, network: Network) -> None:
    theme = Theme.objects.create(network=network, name="Smertelindring")
    gathering = Activity.objects.create(
        network=network,
        kind=ActivityKind.GATHERING,
        title="Vårsamling",
        starts_on=dt.date(2025, 3, 12),
        ends_on=dt.date(2025, 3, 12),
        hours=Decimal(6),
    )
    gathering.themes.add(theme)
    login(client, alice)
    assert "Smertelindring (Vårsamling 12.03.2025)" in client.get(CREATE).content.decode()
    client.post(CREATE, form_data(theme=theme.pk))
    assert Newsletter.objects.get().theme == theme


def test_the_chapter_coordinator_must_choose_one_of_his_chapters(
    client: Client, carl: User, network: Network, chapter: LocalChapter
) -> None:
    other = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    login(client, carl)
    assert client.post(CREATE, form_data(chapter="")).status_code == 200
    assert client.post(CREATE, form_data(chapter=other.pk)).status_code == 200
    assert not Newsletter.objects.exists()
    client.post(CREATE, form_data(chapter=chapter.pk))
    assert Newsletter.objects.get().chapter == chapter


def test_an_invalid_extra_address_is_named_with_its_line(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(
        CREATE, form_data(extra_recipients="ok@example.no\nikke-en-adresse\nogså@ok.no, feil@")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        nb("Line %(line)s: “%(address)s” is not a valid e-mail address.", line=2, address="ikke-en-adresse")
        in content
    )
    assert (
        nb("Line %(line)s: “%(address)s” is not a valid e-mail address.", line=3, address="feil@") in content
    )
    assert not Newsletter.objects.exists()


def test_a_subject_is_required(client: Client, alice: User, network: Network) -> None:
    response = login(client, alice).post(CREATE, form_data(subject=""))
    assert response.status_code == 200
    assert response.context["form"].errors["subject"]
    assert not Newsletter.objects.exists()


def test_the_preview_button_shows_the_text_without_saving(
    client: Client, alice: User, network: Network
) -> None:
    data = form_data(subject="", body="# Overskrift\n\n<script>x</script>")
    del data["save"]
    data["preview"] = ""
    response = login(client, alice).post(CREATE, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h2>Overskrift</h2>" in content
    assert "<script>x" not in content
    assert not response.context["form"].is_bound  # no errors shown for a preview
    assert not Newsletter.objects.exists()


def test_the_live_preview_returns_sanitised_html_and_a_short_status(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(
        PREVIEW, {"body": "## Del\n\n[x](javascript:alert(1))"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h3>Del</h3>" in content
    assert 'href="javascript' not in content
    assert 'id="fn-preview-status" hx-swap-oob="innerHTML"' in content
    assert "<html" not in content


@pytest.mark.parametrize("persona", [*READERS, *OUTSIDERS])
def test_others_get_404_on_the_live_preview(
    client: Client, personas: dict[str, User], network: Network, persona: str
) -> None:
    assert login(client, personas[persona]).post(PREVIEW, {"body": "x"}).status_code == 404


def test_the_live_preview_needs_a_post(client: Client, alice: User) -> None:
    assert login(client, alice).get(PREVIEW).status_code == 405


# Editing and deleting ----------------------------------------------------------------------------------


def test_the_coordinator_edits_a_draft_audited_with_changed_fields(
    client: Client, alice: User, draft: Newsletter
) -> None:
    login(client, alice)
    assert client.get(url("edit", draft)).status_code == 200
    response = client.post(url("edit", draft), form_data(subject="Nytt emne", body=draft.body))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.subject == "Nytt emne"
    entry = AuditEntry.objects.get(action="newsletters.draft_updated")
    assert entry.fields == ["subject"]


def test_the_chapter_coordinator_cannot_edit_a_network_wide_draft(
    client: Client, carl: User, draft: Newsletter
) -> None:
    login(client, carl)
    assert client.get(url("edit", draft)).status_code == 404
    assert client.post(url("edit", draft), form_data(subject="Kapret")).status_code == 404
    draft.refresh_from_db()
    assert draft.subject == "Utkast for hele nettverket"


def test_the_chapter_coordinator_edits_his_chapters_draft(
    client: Client, carl: User, chapter: LocalChapter, chapter_draft: Newsletter
) -> None:
    login(client, carl)
    response = client.post(
        url("edit", chapter_draft), form_data(subject="Stavanger-nytt", chapter=chapter.pk)
    )
    assert response.status_code == 302
    chapter_draft.refresh_from_db()
    assert chapter_draft.subject == "Stavanger-nytt"


@pytest.mark.parametrize("persona", [*READERS, *OUTSIDERS])
def test_others_cannot_edit_or_delete_a_draft(
    client: Client, personas: dict[str, User], draft: Newsletter, persona: str
) -> None:
    login(client, personas[persona])
    assert client.post(url("edit", draft), form_data(subject="Kapret")).status_code == 404
    assert client.post(url("delete", draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.subject == "Utkast for hele nettverket"


def test_a_sent_newsletter_cannot_be_edited_or_deleted(client: Client, alice: User, sent: Newsletter) -> None:
    login(client, alice)
    response = client.post(url("edit", sent), form_data(subject="Endret"))
    assert response.status_code == 302
    assert response["Location"] == url("detail", sent)
    assert client.post(url("delete", sent)).status_code == 302
    sent.refresh_from_db()
    assert sent.subject == "Vårbrevet"


def test_the_coordinator_deletes_a_draft_after_confirming(
    client: Client, alice: User, draft: Newsletter
) -> None:
    login(client, alice)
    assert draft.subject in client.get(url("delete", draft)).content.decode()
    response = client.post(url("delete", draft))
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not Newsletter.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(action="newsletters.draft_deleted").count() == 1


# The test message --------------------------------------------------------------------------------------


def test_the_coordinator_sends_a_test_to_herself_only(
    client: Client, alice: User, rita: User, draft: Newsletter
) -> None:
    response = login(client, alice).post(url("send_test", draft), follow=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.no"]
    assert message.subject == "[TEST] Utkast for hele nettverket"
    assert "Tekst" in message.body
    assert not Delivery.objects.exists()
    assert nb("The test was sent to %(email)s.", email="alice@example.no") in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == NewsletterStatus.DRAFT


def test_the_test_send_needs_a_post(client: Client, alice: User, draft: Newsletter) -> None:
    assert login(client, alice).get(url("send_test", draft)).status_code == 405
    assert not mail.outbox


@pytest.mark.parametrize("persona", [*READERS, *OUTSIDERS, "carl"])
def test_others_cannot_send_a_test(
    client: Client, personas: dict[str, User], draft: Newsletter, persona: str
) -> None:
    assert login(client, personas[persona]).post(url("send_test", draft)).status_code == 404
    assert not mail.outbox

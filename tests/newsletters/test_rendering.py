"""Markdown → safe HTML and readable text, the unsubscribe token, and the message one recipient gets."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.header import decode_header, make_header
from email.utils import parseaddr
from typing import Any

import pytest
from django.core import signing
from django.urls import reverse

from fagnett.networks.models import Network
from fagnett.newsletters.models import Newsletter
from fagnett.newsletters.rendering import (
    build_message,
    freeze,
    read_unsubscribe_token,
    render_html,
    render_text,
    unsubscribe_token,
    unsubscribe_url,
)

BASE = "http://127.0.0.1:8000"
OWN_IMAGE = "/nyhetsbrev/bilde/AbC-12_xyz"


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    settings.FAGNETT_BASE_URL = BASE
    settings.DEFAULT_FROM_EMAIL = "Fagnett <noreply@fagnett.example>"


@pytest.fixture
def newsletter(network: Network) -> Newsletter:
    return Newsletter.objects.create(
        network=network,
        subject="Nytt fra nettverket",
        body=f"# Velkommen\n\nLes [mer](https://example.no/mer).\n\n![Samlingen]({OWN_IMAGE})\n",
    )


def test_it_keeps_script_and_style_as_harmless_text() -> None:
    html = render_html(
        "Hei <script>alert(1)</script> og <style>body{}</style>\n\n<script>\nalert(2)\n</script>"
    )
    assert "<script" not in html
    assert "<style" not in html
    assert "&lt;script&gt;" in html


def test_it_removes_event_handlers_and_raw_html() -> None:
    html = render_html('<img src="x" onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>')
    assert "<img" not in html
    assert "<iframe" not in html
    assert not re.search(r"<[^>]+onerror", html)


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "/n/relative/"],
)
def test_it_drops_links_that_are_not_http_https_or_mailto(href: str) -> None:
    html = render_html(f"[klikk]({href})")
    assert "href" not in html
    assert "klikk" in html


def test_it_keeps_web_and_mail_links_with_noopener() -> None:
    html = render_html("[nett](https://example.no) og [post](mailto:post@example.no)")
    assert '<a href="https://example.no" rel="noopener">nett</a>' in html
    assert '<a href="mailto:post@example.no" rel="noopener">post</a>' in html


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/pixel.png",
        "http://127.0.0.1:8000/static/logo.png",
        "/nyhetsbrev/bilde/../../admin",
        "//evil.example/nyhetsbrev/bilde/abc",
        "data:image/png;base64,iVBORw0KGgo=",
    ],
)
def test_it_removes_images_not_served_by_fagnett(src: str) -> None:
    html = render_html(f"Før ![sporing]({src}) etter")
    assert "<img" not in html
    assert "evil.example" not in html


def test_it_keeps_own_images_relative_with_their_alt_text() -> None:
    html = render_html(f"![Deltakerne på samlingen]({OWN_IMAGE}) ![Absolutt]({BASE}{OWN_IMAGE})")
    assert html.count(f'<img src="{OWN_IMAGE}"') == 2
    assert 'alt="Deltakerne på samlingen"' in html
    assert BASE not in html


def test_it_shifts_headings_so_the_body_never_has_an_h1() -> None:
    html = render_html("# En\n\n## To\n\n### Tre\n\n#### Fire\n\n##### Fem\n\n###### Seks")
    assert "<h1" not in html and "<h5" not in html and "<h6" not in html
    assert "<h2>En</h2>" in html
    assert "<h3>To</h3>" in html
    assert "<h4>Tre</h4>" in html
    assert html.count("<h4>") == 4


def test_it_renders_the_allowed_markdown() -> None:
    html = render_html("**fet** *kursiv* `kode`\n\n- a\n- b\n\n1. c\n\n> sitat\n\n---\n\n    blokk\n")
    for tag in ("<strong>", "<em>", "<code>", "<ul>", "<ol>", "<li>", "<blockquote>", "<hr>", "<pre>"):
        assert tag in html


def test_the_text_part_is_readable_with_links_written_out() -> None:
    text = render_text(
        "# Velkommen\n\nLes [programmet](https://example.no/p) eller skriv til <post@example.no>.\n\n"
        "- første\n- andre\n\n1. steg\n\n> sitat\n\n"
        f"![Samlingen]({OWN_IMAGE}) ![sporing](https://evil.example/x.png) [js](javascript:alert(1))"
    )
    assert "Velkommen\n=========" in text
    assert "Les programmet (https://example.no/p) eller skriv til post@example.no." in text
    assert "- første\n- andre" in text
    assert "1. steg" in text
    assert "> sitat" in text
    assert "[Samlingen]" in text
    assert "evil.example" not in text and "sporing" not in text
    assert "<" not in text


def test_freeze_stores_the_rendered_body(newsletter: Newsletter) -> None:
    freeze(newsletter)
    assert "<h2>Velkommen</h2>" in newsletter.sent_html
    assert "mer (https://example.no/mer)" in newsletter.sent_text


def test_the_unsubscribe_token_round_trips_lower_case(network: Network) -> None:
    assert read_unsubscribe_token(unsubscribe_token(network, " Rita@Example.no ")) == (
        network.pk,
        "rita@example.no",
    )


def test_a_tampered_unsubscribe_token_is_refused(network: Network) -> None:
    token = unsubscribe_token(network, "rita@example.no")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert read_unsubscribe_token(tampered) is None
    assert read_unsubscribe_token("nonsense") is None
    # The same data signed for another purpose is not an unsubscribe token.
    assert read_unsubscribe_token(signing.dumps([network.pk, "rita@example.no"])) is None


def test_the_unsubscribe_url_is_absolute(network: Network) -> None:
    url = unsubscribe_url(network, "rita@example.no")
    assert url.startswith(BASE + "/nyhetsbrev/avmeld/")
    token = url.removeprefix(BASE).split("/")[-2]
    assert reverse("newsletters:unsubscribe", args=[token]) == url.removeprefix(BASE)


def test_the_message_has_the_network_as_sender_name_and_both_parts(newsletter: Newsletter) -> None:
    message = build_message(newsletter, "rita@example.no")
    name, address = parseaddr(message.from_email)
    assert str(make_header(decode_header(name))) == "Barnepalliasjon Sør-Rogaland"
    assert address == "noreply@fagnett.example"
    assert message.to == ["rita@example.no"]
    assert message.subject == "Nytt fra nettverket"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'lang="nb"' in str(html)
    assert "<h1" in str(html) and "Nytt fra nettverket" in str(html)
    assert f'<img src="{BASE}{OWN_IMAGE}"' in str(html)
    assert "mer (https://example.no/mer)" in message.body
    parsed = message_from_bytes(message.message().as_bytes())
    assert (
        str(make_header(decode_header(parsed["From"])))
        == "Barnepalliasjon Sør-Rogaland <noreply@fagnett.example>"
    )


def test_the_message_carries_one_click_unsubscribe_headers_and_footers(newsletter: Newsletter) -> None:
    message = build_message(newsletter, "rita@example.no")
    link = unsubscribe_url(newsletter.network, "rita@example.no")
    parsed = message.message()
    assert parsed["List-Unsubscribe"] == f"<{link}>"
    assert link.startswith("http")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<[^@>]+@fagnett\.example>", str(parsed["Message-ID"]))
    assert link in message.body
    assert f'href="{link}"' in str(message.alternatives[0][0])


def test_the_message_uses_the_frozen_text_when_there_is_one(newsletter: Newsletter) -> None:
    freeze(newsletter)
    newsletter.body = "Endret etter utsending"
    message = build_message(newsletter, "rita@example.no")
    assert "Velkommen" in message.body
    assert "Endret" not in message.body
    assert "Endret" not in str(message.alternatives[0][0])


def test_each_message_gets_its_own_message_id(newsletter: Newsletter) -> None:
    first = build_message(newsletter, "a@example.no").extra_headers["Message-ID"]
    second = build_message(newsletter, "b@example.no").extra_headers["Message-ID"]
    assert first != second

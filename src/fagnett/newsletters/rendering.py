"""Markdown → sanitised HTML and plain text, and the e-mail message for one recipient (issue 9).

CONTRACT (the composer engineer writes the bodies; names and signatures are fixed — the sending engine and
the public archive call them).
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.utils.safestring import SafeString

from fagnett.networks.models import Network
from fagnett.newsletters.models import Newsletter


def render_html(markdown: str) -> SafeString:
    """The newsletter body as HTML, sanitised (no script, style, event handlers, iframes or foreign images:
    only images served by Fagnett)."""
    raise NotImplementedError


def render_text(markdown: str) -> str:
    """The plain-text part: readable text with links written out."""
    raise NotImplementedError


def unsubscribe_url(network: Network, email: str) -> str:
    """Absolute, signed link that opts `email` out of the network's newsletters (no login needed)."""
    raise NotImplementedError


def build_message(newsletter: Newsletter, email: str) -> EmailMultiAlternatives:
    """The message to one recipient from the frozen `sent_html`/`sent_text`: the network's name as sender name,
    HTML and text parts, List-Unsubscribe (mailto-free https link) and List-Unsubscribe-Post: List-Unsubscribe=One-Click
    headers, the unsubscribe link in the footer of both parts."""
    raise NotImplementedError


def freeze(newsletter: Newsletter) -> None:
    """Render `body` into `sent_html`/`sent_text` (the caller saves), so the archive and every recipient get
    exactly what was queued."""
    raise NotImplementedError

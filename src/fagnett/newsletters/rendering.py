"""Markdown → sanitised HTML and plain text, and the e-mail message for one recipient (issue 9).

CONTRACT (the composer engineer writes the bodies; names and signatures are fixed — the sending engine and
the public archive call them).

Two layers keep the HTML safe: markdown-it renders with raw HTML disabled (so `<script>` in the text stays
text), and nh3 then keeps only an explicit allow-list of tags and attributes. Images are allowed only from
Fagnett's own image address (newsletters:image); they are stored relative, so pages never ask another host,
and made absolute only in the e-mail (`build_message`).
"""

from __future__ import annotations

import re
from email.utils import formataddr, make_msgid, parseaddr

import nh3
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from fagnett.core.links import base_url
from fagnett.networks.models import Network
from fagnett.newsletters.models import Newsletter

UNSUBSCRIBE_SALT = "fagnett.newsletters.unsubscribe"

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "img",
    "hr",
    "br",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
LINK_SCHEMES = ("http://", "https://", "mailto:")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def image_prefix() -> str:
    """The path every newsletter image lives under: /nyhetsbrev/bilde/."""
    return reverse("newsletters:image", args=["x"])[:-1]


def own_image_path(src: str) -> str | None:
    """`src` as a relative path when it is one of Fagnett's newsletter images (relative, or absolute with
    FAGNETT_BASE_URL), otherwise None."""
    base = base_url()
    if src.startswith(base + "/"):
        src = src[len(base) :]
    if re.fullmatch(re.escape(image_prefix()) + r"[A-Za-z0-9_-]+", src):
        return src
    return None


def _tokens(markdown: str) -> list[Token]:
    """Parsed Markdown with headings moved one level down (the page or mail owns the h1; h2–h4 remain) and
    foreign images taken out."""
    tokens = _markdown.parse(markdown or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 4)
            token.tag = f"h{level}"
        if token.type == "inline" and token.children:
            kept: list[Token] = []
            for child in token.children:
                if child.type == "image":
                    path = own_image_path(str(child.attrs.get("src", "")))
                    if path is None:
                        continue
                    child.attrs["src"] = path
                kept.append(child)
            token.children = kept
    return tokens


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.lower().startswith(LINK_SCHEMES) else None
    if tag == "img" and attribute == "src":
        return own_image_path(value)
    return value


def render_html(markdown: str) -> SafeString:
    """The newsletter body as HTML, sanitised (no script, style, event handlers, iframes or foreign images:
    only images served by Fagnett)."""
    raw = _markdown.renderer.render(_tokens(markdown), _markdown.options, {})
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        link_rel="noopener",
        url_schemes={"http", "https", "mailto"},
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just removed everything outside the allow-list


# Plain text --------------------------------------------------------------------------------------------


def _inline_text(node: SyntaxTreeNode) -> str:
    parts: list[str] = []
    for child in node.children:
        if child.type == "text" or child.type == "code_inline":
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            alt = _inline_text(child).strip()
            parts.append(f"[{alt}]" if alt else "")
        elif child.type == "link":
            text = _inline_text(child)
            href = str(child.attrs.get("href", ""))
            if href.lower().startswith(LINK_SCHEMES) and href not in (text, f"mailto:{text}"):
                parts.append(f"{text} ({href.removeprefix('mailto:')})")
            else:
                parts.append(text)
        else:
            parts.append(_inline_text(child))
    return "".join(parts)


def _block_lines(node: SyntaxTreeNode) -> list[str]:
    """The lines of one block, nested blocks indented; blocks are separated by a blank line."""
    kind = node.type
    if kind == "inline":
        return _inline_text(node).splitlines()
    if kind == "paragraph":
        return _inline_text(node.children[0]).splitlines() if node.children else []
    if kind == "heading":
        text = _inline_text(node.children[0]) if node.children else ""
        return [text, ("=" if node.tag == "h2" else "-") * max(len(text), 3)]
    if kind in ("code_block", "fence"):
        return ["    " + line for line in node.content.rstrip("\n").splitlines()]
    if kind == "hr":
        return ["-" * 20]
    if kind == "blockquote":
        return ["> " + line if line else ">" for line in _blocks(node.children)]
    if kind in ("bullet_list", "ordered_list"):
        lines: list[str] = []
        start = int(str(node.attrs.get("start", 1)))
        for number, item in enumerate(node.children, start=start):
            marker = f"{number}. " if kind == "ordered_list" else "- "
            item_lines = _blocks(item.children, separator=[])
            for index, line in enumerate(item_lines or [""]):
                lines.append((marker if index == 0 else " " * len(marker)) + line if line else "")
        return lines
    return _blocks(node.children)


def _blocks(nodes: list[SyntaxTreeNode], separator: list[str] | None = None) -> list[str]:
    gap = [""] if separator is None else separator
    lines: list[str] = []
    for node in nodes:
        block = _block_lines(node)
        if not block:
            continue
        if lines:
            lines.extend(gap)
        lines.extend(block)
    return lines


def render_text(markdown: str) -> str:
    """The plain-text part: readable text with links written out."""
    tree = SyntaxTreeNode(_tokens(markdown))
    return "\n".join(line.rstrip() for line in _blocks(tree.children)).strip() + "\n"


# Opting out --------------------------------------------------------------------------------------------


def unsubscribe_token(network: Network, email: str) -> str:
    # No expiry: a newsletter in someone's inbox must still let them opt out years later.
    return signing.dumps([network.pk, email.strip().lower()], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(network id, e-mail) from a token made by `unsubscribe_token`, or None when it was altered."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    match value:
        case [int(network_id), str(email)]:
            return network_id, email
    return None


def unsubscribe_url(network: Network, email: str) -> str:
    """Absolute, signed link that opts `email` out of the network's newsletters (no login needed)."""
    return base_url() + reverse("newsletters:unsubscribe", args=[unsubscribe_token(network, email)])


# The message -------------------------------------------------------------------------------------------


def absolute_images(html: str) -> str:
    """Image addresses made absolute: a mail client has no page to resolve a relative one against."""
    prefix = image_prefix()
    return html.replace(f'src="{prefix}', f'src="{base_url()}{prefix}')


def sender(network: Network) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((network.name, address))


def build_message(newsletter: Newsletter, email: str) -> EmailMultiAlternatives:
    """The message to one recipient from the frozen `sent_html`/`sent_text`: the network's name as sender
    name, HTML and text parts, List-Unsubscribe (mailto-free https link) and List-Unsubscribe-Post:
    List-Unsubscribe=One-Click headers, the unsubscribe link in the footer of both parts."""
    network = newsletter.network
    body_html = newsletter.sent_html or str(render_html(newsletter.body))
    body_text = newsletter.sent_text or render_text(newsletter.body)
    link = unsubscribe_url(network, email)
    with translation.override(settings.LANGUAGE_CODE):
        context: dict[str, object] = {
            "subject": newsletter.subject,
            "network": network,
            "chapter": newsletter.chapter,
            "body_html": mark_safe(absolute_images(body_html)),  # noqa: S308 - sanitised by render_html
            "body_text": body_text,
            "unsubscribe_url": link,
        }
        text = render_to_string("newsletters/email/message.txt", context)
        html = render_to_string("newsletters/email/message.html", context)
    from_address = sender(network)
    domain = parseaddr(from_address)[1].rpartition("@")[2] or None
    message = EmailMultiAlternatives(
        newsletter.subject,
        text,
        from_address,
        [email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": make_msgid(domain=domain),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def freeze(newsletter: Newsletter) -> None:
    """Render `body` into `sent_html`/`sent_text` (the caller saves), so the archive and every recipient get
    exactly what was queued."""
    newsletter.sent_html = str(render_html(newsletter.body))
    newsletter.sent_text = render_text(newsletter.body)

"""Images for newsletters: checked by content on upload, served without login as exactly that type."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.newsletters.models import NewsletterImage
from fagnett.newsletters.services import MAX_IMAGE_BYTES
from tests.conftest import login
from tests.helpers import nb

SLUG = "barnepalliasjon"
UPLOAD = reverse("newsletters:image_upload", args=[SLUG])
NOT_AN_IMAGE = "The file is not an image Fagnett can use. Upload a PNG, JPEG, GIF or WebP image."
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def image_bytes(kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(
    client: Client, name: str, content: bytes, alt: str = "Deltakere på samlingen", **extra: str
) -> str:
    file = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(UPLOAD, {"file": file, "alt_text": alt}, **extra).content.decode()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "content_type", "extension"),
    [
        ("PNG", "image/png", "png"),
        ("JPEG", "image/jpeg", "jpg"),
        ("GIF", "image/gif", "gif"),
        ("WEBP", "image/webp", "webp"),
    ],
)
def test_the_coordinator_uploads_an_image_and_gets_its_markdown(
    client: Client, alice: User, kind: str, content_type: str, extension: str
) -> None:
    content = upload(login(client, alice), f"bilde.{extension}", image_bytes(kind))
    image = NewsletterImage.objects.get()
    assert image.content_type == content_type
    assert image.file.name.endswith(f"/{image.token}.{extension}")
    assert image.uploaded_by == alice
    assert f"![Deltakere på samlingen](/nyhetsbrev/bilde/{image.token})" in content


def test_a_png_named_jpg_is_accepted_as_the_png_it_is(client: Client, alice: User) -> None:
    upload(login(client, alice), "feil-navn.jpg", image_bytes("PNG"))
    image = NewsletterImage.objects.get()
    assert image.content_type == "image/png"
    assert image.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("side.png", b"<html><script>alert(1)</script></html>"),
        ("tegning.svg", SVG),
        ("tegning.png", SVG),
        ("tom.png", b""),
        ("dokument.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    ],
)
def test_a_file_that_is_not_a_usable_image_is_refused(
    client: Client, alice: User, name: str, content: bytes
) -> None:
    page = upload(login(client, alice), name, content)
    assert not NewsletterImage.objects.exists()
    assert nb(NOT_AN_IMAGE) in page or nb("The submitted file is empty.") in page


def test_an_image_over_5_mb_is_refused(client: Client, alice: User) -> None:
    big = image_bytes("PNG") + b"\0" * MAX_IMAGE_BYTES
    page = upload(login(client, alice), "stor.png", big)
    assert not NewsletterImage.objects.exists()
    assert nb("The image is larger than 5 MB. Make it smaller and try again.") in page


def test_alt_text_is_required(client: Client, alice: User) -> None:
    page = upload(login(client, alice), "bilde.png", image_bytes(), alt="  ")
    assert not NewsletterImage.objects.exists()
    assert nb("Describe the image for those who cannot see it.") in page


def test_the_upload_is_audited_without_the_file_name(client: Client, alice: User) -> None:
    upload(login(client, alice), "hemmelig-navn.png", image_bytes())
    entry = AuditEntry.objects.get(action="newsletters.image_uploaded")
    assert entry.actor == alice
    assert "hemmelig" not in f"{entry.target_label} {entry.data} {entry.fields}"


def test_with_htmx_only_the_image_panel_comes_back(client: Client, alice: User) -> None:
    content = upload(login(client, alice), "bilde.png", image_bytes(), HTTP_HX_REQUEST="true")
    assert content.lstrip().startswith('<section class="fn-section" id="fn-images"')
    assert "<html" not in content


def test_the_chapter_coordinator_may_upload(client: Client, carl: User) -> None:
    upload(login(client, carl), "bilde.png", image_bytes())
    assert NewsletterImage.objects.count() == 1


@pytest.mark.parametrize("persona", ["rita", "lena", "rolf", "charlie", "nobody"])
def test_others_get_404_and_store_nothing(
    client: Client, rita: User, lena: User, rolf: User, charlie: User, nobody: User, persona: str
) -> None:
    user = {"rita": rita, "lena": lena, "rolf": rolf, "charlie": charlie, "nobody": nobody}[persona]
    login(client, user)
    assert client.get(UPLOAD).status_code == 404
    client.post(UPLOAD, {"file": SimpleUploadedFile("b.png", image_bytes()), "alt_text": "x"})
    assert not NewsletterImage.objects.exists()


def test_the_compose_page_lists_the_networks_images_with_their_markdown(client: Client, alice: User) -> None:
    login(client, alice)
    upload(client, "bilde.png", image_bytes(), alt="Kursdag")
    image = NewsletterImage.objects.get()
    content = client.get(reverse("newsletters:create", args=[SLUG])).content.decode()
    assert f'value="![Kursdag](/nyhetsbrev/bilde/{image.token})"' in content


def test_an_image_is_served_without_login_with_safe_headers(client: Client, alice: User) -> None:
    upload(login(client, alice), "bilde.png", image_bytes())
    image = NewsletterImage.objects.get()
    client.logout()
    response = client.get(reverse("newsletters:image", args=[image.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert response.getvalue() == image_bytes()


def test_an_unknown_image_token_is_404(client: Client, network: Network) -> None:
    assert client.get(reverse("newsletters:image", args=["finnes-ikke"])).status_code == 404


def test_a_stored_svg_is_never_served(client: Client, network: Network) -> None:
    image = NewsletterImage(network=network, content_type="image/svg+xml", alt_text="tegning")
    image.file.save("x.svg", ContentFile(SVG), save=True)
    assert client.get(reverse("newsletters:image", args=[image.token])).status_code == 404

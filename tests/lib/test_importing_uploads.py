"""Uploads waiting between preview and confirm (lib/importing.store_upload and friends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings

from fagnett.lib.importing import discard_upload, load_upload, store_upload


@pytest.fixture(autouse=True)
def media(settings: LazySettings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("name", ["rapport.csv", "skjema.json"])
def test_an_upload_comes_back_as_stored_whatever_its_extension(name: str) -> None:
    stored = store_upload(b'{"a": 1}', name, kind="test", network_id=7, user_id=3)

    loaded = load_upload(stored.pk, kind="test", network_id=7, user_id=3)

    assert loaded is not None
    assert (loaded.name, loaded.read()) == (name, b'{"a": 1}')


def test_an_upload_is_only_found_by_its_own_kind_network_and_uploader() -> None:
    stored = store_upload(b"x", "a.csv", kind="test", network_id=7, user_id=3)

    assert load_upload(stored.pk, kind="other", network_id=7, user_id=3) is None
    assert load_upload(stored.pk, kind="test", network_id=8, user_id=3) is None
    assert load_upload(stored.pk, kind="test", network_id=7, user_id=4) is None


def test_a_discarded_upload_leaves_no_file_behind(media: Path) -> None:
    stored = store_upload(b"x", "skjema.json", kind="test", network_id=7, user_id=3)

    discard_upload(stored)

    assert load_upload(stored.pk, kind="test", network_id=7, user_id=3) is None
    assert list((media / "imports").iterdir()) == []

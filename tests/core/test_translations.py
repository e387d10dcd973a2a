from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "fagnett"
CATALOGUE = SRC / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def test_the_committed_nb_catalogue_has_no_untranslated_or_fuzzy_entries() -> None:
    po = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_every_translation_keeps_only_placeholders_its_message_has() -> None:
    # A translation with a placeholder the code does not pass raises KeyError on the page; one cut to a few
    # letters (a plural filled from a plain string) shows users nonsense. Both happen only by mistake.
    po = polib.pofile(str(CATALOGUE))
    wrong = []
    for entry in po:
        placeholders = set(re.findall(r"%\((\w+)\)", entry.msgid + (entry.msgid_plural or "")))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            cut = bool(entry.msgid_plural) and len(form) <= 2
            if cut or not set(re.findall(r"%\((\w+)\)", form)) <= placeholders:
                wrong.append((entry.msgid, form))
    assert wrong == []


def test_every_string_in_the_code_is_in_the_nb_catalogue(tmp_path: Path) -> None:
    # Skipped only off CI: .ci/run installs gettext, so in CI a missing xgettext fails the test instead.
    if shutil.which("xgettext") is None and not os.environ.get("CI"):
        pytest.skip("GNU gettext is not installed here (CI installs it); cannot extract strings to compare")
    copy = tmp_path / "fagnett"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "data"))
    # makemessages writes into ./locale of the working directory when LOCALE_PATHS points elsewhere; the
    # copy keeps the committed catalogue, so translated entries survive and only new strings show up empty.
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='fagnett.settings'; django.setup();"
        "from django.conf import settings; settings.LOCALE_PATHS=[];"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['nb'], no_location=True, no_obsolete=True, verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", script], cwd=copy, check=True)
    po = polib.pofile(str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"Run `make messages` and translate: {missing}"

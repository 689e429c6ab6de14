"""The zh-Hans catalogue covers every msgid in the source; django.mo is django.po compiled.

Extraction is makemessages itself (the project's command, run inside the package so references read
"accounts/admin.py:35"), on a temporary copy of the package: the repository's files are never
rewritten.
When this fails, run `make messages` (scripts/messages.sh) and translate what it prints.
"""

import gettext
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import villagemarket

PACKAGE = Path(villagemarket.__file__).resolve().parent
MESSAGES = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"
FIX = "run `make messages` (scripts/messages.sh), translate what it prints in django.po, and commit"

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgfmt") is None,
    reason="xgettext/msgfmt missing (Debian's gettext); scripts/test.sh and .ci/run install it",
)

# A settings module for the copy: the project's, with LOCALE_PATHS pointing at the copy's locale,
# so that makemessages cannot write to the repository's catalogue whatever directory walk it does.
COPY_SETTINGS = """\
from villagemarket.config.settings import *  # noqa: F403
LOCALE_PATHS = [{locale!r}]
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


ENTRY = re.compile(r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)', re.MULTILINE)


def _entries(po_text: str) -> list[str]:
    """The msgids (with their context) of a .po text, one line each, the header left out."""

    def joined(quoted: str) -> str:
        return "".join(line[1:-1] for line in quoted.splitlines())

    found = []
    for match in ENTRY.finditer(po_text):
        ctx, msgid = joined(match.group(1) or ""), joined(match.group(2))
        if msgid:
            found.append(f"[{ctx}] {msgid}" if ctx else msgid)
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """django.po after makemessages ran over a copy of the source: the catalogue to come."""
    root = tmp_path_factory.mktemp("catalogue")
    copy = root / "villagemarket"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "static", "media", "*.sqlite3*", "*.mo"),
    )
    settings_file = root / "vm_catalogue_settings.py"
    settings_file.write_text(COPY_SETTINGS.format(locale=str(copy / "locale")))
    before = _digest(PO)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "vm_catalogue_settings",
    }
    result = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "-v", "0"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert _digest(PO) == before, "makemessages must only touch the temporary copy"
    return copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _msgattrib(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(  # noqa: S603 - gettext, fixed arguments
        [shutil.which("msgattrib") or "msgattrib", "--no-obsolete", "--no-wrap", *flags, str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return _entries(out)


def test_every_msgid_in_the_source_is_in_the_catalogue_and_translated(extracted):
    # given the catalogue as makemessages would refresh it from today's source
    # when we look for what has no Chinese yet (new msgids come in untranslated or fuzzy-matched)
    untranslated = _msgattrib(extracted, "--untranslated")
    fuzzy = _msgattrib(extracted, "--only-fuzzy")
    # then there is nothing: every string a user can see has its zh-Hans text
    assert not untranslated, f"{len(untranslated)} msgid(s) without zh-Hans; {FIX}:\n" + "\n".join(
        untranslated[:40]
    )
    assert not fuzzy, f"{len(fuzzy)} fuzzy (unchecked) zh-Hans entries; {FIX}:\n" + "\n".join(
        fuzzy[:40]
    )


def test_the_committed_catalogue_has_no_untranslated_or_fuzzy_entry():
    untranslated = _msgattrib(PO, "--untranslated")
    fuzzy = _msgattrib(PO, "--only-fuzzy")
    assert not untranslated and not fuzzy, f"{FIX}:\n" + "\n".join((untranslated + fuzzy)[:40])


def test_django_mo_is_django_po_compiled(tmp_path):
    # given django.po compiled now, with the format checks compilemessages makes
    fresh = tmp_path / "django.mo"
    result = subprocess.run(  # noqa: S603 - gettext, fixed arguments
        [shutil.which("msgfmt") or "msgfmt", "--check-format", "-o", str(fresh), str(PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"django.po does not compile: {result.stderr}"
    # when both are read as Django reads them
    with fresh.open("rb") as f:
        expected = gettext.GNUTranslations(f)._catalog
    with MO.open("rb") as f:
        committed = gettext.GNUTranslations(f)._catalog
    # then they say the same (compared by content: msgfmt versions may lay the bytes out
    # differently, and file times mean nothing after a checkout)
    stale = sorted(str(k) for k in set(expected) ^ set(committed))
    stale += sorted(str(k) for k in set(expected) & set(committed) if expected[k] != committed[k])
    assert not stale, "django.mo is not django.po compiled; run `make messages`:\n" + "\n".join(
        stale[:40]
    )

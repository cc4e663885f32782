"""The French, Spanish, Swahili and Arabic catalogues are complete, not fuzzy, compiled, and
up to date with the source; pages switch language by Accept-Language, cookie or ?lang=."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "visiblework"
LOCALES = ["fr", "es", "sw", "ar"]


def catalogue(lang: str):
    with open(PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", LOCALES)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    problems = []
    for message in catalogue(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, f"{lang}: {len(problems)} problems, e.g.\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("lang", LOCALES)
def test_the_compiled_catalogue_matches_the_source(lang):
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    def context(value):  # Babel's read_mo gives the context as bytes
        return value.decode() if isinstance(value, bytes) else value

    # the same msgid can appear in several contexts (pgettext), each with its own translation
    with open(PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = {(context(m.context), key(m.id)): key(m.string) for m in read_mo(handle) if m.id}
    source = {(m.context, key(m.id)): key(m.string) for m in catalogue(lang)
              if m.id and not m.fuzzy}
    assert compiled == source, f"run: cd src/visiblework && django-admin compilemessages -l {lang}"


def test_the_catalogues_hold_every_marked_string(tmp_path):
    """Extract the messages afresh and compare: a new string without a translation fails."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext is missing: .ci/run must apt-get install gettext")
        pytest.skip("xgettext (gettext) is not installed")
    copy = tmp_path / "visiblework"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "fr",
                    "--ignore=benchmarks/*", "--no-location"], cwd=copy, check=True,
                   capture_output=True, env={**os.environ,
                                             "DJANGO_SETTINGS_MODULE": "visiblework.settings"})
    with open(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po", "rb") as handle:
        fresh = {m.id for m in read_po(handle) if m.id}
    committed = {m.id for m in catalogue("fr") if m.id}
    missing = fresh - committed
    assert not missing, ("strings not in the catalogues (run makemessages and translate): "
                         + repr(sorted(map(str, missing))[:20]))


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LOCALES)
def test_pages_speak_the_language_asked_for(vocabularies, client, lang):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Browse cases" in english
    by_header = client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'<html lang="{lang}"' in by_header and "Browse cases" not in by_header
    assert ('dir="rtl"' in by_header) == (lang == "ar")
    fresh = type(client)()
    by_address = fresh.get("/cases/", {"lang": lang})
    assert f'<html lang="{lang}"' in by_address.content.decode()
    # the choice is remembered for the next page
    assert f'<html lang="{lang}"' in fresh.get("/about/data-use/").content.decode()
    for code in LOCALES:
        assert f'hreflang="{code}"' in by_header

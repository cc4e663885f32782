"""Counts take the plural form each language needs (Arabic has six), words that mean
different things in different places are translated apart (message contexts), and the
restore prompt understands "yes" in any language."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext, pgettext

from visiblework.core.management.commands.restore import Command as Restore


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, "0 عامل"),
        (1, "عامل واحد"),
        (2, "عاملان"),
        (3, "3 عمال"),
        (11, "11 عاملًا"),
        (100, "100 عامل"),
    ],
)
def test_arabic_counts_use_all_six_plural_forms(n, expected):
    with translation.override("ar"):
        assert ngettext("%(n)s worker", "%(n)s workers", n) % {"n": n} == expected


@pytest.mark.parametrize(
    "lang, one, many",
    [
        ("fr", "1 travailleur", "5 travailleurs"),
        ("es", "1 trabajador", "5 trabajadores"),
        ("sw", "mfanyakazi 1", "wafanyakazi 5"),
    ],
)
def test_a_count_of_one_is_singular_and_of_five_plural(lang, one, many):
    with translation.override(lang):
        assert ngettext("%(n)s worker", "%(n)s workers", 1) % {"n": 1} == one
        assert ngettext("%(n)s worker", "%(n)s workers", 5) % {"n": 5} == many


def test_the_language_button_and_the_history_column_are_translated_apart():
    with translation.override("fr"):
        button = pgettext("button: switch to the chosen language", "Change")
        column = pgettext("column heading: what a revision changed", "Change")
    assert (button, column) == ("Changer de langue", "Modification")


def test_a_release_status_and_a_release_date_label_are_translated_apart():
    with translation.override("fr"):
        assert pgettext("the date a release was published on", "Published") == "Publié le"
    with translation.override("es"):
        assert pgettext("status of a release", "Published") == "Publicada"


@pytest.mark.parametrize(
    "lang, word", [("en", "yes"), ("fr", "oui"), ("es", "sí"), ("sw", "ndiyo"), ("ar", "نعم")]
)
def test_the_restore_prompt_accepts_yes_and_the_word_for_it_in_the_readers_language(
    monkeypatch, capsys, lang, word
):
    answers = iter([word, "yes", "no"])
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(answers))
    command = Restore()
    with translation.override(lang):
        assert command._confirmed(Path("backup.sqlite3"), "db.sqlite3")
        assert command._confirmed(Path("backup.sqlite3"), "db.sqlite3")
        assert not command._confirmed(Path("backup.sqlite3"), "db.sqlite3")
    assert word in prompts[0] and "yes" in prompts[0]

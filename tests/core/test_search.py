"""Full-text helpers of the ground floor: reading user text into words and phrases, and
escaping marked snippets."""

from hypothesis import given, settings
from hypothesis import strategies as st

from visiblework.core.search import (
    WORD,
    _words,
    highlight,
    index_text,
    parse_query,
    snippet,
    stem,
)


def test_it_keeps_words_and_phrases_and_drops_operators():
    assert parse_query('kenya "data workers" -toxic*').groups == (
        ("kenya",), ("data", "workers"), ("toxic",))
    assert parse_query("!!! *** ---").is_empty
    assert parse_query("عمال البيانات").groups == (("عمال",), ("البيانات",))


def test_highlight_escapes_html_around_marks():
    assert highlight("<script>\x02x\x03</script>") == "&lt;script&gt;<mark>x</mark>&lt;/script&gt;"


def test_word_forms_and_british_and_american_spellings_share_one_stem():
    assert stem("labelling") == stem("labeling") == stem("labelled")
    assert stem("moderator") == stem("moderation") == stem("moderators")
    assert stem("organise") == stem("organize") == stem("organisation")
    assert stem("labour") == stem("labor")
    assert stem("Résumé") == stem("resume")


def test_indexed_text_is_the_stems_of_its_words_and_keeps_words_with_marks_whole():
    assert index_text("Organising labour, in Nairobi!") == "organiz labor in nairobi"
    assert len(index_text("हिन्दी لَقَدْ").split()) == 2
    assert parse_query("हिन्दी").groups == (("हिन्दी",),)


def test_a_snippet_marks_the_words_as_written_when_their_stem_matches():
    found = snippet("Two moderators left; moderation went on.", {stem("moderator")}, None)
    assert found == "Two <mark>moderators</mark> left; <mark>moderation</mark> went on"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab_ 9\u0301\u0651كे\u093f-.\u00a0\n")), max_size=30))
def test_the_words_of_a_text_are_its_runs_of_letters_marks_and_digits(text):
    assert _words(text) == WORD.findall(text)

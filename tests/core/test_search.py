"""Full-text helpers of the ground floor: reading user text into words and phrases, and
escaping marked snippets."""

from visiblework.core.search import highlight, parse_query


def test_it_keeps_words_and_phrases_and_drops_operators():
    assert parse_query('kenya "data workers" -toxic*').groups == (
        ("kenya",), ("data", "workers"), ("toxic",))
    assert parse_query("!!! *** ---").is_empty
    assert parse_query("عمال البيانات").groups == (("عمال",), ("البيانات",))


def test_highlight_escapes_html_around_marks():
    assert highlight("<script>\x02x\x03</script>") == "&lt;script&gt;<mark>x</mark>&lt;/script&gt;"

"""core.text.strip_markup: contributed text keeps its words and loses every tag."""

import pytest

from visiblework.core.text import strip_markup


@pytest.mark.parametrize(("typed", "kept"), [
    ("Pay cut <script>alert(1)</script>", "Pay cut "),
    ("Hidden <img src=x onerror=alert(1)>work", "Hidden work"),
    ("&lt;b&gt;bold&lt;/b&gt;", "bold"),
    ("<<script>script>alert(1)<</script>/script>", ""),
])
def test_it_removes_every_tag_even_written_as_entities(typed, kept):
    assert strip_markup(typed) == kept


@pytest.mark.parametrize("typed", ["3 < 5 & 6 > 2", "AT&T", "**Markdown** [a link](https://a.b)",
                                   "line one\nline two"])
def test_it_keeps_text_that_is_not_markup_as_typed(typed):
    assert strip_markup(typed) == typed

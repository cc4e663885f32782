"""Template tags of every page: the scroll box of a wide table, a captured block, dates."""

import pytest
from django.template import Context, Template
from django.utils import translation


def render(text: str, **context) -> str:
    return Template("{% load vw %}" + text).render(Context(context))


def test_a_wide_table_scrolls_in_a_named_focusable_region_of_its_own():
    with translation.override("fr"):
        html = render('{% scroll_region "Cells" 2024 %}<table></table></div>')
    assert html.startswith('<div class="table-scroll" role="region" tabindex="0" '
                           'aria-label="Tableau : Cells 2024">')


def test_the_region_name_is_escaped():
    assert 'aria-label="Table: &lt;b&gt;"' in render("{% scroll_region name %}", name="<b>")


def test_capture_renders_its_content_once_into_a_variable():
    html = render("{% capture as t %} A &amp; {{ x }} {% endcapture %}[{{ t }}|{{ t }}]", x="<i>")
    assert html == "[A &amp; &lt;i&gt;|A &amp; &lt;i&gt;]"


def test_when_writes_partial_dates_in_the_readers_language():
    with translation.override("es"):
        assert render("{{ d|when }}", d="2019-05") == "may 2019"


@pytest.mark.parametrize("value,text", [(1e-6, "10⁻⁶"), (0.0, "0"), (2e-7, "2 × 10⁻⁷"),
                                        (1e-10, "10⁻¹⁰"), ("n/a", "n/a")])
def test_small_numbers_are_written_as_powers_of_ten(value, text):
    from visiblework.core.templatetags.vw import small_number

    with translation.override("en"):
        assert small_number(value) == text


def test_a_list_is_written_in_the_readers_language():
    with translation.override("fr"):
        assert render("{{ v|listing }}", v=["a", "b", "c"]) == "a, b et c"

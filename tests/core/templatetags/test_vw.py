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


def test_a_part_kept_for_anonymous_readers_is_rendered_once_per_language():
    text = '{% same_for_anonymous "nav" %}{{ x }}{% end_same_for_anonymous %}'
    assert render(text, x="first") == "first"
    assert render(text, x="second") == "first"  # kept
    with translation.override("fr"):
        assert render(text, x="second") == "second"


def test_a_part_kept_for_anonymous_readers_is_rendered_afresh_for_a_signed_in_one():
    class SignedIn:
        is_authenticated = True

    text = '{% same_for_anonymous "nav" %}{{ x }}{% end_same_for_anonymous %}'
    assert render(text, x="anonymous") == "anonymous"
    assert render(text, x="signed in", user=SignedIn()) == "signed in"
    assert render(text, x="later") == "anonymous"


@pytest.mark.django_db
def test_the_site_navigation_follows_the_reader(client, django_user_model):
    from visiblework.accounts.models import Role

    anonymous = client.get("/about/data-use/").content.decode()
    assert "Sign in" in anonymous and "My reports" not in anonymous
    french = client.get("/about/data-use/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter" in french and "Sign in" not in french
    worker = django_user_model.objects.create_user("w", password="x" * 12, role=Role.WORKER)
    client.force_login(worker)
    signed_in = client.get("/about/data-use/").content.decode()
    assert "My reports" in signed_in and "Sign in" not in signed_in

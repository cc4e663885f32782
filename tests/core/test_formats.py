"""Money, counts, shares and quarters are written the way each language writes them (Babel,
CLDR), in helpers, template filters, SVG charts and whole pages."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.insights.test_pages import make_release
from visiblework.core import formats
from visiblework.core.charts import bar_chart

NBSP, NNBSP, RLM = "\u00a0", "\u202f", "\u200f"


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """The pages below are asked for in other languages, which stay active in this thread."""
    yield
    translation.deactivate()


# What Babel (CLDR) writes for 7.25 US dollars in each language of the site. CLDR's Arabic
# uses Latin digits by default, with a right-to-left mark before the amount.
SEVEN_TWENTY_FIVE = {
    "en": "US$7.25",
    "fr": f"7,25{NBSP}$US",
    "es": f"7,25{NBSP}US$",
    "sw": f"US${NBSP}7.25",
    "ar": f"{RLM}7.25{NBSP}US$",
}


def test_a_wage_is_shown_with_a_comma_decimal_in_french():
    assert formats.money(Decimal("7.25"), "USD", language="fr") == f"7,25{NBSP}$US"


def test_english_names_the_us_dollar_so_it_is_not_mistaken_for_another_dollar():
    assert formats.money(7.25, language="en") == "US$7.25"


@pytest.mark.parametrize("lang", sorted(SEVEN_TWENTY_FIVE))
def test_every_language_writes_a_dollar_amount_its_own_way(lang):
    assert formats.money(7.25, "USD", language=lang) == SEVEN_TWENTY_FIVE[lang]


def test_arabic_keeps_babels_latin_digits_and_a_right_to_left_mark():
    shown = formats.money(1234.5, "USD", language="ar")
    assert shown == f"{RLM}1,234.50{NBSP}US$"
    assert not any("\u0660" <= ch <= "\u0669" for ch in shown)  # no Arabic-Indic digits


def test_the_active_language_is_used_when_none_is_given():
    with translation.override("es"):
        assert formats.money(7.25) == f"7,25{NBSP}US$"
    with translation.override("fr"):
        assert formats.money(7.25) == f"7,25{NBSP}$US"


def test_a_local_currency_keeps_its_own_sign_and_its_own_number_of_decimals():
    assert formats.money(147.83, "KES", language="sw") == f"Ksh{NBSP}147.83"
    assert formats.money(1000, "JPY", language="fr") == f"1{NNBSP}000{NBSP}JPY"


def test_a_small_amount_can_keep_four_decimals():
    assert formats.money(0.008333, digits=4, language="en") == "US$0.0083"
    assert formats.money(0.008333, digits=4, language="fr") == f"0,0083{NBSP}$US"


def test_large_counts_are_grouped_the_way_the_reader_groups_digits():
    assert formats.number(1234567, language="en") == "1,234,567"
    assert formats.number(1234567, language="fr") == f"1{NNBSP}234{NNBSP}567"
    assert formats.number(1234567, language="es") == "1.234.567"
    assert formats.number(1234567, language="ar") == "1,234,567"


def test_a_number_has_exactly_the_decimals_asked_for_or_only_those_it_needs():
    assert formats.number(14.5, 2, language="fr") == "14,50"
    assert formats.number(Decimal("30.25"), None, language="en") == "30.25"
    assert formats.number(1.0, None, language="fr") == "1,0"  # a privacy parameter ε keeps its decimal
    assert formats.number(24, None, language="en") == "24"


def test_a_share_is_a_percentage_with_the_readers_spacing():
    assert formats.percent(0.25, language="en") == "25%"
    assert formats.percent(0.25, language="fr") == f"25{NBSP}%"
    assert formats.percent(0.25, language="es") == f"25{NBSP}%"


def test_a_missing_value_is_a_dash_not_zero():
    assert formats.money(None) == formats.number(None) == formats.percent(None) == "—"


def test_a_quarter_is_named_the_way_the_reader_names_it():
    assert formats.quarter(2023, 2, language="en") == "Q2 2023"
    assert formats.quarter(2023, 2, language="fr") == "T2 2023"
    assert formats.quarter(2023, 2, language="ar") == "الربع الثاني 2023"


def test_a_list_is_joined_with_the_readers_word_for_and():
    assert formats.join(["a", "b", "c"], language="en") == "a, b and c"
    assert formats.join(["a", "b"], language="fr") == "a et b"
    assert formats.join(["a", "b"], language="sw") == "a na b"


def test_an_unknown_language_falls_back_to_international_english():
    assert formats.money(7.25, language="xx") == "US$7.25"


def test_the_template_filters_format_in_the_active_language():
    template = Template(
        "{% load vw %}{{ wage|money }} | {{ wage|money:'KES' }} | "
        "{{ small|money:4 }} | {{ count|number }} | {{ wage|number:2 }} | "
        "{{ share|percent }} | {% quarter 2024 1 %}"
    )
    context = Context({"wage": Decimal("7.25"), "small": 0.008333, "count": 12345, "share": 0.5})
    with translation.override("fr"):
        assert template.render(context) == (
            f"7,25{NBSP}$US | 7,25{NBSP}KES | 0,0083{NBSP}$US | 12{NNBSP}345 | 7,25 | 50{NBSP}% | T1 2024"
        )


def test_a_value_that_is_not_a_number_is_shown_as_it_is_by_the_filters():
    template = Template("{% load vw %}{{ v|number:None }} {{ v|money }} {{ v|percent }}")
    assert template.render(Context({"v": "n/a"})) == "n/a n/a n/a"


def test_chart_labels_use_the_same_formats_as_the_tables():
    with translation.override("fr"):
        svg = bar_chart([("Modération", [7.25])], ["Médiane"], unit="USD", chart_id="c", title="t")
        shares = bar_chart([("Modération", [25.0])], ["Part"], unit="%", chart_id="p", title="t")
    assert f"7,25{NBSP}$US" in svg and f"25{NBSP}%" in shares


# --- Whole pages, one per language ---------------------------------------------------------------

WORTH = {"captchas": "360", "content_reports": "120"}  # 3.00 + 4.00 US$ a week


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, week, year",
    [
        ("en", "US$7.00", "US$364.00"),
        ("fr", f"7,00{NBSP}$US", f"364,00{NBSP}$US"),
        ("es", f"7,00{NBSP}US$", f"364,00{NBSP}US$"),
        ("sw", f"US${NBSP}7.00", f"US${NBSP}364.00"),
        ("ar", f"{RLM}7.00{NBSP}US$", f"{RLM}364.00{NBSP}US$"),
    ],
)
def test_the_worth_page_shows_money_the_way_each_language_writes_it(
    catalogue, anonymous, settings, lang, week, year
):
    settings.VISIBLEWORK_REFERENCE_WAGE_USD = "7.25"
    make_release()
    html = anonymous.get("/insights/worth/", {**WORTH, "lang": lang}).content.decode()
    assert f'<html lang="{lang}"' in html
    assert week in html and year in html
    # the per-item values keep four decimals: 3.00 US$ an hour × 10 s
    assert formats.money(3.0 * 10 / 3600, digits=4, language=lang) in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, median, share",
    [
        ("en", "14.50", "25%"),
        ("fr", "14,50", f"25{NBSP}%"),
        ("es", "14,50", f"25{NBSP}%"),
        ("sw", "14.50", "25%"),
        ("ar", "14.50", "25%"),
    ],
)
def test_the_insights_page_writes_numbers_and_shares_in_the_readers_language(
    catalogue, anonymous, lang, median, share
):
    make_release()
    html = anonymous.get("/insights/", {"lang": lang}).content.decode()
    assert f'<html lang="{lang}"' in html
    assert f"<td>{median}" in html and f"<td class=\"num\">{share}</td>" in html


@pytest.mark.parametrize(
    "lang, full, month",
    [("en", "7 May 2019", "May 2019"), ("fr", "7 mai 2019", "mai 2019"),
     ("es", "7 may 2019", "may 2019"), ("sw", "7 Mei 2019", "Mei 2019"),
     ("ar", "7 مايو 2019", "مايو 2019")],
)
def test_it_writes_a_date_one_way_per_language_keeping_the_precision_of_the_data(lang, full, month):
    from datetime import date as day

    assert formats.when("2019-05-07", language=lang) == full
    assert formats.when(day(2019, 5, 7), language=lang) == full
    assert formats.when("2019-05", language=lang) == month
    assert formats.when("2019", language=lang) == "2019"


def test_it_writes_a_moment_with_its_hour_on_the_sites_clock():
    from datetime import UTC, datetime

    assert formats.when(datetime(2026, 12, 5, 14, 5, tzinfo=UTC), time=True,
                        language="en") == "5 Dec 2026, 14:05"


def test_it_shows_a_value_that_is_not_a_date_as_it_is():
    assert formats.when("2019-13") == "2019-13"
    assert formats.when("") == formats.EMPTY

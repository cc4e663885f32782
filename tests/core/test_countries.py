"""Country codes: ISO 3166 and the user-assigned codes in common use."""

import pytest

from visiblework.core.countries import (
    code_for_name,
    countries_by_name,
    country_name,
    is_country_code,
)


def test_kosovo_has_a_code_and_a_name():
    assert is_country_code("XK")
    assert country_name("XK", "en") == "Kosovo"


def test_a_code_that_is_not_assigned_is_refused():
    assert not is_country_code("XX")


@pytest.mark.parametrize(("typed", "language", "code"), [
    ("Kenya", "en", "KE"), ("kenya", "en", "KE"), ("Kenia", "es", "KE"), ("كينيا", "ar", "KE"),
    ("États-Unis", "fr", "US"), ("United States", "fr", "US"), ("cote d'ivoire", "en", "CI"),
    ("ke", "en", "KE")])
def test_a_country_is_found_by_its_name_in_the_page_language_english_or_its_code(typed,
                                                                                  language, code):
    assert code_for_name(typed, language) == code


def test_a_name_that_is_no_country_finds_nothing():
    assert code_for_name("Narnia", "en") is None


def test_the_list_of_countries_is_in_the_order_of_their_names():
    names = [name for _, name in countries_by_name("en")]
    assert names.index("Kenya") < names.index("Madagascar") < names.index("United States")
    assert len(names) == 250

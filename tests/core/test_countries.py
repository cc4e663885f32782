"""Country codes: ISO 3166 and the user-assigned codes in common use."""

from visiblework.core.countries import country_name, is_country_code


def test_kosovo_has_a_code_and_a_name():
    assert is_country_code("XK")
    assert country_name("XK", "en") == "Kosovo"


def test_a_code_that_is_not_assigned_is_refused():
    assert not is_country_code("XX")

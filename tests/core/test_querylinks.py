"""Facet links built once per page agree with copying and re-encoding the query string."""

from django.http import QueryDict

from visiblework.core.querylinks import QueryLinks


def _by_copy(query: str, key: str, value: str) -> str:
    params = QueryDict(query, mutable=True)
    values = params.getlist(key)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    params.setlist(key, values)
    for volatile in ("cursor", "page"):
        params.pop(volatile, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def test_adding_and_removing_a_value_gives_the_same_link_as_a_copied_query_string():
    queries = ["", "q=data+workers&region=global-south", "region=global-south&region=x&cursor=abc",
               "q=%D8%B9%D9%85%D8%A7%D9%84&actor=sama&page=3", "country=KE&q=a%26b%3Dc"]
    toggles = [("region", "global-south"), ("region", "new"), ("actor", "sama"),
               ("country", "KE"), ("justice_area", "économie & travail")]
    for query in queries:
        links = QueryLinks(QueryDict(query))
        for key, value in toggles:
            assert links.toggle(key, value) == _by_copy(query, key, value), (query, key, value)


def test_user_text_in_a_link_is_encoded_not_passed_through():
    links = QueryLinks(QueryDict('q="><script>'))
    assert links.toggle("region", "x") == "?q=%22%3E%3Cscript%3E&region=x"


def test_a_link_can_drop_keys_or_set_one_value():
    links = QueryLinks(QueryDict("q=kenya&year_from=2019&year_to=2023&region=global-south"))
    assert links.without("year_from", "year_to") == "?q=kenya&region=global-south"
    assert links.replace("q", "kenia") == "?q=kenia&year_from=2019&year_to=2023&region=global-south"
    assert links.replace("sort", "oldest").endswith("&sort=oldest")

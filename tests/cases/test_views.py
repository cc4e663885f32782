"""The case page: its exact date, dates written one way per language, and what users wrote
isolated on right-to-left pages."""

import pytest

from visiblework.cases.models import Source


@pytest.fixture
def dated(catalogue):
    case = catalogue.cases["kenya"]
    case.date = "2023-05"
    case.save()
    Source.objects.create(case=case, order=9, title="A report", url="https://example.org/r",
                          date="2023-01-18")
    return case


@pytest.mark.django_db
def test_the_case_page_shows_the_exact_date_the_data_holds(dated, anonymous):
    html = anonymous.get(dated.get_absolute_url()).content.decode()
    assert '<time datetime="2023-05">May 2023</time>' in html
    assert '<time datetime="2023-01-18">18 Jan 2023</time>' in html


@pytest.mark.django_db
def test_lists_show_the_exact_date_too(dated, anonymous):
    html = anonymous.get("/cases/?lang=fr").content.decode()
    assert '<time datetime="2023-05">mai 2023</time>' in html


@pytest.mark.django_db
def test_the_case_page_writes_every_date_the_readers_way(dated, anonymous):
    html = anonymous.get(dated.get_absolute_url() + "?lang=ar").content.decode()
    assert '<time datetime="2023-05">مايو 2023</time>' in html
    assert '<time datetime="2023-01-18">18 يناير 2023</time>' in html


@pytest.mark.django_db
def test_on_an_arabic_page_what_users_wrote_is_isolated(dated, anonymous):
    html = anonymous.get(dated.get_absolute_url() + "?lang=ar").content.decode()
    assert f'<h1 dir="auto">{dated.title}</h1>' in html
    assert '<p class="summary" dir="auto">' in html
    listing = anonymous.get("/cases/?lang=ar").content.decode()
    assert f'<h3 dir="auto"><a href="{dated.get_absolute_url()}">{dated.title}</a></h3>' in listing


@pytest.mark.django_db
def test_the_case_page_is_shared_as_an_article(dated, anonymous):
    html = anonymous.get(dated.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{dated.title}">' in html

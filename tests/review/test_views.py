"""The editors' report queue: where publishing and hiding words may send the editor next."""

import pytest

from tests.reports.test_reports import REPORT, post
from visiblework.reports.models import Report


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "javascript:alert(1)", "http://testserver.evil.example/"])
def test_publishing_words_never_follows_a_next_address_to_another_site(catalogue, anonymous,
                                                                       editor, target):
    post(anonymous, REPORT)
    report = Report.objects.get()
    response = editor.post(f"/review/reports/{report.pk}/text/",
                           {"decision": "hidden", "next": target})
    assert response.status_code == 302 and response["Location"] == "/review/reports/"


@pytest.mark.django_db
def test_publishing_words_returns_to_the_page_of_the_queue_it_came_from(catalogue, anonymous,
                                                                        editor):
    post(anonymous, REPORT)
    report = Report.objects.get()
    response = editor.post(f"/review/reports/{report.pk}/text/",
                           {"decision": "hidden", "next": "/review/reports/?page=2"})
    assert response["Location"] == "/review/reports/?page=2"

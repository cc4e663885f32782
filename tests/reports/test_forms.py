"""The report form on the page: required answers marked, number keyboards, essentials first and
optional sections that open when they hold an answer or a problem, and the error summary."""

import re

import pytest

from tests.reports.test_reports import form_data


def _tag(html: str, element_id: str) -> str:
    return re.search(rf'<(?:input|select|textarea)[^>]*id="{element_id}"[^>]*>', html).group(0)


@pytest.mark.django_db
def test_it_marks_each_required_answer_in_its_label_and_its_widget(anonymous):
    html = anonymous.get("/reports/new/").content.decode()
    for name in ("platform", "task_type", "country", "year", "quarter", "pay_amount",
                 "currency", "pay_basis", "paid_hours"):
        assert " required" in _tag(html, f"id_{name}"), name
        label = re.search(rf'<label for="id_{name}">(.*?)</label>', html, re.S).group(1)
        assert '<span class="required">(required)</span>' in label, name
    assert " required" not in _tag(html, "id_client")
    assert " required" not in _tag(html, "id_fees")


@pytest.mark.django_db
def test_it_asks_for_numbers_with_a_number_keyboard(anonymous):
    html = anonymous.get("/reports/new/").content.decode()
    for name in ("pay_amount", "paid_hours", "fees", "costs", "unpaid_training",
                 "harmful_hours_per_week"):
        assert 'inputmode="decimal"' in _tag(html, f"id_{name}"), name
    assert 'inputmode="numeric"' in _tag(html, "id_year")


@pytest.mark.django_db
def test_it_puts_the_essentials_first_and_the_rest_in_closed_optional_sections(anonymous):
    html = anonymous.get("/reports/new/").content.decode()
    assert html.index('id="id_paid_hours"') < html.index("<details")
    sections = re.findall(r'<details class="group" id="section-(\w+)"([^>]*)>', html)
    assert [key for key, _ in sections] == ["unpaid", "costs", "conditions", "ratings", "words"]
    assert all("open" not in attrs for _, attrs in sections)


@pytest.mark.django_db
def test_a_form_shown_again_opens_the_sections_with_answers_and_keeps_them(catalogue, anonymous):
    response = anonymous.post("/reports/new/", form_data(platform="", rating_fair_pay="2",
                                                         fees="3"))
    html = response.content.decode()
    assert response.status_code == 400
    opened = dict(re.findall(r'<details class="group" id="section-(\w+)"([^>]*)>', html))
    assert "open" in opened["ratings"] and "open" in opened["costs"]
    assert "open" in opened["unpaid"] and "open" in opened["words"]
    assert "open" not in opened["conditions"]
    assert 'value="3"' in _tag(html, "id_fees")
    assert '<option value="2" selected>' in html


@pytest.mark.django_db
def test_a_section_with_a_problem_is_shown_open(catalogue, anonymous):
    response = anonymous.post("/reports/new/", form_data(harmful_hours_per_week="lots"))
    opened = dict(re.findall(r'<details class="group" id="section-(\w+)"([^>]*)>',
                             response.content.decode()))
    assert "open" in opened["conditions"]


@pytest.mark.django_db
def test_the_error_summary_takes_the_focus_and_links_each_problem_to_its_field(catalogue,
                                                                               anonymous):
    response = anonymous.post("/reports/new/", form_data(platform="", quarter="",
                                                         pay_amount="lots"))
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary" id="error-summary"([^>]*)>(.*?)</div>',
                        html, re.S)
    assert "autofocus" in summary.group(1) and 'tabindex="-1"' in summary.group(1)
    links = re.findall(r'<a href="#(id_\w+)">([^<]*)</a>', summary.group(2))
    assert [target for target, _ in links] == ["id_platform", "id_quarter", "id_pay_amount"]
    assert links[0][1] == "Platform or company you worked through: Name the platform you worked on."
    assert html.index('id="error-summary"') < html.index('<form class="report-form"')

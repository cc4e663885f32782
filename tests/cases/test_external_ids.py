"""External ids: links back to the sources Visible Work knows, plain text for the others."""

import pytest

from visiblework.cases.external_ids import instance_id, link, looks_like_external_id
from visiblework.cases.models import CaseExternalId, CaseStatus


def test_an_ai_incident_database_id_links_to_its_citation_page():
    assert link("aiid:23").url == "https://incidentdatabase.ai/cite/23/"


def test_an_aiaaic_id_links_to_the_repository():
    assert link("aiaaic:AIAAIC1234").url == "https://www.aiaaic.org/aiaaic-repository"


def test_an_id_of_an_unknown_source_has_no_link():
    assert link("tracker:T-001").url == ""


def test_an_id_is_put_into_its_link_escaped():
    assert link("aiid:1/../x").url == "https://incidentdatabase.ai/cite/1%2F..%2Fx/"


@pytest.mark.parametrize("value,ok", [("aiid:23", True), ("visiblework.example.org:7", True),
                                      ("23", False), (":23", False), ("aiid:", False),
                                      ("AIID:23", False)])
def test_an_external_id_is_a_name_a_colon_and_an_id(value, ok):
    assert looks_like_external_id(value) is ok


def test_a_sites_own_id_is_its_host_and_the_case_number():
    assert instance_id("LocalHost:8000", 7) == "localhost-8000:7"
    assert looks_like_external_id(instance_id("localhost:8000", 7))


@pytest.mark.django_db
def test_the_case_page_links_its_external_ids_back_to_their_sources(catalogue, anonymous):
    kenya = catalogue.cases["kenya"]
    kenya.external_id = "aiid:23"
    kenya.save()
    CaseExternalId.objects.create(case=kenya, external_id="tracker:T-1")
    html = anonymous.get(kenya.get_absolute_url()).content.decode()
    assert 'href="https://incidentdatabase.ai/cite/23/"' in html
    assert "<bdi>tracker:T-1</bdi>" in html


@pytest.mark.django_db
def test_the_api_gives_a_cases_external_ids(catalogue, anonymous):
    kenya = catalogue.cases["kenya"]
    kenya.external_id = "aiid:23"
    kenya.save()
    CaseExternalId.objects.create(case=kenya, external_id="tracker:T-1")
    assert anonymous.get(f"/api/v1/cases/{kenya.pk}").json()["external_ids"] == [
        "aiid:23", "tracker:T-1"]


@pytest.mark.django_db
def test_a_merged_duplicates_address_leads_to_the_kept_case(catalogue, anonymous):
    kept, duplicate = catalogue.cases["kenya"], catalogue.cases["retracted"]
    duplicate.merged_into = kept
    duplicate.save()
    response = anonymous.get(duplicate.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()


@pytest.mark.django_db
def test_a_merged_case_published_again_by_a_revert_keeps_its_page(catalogue, anonymous):
    duplicate = catalogue.cases["retracted"]
    duplicate.merged_into = catalogue.cases["kenya"]
    duplicate.status = CaseStatus.PUBLISHED
    duplicate.save()
    assert anonymous.get(duplicate.get_absolute_url()).status_code == 200

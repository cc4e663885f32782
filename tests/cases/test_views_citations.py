"""BibTeX and RIS files of a case and of the cases a browse page lists."""

import pytest


@pytest.mark.django_db
def test_a_case_page_offers_its_citation_as_bib_and_ris_files(catalogue, anonymous):
    case = catalogue.cases["kenya"]
    html = anonymous.get(case.get_absolute_url()).content.decode()
    assert f'href="/cases/{case.pk}/cite.bib"' in html and f'href="/cases/{case.pk}/cite.ris"' in html
    bib = anonymous.get(f"/cases/{case.pk}/cite.bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert f'filename="visiblework-case-{case.pk}.bib"' in bib["Content-Disposition"]
    assert f"@misc{{visiblework-case-{case.pk}," in bib.content.decode()
    ris = anonymous.get(f"/cases/{case.pk}/cite.ris").content.decode()
    assert ris.startswith("TY  - ELEC") and f"http://testserver{case.get_absolute_url()}" in ris


@pytest.mark.django_db
def test_a_draft_case_or_an_unknown_format_has_no_citation_file(catalogue, anonymous):
    draft = catalogue.cases["draft"]
    assert anonymous.get(f"/cases/{draft.pk}/cite.bib").status_code == 404
    assert anonymous.get(f"/cases/{catalogue.cases['kenya'].pk}/cite.doc").status_code == 404
    assert anonymous.get("/cases/cite.doc").status_code == 404


@pytest.mark.django_db
def test_the_browse_page_offers_the_citations_of_the_cases_it_lists(catalogue, anonymous):
    html = anonymous.get("/cases/?region=global-south").content.decode()
    assert 'href="/cases/cite.bib?region=global-south"' in html
    text = anonymous.get("/cases/cite.bib?region=global-south").content.decode()
    listed = anonymous.get("/api/v1/cases?region=global-south").json()["items"]
    assert text.count("@misc{") == len(listed) > 0
    assert all(f"@misc{{visiblework-case-{c['id']}," in text for c in listed)
    assert anonymous.get("/cases/cite.ris?region=global-south").content.decode().count("TY  - ") \
        == len(listed)

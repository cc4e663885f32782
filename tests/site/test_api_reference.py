"""The API reference page (/api/v1/docs), read from the OpenAPI document."""

import pytest

from visiblework.site.api_reference import reference, reference_from


@pytest.mark.django_db
def test_it_lists_every_operation_of_the_openapi_document_in_the_site_style(anonymous):
    document = anonymous.get("/api/v1/openapi.json").json()
    response = anonymous.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    for path, operations in document["paths"].items():
        for method in operations:
            assert f'<span class="method">{method.upper()}</span> {path}</code>' in html
    assert 'href="/static/vw/site.css"' in html and 'class="brand"' in html  # a way back
    assert "swagger" not in html.lower()
    assert len(response.content) < 60_000


@pytest.mark.django_db
def test_it_shows_parameters_with_their_type_and_choices_and_schemas_with_their_fields(anonymous):
    html = anonymous.get("/api/v1/docs").content.decode()
    assert '<code>Idempotency-Key</code>' in html
    assert 'id="schema-ReportIn"' in html and 'href="#schema-ReportIn"' in html
    assert "<code>per_task</code>" in html  # the choices of an enum


def test_it_reads_arrays_nullable_values_and_references():
    document = {"info": {"title": "T", "version": "1"}, "paths": {"/x/{id}": {"get": {
        "summary": "Get X", "parameters": [{"name": "id", "in": "path", "required": True,
                                            "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/X"}}}}}}}}},
        "components": {"schemas": {"X": {"required": ["a"], "properties": {
            "a": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "b": {"type": "string", "enum": ["one", "two"], "default": "one"}}}}}}
    ref = reference_from(document)
    op = ref.operations[0]
    assert (op.method, op.anchor, op.parameters[0].required) == ("GET", "get-x-id", True)
    assert (op.answers[0].ref, op.answers[0].array) == ("X", True)
    a, b = ref.schemas[0].fields
    assert (a.type, a.nullable, a.required) == ("string", True, True)
    assert (b.choices, b.default, b.required) == (("one", "two"), "one", False)


def test_it_is_built_once_per_process():
    assert reference() is reference()


@pytest.mark.django_db
def test_the_openapi_document_is_still_served_and_the_footer_links_the_reference(anonymous):
    assert anonymous.get("/api/v1/openapi.json").json()["openapi"].startswith("3.")
    assert 'href="/api/v1/docs"' in anonymous.get("/about/data-use/").content.decode()


@pytest.mark.django_db
def test_on_an_arabic_page_the_api_texts_are_marked_english_and_isolated(anonymous):
    html = anonymous.get("/api/v1/docs?lang=ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<span lang="en" dir="auto">List Cases</span>' in html

"""The editors' screen of suggested duplicate actors and its one-click merge."""

import pytest
from django.test import Client

from visiblework.cases.models import Actor, ActorDuplicateDismissal, CaseActor
from visiblework.core.models import AuditAction, AuditEntry

URL = "/review/actors/duplicates/"
MERGE = "/review/actors/duplicates/merge/"


@pytest.fixture
def duplicate(catalogue) -> Actor:
    return Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")


@pytest.mark.django_db
def test_editors_see_the_suggested_groups(editor, duplicate):
    html = editor.get(URL).content.decode()
    assert "OpenAI, Inc." in html and 'href="/actors/openai/"' in html


@pytest.mark.django_db
def test_the_page_says_when_there_is_nothing_to_merge(editor, catalogue):
    assert "No suggested duplicates." in editor.get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona,status", [("anonymous", 302), ("worker", 403),
                                            ("representative", 403)])
def test_only_editors_see_the_suggestions(request, persona, status, duplicate):
    assert request.getfixturevalue(persona).get(URL).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_may_merge(request, persona, duplicate, catalogue):
    client = request.getfixturevalue(persona)
    keep = catalogue.actors["openai"].pk
    assert client.post(MERGE, {"keep": keep, "merge": [keep, duplicate.pk]}).status_code in (
        302, 403)
    assert Actor.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.django_db
def test_one_click_merges_the_group_into_the_chosen_actor(editor, duplicate, catalogue):
    keep = catalogue.actors["openai"].pk
    response = editor.post(MERGE, {"keep": keep, "merge": [keep, duplicate.pk]}, follow=True)
    assert not Actor.objects.filter(pk=duplicate.pk).exists()
    assert "Merged OpenAI, Inc. into OpenAI." in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.MERGE).count() == 1


@pytest.mark.django_db
def test_the_kept_actor_may_be_the_newer_one(editor, duplicate, catalogue):
    openai = catalogue.actors["openai"]
    editor.post(MERGE, {"keep": duplicate.pk, "merge": [openai.pk, duplicate.pk]})
    assert CaseActor.objects.filter(actor=duplicate).count() == 3
    assert not Actor.objects.filter(pk=openai.pk).exists()


@pytest.mark.django_db
def test_a_merge_needs_the_csrf_token(editor_user, duplicate, catalogue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_user, backend="django.contrib.auth.backends.ModelBackend")
    keep = catalogue.actors["openai"].pk
    assert client.post(MERGE, {"keep": keep, "merge": [duplicate.pk]}).status_code == 403
    assert Actor.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"keep": "x"}, {"keep": "1", "merge": ["y"]},
                                  {"keep": "999999", "merge": ["1"]}])
def test_a_bad_merge_request_gets_a_message_and_changes_nothing(editor, duplicate, data):
    response = editor.post(MERGE, data, follow=True)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert Actor.objects.count() == 5


@pytest.mark.django_db
def test_a_page_that_is_not_a_number_is_the_first(editor, duplicate):
    assert editor.get(f"{URL}?page=abc").status_code == 200


@pytest.mark.django_db
def test_the_editors_navigation_links_to_the_suggestions(editor, catalogue):
    assert f'href="{URL}"' in editor.get("/review/").content.decode()


DISMISS = "/review/actors/duplicates/dismiss/"


@pytest.mark.django_db
def test_editors_see_a_dismiss_button_for_each_group(editor, duplicate):
    html = editor.get(URL).content.decode()
    assert f'action="{DISMISS}"' in html and f'name="actor" value="{duplicate.pk}"' in html


@pytest.mark.django_db
def test_a_dismissed_group_leaves_the_page_and_is_audited(editor, duplicate, catalogue):
    openai = catalogue.actors["openai"].pk
    response = editor.post(DISMISS, {"actor": [openai, duplicate.pk]}, follow=True)
    html = response.content.decode()
    assert "Dismissed: OpenAI, OpenAI, Inc. will not be suggested as one actor again." in html
    assert "No suggested duplicates." in html
    assert AuditEntry.objects.filter(action=AuditAction.DISMISS).count() == 1
    assert Actor.objects.filter(pk=duplicate.pk).exists()  # nothing merged


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_may_dismiss(request, persona, duplicate, catalogue):
    client = request.getfixturevalue(persona)
    openai = catalogue.actors["openai"].pk
    assert client.post(DISMISS, {"actor": [openai, duplicate.pk]}).status_code in (302, 403)
    assert not ActorDuplicateDismissal.objects.exists()


@pytest.mark.django_db
def test_a_dismissal_is_a_post(editor, duplicate, catalogue):
    assert editor.get(DISMISS, {"actor": [duplicate.pk]}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"actor": ["x", "y"]}, {"actor": ["1"]},
                                  {"actor": ["1", "999999"]}])
def test_a_bad_dismissal_gets_a_message_and_changes_nothing(editor, duplicate, data):
    response = editor.post(DISMISS, data, follow=True)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert not ActorDuplicateDismissal.objects.exists()

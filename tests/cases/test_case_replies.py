"""The case page shows what the floors above add (settings.VISIBLEWORK_PAGE_SECTIONS["case"]):
the right of reply of the organisations a case names, also on pages kept in the cache."""

import pytest

from visiblework.accounts.models import Role, User
from visiblework.reports import replies
from visiblework.reports.models import Reply, Representation


@pytest.fixture
def sama_rep(catalogue, editor_user):
    user = User.objects.create_user("rep-sama", role=Role.REPRESENTATIVE)
    return Representation.objects.create(user=user, actor=catalogue.actors["sama"],
                                         verified=True, verified_by=editor_user)


def page(client, case):
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def page_cache(settings):
    settings.VISIBLEWORK_PAGE_CACHE = True


@pytest.mark.django_db
def test_a_case_naming_the_actor_shows_its_reply(catalogue, anonymous, sama_rep):
    replies.post_reply(sama_rep.user, sama_rep.actor, "Sama answers here.")
    html = page(anonymous, catalogue.cases["kenya"])
    assert 'id="right-of-reply"' in html and "Sama answers here." in html
    assert "Reply from <bdi>Sama</bdi>" in html and 'href="/actors/sama/"' in html


@pytest.mark.django_db
def test_a_case_that_does_not_name_the_actor_shows_no_reply(catalogue, anonymous, sama_rep):
    replies.post_reply(sama_rep.user, sama_rep.actor, "Sama answers here.")
    html = page(anonymous, catalogue.cases["drivers"])
    assert "Sama answers here." not in html and 'id="right-of-reply"' not in html


@pytest.mark.django_db
def test_a_retracted_case_shows_no_reply(catalogue, anonymous, sama_rep):
    from visiblework.cases.models import CaseActor
    CaseActor.objects.create(case=catalogue.cases["retracted"], actor=sama_rep.actor,
                             role="vendor")
    replies.post_reply(sama_rep.user, sama_rep.actor, "Sama answers here.")
    assert "Sama answers here." not in page(anonymous, catalogue.cases["retracted"])


@pytest.mark.django_db
def test_a_cached_case_page_shows_a_new_reply(catalogue, anonymous, sama_rep, page_cache):
    case = catalogue.cases["kenya"]
    assert "Sama answers here." not in page(anonymous, case)  # now kept in the cache
    replies.post_reply(sama_rep.user, sama_rep.actor, "Sama answers here.")
    assert "Sama answers here." in page(anonymous, case)


@pytest.mark.django_db
def test_a_cached_case_page_shows_a_changed_reply(catalogue, anonymous, sama_rep, page_cache):
    case = catalogue.cases["kenya"]
    replies.post_reply(sama_rep.user, sama_rep.actor, "First answer.")
    assert "First answer." in page(anonymous, case)
    replies.post_reply(sama_rep.user, sama_rep.actor, "Second answer.")
    html = page(anonymous, case)
    assert "Second answer." in html and "First answer." not in html


@pytest.mark.django_db
def test_a_cached_case_page_drops_the_reply_of_a_withdrawn_representative(
        catalogue, anonymous, sama_rep, editor_user, page_cache):
    case = catalogue.cases["kenya"]
    replies.post_reply(sama_rep.user, sama_rep.actor, "Soon gone.")
    assert "Soon gone." in page(anonymous, case)
    replies.revoke(sama_rep, editor_user, "No longer at Sama.")
    assert "Soon gone." not in page(anonymous, case)


@pytest.mark.django_db
def test_a_cached_case_page_shows_the_reply_again_once_verified_again(
        catalogue, anonymous, sama_rep, editor_user, page_cache):
    case = catalogue.cases["kenya"]
    Reply.objects.create(actor=sama_rep.actor, author=sama_rep.user, text="Waiting reply.")
    Representation.objects.filter(pk=sama_rep.pk).update(verified=False, status="pending")
    assert "Waiting reply." not in page(anonymous, case)
    replies.approve(Representation.objects.get(pk=sama_rep.pk), editor_user)
    assert "Waiting reply." in page(anonymous, case)


@pytest.mark.django_db
def test_a_cached_case_page_drops_the_reply_of_a_deleted_account(catalogue, anonymous, sama_rep,
                                                                 page_cache):
    case = catalogue.cases["kenya"]
    replies.post_reply(sama_rep.user, sama_rep.actor, "Account going.")
    assert "Account going." in page(anonymous, case)
    sama_rep.user.delete()
    assert "Account going." not in page(anonymous, case)


@pytest.mark.django_db
def test_the_case_page_costs_one_query_more_for_its_replies(catalogue, anonymous, sama_rep,
                                                            settings,
                                                            django_assert_max_num_queries):
    settings.VISIBLEWORK_PAGE_CACHE = False
    case = catalogue.cases["kenya"]
    replies.post_reply(sama_rep.user, sama_rep.actor, "Counted.")
    page(anonymous, case)  # warm the per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as queries:
        page(anonymous, case)
    with_replies = len(queries)
    settings.VISIBLEWORK_PAGE_SECTIONS = {**settings.VISIBLEWORK_PAGE_SECTIONS, "case": []}
    with CaptureQueriesContext(connection) as queries:
        page(anonymous, case)
    assert with_replies == len(queries) + 1

"""Revisions, the public history page, reverting, retracting, merging actors, the audit log."""

import pytest

from visiblework.cases.editing import merge_actors, retract_case, revert_case, save_case, snapshot
from visiblework.cases.models import Actor, ActorAlias, Case
from visiblework.cases.services import BrowseQuery, browse
from visiblework.core.models import AuditEntry, AuditLogIsAppendOnly


def edit(case, user, **changes):
    return save_case({**snapshot(case), **changes}, case=case, user=user,
                     summary=changes.pop("summary_text", "Edited"))


@pytest.mark.django_db
def test_every_change_keeps_a_revision_and_the_history_page_shows_the_diff(catalogue, anonymous,
                                                                          editor_user):
    case = catalogue.cases["midas"]
    edit(case, editor_user, summary="First wording.")
    edit(case, editor_user, summary="Second wording.")
    assert list(case.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert case.revisions.get(number=1).summary == "State before the first recorded change"
    html = anonymous.get(f"/cases/{case.pk}/{case.slug}/history/").content.decode()
    assert "ed" in html and "Edited" in html
    assert "<del>First</del>" in html and "<ins>Second</ins>" in html
    html = anonymous.get(f"/cases/{case.pk}/{case.slug}/history/", {"from": 2, "to": 3})
    assert "Changes from revision 2 to 3" in html.content.decode()
    assert "Revert to this" not in html.content.decode()  # editors only


@pytest.mark.django_db
def test_an_editor_reverts_a_case_to_an_earlier_revision(catalogue, editor, editor_user):
    case = catalogue.cases["midas"]
    edit(case, editor_user, summary="Good text.")
    edit(case, editor_user, summary="Vandalised text.")
    response = editor.post(f"/review/cases/{case.pk}/revisions/2/revert/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Good text."
    latest = case.revisions.first()
    assert latest.number == 4 and latest.summary == "Reverted to revision 2"
    assert AuditEntry.objects.filter(action="revert", object_id=str(case.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_can_revert_or_retract(request, catalogue, editor_user, persona):
    case = catalogue.cases["midas"]
    edit(case, editor_user, summary="One.")
    edit(case, editor_user, summary="Two.")
    client = request.getfixturevalue(persona)
    assert client.post(f"/review/cases/{case.pk}/revisions/1/revert/").status_code in (302, 403)
    assert client.post(f"/review/cases/{case.pk}/retract/", {"reason": "x"}).status_code in (302, 403)
    case.refresh_from_db()
    assert case.summary == "Two." and case.status == "published"


@pytest.mark.django_db
def test_a_retracted_case_keeps_its_page_and_leaves_lists_search_feeds_and_exports(
        catalogue, anonymous, editor):
    case = catalogue.cases["drivers"]
    response = editor.post(f"/review/cases/{case.pk}/retract/", {"reason": "Sources withdrawn."})
    assert response.status_code == 302
    page = anonymous.get(case.get_absolute_url()).content.decode()
    assert "This case has been retracted." in page
    assert case.title not in anonymous.get("/cases/").content.decode()
    assert browse(BrowseQuery(q="homework")).count == 0
    assert case.title not in anonymous.get("/feeds/cases.atom").content.decode()
    assert case.title not in b"".join(anonymous.get("/export/cases.csv").streaming_content).decode()
    assert anonymous.get(f"/api/v1/cases/{case.pk}").status_code == 404
    history = anonymous.get(f"/cases/{case.pk}/{case.slug}/history/").content.decode()
    assert "Retracted: Sources withdrawn." in history


@pytest.mark.django_db
def test_retracting_needs_a_reason(catalogue, editor_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        retract_case(catalogue.cases["drivers"], editor_user, "  ")


@pytest.mark.django_db
def test_merging_actors_moves_cases_and_old_names_and_urls_resolve(catalogue, anonymous,
                                                                   editor_user):
    duplicate = Actor.objects.create(slug="open-ai", name="Open A.I.", kind="company")
    midas = catalogue.cases["midas"]
    midas.case_actors.create(actor=duplicate, role="developer")
    merge_actors(duplicate, catalogue.actors["openai"], editor_user)

    assert not Actor.objects.filter(slug="open-ai").exists()
    assert ActorAlias.objects.get(slug="open-ai").actor == catalogue.actors["openai"]
    response = anonymous.get("/actors/open-ai/")
    assert response.status_code == 301 and response.url == "/actors/openai/"
    assert {c.slug for c in browse(BrowseQuery(q="Open A.I.")).cases} >= {"midas"}
    result = browse(BrowseQuery.from_querydict(
        __import__("django.http", fromlist=["QueryDict"]).QueryDict("actor=open-ai"),
        ["actor"]))
    assert {c.slug for c in result.cases} == {"kenya", "midas"}
    api = anonymous.get("/api/v1/cases", {"actor": "open-ai"}).json()
    assert api["count"] == 2
    assert midas.revisions.first().summary.startswith("Actor merged")
    assert AuditEntry.objects.get(action="merge").data["duplicate"] == "open-ai"
    from visiblework.cases.editing import find_actor
    assert find_actor("Open A.I.") == catalogue.actors["openai"]


@pytest.mark.django_db
def test_an_editor_merges_actors_in_the_back_office(catalogue, editor):
    duplicate = Actor.objects.create(slug="samasource", name="Samasource", kind="vendor")
    sama = catalogue.actors["sama"]
    response = editor.post("/admin/cases/actor/", {
        "action": "merge_selected", "_selected_action": [sama.pk, duplicate.pk],
        "survivor": sama.pk, "apply": "Merge"})
    assert response.status_code == 302
    assert not Actor.objects.filter(pk=duplicate.pk).exists()
    assert sama.aliases.filter(name="Samasource").exists()


@pytest.mark.django_db
def test_editing_a_case_in_the_back_office_writes_a_revision_with_the_summary(catalogue, editor):
    case = catalogue.cases["midas"]
    data = {"title": case.title, "slug": case.slug, "status": "published", "year": "2013",
            "date": "", "summary": "New summary.", "body": "", "change_summary": "Fixed a typo",
            "terms": [t.pk for t in case.terms.all()]}
    for prefix, rows in (("case_actors", list(case.case_actors.all())),
                         ("countries", list(case.countries.all())), ("sources", [])):
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)),
                     f"{prefix}-INITIAL_FORMS": str(len(rows)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-case"] = case.pk
            if prefix == "case_actors":
                data[f"{prefix}-{i}-actor"] = row.actor_id
                data[f"{prefix}-{i}-role"] = row.role
            else:
                data[f"{prefix}-{i}-code"] = row.code
    response = editor.post(f"/admin/cases/case/{case.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = Case.objects.get(pk=case.pk).revisions.first()
    assert revision.summary == "Fixed a typo" and revision.data["summary"] == "New summary."
    assert AuditEntry.objects.filter(action="edit", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_the_audit_log_cannot_be_changed_or_deleted(catalogue, editor_user, editor):
    edit(catalogue.cases["midas"], editor_user, summary="x")
    entry = AuditEntry.objects.first()
    entry.summary = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.update(summary="x")
    assert editor.get("/review/audit/").status_code == 200
    assert editor.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    change = editor.post(f"/admin/core/auditentry/{entry.pk}/change/", {"summary": "y"})
    assert change.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).summary != "y"


@pytest.mark.django_db
def test_a_revert_to_another_cases_revision_is_refused(catalogue, editor_user):
    from django.core.exceptions import ValidationError

    a, b = catalogue.cases["midas"], catalogue.cases["drivers"]
    edit(b, editor_user, summary="b")
    with pytest.raises(ValidationError):
        revert_case(a, b.revisions.first(), editor_user)


@pytest.mark.django_db
def test_a_merge_in_the_back_office_that_cannot_be_done_says_why_and_changes_nothing(
        catalogue, editor):
    from visiblework.voice.models import HelpProfile

    duplicate = Actor.objects.create(slug="samasource", name="Samasource", kind="vendor")
    sama = catalogue.actors["sama"]
    for actor in (duplicate, sama):
        HelpProfile.objects.create(actor=actor, summary="Helps.", worldwide=True)
    response = editor.post("/admin/cases/actor/", {
        "action": "merge_selected", "_selected_action": [sama.pk, duplicate.pk],
        "survivor": sama.pk, "apply": "Merge"}, follow=True)
    assert response.status_code == 200
    assert "both have a" in response.content.decode()
    assert Actor.objects.filter(pk=duplicate.pk).exists()

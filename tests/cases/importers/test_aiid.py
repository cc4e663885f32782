"""The AI Incident Database importer: the shared snapshot, and a small hand-made one with
every kind of bad row."""

from __future__ import annotations

import csv
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import make_case
from visiblework.cases.importers import AiidImport
from visiblework.cases.importers.aiid import readable_name
from visiblework.cases.importers.indexes import ActorIndex
from visiblework.cases.models import (
    Actor,
    ActorAlias,
    Case,
    CaseActor,
    CaseStatus,
    DuplicateSuggestion,
    Revision,
    Taxonomy,
)
from visiblework.core.models import AuditAction, AuditEntry


def roles_of(case: Case) -> set[tuple[str, str]]:
    return set(CaseActor.objects.filter(case=case).values_list("actor__slug", "role"))


# --- The shared snapshot -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_the_shared_snapshot_imports_every_incident_once_and_a_second_run_changes_nothing(
        vocabularies, aiid_snapshot):
    with open(aiid_snapshot / "incidents.csv", encoding="utf-8-sig", newline="") as f:
        incidents = {row["incident_id"] for row in csv.DictReader(f)}
    with open(aiid_snapshot / "duplicates.csv", encoding="utf-8-sig", newline="") as f:
        duplicates = {row["duplicate_incident_number"] for row in csv.DictReader(f)} & incidents
    expected = {f"aiid:{i}" for i in incidents - duplicates}

    out = StringIO()
    started = time.monotonic()
    call_command("import", "aiid", str(aiid_snapshot), stdout=out)
    first_seconds = time.monotonic() - started
    output = out.getvalue()

    # every incident present exactly once, duplicates left out with the reason
    ids = list(Case.objects.filter(external_id__startswith="aiid:").values_list("external_id",
                                                                                flat=True))
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
    assert all(f"incident {d} is a duplicate of incident" in output for d in duplicates)
    assert not Case.objects.exclude(status=CaseStatus.PUBLISHED).exists()

    # a known incident: 23, the Las Vegas shuttle, with one entity in three roles
    bus = Case.objects.get(external_id="aiid:23")
    assert bus.title == "Las Vegas Self-Driving Bus Involved in Accident"
    assert (bus.date, bus.year) == ("2017-11-08", 2017)
    assert roles_of(bus) == {
        ("navya", "deployer"), ("navya", "developer"), ("navya", "harmed_party"),
        ("keolis-north-america", "deployer"), ("keolis-north-america", "developer"),
        ("keolis-north-america", "harmed_party"), ("bus-passengers", "harmed_party"),
    }
    assert Actor.objects.get(slug="keolis-north-america").name == "Keolis North America"
    assert Actor.objects.get(slug="bus-passengers").kind == "group"
    source = bus.sources.get()
    assert source.url == "https://incidentdatabase.ai/cite/23/"
    assert source.publisher == "AI Incident Database (Responsible AI Collaborative)"
    # incident 12: a developer that is not a deployer
    embeddings = Case.objects.get(external_id="aiid:12")
    assert ("google", "developer") in roles_of(embeddings)
    assert ("google", "deployer") not in roles_of(embeddings)
    # classifications became taxonomies; incident 1 carries its MIT and GMF terms
    youtube = Case.objects.get(external_id="aiid:1")
    keys = {t.taxonomy.key: t.name for t in youtube.terms.select_related("taxonomy")}
    assert keys["mit_risk_domain"] == "1. Discrimination and Toxicity"
    assert keys["mit_entity"] == "AI"
    assert Taxonomy.objects.get(key="mit_risk_domain").terms.count() <= 10
    assert Taxonomy.objects.get(key="mit_risk_domain").is_facet
    assert not Taxonomy.objects.get(key="gmf_ai_goal").is_facet
    # one revision per case, one audit entry per case and one for the run
    revisions = Revision.objects.count()
    assert revisions == len(expected)
    assert Revision.objects.filter(author_label="import aiid").count() == revisions
    runs = AuditEntry.objects.filter(action=AuditAction.IMPORT, object_type="")
    assert runs.count() == 1 and runs.get().data["created"] == len(expected)

    started = time.monotonic()
    stats = AiidImport(aiid_snapshot).run()
    second_seconds = time.monotonic() - started
    assert (stats.created, stats.updated, stats.unchanged) == (0, 0, len(expected))
    assert Revision.objects.count() == revisions
    assert Case.objects.count() == len(expected)
    print(f"\nAIID snapshot: first import {first_seconds:.1f} s "
          f"({len(expected) / first_seconds:.0f} incidents/s), second {second_seconds:.1f} s")


# --- A small hand-made snapshot ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_small_snapshot_reports_every_bad_row_with_its_line_and_column(vocabularies, data):
    stats = AiidImport(data / "aiid_small").run()
    messages = [str(p) for p in stats.problems]
    assert (stats.created, stats.skipped) == (4, 7)
    assert messages == [
        "line 4, column Alleged deployer of AI system: cannot read '[\"acme-labelling\"' as a "
        "list (expected JSON like [\"openai\"])",
        "line 5, column date: cannot read '2019-13-45' as a date",
        "line 6, column incident_id: the id '2' already appeared on line 3; this row was left out",
        "line 7, column incident_id: incident 5 is a duplicate of incident 1 (duplicates.csv); "
        "left out",
        "line 9, column description: A summary is required.",
        "line 10, column incident_id: cannot read 'x8' as an incident number",
        "line 12: this row has 10 cells but the header has 9 (is a comma or quote missing?)",
    ]
    assert set(Case.objects.values_list("external_id", flat=True)) == {
        "aiid:1", "aiid:2", "aiid:6", "aiid:9"}
    # nothing of a skipped row was stored: incident 7 made its actor, then was refused
    assert not Actor.objects.filter(slug="ghost-entity").exists()
    assert not Actor.objects.filter(slug="microsoft").exists()  # incident 5, a duplicate


@pytest.mark.django_db
def test_one_entity_in_three_roles_gives_three_case_actors_and_existing_actors_are_reused(
        vocabularies, data):
    openai = Actor.objects.create(slug="openai", name="OpenAI", kind="company")
    AiidImport(data / "aiid_small").run()
    vendor = Case.objects.get(external_id="aiid:2")
    assert roles_of(vendor) == {("acme-labelling", "deployer"), ("acme-labelling", "developer"),
                                ("acme-labelling", "harmed_party"), ("openai", "developer"),
                                ("data-labellers", "harmed_party")}
    assert Actor.objects.filter(name__iexact="openai").get() == openai
    reused = Case.objects.get(external_id="aiid:9")
    assert ("openai", "deployer") in roles_of(reused)
    assert Actor.objects.get(slug="gig-workers-of-the-world").name == "Gig Workers of the World"
    assert Actor.objects.get(slug="data-labellers").kind == "group"
    assert Actor.objects.get(slug="acme-labelling").kind == "company"


@pytest.mark.django_db
def test_an_entity_found_by_name_leaves_its_slug_on_the_actor_for_the_next_import(vocabularies,
                                                                                  data):
    openai = Actor.objects.create(slug="openai-company", name="OpenAI", kind="company")
    AiidImport(data / "aiid_small").run()
    assert list(openai.aliases.values_list("name", "slug")) == [("Openai", "openai")]
    actors = Actor.objects.count()
    openai.name = "OpenAI Global"  # renamed by editors: the entity's slug still finds it
    openai.save()
    openai.aliases.update(name="OAI")
    assert ActorIndex().get_or_create("Openai", slug="openai") == openai
    assert Actor.objects.count() == actors


@pytest.mark.django_db
def test_an_alias_of_the_entitys_name_takes_its_slug(vocabularies, data):
    alphabet = Actor.objects.create(slug="alphabet", name="Alphabet", kind="company")
    ActorAlias.objects.create(actor=alphabet, name="YouTube")
    AiidImport(data / "aiid_small").run()
    assert list(alphabet.aliases.values_list("name", "slug")) == [("YouTube", "youtube")]
    assert ("alphabet", "deployer") in roles_of(Case.objects.get(external_id="aiid:1"))


@pytest.mark.django_db
def test_an_entity_found_by_its_slug_adds_no_alias(vocabularies, data):
    Actor.objects.create(slug="openai", name="OpenAI", kind="company")
    AiidImport(data / "aiid_small").run()
    assert not ActorAlias.objects.exists()


@pytest.mark.django_db
def test_the_actor_page_lists_the_recorded_entity_but_not_a_repeat_of_the_name(vocabularies,
                                                                               data, anonymous):
    Actor.objects.create(slug="openai-company", name="OpenAI", kind="company")
    AiidImport(data / "aiid_small").run()
    html = anonymous.get("/actors/openai-company/").content.decode()
    assert 'href="https://incidentdatabase.ai/entities/openai/"' in html
    assert "Also known as" not in html


@pytest.mark.django_db
def test_unpublished_classifications_and_unknown_incidents_are_left_out(vocabularies, data):
    job = AiidImport(data / "aiid_small")
    job.run()
    youtube = Case.objects.get(external_id="aiid:1")
    terms = sorted((t.taxonomy.key, t.name) for t in youtube.terms.select_related("taxonomy"))
    assert ("gmf_ai_goal", "Content Recommendation") in terms
    assert ("gmf_ai_goal", "Content Search") in terms  # a comma-separated GMF list
    assert ("gmf_technical_failure", "Lack of Adversarial Robustness") in terms
    vendor = Case.objects.get(external_id="aiid:2")
    assert not vendor.terms.filter(taxonomy__key__startswith="gmf_").exists()  # Published False
    assert vendor.terms.filter(taxonomy__key="mit_intent", name="Intentional").exists()
    assert "classifications_GMF.csv: 1 unpublished classification left out" in job.notes


@pytest.mark.django_db
def test_a_second_import_updates_what_changed_and_keeps_what_editors_added(vocabularies, data,
                                                                          tmp_path):
    from visiblework.cases.editing import save_case, snapshot

    AiidImport(data / "aiid_small").run()
    case = Case.objects.get(external_id="aiid:1")
    edited = snapshot(case)
    edited["terms"]["justice_area"] = ["human-rights"]
    edited["actors"].append({"name": "Acme Vendor", "role": "vendor"})
    edited["status"] = CaseStatus.RETRACTED
    save_case(edited, case=case, summary="an editor's additions")
    revisions = case.revisions.count()

    changed = tmp_path / "snapshot"
    changed.mkdir()
    for path in (data / "aiid_small").iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name == "incidents.csv":
            text = text.replace("exposed children to disturbing videos",
                                "exposed children to disturbing and violent videos")
        (changed / path.name).write_text(text, encoding="utf-8")
    stats = AiidImport(changed).run()
    assert (stats.created, stats.updated, stats.unchanged) == (0, 1, 3)
    case.refresh_from_db()
    assert "disturbing and violent videos" in case.summary
    assert case.status == CaseStatus.RETRACTED
    assert case.terms.filter(taxonomy__key="justice_area", slug="human-rights").exists()
    assert case.terms.filter(taxonomy__key="mit_risk_domain").exists()
    assert ("acme-vendor", "vendor") in roles_of(case)
    assert ("youtube", "deployer") in roles_of(case)
    assert case.revisions.count() == revisions + 1
    assert case.revisions.first().author_label == "import aiid"


@pytest.mark.django_db
def test_html_in_an_incident_is_stored_as_text_and_escaped_on_the_case_page(vocabularies, data,
                                                                           anonymous):
    AiidImport(data / "aiid_small").run()
    case = Case.objects.get(external_id="aiid:6")
    assert case.title == "<script>alert('aiid')</script> A hostile title"
    html = anonymous.get(case.get_absolute_url()).content.decode()
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


@pytest.mark.django_db
def test_the_command_imports_a_snapshot_end_to_end_and_can_dry_run(vocabularies, data):
    out = StringIO()
    call_command("import", "aiid", str(data / "aiid_small"), "--dry-run", stdout=out)
    assert "Dry run: nothing was saved." in out.getvalue()
    assert not Case.objects.exists() and not Taxonomy.objects.filter(key__startswith="mit_").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()

    out = StringIO()
    call_command("import", "aiid", str(data / "aiid_small"), "--limit", "2", stdout=out)
    assert Case.objects.count() == 2
    out = StringIO()
    call_command("import", "aiid", str(data / "aiid_small"), "--batch-size", "3",
                 "--max-messages", "2", stdout=out)
    text = out.getvalue()
    assert "created" in text and "skipped" in text
    assert "line 4, column Alleged deployer of AI system" in text
    assert "… and 5 more" in text
    assert Case.objects.count() == 4


@pytest.mark.django_db
def test_the_command_looks_for_duplicates_of_the_imported_cases_and_says_where_they_are(
        vocabularies, data):
    earlier = make_case("kids", title="Children shown disturbing videos", year=2015,
                        summary="Seen elsewhere first.",
                        sources=[{"url": "https://incidentdatabase.ai/cite/1/", "title": "AIID"}])
    out = StringIO()
    call_command("import", "aiid", str(data / "aiid_small"), stdout=out)
    imported = Case.objects.get(external_id="aiid:1")
    assert set(DuplicateSuggestion.objects.values_list("first_id", "second_id")) == {
        (earlier.pk, imported.pk)}
    assert ("Possible duplicates: 1 pair of cases (1 new), for editors to merge or dismiss at "
            "/review/duplicates/") in out.getvalue()


@pytest.mark.django_db
def test_an_import_that_wrote_nothing_or_was_told_not_to_looks_for_no_duplicates(vocabularies,
                                                                                data):
    make_case("kids", title="Children shown disturbing videos", year=2015, summary="S.",
              sources=[{"url": "https://incidentdatabase.ai/cite/1/", "title": "AIID"}])
    out = StringIO()
    call_command("import", "aiid", str(data / "aiid_small"), "--dry-run", stdout=out)
    call_command("import", "aiid", str(data / "aiid_small"), "--no-duplicates", stdout=out)
    assert "Possible duplicates" not in out.getvalue()
    assert not DuplicateSuggestion.objects.exists()
    call_command("import", "aiid", str(data / "aiid_small"), stdout=out)  # all unchanged
    assert "Possible duplicates" not in out.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_a_folder_that_is_not_a_snapshot(vocabularies, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import", "aiid", str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="has no incidents.csv"):
        call_command("import", "aiid", str(tmp_path))
    (tmp_path / "incidents.csv").write_text("incident_id,title\n1,A\n")
    with pytest.raises(CommandError, match="lacks the columns date, description"):
        call_command("import", "aiid", str(tmp_path))


def test_entity_slugs_become_readable_names():
    assert readable_name("keolis-north-america") == "Keolis North America"
    assert readable_name("drivers-in-new-zealand's-cities") == "Drivers in New Zealand's Cities"
    assert readable_name("openai") == "Openai"

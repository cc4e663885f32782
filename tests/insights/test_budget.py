"""The lifetime privacy budget of each worker: every build an editor can see charges each
worker it includes; a build leaves out the workers it would take past their budget (ε or δ)
and says how many, to editors only; the public running figures come from the list of
releases only."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from visiblework.accounts.models import Role, User
from visiblework.accounts.workers import delete_worker
from visiblework.core.models import AuditEntry
from visiblework.insights import budget, engine, releases
from visiblework.insights.models import PrivacyLedger, Release, ReleaseIsImmutable
from visiblework.reports.demo import make_demo_reports
from visiblework.reports.models import Report

from .test_pages import make_release

REPORTS = 12


def build(label: str, epsilon: float = 1.0, delta: float = 1e-6) -> Release:
    return releases.build_release(label, epsilon=epsilon, delta=delta, k=2)


@pytest.fixture
def reports(catalogue) -> list[Report]:
    """Twelve anonymous reports: twelve workers, each its own."""
    make_demo_reports(n=REPORTS, seed=11)
    return list(Report.objects.order_by("id"))


@pytest.fixture
def engine_workers(monkeypatch) -> list[set[int]]:
    """The worker keys each build handed to the engine."""
    seen: list[set[str]] = []
    original = engine.prepare_release

    def spy(frame, params):
        seen.append(set(frame.get_column("worker").to_list()))
        return original(frame, params)

    monkeypatch.setattr(engine, "prepare_release", spy)
    return seen


def spend(report: Report, epsilon: float, delta: float = 0.0) -> None:
    PrivacyLedger.objects.create(report=report, epsilon=epsilon, delta=delta)


def ledger() -> dict[str, tuple[float, float]]:
    return {str(row): (row.epsilon, row.delta) for row in PrivacyLedger.objects.all()}


@pytest.mark.django_db
def test_the_eleventh_build_at_epsilon_1_leaves_out_every_worker_the_first_ten_included(
        reports, engine_workers):
    for i in range(10):
        assert build(f"b{i}").workers_excluded_budget == 0
    eleventh = build("b10")
    assert eleventh.workers_excluded_budget == REPORTS
    assert engine_workers[-1] == set()
    assert all(spent == pytest.approx((10.0, 1e-5)) for spent in ledger().values())


@pytest.mark.django_db
def test_a_release_leaves_out_exactly_the_workers_it_would_take_past_their_budget(
        reports, engine_workers):
    spent, at_the_edge, *others = reports
    spend(spent, 9.5)
    spend(at_the_edge, 9.0)
    release = build("r1")
    assert release.workers_excluded_budget == 1
    assert engine_workers[0] == {-r.pk for r in reports} - {-spent.pk}
    assert ledger()[f"r{spent.pk}"] == (9.5, 0.0)
    assert ledger()[f"r{at_the_edge.pk}"] == pytest.approx((10.0, 1e-6))
    assert all(ledger()[f"r{r.pk}"] == pytest.approx((1.0, 1e-6)) for r in others)


@pytest.mark.django_db
def test_a_worker_account_with_many_reports_counts_as_one_worker(reports, engine_workers):
    user = User.objects.create_user("busy-heron-17", role=Role.WORKER)
    Report.objects.filter(pk__in=[r.pk for r in reports[:5]]).update(worker=user)
    build("r1")
    assert PrivacyLedger.objects.filter(worker=user).get().epsilon == pytest.approx(1.0)
    assert not PrivacyLedger.objects.filter(report__in=reports[:5]).exists()
    PrivacyLedger.objects.filter(worker=user).update(epsilon=9.5)
    release = build("r2")
    assert release.workers_excluded_budget == 1
    assert user.pk in engine_workers[0] and user.pk not in engine_workers[1]


@pytest.mark.django_db
def test_an_unpublished_preview_counts_against_the_budget(reports):
    preview = build("preview")
    assert preview.status == "preview"
    assert ledger()[f"r{reports[0].pk}"] == pytest.approx((1.0, 1e-6))
    loss = releases.running_privacy_loss()
    assert (loss.builds, loss.epsilon, loss.delta) == (1, pytest.approx(1.0),
                                                       pytest.approx(1e-6))


@pytest.mark.django_db
def test_delta_is_tracked_and_enforced_too(reports, settings):
    settings.VISIBLEWORK_WORKER_EPSILON_BUDGET = 100.0
    settings.VISIBLEWORK_WORKER_DELTA_BUDGET = 2.5e-6
    assert build("r1").workers_excluded_budget == 0
    assert build("r2").workers_excluded_budget == 0
    assert build("r3").workers_excluded_budget == REPORTS
    assert build("pure", delta=0.0).workers_excluded_budget == 0  # pure ε-DP spends no δ
    assert ledger()[f"r{reports[0].pk}"] == pytest.approx((3.0, 2e-6))


@pytest.mark.django_db
def test_the_lifetime_budget_is_read_from_settings(reports, settings):
    settings.VISIBLEWORK_WORKER_EPSILON_BUDGET = 2.0
    settings.VISIBLEWORK_WORKER_DELTA_BUDGET = 3e-6
    assert budget.lifetime_budget() == budget.Budget(2.0, 3e-6)
    release = build("r1", epsilon=1.5)
    assert (release.worker_epsilon_budget, release.worker_delta_budget) == (2.0, 3e-6)
    assert build("r2", epsilon=1.0).workers_excluded_budget == REPORTS


@pytest.mark.django_db
def test_it_refuses_a_release_above_the_lifetime_budget(reports, settings):
    settings.VISIBLEWORK_WORKER_EPSILON_BUDGET = 2.0
    with pytest.raises(releases.ReleaseError, match="lifetime privacy budget"):
        build("r1", epsilon=3.0)
    with pytest.raises(releases.ReleaseError, match="lifetime privacy budget"):
        build("r2", delta=1e-4)
    assert not Release.objects.exists() and not PrivacyLedger.objects.exists()


@pytest.mark.django_db
def test_the_charge_the_release_and_its_audit_entry_are_one_transaction(reports, monkeypatch):
    spend(reports[0], 9.5)
    # another build charged this worker after this one looked: the charge must refuse
    monkeypatch.setattr(budget, "spent_workers", lambda *args: [])
    with pytest.raises(releases.ReleaseError, match="at the same time"):
        build("r1")
    assert not Release.objects.exists()
    assert ledger() == {f"r{reports[0].pk}": (9.5, 0.0)}
    assert not AuditEntry.objects.filter(user_label="release build").exists()


@pytest.mark.django_db
def test_a_build_writes_its_audit_entry_with_the_number_left_out(reports):
    spend(reports[0], 10.0)
    release = build("r1")
    entry = AuditEntry.objects.get(user_label="release build")
    assert entry.object_id == str(release.pk)
    assert entry.data["workers_excluded_budget"] == 1


@pytest.mark.django_db
def test_deleting_a_worker_account_or_a_report_deletes_its_ledger_row(reports):
    user = User.objects.create_user("quiet-owl-23", role=Role.WORKER)
    Report.objects.filter(pk=reports[0].pk).update(worker=user)
    build("r1")
    assert PrivacyLedger.objects.filter(worker=user).exists()
    account, report = user.pk, reports[1].pk
    delete_worker(user)
    assert not PrivacyLedger.objects.filter(worker_id=account).exists()
    reports[1].delete()
    assert not PrivacyLedger.objects.filter(report_id=report).exists()
    assert PrivacyLedger.objects.count() == REPORTS - 2


@pytest.mark.django_db
def test_a_build_cannot_be_deleted_since_it_counts_in_every_running_total(reports):
    preview = build("r1")
    with pytest.raises(ReleaseIsImmutable):
        preview.delete()


@pytest.mark.django_db
def test_the_charge_is_a_few_bulk_statements_not_one_per_worker(reports):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        budget.charge([], [r.pk for r in reports], 1.0, 1e-6, budget.Budget(10.0, 1e-5))
    assert len(queries) == 1
    assert len(ledger()) == REPORTS


@pytest.mark.django_db
def test_the_running_loss_counts_every_build_and_is_capped_by_the_budget(catalogue):
    for i in range(12):
        release = make_release(f"r{i}", published=i % 2 == 0, epsilon=1.0)
        Release.objects.filter(pk=release.pk).update(worker_epsilon_budget=10.0,
                                                     worker_delta_budget=1e-5)
    loss = releases.running_privacy_loss()
    assert (loss.builds, loss.total_epsilon, loss.epsilon) == (12, 12.0, 10.0)
    assert (loss.total_delta, loss.delta) == (pytest.approx(1.2e-5), pytest.approx(1e-5))
    fifth = Release.objects.get(label="r4")
    assert releases.running_privacy_loss(fifth).epsilon == pytest.approx(5.0)


@pytest.mark.django_db
def test_builds_before_budgets_were_enforced_are_not_capped(catalogue):
    for i in range(3):
        make_release(f"old{i}", epsilon=5.0)  # built before the budget: no recorded budget
    new = make_release("new", published=False, epsilon=1.0)
    Release.objects.filter(pk=new.pk).update(worker_epsilon_budget=10.0, worker_delta_budget=1e-5)
    assert releases.running_privacy_loss().epsilon == pytest.approx(15.0)


@pytest.mark.django_db
def test_the_migration_charges_the_releases_built_before_it(reports):
    migration = importlib.import_module(
        "visiblework.insights.migrations.0003_worker_privacy_budget")
    from django.apps import apps

    user = User.objects.create_user("old-fern-31", role=Role.WORKER)
    Report.objects.filter(pk__in=[reports[0].pk, reports[1].pk]).update(worker=user)
    received = reports[0].received_month
    make_release("before", epsilon=2.0).__class__.objects.filter(label="before").update(
        cutoff=received)
    make_release("too-early", epsilon=4.0).__class__.objects.filter(label="too-early").update(
        cutoff=received.replace(year=received.year - 1))
    migration.charge_earlier_releases(apps, SimpleNamespace(connection=connection))
    assert ledger()[f"u{user.pk}"] == pytest.approx((2.0, 1e-6))
    assert ledger()[f"r{reports[2].pk}"] == pytest.approx((2.0, 1e-6))
    assert len(ledger()) == REPORTS - 1


@pytest.mark.django_db
def test_only_the_workers_with_reports_in_the_release_window_are_charged(reports):
    Report.objects.filter(pk=reports[0].pk).update(year=2001)  # long before the window
    build("r1")
    assert f"r{reports[0].pk}" not in ledger()
    assert len(ledger()) == REPORTS - 1


@pytest.mark.django_db
def test_a_build_without_any_report_charges_nobody(catalogue):
    release = build("empty")
    assert release.workers_excluded_budget == 0 and release.cells.exists()
    assert not PrivacyLedger.objects.exists()


@pytest.mark.django_db
def test_the_back_office_cannot_delete_a_release(catalogue, admin):
    release = make_release("r1", published=False)
    response = admin.post("/admin/insights/release/", {
        "action": "delete_selected", "_selected_action": [release.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert Release.objects.filter(pk=release.pk).exists()
    assert admin.get(f"/admin/insights/release/{release.pk}/delete/").status_code == 403

"""Answer rates in releases: computed with OpenDP over fixed public keys, each person counted
once per company and law (a signed-in worker once, each anonymous follow-up as its own
person), in a bounded number of cells; cells below k suppressed; the separate ε recorded."""

from datetime import date

import pytest

from visiblework.accounts.models import Role, User
from visiblework.insights import dp_mechanisms, releases
from visiblework.insights.models import ReleaseCell
from visiblework.reports.demo import make_demo_reports
from visiblework.voice import rights_release
from visiblework.voice.laws import LAWS
from visiblework.voice.rights import OUTCOMES, record_follow_up

pytestmark = pytest.mark.django_db
MONTH = date(2024, 3, 1)


def follow_ups(company, law, outcome, n, user=None, request="access"):
    for _i in range(n):
        record_follow_up(actor=company.actor, law=law, request=request, month_sent=MONTH,
                         outcome=outcome, user=user)


def test_a_signed_in_worker_counts_once_per_company_and_law(company, worker_user):
    follow_ups(company, "gdpr", "late", 3, user=worker_user)
    follow_ups(company, "gdpr", "late", 3)  # anonymous: three people
    frame = rights_release.contributions(date(2026, 1, 1))
    assert frame.height == 4


def test_each_person_counts_in_a_bounded_number_of_cells(company, worker_user):
    for law in LAWS:
        follow_ups(company, law, "none", 1, user=worker_user)
    frame = rights_release.contributions(date(2026, 1, 1))
    assert frame.height == rights_release.MAX_CELLS


def test_follow_ups_after_the_cutoff_do_not_count(company):
    follow_ups(company, "gdpr", "late", 2)
    assert rights_release.contributions(date(2024, 2, 1)).height == 0


def test_the_public_keys_are_every_company_law_and_outcome(company):
    keys = rights_release.public_keys()
    assert keys.height == len(LAWS) * len(OUTCOMES)


def test_the_rates_come_from_opendp_and_cells_below_k_are_suppressed(company, settings,
                                                                      monkeypatch):
    settings.VISIBLEWORK_RIGHTS_EPSILON = 100.0  # tiny noise: the test can state the result
    calls = []
    real = dp_mechanisms.run_part

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(rights_release.mech, "run_part", spy)
    follow_ups(company, "gdpr", "in_time", 6)
    follow_ups(company, "gdpr", "refused", 2)
    follow_ups(company, "ccpa", "late", 2)  # fewer than k = 5
    extra = rights_release.answer_rates(cutoff=date(2026, 1, 1), k=5)
    assert calls and calls[0]["mode"] == dp_mechanisms.PURE and calls[0]["loss"] == 100.0
    assert calls[0]["max_contributions"] == rights_release.MAX_CELLS
    cells = {cell["dims"]["law"]: cell for cell in extra.cells}
    assert set(cells) == set(LAWS)  # every public key, whether anyone answered or not
    gdpr = cells["gdpr"]
    assert not gdpr["suppressed"] and gdpr["workers"] == 8
    assert gdpr["stats"]["in_time_share"] == pytest.approx(0.75)
    assert gdpr["stats"]["refused_share"] == pytest.approx(0.25)
    assert cells["ccpa"]["suppressed"] and cells["ccpa"]["workers"] is None
    assert cells["ndpa"]["suppressed"]
    assert extra.epsilon == 100.0
    assert extra.details["mechanism"][0]["mechanism"] == "discrete Laplace"


def test_a_release_build_publishes_the_rates_and_records_their_epsilon(catalogue, settings):
    from visiblework.voice.models import PrivacyContact
    make_demo_reports(n=12, seed=11)
    settings.VISIBLEWORK_RIGHTS_EPSILON = 100.0
    contact = PrivacyContact.objects.create(actor=catalogue.actors["openai"],
                                            email="dsar@openai.com",
                                            source_url="https://openai.com/policies/privacy-policy")
    follow_ups(contact, "lgpd", "none", 7)
    release = releases.build_release("rights-1", epsilon=1.0, delta=1e-6, k=5)
    cell = ReleaseCell.objects.get(release=release, dims_key="actor,law",
                                   dims={"actor": "openai", "law": "lgpd"})
    assert not cell.suppressed and cell.workers == 7
    assert cell.stats["none_share"] == pytest.approx(1.0)
    [extra] = release.budget["extras"]
    assert extra["name"] == "rights_answer_rates" and extra["epsilon"] == 100.0


def test_a_worker_is_never_listed_in_a_cell(company, settings):
    worker = User.objects.create_user("calm-lake-7", password="x" * 12, role=Role.WORKER)
    settings.VISIBLEWORK_RIGHTS_EPSILON = 100.0
    follow_ups(company, "gdpr", "late", 1, user=worker)
    extra = rights_release.answer_rates(cutoff=date(2026, 1, 1), k=5)
    assert "calm-lake-7" not in repr(extra) and str(worker.pk) not in repr(
        [c["dims"] for c in extra.cells])


def test_with_no_follow_ups_every_cell_is_suppressed(company, settings):
    settings.VISIBLEWORK_RIGHTS_EPSILON = 100.0
    extra = rights_release.answer_rates(cutoff=date(2026, 1, 1), k=5)
    assert len(extra.cells) == len(LAWS)
    assert all(cell["suppressed"] and not cell["stats"] for cell in extra.cells)


def test_without_privacy_contacts_nothing_is_computed(db):
    extra = rights_release.answer_rates(cutoff=date(2026, 1, 1), k=5)
    assert extra.cells == [] and "mechanism" not in extra.details


def test_one_person_changes_the_published_counts_by_at_most_the_stated_epsilon(
        company, settings, monkeypatch):
    """Neighbouring data sets: with and without one person, who counts in up to MAX_CELLS
    company-and-law cells (once each). OpenDP's privacy map of the measurement the rates are
    released with, for exactly that change, is at most the stated ε."""
    settings.VISIBLEWORK_RIGHTS_EPSILON = 0.7
    measured = []
    original = dp_mechanisms._measurement

    def capture(context, plan):
        measurement = original(context, plan)
        measured.append(measurement)
        return measurement

    monkeypatch.setattr(dp_mechanisms, "_measurement", capture)
    follow_ups(company, "gdpr", "in_time", 6)
    rights_release.answer_rates(cutoff=date(2024, 12, 31), k=2)
    one_person = dp_mechanisms._unit(rights_release.DIMS, rights_release.MAX_CELLS)[1]
    assert measured and sum(m.map(one_person) for m in measured) <= 0.7

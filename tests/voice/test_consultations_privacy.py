"""Privacy of consultations. The neighbouring-data-set test of releases
(tests/insights/test_neighbouring.py), extended to the published results: vote sets that differ
by one voter give results that cannot be told apart by more than ε allows, and OpenDP's own
privacy map says so. And the canary: a voter's handle is never found by a crawl of the public
pages, feeds and API, nor on the editors' consultation screens."""

from __future__ import annotations

import math
import re
from collections import deque

import pytest

from visiblework.accounts.models import Role, User
from visiblework.voice import consultations

from ..insights.test_neighbouring import RUNS, violations
from ..test_privacy_canary import HREF, body
from .consultation_helpers import KEYS, eligible_worker, file_report, open_consultation

EPSILON = 1.0
K = 5
# D: 30 voters; D' = D plus one voter for the first option (add/remove neighbours)
D = [KEYS[0]] * 8 + [KEYS[1]] * 10 + [KEYS[2]] * 12
D2 = [*D, KEYS[0]]
VOTER_THRESHOLDS = (29, 30, 31, 32)
SHARE_THRESHOLDS = (0.26, 0.29, 0.32)  # the first option's share: 8/30 without, 9/31 with


def test_the_opendp_privacy_map_for_vote_sets_differing_by_one_voter_is_at_most_epsilon():
    for epsilon in (0.1, 0.5, 1.0, 2.0):
        measurement = consultations.count_measurement(tuple(KEYS), epsilon)
        d_in = dp_symmetric_distance(D, D2)
        assert d_in == 1
        assert measurement.map(d_in) <= epsilon * (1 + 1e-9)
        assert measurement.map(d_in) >= epsilon * 0.999  # calibrated, not wasted


def test_changing_ones_vote_is_two_neighbouring_steps_so_costs_at_most_twice_epsilon():
    measurement = consultations.count_measurement(tuple(KEYS), EPSILON)
    changed = [KEYS[1], *D[1:]]  # the first voter changed their vote
    assert dp_symmetric_distance(D, changed) == 2
    assert measurement.map(2) <= 2 * EPSILON * (1 + 1e-9)


def dp_symmetric_distance(a: list[str], b: list[str]) -> int:
    """The symmetric distance OpenDP's input metric uses: the size of the multiset difference."""
    from collections import Counter

    ca, cb = Counter(a), Counter(b)
    return sum(((ca - cb) + (cb - ca)).values())


def _sample(votes: list[str]) -> list[dict]:
    return [consultations.noisy_results(KEYS, votes, epsilon=EPSILON, k=K) for _ in range(RUNS)]


def test_results_on_neighbouring_vote_sets_differ_no_more_than_epsilon_allows():
    """Events on the published output (the noisy number of voters; the first option's share),
    each a post-processing of the one ε-DP measurement; Clopper–Pearson bounds as in the
    release test, false-failure rate below 1e-6."""
    a, b = _sample(D), _sample(D2)
    assert all(not r["suppressed"] for r in a + b)  # 30 voters, k = 5: always published
    assert len({r["voters"] for r in a}) > 3  # the results are noisy
    assert 28 < sum(r["voters"] for r in a) / RUNS < 32
    problems = []
    for t in VOTER_THRESHOLDS:
        hits = sum(r["voters"] >= t for r in a)
        hits2 = sum(r["voters"] >= t for r in b)
        problems += [f"voters ≥ {t}: {v}" for v in violations(hits, hits2, RUNS, EPSILON, 0.0)]
    for s in SHARE_THRESHOLDS:
        hits = sum(r["shares"][KEYS[0]] >= s for r in a)
        hits2 = sum(r["shares"][KEYS[0]] >= s for r in b)
        problems += [f"share ≥ {s}: {v}" for v in violations(hits, hits2, RUNS, EPSILON, 0.0)]
    assert not problems, problems


@pytest.mark.django_db
def test_the_results_record_the_epsilon_of_the_measurement(settings):
    settings.VISIBLEWORK_CONSULTATION_EPSILON = 0.7
    settings.VISIBLEWORK_K = 1
    c = open_consultation()
    consultations.vote(eligible_worker("w"), c, KEYS[0])
    c = consultations.close(c)
    assert c.results["epsilon"] == 0.7
    assert math.isclose(consultations.count_measurement(tuple(KEYS), 0.7).map(1), 0.7,
                        rel_tol=1e-6)


# --- The canary -------------------------------------------------------------------------

CANARY = "canary-voter-x7q9z"
SKIP = ("/admin/", "/static/", "/accounts/logout/", "/i18n/", "/api/v1/docs")
START = ["/", "/consultations/", "/insights/", "/insights/method/", "/api/v1/openapi.json",
         "/api/v1/cases", "/api/v1/actors", "/feeds/cases.atom", "/export/cases.json"]
VOTE_ID = re.compile(r"/(?:votes?|voters?)/\d+")


def _crawl(client, start: list[str], limit: int = 150) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP) or url.endswith("/logout/"):
            continue
        seen[url] = body(client.get(url))
        for link in HREF.findall(seen[url]):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP):
                queue.append(link)
    return seen


@pytest.fixture
def canary_votes(db, settings, editor_user):
    """The canary votes in a consultation that then closes (results published, a decision
    recorded) and in one still open."""
    settings.VISIBLEWORK_K = 1
    canary = User.objects.create_user(CANARY, role=Role.WORKER)
    file_report(canary)
    closed = open_consultation("Closed with the canary?")
    consultations.vote(canary, closed, KEYS[1])
    consultations.vote(eligible_worker("another-voter"), closed, KEYS[2])
    closed = consultations.close(closed)
    consultations.decide(editor_user, closed, "Decided", "Because.")
    still_open = open_consultation("Open with the canary?")
    consultations.vote(canary, still_open, KEYS[0])
    return closed, still_open


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_no_voter_is_ever_named_on_a_public_page_feed_or_api(request, persona, canary_votes):
    client = request.getfixturevalue(persona)
    closed, still_open = canary_votes
    pages = _crawl(client, [*START, f"/consultations/{closed.slug}/",
                            f"/consultations/{still_open.slug}/"])
    assert f"/consultations/{closed.slug}/" in pages and "/insights/method/" in pages
    for url, text in pages.items():
        assert CANARY not in text, f"the voter's handle at {url}"
        assert "another-voter" not in text, f"a voter's handle at {url}"
        assert not VOTE_ID.search(text), f"a vote's id at {url}"
        assert "Your vote:" not in text, f"someone else's vote shown at {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin"])
def test_no_voter_is_named_on_the_editors_consultation_screens(request, persona, canary_votes):
    client = request.getfixturevalue(persona)
    pages = _crawl(client, ["/review/consultations/"], limit=60)
    screens = [u for u in pages if u.startswith("/review/consultations/")]
    assert len(screens) >= 3, screens
    for url in screens + ["/review/audit/"]:
        text = pages.get(url) or body(client.get(url))
        assert CANARY not in text and "another-voter" not in text, url

"""Answer rates of data-rights letters, per company and law, as extra cells of a release
(insights.releases.ExtraCells, wired by settings.VISIBLEWORK_RELEASE_EXTRAS).

Loaded only while a release is built (it brings in OpenDP). The method:

- Public keys, fixed before any follow-up is read: every company with a privacy contact × every
  law × every outcome.
- Contributors: a signed-in worker is one contributor (their latest follow-up per company and
  law counts, once); a follow-up sent without an account is a contributor of its own. Each
  contributor counts in at most ``MAX_CELLS`` company-and-law cells (their most recent ones).
- OpenDP (insights.dp_mechanisms.run_part, pure DP, discrete Laplace): one noisy count per
  company, law and outcome, under the stated ε (settings.VISIBLEWORK_RIGHTS_EPSILON), separate
  from the release's own ε and recorded in its budget.
- Post-processing of the noisy counts only: negative counts become 0; a company-and-law cell
  whose noisy total is below k is suppressed; otherwise its shares per outcome are published.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from django.conf import settings

from visiblework.insights import dp_mechanisms as mech
from visiblework.insights.releases import ExtraCells

from .laws import LAWS
from .models import PrivacyContact, RightsFollowUp
from .rights import OUTCOMES

MAX_CELLS = 3  # company-and-law cells one contributor can count in
MAX_LENGTH = 1_000_000  # public bound on the rows read
DIMS = ("actor", "law", "outcome")
METHOD = ("OpenDP noisy counts (discrete Laplace) per company, law and outcome; each person "
          f"counted once per company and law, in at most {MAX_CELLS} of them")


def contributions(cutoff: date) -> pl.DataFrame:
    """One row per contributor and company-and-law cell (their latest outcome), at most
    MAX_CELLS cells per contributor."""
    rows = (RightsFollowUp.objects.filter(month_sent__lte=cutoff)
            .order_by("-month_sent", "-id")
            .values_list("id", "worker_id", "actor__slug", "law", "outcome")[:MAX_LENGTH])
    kept: dict[str, list[tuple[str, str]]] = {}
    out: dict[str, list[str]] = {"actor": [], "law": [], "outcome": []}
    for pk, worker_id, actor, law, outcome in rows.iterator(chunk_size=5000):
        contributor = f"u{worker_id}" if worker_id else f"f{pk}"
        cells = kept.setdefault(contributor, [])
        if (actor, law) in cells or len(cells) >= MAX_CELLS:
            continue  # newest first: an older answer about the same cell does not count
        cells.append((actor, law))
        out["actor"].append(actor)
        out["law"].append(law)
        out["outcome"].append(outcome)
    return pl.DataFrame(out, schema={name: pl.String for name in DIMS})


def public_keys() -> pl.DataFrame:
    actors = sorted(PrivacyContact.objects.values_list("actor__slug", flat=True)[:500])
    combos = [(a, law, o) for a in actors for law in LAWS for o in OUTCOMES]
    return pl.DataFrame(combos, schema={name: pl.String for name in DIMS}, orient="row")


def answer_rates(*, cutoff: date, k: int) -> ExtraCells:
    epsilon = float(settings.VISIBLEWORK_RIGHTS_EPSILON)
    extra = ExtraCells(name="rights_answer_rates",
                       title="Answers to data-rights letters, per company and law",
                       epsilon=epsilon, dims=("actor", "law"), method=METHOD)
    keys = public_keys()
    if keys.height == 0:
        return extra
    frame = contributions(cutoff)
    stat = mech.Stat(name="answers", query="all", weight=1.0, kind="len")
    part = mech.run_part(frame, dims=DIMS, keys=keys, stats=[stat], mode=mech.PURE,
                         loss=epsilon, max_contributions=MAX_CELLS, max_length=MAX_LENGTH,
                         grids={})
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for actor, law, outcome, noisy in part.values.select(*DIMS, "answers").iter_rows():
        counts.setdefault((actor, law), {})[outcome] = max(int(noisy or 0), 0)
    cells = []
    for (actor, law), by_outcome in sorted(counts.items()):
        total = sum(by_outcome.values())
        dims = {"actor": actor, "law": law}
        if total < k:
            cells.append({"dims": dims, "suppressed": True, "workers": None, "stats": {}})
            continue
        stats: dict[str, float | int] = {}
        for outcome in OUTCOMES:
            stats[f"{outcome}_count"] = by_outcome.get(outcome, 0)
            stats[f"{outcome}_share"] = by_outcome.get(outcome, 0) / total
        cells.append({"dims": dims, "suppressed": False, "workers": total, "stats": stats})
    return ExtraCells(name=extra.name, title=extra.title, epsilon=epsilon, dims=extra.dims,
                      method=METHOD, cells=cells,
                      details={"mechanism": part.stats, "max_cells_per_person": MAX_CELLS})

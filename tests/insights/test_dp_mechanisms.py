"""The sequential compositor of a release's part: each query's slot is its share of the part's
loss, the slots add up to no more than the loss by OpenDP's own map, and OpenDP refuses a
query that would spend more than its slot."""

import polars as pl
import pytest
from opendp.extras.polars import Margin, dp_len
from opendp.mod import OpenDPException

from visiblework.insights import dp_mechanisms

# The run on PostgreSQL leaves these out: the compositor runs on data frames, with no database.
pytestmark = pytest.mark.database_independent

SHARES = [0.5, 0.3, 0.2]


def compositor(mode: str, loss: float):
    data = pl.LazyFrame({"region": ["global-north", "global-south"] * 20})
    unit = dp_mechanisms._unit([], 1)
    margins = [Margin(by=[], max_length=1_000)]
    return dp_mechanisms._compositor(data, unit, dp_mechanisms.loss_of(mode, loss), SHARES,
                                     margins)


@pytest.mark.parametrize("mode", [dp_mechanisms.PURE, dp_mechanisms.ZCDP])
def test_each_query_gets_its_share_of_the_loss(mode):
    context = compositor(mode, 2.0)
    assert context.d_mids == pytest.approx([1.0, 0.6, 0.4], rel=1e-8)


@pytest.mark.parametrize("mode", [dp_mechanisms.PURE, dp_mechanisms.ZCDP])
@pytest.mark.parametrize("loss", [0.1, 1.0, 3.0 / 0.98, 1e6])
def test_opendp_finds_the_slots_within_the_loss(mode, loss):
    context = compositor(mode, loss)
    assert context.accountant.map(context.d_in) <= loss


def test_a_query_that_would_spend_more_than_its_slot_is_refused():
    context = compositor(dp_mechanisms.PURE, 1.0)
    # A count with noise of scale 1 costs ε = 1 for one contribution; the first slot is 0.5.
    plan = context.query().select(dp_len(scale=1.0, signed=True))
    with pytest.raises(OpenDPException):
        context(dp_mechanisms._measurement(context, plan))


def test_a_query_within_its_slot_is_answered():
    context = compositor(dp_mechanisms.PURE, 1.0)
    plan = context.query().select(dp_len(scale=4.0, signed=True))
    released = context(dp_mechanisms._measurement(context, plan)).collect()
    assert released.height == 1

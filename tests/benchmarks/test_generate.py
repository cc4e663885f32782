"""The synthetic data generator's row values (benchmarks/generate.py)."""

from __future__ import annotations

import json

import numpy as np

from visiblework.benchmarks.generate import _unique_keys, _unpaid_json


def test_receipt_hashes_are_unique_64_hex_digits_in_row_order():
    hashes = _unique_keys(seed=1, first=1, n=5000)["receipt_hash"]
    assert len(set(hashes)) == 5000
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)
    assert hashes == sorted(hashes)


def test_public_ids_are_unique_and_do_not_follow_row_order():
    ids = _unique_keys(seed=1, first=1, n=5000)["public_id"]
    assert len(set(ids)) == 5000 and {len(i) for i in ids} == {16}
    assert ids != sorted(ids)


def test_the_same_seed_and_rows_give_the_same_keys():
    assert _unique_keys(seed=3, first=100, n=10) == _unique_keys(seed=3, first=100, n=10)


def test_unpaid_hours_are_written_as_the_json_the_app_stores():
    columns = {"training": np.array([0.0, 1.5, 2.0]), "waiting": np.array([0.5, 0.0, 10.0])}
    written = _unpaid_json(columns)
    assert [json.loads(text) for text in written] == [
        {"waiting": "0.5"}, {"training": "1.5"}, {"training": "2", "waiting": "10"}]

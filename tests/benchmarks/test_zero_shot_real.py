"""benchmarks/zero_shot_real.py's held-out folds and paired bootstrap (the run itself needs the data)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.zero_shot_real import counts, paired, target_folds  # noqa: E402


def test_folds_hold_each_target_once():
    assert sorted(len(f) for f in target_folds(["b", "a", "c", "a"], 4)) == [1, 1, 1]  # one target a fold
    folds = target_folds([f"t{i}" for i in range(10)], 4)
    assert len(folds) == 4 and sorted(t for f in folds for t in f) == sorted(f"t{i}" for i in range(10))
    assert folds == target_folds([f"t{i}" for i in reversed(range(10))], 4)  # seeded, not order-dependent


def test_paired_difference_and_its_interval():
    gold = ["favor", "against"] * 4
    right, wrong = list(gold), ["favor"] * 8
    groups = ["x", "x", "y", "y", "z", "z", "w", "w"]
    diff, low, high = paired(gold, right, wrong, groups, "pstance")
    assert diff == 1.0 - (2 / 3) / 2 and low <= diff <= high
    assert paired(gold, right, right, groups, "pstance") == (0.0, 0.0, 0.0)
    assert counts(["none", "favor", "favor"]) == "favor 2 / none 1"

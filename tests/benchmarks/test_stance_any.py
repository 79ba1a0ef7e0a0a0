"""The any-target stance benchmark: how training datasets are weighted, and the skip without data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.stance_any import weights  # noqa: E402
from benchmarks.stance_any_data import Pair  # noqa: E402

# Invented pairs: a big none-heavy dataset and a small balanced one.
DATA = ([Pair("big", "train", "t", f"text {i}", "none" if i % 5 else "favor", "big:t") for i in range(100)]
        + [Pair("small", "train", "s", f"other {i}", "favor" if i % 2 else "against", "small:s") for i in range(10)])


def totals(w, key):
    out = defaultdict(float)
    for weight, pair in zip(w, DATA):
        out[key(pair)] += weight
    return out


def test_none_weighs_every_pair_alike():
    assert weights(DATA, "none") is None


def test_per_dataset_every_dataset_weighs_the_same_and_the_mean_is_one():
    w = weights(DATA, "dataset")
    assert w.mean() == pytest.approx(1.0)
    by = totals(w, lambda p: p.dataset)
    assert by["big"] == pytest.approx(by["small"]) == pytest.approx(55.0)
    sqrt = totals(weights(DATA, "dataset-sqrt"), lambda p: p.dataset)
    assert sqrt["big"] / sqrt["small"] == pytest.approx(np.sqrt(10))


def test_per_dataset_and_class_every_label_of_a_dataset_weighs_the_same():
    by = totals(weights(DATA, "dataset-class"), lambda p: (p.dataset, p.label))
    assert by["big", "none"] == pytest.approx(by["big", "favor"]) == pytest.approx(by["small", "against"] * 2 / 2)
    assert by["big", "none"] + by["big", "favor"] == pytest.approx(by["small", "favor"] + by["small", "against"])


def test_an_unknown_weighting_stops_with_its_name():
    with pytest.raises(SystemExit, match="dataset-class"):
        weights(DATA, "per-target")


def test_it_skips_cleanly_without_the_data(tmp_path):
    env = {**os.environ, "FRAMING_DATA": str(tmp_path / "absent"), "STANCE_ANY_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stance_any.py"), "cv"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stdout and "FRAMING_DATA" in result.stdout

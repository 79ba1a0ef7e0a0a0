"""Which stance datasets a benchmark finds: one lookup for the multi-target and the any-target lists."""

from __future__ import annotations

from benchmarks import stance_any_data, stance_data


def test_available_lists_the_present_folders_in_each_lists_order(tmp_path):
    for name in ("vast", "semeval2016", "fnc1", "pstance"):
        (tmp_path / name).mkdir()
    (tmp_path / "arc").write_text("a file, not a dataset's folder")
    assert stance_data.available(tmp_path) == ["pstance", "vast"]  # stance_data.DATASETS' order; no fnc1 there
    assert stance_any_data.available(tmp_path) == ["fnc1", "vast", "pstance"]  # stance_any_data.DATASETS' order
    assert stance_data.available(tmp_path, ("pstance", "arc", "fnc1")) == ["pstance", "fnc1"]
    assert stance_data.available(tmp_path / "absent") == [] == stance_any_data.available(tmp_path / "absent")


def test_both_draw_the_same_fixed_seed_sample_in_order():
    items = list(range(100))
    drawn = stance_data.subsample(items, 10, seed=3)
    assert len(drawn) == 10 and drawn == sorted(drawn) and stance_any_data.cap(items, 10, 3) == drawn
    assert stance_data.subsample(items, 10, seed=3) == drawn != stance_data.subsample(items, 10, seed=4)
    assert stance_any_data.cap(items[:5], 10) == items[:5]

"""Agreement coefficients against worked textbook values, and the per-task report."""

from __future__ import annotations

import random

import pytest
from sklearn.metrics import cohen_kappa_score

from pipeline.labelling import agreement_report, cohen_kappa, krippendorff_alpha
from pipeline.labelling.store import LabelLog


class TestKrippendorffAlpha:
    def test_four_coders_with_missing_values(self):
        """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal
        data, 4 observers, 12 units, missing values; the worked answer is alpha = 0.743."""
        _ = None
        coders = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
            [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
        ]
        units = [[v for v in unit if v is not None] for unit in zip(*coders)]
        assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)

    def test_two_coders_binary(self):
        """Krippendorff (2011), section A: two observers, binary data, 10 units: alpha = 0.095."""
        a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
        b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
        assert krippendorff_alpha(list(zip(a, b))) == pytest.approx(0.095, abs=5e-4)

    def test_mapping_input_and_single_codings_ignored(self):
        units = {"x": ["a", "a"], "y": ["b", "b"], "z": ["a"]}
        assert krippendorff_alpha(units) == pytest.approx(1.0)

    def test_undefined_cases(self):
        assert krippendorff_alpha([["a"], ["b"]]) is None  # nothing coded twice
        assert krippendorff_alpha([["a", "a"], ["a", "a"]]) is None  # one value throughout

    def test_perfect_disagreement_is_negative(self):
        assert krippendorff_alpha([["a", "b"], ["b", "a"]]) < 0


class TestCohenKappa:
    def test_worked_example(self):
        """The classic 2x2 example (50 items: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no): kappa = 0.4."""
        first = ["yes"] * 25 + ["no"] * 25
        second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
        assert cohen_kappa(first, second) == pytest.approx(0.4)

    def test_equals_scikit_learn(self):
        rng = random.Random(3)
        a = [rng.choice("xyz") for _ in range(200)]
        b = [v if rng.random() < 0.6 else rng.choice("xyz") for v in a]
        assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))

    def test_undefined_and_errors(self):
        assert cohen_kappa([], []) is None
        assert cohen_kappa(["a", "a"], ["a", "a"]) is None
        with pytest.raises(ValueError, match="equally long"):
            cohen_kappa(["a"], ["a", "b"])


def _label(annotator, pid, label, task="stance"):
    return {"op": "label", "key": f"{annotator}-{pid}-{task}", "id": pid, "task": task, "label": label,
            "annotator": annotator, "time": "2026-01-01T00:00:00+00:00"}


class TestAgreementReport:
    def test_pairs_confusion_and_disagreements(self):
        labels = [_label("ann", "1", "support"), _label("bob", "1", "support"),
                  _label("ann", "2", "oppose"), _label("bob", "2", "neutral"),
                  _label("ann", "3", "oppose"), _label("bob", "3", "oppose"), _label("cy", "3", "support"),
                  _label("ann", "4", "neutral"), _label("ann", "4", "frame-x", task="frame")]
        report = agreement_report(LabelLog(labels=labels))
        stance = report["stance"]
        assert stance["annotators"] == ["ann", "bob", "cy"]
        assert stance["pieces"] == 4 and stance["pieces_compared"] == 3
        ann_bob = stance["pairs"][0]
        assert ann_bob["annotators"] == ["ann", "bob"] and ann_bob["n"] == 3
        assert ann_bob["confusion"]["oppose"]["neutral"] == 1 and ann_bob["confusion"]["support"]["support"] == 1
        assert ann_bob["agreement"] == pytest.approx(2 / 3)
        assert ann_bob["kappa"] == pytest.approx(cohen_kappa(["support", "oppose", "oppose"],
                                                            ["support", "neutral", "oppose"]))
        assert [d["id"] for d in stance["disagreements"]] == ["2", "3"]
        assert stance["disagreements"][1]["labels"] == {"ann": "oppose", "bob": "oppose", "cy": "support"}
        assert stance["alpha"] == pytest.approx(krippendorff_alpha([["support", "support"], ["oppose", "neutral"],
                                                                    ["oppose", "oppose", "support"]]))
        assert report["frame"]["pieces_compared"] == 0 and report["frame"]["alpha"] is None

    def test_latest_label_counts_and_annotator_filter(self):
        labels = [_label("ann", "1", "support"), _label("bob", "1", "oppose"), _label("bob", "1", "support")]
        labels[1]["key"] = "first"
        report = agreement_report(LabelLog(labels=labels), annotators=["ann", "bob"])
        assert report["stance"]["disagreements"] == []
        assert agreement_report(LabelLog(labels=labels), annotators=["ann"])["stance"]["pieces_compared"] == 0

"""Metrics with intervals, calibration, and cross-validation that collects out-of-fold probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from pipeline.evaluation.metrics import calibration_metrics, classification_metrics, shortcut_gaps
from pipeline.training.cross_validation import cross_validate


class TestClassificationMetrics:
    def test_matches_sklearn_and_orients_the_confusion_matrix(self):
        gold = ["a", "a", "b", "b", "c", "c", "a", "b"]
        pred = ["a", "b", "b", "b", "c", "a", "a", "c"]
        m = classification_metrics(gold, pred, ["a", "b", "c"], n_boot=200)
        assert m["macro_f1"] == pytest.approx(f1_score(gold, pred, average="macro"))
        assert m["accuracy"] == pytest.approx(5 / 8)
        assert m["confusion"][0] == [2, 1, 0]  # gold a: 2 right, 1 predicted b
        assert m["per_class"]["c"]["support"] == 2
        assert m["majority_baseline"]["label"] in ("a", "b")
        assert m["majority_baseline"]["accuracy"] == pytest.approx(3 / 8)

    def test_intervals_contain_the_score_and_collapse_when_perfect(self):
        gold = ["x", "y"] * 20
        perfect = classification_metrics(gold, gold, n_boot=100)
        assert perfect["macro_f1_ci"] == [1.0, 1.0]
        noisy = classification_metrics(gold, ["x"] * 30 + ["y"] * 10, n_boot=300)
        low, high = noisy["macro_f1_ci"]
        assert low <= noisy["macro_f1"] <= high and high - low > 0.05
        assert set(noisy["per_class"]["x"]) >= {"precision_ci", "recall_ci", "f1_ci"}
        assert noisy["bootstrap"] == {"resamples": 300, "unit": "piece"}

    def test_group_bootstrap_is_wider_when_groups_are_all_right_or_all_wrong(self):
        gold = ["x", "y"] * 40
        pred = [g if (i // 10) % 2 == 0 else ("y" if g == "x" else "x") for i, g in enumerate(gold)]
        groups = [str(i // 10) for i in range(len(gold))]  # each group of 10: all right or all wrong
        by_piece = classification_metrics(gold, pred, n_boot=500)
        by_group = classification_metrics(gold, pred, groups=groups, n_boot=500)
        assert by_group["bootstrap"]["unit"] == "group"
        width = lambda m: m["accuracy_ci"][1] - m["accuracy_ci"][0]  # noqa: E731
        assert width(by_group) > width(by_piece)

    def test_probabilities_add_calibration(self):
        m = classification_metrics(["a", "b"], ["a", "a"], ["a", "b"], proba=np.array([[0.9, 0.1], [0.6, 0.4]]))
        assert set(m["calibration"]) == {"ece", "brier", "bins"}


class TestCalibration:
    def test_perfect_and_confident_is_zero(self):
        proba = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
        cal = calibration_metrics(np.array([0, 1, 0]), proba)
        assert cal["ece"] == pytest.approx(0.0) and cal["brier"] == pytest.approx(0.0)

    def test_overconfidence_is_measured(self):
        # always 90% sure, right half the time: ECE 0.4; Brier 0.5*(0.01+0.01) + 0.5*(0.81+0.81)
        proba = np.tile([0.9, 0.1], (10, 1))
        y = np.array([0, 1] * 5)
        cal = calibration_metrics(y, proba, bins=10)
        assert cal["ece"] == pytest.approx(0.4)
        assert cal["brier"] == pytest.approx(0.82)
        filled = [b for b in cal["bins"] if b["count"]]
        assert len(filled) == 1 and filled[0]["count"] == 10 and filled[0]["lower"] == pytest.approx(0.8)
        assert filled[0]["accuracy"] == pytest.approx(0.5) and filled[0]["confidence"] == pytest.approx(0.9)
        assert sum(b["count"] for b in cal["bins"]) == 10


def _lookup_model(values, labels):
    """A 'model' that predicts the majority training label of each value, with 80% confidence."""

    def fit(rows):
        seen = {}
        for r in rows:
            seen.setdefault(values[r], []).append(labels[r])
        classes = sorted({labels[r] for r in rows})
        return classes, {v: max(set(ls), key=ls.count) for v, ls in seen.items()}

    def predict(model, rows):
        classes, table = model
        proba = np.full((len(rows), len(classes)), 0.2 / max(len(classes) - 1, 1))
        for i, r in enumerate(rows):
            proba[i, classes.index(table.get(values[r], classes[0]))] = 0.8
        return classes, proba

    return fit, predict


class TestCrossValidate:
    def test_collects_out_of_fold_probabilities_and_calibration(self):
        labels = ["a", "b", "c"] * 10
        fit, predict = _lookup_model(labels, labels)  # the value gives the label away
        result = cross_validate(fit, predict, labels, folds=5)
        assert result["macro_f1"] == pytest.approx(1.0)
        assert result["folds"] == 5 and result["n"] == 30
        assert result["calibration"]["ece"] == pytest.approx(0.2)  # 80% sure, always right
        assert "warnings" not in result

    def test_outlet_shortcut_shows_as_a_gap(self):
        # labels follow the outlet, so a model that recognises outlets is right on random splits
        # and can only guess when the outlet is held out
        sources = [f"s{i % 6}" for i in range(60)]
        labels = ["pro" if int(s[1]) % 2 else "con" for s in sources]
        fit, predict = _lookup_model(sources, labels)
        grouped = cross_validate(fit, predict, labels, sources, folds=3, grouping="source")
        random = cross_validate(fit, predict, labels, folds=3)
        gaps = shortcut_gaps({"source": grouped, "random": random})
        assert random["macro_f1"] == pytest.approx(1.0)
        assert gaps["source"] > 0.3

    def test_a_grouping_that_hides_a_class_from_training_is_named(self):
        sources = ["A"] * 6 + ["B"] * 6 + ["C"] * 6
        labels = ["x", "y"] * 6 + ["z"] * 6  # only outlet C has 'z'
        fit, predict = _lookup_model(list(range(18)), labels)
        result = cross_validate(fit, predict, labels, sources, folds=3, grouping="source")
        text = " ".join(result["warnings"])
        assert "grouping by source" in text and "'z': 6 piece(s) (all from C)" in text
        assert "fold" in text and "Label pieces" in text
        assert result["per_class"]["z"]["recall"] == 0.0  # columns of absent classes stay at 0

    def test_too_few_groups_raise_a_training_error(self):
        from pipeline.errors import TrainingError

        fit, predict = _lookup_model([0] * 4, ["a", "b"] * 2)
        with pytest.raises(TrainingError, match="only 1 source group"):
            cross_validate(fit, predict, ["a", "b"] * 2, ["S"] * 4, grouping="source")


def test_shortcut_gaps_skip_failed_schemes():
    schemes = {"source": {"macro_f1": 0.5}, "story": {"error": "too few"}, "random": {"macro_f1": 0.8}}
    assert shortcut_gaps(schemes) == {"source": pytest.approx(0.3)}
    assert shortcut_gaps({"source": {"macro_f1": 0.5}}) == {}

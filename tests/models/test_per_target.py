"""Per-target learning: shared plus per-target weights in one linear model."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from pipeline.features.samples import Sample
from pipeline.models.per_target import TargetAugmentedClassifier, TargetIndex, augment


def test_augment_copies_each_row_into_its_targets_block():
    X = sparse.csr_matrix(np.array([[1.0, 2.0], [3.0, 0.0], [0.0, 4.0]]))
    out = augment(X, np.array([1, 0, 2]), 2, target_weight=0.5).toarray()
    assert out.shape == (3, 6)
    np.testing.assert_array_equal(out, [[1, 2, 0.5, 1, 0, 0], [3, 0, 0, 0, 0, 0], [0, 4, 0, 0, 0, 2]])


def test_target_index_numbers_only_targets_with_enough_pieces():
    samples = [Sample("a", target="x")] * 3 + [Sample("b", target="y")] * 3 + [Sample("c", target="z")]
    index = TargetIndex(min_pieces=2).fit(samples)
    assert index.targets_ == ["x", "y"] and index.target_counts_ == {"x": 3, "y": 3, "z": 1}
    assert index.transform([Sample("q", target="y"), Sample("q", target="z"), Sample("q")]).ravel().tolist() == [2, 0, 0]
    # a single target with enough pieces: nothing per target
    assert TargetIndex(min_pieces=3).fit(samples[:4]).targets_ == []


def _opposite_targets(n: int = 40):
    """The same word means favour toward target 1 and against toward target 2."""
    rng = np.random.default_rng(0)
    rows, labels, index = [], [], []
    for i in range(n):
        target = 1 + i % 2
        word = rng.integers(0, 2)  # column 0 or 1
        rows.append([1.0 - word, float(word), rng.random() * 0.1])
        labels.append(("FAVOR" if word == 0 else "AGAINST") if target == 1 else ("AGAINST" if word == 0 else "FAVOR"))
        index.append(target)
    X = np.hstack([np.asarray(rows), np.asarray(index, dtype=float)[:, None]])
    return X, np.asarray(labels)


def test_per_target_weights_learn_what_one_global_model_cannot():
    X, y = _opposite_targets()
    augmented = TargetAugmentedClassifier(LogisticRegression(C=10.0)).fit(X, y)
    assert (augmented.predict(X) == y).mean() == 1.0
    plain = LogisticRegression(C=10.0).fit(X[:, :-1], y)
    assert (plain.predict(X[:, :-1]) == y).mean() < 0.7


def test_unseen_target_gets_the_shared_weights_and_coef_for_explains_exactly():
    X, y = _opposite_targets()
    clf = TargetAugmentedClassifier(LogisticRegression(C=10.0), target_weight=2.0).fit(X, y)
    unseen = X.copy()
    unseen[:, -1] = 7  # never trained on: read as 0, the shared block only
    shared_only = X.copy()
    shared_only[:, -1] = 0
    np.testing.assert_allclose(clf.predict_proba(unseen), clf.predict_proba(shared_only))
    for t in (0, 1, 2):
        rows = X[:, -1] == t if t else np.ones(len(X), bool)
        Xt = X[rows].copy()
        Xt[:, -1] = t
        coef = clf.coef_for(t)
        logits = Xt @ coef.T + clf.intercept_
        binary = np.column_stack([np.zeros(len(logits)), logits[:, 0]]) if logits.shape[1] == 1 else logits
        expected = clf.decision_function(Xt)
        np.testing.assert_allclose(binary[:, -1] - binary[:, 0] if binary.shape[1] == 2 else binary,
                                   expected if expected.ndim == 1 else expected, rtol=1e-6, atol=1e-8)


def test_without_targets_it_is_the_plain_estimator():
    X, y = _opposite_targets()
    X[:, -1] = 0
    clf = TargetAugmentedClassifier(LogisticRegression()).fit(X, y)
    plain = LogisticRegression().fit(X[:, :-1], y)
    np.testing.assert_allclose(clf.predict_proba(X), plain.predict_proba(X[:, :-1]))


@pytest.mark.parametrize("value", ["auto", "off"])
def test_factory_adds_the_block_only_when_asked(value):
    from pipeline.config import load_config
    from pipeline.models.factory import build_task_pipeline

    cfg = load_config(overrides={"classifier": {"per_target": value}})
    pipe = build_task_pipeline(cfg, use_target=True, n_samples=100)
    names = [n for n, _ in pipe.named_steps["features"].transformer_list]
    assert ("target_index" in names) == (value == "auto")
    assert isinstance(pipe.named_steps["clf"], TargetAugmentedClassifier) == (value == "auto")
    frame = build_task_pipeline(cfg, use_target=False, n_samples=100)
    assert "target_index" not in [n for n, _ in frame.named_steps["features"].transformer_list]


def test_factory_refuses_an_unknown_setting():
    from pipeline import errors
    from pipeline.config import load_config
    from pipeline.models.factory import build_task_pipeline

    with pytest.raises(errors.ConfigError, match="'classifier.per_target' must be one of 'auto', 'off', found 'yes'"):
        build_task_pipeline(load_config(overrides={"classifier": {"per_target": "yes"}}), use_target=True,
                            n_samples=100)


def test_text_target_blocks_are_left_out_where_per_target_weights_are_learnt():
    from pipeline.config import load_config
    from pipeline.models.factory import fit_task, per_target_active

    cfg = load_config(overrides={"classifier": {"calibration_folds": 0, "min_target_pieces": 4}})
    words = ["good plan", "bad plan", "fine idea", "awful idea"]
    samples = [Sample(f"{w} {i}", target=t, near=w) for t in ("alpha", "beta") for i, w in enumerate(words * 2)]
    labels = ["FAVOR", "AGAINST"] * 8
    assert per_target_active(cfg, samples) and not per_target_active(cfg, samples[:8])
    names = lambda pipe: [n for n, _ in pipe.named_steps["features"].transformer_list]  # noqa: E731
    both = fit_task(cfg, samples, labels, use_target=True)
    assert "near" not in names(both) and names(both)[-1] == "target_index"
    assert both.named_steps["clf"].n_targets_ == 2
    one = fit_task(cfg, samples[:8], labels[:8], use_target=True)
    assert "near" in names(one) and one.named_steps["clf"].n_targets_ == 0

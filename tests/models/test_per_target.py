"""Per-target learning: shared plus per-target weights in one linear model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from pipeline import errors
from pipeline.features.samples import Sample
from pipeline.models.per_target import TARGET_COLUMN, TargetAugmentedClassifier, TargetIndex, augment, target_columns

from ..conftest import DATA as ROOT_DATA
from ..conftest import data_script

DATA = ROOT_DATA / "per_target_model"


def test_augment_copies_each_row_into_its_targets_block():
    X = sparse.csr_matrix(np.array([[1.0, 2.0], [3.0, 0.0], [0.0, 4.0]]))
    out = augment(X, np.array([1, 0, 2]), 2, target_weight=0.5).toarray()
    assert out.shape == (3, 6)
    np.testing.assert_array_equal(out, [[1, 2, 0.5, 1, 0, 0], [3, 0, 0, 0, 0, 0], [0, 4, 0, 0, 0, 2]])


def test_compact_layout_copies_only_the_columns_each_target_used_in_training():
    X = sparse.csr_matrix(np.array([[1.0, 2.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 4.0], [0.0, 5.0, 0.0]]))
    columns = target_columns(X, np.array([1, 0, 2, 1]), 2)
    assert [c.tolist() for c in columns] == [[0, 1], [2]]
    # a new row of target 1 using column 2 (target 1 never did): that copy is left out
    new = sparse.csr_matrix(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 4.0]]))
    out = augment(new, np.array([1, 2]), 2, target_weight=0.5, columns=columns).toarray()
    np.testing.assert_array_equal(out, [[1, 2, 3, 0.5, 1, 0], [0, 0, 4, 0, 0, 2]])


def test_copy_cap_keeps_the_features_most_of_a_targets_pieces_use():
    # target 1: 4 rows; column 0 in all of them, column 1 in two, columns 2-9 in one row each
    dense = np.zeros((6, 10))
    dense[:4, 0] = 1.0
    dense[:2, 1] = 1.0
    for j in range(2, 10):
        dense[(j - 2) % 4, j] = 1.0
    dense[4:, 3] = 1.0  # target 2: 2 rows, one shared column
    X, index = sparse.csr_matrix(dense), np.array([1, 1, 1, 1, 2, 2])
    assert [len(c) for c in target_columns(X, index, 2)] == [10, 1]
    # cap 1 x sqrt(4 rows) = 2 columns: only features used by >= 2 rows fit (columns 0, 1);
    # target 2 (1 column, cap sqrt(2)) is under its cap
    capped = target_columns(X, index, 2, copy_cap=1)
    assert [c.tolist() for c in capped] == [[0, 1], [3]]
    assert [c.tolist() for c in target_columns(X, index, 2, copy_cap=0.5)] == [[0], []]
    assert [c.tolist() for c in target_columns(X, index, 2, copy_cap=5)] == [list(range(10)), [3]]
    assert [c.tolist() for c in target_columns(X, index, 2, copy_cap=0)] == [list(range(10)), [3]]


def test_capped_model_copies_fewer_features_and_still_predicts_from_its_own_layout():
    X, y = _many_targets(n=60, d=200)  # ~10 rows per target, each using ~40 of the 200 features
    plain = TargetAugmentedClassifier(LogisticRegression(C=4.0, max_iter=5000), target_weight=2.0).fit(X, y)
    capped = TargetAugmentedClassifier(LogisticRegression(C=4.0, max_iter=5000), target_weight=2.0,
                                       copy_cap=1.0).fit(X, y)
    index = X[:, -1].astype(int)
    for t, (every, kept) in enumerate(zip(plain.columns_, capped.columns_), start=1):
        assert len(kept) <= np.sqrt((index == t).sum()) < len(every) and set(kept) <= set(every)
    assert capped.augmented(X).shape[1] == X.shape[1] - 1 + sum(len(c) for c in capped.columns_)
    proba = capped.predict_proba(X)
    assert proba.shape == (len(X), 2) and np.allclose(proba.sum(axis=1), 1)
    assert (capped.predict(X) == y).mean() > 0.8
    # the weights a target's rows get: shared ones plus its kept copies only
    t = 1
    coef = capped.coef_for(t)
    row = np.zeros(X.shape[1])
    row[:-1] = 1.0
    row[-1] = t
    expected = capped.decision_function(row[None, :]).ravel()[0]
    assert np.isclose(row[:-1] @ coef[0, :-1] + capped.intercept_[0], expected)


def _many_targets(n_targets: int = 6, n: int = 240, d: int = 30, seed: int = 1):
    """Sparse rows, each target using its own subset of the columns, labels flipped per target."""
    rng = np.random.default_rng(seed)
    index = 1 + rng.integers(0, n_targets, n)
    dense = rng.random((n, d)) * (rng.random((n, d)) < 0.2)
    dense[:, : d // 2] *= (index[:, None] % 2 == 0)  # odd targets never use the first half
    score = dense[:, 0] + dense[:, d // 2] - dense[:, 1] - dense[:, d // 2 + 1]
    y = np.where((score > 0) ^ (index % 3 == 0), "FAVOR", "AGAINST")
    return np.hstack([dense, index[:, None].astype(float)]), y


def test_compact_layout_fits_the_same_model_as_the_full_one_in_fewer_columns():
    X, y = _many_targets()
    compact = TargetAugmentedClassifier(LogisticRegression(C=4.0, max_iter=5000, tol=1e-10), target_weight=2.0).fit(X, y)
    full = TargetAugmentedClassifier(LogisticRegression(C=4.0, max_iter=5000, tol=1e-10), target_weight=2.0).fit(X, y)
    del full.columns_  # as a model saved before the compact layout: every block d wide
    full.estimator_.fit(full.augmented(X), y)
    d = X.shape[1] - 1
    assert full.augmented(X).shape[1] == d * 7
    assert compact.augmented(X).shape[1] == d + sum(len(c) for c in compact.columns_) < d * 7
    test = X.copy()
    test[:, :-1] = np.random.default_rng(2).random((len(X), d))  # rows using columns their target never did
    np.testing.assert_allclose(compact.predict_proba(test), full.predict_proba(test), atol=1e-5)
    for t in range(7):
        np.testing.assert_allclose(compact.coef_for(t), full.coef_for(t), atol=1e-4)


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
    columns = both.named_steps["features"].get_feature_names_out().tolist()
    assert both.named_steps["clf"].target_column_ == columns.index(TARGET_COLUMN)  # found by name
    one = fit_task(cfg, samples[:8], labels[:8], use_target=True)
    assert "near" in names(one) and one.named_steps["clf"].n_targets_ == 0


def test_the_copy_cap_comes_from_the_config_and_old_models_read_as_uncapped():
    from pipeline.config import load_config
    from pipeline.models.factory import build_task_pipeline
    from pipeline.models.renames import OLD_SETTINGS

    for overrides, cap in (({}, 2000), ({"classifier": {"target_copy_cap": 7}}, 7)):
        pipe = build_task_pipeline(load_config(overrides=overrides), use_target=True, n_samples=500)
        assert pipe.named_steps["clf"].copy_cap == cap
    assert OLD_SETTINGS[("classifier", "target_copy_cap")] == 0
    old = TargetAugmentedClassifier(LogisticRegression(), target_weight=2.0)
    state = old.__getstate__()
    del state["copy_cap"]  # pickled before the setting existed
    restored = TargetAugmentedClassifier.__new__(TargetAugmentedClassifier)
    restored.__setstate__(state)
    assert restored.copy_cap == 0 and restored.get_params()["target_weight"] == 2.0


# _opposite_targets' columns as a feature union would name them: three word columns, then the target.
NAMES = ["words__a", "words__b", "words__c", TARGET_COLUMN]


class TestTheTargetColumnByName:
    def test_found_wherever_it_is(self):
        """The target column moved to the front (a block after it) gives the same model."""
        X, y = _opposite_targets()
        last = TargetAugmentedClassifier(LogisticRegression(C=10.0), target_weight=2.0).fit(X, y, feature_names=NAMES)
        order = [3, 0, 1, 2]
        first = TargetAugmentedClassifier(LogisticRegression(C=10.0), target_weight=2.0).fit(
            X[:, order], y, feature_names=[NAMES[i] for i in order])
        assert (last.target_column_, first.target_column_) == (3, 0)
        np.testing.assert_allclose(first.predict_proba(X[:, order]), last.predict_proba(X), rtol=0, atol=1e-12)
        np.testing.assert_array_equal(first.target_numbers(X[:, order]), X[:, 3].astype(int))
        # the explained weights keep the input's column order: 0 where the target column is
        for t in (0, 1, 2):
            np.testing.assert_allclose(first.coef_for(t), last.coef_for(t)[:, order], rtol=0, atol=1e-12)
            assert not first.coef_for(t)[:, 0].any()

    def test_a_dataframe_names_its_own_columns(self):
        pd = pytest.importorskip("pandas")
        X, y = _opposite_targets()
        order = [0, 3, 1, 2]
        frame = pd.DataFrame(X[:, order], columns=[NAMES[i] for i in order])
        clf = TargetAugmentedClassifier(LogisticRegression(C=10.0)).fit(frame, y)
        assert clf.target_column_ == 1 and clf.n_targets_ == 2
        assert (clf.predict(X[:, order]) == y).mean() == 1.0

    def test_without_names_it_is_the_last_column(self):
        X, y = _opposite_targets()
        bare = TargetAugmentedClassifier(LogisticRegression(C=10.0)).fit(X, y)
        named = TargetAugmentedClassifier(LogisticRegression(C=10.0)).fit(X, y, feature_names=NAMES)
        assert bare.target_column_ == 3
        np.testing.assert_allclose(bare.predict_proba(X), named.predict_proba(X), rtol=0, atol=1e-12)

    @pytest.mark.parametrize(("names", "message"), [
        (NAMES[:3], "feature_names has 3 names for the 4 columns of X"),
        (["words__a", "words__b", "words__c", "words__d"],
         "no column named 'target_index__target_index' among the 4 feature names .the last is 'words__d'."),
    ])
    def test_wrong_names_are_clear_errors(self, names, message):
        X, y = _opposite_targets()
        with pytest.raises(errors.TrainingError, match=message):
            TargetAugmentedClassifier(LogisticRegression()).fit(X, y, feature_names=names)

    def test_a_model_saved_when_the_column_was_read_by_position_predicts_the_same(self):
        """tests/data/per_target_model was saved at 865c231 (the last column read as the target's);
        reloaded it predicts what it did, and its classifier reads as one of today's."""
        from pipeline import load_model
        from pipeline.features.samples import prepare_samples
        from pipeline.nlp.processor import Processor

        save = data_script("per_target_model", "save")
        expected = json.loads((DATA / "expected.json").read_text())
        model = load_model(DATA / "model", trust=True)
        clf = model.tasks["stance"].named_steps["clf"]
        assert clf.n_targets_ == expected["n_targets"] == 2
        assert clf.target_column_ == clf.n_features_in_ - 1 and clf.get_params()["target_column"] == TARGET_COLUMN
        assert "TargetAugmentedClassifier" in repr(clf) and clf.get_params()["target_weight"] == 2.0
        pieces = save.pieces()
        assert [p.id for p in pieces] == expected["ids"] and model.labels("stance") == expected["labels"]
        samples = prepare_samples(pieces, Processor(), max_tokens=model.max_tokens)
        proba = model.predict_proba(samples)["stance"]
        np.testing.assert_allclose(proba, np.array(expected["proba"]), rtol=0, atol=1e-12)
        # and a fresh fit of the same pieces, target column found by name, predicts the same
        fresh, _ = save.fit()
        np.testing.assert_allclose(fresh.predict_proba(samples)["stance"], proba, rtol=0, atol=1e-12)


def test_training_matrix_is_what_fit_trains_on():
    X, y = _many_targets()
    clf = TargetAugmentedClassifier(LogisticRegression(C=4.0), target_weight=2.0)
    before = clf.training_matrix(X)  # unfitted: nothing kept
    assert not hasattr(clf, "columns_")
    clf.fit(X, y)
    np.testing.assert_array_equal(before.toarray(), clf.augmented(X).toarray())

"""The global model blended with a plain word model, where every target is new at prediction time."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from pipeline.features.samples import Sample
from pipeline.models import blend as blend_module
from pipeline.models.blend import WordBlendClassifier, choose_word_blend, out_of_fold_scores, whole_targets
from pipeline.models.linear import CalibratedLinearClassifier


def _data(n: int = 300, words: int = 6, noise: int = 300, seed: int = 0, informative: str = "words"):
    """``words`` leading columns, then ``noise`` columns; labels follow one side only; 30 targets."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, words + noise)) * (rng.random((n, words + noise)) < 0.3)
    signal = X[:, 0] - X[:, 1] if informative == "words" else X[:, words] - X[:, words + 1]
    y = np.where(signal + rng.normal(0, 0.05, n) > 0, "FAVOR", "AGAINST")
    groups = [f"t{i % 30}" for i in range(n)]
    return sparse.csr_matrix(X), y, groups


def test_blend_is_one_linear_model_with_the_averaged_calibrated_logits():
    X, y, _ = _data()
    full = CalibratedLinearClassifier(C=4.0, calibration_folds=3).fit(X, y)
    words = CalibratedLinearClassifier(C=1.0, calibration_folds=3).fit(X[:, :6], y)
    blend = WordBlendClassifier(CalibratedLinearClassifier(C=4.0, calibration_folds=3),
                                CalibratedLinearClassifier(C=1.0, calibration_folds=3), word_columns=6, weight=0.5).fit(X, y)
    expected = 0.5 * full.logits(X) + 0.5 * words.logits(X[:, :6])
    np.testing.assert_allclose(blend.logits(X), expected, atol=1e-9)
    np.testing.assert_allclose(blend.predict_proba(X), softmax(expected, axis=1), atol=1e-9)
    np.testing.assert_allclose(np.asarray(X @ blend.coef_.T) + blend.intercept_, expected, atol=1e-9)
    assert blend.predict(X).tolist() == blend.classes_[expected.argmax(axis=1)].tolist()
    assert list(blend.classes_) == ["AGAINST", "FAVOR"]


def test_the_choice_blends_only_where_held_out_targets_say_so():
    X, y, groups = _data(informative="words")
    # the full model at a high C overfits 300 noise columns; the word model reads the signal
    assert choose_word_blend(X, y, groups, 6, C=100.0, words_C=1.0, class_weight="balanced", folds=5)
    X, y, groups = _data(informative="rest", noise=20)
    assert not choose_word_blend(X, y, groups, 6, C=4.0, words_C=1.0, class_weight="balanced", folds=5)
    # fewer targets than folds: nothing to tell by
    assert not choose_word_blend(X, y, ["a", "b"] * 150, 6, C=4.0, words_C=1.0, class_weight="balanced", folds=5)


def test_whole_targets_draws_targets_whole_until_they_hold_the_pieces_asked():
    groups = [f"t{i % 7}" for i in range(70)] + ["big"] * 30  # 7 targets of 10, one of 30
    for seed in range(20):
        rows = whole_targets(groups, 25, seed)
        drawn = {groups[i] for i in rows}
        assert sorted(rows) == rows.tolist()
        assert rows.tolist() == [i for i, g in enumerate(groups) if g in drawn]  # every row of each target drawn
        sizes = sorted(30 if g == "big" else 10 for g in drawn)
        assert sum(sizes) >= 25 and sum(sizes) - sizes[-1] < 25  # stops once past 25
    assert whole_targets(groups, 25, 3).tolist() == whole_targets(groups, 25, 3).tolist()
    assert len({tuple(whole_targets(groups, 25, seed)) for seed in range(20)}) > 3
    assert len(whole_targets(groups, 1000, 0)) == len(groups)


def test_the_choice_reads_whole_targets_up_to_max_pieces(monkeypatch):
    X, y, groups = _data(n=600, informative="words")  # 30 targets of 20
    seen = []
    real = blend_module.out_of_fold_scores

    def spy(X, encoded, groups, *args, **kwargs):
        seen.append((X.shape[0], list(groups)))
        return real(X, encoded, groups, *args, **kwargs)

    monkeypatch.setattr(blend_module, "out_of_fold_scores", spy)
    args = dict(C=100.0, words_C=1.0, class_weight="balanced", folds=5)
    picked = choose_word_blend(X, y, groups, 6, **args, max_pieces=200, random_state=4)
    n, read = seen[-1]
    assert n == 200 and len(set(read)) == 10  # ten whole targets of 20
    rows = whole_targets(groups, 200, 4)
    assert read == [groups[i] for i in rows]
    assert picked == choose_word_blend(X[rows], y[rows], [groups[i] for i in rows], 6, **args)
    choose_word_blend(X, y, groups, 6, **args, max_pieces=0)
    assert seen[-1][0] == 600  # 0: every piece
    choose_word_blend(X, y, groups, 6, **args, max_pieces=600)
    assert seen[-1][0] == 600  # not more than the limit: every piece
    calls = len(seen)
    assert not choose_word_blend(X, y, groups, 6, **args, max_pieces=50)  # 3 targets: too few for 5 folds
    assert len(seen) == calls


def test_fold_scores_match_plain_fits_over_every_column_on_any_number_of_threads():
    X, y, groups = _data(informative="rest", noise=20)
    # per-target copies: each group's rows also fill a block of columns of its own, which its
    # held-out fold never uses
    cols = X.shape[1]
    index = np.asarray([int(g[1:]) for g in groups])
    copies = sparse.csr_matrix((X.toarray()[:, :, None] * (np.arange(30) == index[:, None])[:, None, :])
                               .reshape(len(groups), -1))
    X = sparse.hstack([X, copies]).tocsr()
    classes, encoded = np.unique(y, return_inverse=True)
    expected = {"full": np.zeros((len(y), 2)), "words": np.zeros((len(y), 2))}
    for train, test in GroupKFold(5).split(X, encoded, groups):
        for name, part, c in (("full", X, 4.0), ("words", X[:, :6], 1.0)):
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="newton-cg")
            expected[name][test, 1] = model.fit(part[train], encoded[train]).decision_function(part[test])
    for n_jobs in (1, 2):
        scores = out_of_fold_scores(X, encoded, groups, 6, C=4.0, words_C=1.0, class_weight="balanced",
                                    folds=5, n_jobs=n_jobs)
        for name in ("full", "words"):
            np.testing.assert_allclose(scores[name], expected[name], rtol=1e-6, atol=1e-6)
    assert X.shape[1] > 30 * cols  # the copies are there to drop
    # a fold without one of the labels: no scores to tell by
    only = np.asarray([int(g == "t0") for g in groups])
    assert out_of_fold_scores(X, only, groups, 6, C=4.0, words_C=1.0, class_weight="balanced", folds=5) is None


def _new_target_corpus(n_targets: int = 12):
    """Short pieces toward many small targets: the words say the stance, whatever the target."""
    favor = ["good", "great", "fine", "support", "yes"]
    against = ["bad", "awful", "wrong", "oppose", "no"]
    samples, labels = [], []
    for t in range(n_targets):
        for i in range(10):
            label = "FAVOR" if (i + t) % 2 else "AGAINST"
            word = (favor if label == "FAVOR" else against)[(i * 7 + t) % 5]
            samples.append(Sample(f"{word} plan number {i} for topic{t}", target=f"topic{t}", near=word))
            labels.append(label)
    return samples, labels


def test_fit_task_keeps_the_plain_model_unless_the_choice_says_blend(monkeypatch):
    from pipeline.config import load_config
    from pipeline.models import factory

    samples, labels = _new_target_corpus()
    cfg = load_config(overrides={"classifier": {"calibration_folds": 2}})
    assert factory.word_blend_candidate(cfg, samples, use_target=True)
    assert not factory.word_blend_candidate(load_config(overrides={"classifier": {"word_blend": "off"}}), samples,
                                            use_target=True)
    assert not factory.word_blend_candidate(cfg, samples, use_target=False)
    # per-target weights for a few targets: still a candidate while most pieces' targets have none
    few = load_config(overrides={"classifier": {"calibration_folds": 2, "min_target_pieces": 11}})
    big = [Sample(f"good plan {i}", target=f"big{i % 2}") for i in range(30)]
    assert factory.per_target_active(few, samples[:20] + big) and factory.per_target_active(few, samples + big)
    assert factory.word_blend_candidate(few, samples + big, use_target=True)  # 120 of 150 in small targets
    assert not factory.word_blend_candidate(few, samples[:20] + big, use_target=True)  # 30 of 50 have their own
    asked, options = [], []
    monkeypatch.setattr(factory, "choose_word_blend", lambda *a, **k: asked.append(a[3]) or options.append(k) or False)
    plain = factory.fit_task(cfg, samples, labels, use_target=True)
    assert isinstance(plain.named_steps["clf"].estimator_, CalibratedLinearClassifier)
    words = plain.named_steps["features"].transformer_list[0][1]
    assert asked == [len(words.get_feature_names_out())]  # the word block's width
    assert options[0]["max_pieces"] == 10000 and options[0]["random_state"] == cfg.evaluation.seed
    factory.fit_task(load_config(overrides={"classifier": {"calibration_folds": 2, "word_blend_max_pieces": 60}}),
                     samples, labels, use_target=True)
    assert options[1]["max_pieces"] == 60
    monkeypatch.setattr(factory, "choose_word_blend", lambda *a, **k: True)
    pipe = factory.fit_task(cfg, samples, labels, use_target=True)
    clf = pipe.named_steps["clf"]
    assert isinstance(clf.estimator_, WordBlendClassifier) and clf.estimator_.word_columns == asked[0]
    # still one linear model: the weights explain every probability exactly
    X = pipe.named_steps["features"].transform(samples[:5]).tocsr()
    logits = np.asarray(X @ clf.coef_for(0).T) + clf.intercept_
    np.testing.assert_allclose(softmax(logits, axis=1), pipe.predict_proba(samples[:5]), atol=1e-8)
    assert (pipe.predict(samples) == np.asarray(labels)).mean() > 0.9
    # a saved and reloaded blend predicts the same
    import pickle

    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(again.predict_proba(samples), pipe.predict_proba(samples))

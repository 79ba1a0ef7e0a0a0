import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.utils.estimator_checks import parametrize_with_checks

from pipeline.models.linear import CalibratedLinearClassifier


def _expected_failures(estimator):
    # Repeating a row is not the same as doubling its weight for the calibration folds,
    # which split the repeated rows apart; the linear model itself passes (calibration_folds=0).
    if estimator.calibration_folds < 2:
        return {}
    reason = "out-of-fold calibration splits repeated rows differently from weighted ones"
    return {f"check_sample_weight_equivalence_on_{kind}_data": reason for kind in ("dense", "sparse")}


@parametrize_with_checks([CalibratedLinearClassifier(), CalibratedLinearClassifier(calibration_folds=0),
                          CalibratedLinearClassifier(calibration_max_rows=20)],
                         expected_failed_checks=_expected_failures)
def test_sklearn_contract(estimator, check):
    check(estimator)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_logits_are_exactly_linear(n_classes):
    X, y = make_classification(200, 12, n_informative=6, n_classes=n_classes, random_state=0)
    clf = CalibratedLinearClassifier().fit(X, y)
    assert clf.coef_.shape == (n_classes, 12)
    np.testing.assert_allclose(X @ clf.coef_.T + clf.intercept_, clf.logits(X), atol=1e-8)
    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0)


def test_calibration_changes_confidence_not_decisions():
    X, y = make_classification(400, 30, n_informative=4, n_classes=3, flip_y=0.3, random_state=1)
    calibrated = CalibratedLinearClassifier(C=100.0).fit(X, y)
    raw = CalibratedLinearClassifier(C=100.0, calibration_folds=0).fit(X, y)
    assert np.array_equal(calibrated.predict(X), raw.predict(X))
    assert calibrated.temperature_ > 1.0  # an overfit model is overconfident: temperature softens it
    assert calibrated.predict_proba(X).max(axis=1).mean() < raw.predict_proba(X).max(axis=1).mean()


def test_one_class_is_a_clear_error():
    with pytest.raises(ValueError, match="at least 2 classes"):
        CalibratedLinearClassifier().fit(np.ones((4, 2)), ["a"] * 4)


def test_sample_weight_balances_weighted_class_totals():
    X, y = make_classification(300, 8, n_informative=5, n_classes=3, random_state=1)
    weights = np.where(y == 0, 5.0, 1.0)
    # "balanced" with weights equals no class weights with the weights already balanced.
    balanced = CalibratedLinearClassifier(calibration_folds=0).fit(X, y, sample_weight=weights)
    totals = np.bincount(y, weights=weights)
    manual = weights * (weights.sum() / (3 * totals))[y]
    plain = CalibratedLinearClassifier(class_weight=None, calibration_folds=0).fit(X, y, sample_weight=manual)
    np.testing.assert_allclose(balanced.coef_, plain.coef_, atol=1e-6)
    with pytest.raises(ValueError, match="2 classes"):
        CalibratedLinearClassifier().fit(X, y, sample_weight=(y == 1).astype(float))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_threads_give_the_model_and_temperature_of_out_of_fold_scores(n_classes, weighted):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from pipeline.models.linear import fit_temperature, full_scores

    X, y = make_classification(300, 20, n_informative=6, n_classes=n_classes, flip_y=0.2, random_state=2)
    weights = np.linspace(0.5, 2.0, len(y)) if weighted else None
    one, two = (CalibratedLinearClassifier(C=10.0, class_weight=None, calibration_folds=4, n_jobs=n)
                .fit(X, y, sample_weight=weights) for n in (None, 2))
    np.testing.assert_array_equal(one.coef_, two.coef_)
    assert one.temperature_ == two.temperature_ != 1.0
    # the same temperature as fitted on scikit-learn's out-of-fold decision values
    params = {} if weights is None else {"sample_weight": weights}
    scores = cross_val_predict(LogisticRegression(C=10.0, max_iter=2000, solver="newton-cg"), X, y, method="decision_function",
                               cv=StratifiedKFold(4, shuffle=True, random_state=0), params=params)
    assert fit_temperature(full_scores(scores), y) == pytest.approx(one.temperature_, rel=1e-9)
    full = LogisticRegression(C=10.0, max_iter=2000, solver="newton-cg").fit(X, y, **params)
    np.testing.assert_allclose(one.model_.coef_, full.coef_)


def test_both_solvers_fit_the_same_objective():
    X, y = make_classification(400, 30, n_informative=8, n_classes=3, flip_y=0.1, random_state=4)
    newton, lbfgs = (CalibratedLinearClassifier(C=4.0, calibration_folds=3, solver=s).fit(X, y)
                     for s in ("newton-cg", "lbfgs"))
    assert newton.model_.solver == "newton-cg" and lbfgs.model_.solver == "lbfgs"
    np.testing.assert_allclose(newton.predict_proba(X), lbfgs.predict_proba(X), atol=2e-3)
    assert (newton.predict(X) == lbfgs.predict(X)).mean() > 0.99


def test_a_model_pickled_before_the_solver_setting_reads_as_lbfgs():
    import pickle

    X, y = make_classification(100, 5, random_state=0)
    model = CalibratedLinearClassifier(calibration_folds=0).fit(X, y)
    state = model.__getstate__()
    del state["solver"]
    old = CalibratedLinearClassifier.__new__(CalibratedLinearClassifier)
    old.__setstate__(state)
    assert old.get_params()["solver"] == "lbfgs"
    assert old.get_params()["calibration_max_rows"] == 0
    again = pickle.loads(pickle.dumps(old))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))


def test_calibration_rows_are_a_stratified_sample_keeping_rare_classes():
    from pipeline.models.linear import calibration_rows

    encoded = np.asarray([0] * 900 + [1] * 97 + [2] * 3)
    assert calibration_rows(encoded, 0).tolist() == list(range(1000))
    assert calibration_rows(encoded, 1000).tolist() == list(range(1000))
    rows = calibration_rows(encoded, 100, random_state=3, least=5)
    assert rows.tolist() == sorted(set(rows.tolist()))
    assert np.bincount(encoded[rows]).tolist() == [90, 10, 3]  # shares kept; all 3 of the rarest
    assert calibration_rows(encoded, 100, random_state=3).tolist() == rows.tolist()
    assert calibration_rows(encoded, 100, random_state=4).tolist() != rows.tolist()


def test_calibration_on_a_row_sample_is_the_temperature_of_its_out_of_fold_scores():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from pipeline.models.linear import calibration_rows, fit_temperature, full_scores

    X, y = make_classification(600, 20, n_informative=6, n_classes=3, flip_y=0.2, random_state=5)
    sampled = CalibratedLinearClassifier(C=10.0, class_weight=None, calibration_folds=4, calibration_max_rows=200,
                                         random_state=7, n_jobs=2).fit(X, y)
    every = CalibratedLinearClassifier(C=10.0, class_weight=None, calibration_folds=4, random_state=7).fit(X, y)
    np.testing.assert_allclose(sampled.model_.coef_, every.model_.coef_)  # the model reads every row
    rows = calibration_rows(np.unique(y, return_inverse=True)[1], 200, 7, 4)
    assert len(rows) == 200
    scores = cross_val_predict(LogisticRegression(C=10.0, max_iter=2000, solver="newton-cg"), X[rows], y[rows],
                               method="decision_function", cv=StratifiedKFold(4, shuffle=True, random_state=7))
    assert sampled.temperature_ == pytest.approx(fit_temperature(full_scores(scores), y[rows]), rel=1e-9)
    assert sampled.temperature_ != every.temperature_


def test_the_calibration_sample_setting_reaches_the_model():
    from pipeline.config import load_config
    from pipeline.models.factory import _linear

    assert _linear(load_config(), 4.0).calibration_max_rows == 20000
    cfg = load_config(overrides={"classifier": {"calibration_max_pieces": 0}})
    assert _linear(cfg, 4.0).calibration_max_rows == 0

"""The two-stage classifier: the scikit-learn contract, how the stages combine, its edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from pipeline.classifier import CalibratedLinearClassifier
from pipeline.two_stage import TwoStageClassifier


@parametrize_with_checks([TwoStageClassifier(), TwoStageClassifier(gate_label=0),
                          TwoStageClassifier(gate_label=1, estimator=CalibratedLinearClassifier(calibration_folds=0))])
def test_sklearn_contract(estimator, check):
    check(estimator)


def _stance_data(n: int = 400, seed: int = 0):
    """Column 0 says related or not; columns 1-2 say which of three related labels."""
    rng = np.random.default_rng(seed)
    y = rng.choice(["unrelated", "agree", "disagree", "discuss"], size=n, p=[0.6, 0.2, 0.05, 0.15])
    X = rng.normal(size=(n, 4))
    X[:, 0] += np.where(y == "unrelated", 3.0, -3.0)
    X[:, 1] += np.select([y == "agree", y == "disagree"], [3.0, -3.0], 0.0)
    X[:, 2] += np.where(y == "discuss", 3.0, 0.0)
    return X, y


class TestTwoStage:
    def test_probabilities_combine_the_stages(self):
        X, y = _stance_data()
        clf = TwoStageClassifier().fit(X, y)
        assert clf.classes_.tolist() == ["agree", "disagree", "discuss", "unrelated"]
        proba = clf.predict_proba(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        p1 = clf.gate_.predict_proba(X)[:, clf.gate_.classes_.tolist().index(True)]
        np.testing.assert_allclose(proba[:, 3], p1)
        p2 = clf.stage_.predict_proba(X)
        np.testing.assert_allclose(proba[:, :3], (1 - p1)[:, None] * p2)
        assert (clf.predict(X) == y).mean() > 0.9

    def test_stage_two_learns_from_the_other_labels_only(self):
        X, y = _stance_data()
        clf = TwoStageClassifier().fit(X, y)
        assert clf.stage_.classes_.tolist() == ["agree", "disagree", "discuss"]
        assert clf.gate_.classes_.tolist() == [False, True]

    def test_without_the_gate_label_it_is_one_classifier(self):
        X, y = _stance_data()
        keep = y != "unrelated"
        clf = TwoStageClassifier().fit(X[keep], y[keep])
        assert clf.gate_ is None
        single = CalibratedLinearClassifier().fit(X[keep], y[keep])
        np.testing.assert_allclose(clf.predict_proba(X), single.predict_proba(X))

    def test_one_label_beside_the_gate(self):
        X, y = _stance_data()
        y = np.where(y == "unrelated", "unrelated", "related")
        clf = TwoStageClassifier().fit(X, y)
        assert clf.stage_ is None
        proba = clf.predict_proba(X)
        np.testing.assert_allclose(proba[:, 0], 1 - proba[:, 1])
        assert (clf.predict(X) == y).mean() > 0.9

    def test_one_class_is_a_clear_error(self):
        with pytest.raises(ValueError, match="at least 2 classes"):
            TwoStageClassifier().fit(np.ones((4, 2)), ["unrelated"] * 4)

    def test_stage_parameters_are_addressable(self):
        clf = TwoStageClassifier(estimator=CalibratedLinearClassifier(C=2.0))
        clf.set_params(estimator__C=8.0)
        assert clf.get_params()["estimator__C"] == 8.0


def _gated_model():
    """A two-stage stance model trained through the project's own train() on tiny pieces it writes."""
    from pipeline.config import load_config
    from pipeline.corpus import Piece
    from pipeline.train import train

    bodies = {
        "agree": "Officials confirmed that aliens landed in Mexico on Monday, witnesses said.",
        "disagree": "Officials said the story of aliens landing in Mexico is a hoax and never happened.",
        "unrelated": "The stock market fell sharply on Monday as oil prices rose.",
    }
    pieces = [Piece(id=f"{label}{i}", text=f"{body} Report {i}.", target="Aliens land in Mexico",
                    labels={"stance": label}) for label, body in bodies.items() for i in range(6)]
    config = load_config(overrides={"classifier": {"gate_label": "unrelated", "calibration_folds": 0}})
    return train(pieces, config=config, evaluate=False).model, pieces


class TestInTheProduct:
    def test_off_by_default(self):
        from pipeline.config import load_config
        from pipeline.models import build_task_pipeline

        config = load_config()
        assert config["classifier"]["gate_label"] == ""
        clf = build_task_pipeline(config, use_target=True, n_samples=100).named_steps["clf"]
        assert isinstance(clf, CalibratedLinearClassifier)

    def test_gate_label_builds_two_stages(self):
        model, pieces = _gated_model()
        clf = model.tasks["stance"].named_steps["clf"]
        assert isinstance(clf, TwoStageClassifier) and clf.gate_label == "unrelated"
        assert clf.stage_.classes_.tolist() == ["agree", "disagree"]
        assert model.labels("stance") == ["agree", "disagree", "unrelated"]

    def test_explain_refuses_clearly(self):
        from pipeline import errors
        from pipeline.explain import explain
        from pipeline.features import prepare_samples
        from pipeline.nlp import Processor

        model, pieces = _gated_model()
        [sample] = prepare_samples(pieces[:1], Processor())
        with pytest.raises(errors.ModelError, match="two stages"):
            explain(model.tasks["stance"], sample)
        assert not hasattr(model.tasks["stance"].named_steps["clf"], "coef_")

    def test_skops_export_round_trip(self, models_dir, tmp_path):
        pytest.importorskip("skops")
        from pipeline.exchange import audit_types, export_model, import_model
        from pipeline.features import prepare_samples
        from pipeline.nlp import Processor
        from pipeline.persist import load_model

        model, pieces = _gated_model()
        file = export_model(model, tmp_path / "gated.zip")
        trusted, refused = audit_types(file)
        assert refused == [] and "pipeline.two_stage.TwoStageClassifier" in trusted
        imported = load_model(import_model(file, models_dir / f"gated-{tmp_path.name}"))
        samples = prepare_samples(pieces, Processor())
        np.testing.assert_allclose(imported.tasks["stance"].predict_proba(samples),
                                   model.tasks["stance"].predict_proba(samples))

"""The two-stage classifier: the scikit-learn contract, how the stages combine, its edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from pipeline.models.linear import CalibratedLinearClassifier
from pipeline.models.two_stage import BoostedStage, TwoStageClassifier


def _cheap_boosted(**params) -> BoostedStage:
    """A boosted stage that checks the same contract at a fraction of the cost: one fit for its
    linear model instead of six, two folds, and few (faster-learning) trees."""
    return BoostedStage(estimator=CalibratedLinearClassifier(calibration_folds=0), cv=2, calibration_folds=2,
                        max_iter=10, learning_rate=0.3, **params)


@parametrize_with_checks([TwoStageClassifier(), TwoStageClassifier(gate_label=0),
                          TwoStageClassifier(gate_label=1, estimator=CalibratedLinearClassifier(calibration_folds=0)),
                          _cheap_boosted(),
                          TwoStageClassifier(gate_label=0, estimator=_cheap_boosted(),
                                             gate_estimator=CalibratedLinearClassifier(calibration_folds=0))])
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


def _related_data(n: int = 600, seed: int = 0):
    """Related pairs only: columns 0-1 are word-like (linear), columns 2-3 dense values whose
    *product* says disagree, which no linear model over them can see."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    X[:, 2:] = rng.uniform(-1, 1, size=(n, 2))
    y = np.where(X[:, 0] > 0.5, "discuss", "agree").astype(object)
    y[(X[:, 2] * X[:, 3] > 0.25)] = "disagree"
    return X, y.astype(str)


# _related_data's columns as a feature union would name them: two word columns, two relation values.
NAMES = ["words__a", "words__b", "relation__x", "relation__y"]


class TestBoostedStage:
    def test_trees_find_what_the_linear_model_cannot(self):
        X, y = _related_data()
        Xt, yt = _related_data(seed=1)
        linear = CalibratedLinearClassifier().fit(X, y)
        boosted = BoostedStage(dense_blocks=("relation",), random_state=0).fit(X, y, feature_names=NAMES)
        assert boosted.classes_.tolist() == ["agree", "disagree", "discuss"]
        assert (boosted.predict(Xt) == yt).mean() > (linear.predict(Xt) == yt).mean() + 0.1

    def test_probabilities_are_calibrated_softmax_of_logits(self):
        X, y = _related_data()
        clf = BoostedStage(dense_blocks=("relation",)).fit(X, y, feature_names=NAMES)
        proba = clf.predict_proba(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        assert clf.temperature_ > 0 and clf.n_iter_ >= 1
        np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])

    def test_reads_the_named_columns_of_sparse_input(self):
        from scipy import sparse

        X, y = _related_data()
        dense = BoostedStage(dense_blocks=("relation",), calibration_folds=0).fit(X, y, feature_names=NAMES)
        sparse_fit = BoostedStage(dense_blocks=("relation",), calibration_folds=0).fit(
            sparse.csr_matrix(X), y, feature_names=NAMES)
        np.testing.assert_allclose(sparse_fit.predict_proba(sparse.csr_matrix(X)), dense.predict_proba(X))
        assert dense.dense_index_.tolist() == [2, 3] and dense.dense_names_.tolist() == NAMES[2:]

    def test_columns_are_found_by_name_wherever_they_are(self):
        """The same columns moved to the front (another block after them) give the same model."""
        X, y = _related_data()
        last = BoostedStage(dense_blocks=("relation",), calibration_folds=0).fit(X, y, feature_names=NAMES)
        order = [2, 3, 0, 1]
        first = BoostedStage(dense_blocks=("relation",), calibration_folds=0).fit(
            X[:, order], y, feature_names=[NAMES[i] for i in order])
        assert first.dense_index_.tolist() == [0, 1]
        np.testing.assert_allclose(first.predict_proba(X[:, order]), last.predict_proba(X), atol=1e-12)

    def test_a_dataframe_names_its_own_columns(self):
        pd = pytest.importorskip("pandas")
        X, y = _related_data(200)
        frame = pd.DataFrame(X, columns=NAMES)
        clf = BoostedStage(dense_blocks=("relation",), calibration_folds=0).fit(frame, y)
        assert clf.dense_names_.tolist() == NAMES[2:]

    @pytest.mark.parametrize(("names", "message"), [
        (None, "found by column name: pass feature_names"),
        (NAMES[:3], "3 names for the 4 columns"),
        (["words__a", "words__b", "words__c", "words__d"], r"\['relation'\] have no column"),
    ])
    def test_missing_or_wrong_names_are_clear_errors(self, names, message):
        X, y = _related_data(60)
        with pytest.raises(ValueError, match=message):
            BoostedStage(dense_blocks=("relation",)).fit(X, y, feature_names=names)

    def test_as_stage_two(self):
        X, y = _stance_data()
        names = ["words__a", "relation__x", "relation__y", "similarity__z"]
        clf = TwoStageClassifier(estimator=BoostedStage(dense_blocks=("relation", "similarity"))).fit(
            X, y, feature_names=names)
        assert clf.stage_.dense_index_.tolist() == [1, 2, 3]
        assert isinstance(clf.stage_, BoostedStage)
        np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0)
        assert (clf.predict(X) == y).mean() > 0.9


def _gated_model(features=None, **classifier):
    """A two-stage stance model trained through the project's own train() on tiny pieces it writes."""
    from pipeline.config import load_config
    from pipeline.corpus import Piece
    from pipeline.training.train import train

    bodies = {
        "agree": "Officials confirmed that aliens landed in Mexico on Monday, witnesses said.",
        "disagree": "Officials said the story of aliens landing in Mexico is a hoax and never happened.",
        "unrelated": "The stock market fell sharply on Monday as oil prices rose.",
    }
    pieces = [Piece(id=f"{label}{i}", text=f"{body} Report {i}.", target="Aliens land in Mexico",
                    labels={"stance": label}) for label, body in bodies.items() for i in range(6)]
    config = load_config(overrides={"classifier": {"gate_label": "unrelated", "calibration_folds": 0, **classifier},
                                    "features": features or {}})
    return train(pieces, config=config, evaluate=False).model, pieces


class TestInTheProduct:
    def test_off_by_default(self):
        from pipeline.config import load_config
        from pipeline.models.factory import build_task_pipeline

        config = load_config()
        assert config.classifier.gate_label == ""
        clf = build_task_pipeline(config, use_target=True, n_samples=100).named_steps["clf"]
        # one stage: the linear model (inside per-target weights, which pieces with targets get)
        assert isinstance(getattr(clf, "estimator", clf), CalibratedLinearClassifier)

    def test_gate_label_builds_two_stages(self):
        model, pieces = _gated_model()
        clf = model.tasks["stance"].named_steps["clf"]
        assert isinstance(clf, TwoStageClassifier) and clf.gate_label == "unrelated"
        assert clf.stage_.classes_.tolist() == ["agree", "disagree"]
        assert model.labels("stance") == ["agree", "disagree", "unrelated"]

    def test_boosted_second_stage_reads_the_relation_and_similarity_columns(self):
        from pipeline.features.relation import RELATION_NAMES

        model, pieces = _gated_model({"similarity": True}, stage2="boosted", stage2_C=0.25)
        pipe = model.tasks["stance"]
        clf = pipe.named_steps["clf"]
        assert isinstance(clf.stage_, BoostedStage) and clf.stage_.linear_.C == 0.25 and clf.gate_.C == 4.0
        names = pipe.named_steps["features"].get_feature_names_out()
        assert clf.stage_.dense_blocks == ("relation", "similarity")
        dense = clf.stage_.dense_names_
        assert len(dense) == len(RELATION_NAMES) + 2 + 9  # 2 similarities and their 9 bins
        assert dense.tolist() == [n for n in names if n.startswith(("relation__", "similarity__"))]
        assert names[clf.stage_.dense_index_].tolist() == dense.tolist()
        from pipeline.features.samples import prepare_samples
        from pipeline.nlp.processor import Processor

        samples = prepare_samples(pieces, Processor())
        assert list(model.tasks["stance"].predict(samples)) == [p.labels["stance"] for p in pieces]

    @pytest.mark.parametrize(("classifier", "message"), [
        ({"gate_label": "unrelated", "stage2": "forest"}, "'classifier.stage2' must be one of 'linear', 'boosted', found 'forest'"),
        ({"stage2": "boosted"}, "set classifier.gate_label too"),
    ])
    def test_stage2_settings_are_checked(self, classifier, message):
        from pipeline import errors
        from pipeline.config import load_config
        from pipeline.models.factory import build_task_pipeline

        with pytest.raises(errors.ConfigError, match=message):
            build_task_pipeline(load_config(overrides={"classifier": classifier}), use_target=True, n_samples=100)

    def test_explain_refuses_clearly(self):
        from pipeline import errors
        from pipeline.evaluation.explain import explain
        from pipeline.features.samples import prepare_samples
        from pipeline.nlp.processor import Processor

        model, pieces = _gated_model()
        [sample] = prepare_samples(pieces[:1], Processor())
        with pytest.raises(errors.ModelError, match="two stages"):
            explain(model.tasks["stance"], sample)
        assert not hasattr(model.tasks["stance"].named_steps["clf"], "coef_")

    @pytest.mark.parametrize("stage2", ["linear", "boosted"])
    def test_skops_export_round_trip(self, models_dir, tmp_path, stage2):
        pytest.importorskip("skops")
        from pipeline.features.samples import prepare_samples
        from pipeline.models.exchange import audit_types, export_model, import_model
        from pipeline.models.persist import load_model
        from pipeline.nlp.processor import Processor

        model, pieces = _gated_model(stage2=stage2)
        file = export_model(model, tmp_path / "gated.zip")
        trusted, refused = audit_types(file)
        assert refused == [] and "pipeline.models.two_stage.TwoStageClassifier" in trusted
        imported = load_model(import_model(file, models_dir / f"gated-{tmp_path.name}"))
        samples = prepare_samples(pieces, Processor())
        np.testing.assert_allclose(imported.tasks["stance"].predict_proba(samples),
                                   model.tasks["stance"].predict_proba(samples))


def test_the_same_probabilities_as_the_stage_that_read_the_last_columns():
    """A boosted stage fitted as tests/data/boosted_stage/make_expected.py does (relation, similarity
    and mention-context blocks) predicts what the stage that took "the last N columns" predicted."""
    import json

    from ..conftest import DATA, data_script

    make_expected = data_script("boosted_stage", "make_expected")
    expected = json.loads((DATA / "boosted_stage" / "expected.json").read_text())
    model, pieces, samples = make_expected.fit()
    stage = model.tasks["stance"].named_steps["clf"].stage_
    names = model.tasks["stance"].named_steps["features"].get_feature_names_out()
    assert [n for n in names[: stage.dense_index_[0]] if n.startswith("mention__")]  # a block before them
    assert model.labels("stance") == expected["labels"] and [p.id for p in pieces] == expected["ids"]
    np.testing.assert_allclose(model.predict_proba(samples)["stance"], np.array(expected["proba"]), rtol=0, atol=1e-12)

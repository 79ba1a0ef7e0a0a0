"""Models saved before the regroup name the old module paths in their pickles; they must still load."""

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline import load_model
from pipeline.features.samples import prepare_samples
from pipeline.models.renames import OLD_MODULES, renamed
from pipeline.nlp.processor import Processor

DATA = Path(__file__).resolve().parents[1] / "data" / "pre_regroup_model"
ROOT = Path(__file__).resolve().parents[2]


def test_renamed_maps_old_paths_and_leaves_new_ones():
    assert renamed("pipeline.classifier", "CalibratedLinearClassifier") == (
        "pipeline.models.linear", "CalibratedLinearClassifier")
    assert renamed("pipeline.features", "FieldSelector") == ("pipeline.features.union", "FieldSelector")
    assert renamed("pipeline.entities.features", "TargetFeaturizer") == ("pipeline.features.mention", "TargetFeaturizer")
    assert renamed("pipeline.models.linear", "CalibratedLinearClassifier") == (
        "pipeline.models.linear", "CalibratedLinearClassifier")
    assert renamed("sklearn.pipeline", "Pipeline") == ("sklearn.pipeline", "Pipeline")
    for old, new in OLD_MODULES.items():
        assert old != new and (ROOT / Path(*new.split("."))).with_suffix(".py").is_file(), new


@pytest.fixture(scope="module")
def old_model():
    return load_model(DATA / "model", trust=True)


def test_a_model_saved_before_the_regroup_loads_with_the_same_predictions(old_model):
    expected = json.loads((DATA / "pre_regroup_expected.json").read_text())
    from pipeline import read_corpus

    by_id = {p.id: p for p in read_corpus(ROOT / "corpus" / "sample")}
    pieces = [by_id[i] for i in expected["piece_ids"]]
    samples = prepare_samples(pieces, Processor(), max_tokens=old_model.max_tokens)
    proba = old_model.predict_proba(samples)
    assert sorted(proba) == sorted(expected["tasks"]) == ["frame", "stance"]
    for task, want in expected["tasks"].items():
        assert old_model.labels(task) == want["labels"]
        np.testing.assert_allclose(proba[task], np.array(want["proba"]), rtol=0, atol=1e-12)
    ent = old_model.extras["entity_stance"]
    samples = [tuple(s) for s in expected["entity_stance"]["samples"]]
    assert [str(c) for c in ent.classes_] == expected["entity_stance"]["labels"]
    np.testing.assert_allclose(ent.predict_proba(samples), np.array(expected["entity_stance"]["proba"]),
                               rtol=0, atol=1e-12)


def test_the_old_model_is_built_from_the_new_modules(old_model):
    stance = old_model.tasks["stance"]
    clf = stance.named_steps["clf"]
    assert type(clf).__module__ == "pipeline.models.two_stage"
    assert type(clf.estimator).__module__ == "pipeline.models.two_stage"  # the boosted second stage
    modules = {type(step).__module__ for _, step in stance.named_steps["features"].transformer_list}
    assert not modules & set(OLD_MODULES), modules
    assert "pipeline.features.similarity" in modules  # moved out of features.relation after the regroup
    stage = clf.stage_  # the fitted second stage
    assert stage.dense_columns > 0 and not hasattr(stage, "dense_index_")  # it reads "the last N" columns
    assert stage.get_params()["dense_blocks"] == () and "BoostedStage" in repr(stage)
    assert type(old_model.extras["entity_stance"]).__module__ == "pipeline.entities.stance"


def test_a_similarity_block_pickled_from_the_relation_module_loads(monkeypatch):
    """Models saved after the regroup and before the move name ``pipeline.features.relation``."""
    import io

    import joblib

    from pipeline.features import relation
    from pipeline.features.samples import Sample
    from pipeline.features.similarity import TargetSimilarity
    from pipeline.models.renames import _unpickle

    X = [Sample("aliens landed in mexico", target="aliens land in mexico", near="aliens landed in mexico"),
         Sample("the stock market fell", target="aliens land in mexico")]
    fitted = TargetSimilarity().fit(X)
    with monkeypatch.context() as m:  # pickle it as the code before the move did
        m.setattr(TargetSimilarity, "__module__", "pipeline.features.relation")
        m.setattr(relation, "TargetSimilarity", TargetSimilarity, raising=False)
        buffer = io.BytesIO()
        joblib.dump(fitted, buffer)
    data = buffer.getvalue()
    assert b"pipeline.features.relation" in data and b"pipeline.features.similarity" not in data
    assert not hasattr(relation, "TargetSimilarity")
    loaded = _unpickle(data)
    assert type(loaded) is TargetSimilarity
    np.testing.assert_array_equal(loaded.transform(X).toarray(), fitted.transform(X).toarray())
    assert renamed("pipeline.relation", "TargetSimilarity") == ("pipeline.features.similarity", "TargetSimilarity")

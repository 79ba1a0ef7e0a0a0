"""The any-target stance model: pair features, fit, save -> load (no pickles), and classify through the CLI."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline import errors
from pipeline.features.pair import feature_names, passages, relation_row
from pipeline.models import stance_any
from pipeline.models.stance_any import AnyTargetStance, pair_matrix

DIM = 8
# Invented (target, text, label) pairs: the same texts toward a target and toward its opposite.
PAIRS = [
    ("a new city park", "The new park is wonderful, build it now.", "favor"),
    ("a new city park", "The park is a waste of money and land.", "against"),
    ("a new city park", "The council meets on Tuesday to talk about the budget.", "none"),
    ("the bus fare rise", "Raising fares is fair, the buses need the money.", "favor"),
    ("the bus fare rise", "The fare rise hurts the poorest riders, stop it.", "against"),
    ("the bus fare rise", "Rain is expected across the region this weekend.", "none"),
] * 4


def stub_encoder(texts):
    """Words hashed into DIM buckets: stable, fast, no model."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().split():
            out[i, sum(map(ord, word)) % DIM] += 1.0
    return out + 1e-3


@pytest.fixture()
def fitted():
    X = pair_matrix([t for t, _, _ in PAIRS], [x for _, x, _ in PAIRS], stub_encoder)
    return AnyTargetStance(C=1.0).fit(X, [y for _, _, y in PAIRS]), X


def test_pair_features_have_named_columns_and_read_passages():
    X = pair_matrix(["a park"], ["The park. " * 30], stub_encoder)
    assert X.shape == (1, len(feature_names(DIM))) == (1, 3 * DIM + 5 + 21)
    assert len(passages("word " * 100)) == 3 and passages("a short text") == []
    assert relation_row("the park", "The park is great.")[0] == 1.0  # target coverage


def test_it_learns_the_pairs_and_saves_without_pickles(fitted, tmp_path):
    model, X = fitted
    assert model.classes_ == ["against", "favor", "none"]
    predicted = [model.classes_[i] for i in model.predict_proba_features(X).argmax(axis=1)]
    assert np.mean([p == y for p, (_, _, y) in zip(predicted, PAIRS)]) >= 0.9
    model.info = {"training_data": [{"dataset": "invented", "pairs": len(PAIRS), "licence": "ours"}]}
    model.save(tmp_path / "m")
    with zipfile.ZipFile(tmp_path / "m" / "weights.npz") as z:
        assert sorted(z.namelist()) == ["W0.npy", "b0.npy", "mean.npy", "scale.npy"]
    again = AnyTargetStance.load(tmp_path / "m")
    assert again.coef_.dtype == np.float16 and again.info["training_data"][0]["dataset"] == "invented"
    np.testing.assert_array_equal(again.predict_proba_features(X), model.predict_proba_features(X))
    meta = json.loads((tmp_path / "m" / "model.json").read_text("utf-8"))
    assert meta["format"] == stance_any.FORMAT and meta["encoder"] == "all-MiniLM-L6-v2"


def test_the_mlp_learns_saves_and_reloads_to_the_same_probabilities(tmp_path):
    X = pair_matrix([t for t, _, _ in PAIRS], [x for _, x, _ in PAIRS], stub_encoder)
    y = [label for _, _, label in PAIRS]
    model = AnyTargetStance(learner="mlp", hidden=(16,), alpha=1e-4, max_iter=300).fit(X, y)
    proba = model.predict_proba_features(X)
    assert proba.shape == (len(PAIRS), 3) and np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    assert np.mean([model.classes_[i] == label for i, label in zip(proba.argmax(axis=1), y)]) >= 0.9
    model.save(tmp_path / "m")
    with zipfile.ZipFile(tmp_path / "m" / "weights.npz") as z:
        assert sorted(z.namelist()) == ["W0.npy", "W1.npy", "b0.npy", "b1.npy", "mean.npy", "scale.npy"]
    again = AnyTargetStance.load(tmp_path / "m")
    assert (again.learner, again.hidden, again.alpha) == ("mlp", (16,), 1e-4)
    assert all(W.dtype == np.float16 for W, _ in again.layers_)
    np.testing.assert_array_equal(again.predict_proba_features(X), proba)


def test_sample_weights_count_and_an_unknown_learner_is_a_clear_error(fitted):
    X = pair_matrix([t for t, _, _ in PAIRS], [x for _, x, _ in PAIRS], stub_encoder)
    y = [label for _, _, label in PAIRS]
    # All weight on the first target's pairs: the same fit as on those pairs alone (up to scale).
    first = [t == "a new city park" for t, _, _ in PAIRS]
    weighted = AnyTargetStance(C=1.0).fit(X, y, sample_weight=np.where(first, 1.0, 1e-9))
    alone = AnyTargetStance(C=1.0).fit(X[first], [label for label, f in zip(y, first) if f])
    assert not np.allclose(weighted.coef_, fitted[0].coef_, atol=1e-2)
    assert np.array_equal(weighted.predict_proba_features(X[first]).argmax(axis=1),
                          alone.predict_proba_features(X[first]).argmax(axis=1))
    with pytest.raises(errors.ConfigError, match="use one of logistic, mlp"):
        AnyTargetStance(learner="forest").fit(X, y)


def test_a_format_1_folder_still_loads(fitted, tmp_path):
    model, X = fitted
    folder = tmp_path / "old"
    folder.mkdir()
    np.savez_compressed(folder / "weights.npz", mean=model.mean_, scale=model.scale_, coef=model.coef_,
                        intercept=model.layers_[0][1])
    meta = {"format": "framing-stance-any/1", "encoder": "all-MiniLM-L6-v2", "classes": model.classes_, "C": 1.0,
            "class_weight": "balanced", "n_features": X.shape[1], "command": "old"}
    (folder / "model.json").write_text(json.dumps(meta), "utf-8")
    assert stance_any.is_stance_any_folder(folder)
    old = AnyTargetStance.load(folder)
    assert old.learner == "logistic" and old.info == {"command": "old"}
    np.testing.assert_array_equal(old.predict_proba_features(X), model.predict_proba_features(X))


def test_a_broken_folder_is_a_clear_error(fitted, tmp_path):
    with pytest.raises(errors.ModelError, match="model.json"):
        AnyTargetStance.load(tmp_path)
    model, _ = fitted
    model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text("utf-8"))
    meta["n_features"] += 1
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(errors.ModelError, match="do not match"):
        AnyTargetStance.load(tmp_path / "m")


@pytest.fixture()
def saved(fitted, tmp_path, monkeypatch):
    monkeypatch.setattr(stance_any, "packaged_encoder", lambda model, n_threads=None: stub_encoder)
    fitted[0].save(tmp_path / "stance-any")
    return tmp_path / "stance-any"


def test_the_framer_classifies_toward_any_target(saved):
    from pipeline.inference.framer import Framer

    framer = Framer.load(saved)
    records = framer.classify_texts(["The park is a waste of money and land."], target="a new city park",
                                    entities=False)
    stance = records[0]["predictions"]["stance"]
    assert stance["label"] == "against" and stance["any_target"] is True
    assert records[0]["target"] == "a new city park" and records[0]["target_seen"] is None
    [none] = framer.classify_texts(["The park is a waste."], entities=False)
    assert none["predictions"]["stance"]["label"] == "uncertain" and none["predictions"]["stance"]["no_target"]


def test_classify_with_the_model_and_a_target_on_the_command_line(saved, tmp_path):
    from pipeline.cli import app

    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "The fare rise hurts the poorest riders, stop it."}) + "\n"
                    + json.dumps({"id": "b", "text": "Raising fares is fair, the buses need the money."}) + "\n",
                    "utf-8")
    result = CliRunner().invoke(app, ["classify", str(path), "--model", str(saved), "--target", "the bus fare rise",
                                      "-f", "jsonl", "--no-entities", "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    a, b = [json.loads(line) for line in result.stdout.splitlines()]
    assert (a["predictions"]["stance"]["label"], b["predictions"]["stance"]["label"]) == ("against", "favor")
    assert "warning" not in result.stderr
    result = CliRunner().invoke(app, ["classify", str(path), "--model", str(saved), "-f", "jsonl", "--no-entities",
                                      "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    assert "2 piece(s) have no target, so their stance is 'uncertain'" in result.stderr


def test_the_shipped_model_loads_and_is_small():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "models" / "stance-any"
    if not (folder / "model.json").is_file():
        pytest.skip("models/stance-any is not in this checkout")
    model = AnyTargetStance.load(folder)
    assert model.classes_ == ["against", "favor", "none"] and all(W.dtype == np.float16 for W, _ in model.layers_)
    assert sum(f.stat().st_size for f in folder.iterdir()) < 50 * 1024 * 1024
    assert {d["dataset"] for d in model.info["training_data"]} == {
        "fnc1", "arc", "ibm_claim_stance", "perspectrum", "vast", "covid19_stance", "pstance"}
    assert all(d["licence"] for d in model.info["training_data"])
    assert model.feature_names()[-1] == "negation_mismatch"

import json

import numpy as np
import pytest

from pipeline import errors
from pipeline.corpus import Piece
from pipeline.features.samples import prepare_samples
from pipeline.models.persist import load_model, save_model
from pipeline.nlp.processor import Processor
from pipeline.training.train import train

TEXTS = {
    "support": ["We welcome this overdue step, a clear win for residents.",
                "A long overdue and welcome decision that protects people.",
                "Advocates applaud the right call and celebrate the win."],
    "oppose": ["This reckless plan will cost jobs and should be scrapped.",
               "A misguided and costly mistake that hurts small shops.",
               "Critics warn the reckless scheme is a costly mistake."],
}


def tiny_corpus():
    pieces, n = [], 0
    for label, texts in TEXTS.items():
        for text in texts:
            for variant in ("", " Residents spoke.", " The council met."):
                n += 1
                pieces.append(Piece(id=str(n), text=text + variant, source=f"outlet{n % 3}",
                                    labels={"stance": label}, target="the plan"))
    return pieces


def test_overfit_save_reload_gives_identical_predictions(tmp_path, models_dir):
    pieces = tiny_corpus()
    model = train(pieces, evaluate=False).model
    samples = prepare_samples(pieces, Processor())
    before = model.predict_proba(samples)["stance"]
    assert (model.tasks["stance"].predict(samples) == [p.labels["stance"] for p in pieces]).all()
    path = save_model(model, models_dir / "tiny")
    again = load_model(path)
    np.testing.assert_array_equal(again.predict_proba(samples)["stance"], before)
    assert again.labels("stance") == ["oppose", "support"]


def test_model_json_records_what_was_promised(small_model):
    _, path = small_model
    info = json.loads((path / "model.json").read_text())
    assert info["format_version"] == 1
    assert set(info["versions"]) >= {"framing", "spacy", "scikit-learn", "spacy_model"}
    assert info["versions"]["spacy_model"] == "3.8.0"
    assert info["spacy_model"]["name"].startswith("en_core_web_sm")
    assert set(info["tasks"]) == {"stance", "frame"}
    assert info["tasks"]["stance"]["labels"] == ["neutral", "oppose", "support"]
    assert len(info["corpus"]["hash"]) == 64 and info["corpus"]["size"] == 162
    assert set(info["files"]) == {"stance.joblib", "frame.joblib", "stance.npz", "frame.npz"}  # npz: the array form
    assert {t: a["file"] for t, a in info["arrays"]["tasks"].items()} == {"stance": "stance.npz", "frame": "frame.npz"}
    assert all(len(digest) == 64 for digest in info["files"].values())
    assert info["created"]


def test_tampered_file_is_refused(small_model, tmp_path, models_dir):
    model, _ = small_model
    path = save_model(model, models_dir / "tampered")
    with open(path / "stance.joblib", "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(errors.ModelIntegrityError, match="checksum does not match"):
        load_model(path)


def test_model_outside_trusted_folders_needs_trust(small_model, tmp_path, monkeypatch):
    model, _ = small_model
    path = save_model(model, tmp_path / "elsewhere")
    assert set(load_model(path).tasks) == {"stance", "frame"}  # signed by this user: loads anywhere
    monkeypatch.setenv("FRAMING_KEY_FILE", str(tmp_path / "someone-else"))  # another user
    with pytest.raises(errors.UntrustedModelError, match="trust=True"):
        load_model(path)
    assert set(load_model(path, trust=True).tasks) == {"stance", "frame"}


def test_failed_save_keeps_the_previous_model(small_model, models_dir, monkeypatch):
    model, _ = small_model
    path = save_model(model, models_dir / "atomic")
    before = (path / "model.json").read_text()
    import joblib

    calls = []
    dump = joblib.dump

    def failing_dump(obj, file, **kwargs):
        calls.append(file)
        if len(calls) == 2:
            raise KeyboardInterrupt  # interrupted half-way through writing the files
        return dump(obj, file, **kwargs)

    monkeypatch.setattr(joblib, "dump", failing_dump)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, path)
    assert (path / "model.json").read_text() == before
    assert load_model(path).tasks
    assert [p.name for p in models_dir.iterdir() if p.name.startswith(".atomic")] == []


def test_missing_model_says_how_to_make_one(models_dir):
    with pytest.raises(errors.ModelError, match=r"pipeline\.train\(\.\.\.\) then save_model") as caught:
        load_model(models_dir / "nothing-here")
    from pipeline.cli._errors import message

    assert "`framing train CORPUS --out " in message(caught.value)


def test_model_from_other_feature_code_is_refused_with_retrain_advice(small_model, models_dir):
    model, _ = small_model
    path = save_model(model, models_dir / "oldfeatures")
    info = json.loads((path / "model.json").read_text())
    info["features_version"] = 0
    (path / "model.json").write_text(json.dumps(info))
    with pytest.raises(errors.ModelError, match="features of version 0.*Retrain it"):
        load_model(path)


class TestSharedBlocks:
    """Word and character blocks are fitted once and computed once for all tasks."""

    def test_tasks_with_equal_settings_share_their_word_and_char_blocks(self, small_model):
        model, _ = small_model
        keys = {task: {name: getattr(block, "shared_key_", None)
                       for name, block in pipe.named_steps["features"].transformer_list}
                for task, pipe in model.tasks.items()}
        assert keys["stance"]["words"] == keys["frame"]["words"] is not None
        assert keys["stance"]["chars"] == keys["frame"]["chars"] is not None
        assert keys["stance"]["near"] is None  # target-aware blocks are the task's own

    def test_shared_computation_equals_each_pipeline_after_reload(self, small_model, sample_pieces, monkeypatch):
        _, path = small_model
        model = load_model(path)
        model.arrays.clear()  # the pickled pipelines' sharing (the array form's: tests/models/test_arrays.py)
        samples = prepare_samples(sample_pieces[1::2][:40], Processor())
        expected = {task: pipe.predict_proba(samples) for task, pipe in model.tasks.items()}
        words = model.tasks["stance"].named_steps["features"].transformer_list[0][1]
        calls = []
        for pipe in model.tasks.values():  # count transforms of the (separately unpickled) word blocks
            block = pipe.named_steps["features"].transformer_list[0][1]
            monkeypatch.setattr(block, "transform", lambda X, b=block: calls.append(b) or type(b).transform(b, X))
        got = model.predict_proba(samples)
        assert len(calls) == 1 and words.shared_key_ == calls[0].shared_key_
        for task in expected:
            np.testing.assert_allclose(got[task], expected[task], rtol=0, atol=1e-12)

    def test_a_task_whose_settings_differ_gets_its_own_block(self, sample_pieces):
        from pipeline.config import load_config

        config = load_config(overrides={"classifier": {"calibration_folds": 0},
                                        "tasks": {"frame": {"features": {"char_ngrams": [2, 3]}}}})
        model = train(sample_pieces[::3], config=config, evaluate=False).model
        chars = {task: pipe.named_steps["features"].named_transformers["chars"]
                 for task, pipe in model.tasks.items()}
        assert getattr(chars["frame"], "shared_key_", None) is None
        assert chars["frame"].named_steps["tfidf"].ngram_range == (2, 3)
        assert chars["stance"].shared_key_.startswith("chars:")


def test_source_weights_make_every_source_count_equally():
    from pipeline.features.samples import Sample
    from pipeline.models.factory import source_weights

    samples = [Sample("a", group="big")] * 3 + [Sample("b", group="small"), Sample("c")]
    weights = source_weights(samples, 1.0)
    assert weights.mean() == pytest.approx(1.0)
    assert weights[:3].sum() == pytest.approx(weights[3]) == pytest.approx(weights[4])
    half = source_weights(samples, 0.5)
    assert half[0] * 3 == pytest.approx(half[3] * 3 ** 0.5)


def test_train_with_source_weights_fits():
    from pipeline.config import load_config

    config = load_config(overrides={"classifier": {"source_weight": 1.0}})
    model = train(tiny_corpus(), config=config, evaluate=False).model
    pieces = tiny_corpus()
    predicted = model.tasks["stance"].predict(prepare_samples(pieces, Processor()))
    assert (predicted == [p.labels["stance"] for p in pieces]).all()


@pytest.mark.parametrize("solver", ["newton-cg", "lbfgs"])
def test_the_configured_solver_fits_the_regression(solver):
    from pipeline.config import load_config, task_config
    from pipeline.models.factory import build_task_pipeline

    config = task_config(load_config(overrides={"classifier": {"solver": solver}}), "frame")
    clf = build_task_pipeline(config, use_target=False, n_samples=100).named_steps["clf"]
    assert clf.get_params()["solver"] == solver
    X = np.random.default_rng(0).random((40, 6))
    assert clf.fit(X, np.repeat(["a", "b"], 20)).model_.solver == solver

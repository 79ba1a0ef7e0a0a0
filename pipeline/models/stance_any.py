"""Stance toward any target: a small model over (target, text) pair features, saved without pickles.

The model reads the pair through :mod:`pipeline.features.pair` (sentence embeddings of target
and text, their product and difference, passage similarity, lexical relation values), scales
each column, and applies a multinomial logistic regression or a small ReLU network over
``favor`` / ``against`` / ``none``. It is trained on the union of public stance datasets (``benchmarks/stance_any.py``)
and saved as a folder: ``model.json`` (format, encoder, classes, training data and licences,
measured figures) and ``weights.npz`` (float16 arrays: no pickled objects, no torch), so loading
runs no code from the file. The encoder is loaded by name (:mod:`pipeline.nlp.encoders`),
never stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import errors
from ..features.pair import cut, feature_names, pair_features, passages, relation_row, words
from ..io import atomic_write
from .linear_arrays import softmax

FORMAT = "framing-stance-any/2"
# Formats :meth:`AnyTargetStance.load` reads (1: one logistic regression saved as coef / intercept).
READABLE = ("framing-stance-any/1", FORMAT)
Encoder = Callable[[list[str]], np.ndarray]


def pair_matrix(targets: Sequence[str], texts: Sequence[str], encode: Encoder) -> np.ndarray:
    """The :func:`~pipeline.features.pair.pair_features` rows of the pairs, embedding with ``encode``.

    ``encode`` maps a list of strings to unit-length vectors (one row each); each distinct
    string is embedded once.
    """
    pieces = [passages(t) for t in texts]
    strings = list(dict.fromkeys([*targets, *(cut(t) for t in texts), *(p for ps in pieces for p in ps)]))
    if not strings:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.asarray(encode(strings), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    row = {s: i for i, s in enumerate(strings)}
    u = vectors[[row[t] for t in targets]]
    v = vectors[[row[cut(t)] for t in texts]]
    cosines = [vectors[[row[p] for p in ps]] @ u[i] if ps else [] for i, ps in enumerate(pieces)]
    relations = np.asarray([relation_row(a, b) for a, b in zip(targets, texts)], dtype=np.float32)
    return pair_features(u, v, cosines, relations, [len(t.split()) for t in texts],
                         [len(a.split()) for a in targets])


def packaged_encoder(model: str, n_threads: int | None = None) -> Encoder:
    """The encode function of the packaged sentence encoder ``model`` (the ``embeddings`` extra)."""
    from ..features.embeddings import _ENCODERS, _load
    from ..nlp.encoders import set_threads

    encode = _ENCODERS.get(model) or _load(model)
    _ENCODERS[model] = encode  # loaded once per process, shared with the embeddings feature block
    set_threads(n_threads)
    return lambda texts: encode(texts, batch_size=64)


class AnyTargetStance:
    """A logistic regression or a small ReLU network over standardised pair features.

    Args:
        C: Inverse regularisation strength of the logistic regression (``learner="logistic"``).
        class_weight: ``"balanced"`` (each class the same total weight) or None.
        encoder: The sentence encoder's name (see :data:`pipeline.nlp.encoders.PACKAGED_MODELS`).
        learner: ``"logistic"`` (multinomial logistic regression) or ``"mlp"`` (scikit-learn's
            MLPClassifier: ReLU hidden layers, softmax output, Adam).
        hidden: The MLP's hidden layer sizes.
        alpha: The MLP's L2 penalty.
        max_iter: The MLP's epochs (no early stopping: a held-out part of the training datasets
            says little about an unseen target, so the number of epochs is chosen by grouped CV).
        random_state: The MLP's seed.
    """

    def __init__(self, C: float = 0.003, class_weight: str | None = "balanced",
                 encoder: str = "all-MiniLM-L6-v2", learner: str = "logistic", hidden: Sequence[int] = (256,),
                 alpha: float = 1.0, max_iter: int = 10, random_state: int = 13) -> None:
        self.C = C
        self.class_weight = class_weight
        self.encoder = encoder
        self.learner = learner
        self.hidden = hidden
        self.alpha = alpha
        self.max_iter = max_iter
        self.random_state = random_state
        self.info: dict[str, Any] = {}
        self._encode: Encoder | None = None

    def fit(self, X: np.ndarray, y: Sequence[str], sample_weight: Sequence[float] | None = None) -> AnyTargetStance:
        """Fit on a :func:`pair_matrix`; the weights are kept at float16 precision, as saved.

        Args:
            X: The pair features, one row per pair.
            y: The labels.
            sample_weight: Per-pair weights (e.g. each training dataset the same total weight);
                ``class_weight="balanced"`` then balances the classes' weighted totals.
        """
        if self.learner not in LEARNERS:
            raise errors.ConfigError.of(errors.STANCE_ANY_LEARNER, learner=self.learner, learners=", ".join(LEARNERS))
        X = np.asarray(X, dtype=np.float32)
        y = np.asarray([str(label) for label in y])
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        self.mean_ = mean.astype(np.float16)
        self.scale_ = np.where(scale > 1e-6, scale, 1.0).astype(np.float16)
        weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if self.class_weight == "balanced":  # as scikit-learn's, over the weighted class totals
            classes = np.unique(y)
            totals = {c: weight[y == c].sum() for c in classes}
            weight = weight * np.array([weight.sum() / (len(classes) * totals[c]) for c in y])
        self.layers_ = _fit_layers(self, self._scaled(X), y, weight)
        return self

    @property
    def coef_(self) -> np.ndarray:
        """The output layer's weights, one row per class (the logistic regression's coefficients)."""
        return self.layers_[-1][0].T

    def _scaled(self, X: np.ndarray) -> np.ndarray:
        return (X - self.mean_.astype(np.float32)) / self.scale_.astype(np.float32)

    def predict_proba_features(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities (columns in :attr:`classes_` order) of a :func:`pair_matrix`."""
        h = self._scaled(np.asarray(X, dtype=np.float32))
        for i, (W, b) in enumerate(self.layers_):
            h = h @ W.astype(np.float32) + b.astype(np.float32)
            if i < len(self.layers_) - 1:
                h = np.maximum(h, 0.0)
        return softmax(h)

    def predict_proba(self, targets: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """Probabilities of favor / against / none (:attr:`classes_`) of each text toward its target."""
        if len(targets) != len(texts):
            raise errors.InputError.of(errors.STANCE_ANY_GOT_TARGETS_TEXTS, n_targets=len(targets), n_texts=len(texts))
        if self._encode is None:
            self._encode = packaged_encoder(self.encoder)
        return self.predict_proba_features(pair_matrix(list(targets), list(texts), self._encode))

    def predict(self, targets: Sequence[str], texts: Sequence[str]) -> list[str]:
        """The most probable label of each text toward its target."""
        proba = self.predict_proba(targets, texts)
        return [self.classes_[i] for i in proba.argmax(axis=1)]

    def save(self, folder: str | Path) -> None:
        """Write ``model.json`` and ``weights.npz`` into ``folder`` (each file atomically)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"format": FORMAT, "encoder": self.encoder, "classes": self.classes_, "learner": self.learner,
                "C": self.C, "class_weight": self.class_weight, "hidden": list(self.hidden), "alpha": self.alpha,
                "max_iter": self.max_iter, "random_state": self.random_state,
                "n_features": int(self.mean_.shape[0]), **self.info}
        arrays = {"mean": self.mean_, "scale": self.scale_}
        for i, (W, b) in enumerate(self.layers_):
            arrays[f"W{i}"], arrays[f"b{i}"] = W, b
        with atomic_write(folder / "weights.npz", "wb") as handle:
            np.savez_compressed(handle, **arrays)
        with atomic_write(folder / "model.json", "w") as handle:
            handle.write(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, folder: str | Path) -> AnyTargetStance:
        """The model saved in ``folder`` by :meth:`save` (or by the format-1 logistic regression).

        Raises:
            ModelError: When the folder holds no such model or its arrays do not fit together.
        """
        folder = Path(folder)
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise errors.ModelError.of(errors.STANCE_ANY_MODEL_JSON_CANNOT, folder=folder, exc=exc) from None
        if meta.get("format") not in READABLE:
            raise errors.ModelError.of(errors.STANCE_ANY_MODEL_JSON_FORMAT, folder=folder, found=meta.get('format'),
                                       expected=FORMAT)
        settings = {k: (tuple(meta[k]) if k == "hidden" else meta[k]) for k in _SETTINGS if k in meta}
        model = cls(encoder=meta["encoder"], **settings)
        with np.load(folder / "weights.npz", allow_pickle=False) as data:
            model.mean_, model.scale_ = data["mean"], data["scale"]
            if "coef" in data:  # format 1: one logistic regression
                model.layers_ = [(data["coef"].T, data["intercept"])]
            else:
                model.layers_ = [(data[f"W{i}"], data[f"b{i}"]) for i in range(len(data.files) // 2 - 1)]
        model.classes_ = list(meta["classes"])
        model.info = {k: v for k, v in meta.items() if k not in ("format", "encoder", "classes", "n_features", *_SETTINGS)}
        n = meta["n_features"]
        widths = [n] + [W.shape[1] for W, _ in model.layers_]
        if (model.mean_.shape != (n,) or widths[-1] != len(model.classes_)
                or any(W.shape != (a, b) or B.shape != (b,) for (W, B), a, b in zip(model.layers_, widths, widths[1:]))):
            raise errors.ModelError.of(errors.STANCE_ANY_WEIGHTS_NPZ_ARRAYS, folder=folder, n_features=n)
        return model

    def feature_names(self) -> list[str]:
        """The names of the model's input columns."""
        return feature_names((self.mean_.shape[0] - 26) // 3)


_SETTINGS = ("C", "class_weight", "learner", "hidden", "alpha", "max_iter", "random_state")
LEARNERS = ("logistic", "mlp")


def _fit_layers(model: AnyTargetStance, X: np.ndarray, y: np.ndarray, weight: np.ndarray) -> list:
    """Fit the learner; its layers as float16 ``(W, b)`` pairs, ``W`` of shape (inputs, outputs)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    if model.learner == "logistic":
        from sklearn.linear_model import LogisticRegression

        est = LogisticRegression(C=model.C, max_iter=3000).fit(X, y, sample_weight=weight)
        coefs, intercepts = [est.coef_.T], [est.intercept_]
    else:
        from sklearn.neural_network import MLPClassifier

        est = MLPClassifier(hidden_layer_sizes=tuple(model.hidden), alpha=model.alpha, batch_size=min(256, len(y)),
                            max_iter=model.max_iter, random_state=model.random_state, shuffle=True)
        with warnings.catch_warnings():  # a fixed number of epochs, chosen by CV, is the point
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y, sample_weight=weight)
        coefs, intercepts = list(est.coefs_), list(est.intercepts_)
    model.classes_ = [str(c) for c in est.classes_]
    if coefs[-1].shape[1] == 1:  # two classes: one logit z, as a softmax over (0, z)
        coefs[-1] = np.hstack([np.zeros_like(coefs[-1]), coefs[-1]])
        intercepts[-1] = np.concatenate([[0.0], intercepts[-1]])
    return [(W.astype(np.float16), b.astype(np.float16)) for W, b in zip(coefs, intercepts)]


class AnyTargetTask:
    """An :class:`AnyTargetStance` as the ``stance`` task of a :class:`~pipeline.models.framing.FramingModel`.

    It reads pieces (their title, text and target), not the spaCy samples of the other tasks:
    :class:`~pipeline.inference.framer.Framer` calls :meth:`predict_pieces`.
    """

    named_steps: dict[str, Any] = {}  # no feature union: the Framer keeps it in one process (torch)

    def __init__(self, model: AnyTargetStance) -> None:
        self.model = model
        self.classes_ = np.asarray(model.classes_)

    def predict_pieces(self, pieces: Sequence[Any]) -> np.ndarray:
        """Probabilities toward each piece's target; uniform for a piece without one."""
        out = np.full((len(pieces), len(self.classes_)), 1.0 / len(self.classes_))
        rows = [i for i, p in enumerate(pieces) if p.target]
        if rows:
            texts = [f"{pieces[i].title}. {pieces[i].text}" if pieces[i].title else pieces[i].text for i in rows]
            out[rows] = self.model.predict_proba([pieces[i].target for i in rows], texts)
        return out

    def predict_proba(self, samples: Any) -> np.ndarray:
        """Not available on samples: the model reads the raw pieces (see :meth:`predict_pieces`)."""
        raise errors.ModelError.of(errors.STANCE_ANY_ANY_TARGET_STANCE)


def load_framing_model(folder: str | Path):
    """The any-target model in ``folder`` as a :class:`~pipeline.models.framing.FramingModel` with one
    ``stance`` task (``info["any_target"]`` set), so that the Framer and the CLI classify with it."""
    from .framing import FramingModel

    model = AnyTargetStance.load(folder)
    info = {"any_target": True, "spacy_model": {"name": None}, "config": {},
            "tasks": {"stance": {"reads_target": True, "any_target": True, "labels": list(model.classes_)}},
            "stance_any": model.info}
    return FramingModel(tasks={"stance": AnyTargetTask(model)}, info=info)


def is_stance_any_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds an :class:`AnyTargetStance` (its model.json names the format)."""
    try:
        return json.loads((Path(folder) / "model.json").read_text(encoding="utf-8")).get("format") in READABLE
    except (OSError, ValueError):
        return False


__all__ = ["AnyTargetStance", "AnyTargetTask", "load_framing_model", "FORMAT", "LEARNERS", "READABLE", "is_stance_any_folder", "pair_matrix", "packaged_encoder", "words"]

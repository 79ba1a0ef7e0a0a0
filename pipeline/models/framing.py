"""The model that holds every task's fitted pipeline, and what ``model.json`` records of it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import Config, saved_config
from ..features.samples import Sample
from .renames import OLD_SETTINGS

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline


class Lazy(MutableMapping):
    """A dict whose values are made on first access: ``load_model`` unpickles a task that is
    predicted from its arrays only when something asks for its pipeline (explanations,
    ``inspect``, evaluation). Listing the names loads nothing.

    Args:
        loaded: Values already made.
        loaders: Name -> a callable that makes the value (called once).
    """

    def __init__(self, loaded: Mapping[str, Any] | None = None,
                 loaders: Mapping[str, Callable[[], Any]] | None = None) -> None:
        self._values = dict(loaded or {})
        self._loaders = {k: v for k, v in (loaders or {}).items() if k not in self._values}
        self._order = [*(loaders or {}), *self._values]
        self._order = list(dict.fromkeys(self._order))

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            if name not in self._loaders:
                raise KeyError(name)
            self._values[name] = self._loaders.pop(name)()
        return self._values[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._loaders.pop(name, None)
        if name not in self._values and name not in self._order:
            self._order.append(name)
        self._values[name] = value

    def __delitem__(self, name: str) -> None:
        if name not in self._values and name not in self._loaders:
            raise KeyError(name)
        self._values.pop(name, None)
        self._loaders.pop(name, None)
        self._order.remove(name)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def is_loaded(self, name: str) -> bool:
        """Whether ``name``'s value is made already."""
        return name in self._values

    def __repr__(self) -> str:
        return f"Lazy({', '.join(self._order)})"


@dataclass
class FramingModel:
    """A trained model: one fitted pipeline per task, plus what ``model.json`` records.

    Attributes:
        tasks: Task name -> fitted pipeline.
        info: Metadata: spaCy model, config, labels, metrics, corpus hash, versions.
        extras: Other fitted components saved beside the tasks (e.g. the entity-stance model).
        arrays: Task name -> its array form (:mod:`pipeline.models.arrays`), which
            :meth:`predict_proba` uses instead of the pickle (replace a task's pipeline, and
            drop its entry here).
        extra_arrays: Extra name -> its array form (``entity_stance``: :attr:`entity_stance`).
    """

    tasks: MutableMapping[str, Pipeline]
    info: dict[str, Any] = field(default_factory=dict)
    extras: MutableMapping[str, Any] = field(default_factory=dict)
    arrays: dict[str, Any] = field(default_factory=dict)
    extra_arrays: dict[str, Any] = field(default_factory=dict)

    @property
    def spacy_model(self) -> str | None:
        """The spaCy model the features were made with."""
        return self.info.get("spacy_model", {}).get("name")

    @property
    def config(self) -> Config:
        """The settings the model was trained with (``info["config"]``, a plain dict in ``model.json``).

        Settings added after the model was saved read as models then behaved
        (:data:`~pipeline.models.renames.OLD_SETTINGS`), else as their default. Built once and
        kept (a classify run asks for ``max_tokens`` every batch, and building the typed settings
        takes a few tenths of a millisecond) until ``info["config"]`` changes.
        """
        raw = self.info.get("config")
        cached = self.__dict__.get("_config")
        # A copy of the dict it was built from: equal to it (a microsecond to compare) unless
        # info["config"] was replaced or edited in place since.
        if cached is None or cached[0] != raw:
            cached = (copy.deepcopy(raw), saved_config(raw, old_values=OLD_SETTINGS))
            self.__dict__["_config"] = cached
        return cached[1]

    @property
    def max_tokens(self) -> int:
        """How many tokens of each piece the features read."""
        return self.config.features.max_tokens

    def labels(self, task: str) -> list[str]:
        """The labels of ``task`` in the column order of its probabilities."""
        model = self.arrays.get(task) or self.tasks[task]
        return [str(c) for c in model.classes_]

    @property
    def entity_stance(self) -> Any:
        """The entity-stance classifier (its array form when saved with one), or None."""
        return self.extra_arrays.get("entity_stance") or self.extras.get("entity_stance")

    def uses_torch(self) -> bool:
        """Whether a task runs PyTorch (the ``embeddings`` extra): an embeddings block or a fine-tuned
        encoder. A task predicted from its arrays never does (it is not unpickled to ask)."""
        for task in self.tasks:
            if task in self.arrays:
                continue
            steps = self.tasks[task].named_steps
            if "features" not in steps or "embeddings" in steps["features"].named_transformers:
                return True
        return False

    def predict_proba(self, samples: list[Sample]) -> dict[str, np.ndarray]:
        """Calibrated probabilities of every task for ``samples`` (rows) over its labels.

        Feature blocks that several tasks share (equal fitted blocks, see :func:`fit_shared_blocks`)
        are computed once; the result equals each task pipeline's own ``predict_proba`` (within
        1e-9 for a task predicted from its arrays).
        """
        done: dict[str, Any] = {}
        shared: dict[str, Any] = {}  # the array form's blocks, by shared key
        out = {}
        for task in self.tasks:
            if task in self.arrays:
                out[task] = self.arrays[task].predict_proba(samples, shared)
                continue
            pipe = self.tasks[task]
            union = pipe.named_steps.get("features")
            if union is None or union.transformer_weights is not None:
                out[task] = pipe.predict_proba(samples)
                continue
            blocks = []
            for _, block in union.transformer_list:
                key = getattr(block, "shared_key_", None) or f"own:{id(block)}"
                if key not in done:
                    done[key] = block.transform(samples)
                blocks.append(done[key])
            from scipy import sparse

            matrix = sparse.hstack(blocks, format="csr") if any(map(sparse.issparse, blocks)) else np.hstack(blocks)
            out[task] = pipe.named_steps["clf"].predict_proba(matrix)
        return out

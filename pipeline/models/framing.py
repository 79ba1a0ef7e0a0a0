"""The model that holds every task's fitted pipeline, and what ``model.json`` records of it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.pipeline import Pipeline

from ..config import Config, saved_config
from ..features.samples import Sample
from .renames import OLD_SETTINGS


@dataclass
class FramingModel:
    """A trained model: one fitted pipeline per task, plus what ``model.json`` records.

    Attributes:
        tasks: Task name -> fitted pipeline.
        info: Metadata: spaCy model, config, labels, metrics, corpus hash, versions.
        extras: Other fitted components saved beside the tasks (e.g. the entity-stance model).
    """

    tasks: dict[str, Pipeline]
    info: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

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
        return [str(c) for c in self.tasks[task].classes_]

    def predict_proba(self, samples: list[Sample]) -> dict[str, np.ndarray]:
        """Calibrated probabilities of every task for ``samples`` (rows) over its labels.

        Feature blocks that several tasks share (equal fitted blocks, see :func:`fit_shared_blocks`)
        are computed once; the result equals each task pipeline's own ``predict_proba``.
        """
        done: dict[str, Any] = {}
        out = {}
        for task, pipe in self.tasks.items():
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
            matrix = sparse.hstack(blocks, format="csr") if any(map(sparse.issparse, blocks)) else np.hstack(blocks)
            out[task] = pipe.named_steps["clf"].predict_proba(matrix)
        return out

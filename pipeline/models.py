"""One classifier per task: build, fit, predict; and the model that holds them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline

from . import errors
from .classifier import CalibratedLinearClassifier
from .features import Sample, build_features


def build_task_pipeline(config: dict[str, Any], *, use_target: bool, n_samples: int) -> Pipeline:
    """The scikit-learn pipeline of one task: features, then a calibrated linear classifier.

    Args:
        config: The task's configuration (``task_config``).
        use_target: Whether to add target-aware features.
        n_samples: Training set size (a tiny corpus relaxes ``min_df``).
    """
    clf = config["classifier"]
    return Pipeline([
        ("features", build_features(config, use_target=use_target, n_samples=n_samples)),
        ("clf", CalibratedLinearClassifier(
            C=clf["C"], class_weight=clf["class_weight"] or None, max_iter=clf["max_iter"],
            calibration_folds=clf["calibration_folds"], random_state=config["evaluation"]["seed"],
        )),
    ])


def fit_task(config: dict[str, Any], samples: list[Sample], labels: list[str], *, use_target: bool) -> Pipeline:
    """Build and fit one task's pipeline.

    Raises:
        TrainingError: When there are fewer than two labels or too few pieces.
    """
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2:
        raise errors.TrainingError(
            f"needs at least two different labels, found only {classes.tolist()}. "
            "Label more pieces, or leave the task out with --task."
        )
    if len(labels) < 4:
        raise errors.TrainingError(f"needs at least 4 labelled pieces, found {len(labels)}.")
    pipeline = build_task_pipeline(config, use_target=use_target, n_samples=len(samples))
    pipeline.fit(samples, labels)
    for step in pipeline.named_steps["features"].transformer_list:
        vectorizer = getattr(step[1], "named_steps", {}).get("tfidf")
        if vectorizer is not None and hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_  # every pruned term: only for introspection, bloats the model
    return pipeline


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
    def max_tokens(self) -> int:
        """How many tokens of each piece the features read."""
        return int(self.info.get("config", {}).get("features", {}).get("max_tokens", 1500))

    def labels(self, task: str) -> list[str]:
        """The labels of ``task`` in the column order of its probabilities."""
        return [str(c) for c in self.tasks[task].classes_]

    def predict_proba(self, samples: list[Sample]) -> dict[str, np.ndarray]:
        """Calibrated probabilities of every task for ``samples`` (rows) over its labels."""
        return {task: pipe.predict_proba(samples) for task, pipe in self.tasks.items()}

"""The settings of training, one frozen dataclass per section of ``default_config.toml``.

The classes hold no defaults: every value comes from ``default_config.toml`` (the only place
defaults are written), merged with a user's file and overrides by :func:`pipeline.config.load_config`,
which checks each value against the field's type here (``Literal`` fields: one of those values).
A test checks that the TOML and these classes name the same settings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class SpacySettings:
    """``[spacy]``: the spaCy pipeline (``""``: the official en_core_web_sm when installed, else ours)."""

    model: str


@dataclass(frozen=True)
class FeatureSettings:
    """``[features]``: the feature blocks of a task's linear model."""

    word_ngrams: tuple[int, int]
    word_min_df: int
    word_max_features: int
    char_ngrams: tuple[int, int]
    char_min_df: int
    char_max_chars: int
    char_max_features: int
    max_tokens: int
    target_features: bool
    similarity: bool
    mention_context: bool
    per_target_target_features: bool
    min_sources: int
    word_tokens_only: bool
    embeddings: str


@dataclass(frozen=True)
class ClassifierSettings:
    """``[classifier]``: the model of each task (a calibrated linear model, two stages, or fine-tuning)."""

    kind: Literal["linear", "finetune"]
    C: float
    class_weight: Literal["balanced", ""]
    max_iter: int
    solver: Literal["newton-cg", "lbfgs"]
    calibration_folds: int
    calibration_max_pieces: int
    gate_label: str
    stage2: Literal["linear", "boosted"]
    stage2_C: float
    per_target: Literal["auto", "off"]
    min_target_pieces: int
    target_weight: float
    target_copy_cap: float
    word_blend: Literal["auto", "off"]
    word_blend_C: float
    word_blend_max_pieces: int
    source_weight: float


@dataclass(frozen=True)
class FinetuneSettings:
    """``[finetune]``: fine-tuning an encoder (``classifier.kind = "finetune"``)."""

    model: str
    epochs: int
    learning_rate: float
    batch_size: int
    max_pieces: int
    weight_decay: float
    dropout: float
    calibration_fraction: float


@dataclass(frozen=True)
class EvaluationSettings:
    """``[evaluation]``: cross-validation."""

    folds: int
    seed: int


SECTIONS: dict[str, type] = {
    "spacy": SpacySettings, "features": FeatureSettings, "classifier": ClassifierSettings,
    "finetune": FinetuneSettings, "evaluation": EvaluationSettings,
}


@dataclass(frozen=True)
class Settings:
    """The settings one task trains with: every section, ``[tasks.TASK.*]`` already merged in."""

    spacy: SpacySettings
    features: FeatureSettings
    classifier: ClassifierSettings
    finetune: FinetuneSettings
    evaluation: EvaluationSettings

    def to_dict(self) -> dict[str, Any]:
        """The sections as plain TOML/JSON values (tuples as lists)."""
        return {name: _plain(dataclasses.asdict(getattr(self, name))) for name in SECTIONS}


@dataclass(frozen=True)
class Config(Settings):
    """The whole configuration: the global sections, and each task's settings where they differ.

    Build it with :func:`pipeline.config.load_config`; it is checked once, there, and cannot change
    (``dataclasses.replace`` makes a changed copy).

    Attributes:
        tasks: ``(task, settings)`` for every task with a ``[tasks.TASK.*]`` section.
    """

    tasks: tuple[tuple[str, Settings], ...] = ()

    def task(self, name: str) -> Settings:
        """The settings of task ``name``: its own where it has a ``[tasks.NAME.*]`` section, else the global ones."""
        for task, settings in self.tasks:
            if task == name:
                return settings
        return Settings(**{section: getattr(self, section) for section in SECTIONS})

    def to_dict(self) -> dict[str, Any]:
        """The configuration as plain values, as ``model.json`` saves it: per task only what differs."""
        out = super().to_dict()
        tasks: dict[str, Any] = {}
        for task, settings in self.tasks:
            own = settings.to_dict()
            diff = {section: {k: v for k, v in values.items() if out[section][k] != v}
                    for section, values in own.items()}
            tasks[task] = {section: values for section, values in diff.items() if values}
        out["tasks"] = tasks
        return out


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}

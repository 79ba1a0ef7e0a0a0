"""Stance toward a target the stance model never saw: read by the zero-shot model instead.

A stance model learns stance toward its training targets; toward any other target its
probabilities only say how a text leans relative to those (:mod:`.targets`). The zero-shot model
(``models/stance-any``, :mod:`pipeline.models.stance_any`) reads the pair (target, text) for any
target. So when a piece's target is unseen, its stance comes from the zero-shot model, its
probabilities put under the stance model's own label names by :data:`SYNONYMS`, so that every
record (and every CSV column) has the same labels whichever model gave the stance.

That is done when the labels pair up: each of the model's stance labels has exactly one zero-shot
label of the same meaning and each zero-shot label but :data:`OPTIONAL` (``none``) exactly one
model label (``support / oppose / neutral`` does; so does ``FAVOR / AGAINST``, two labels: then
``none`` is left out and the favor and against probabilities are renormalised to sum to one).
Otherwise the model's own, relative, stance stays and :attr:`ZeroShot.reason` says why. Nothing heavy loads
here: the weights load on the first unseen target, the sentence encoder (torch) with them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import errors
from ..models.persist import DEFAULT_ZERO_SHOT

# What records call the shipped zero-shot model, wherever an install keeps it (models/stance-any in
# a checkout, pipeline/stance_any_model in a wheel).
DEFAULT_ZERO_SHOT_NAME = "stance-any"

# A zero-shot label -> the label names that mean the same stance (compared in lower case, with
# '_' and '-' read as spaces). The zero-shot model's own labels are favor / against / none.
SYNONYMS: dict[str, frozenset[str]] = {
    "favor": frozenset({"favor", "favour", "in favor", "in favour", "support", "supports", "supporting", "pro",
                        "agree", "agrees", "for", "endorse", "endorses"}),
    "against": frozenset({"against", "oppose", "opposes", "opposing", "con", "contra", "anti", "disagree",
                          "disagrees", "undermine", "undermines", "refute", "refutes", "deny", "denies"}),
    "none": frozenset({"none", "neutral", "unrelated", "discuss", "neither", "no stance", "nostance"}),
}

# The zero-shot label a stance model may lack: a model of two labels (favor / against) takes the
# zero-shot stance without it, the other two renormalised.
OPTIONAL = "none"


def _key(label: str) -> str:
    return " ".join(str(label).lower().replace("_", " ").replace("-", " ").split())


def _group(label: str) -> str | None:
    """The zero-shot label whose synonyms hold ``label`` (None: no synonym of any)."""
    key = _key(label)
    return next((name for name, words in SYNONYMS.items() if key == name or key in words), None)


def label_mapping(zero_shot_labels: Sequence[str], model_labels: Sequence[str]) -> tuple[dict[str, str] | None, str | None]:
    """Zero-shot label -> the model's stance label of the same meaning, when they pair up.

    Every model label must pair with exactly one zero-shot label and every zero-shot label with
    at most one model label; only :data:`OPTIONAL` may be left without one (a model of two labels).

    Args:
        zero_shot_labels: The zero-shot model's classes (``against``, ``favor``, ``none``).
        model_labels: The stance model's labels.

    Returns:
        ``(mapping, None)``, or ``(None, reason)`` naming the labels that do not pair up.
    """
    candidates = {z: [m for m in model_labels if _group(m) is not None and _group(m) == _group(z)]
                  for z in zero_shot_labels}
    mapping = {z: ms[0] for z, ms in candidates.items() if len(ms) == 1}
    unpaired = [m for m in model_labels if m not in mapping.values()]
    missing = [z for z, ms in candidates.items() if len(ms) != 1]
    if (not unpaired and len(set(mapping.values())) == len(mapping) == len(model_labels) >= 2
            and all(z == OPTIONAL and not candidates[z] for z in missing)):
        return mapping, None
    problems = [f"{z!r} matches {', '.join(map(repr, candidates[z]))}" if candidates[z]
                else f"{z!r} has no synonym among them" for z in missing]
    problems += [f"{m!r} has no zero-shot label" for m in unpaired if not any(m in ms for ms in candidates.values())]
    return None, (f"its labels ({', '.join(zero_shot_labels)}) do not pair up with this model's stance "
                  f"labels ({', '.join(model_labels)}): {'; '.join(problems)}")


def describe(mapping: dict[str, str] | None, left_out: Sequence[str] = ()) -> str:
    """``favor -> support, against -> oppose, none -> neutral`` (and what is left out, renormalised)."""
    text = ", ".join(f"{z} -> {m}" for z, m in (mapping or {}).items())
    if left_out:
        text += f"; {', '.join(left_out)} left out, the others renormalised"
    return text


class ZeroShot:
    """The zero-shot stance model of a folder, its labels mapped onto a stance model's labels.

    Args:
        folder: A folder saved by :meth:`pipeline.models.stance_any.AnyTargetStance.save`.
        labels: The stance model's labels, in its order (the columns :meth:`predict` returns).
        name: What records call it (default: the folder's name).

    Attributes:
        name: The folder's name (what records give as the stance's ``source``).
        mapping: Zero-shot label -> model label (None: they do not map; see ``reason``).
        reason: Why it is not used (labels that do not map, the ``embeddings`` extra missing), or None.

    Raises:
        ModelError: When ``folder`` holds no zero-shot stance model.
    """

    def __init__(self, folder: str | Path, labels: Sequence[str], *, name: str | None = None) -> None:
        self.folder = Path(folder)
        self.name = name or self.folder.name
        try:
            meta = json.loads((self.folder / "model.json").read_text(encoding="utf-8"))
            classes = [str(c) for c in meta["classes"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise errors.ModelError.of(errors.ZERO_SHOT_NOT_A_MODEL, folder=self.folder, exc=exc) from None
        self.classes = classes
        self.labels = list(labels)
        self.mapping, self.reason = label_mapping(classes, self.labels)
        self._task: Any = None

    @property
    def usable(self) -> bool:
        """Whether it can give stance (the labels map and nothing it needs was found missing)."""
        return self.mapping is not None and self.reason is None

    @property
    def left_out(self) -> list[str]:
        """The zero-shot labels the model has no label for (``["none"]`` for favor / against)."""
        return [z for z in self.classes if self.mapping is not None and z not in self.mapping]

    def describe(self) -> str:
        """``favor -> support, against -> oppose, none -> neutral`` (see :func:`describe`)."""
        return describe(self.mapping, self.left_out)

    def predict(self, pieces: Sequence[Any]) -> np.ndarray | None:
        """Probabilities toward each piece's target over the model's labels (rows in order), or
        None when it cannot be used (then :attr:`reason` says why).

        The numbers are the zero-shot model's own (:meth:`AnyTargetTask.predict_pieces`), its
        columns put in the model's label order; when a label is left out (:attr:`left_out`) the
        kept columns are renormalised to sum to one.
        """
        if not self.usable:
            return None
        try:
            if self._task is None:
                from ..models.stance_any import AnyTargetStance, AnyTargetTask

                self._task = AnyTargetTask(AnyTargetStance.load(self.folder))
            proba = self._task.predict_pieces(list(pieces))
        except ImportError as exc:  # MissingExtraError too: the embeddings extra is not installed
            self.reason = f"it needs the sentence encoder of the embeddings extra ({exc})"
            return None
        order = [self.classes.index(z) for z in self._order()]
        kept = proba[:, order]
        if self.left_out:
            kept = kept / np.clip(kept.sum(axis=1, keepdims=True), 1e-12, None)
        return kept

    def _order(self) -> list[str]:
        """The zero-shot label of each of the model's labels, in the model's order."""
        back = {m: z for z, m in (self.mapping or {}).items()}
        return [back[m] for m in self.labels]

    def status(self) -> dict[str, Any]:
        """What a caller reports: ``{"model", "folder", "mapping", "left_out", "reason"}``."""
        return {"model": self.name, "folder": str(self.folder), "mapping": self.mapping,
                "left_out": self.left_out, "reason": self.reason}


def chosen(choice: bool | str | Path | None, labels: Sequence[str]) -> ZeroShot | None:
    """The zero-shot stance model ``choice`` names (True: the shipped one, when this install has
    it; a folder; False or None: none), its labels mapped onto ``labels``."""
    if choice is False or choice is None:
        return None
    if choice is True:
        if not (DEFAULT_ZERO_SHOT / "model.json").is_file():
            return None  # not shipped with this install
        return ZeroShot(DEFAULT_ZERO_SHOT, labels, name=DEFAULT_ZERO_SHOT_NAME)
    return ZeroShot(choice, labels)

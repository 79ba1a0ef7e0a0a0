"""The model a labelling session retrains in the background (``--retrain-every``): a fresh
Framer for the tasks that have enough labels."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..config import Config
from ..corpus import Piece

__all__ = ["retrain_framer"]


def retrain_framer(pieces: list[Piece], tasks: list[str], *, config: Config | None = None,
                   processor: Any = None) -> Any:
    """Train a fresh model on ``pieces`` for the ``tasks`` that have enough labels, as a Framer.

    A task needs two labels and four labelled pieces; the others keep no classifier until then.

    Raises:
        TrainingError: When no task has enough labels yet.
    """
    from ..inference.framer import Framer
    from ..training.train import train

    trainable = []
    for task in tasks:
        labels = [p.labels[task] for p in pieces if task in p.labels]
        if len(labels) >= 4 and len(set(labels)) >= 2:
            trainable.append(task)
    if not trainable:
        raise errors.TrainingError.of(errors.RETRAIN_ENOUGH_LABELS_TRAIN)
    result = train(pieces, tasks=trainable, config=config, processor=processor, evaluate=False)
    return Framer(result.model, processor=processor)

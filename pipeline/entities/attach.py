"""The stance toward each entity of a doc: the entity-stance model asked about every sentence
that mentions it, the probabilities averaged. Works with the fitted
:class:`~.stance.EntityStanceClassifier` and with its array form
(:mod:`pipeline.models.entity_stance_arrays`), and imports neither scikit-learn nor SciPy.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import errors
from .types import Entity, doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc


def attach_stance(entities: list[Entity], doc: Doc, model: Any) -> list[Entity]:
    """Fill each entity's ``stance`` and ``stance_proba`` from the sentences that mention it.

    Every mention is classified in its sentence (``doc.sents`` when the doc has sentence
    boundaries, else the whole text); the entity's probabilities are the mean over mentions.

    Args:
        entities: Entities of ``doc``, e.g. from :func:`~pipeline.entities.extract.extract_entities`.
        doc: The spaCy ``Doc`` the entities' mention offsets point into.
        model: A fitted :class:`~.stance.EntityStanceClassifier`, or its
            :class:`~pipeline.models.entity_stance_arrays.EntityStanceArrays`.

    Returns:
        The same entities, updated in place.

    Raises:
        ModelError: When the model is not fitted.
    """
    if not hasattr(model, "model_") and not hasattr(model, "featurizer"):
        raise errors.ModelError(errors.STANCE_NOT_FITTED)
    bounds = _sentence_bounds(doc)
    starts = [a for a, _ in bounds]
    samples, owners = [], []
    for k, entity in enumerate(entities):
        for start, end in entity.mentions:
            s0, s1 = _sentence_of(bounds, starts, start, len(doc_text(doc)))
            end = min(end, s1)
            if end > start:
                samples.append((doc_text(doc)[s0:s1], start - s0, end - s0))
                owners.append(k)
    if not samples:
        return entities
    proba = model.predict_proba(samples)
    owners_arr = np.asarray(owners)
    for k, entity in enumerate(entities):
        rows = proba[owners_arr == k]
        if len(rows):
            mean = rows.mean(axis=0)
            entity.stance_proba = {str(c): float(p) for c, p in zip(model.classes_, mean)}
            entity.stance = str(model.classes_[int(np.argmax(mean))])
    return entities


def _sentence_of(bounds: list[tuple[int, int]], starts: list[int], offset: int,
                 length: int) -> tuple[int, int]:
    """The sentence ``(start, end)`` holding character ``offset``, else the whole text: the
    sentences are in order and do not overlap, so only the last one starting at or before
    ``offset`` can hold it."""
    k = bisect_right(starts, offset) - 1
    if k >= 0 and offset < bounds[k][1]:
        return bounds[k]
    return 0, length


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the doc's sentences, or one span for the whole text."""
    if doc.has_annotation("SENT_START"):
        return [(sent.start_char, sent.end_char) for sent in doc.sents]
    return [(0, len(doc_text(doc)))]

"""Tests for pipeline.labelling.retrain: the model a session retrains, for the tasks with enough labels."""

from __future__ import annotations

import pytest

from pipeline import errors


def test_retrain_framer_trains_the_tasks_with_enough_labels(sample_pieces):
    from dataclasses import replace

    from pipeline.labelling.retrain import retrain_framer

    pieces = [replace(p, labels={"stance": p.labels["stance"]}) for p in sample_pieces[:12]]
    framer = retrain_framer(pieces, ["stance", "frame"])  # no frame labels yet: stance only
    assert list(framer.model.tasks) == ["stance"]
    proba = framer.probabilities(pieces[:3])["stance"]
    assert proba.shape == (3, 3) and abs(proba.sum(axis=1) - 1).max() < 1e-6
    with pytest.raises(errors.TrainingError, match="not enough labels"):
        retrain_framer(pieces[:3], ["stance"])

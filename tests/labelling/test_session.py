"""One annotator's session: order, label, skip, undo, several tasks, background retraining."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline import errors
from pipeline.corpus import Piece
from pipeline.labelling import LabelWriter, read_label_log
from pipeline.labelling.codebook import parse_codebook
from pipeline.labelling.session import AnnotationSession

STANCE = ["oppose", "support"]


def _pieces(n=6):
    topics = "transit tax school wage court wind farm budget".split()
    return [Piece(id=f"p{i}", text=f"The {topics[i % 8]} plan and the {topics[(i + 3) % 8]} vote, part {i}.",
                  source=f"S{i % 3}", target="the plan") for i in range(n)]


def _session(tmp_path, annotator="ann", **options):
    writer = LabelWriter(tmp_path / "labels.jsonl", annotator)
    options.setdefault("label_sets", {"stance": STANCE, "frame": ["economic", "legality"]})
    return AnnotationSession(_pieces(), options.pop("tasks", ["stance"]), writer, **options)


def test_label_skip_undo_and_the_file(tmp_path):
    session = _session(tmp_path, codebook=parse_codebook("### oppose\nAgainst the target.\n### support\nFor it."))
    view = session.view()
    first = view["piece"]["id"]
    assert not view["done"] and view["active_task"] == "stance"
    stance = view["tasks"][0]
    assert [(lab["key"], lab["label"], lab["definition"]) for lab in stance["labels"]] == [
        ("1", "oppose", "Against the target."), ("2", "support", "For it.")]
    assert stance["guess"] is None and view["status"]["labelled"] == 0
    session.label(first, "stance", "oppose")
    second = session.view()["piece"]["id"]
    assert second != first
    session.skip(second)
    third = session.view()["piece"]["id"]
    assert third not in (first, second)
    session.undo()  # takes back the skip: the skipped piece comes back
    assert session.view()["piece"]["id"] == second
    session.undo()  # takes back the label of the first piece
    view = session.view()
    assert view["piece"]["id"] == first and view["tasks"][0]["mine"] is None
    assert session.undo() is None  # nothing left to undo
    ops = [json.loads(line)["op"] for line in (tmp_path / "labels.jsonl").read_text().splitlines()]
    assert ops == ["label", "skip", "undo", "undo"]
    assert read_label_log(tmp_path / "labels.jsonl").labels == []


def test_every_piece_once_then_skipped_ones_then_done(tmp_path):
    session = _session(tmp_path)
    skipped = session.view()["piece"]["id"]
    session.skip(skipped)
    seen = []
    for _ in range(5):
        pid = session.view()["piece"]["id"]
        seen.append(pid)
        session.label(pid, "stance", "support")
    assert skipped not in seen and len(set(seen)) == 5
    assert session.view()["piece"]["id"] == skipped  # only the skipped piece is left
    session.label(skipped, "stance", "oppose")
    view = session.view()
    assert view["done"] is True and view["status"]["labelled"] == 6


def test_a_restarted_session_continues_where_it_stopped(tmp_path):
    session = _session(tmp_path)
    done = []
    for _ in range(3):
        pid = session.current()
        session.label(pid, "stance", "support")
        done.append(pid)
    again = _session(tmp_path)
    assert again.current() not in done and again.view()["status"]["labelled"] == 3
    other = _session(tmp_path, annotator="bob")  # another annotator labels every piece again
    assert other.view()["status"]["labelled"] == 0


def test_two_tasks_per_piece(tmp_path):
    session = _session(tmp_path, tasks=["stance", "frame"])
    pid = session.current()
    session.label(pid, "stance", "oppose")
    view = session.view()
    assert view["piece"]["id"] == pid and view["active_task"] == "frame"
    assert view["tasks"][0]["mine"] == "oppose"
    session.label(pid, "frame", "legality")
    assert session.current() != pid


def test_bad_input(tmp_path):
    session = _session(tmp_path)
    with pytest.raises(errors.InputError, match="unknown piece"):
        session.label("nope", "stance", "oppose")
    with pytest.raises(errors.InputError, match="use one of"):
        session.label("p0", "stance", "maybe")
    with pytest.raises(errors.InputError, match="unknown task"):
        session.label("p0", "lean", "left")
    with pytest.raises(errors.ConfigError, match=r"label_sets={'stance': \['support'"):
        AnnotationSession(_pieces(), ["stance"], LabelWriter(tmp_path / "x.jsonl", "a"))


class _Model:
    def __init__(self, p):
        self.tasks, self.p = {"stance": None}, p

    def labels(self, task):
        return STANCE


class _Framer:
    """A model whose guess is fixed: ``p`` for oppose."""

    def __init__(self, p):
        self.model = _Model(p)

    def probabilities(self, pieces):
        return {"stance": np.array([[self.model.p, 1 - self.model.p]] * len(pieces))}

    def classify(self, pieces, entities=True):
        for piece in pieces:
            yield {"predictions": {"stance": {"label": "oppose", "confidence": self.model.p}},
                   "entities": [{"text": "plan", "label": "ORG", "mentions": [[4, 10]]}]}


def test_guesses_entities_and_retraining_in_the_background(tmp_path):
    calls = []

    def retrain(pieces, tasks):
        calls.append(sorted((p.id, p.labels["stance"]) for p in pieces))
        return _Framer(0.9)

    session = _session(tmp_path, framer=_Framer(0.6), retrain_every=2, retrain=retrain, label_sets=None)
    view = session.view()
    assert view["tasks"][0]["guess"] == "oppose" and view["tasks"][0]["confidence"] == 0.6
    assert view["entities"][0]["label"] == "ORG" and view["piece"]["text"][4:10] == view["piece"]["text"][4:10]
    first = session.current()
    session.label(first, "stance", "support")
    second = session.current()
    session.label(second, "stance", "oppose")
    assert session.wait_for_retrain(10)
    assert calls == [sorted([(first, "support"), (second, "oppose")])]
    view = session.view()
    assert view["status"]["model"]["version"] == 1 and view["status"]["model"]["trained_on"] == 2
    assert view["tasks"][0]["confidence"] == 0.9


def test_a_failed_retraining_is_reported_not_lost(tmp_path):
    def retrain(pieces, tasks):
        raise errors.TrainingError("not enough labels")

    session = _session(tmp_path, retrain_every=1, retrain=retrain)
    session.label(session.current(), "stance", "support")
    assert session.wait_for_retrain(10)
    assert session.view()["status"]["model"]["error"] == "retraining failed: not enough labels"

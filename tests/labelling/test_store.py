"""The labels file: appended line by line, undo as a record, a cut-off last line survived."""

from __future__ import annotations

import json

import pytest

from pipeline import errors
from pipeline.labelling import LabelWriter, read_label_log


def test_labels_skips_and_undo_are_appended(tmp_path):
    path = tmp_path / "sub" / "labels.jsonl"
    writer = LabelWriter(path, "ann")
    first = writer.label("a-1", "stance", "oppose")
    writer.label("a-2", "stance", "support")
    writer.skip("a-3")
    writer.undo(first["key"])
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["op"] for r in lines] == ["label", "label", "skip", "undo"]
    assert lines[3]["undoes"] == first["key"]
    assert all(r["annotator"] == "ann" and r["time"].endswith("+00:00") for r in lines)
    log = read_label_log(path)
    assert [(r["id"], r["label"]) for r in log.labels] == [("a-2", "support")]
    assert [r["id"] for r in log.skips] == ["a-3"]
    assert [r["id"] for r in log.entries] == ["a-2", "a-3"]
    assert log.current() == {("ann", "a-2", "stance"): "support"}
    assert log.labelled_ids("stance") == {"a-2"} and log.labelled_ids("frame") == set()
    assert log.problems == []


def test_a_line_cut_short_by_a_crash_is_reported_and_the_file_repaired(tmp_path):
    path = tmp_path / "labels.jsonl"
    LabelWriter(path, "ann").label("a-1", "stance", "oppose")
    with open(path, "a") as handle:
        handle.write('{"op": "label", "id": "a-2", "ta')  # what a crash mid-write would leave
    writer = LabelWriter(path, "bob")  # reopening ends the cut line, so the next record is whole
    writer.label("a-3", "stance", "neutral")
    log = read_label_log(path)
    assert [r["id"] for r in log.labels] == ["a-1", "a-3"]
    assert len(log.problems) == 1 and "labels.jsonl:2" in log.problems[0] and "cut short" in log.problems[0]


def test_hand_written_lines_and_bad_records(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": 7, "task": "stance", "label": "oppose", "annotator": "ann"}\n'
                    '{"op": "label", "id": "x"}\n[1, 2]\n{"op": "rename"}\n\n')
    log = read_label_log(path)
    assert [(r["id"], r["label"]) for r in log.labels] == [("7", "oppose")]
    assert len(log.problems) == 3
    assert "needs task, label" in log.problems[0] and "expected a JSON object" in log.problems[1]


def test_missing_file(tmp_path):
    assert read_label_log(tmp_path / "none.jsonl").labels == []
    with pytest.raises(errors.InputError, match="no such labels file"):
        read_label_log(tmp_path / "none.jsonl", missing_ok=False)

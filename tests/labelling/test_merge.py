"""Merging several annotators' labels: majority, adjudicator, ties reported, nothing dropped."""

from __future__ import annotations

from pipeline.corpus import Piece
from pipeline.labelling import merge_labels, resolve_votes
from pipeline.labelling.store import LabelLog


def _label(annotator, pid, label, task="stance"):
    return {"op": "label", "key": f"{annotator}{pid}{task}", "id": pid, "task": task, "label": label,
            "annotator": annotator}


def test_resolve_votes():
    assert resolve_votes({"a": "x", "b": "x", "c": "y"}) == ("x", "majority")
    assert resolve_votes({"a": "x", "b": "y"}) == (None, "tie")
    assert resolve_votes({"a": "x", "b": "y", "boss": "y"}, adjudicator="boss") == ("y", "adjudicator")
    assert resolve_votes({"a": "x", "b": "x"}) == ("x", "unanimous")
    assert resolve_votes({"a": "x"}) == ("x", "single")
    # Where the adjudicator said nothing, the others' majority decides, without the adjudicator.
    assert resolve_votes({"a": "x", "b": "x", "c": "y"}, adjudicator="boss") == ("x", "majority")


def test_merge_keeps_every_labelled_piece_and_reports_ties():
    pieces = [Piece(id=str(i), text=f"text number {i}") for i in range(1, 6)]
    pieces[4] = Piece(id="5", text="already labelled", labels={"stance": "neutral"})
    labels = [_label("a", "1", "oppose"), _label("b", "1", "oppose"), _label("c", "1", "support"),
              _label("a", "2", "oppose"), _label("b", "2", "support"),
              _label("a", "3", "support"), _label("a", "3", "economic", task="frame"),
              _label("a", "5", "support"), _label("a", "99", "oppose")]
    result = merge_labels(pieces, LabelLog(labels=labels))
    by_id = {p.id: p for p in result.pieces}
    assert list(by_id) == ["1", "2", "3", "5"]  # 4: nobody labelled it
    assert by_id["1"].labels == {"stance": "oppose"}
    assert by_id["1"].meta["labelling"]["stance"] == {"votes": {"oppose": 2, "support": 1}, "resolved": "majority"}
    assert by_id["2"].labels == {}  # kept, without the tied task
    assert result.ties == [{"id": "2", "task": "stance", "votes": {"a": "oppose", "b": "support"}}]
    assert by_id["3"].labels == {"stance": "support", "frame": "economic"}
    assert by_id["5"].labels == {"stance": "support"}
    assert result.overridden == [{"id": "5", "task": "stance", "corpus": "neutral", "merged": "support"}]
    assert result.unknown_ids == ["99"]
    assert result.unlabelled == 1
    assert result.resolved == {"majority": 1, "single": 3}
    assert len(merge_labels(pieces, LabelLog(labels=labels), include_unlabelled=True).pieces) == 5


def test_adjudicator_breaks_ties():
    pieces = [Piece(id="1", text="some words")]
    labels = [_label("a", "1", "oppose"), _label("b", "1", "support"), _label("judge", "1", "support")]
    result = merge_labels(pieces, LabelLog(labels=labels), adjudicator="judge")
    assert result.pieces[0].labels == {"stance": "support"} and result.ties == []
    assert result.resolved == {"adjudicator": 1}

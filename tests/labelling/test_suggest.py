"""What to label next: uncertain pieces, spread over outlets and vocabulary, labelled ones skipped."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import errors
from pipeline.corpus import Piece
from pipeline.labelling import select, suggest, uncertainty
from pipeline.labelling.suggest import text_vectors


class FakeModel:
    tasks = {"stance": None}

    def labels(self, task):
        return ["oppose", "support"]


class FakeFramer:
    """Probabilities read from each piece's meta: lets a test say how unsure the model is."""

    model = FakeModel()

    def probabilities(self, pieces):
        p = np.array([[pc.meta["p"], 1 - pc.meta["p"]] for pc in pieces])
        return {"stance": p}


WORDS = "council budget transit school police wind farm wage court vote poll climate housing rent tax".split()


def _corpus():
    pieces = []
    for i in range(30):  # 30 varied pieces, each about two different topics
        text = f"{WORDS[i % 15]} {WORDS[(i * 7 + 3) % 15]} story {i}"
        pieces.append(Piece(id=f"v{i}", text=text, source=f"outlet{i % 6}", meta={"p": 0.9}))
    for i in range(10):  # ten near-copies of one wire story, the model very unsure of each
        pieces.append(Piece(id=f"w{i}", text="wire story about the wind farm vote today", source="Wire",
                            meta={"p": 0.5}))
    return pieces


def test_uncertainty_margin_and_entropy():
    proba = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.6, 0.3, 0.1]])
    assert uncertainty(proba, "margin") == pytest.approx([1.0, 0.0, 0.7])
    ent = uncertainty(proba, "entropy")
    assert ent[1] == pytest.approx(0.0, abs=1e-9) and ent[0] == pytest.approx(np.log(2) / np.log(3))
    with pytest.raises(errors.ConfigError, match="margin"):
        uncertainty(proba, "variance")


def test_pure_uncertainty_takes_the_copies_a_spread_does_not():
    pieces = _corpus()
    plain = suggest(pieces, "stance", 5, framer=FakeFramer(), spread="none", max_share=1.0)
    assert all(s.piece.id.startswith("w") for s in plain)
    for spread in ("kmeans", "maxmin"):
        chosen = suggest(pieces, "stance", 5, framer=FakeFramer(), spread=spread)
        copies = [s for s in chosen if s.piece.id.startswith("w")]
        assert len(copies) == 1 and chosen[0].piece.id.startswith("w"), spread  # the most uncertain first, once
        assert [s.rank for s in chosen] == [1, 2, 3, 4, 5]
        assert chosen[0].guess in ("oppose", "support") and chosen[0].confidence == pytest.approx(0.5)
        assert chosen[0].uncertainty == pytest.approx(1.0)


def test_source_cap_spreads_a_batch_over_outlets():
    pieces = [Piece(id=f"{s}{i}", text=f"{WORDS[i]} {WORDS[(i + 5) % 15]} {s}", source=s, meta={"p": 0.5})
              for s in ("A", "B", "C", "D", "E") for i in range(6)]
    for spread in ("none", "kmeans", "maxmin"):
        chosen = suggest(pieces, "stance", 10, framer=FakeFramer(), spread=spread, max_share=0.2)
        per_source = {s: sum(c.piece.source == s for c in chosen) for s in "ABCDE"}
        assert per_source == {s: 2 for s in "ABCDE"}, spread


def test_labelled_and_skipped_pieces_are_not_suggested():
    pieces = _corpus()
    pieces[30].labels["stance"] = "oppose"
    chosen = suggest(pieces, "stance", 40, framer=FakeFramer(), skip={"w1", "v0"})
    ids = {s.piece.id for s in chosen}
    assert len(chosen) == 37 and not ids & {"w0", "w1", "v0"}


def test_without_a_model_diversity_alone():
    pieces = _corpus()
    chosen = suggest(pieces, "stance", 6)
    assert len(chosen) == 6 and all(s.guess is None for s in chosen)
    assert sum(s.piece.id.startswith("w") for s in chosen) <= 1
    assert [s.piece.id for s in suggest(pieces, "stance", 6)] == [s.piece.id for s in chosen]  # repeatable


def test_select_relaxes_caps_when_one_group_is_left():
    vectors = text_vectors([f"{w} thing" for w in WORDS[:6]])
    for spread in ("kmeans", "maxmin"):
        chosen = select(np.ones(6), vectors, 6, groups=(["A"] * 6,), max_share=0.2, spread=spread)
        assert sorted(row for row, _ in chosen) == list(range(6))


def test_errors():
    with pytest.raises(errors.ModelError, match="no 'frame' classifier"):
        suggest(_corpus(), "frame", 3, framer=FakeFramer())
    with pytest.raises(errors.ConfigError):
        suggest(_corpus(), "stance", 0)
    with pytest.raises(errors.ConfigError, match="kmeans"):
        suggest(_corpus(), "stance", 3, spread="random")


def test_with_a_real_model(small_model, sample_pieces):
    from pipeline.inference.framer import Framer

    unlabelled = [Piece(**{**p.__dict__, "labels": {}}) for p in sample_pieces[1::2][:60]]
    chosen = suggest(unlabelled, "stance", 10, framer=Framer(small_model[0]))
    assert len({s.piece.id for s in chosen}) == 10
    assert all(set(s.probabilities) == {"neutral", "oppose", "support"} for s in chosen)
    assert max(sum(s.piece.source == src for s in chosen) for src in {s.piece.source for s in chosen}) <= 2
    record = chosen[0].to_record()
    assert record["rank"] == 1 and record["id"] == chosen[0].piece.id and record["guess"] in record["probabilities"]

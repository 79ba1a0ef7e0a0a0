"""The FNC-1 dev splits of the train pairs: whole stories on one side; with ``novel``, headlines too."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.fnc1_dev import story_split  # noqa: E402
from pipeline.corpus import Piece  # noqa: E402


def pairs() -> list[Piece]:
    """40 stories of 2 bodies and 2 related headlines each, every headline also paired unrelated elsewhere."""
    out = []
    for s in range(40):
        for b in range(2):
            body = f"{s}-{b}"
            for h in range(2):
                out.append(Piece.from_record({"id": f"r{s}{b}{h}", "text": f"body {body}", "target": f"headline {s}-{h}",
                                              "labels": {"stance": "discuss"}, "meta": {"body_id": body}}))
            other = (s + 7) % 40
            out.append(Piece.from_record({"id": f"u{s}{b}", "text": f"body {body}", "target": f"headline {other}-{b}",
                                          "labels": {"stance": "unrelated"}, "meta": {"body_id": body}}))
    out.append(Piece.from_record({"id": "lone", "text": "body 0-0", "target": "a headline with no related body",
                                  "labels": {"stance": "unrelated"}, "meta": {"body_id": "0-0"}}))
    return out


def sides(train: list[Piece], dev: list[Piece]) -> tuple[set, set, set, set]:
    return ({p.meta["body_id"] for p in train}, {p.meta["body_id"] for p in dev},
            {p.target for p in train}, {p.target for p in dev})


def test_story_split_keeps_bodies_apart_but_shares_headlines():
    pieces = pairs()
    train, dev = story_split(pieces)
    assert len(train) + len(dev) == len(pieces)
    train_bodies, dev_bodies, train_heads, dev_heads = sides(train, dev)
    assert dev and not train_bodies & dev_bodies
    assert train_heads & dev_heads  # the unrelated pairs carry dev headlines into train


def test_novel_split_keeps_headlines_apart_too_and_leaves_out_only_mixed_pairs():
    pieces = pairs()
    train, dev = story_split(pieces, novel=True)
    train_bodies, dev_bodies, train_heads, dev_heads = sides(train, dev)
    assert dev and train
    assert not train_bodies & dev_bodies and not train_heads & dev_heads
    assert {p.labels["stance"] for p in dev} == {"discuss", "unrelated"}
    story_on_dev = {p.target for p in pieces if p.labels["stance"] == "discuss" and p.meta["body_id"] in dev_bodies}
    kept = {p.id for p in train + dev}
    assert all(p.id in kept for p in pieces if p.labels["stance"] == "discuss")  # a related pair is one story
    left_out = [p for p in pieces if p.id not in kept and p.id != "lone"]
    assert left_out  # the unrelated pairs across sides
    for p in left_out:  # its body on one side, its headline's story on the other
        assert (p.meta["body_id"] in dev_bodies) != (p.target in story_on_dev)
    # the same stories go to dev as in the plain split
    assert dev_bodies == sides(*story_split(pieces))[1]

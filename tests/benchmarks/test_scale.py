"""The scale benchmark's inputs and client-side measurement (the cluster runs are the benchmark)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.scale import client_feed, make_pieces  # noqa: E402


def test_pieces_are_unique_and_made_from_the_sample(sample_pieces):
    pieces = make_pieces(len(sample_pieces) + 5)
    assert len({p.id for p in pieces}) == len({p.text for p in pieces}) == len(pieces)
    assert pieces[-1].text.startswith(sample_pieces[4].text) and pieces[-1].labels == sample_pieces[4].labels


def test_client_feed_reads_every_piece(tmp_path):
    feed = client_feed(make_pieces(30), 7, tmp_path)
    assert feed["rate"] > 0 and feed["bytes_per_piece"] > 100

"""The CoNLL-2003 reader and span scorer of the entity benchmark, on a file we write."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.conll import error_kinds, iob1_spans, read_conll, score, token_span  # noqa: E402

SAMPLE = """-DOCSTART- -X- -X- O

Ana NNP I-NP I-PER
Lima NNP I-NP I-PER
met VBD I-VP O
Rui NNP I-NP I-PER
Costa NNP I-NP B-PER
in IN I-PP O
Porto NNP I-NP I-LOC
. . O O

Porto NNP I-NP I-ORG
won VBD I-VP O

-DOCSTART- -X- -X- O

Oslo NNP I-NP I-LOC
"""


def test_iob1_starts_and_touching_entities(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    docs = read_conll(path)
    assert len(docs) == 2
    first = docs[0]
    assert first.text == "Ana Lima met Rui Costa in Porto .\nPorto won"
    # "Rui" starts a PER; "Costa" (B-PER) starts another touching it.
    assert first.gold == [(0, 2, "PER"), (3, 4, "PER"), (4, 5, "PER"), (6, 7, "LOC"), (8, 9, "ORG")]
    assert docs[1].gold == [(0, 1, "LOC")]


def test_a_sentence_start_ends_an_entity():
    assert iob1_spans(["I-LOC", "I-LOC"], [0, 1]) == [(0, 1, "LOC"), (1, 2, "LOC")]


def test_character_spans_map_to_tokens(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    doc = read_conll(path)[0]
    start = doc.text.index("Rui")
    assert token_span(doc, start, start + len("Rui Costa")) == (3, 5)
    assert token_span(doc, start + 1, start + 2) == (3, 4)  # inside a token: that token
    assert token_span(doc, start, start) is None


def test_scores_and_error_kinds():
    gold = [{(0, 2, "PER"), (5, 6, "LOC"), (8, 9, "ORG"), (10, 11, "MISC")}]
    pred = [{(0, 2, "PER"), (5, 7, "LOC"), (8, 9, "LOC"), (12, 13, "ORG")}]
    s = score(gold, pred)
    assert s.typed["ALL"][:3] == (0.25, 0.25, 0.25)
    assert s.untyped[:2] == (0.5, 0.5)
    assert error_kinds(gold[0], pred[0]) == {("too long", "LOC"): 1, ("wrong type", "ORG"): 1,
                                             ("missed", "MISC"): 1, ("spurious", "ORG"): 1}

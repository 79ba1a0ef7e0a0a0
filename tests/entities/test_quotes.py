"""Direct-quote attribution on the sentences we wrote (dev and held-out halves)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.entities_quotes import DATA, score_quotes  # noqa: E402
from pipeline.entities import extract_entities  # noqa: E402
from pipeline.entities.attribution import person_gender  # noqa: E402


def test_dev_and_heldout_sentences(nlp):
    for split in ("dev", "heldout"):
        scores, errors = score_quotes(nlp, DATA / f"quotes_{split}.jsonl")
        assert scores["accuracy"] == 1.0, errors


def test_gender_picks_the_speaker(make_doc):
    text = "Mr. Abel Grant thanked Mrs. Cora Lind. “It took years,” she said."
    doc = make_doc(text, ("Abel Grant", "PERSON"), ("Cora Lind", "PERSON"))
    quoted = {e.text: e.quoted for e in extract_entities(doc)}
    assert quoted == {"Abel Grant": False, "Cora Lind": True}


def test_gender_words():
    assert person_gender("Councilwoman Ada Fox", len("Councilwoman ")) == "f"
    assert person_gender("Mr. Ned Fox", len("Mr. ")) == "m"
    assert person_gender("Ned Fox", 0) is None


def test_an_object_after_a_title_is_not_quoted(make_doc):
    doc = make_doc("Critics of Mayor Ines Roth say the plan fails.", ("Ines Roth", "PERSON"))
    assert [e.quoted for e in extract_entities(doc)] == [False]

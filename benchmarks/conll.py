"""CoNLL-2003 for the entity benchmark: reading IOB1 files, building doc texts, scoring spans.

Documents are split at ``-DOCSTART-``. A document's text is its tokens joined by single
spaces, one sentence a line (so character offsets map back to tokens exactly, and a span
that crosses a line break crosses a sentence boundary). Gold entities follow IOB1: ``I-X``
starts an entity unless the token before is ``I-X`` or ``B-X`` of the same type; ``B-X``
always starts one (two touching entities of a type).

Predictions are character spans with a CoNLL type; :func:`token_span` maps them onto the
document's tokens (every token the span overlaps), then :func:`score` compares token spans.
spaCy's OntoNotes labels map to CoNLL's four with :data:`ONTONOTES_TO_CONLL`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TYPES = ("PER", "ORG", "LOC", "MISC")
# OntoNotes (spaCy) -> CoNLL. Why: CoNLL's LOC covers countries, cities and regions (GPE in
# OntoNotes), natural places (LOC) and buildings, airports, roads, stadiums (FAC); its MISC is
# every other name: nationalities and religious / political groups (NORP: "German",
# "Democrats" when adjectival), events ("World Cup"), titles of works, laws, languages and
# products. Numbers, dates, times, money, percentages, quantities and ordinals are not CoNLL
# entities at all and are dropped.
ONTONOTES_TO_CONLL = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC", "PRODUCT": "MISC",
}


@dataclass
class Document:
    """One CoNLL document: its tokens, the text built from them and the gold entities."""

    tokens: list[str] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    gold: list[tuple[int, int, str]] = field(default_factory=list)  # token start, end, type
    text: str = ""
    offsets: list[int] = field(default_factory=list)  # character start of each token


def read_conll(path: Path) -> list[Document]:
    """Read a CoNLL-2003 file (``token POS chunk NER`` per line) into documents."""
    docs: list[Document] = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []

    def close_sentence() -> None:
        nonlocal current
        if current:
            sentences.append(current)
            current = []

    def close_document() -> None:
        close_sentence()
        if sentences:
            docs.append(_document(sentences))
            sentences.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            close_sentence()
        elif parts[0] == "-DOCSTART-":
            close_document()
        else:
            current.append((parts[0], parts[-1]))
    close_document()
    return docs


def _document(sentences: list[list[tuple[str, str]]]) -> Document:
    doc = Document()
    lines = []
    pos = 0
    for sentence in sentences:
        doc.sentence_starts.append(len(doc.tokens))
        for word, _ in sentence:
            doc.offsets.append(pos)
            doc.tokens.append(word)
            pos += len(word) + 1  # the space or newline after it
        lines.append(" ".join(w for w, _ in sentence))
    doc.text = "\n".join(lines)
    tags = [tag for sentence in sentences for _, tag in sentence]
    doc.gold = iob1_spans(tags, doc.sentence_starts)
    return doc


def iob1_spans(tags: list[str], sentence_starts: Iterable[int] = ()) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` of IOB1 tags (an entity never crosses a sentence start)."""
    starts = set(sentence_starts)
    spans: list[tuple[int, int, str]] = []
    open_at, open_type = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == open_type and i not in starts
        if open_type is not None and not continues:
            spans.append((open_at, i, open_type))
            open_at, open_type = None, None
        if prefix in {"I", "B"} and not continues:
            open_at, open_type = i, kind
    return spans


def token_span(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The tokens a character span ``[start, end)`` of ``doc.text`` overlaps, as ``(i, j)``."""
    if end <= start:
        return None
    i = bisect_right(doc.offsets, start) - 1
    if i < 0:
        i = 0
    if doc.offsets[i] + len(doc.tokens[i]) <= start:
        i += 1  # the span starts in the space after token i
    j = bisect_right(doc.offsets, end - 1)
    return (i, j) if i < j else None


@dataclass
class Scores:
    """Precision, recall and F1 per CoNLL type and overall, exact span with and without type."""

    typed: dict[str, tuple[float, float, float, int]]  # type -> (P, R, F1, gold count); "ALL" too
    untyped: tuple[float, float, float]
    errors: Counter  # (kind, type) -> count


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[set[tuple[int, int, str]]], pred: list[set[tuple[int, int, str]]]) -> Scores:
    """Score predicted token spans against gold ones, document by document.

    Args:
        gold: Per document, the gold ``(start, end, type)`` token spans.
        pred: Per document, the predicted ones (the same form).
    """
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    tp_untyped = n_pred_untyped = n_gold_untyped = 0
    errors: Counter = Counter()
    for g, p in zip(gold, pred):
        for s in g:
            n_gold[s[2]] += 1
        for s in p:
            n_pred[s[2]] += 1
        for s in g & p:
            tp[s[2]] += 1
        g_spans, p_spans = {s[:2] for s in g}, {s[:2] for s in p}
        tp_untyped += len(g_spans & p_spans)
        n_pred_untyped += len(p_spans)
        n_gold_untyped += len(g_spans)
        errors.update(error_kinds(g, p))
    typed = {}
    for kind in TYPES:
        typed[kind] = (*_prf(tp[kind], n_pred[kind], n_gold[kind]), n_gold[kind])
    typed["ALL"] = (*_prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())), sum(n_gold.values()))
    return Scores(typed, _prf(tp_untyped, n_pred_untyped, n_gold_untyped), errors)


def error_kinds(gold: set[tuple[int, int, str]], pred: set[tuple[int, int, str]]) -> Counter:
    """Each error of one document as ``(kind, type)``.

    Kinds: ``wrong type`` (same span, other type; counted under the gold type), ``too long``
    (the prediction covers the gold span and more), ``too short`` (inside it), ``boundary``
    (overlapping, neither inside the other), ``missed`` (a gold span no prediction touches)
    and ``spurious`` (a prediction touching no gold span; counted under its own type). A
    boundary error is counted once, under the gold type, whatever the predicted type.
    """
    out: Counter = Counter()
    wrong = gold - pred
    extra = pred - gold
    for gs, ge, gt in wrong:
        touching = [(ps, pe, pt) for ps, pe, pt in extra if ps < ge and gs < pe]
        if not touching:
            out["missed", gt] += 1
        elif any((ps, pe) == (gs, ge) for ps, pe, _ in touching):
            out["wrong type", gt] += 1
        elif any(ps <= gs and ge <= pe for ps, pe, _ in touching):
            out["too long", gt] += 1
        elif any(gs <= ps and pe <= ge for ps, pe, _ in touching):
            out["too short", gt] += 1
        else:
            out["boundary", gt] += 1
    for ps, pe, pt in extra:
        if not any(gs < pe and ps < ge for gs, ge, _ in gold):
            out["spurious", pt] += 1
    return out

"""The features of one mention in one sentence: what surrounds *this* mention, so two entities
of one sentence get different vectors.

A sample is ``(sentence, start, end)``: the mention's character span in the sentence. The
features are the sentence with the mention masked, the words left and right of it by distance,
its clause, lexicon valences weighted by distance (negation flips them), whether it is quoted
or quoting, and where it sits. Nothing here runs a parser: a regular expression tokenises,
which keeps prediction at thousands of mentions per second.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from typing import NamedTuple

import numpy as np

from .. import errors
from ..lexicon import MENTION_SPEECH as SPEECH
from ..lexicon import NEGATORS, valence
from ..lexicon import QUOTE_MARKS as _QUOTES

__all__ = ["Sample", "check_samples", "extract_features", "feature_entries", "sample_features", "tokenize"]

Sample = tuple[str, int, int]

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[^\sA-Za-z0-9]")
_CLAUSE_PUNCT = frozenset(",;:()[]—–-\"“”")
_CLAUSE_WORDS = frozenset("but while although though whereas however yet because".split())
_PRONOUNS = frozenset("he she they him her them his hers their it its i we you".split())
_DENSE = ("sent_pos", "sent_neg", "clause_pos", "clause_neg", "left_pos", "left_neg",
          "right_pos", "right_neg", "near_pos", "near_neg", "clause_max", "clause_min")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` into ``(lower-cased token, start, end)`` triples."""
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def check_samples(samples: Iterable[Sample]) -> list[Sample]:
    """Validate ``(sentence, start, end)`` triples and return them as a list.

    Raises:
        InputError: When a sample is not a triple or its span does not fit its sentence.
    """
    checked = []
    for i, sample in enumerate(samples):
        try:
            text, start, end = sample
        except (TypeError, ValueError):
            raise errors.InputError(errors.BAD_STANCE_SAMPLE.format(index=i, found=sample)) from None
        if not isinstance(text, str) or not all(isinstance(o, (int, np.integer)) for o in (start, end)):
            raise errors.InputError(errors.BAD_STANCE_SAMPLE.format(index=i, found=sample))
        if not 0 <= start < end <= len(text):
            raise errors.InputError(errors.BAD_MENTION_SPAN.format(
                index=i, start=start, end=end, length=len(text)))
        checked.append((text, int(start), int(end)))
    return checked


def _bucket(distance: int) -> str:
    return "1" if distance == 1 else "2" if distance <= 3 else "4"


def _clause_bounds(tokens: Sequence[str], first: int, last: int) -> tuple[int, int]:
    lo = first
    while lo > 0 and tokens[lo - 1] not in _CLAUSE_PUNCT and tokens[lo - 1] not in _CLAUSE_WORDS:
        lo -= 1
    hi = last
    while hi < len(tokens) - 1 and tokens[hi + 1] not in _CLAUSE_PUNCT and tokens[hi + 1] not in _CLAUSE_WORDS:
        hi += 1
    return lo, hi


def _valences(tokens: Sequence[str]) -> list[float]:
    """Each token's valence, flipped (and damped) when a negator precedes it closely."""
    values = []
    for i, tok in enumerate(tokens):
        v = valence(tok) / 4.0
        if v and any(t in NEGATORS for t in tokens[max(0, i - 3):i]):
            v = -0.74 * v  # VADER's own damping of negated words
        values.append(v)
    return values


class _Sentence(NamedTuple):
    """What the features of every mention of one sentence share: its tokens, their words and
    valences, and the positions of capitalised words (after the first)."""

    toks: list[tuple[str, int, int]]
    words: list[str]
    vals: list[float]
    capitals: list[int]


def _sentence(text: str) -> _Sentence:
    toks = tokenize(text)
    words = [t for t, _, _ in toks]
    capitals = [i for i, (_, s, _) in enumerate(toks) if i > 0 and text[s].isupper()]
    return _Sentence(toks, words, _valences(words), capitals)


def sample_features(text: str, start: int, end: int, *, window: int = 5,
                    mention_words: bool = True) -> tuple[dict[str, float], list[float]]:
    """Return the sparse (name -> value) and dense features of one mention.

    Args:
        text: The sentence.
        start: Character offset where the mention starts.
        end: Character offset where the mention ends.
        window: How many tokens left and right of the mention get positional features.
        mention_words: Whether the mention's own words are features (a prior per name).
    """
    return _sample_features(_sentence(text), text, start, end, window, mention_words)


def _sample_features(sentence: _Sentence, text: str, start: int, end: int, window: int,
                     mention_words: bool) -> tuple[dict[str, float], list[float]]:
    toks, words, vals = sentence.toks, sentence.words, sentence.vals
    inside = [i for i, (_, s, e) in enumerate(toks) if s < end and e > start]
    if not inside:  # a span inside one token: treat that token as the mention
        inside = [i for i, (_, s, e) in enumerate(toks) if s <= start < e] or [0]
    first, last = inside[0], inside[-1]
    # Other capitalised words stand in for other entities: a word that has one of them between
    # itself and the mention is more likely about that other entity.
    names = [i for i in sentence.capitals if not first <= i <= last]
    feats: dict[str, float] = {}
    _context_features(feats, words, first, last, names, window)
    lo, hi = _clause_bounds(words, first, last)
    for w in words[lo:first] + words[last + 1:hi + 1]:
        feats["c=" + w] = 1.0
    _mention_features(feats, words, first, last, mention_words)
    feats[f"pos={min(4, int(5 * start / max(1, len(text))))}"] = 1.0
    _sparse_lexicon_features(feats, vals, words, first, last, names)
    return feats, _lexicon_features(vals, first, last, lo, hi, window)


def _context_features(feats: dict[str, float], words: list[str], first: int, last: int,
                      names: list[int], window: int) -> None:
    left, right = words[:first], words[last + 1:]
    masked = left + ["<t>"] + right
    feats.update(dict.fromkeys(["u=" + w for w in masked], 1.0))
    feats.update(dict.fromkeys(["b=" + a + " " + b for a, b in zip(masked, masked[1:])], 1.0))
    for d, w in enumerate(reversed(left[-window:]), 1):
        feats[f"L{_bucket(d)}={w}"] = 1.0
    for d, w in enumerate(right[:window], 1):
        feats[f"R{_bucket(d)}={w}"] = 1.0
    if len(left) >= 2:
        feats["Lb=" + " ".join(left[-2:])] = 1.0
    if len(right) >= 2:
        feats["Rb=" + " ".join(right[:2])] = 1.0
    # A word is blocked when a name stands between it and the mention: on the left, when it
    # comes before the nearest name left of the mention; on the right, after the nearest one.
    nearest_left = max((j for j in names if j < first), default=-1)
    nearest_right = min((j for j in names if j > last), default=len(words))
    feats.update(dict.fromkeys([("Lo=" if i < nearest_left else "Ln=") + words[i] for i in range(first)], 1.0))
    feats.update(dict.fromkeys([("Ro=" if i > nearest_right else "Rn=") + words[i]
                                for i in range(last + 1, len(words))], 1.0))


def _mention_features(feats: dict[str, float], words: list[str], first: int, last: int,
                      mention_words: bool) -> None:
    left, mention, right = words[:first], words[first:last + 1], words[last + 1:]
    if mention_words:
        for w in mention:
            feats["m=" + w] = 1.0
    if len(mention) == 1 and mention[0] in _PRONOUNS:
        feats["pronoun"] = 1.0
    if right[:1] in (["'s"], ["'"]) or mention[-1].endswith("'s"):
        feats["possessive"] = 1.0
    if sum(1 for w in left if w in _QUOTES) % 2 == 1:
        feats["in_quote"] = 1.0
    if any(w in _QUOTES for w in words):
        feats["has_quote"] = 1.0
    if (any(w in SPEECH for w in right[:3]) or any(w in SPEECH for w in left[-2:])
            or left[-2:] == ["according", "to"]):
        feats["speaker"] = 1.0
    if any(w in NEGATORS for w in left[-3:] + right[:3]):
        feats["neg_near"] = 1.0
    if first == 0:
        feats["first"] = 1.0


def _sparse_lexicon_features(feats: dict[str, float], vals: list[float], words: list[str],
                             first: int, last: int, names: list[int]) -> None:
    for i, v in enumerate(vals):
        if not v or first <= i <= last:
            continue
        side, d = ("L", first - i) if i < first else ("R", i - last)
        sign = "+" if v > 0 else "-"
        key = f"x{side}{_bucket(d)}{sign}"
        feats[key] = feats.get(key, 0.0) + abs(v)
        a, b = (i, first) if i < first else (last, i)
        nearer_other = min((abs(j - i) for j in names), default=99) < d
        own = "oth" if nearer_other or any(a < j < b for j in names) else "own"
        feats[f"x{own}{sign}"] = feats.get(f"x{own}{sign}", 0.0) + abs(v)
        feats[f"x{own}{sign}={words[i]}"] = 1.0


def _lexicon_features(vals: list[float], first: int, last: int, lo: int, hi: int,
                      window: int) -> list[float]:
    def split(seq: list[float]) -> tuple[float, float]:
        return sum([v for v in seq if v > 0]), -sum([v for v in seq if v < 0])

    outside = vals[:first] + vals[last + 1:]
    clause = vals[lo:first] + vals[last + 1:hi + 1]
    # Words without valence add nothing to either sum.
    near = [v / (1 + abs(i - (first if i < first else last)))
            for i, v in enumerate(vals) if v and (i < first or i > last)]
    out = [*split(outside), *split(clause), *split(vals[max(0, first - window):first]),
           *split(vals[last + 1:last + 1 + window]), *split(near),
           max(clause, default=0.0), min(clause, default=0.0)]
    return [math.tanh(v) for v in out]


def extract_features(samples: Iterable[Sample], window: int,
                     mention_words: bool) -> list[tuple[dict[str, float], list[float]]]:
    """The sparse features (name -> value) and dense lexicon values of every sample; a sentence
    that mentions several entities is tokenised once."""
    sentences: dict[str, _Sentence] = {}
    out = []
    for t, s, e in check_samples(samples):
        sentence = sentences.get(t)
        if sentence is None:
            sentence = sentences[t] = _sentence(t)
        out.append(_sample_features(sentence, t, s, e, window, mention_words))
    return out


def feature_entries(extracted: list[tuple[dict[str, float], list[float]]], vocabulary: dict[str, int],
                    lexicon_weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and values of the extracted features in a fitted vocabulary: the known sparse
    features, then (times ``lexicon_weight``, when it is not 0) the nonzero dense values in the
    columns after the vocabulary's. What the entity-stance featurizer's matrix holds, in both its
    scikit-learn and its array form."""
    n = len(extracted)
    # All samples' sparse features in one flat list, looked up in one pass.
    names = list(chain.from_iterable(feats for feats, _ in extracted))
    cols = np.fromiter(map(vocabulary.get, names, repeat(-1)), dtype=np.int64, count=len(names))
    data = np.fromiter(chain.from_iterable(feats.values() for feats, _ in extracted), dtype=np.float64,
                       count=len(names))
    rows = np.repeat(np.arange(n, dtype=np.int64), [len(feats) for feats, _ in extracted])
    known = cols >= 0
    rows, cols, data = rows[known], cols[known], data[known]
    if lexicon_weight and n:
        dense = np.asarray([d for _, d in extracted], dtype=np.float64).reshape(n, len(_DENSE))
        dense_rows, dense_cols = np.nonzero(dense)
        # Each sample's dense entries after its sparse ones, as when built row by row.
        order = np.argsort(np.concatenate([rows, dense_rows]), kind="stable")
        rows = np.concatenate([rows, dense_rows])[order]
        cols = np.concatenate([cols, len(vocabulary) + dense_cols])[order]
        data = np.concatenate([data, dense[dense_rows, dense_cols] * lexicon_weight])[order]
    return rows, cols, data

"""Features of the lines of a page, from the text alone, for the learned cleaner.

In the spirit of jusText (length, stop-word density, link density, neighbours) and
boilerpipe (word counts, text density, position), but computed without any HTML: each
non-blank line is described by its length, stop-word density, punctuation and capitals,
whether it ends like a sentence, URL/handle marks, date and author marks, how often the same
line recurs on the page, its block (the run of lines between blank lines), its position in the
page and relative to the page's mass of long, sentence-like lines, and the same for its
neighbours (see :mod:`.model` for what reads them).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..boilerplate import Line, headline_like

__all__ = ["BASE", "line_features"]

# Function words of the languages the benchmark pages come in (English first, then Romance,
# Germanic, Slavic); a line of prose is dense in them, a menu is not.
_STOP = frozenset("""
a an the of to in on at by for with from and or but not no is are was were be been being has have had do does
did it its this that these those he she they we you i his her their our your my me him them us who whom which
what when where why how as than then so if there here also just about into over after before more most such
can could will would should may might must said says up out all any some one two new
de la le les des du un une et est en que qui dans pour pas sur au aux par plus ce cette il elle ne se sont
el los las del y es por con para una al lo como su sus más pero ya o da do dos das os um uma em no na nos nas
der die das und ist nicht mit von zu den dem ein eine auf für sich auch es im nach wie aus bei
il di che è per non si sono della alla nel con gli
и в не на что с по как это к а но из у за от о же все так его
""".split())
_WORD = re.compile(r"\w+")
_PUNCT = re.compile(r"[^\w\s]")
_DIGITS = re.compile(r"\d+")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w|#\w|\S+@\S+\.\w")
_SEPARATORS = re.compile(r"[|»›•·>/]")
_DATEISH = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
                      r"|\b(?:updated|published|posted|ago)\b", re.I)
_AUTHOR = re.compile(r"^(?:by|par|por|von|di|door|written by)\s+\S", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[\"“‘(]?[A-ZÀ-Þ]")
_TERMINAL = tuple(".!?…\"”’')。！？」』）")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_BASE_NAMES = (
    "log_words", "log_chars", "stop_density", "punct_share", "commas_per_word", "terminal", "starts_lower",
    "starts_digit", "capital_share", "all_caps", "digit_share", "urlish", "log_separators", "mean_word_len",
    "headline_like", "dateish", "author", "log_sentences", "quotes", "log_repeats", "long_prose",
    "cjk_share", "rel_chars", "rel_block", "block_rank",
    "block_log_lines", "block_position", "block_log_chars", "block_first", "block_last", "blank_before",
    "blank_after", "page_position", "mass_before", "dense_distance", "dense_log_distance",
)
BASE = len(_BASE_NAMES)
_NEIGHBOUR_COLS = (0, 1, 2, 3, 5, 14, 20)  # words, stop density, punctuation, terminal, headline-like, long prose
_OFFSETS = (-2, -1, 1, 2)
_WINDOWS = (3, 10)
_WINDOW_COLS = (0, 1, 2, 5, 20)


def _base(lines: Sequence[Line]) -> tuple[list[int], np.ndarray]:
    """The own features of each non-blank line (columns :data:`_BASE_NAMES`)."""
    rows = [i for i, line in enumerate(lines) if not line.blank]
    n = len(rows)
    X = np.zeros((n, BASE), dtype=np.float32)
    if not n:
        return rows, X
    repeats = Counter(lines[i].text for i in rows)
    block = np.zeros(n, dtype=np.int64)
    b = 0
    for k, i in enumerate(rows):
        if k and rows[k - 1] != i - 1:
            b += 1
        block[k] = b
    own = []
    stop = _STOP.__contains__
    for i in rows:
        text = lines[i].text
        words = _WORD.findall(text)
        nw = len(words) or 1
        chars = len(text)
        initials = "".join([w[0] for w in words])
        own.append((
            len(words), chars, sum(map(stop, map(str.casefold, words))) / nw,
            len(_PUNCT.findall(text)) / chars, text.count(",") / nw, text.endswith(_TERMINAL),
            text[0].islower(), text[0].isdigit(), sum(map(str.isupper, initials)) / nw, text.isupper(),
            sum(map(len, _DIGITS.findall(text))) / chars, _URLISH.search(text) is not None,
            len(_SEPARATORS.findall(text)), (chars - text.count(" ")) / nw, headline_like(text),
            _DATEISH.search(text) is not None, _AUTHOR.match(text) is not None,
            len(_SENTENCE_BREAK.findall(text)), "“" in text or '"' in text, repeats[text] - 1,
            (len(words) >= 15 or chars >= 100) and text.endswith(_TERMINAL),
            len(_CJK.findall(text)) / chars))
    X[:, :22] = np.asarray(own, dtype=np.float32)
    X[:, [0, 1, 12, 17, 19]] = np.log1p(X[:, [0, 1, 12, 17, 19]])
    words = np.expm1(X[:, 1])  # characters, so that CJK text (few \w+ runs) weighs its length
    n_blocks = int(block[-1]) + 1
    block_words = np.bincount(block, weights=words, minlength=n_blocks)
    block_lines = np.bincount(block, minlength=n_blocks)
    starts = np.searchsorted(block, np.arange(n_blocks))
    pos_in_block = np.arange(n) - starts[block]
    X[:, 25] = np.log1p(block_lines[block])
    X[:, 26] = pos_in_block / np.maximum(block_lines[block] - 1, 1)
    X[:, 27] = np.log1p(block_words[block])
    X[:, 28] = pos_in_block == 0
    X[:, 29] = pos_in_block == block_lines[block] - 1
    X[:, 30] = np.r_[1, np.diff(rows) > 1]
    X[:, 31] = np.r_[np.diff(rows) > 1, 1]
    X[:, 32] = np.arange(n) / max(n - 1, 1)
    X[:, 22] = X[:, 1] - np.median(X[:, 1])
    X[:, 23] = X[:, 27] - np.log1p(block_words.max())
    order = np.argsort(-block_words)
    rank = np.empty(n_blocks)
    rank[order] = np.arange(n_blocks)
    X[:, 24] = np.log1p(rank[block])
    mass = np.expm1(X[:, 1]) * X[:, 20]
    total = mass.sum()
    X[:, 33] = (np.cumsum(mass) - mass) / total if total else 0.5
    # The densest stretch: the centre of the window of 15 lines holding the most prose words.
    window = np.convolve(mass, np.ones(15), mode="same")
    centre = int(np.argmax(window))
    X[:, 34] = (np.arange(n) - centre) / max(n, 1)
    X[:, 35] = np.log1p(np.abs(np.arange(n) - centre))
    return rows, X


def _shifted(values: np.ndarray, offset: int, fill: float = 0.0) -> np.ndarray:
    out = np.full_like(values, fill)
    if offset > 0:
        out[:-offset] = values[offset:]
    elif offset < 0:
        out[-offset:] = values[:offset]
    else:
        out[:] = values
    return out


def _window_mean(values: np.ndarray, half: int) -> np.ndarray:
    """Mean of ``values`` (rows) over ``half`` lines either side, clipped at the page's ends."""
    csum = np.vstack([np.zeros((1, values.shape[1]), values.dtype), np.cumsum(values, axis=0)])
    idx = np.arange(len(values))
    lo, hi = np.maximum(idx - half, 0), np.minimum(idx + half + 1, len(values))
    return (csum[hi] - csum[lo]) / (hi - lo)[:, None]


def line_features(lines: Sequence[Line]) -> tuple[list[int], np.ndarray]:
    """The features of each non-blank line of a page.

    Args:
        lines: The page's lines, from :func:`pipeline.corpus.boilerplate.split_lines`.

    Returns:
        The indexes (into ``lines``) of the non-blank lines, and their feature matrix: own
        features, then the neighbours' two before and after, then means over windows of 3
        and 10 lines either side.
    """
    rows, X = _base(lines)
    cols = X[:, _NEIGHBOUR_COLS]
    parts = [X] + [_shifted(cols, off, -1.0) for off in _OFFSETS]
    if len(X):
        parts += [_window_mean(X[:, _WINDOW_COLS], half) for half in _WINDOWS]
    else:
        parts += [np.zeros((0, len(_WINDOW_COLS)), np.float32) for _ in _WINDOWS]
    return rows, np.hstack(parts).astype(np.float32)

"""Counting n-grams as integer codes with numpy, for :class:`~.tfidf.FastTfidfVectorizer` and
its array form (:mod:`.tfidf_arrays`).

Each distinct token is numbered once; a bigram is the code ``BASE + a * BASE + b`` of its
tokens' numbers ``a`` and ``b``; documents are counted one chunk of ``CHUNK`` at a time, so the
per-occurrence arrays stay bounded, and strings are built only for the n-grams kept.
:func:`count_known_words` and :func:`count_known_chars` find a fitted vocabulary's n-grams in
documents (the ``(row, column)`` of every occurrence); both the scikit-learn vectorizer and the
array form count with them. SciPy is imported only by the fitting functions: prediction from
arrays runs on numpy alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["BASE", "CHUNK", "DROPPED", "WHITE_SPACES", "char_wb_ngrams", "count_known_chars", "count_known_words"]

Tables = tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]

# Token numbers stay below BASE, so a bigram's code BASE + a * BASE + b never meets a token's.
BASE = 1 << 31
CHUNK = 2000  # documents counted at once: bounds the memory of the per-occurrence arrays
DROPPED = -2  # number of a token the tokenizer leaves out (-1: a token outside the vocabulary)


def _count_codes(documents: list[Any], analyse: Any, accept: Any, ngram_range: tuple[int, int],
                 min_count: float) -> tuple[dict[str, int], Any, int] | None:
    """The vocabulary (n-grams in at least ``min_count`` documents), the count matrix, and how
    many distinct n-grams were counted before pruning; ``None`` if a token holds a space.
    ``accept``: a test each distinct token must pass (None: all pass)."""
    ids: dict[str, int] = {}
    chunks = []
    for start in range(0, len(documents), CHUNK):
        # (A worker thread counting one chunk while the next was numbered saved 0-3 s of 20 on
        # AllSides, and cost 150-250 MB of peak memory: not kept.)
        chunks.append(_count_chunk(*_number_chunk(documents[start : start + CHUNK], analyse, accept, ids),
                                   ngram_range))
    from scipy import sparse

    if len(ids) >= BASE:
        raise ValueError(f"more than {BASE} distinct tokens")
    codes = _sorted_unique(np.concatenate([c for c, _ in chunks])) if chunks else np.zeros(0, np.int64)
    # Document frequencies summed over chunks, then each chunk cut to the kept n-grams at once,
    # so that the unpruned counts are never copied into one matrix.
    places = [np.searchsorted(codes, chunk_codes) for chunk_codes, _ in chunks]
    df = np.zeros(len(codes), dtype=np.int64)
    for place, (_, counts) in zip(places, chunks):
        df[place] += np.bincount(counts.indices, minlength=len(place))
    keep = df >= min_count
    column_of = np.where(keep, np.cumsum(keep) - 1, -1)
    matrices = []
    while chunks:
        _, counts = chunks.pop(0)
        matrices.append(_prune(counts, column_of[places.pop(0)], int(keep.sum())))
    X = sparse.vstack(matrices, format="csr") if matrices else sparse.csr_matrix((0, 0), dtype=np.intc)
    del matrices  # a copy of X: not kept while the n-gram strings are built
    tokens = list(ids)
    if any(" " in t for t in tokens):
        return None
    names = []
    for code in codes[keep].tolist():
        if code < BASE:
            names.append(tokens[code])
        else:
            first, second = divmod(code - BASE, BASE)
            names.append(f"{tokens[first]} {tokens[second]}")
    return dict(zip(names, range(len(names)))), X, len(codes)


def _word_tables(vocabulary: dict[str, int]) -> Tables | None:
    """Token numbers, each token's unigram column, and the sorted bigram codes with their columns;
    ``None`` when a term is longer than two tokens."""
    index: dict[str, int] = {}
    unigrams, bigrams = {}, {}
    for term, column in vocabulary.items():
        parts = term.split(" ")
        if len(parts) > 2:
            return None
        ids = [index.setdefault(part, len(index)) for part in parts]
        if len(ids) == 1:
            unigrams[ids[0]] = column
        else:
            bigrams[ids[0] * BASE + ids[1]] = column
    unigram_column = np.full(len(index), -1, dtype=np.int64)
    unigram_column[list(unigrams)] = list(unigrams.values())
    codes = np.fromiter(bigrams, dtype=np.int64, count=len(bigrams))
    order = np.argsort(codes)
    return index, unigram_column, codes[order], np.fromiter(bigrams.values(), dtype=np.int64,
                                                           count=len(bigrams))[order]


def count_known_words(documents: list[Any], analyse: Callable[[Any], list[str]], accept: Any, tables: Tables,
                      ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
    """The ``(row, column)`` of every occurrence of a fitted word vocabulary's unigrams and bigrams.

    Args:
        documents: The documents.
        analyse: A document's tokens (before ``accept``).
        accept: A test each distinct token must pass to be counted (None: all pass).
        tables: :func:`_word_tables` of the vocabulary.
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.

    Returns:
        Rows and columns, one pair per occurrence; ``None`` when a token holds a space (its
        n-grams could coincide with a bigram's string: scikit-learn's own counting must run).
    """
    index, unigram_column, bigram_codes, bigram_columns = tables
    flat, lengths = _flatten(documents, analyse)
    distinct = dict.fromkeys(flat)
    if any(" " in t for t in distinct):
        return None
    ids, row_of = _number(flat, lengths, distinct, lambda t: index.get(t, -1), accept)
    rows, columns = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    if ngram_range[0] == 1:
        known = ids >= 0
        found = unigram_column[ids[known]]
        rows.append(row_of[known][found >= 0])
        columns.append(found[found >= 0])
    if ngram_range[1] == 2 and len(bigram_codes):
        pair = (ids[:-1] >= 0) & (ids[1:] >= 0) & (row_of[:-1] == row_of[1:])
        codes = ids[:-1][pair] * BASE + ids[1:][pair]
        at = np.minimum(np.searchsorted(bigram_codes, codes), len(bigram_codes) - 1)
        hit = bigram_codes[at] == codes
        rows.append(row_of[:-1][pair][hit])
        columns.append(bigram_columns[at[hit]])
    return np.concatenate(rows), np.concatenate(columns)


# scikit-learn's ``_white_spaces``: runs of two or more white-space characters become one space
WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """The ``char_wb`` n-grams of one word (no white space in it), as scikit-learn makes them:
    the word padded with a space each side; a word shorter than ``n`` counted once, whole."""
    lo, hi = ngram_range
    padded = f" {word} "
    length = len(padded)
    out = []
    for n in range(lo, hi + 1):
        out.extend(padded[i:i + n] for i in range(max(1, length - n + 1)))
        if length <= n:  # the whole padded word, once, for this n and every larger one
            break
    return out


def count_known_chars(documents: list[Any], prepare: Callable[[Any], str], vocabulary: dict[str, int],
                      ngram_range: tuple[int, int], cache: dict[str, tuple[int, ...]],
                      cache_size: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(row, column)`` of every occurrence of a fitted ``char_wb`` vocabulary's n-grams.

    A word's n-grams depend on the word alone, so each distinct word is looked up once and its
    columns kept in ``cache`` (emptied when it holds more than ``cache_size`` words).

    Args:
        documents: The documents.
        prepare: A document's text as the analyzer reads it (decoded, preprocessed).
        vocabulary: n-gram -> column.
        ngram_range: The n-gram lengths.
        cache: word -> its columns, kept between calls.
        cache_size: Most words ``cache`` holds.
    """
    if len(cache) > cache_size:
        cache.clear()
    lengths, flat = [], []
    for doc in documents:
        start = len(flat)
        for word in WHITE_SPACES.sub(" ", prepare(doc)).split():
            columns = cache.get(word)
            if columns is None:
                columns = cache[word] = tuple(vocabulary[g] for g in char_wb_ngrams(word, ngram_range)
                                              if g in vocabulary)
            flat.extend(columns)
        lengths.append(len(flat) - start)
    return np.repeat(np.arange(len(documents)), lengths), np.asarray(flat, dtype=np.int64)


def _number_chunk(documents: list[Any], analyse: Any, accept: Any,
                  ids: dict[str, int]) -> tuple[np.ndarray, np.ndarray, int]:
    """The token numbers of a chunk of documents (numbering new tokens in ``ids``), each
    token's row, and the number of documents."""
    flat, lengths = _flatten(documents, analyse)
    token_ids, row_of = _number(flat, lengths, dict.fromkeys(flat), lambda t: ids.setdefault(t, len(ids)), accept)
    return token_ids, row_of, len(documents)


def _count_chunk(token_ids: np.ndarray, row_of: np.ndarray, n_docs: int,
                 ngram_range: tuple[int, int]) -> tuple[np.ndarray, Any]:
    """A chunk's distinct n-gram codes and its count matrix over them."""
    from scipy import sparse

    parts, rows = [], []
    if ngram_range[0] == 1:
        parts.append(token_ids)
        rows.append(row_of)
    if ngram_range[1] == 2:
        same_doc = row_of[:-1] == row_of[1:]
        parts.append(BASE + token_ids[:-1][same_doc] * BASE + token_ids[1:][same_doc])
        rows.append(row_of[:-1][same_doc])
    codes = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    unique, columns = _unique_inverse(codes)
    counts = sparse.coo_matrix((np.ones(len(codes), dtype=np.intc), (np.concatenate(rows), columns)),
                               shape=(n_docs, len(unique))).tocsr()
    counts.sum_duplicates()
    return unique, counts


def _flatten(documents: list[Any], analyse: Any) -> tuple[list[str], list[int]]:
    """The tokens of all ``documents`` in one list, and how many each document has."""
    flat: list[str] = []
    lengths = []
    for doc in documents:
        tokens = analyse(doc)
        lengths.append(len(tokens))
        flat.extend(tokens)
    return flat, lengths


def _number(flat: list[str], lengths: list[int], distinct: dict[str, Any], number: Any,
            accept: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each token's number and its document's row, without the tokens ``accept`` fails (None:
    none fails). ``number`` and ``accept`` are called once per token of ``distinct`` (every
    token of ``flat``, once), then every occurrence is mapped in C (a map over a dict's lookup)."""
    numbers = {t: number(t) if accept is None or accept(t) else DROPPED for t in distinct}
    ids = np.fromiter(map(numbers.__getitem__, flat), dtype=np.int64, count=len(flat))
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    kept = ids != DROPPED
    if not kept.all():
        ids, row_of = ids[kept], row_of[kept]
    return ids, row_of


def _prune(counts: Any, column_of: np.ndarray, n_columns: int) -> Any:
    """``counts`` (CSR) with column ``j`` moved to ``column_of[j]``, and dropped where that is -1."""
    from scipy import sparse

    columns = column_of[counts.indices]
    kept = columns >= 0
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[kept]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=counts.shape[0]))])
    out = sparse.csr_matrix((counts.data[kept], columns[kept].astype(np.int32), indptr),
                            shape=(counts.shape[0], n_columns))
    out.sort_indices()
    return out


def _with_dtype(X: Any, dtype: Any) -> Any:
    """``X.astype(dtype)`` (CSR) sharing X's index arrays instead of copying them."""
    from scipy import sparse

    return sparse.csr_matrix((X.data.astype(dtype), X.indices, X.indptr), shape=X.shape)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by sorting: numpy 2.4's ``unique`` took 6 s on the 10.7 million codes
    of the AllSides word block, sorting takes 0.2 s."""
    ordered = np.sort(values)
    return ordered[_run_starts(ordered)]


def _unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` with an unstable sort (about twice as fast)."""
    order = np.argsort(values)
    ordered = values[order]
    first = _run_starts(ordered)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """True where a sorted array's value differs from the one before it (and at index 0)."""
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first

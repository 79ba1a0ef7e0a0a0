"""A TF-IDF vectorizer that counts n-grams as integer codes instead of strings.

scikit-learn builds the string of every n-gram occurrence and looks each up in a dictionary.

* Fit (word unigrams and bigrams): it also kept every distinct n-gram until ``min_df`` pruned
  them, which on 31,640 AllSides articles was most of the training time and the peak memory
  (millions of bigrams, most seen once). Here each token is numbered once, a bigram is the pair
  of its tokens' numbers, counting is done with numpy one chunk of documents at a time, and
  strings are built only for the n-grams that ``min_df`` keeps.
* Transform (word unigrams and bigrams, and ``char_wb`` n-grams): tokens are looked up once and
  bigrams matched as number pairs; a word's character n-grams depend on the word alone, so
  they are looked up once per distinct word and remembered.
* Tokens: :class:`SplitTokens` keeps the white-space tokens that match a pattern; both paths
  test each distinct token once rather than running a token regex over every text.

Vocabulary, idf and counts are exactly scikit-learn's (tested against it); any other setting
runs scikit-learn's own code.
"""

from __future__ import annotations

import re
from numbers import Integral
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

Tables = tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]

# Token numbers stay below BASE, so a bigram's code BASE + a * BASE + b never meets a token's.
BASE = 1 << 31
CHUNK = 2000  # documents counted at once: bounds the memory of the per-occurrence arrays
WORD_CACHE = 200_000  # distinct words whose character n-grams a vectorizer remembers
DROPPED = -2  # number of a token the tokenizer leaves out (-1: a token outside the vocabulary)


class SplitTokens:
    """A tokenizer: the white-space-separated tokens of a text that contain a match of ``keep``.

    ``SplitTokens(r"\\w\\w")`` gives what ``token_pattern=r"\\S*\\w\\w\\S*"`` gives on space-joined
    tokens, but :class:`FastTfidfVectorizer` tests each *distinct* token once instead of running
    the pattern over every text (on AllSides articles: 11.5 s -> 2 s).
    """

    def __init__(self, keep: str) -> None:
        self.keep = keep
        self.search = re.compile(keep).search

    def __call__(self, text: str) -> list[str]:
        """The tokens of ``text`` that contain a match of ``keep``."""
        return [t for t in text.split() if self.search(t)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SplitTokens) and other.keep == self.keep

    def __hash__(self) -> int:
        return hash(self.keep)

    def __repr__(self) -> str:
        return f"SplitTokens({self.keep!r})"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return SplitTokens, (self.keep,)


class FastTfidfVectorizer(TfidfVectorizer):
    """:class:`~sklearn.feature_extraction.text.TfidfVectorizer` with a faster, leaner fit for
    word unigrams and bigrams without stop words; any other setting fits as scikit-learn does."""

    def _count_vocab(self, raw_documents: Any, fixed_vocab: bool) -> tuple[dict[str, int], Any]:
        if fixed_vocab:
            documents = raw_documents if isinstance(raw_documents, list) else list(raw_documents)
            X = self._count_known(documents)
            return (self.vocabulary_, X) if X is not None else super()._count_vocab(documents, fixed_vocab)
        self.__dict__.pop("_lookup", None)  # tables of a former vocabulary
        if not self._codes_apply():
            return super()._count_vocab(raw_documents, fixed_vocab)
        documents = raw_documents if isinstance(raw_documents, list) else list(raw_documents)
        counted = _count_codes(documents, *self._analyse_tokens(), self.ngram_range, self._min_count(len(documents)))
        if counted is None:  # a token holds a space: n-gram strings could coincide, so count them as strings
            return super()._count_vocab(documents, fixed_vocab)
        vocabulary, X, n_counted = counted
        if not n_counted:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        if not vocabulary:  # scikit-learn's message once min_df has pruned everything
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        return vocabulary, _with_dtype(X, self.dtype)

    def _limit_features(self, X: Any, vocabulary: dict[str, int], high: float | None = None,
                        low: float | None = None, limit: int | None = None) -> Any:
        """scikit-learn's, but ``X`` is returned as it is when no column goes: it copied the matrix
        and renumbered every term even then, which is the usual case after the code fit (that
        applies ``min_df`` itself)."""
        if X.shape[1] and sparse.issparse(X) and X.format == "csr":
            df = np.bincount(X.indices, minlength=X.shape[1])
            if ((high is None or df.max() <= high) and (low is None or df.min() >= low)
                    and (limit is None or X.shape[1] <= limit)):
                return X
        return super()._limit_features(X, vocabulary, high, low, limit)

    def _codes_apply(self) -> bool:
        return (self.analyzer == "word" and self.stop_words is None and self.input == "content"
                and 1 <= self.ngram_range[0] <= self.ngram_range[1] <= 2)

    def _analyse_tokens(self) -> tuple[Any, Any]:
        """A document's tokens before any :class:`SplitTokens` filter, and that filter (or None):
        the fast paths test each distinct token once."""
        decode, preprocess, tokenize = self.decode, self.build_preprocessor(), self.build_tokenizer()
        accept = None
        if isinstance(tokenize, SplitTokens):
            tokenize, accept = str.split, tokenize.search
        return (lambda doc: tokenize(preprocess(decode(doc)))), accept

    def _min_count(self, n_docs: int) -> float:
        """Documents an n-gram must occur in: ``min_df`` as scikit-learn reads it."""
        return self.min_df if isinstance(self.min_df, Integral) else self.min_df * n_docs

    def _count_known(self, documents: list[Any]) -> sparse.csr_matrix | None:
        """Counts of the vocabulary's n-grams in ``documents``; ``None`` where scikit-learn's own
        counting must run (other analyzers, longer n-grams, tokens holding a space)."""
        if self.analyzer == "char_wb" and self.input == "content":
            return self._count_known_chars(documents)
        if not self._codes_apply():
            return None
        tables = self.__dict__.get("_lookup")
        if tables is None:
            tables = self.__dict__["_lookup"] = _word_tables(self.vocabulary_) or ()
        if not tables:
            return None
        index, unigram_column, bigram_codes, bigram_columns = tables
        analyse, accept = self._analyse_tokens()
        flat, lengths = _flatten(documents, analyse)
        distinct = dict.fromkeys(flat)
        if any(" " in t for t in distinct):
            return None
        ids, row_of = _number(flat, lengths, distinct, lambda t: index.get(t, -1), accept)
        rows, columns = [], []
        if self.ngram_range[0] == 1:
            known = ids >= 0
            found = unigram_column[ids[known]]
            rows.append(row_of[known][found >= 0])
            columns.append(found[found >= 0])
        if self.ngram_range[1] == 2 and len(bigram_codes):
            pair = (ids[:-1] >= 0) & (ids[1:] >= 0) & (row_of[:-1] == row_of[1:])
            codes = ids[:-1][pair] * BASE + ids[1:][pair]
            at = np.minimum(np.searchsorted(bigram_codes, codes), len(bigram_codes) - 1)
            hit = bigram_codes[at] == codes
            rows.append(row_of[:-1][pair][hit])
            columns.append(bigram_columns[at[hit]])
        return self._counts(rows, columns, len(documents))

    def _count_known_chars(self, documents: list[Any]) -> sparse.csr_matrix:
        cache = self.__dict__.setdefault("_lookup_chars", {})
        if len(cache) > WORD_CACHE:
            cache.clear()
        vocabulary, ngrams = self.vocabulary_, self._char_wb_ngrams
        decode, preprocess, spaces = self.decode, self.build_preprocessor(), self._white_spaces
        lengths, flat = [], []
        for doc in documents:
            start = len(flat)
            for word in spaces.sub(" ", preprocess(decode(doc))).split():
                columns = cache.get(word)
                if columns is None:
                    columns = cache[word] = tuple(vocabulary[g] for g in ngrams(word) if g in vocabulary)
                flat.extend(columns)
            lengths.append(len(flat) - start)
        rows = np.repeat(np.arange(len(documents)), lengths)
        return self._counts([rows], [np.asarray(flat, dtype=np.int64)], len(documents))

    def _counts(self, rows: list[np.ndarray], columns: list[np.ndarray], n_docs: int) -> sparse.csr_matrix:
        row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        column = np.concatenate(columns) if columns else np.zeros(0, np.int64)
        X = sparse.coo_matrix((np.ones(len(row), dtype=np.intc), (row, column)),
                              shape=(n_docs, len(self.vocabulary_))).tocsr()
        X.sum_duplicates()
        X.sort_indices()
        return _with_dtype(X, self.dtype)

    def __getstate__(self) -> dict[str, Any]:
        """The estimator without its lookup tables (rebuilt on the first transform)."""
        return {k: v for k, v in super().__getstate__().items() if not k.startswith("_lookup")}


def _count_codes(documents: list[Any], analyse: Any, accept: Any, ngram_range: tuple[int, int],
                 min_count: float) -> tuple[dict[str, int], sparse.csr_matrix, int] | None:
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


def _number_chunk(documents: list[Any], analyse: Any, accept: Any,
                  ids: dict[str, int]) -> tuple[np.ndarray, np.ndarray, int]:
    """The token numbers of a chunk of documents (numbering new tokens in ``ids``), each
    token's row, and the number of documents."""
    flat, lengths = _flatten(documents, analyse)
    token_ids, row_of = _number(flat, lengths, dict.fromkeys(flat), lambda t: ids.setdefault(t, len(ids)), accept)
    return token_ids, row_of, len(documents)


def _count_chunk(token_ids: np.ndarray, row_of: np.ndarray, n_docs: int,
                 ngram_range: tuple[int, int]) -> tuple[np.ndarray, sparse.csr_matrix]:
    """A chunk's distinct n-gram codes and its count matrix over them."""
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


def _prune(counts: sparse.csr_matrix, column_of: np.ndarray, n_columns: int) -> sparse.csr_matrix:
    """``counts`` with column ``j`` moved to ``column_of[j]``, and dropped where that is -1."""
    columns = column_of[counts.indices]
    kept = columns >= 0
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))[kept]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=counts.shape[0]))])
    out = sparse.csr_matrix((counts.data[kept], columns[kept].astype(np.int32), indptr),
                            shape=(counts.shape[0], n_columns))
    out.sort_indices()
    return out


def _with_dtype(X: sparse.csr_matrix, dtype: Any) -> sparse.csr_matrix:
    """``X.astype(dtype)`` sharing X's index arrays instead of copying them."""
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

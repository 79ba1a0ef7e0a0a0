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

from .ngram_codes import _count_codes, _with_dtype, _word_tables, count_known_chars, count_known_words

WORD_CACHE = 200_000  # distinct words whose character n-grams a vectorizer remembers


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
        found = count_known_words(documents, *self._analyse_tokens(), tables, self.ngram_range)
        return None if found is None else self._counts([found[0]], [found[1]], len(documents))

    def _count_known_chars(self, documents: list[Any]) -> sparse.csr_matrix:
        decode, preprocess = self.decode, self.build_preprocessor()
        rows, columns = count_known_chars(documents, lambda doc: preprocess(decode(doc)), self.vocabulary_,
                                          self.ngram_range, self.__dict__.setdefault("_lookup_chars", {}), WORD_CACHE)
        return self._counts([rows], [columns], len(documents))

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

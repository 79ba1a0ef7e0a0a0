"""The array form of a TF-IDF feature block: its vocabulary, idf and settings, applied with numpy.

A task's word, character and near-target blocks are scikit-learn pipelines
(``FieldSelector`` -> [``SourceSpread``] -> :class:`~.tfidf.FastTfidfVectorizer`).
:func:`export_tfidf` writes one out as a JSON spec and plain arrays (the terms in column order as
one UTF-8 blob, the idf, the dropped words); :class:`TfidfArrays` reads them back and gives the
same matrix as the fitted block's ``transform`` without scikit-learn or SciPy: it counts with the
vectorizer's own counting (:func:`~.ngram_codes.count_known_words`,
:func:`~.ngram_codes.count_known_chars`) and weighs as scikit-learn's ``TfidfTransformer`` does
(float32 logarithm, idf product and l2 norm summed in float64, in CSR order). A setting it does
not reproduce raises :class:`Unsupported`, and the task is then predicted from its pickle.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import rows as R
from .ngram_codes import _word_tables, count_known_chars, count_known_words
from .samples import drop_words, field_values

WORD_CACHE = 200_000  # distinct words whose character n-grams are remembered (as the vectorizer does)
SEPARATOR = "\n"  # between terms in the blob: no supported analyzer makes a term holding one


class Unsupported(Exception):
    """A part of a model that the array form does not reproduce: predict it from its pickle."""


def export_tfidf(block: Any, name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The spec and arrays of a fitted TF-IDF block (``name`` prefixes its arrays' names).

    Raises:
        Unsupported: When a step or setting is one the array form does not reproduce.
    """
    steps = dict(getattr(block, "steps", []))
    kinds = [type(s).__name__ for s in steps.values()]
    if kinds not in (["FieldSelector", "FastTfidfVectorizer"], ["SourceSpread", "FieldSelector", "FastTfidfVectorizer"],
                     ["FieldSelector", "TfidfVectorizer"], ["SourceSpread", "FieldSelector", "TfidfVectorizer"]):
        raise Unsupported(f"feature block {name}: steps {kinds}")
    select, tfidf = steps["select"], steps["tfidf"]
    spec = {"kind": "tfidf", "field": select.field, "max_chars": select.max_chars or None,
            "analyzer": tfidf.analyzer, "ngram_range": [int(n) for n in tfidf.ngram_range],
            "tokens": _tokens(tfidf, name), "lowercase": bool(tfidf.lowercase), "binary": bool(tfidf.binary),
            "sublinear_tf": bool(tfidf.sublinear_tf), "use_idf": bool(tfidf.use_idf), "norm": tfidf.norm,
            "dtype": np.dtype(tfidf.dtype).name, "n_features": len(tfidf.vocabulary_)}
    if (tfidf.input != "content" or tfidf.strip_accents is not None or tfidf.preprocessor is not None
            or tfidf.stop_words is not None or tfidf.norm not in ("l2", None) or spec["dtype"] not in ("float32", "float64")
            or tfidf.analyzer not in ("word", "char_wb") or not 1 <= tfidf.ngram_range[0] <= tfidf.ngram_range[1]
            or (tfidf.analyzer == "word" and tfidf.ngram_range[1] > 2)):
        raise Unsupported(f"feature block {name}: vectorizer settings")
    terms = sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__)
    if [tfidf.vocabulary_[t] for t in terms] != list(range(len(terms))) or "" in tfidf.vocabulary_:
        raise Unsupported(f"feature block {name}: vocabulary columns are not 0..n-1")
    arrays = {f"{name}.terms": _blob(terms, name)}
    if tfidf.use_idf:
        arrays[f"{name}.idf"] = np.asarray(tfidf.idf_)
    if "spread" in steps:
        arrays[f"{name}.dropped"] = _blob(sorted(steps["spread"].dropped_), name)
    return spec, arrays


class TfidfArrays:
    """A TF-IDF block read back from :func:`export_tfidf`'s spec and arrays."""

    def __init__(self, spec: dict[str, Any], arrays: Any, name: str) -> None:
        self.spec = spec
        terms = _terms(arrays[f"{name}.terms"])
        if len(terms) != spec["n_features"]:
            raise Unsupported(f"feature block {name}: {len(terms)} terms for {spec['n_features']} features")
        self.vocabulary = dict(zip(terms, range(len(terms))))
        self.idf = arrays[f"{name}.idf"] if spec["use_idf"] else None
        self.dropped = frozenset(_terms(arrays[f"{name}.dropped"])) if f"{name}.dropped" in arrays else None
        self.ngram_range = tuple(spec["ngram_range"])
        self.dtype = np.dtype(spec["dtype"])
        self._tables: Any = None
        self._char_cache: dict[str, tuple[int, ...]] = {}

    @property
    def n_columns(self) -> int:
        """The block's width."""
        return len(self.vocabulary)

    def transform(self, samples: list[Any]) -> R.Rows:
        """The block's TF-IDF matrix of ``samples`` (what the fitted pipeline's ``transform`` gives)."""
        if self.dropped is not None:
            samples = drop_words(samples, self.dropped)
        documents = field_values(samples, self.spec["field"], self.spec["max_chars"])
        prepare = str.lower if self.spec["lowercase"] else _same
        if self.spec["analyzer"] == "char_wb":
            rows, columns = count_known_chars(documents, prepare, self.vocabulary, self.ngram_range,
                                              self._char_cache, WORD_CACHE)
        else:
            if self._tables is None:
                self._tables = _word_tables(self.vocabulary)
            tokens = self.spec["tokens"]
            accept = None
            if isinstance(tokens, dict):
                import re

                accept = re.compile(tokens["keep"]).search
            found = count_known_words(documents, lambda doc: prepare(doc).split(), accept, self._tables, self.ngram_range)
            if found is None:  # cannot happen with white-space tokens; guarded all the same
                raise Unsupported("a token holds a space")
            rows, columns = found
        return self.weigh(R.counts(rows, columns, len(documents), self.n_columns))

    def weigh(self, counted: R.Rows) -> R.Rows:
        """TF-IDF weights of a count matrix, as scikit-learn's ``TfidfTransformer.transform`` computes them."""
        data = counted.data.astype(self.dtype)
        if self.spec["binary"]:
            data.fill(1)
        if self.spec["sublinear_tf"]:
            np.log(data, data)
            data += 1.0
        if self.idf is not None:
            data *= self.idf[counted.indices]
        if self.spec["norm"] == "l2":
            squares = (data * data).astype(np.float64)  # the square in the data's precision, the sum in double
            sums = np.bincount(counted.row_of(), weights=squares, minlength=counted.n_rows)
            norms = np.sqrt(sums)
            norms[sums == 0.0] = 1.0  # an empty row is left as it is
            data /= norms[counted.row_of()]
        return R.Rows(counted.indptr, counted.indices, data, counted.n_columns)


def _tokens(tfidf: Any, name: str) -> Any:
    """How a word block splits tokens: ``"split"`` (white space) or ``{"keep": pattern}``."""
    if tfidf.analyzer != "word":
        return None
    if tfidf.tokenizer is str.split and tfidf.token_pattern is None:
        return "split"
    keep = getattr(tfidf.tokenizer, "keep", None)
    if type(tfidf.tokenizer).__name__ == "SplitTokens" and isinstance(keep, str):
        return {"keep": keep}
    raise Unsupported(f"feature block {name}: tokenizer {tfidf.tokenizer!r}")


def _blob(terms: list[str], name: str) -> np.ndarray:
    if any(SEPARATOR in t for t in terms):
        raise Unsupported(f"feature block {name}: a term holds a line break")
    return np.frombuffer(SEPARATOR.join(terms).encode("utf-8", "surrogatepass"), dtype=np.uint8)


def _terms(blob: np.ndarray) -> list[str]:
    text = blob.tobytes().decode("utf-8", "surrogatepass")
    return text.split(SEPARATOR) if text else []


def _same(text: str) -> str:
    return text

"""Target similarity: how close a piece's text is to its target, as TF-IDF (and latent) cosines.

:class:`TargetSimilarity` is the ``similarity`` block that ``pipeline.features.union.build_features``
adds for pieces with a target when ``features.similarity`` is on. It lived in
``pipeline.features.relation`` until 2026-12; :mod:`pipeline.models.renames` maps pickles that
name it there.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize
from spacy.lang.en.stop_words import STOP_WORDS


class TargetSimilarity(TransformerMixin, BaseEstimator):
    """TF-IDF cosine similarity between a sample's target and its text (and near-target sentences).

    The similarity is also one-hot encoded in ``bins`` intervals, so that a linear model can
    give "barely related" and "about the same thing" weights of different signs. With
    ``lsa_components``, the cosine in a latent semantic (truncated SVD) space is added too: it
    matches a headline and a body that tell the same story in different words.

    Words that the training texts never held (a new story's names and terms) count as the
    rarest words, rather than being dropped as a fitted vectorizer would drop them: a new
    headline and its body share exactly such words, and without them their cosine reads as
    unrelated.

    Args:
        bins: Upper edges of the similarity intervals (``()``: no binned copy).
        lead_tokens: Also compare the target with the first N tokens of the text (0: off).
        lsa_components: Dimensions of the latent space (0: off).
        unseen_words: Weigh words unseen in training at the highest IDF (``False``: drop them).
    """

    def __init__(self, bins: tuple[float, ...] = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6),
                 lead_tokens: int = 0, lsa_components: int = 0, unseen_words: bool = True) -> None:
        self.bins = bins
        self.lead_tokens = lead_tokens
        self.lsa_components = lsa_components
        self.unseen_words = unseen_words

    def fit(self, X: Any, y: Any = None) -> TargetSimilarity:
        """Learn the IDF weights (and the latent space) from the texts and the targets."""
        self.vectorizer_ = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False,
                                           sublinear_tf=True, stop_words=sorted(STOP_WORDS), dtype=np.float32)
        documents = [s.text for s in X] + list(dict.fromkeys(s.target for s in X))
        self.vectorizer_.fit(documents)
        # smooth_idf's weight of a word in no training document: log((1 + n) / 1) + 1
        self.unseen_idf_ = float(np.log1p(len(documents)) + 1.0)
        self.svd_ = None
        if self.lsa_components:
            # Each distinct text once: in pair data (FNC-1) every body comes with ~30 headlines.
            unique = self.vectorizer_.transform(list(dict.fromkeys([s.text for s in X] + [s.target for s in X])))
            k = min(self.lsa_components, unique.shape[0] - 1, unique.shape[1] - 1)
            if k >= 1:
                self.svd_ = TruncatedSVD(k, random_state=0).fit(unique)
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        """Per sample: cos(target, text), cos(target, near), [lead, latent], then the one-hot bin of the first."""
        vec = self.vectorizer_
        fields = [[s.target for s in X], [s.text for s in X], [s.near for s in X]]
        if getattr(self, "lead_tokens", 0):
            fields.append([" ".join(s.text.split()[: self.lead_tokens]) for s in X])
        unseen = getattr(self, "unseen_words", False)
        target, *texts = self._tfidf(fields) if unseen else [vec.transform(f) for f in fields]
        columns = [np.asarray(target.multiply(t).sum(axis=1)).ravel() for t in texts]
        if getattr(self, "svd_", None) is not None:
            # the latent space was fitted on the vectorizer's columns: unseen words have none there
            known = (vec.transform(fields[0]), vec.transform(fields[1])) if unseen else (target, texts[0])
            a, b = self.svd_.transform(known[0]), self.svd_.transform(known[1])
            norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
            columns.append(np.divide((a * b).sum(axis=1), norms, out=np.zeros(len(X)), where=norms > 0))
        if self.bins:
            which = np.searchsorted(np.asarray(self.bins), columns[0], side="right")
            columns += [(which == k).astype(np.float64) for k in range(len(self.bins) + 1)]
        return sparse.csr_matrix(np.column_stack(columns))

    def _tfidf(self, fields: list[list[str]]) -> list[sparse.csr_matrix]:
        """Unit-length TF-IDF rows of each field, over the fitted words and the words unseen in training.

        The columns of unseen words are this call's own, so only products of rows of one call
        (cosines) mean anything; each word's weight is the same whatever else the call holds.
        """
        vec = self.vectorizer_
        # Each distinct document once: in pair data (FNC-1) every body comes with ~30 targets.
        row = {doc: i for i, doc in enumerate(dict.fromkeys(doc for field in fields for doc in field))}
        counts = CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False,
                                 stop_words=vec.stop_words, dtype=np.float32)
        try:
            unique = counts.fit_transform(list(row)).tocsr()
        except ValueError:  # no word at all outside the stop words: every cosine is 0
            return [sparse.csr_matrix((len(field), 1), dtype=np.float32) for field in fields]
        known = vec.vocabulary_
        idf = np.array([vec.idf_[known[w]] if w in known else self.unseen_idf_ for w in counts.get_feature_names_out()],
                       dtype=np.float32)
        unique.data = 1.0 + np.log(unique.data)  # sublinear_tf, as the fitted vectorizer
        weighted = normalize(unique @ sparse.diags(idf), copy=False).tocsr()
        return [weighted[[row[doc] for doc in field]] for field in fields]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``sim_text``, ``sim_near``, [``sim_lead``, ``sim_latent``] and one name per bin."""
        names = ["sim_text", "sim_near"]
        if getattr(self, "lead_tokens", 0):
            names.append("sim_lead")
        if getattr(self, "svd_", None) is not None:
            names.append("sim_latent")
        names += [f"sim_bin_{e:g}" for e in (0.0, *self.bins)] if self.bins else []
        return np.asarray(names, dtype=object)

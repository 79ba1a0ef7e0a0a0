"""Which pieces to label next: the ones the model is least sure of, spread over outlets, stories
and the vocabulary, so that fifty near-copies of one wire story are not all suggested at once.

Two ways to spread a batch (``spread``):

- ``kmeans`` (the default; Zhdanov 2019, "Diverse mini-batch Active Learning"): the ``pool * n``
  most uncertain candidates are clustered into ``n`` groups (k-means on a 64-dimensional LSA of
  their TF-IDF, weighted by uncertainty) and each group gives the piece nearest its centre. The
  picks are uncertain, unlike each other, and typical of a region rather than outliers.
- ``maxmin``: greedy, each step taking the candidate with the highest
  ``(1 - diversity) * uncertainty + diversity * distance`` to the nearest piece already chosen
  (a k-center spread, as in Sener & Savarese 2018); it favours outliers.

Either way no outlet or story takes more than ``max_share`` of the batch while others are left.
Without a model every candidate is equally uncertain and the spread alone chooses.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import errors
from ..corpus import Piece

UNCERTAINTY = ("margin", "entropy")
SPREADS = ("kmeans", "maxmin", "none")
LSA_DIMENSIONS = 64
COLD_POOL = 5000  # without a model: candidates sampled for the clusters (all of them if fewer)
# Candidates closer than this (cosine distance) to a chosen piece are near-copies: taken only
# when nothing else is left.
DUPLICATE_DISTANCE = 0.1
PROBA_BATCH = 512


@dataclass
class Suggestion:
    """One piece worth labelling, with why.

    Attributes:
        piece: The piece.
        rank: 1 for the first to label.
        score: The greedy score it was chosen with.
        uncertainty: 0 (the model is sure) to 1 (it cannot tell the top two labels apart).
        guess: The model's label (None without a model).
        confidence: The probability of ``guess``.
        probabilities: Label -> probability.
    """

    piece: Piece
    rank: int
    score: float
    uncertainty: float
    guess: str | None = None
    confidence: float | None = None
    probabilities: dict[str, float] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict: the piece's id, source, story, target and title with the scores."""
        p = self.piece
        return {"rank": self.rank, "id": p.id, "source": p.source, "story": p.story, "target": p.target,
                "title": p.title, "score": round(self.score, 4), "uncertainty": round(self.uncertainty, 4),
                "guess": self.guess, "confidence": None if self.confidence is None else round(self.confidence, 4),
                "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()}}


def uncertainty(proba: np.ndarray, kind: str = "margin") -> np.ndarray:
    """Per row, how unsure the probabilities are, from 0 (sure) to 1.

    Args:
        proba: Rows of class probabilities.
        kind: ``margin`` (1 minus the gap between the top two) or ``entropy`` (normalised).
    """
    if kind not in UNCERTAINTY:
        raise errors.ConfigError.of(errors.SUGGEST_UNCERTAINTY_USE_ONE, kind=kind, known=list(UNCERTAINTY))
    proba = np.asarray(proba, dtype=np.float64)
    if proba.shape[1] < 2:
        return np.zeros(len(proba))
    if kind == "margin":
        top = np.sort(proba, axis=1)[:, -2:]
        return 1.0 - (top[:, 1] - top[:, 0])
    p = np.clip(proba, 1e-12, 1.0)
    return -(p * np.log(p)).sum(axis=1) / math.log(proba.shape[1])


def text_vectors(texts: Sequence[str]) -> Any:
    """L2-normalised TF-IDF rows of ``texts`` (words, sublinear counts): the space diversity is measured in."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not texts:
        from scipy import sparse

        return sparse.csr_matrix((0, 1))
    return TfidfVectorizer(sublinear_tf=True, stop_words="english", max_features=50_000,
                           token_pattern=r"(?u)\b\w\w+\b").fit_transform(texts)


def select(scores: np.ndarray, vectors: Any, n: int, *, groups: Sequence[Sequence[str | None]] = (),
           diversity: float = 0.5, max_share: float = 0.2, spread: str = "maxmin",
           seed: int = 0) -> list[tuple[int, float]]:
    """Choose ``n`` rows: uncertain, unlike each other, spread over groups.

    ``spread="kmeans"`` clusters the rows (see the module docstring); ``"maxmin"`` chooses greedily
    as described below; ``"none"`` takes the most uncertain (``diversity`` is then 0).

    Args:
        scores: Uncertainty of each row, 0 to 1.
        vectors: L2-normalised rows (sparse or dense) in which distance is measured.
        n: How many to choose.
        groups: Group columns (e.g. each row's source, each row's story); None is no group.
        diversity: Weight of the distance term, 0 (pure uncertainty, near-copies allowed) to 1
            (pure max-min spread).
        max_share: The most of the batch one group may take while rows of other groups are left.
        spread: ``kmeans``, ``maxmin`` or ``none``.
        seed: Seeds k-means.

    Returns:
        ``(row, score)`` in the order chosen (for ``kmeans``, most uncertain first).
    """
    if spread not in SPREADS:
        raise errors.ConfigError.of(errors.SUGGEST_SPREAD_USE_ONE, spread=spread, known=list(SPREADS))
    if not 0.0 <= diversity <= 1.0:
        raise errors.ConfigError.of(errors.SUGGEST_DIVERSITY_GIVE_WEIGHT, diversity=diversity)
    if spread == "kmeans" and min(n, len(scores)) > 1:
        return _kmeans_select(scores, vectors, n, groups=groups, max_share=max_share, seed=seed)
    if spread == "none":
        diversity = 0.0
    count = len(scores)
    n = min(n, count)
    cap = max(1, math.ceil(max_share * n))
    codes = [_codes(column) for column in groups]
    used = [Counter() for _ in codes]
    distance = np.ones(count)
    taken = np.zeros(count, dtype=bool)
    chosen: list[tuple[int, float]] = []
    for _ in range(n):
        value = (1.0 - diversity) * scores + diversity * distance
        open_ = ~taken
        # Relax the constraints one at a time when they leave nothing: near-copies first, then caps.
        caps = _under_caps(codes, used, cap, count)
        spread = caps & (distance >= DUPLICATE_DISTANCE) if diversity > 0 else caps
        for mask in (spread, caps, np.ones(count, dtype=bool)):
            if (open_ & mask).any():
                open_ &= mask
                break
        best = int(np.flatnonzero(open_)[np.argmax(value[open_])])
        chosen.append((best, float(value[best])))
        taken[best] = True
        for column, counter in zip(codes, used):
            if column[best] >= 0:
                counter[column[best]] += 1
        similarity = vectors @ vectors[best].T
        similarity = similarity.toarray().ravel() if hasattr(similarity, "toarray") else np.ravel(similarity)
        distance = np.minimum(distance, np.clip(1.0 - similarity, 0.0, 1.0))
    return chosen


def _kmeans_select(scores: np.ndarray, vectors: Any, n: int, *, groups: Sequence[Sequence[str | None]],
                   max_share: float, seed: int) -> list[tuple[int, float]]:
    """One piece per k-means cluster: the one nearest its centre that the group caps allow."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.preprocessing import normalize

    count = len(scores)
    n = min(n, count)
    dims = min(LSA_DIMENSIONS, vectors.shape[1] - 1, count - 1)
    points = TruncatedSVD(dims, random_state=seed).fit_transform(vectors) if dims >= 2 else _dense(vectors)
    points = normalize(points)
    with warnings.catch_warnings():
        # Fewer distinct points than clusters (copies): the empty clusters are topped up below.
        warnings.simplefilter("ignore", ConvergenceWarning)
        kmeans = KMeans(n_clusters=n, n_init=3, random_state=seed).fit(points, sample_weight=scores + 1e-3)
    distances = kmeans.transform(points)
    cap = max(1, math.ceil(max_share * n))
    codes = [_codes(column) for column in groups]
    used = [Counter() for _ in codes]
    taken: set[int] = set()
    picks: list[int] = []
    # Clusters holding the most uncertainty choose first, so the caps bind on the less useful ones.
    weight = np.bincount(kmeans.labels_, weights=scores + 1e-3, minlength=n)
    for cluster in np.argsort(-weight, kind="stable"):
        members = [int(i) for i in np.argsort(distances[:, cluster], kind="stable") if kmeans.labels_[i] == cluster]
        members = members or [int(i) for i in np.argsort(distances[:, cluster], kind="stable")]
        members = [i for i in members if i not in taken]
        if not members:
            continue
        fits = [i for i in members if all(c[i] < 0 or u[c[i]] < cap for c, u in zip(codes, used))]
        best = (fits or members)[0]
        picks.append(best)
        taken.add(best)
        for column, counter in zip(codes, used):
            if column[best] >= 0:
                counter[column[best]] += 1
    for i in np.argsort(-scores, kind="stable"):  # an empty cluster: top up with the most uncertain left
        if len(picks) >= n:
            break
        if int(i) not in taken:
            picks.append(int(i))
            taken.add(int(i))
    picks.sort(key=lambda i: -scores[i])
    return [(i, float(scores[i])) for i in picks]


def _dense(vectors: Any) -> np.ndarray:
    return vectors.toarray() if hasattr(vectors, "toarray") else np.asarray(vectors)


def _codes(column: Sequence[str | None]) -> np.ndarray:
    index: dict[str, int] = {}
    return np.array([-1 if v is None else index.setdefault(v, len(index)) for v in column], dtype=np.int64)


def _under_caps(codes: list[np.ndarray], used: list[Counter], cap: int, count: int) -> np.ndarray:
    ok = np.ones(count, dtype=bool)
    for column, counter in zip(codes, used):
        full = [g for g, c in counter.items() if c >= cap]
        if full:
            ok &= ~np.isin(column, full)
    return ok


def suggest(pieces: Iterable[Piece], task: str, n: int = 50, *, framer: Any = None,
            skip: Iterable[str] = (), uncertainty_kind: str = "margin", spread: str = "kmeans",
            diversity: float = 0.5, max_share: float = 0.2, pool: int = 10, seed: int = 0,
            progress: Any = None) -> list[Suggestion]:
    """The ``n`` pieces most worth labelling next for ``task``.

    Pieces that already have a ``task`` label in the corpus, or whose id is in ``skip`` (e.g. the
    ids labelled in a labels file), are not suggested. The ``pool * n`` most uncertain candidates
    are spread over outlets, stories and vocabulary by :func:`select`.

    Args:
        pieces: The corpus.
        task: The task to label (a task of the model, unless ``framer`` is None).
        n: How many pieces to suggest.
        framer: A loaded :class:`~pipeline.inference.framer.Framer` (anything with ``probabilities(pieces)``
            and ``model.labels(task)``); None chooses by diversity alone (before any model exists).
        skip: Ids not to suggest.
        uncertainty_kind: ``margin`` or ``entropy``.
        spread: ``kmeans`` (default), ``maxmin`` or ``none`` (see the module docstring).
        diversity: For ``maxmin``: weight of spread against uncertainty (0 to 1).
        max_share: The most of the batch one outlet or story may take while others are left.
        pool: Candidates considered, as a multiple of ``n``.
        seed: Breaks ties in uncertainty (all of them, without a model) in a random but repeatable order.
        progress: ``advance(k)`` callable, called as pieces are scored.

    Raises:
        ModelError: When the model has no classifier for ``task``.
    """
    if n < 1:
        raise errors.ConfigError.of(errors.SUGGEST_N_ASK_LEAST, n=n)
    skip = set(skip)
    candidates = [p for p in pieces if task not in p.labels and p.id not in skip]
    if not candidates:
        return []
    labels: list[str] = []
    if framer is not None:
        if task not in framer.model.tasks:
            raise errors.ModelError.of(errors.SUGGEST_NO_TASK, task=task, known=sorted(framer.model.tasks))
        labels = framer.model.labels(task)
        parts = []
        for start in range(0, len(candidates), PROBA_BATCH):
            batch = candidates[start:start + PROBA_BATCH]
            parts.append(framer.probabilities(batch)[task])
            if progress:
                progress(len(batch))
        proba = np.vstack(parts)
        scores = uncertainty(proba, uncertainty_kind)
    else:
        proba = None
        scores = np.ones(len(candidates))
    # The pool: the most uncertain candidates, ties in a seeded random order (not the corpus's,
    # which would give the first outlet's pieces to a corpus read without a model).
    shuffled = np.random.default_rng(seed).permutation(len(candidates))
    width = max(n, pool * n) if framer is not None else max(n, COLD_POOL)
    keep = shuffled[np.argsort(-scores[shuffled], kind="stable")][:width]
    members = [candidates[i] for i in keep]
    vectors = text_vectors([f"{p.title or ''}\n{p.text}" for p in members])
    groups = ([p.source for p in members], [p.story for p in members])
    chosen = select(scores[keep], vectors, n, groups=groups, diversity=diversity, max_share=max_share,
                    spread=spread, seed=seed)
    out = []
    for rank, (row, score) in enumerate(chosen, start=1):
        i = keep[row]
        probs = {lab: float(p) for lab, p in zip(labels, proba[i])} if proba is not None else {}
        guess = max(probs, key=probs.get) if probs else None
        out.append(Suggestion(candidates[i], rank, score, float(scores[i]), guess,
                              probs[guess] if guess else None, probs))
    return out

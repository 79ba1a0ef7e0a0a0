"""Tokenising on a Dask cluster: the texts a processor has not cached go to the workers in shards,
and what comes back fills this machine's doc cache like a local run would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .cache import DocCache
from .processor import Processor
from .workers import _work_job

SHARD_TEXTS = 500


class DaskProcessor(Processor):
    """A :class:`Processor` whose uncached texts are processed on a Dask cluster's workers.

    Each worker loads the spaCy pipeline once (per profile) and processes shards of
    ``shard_texts`` texts; the results come back in order and are stored in ``cache`` here, so a
    later local run (or the next training) reads them from it.

    Args:
        client: A ``distributed.Client``.
        model: spaCy model name (the workers must have it installed).
        cache: This machine's doc cache, or None.
        batch_size: Texts per ``nlp.pipe`` batch on the workers.
        shard_texts: Texts per task.
        min_texts: Fewer uncached texts than this are processed here (default: as many as make a
            local processor start its pool).
    """

    def __init__(self, client: Any, model: str | None = None, *, cache: DocCache | None = None,
                 batch_size: int = 64, shard_texts: int = SHARD_TEXTS, min_texts: int | None = None) -> None:
        super().__init__(model, cache=cache, n_process=1, batch_size=batch_size)
        self.client = client
        self.shard_texts = shard_texts
        self.min_texts = min_texts

    def __getstate__(self) -> dict:
        return {**super().__getstate__(), "client": None}  # a client stays with its process

    def _compute(self, profile: str, texts: list[str], min_parallel: int) -> Iterator[bytes]:
        if len(texts) < (min_parallel if self.min_texts is None else self.min_texts) or self.client is None:
            yield from super()._compute(profile, texts, min_parallel)
            return
        jobs = [(self.model, profile, texts[i : i + self.shard_texts], self.batch_size)
                for i in range(0, len(texts), self.shard_texts)]
        futures = self.client.map(_work_job, jobs, pure=False)
        try:
            for future in futures:  # in order; the later ones keep running meanwhile
                yield from future.result()
                future.release()
        finally:
            self.client.cancel([f for f in futures if not f.done()])

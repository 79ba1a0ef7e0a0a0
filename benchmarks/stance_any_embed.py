"""Embeddings for the any-target stance benchmark, encoded once and cached on disk (not in the repo).

The cache is ``$STANCE_ANY_CACHE`` (default ``/tmp/stance_any``): one ``.npz`` of string keys
(sha1 of the embedded string) and float16 unit vectors, saved every few thousand strings, so an
interrupted run keeps what it encoded. Point it at a lasting folder outside the repository (e.g.
``STANCE_ANY_CACHE=~/.cache/framing/stance_any``): every train and test string of the seven sets,
78,396 strings, is 70 MB and took 9 minutes on 2 shared cores (33-940 strings/s, longest last).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

MODEL = "all-MiniLM-L6-v2"
CACHE = Path(os.environ.get("STANCE_ANY_CACHE", "/tmp/stance_any"))
SAVE_EVERY = 2000


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class EmbeddingCache:
    """String -> unit vector, backed by ``CACHE / f"{model}.npz"``."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self.path = CACHE / f"{model}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path)
            self.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
        self._encode = None

    def save(self) -> None:
        """Write the cache atomically (a temporary file renamed over the old one)."""
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        keys = list(self.vectors)
        np.savez(tmp, keys=np.asarray(keys), vectors=np.stack([self.vectors[k] for k in keys]).astype(np.float16))
        os.replace(tmp, self.path)

    def encode(self, texts: Iterable[str], *, batch_size: int = 64) -> None:
        """Encode the texts not cached yet (progress on stderr), saving as it goes."""
        todo = list(dict.fromkeys(t for t in texts if _key(t) not in self.vectors))
        if not todo:
            return
        if self._encode is None:
            from pipeline.features.embeddings import _load

            self._encode = _load(self.model)
        todo.sort(key=len)  # similar lengths batch with less padding
        began = time.perf_counter()
        for start in range(0, len(todo), SAVE_EVERY):
            chunk = todo[start:start + SAVE_EVERY]
            vectors = np.asarray(self._encode(chunk, batch_size=batch_size), dtype=np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            self.vectors.update(zip(map(_key, chunk), vectors.astype(np.float16)))
            self.save()
            done = min(start + SAVE_EVERY, len(todo))
            rate = done / max(time.perf_counter() - began, 1e-9)
            print(f"  encoded {done}/{len(todo)} ({rate:.0f} strings/s)", file=sys.stderr, flush=True)

    def get(self, texts: list[str]) -> np.ndarray:
        """The cached unit vectors of ``texts`` (float32, one row each)."""
        return np.stack([self.vectors[_key(t)] for t in texts]).astype(np.float32)

    def __call__(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """An encoder function: encode what is missing, return the vectors."""
        self.encode(texts, batch_size=batch_size)
        return self.get(texts)

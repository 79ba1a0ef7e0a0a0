"""Running spaCy on this process or on worker processes: long texts in chunks, batches bounded
in characters, each text's result serialised (a :class:`~.lexical.Lexical` record's bytes, or
a ``Doc``'s) for the cache."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from typing import Any

import numpy as np
from spacy.tokens import Doc

from ..io import worker_pool
from .lexical import _encode_lexical
from .loading import load_nlp

__all__ = ["BATCH_CHARS", "CHUNK_CHARS"]


# Texts longer than this are processed in chunks (split at paragraph or sentence ends) and
# joined again, so that nothing is truncated and memory stays bounded (NER on one 100,000-character
# chunk peaks at about 0.8 GB; on 20,000 at about 0.5 GB).
CHUNK_CHARS = 20_000


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

"""The memory a training run needs, estimated before reading a corpus, so that a corpus too big
is refused up front instead of ending in an out-of-memory kill."""

from __future__ import annotations

import os
from pathlib import Path

from .. import errors

# Training holds the corpus, its tokens and the n-gram matrices in memory at once. Peak
# memory grows with the corpus text, steeply while the n-gram vocabularies still grow and
# more slowly once they saturate; these figures are measured (docs/reliability.md).
TRAIN_BASE_BYTES = 600 * 2**20
TRAIN_BYTES_PER_TEXT_BYTE = 120  # for the first TRAIN_STEEP_BYTES of corpus
TRAIN_STEEP_BYTES = 8 * 2**20
TRAIN_BYTES_PER_LATER_BYTE = 40  # beyond them


def training_memory(paths: list[Path]) -> tuple[int, int | None]:
    """``(estimated peak bytes, available bytes or None)`` for loading and training on ``paths``."""
    size = 0
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        size += sum(f.stat().st_size for f in files if f.is_file())
    available = None
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
    except OSError:
        pass
    return training_bytes(size), available


def training_bytes(corpus_bytes: int) -> int:
    """Estimated peak memory of training on a corpus of ``corpus_bytes`` bytes (files as on disk)."""
    steep = min(corpus_bytes, TRAIN_STEEP_BYTES)
    return (TRAIN_BASE_BYTES + TRAIN_BYTES_PER_TEXT_BYTE * steep
            + TRAIN_BYTES_PER_LATER_BYTE * (corpus_bytes - steep))


def check_memory(paths: list[Path]) -> None:
    """Refuse up front a corpus whose training would not fit in memory; warn when it is tight.

    ``FRAMING_MEMORY_CHECK=off`` skips the refusal (the estimate is conservative).

    Raises:
        TrainingError: When the estimate exceeds the memory available now.
    """
    need, available = training_memory(paths)
    if available is None:
        return
    gib = 2**30
    if need > available and os.environ.get("FRAMING_MEMORY_CHECK", "").lower() != "off":
        raise errors.TrainingError.of(
            errors.MEMORY_TOO_LITTLE, need=need / gib, per_byte=TRAIN_BYTES_PER_TEXT_BYTE,
            steep_mib=TRAIN_STEEP_BYTES // 2**20, per_later_byte=TRAIN_BYTES_PER_LATER_BYTE,
            base_mib=TRAIN_BASE_BYTES // 2**20, available=available / gib)
    if need > available / 2:
        import warnings

        warnings.warn(f"training on this corpus needs about {need / gib:.1f} GiB of memory; "
                      f"{available / gib:.1f} GiB is available now.", stacklevel=2)

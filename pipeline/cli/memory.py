"""The memory a training run needs, estimated before reading a corpus, so that a corpus too big
is refused up front instead of ending in an out-of-memory kill."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from .. import errors

if TYPE_CHECKING:  # annotations only
    from ..config import Config
    from ..corpus import Piece

# Training holds the corpus, its tokens and the n-gram matrices in memory at once. Peak
# memory grows with the corpus text, steeply while the n-gram vocabularies still grow and
# more slowly once they saturate; these figures are measured (docs/reliability.md).
TRAIN_BASE_BYTES = 600 * 2**20
TRAIN_BYTES_PER_TEXT_BYTE = 120  # for the first TRAIN_STEEP_BYTES of corpus
TRAIN_STEEP_BYTES = 8 * 2**20
TRAIN_BYTES_PER_LATER_BYTE = 40  # beyond them
# A task that reads its pieces' targets adds blocks of text-target features, and per-target
# weights copy the features of each piece whose target has min_target_pieces pieces into that
# target's block; with long texts the copies and their solver state are the larger part.
# Measured (docs/reliability.md); counted once the pieces are read.
TRAIN_BYTES_PER_TARGET_TEXT_BYTE = 40  # text of the pieces with targets
TRAIN_BYTES_PER_COPIED_BYTE = 200  # and again for the text that per-target weights copy


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


def target_text_bytes(pieces: list[Piece], config: Config) -> tuple[int, int]:
    """``(text bytes of the pieces with targets, of which copied)`` for the task with the most
    estimated memory (:func:`target_bytes`): a task's labelled pieces with targets, and of
    those the pieces in the targets with ``min_target_pieces`` pieces where its settings learn
    per-target weights (:func:`pipeline.models.factory.per_target_active`). Bytes in UTF-8."""
    from ..models.factory import per_target_active  # here: training imports scikit-learn anyway

    most = (0, 0)
    for task in sorted({task for piece in pieces for task in piece.labels}):
        labelled = [piece for piece in pieces if piece.target and task in piece.labels]
        sizes = [len(piece.text.encode("utf-8")) for piece in labelled]
        copied = 0
        settings = config.task(task)
        if per_target_active(settings, labelled):
            counts = Counter(piece.target for piece in labelled)
            least = settings.classifier.min_target_pieces
            copied = sum(size for piece, size in zip(labelled, sizes) if counts[piece.target] >= least)
        if target_bytes(sum(sizes), copied) > target_bytes(*most):
            most = (sum(sizes), copied)
    return most


def target_bytes(text_bytes: int, copied_bytes: int) -> int:
    """The estimated memory that a task's targets add to training: ``text_bytes`` of pieces with
    targets, ``copied_bytes`` of them copied by per-target weights."""
    return TRAIN_BYTES_PER_TARGET_TEXT_BYTE * text_bytes + TRAIN_BYTES_PER_COPIED_BYTE * copied_bytes


def check_memory(paths: list[Path], targets: tuple[int, int] = (0, 0), *, warn: bool = True) -> None:
    """Refuse up front a corpus whose training would not fit in memory; warn when it is tight.

    ``targets``: the text of pieces with targets and of it the text that per-target weights copy
    (:func:`target_text_bytes`), known once the pieces are read (none before).
    ``FRAMING_MEMORY_CHECK=off`` skips the refusal (the estimate is conservative). ``warn``:
    warn when it is tight (False where a second check, with ``targets``, follows).

    Raises:
        TrainingError: When the estimate exceeds the memory available now.
    """
    need, available = training_memory(paths)
    need += target_bytes(*targets)
    if available is None:
        return
    gib = 2**30
    if need > available and os.environ.get("FRAMING_MEMORY_CHECK", "").lower() != "off":
        raise errors.TrainingError.of(
            errors.MEMORY_TOO_LITTLE, need=need / gib, per_byte=TRAIN_BYTES_PER_TEXT_BYTE,
            steep_mib=TRAIN_STEEP_BYTES // 2**20, per_later_byte=TRAIN_BYTES_PER_LATER_BYTE,
            base_mib=TRAIN_BASE_BYTES // 2**20, target_mib=targets[0] / 2**20,
            per_target_byte=TRAIN_BYTES_PER_TARGET_TEXT_BYTE, copied_mib=targets[1] / 2**20,
            per_copied_byte=TRAIN_BYTES_PER_COPIED_BYTE, available=available / gib)
    if warn and need > available / 2:
        import warnings

        warnings.warn(f"training on this corpus needs about {need / gib:.1f} GiB of memory; "
                      f"{available / gib:.1f} GiB is available now.", stacklevel=2)

"""Compatibility: the shared CLI helpers now live in focused modules (console, inputs, memory,
outputs); this module re-exports them for code written against the old one. Import from the
focused modules in new code."""

from __future__ import annotations

from .console import Format, err, out, progress_bars  # noqa: F401
from .inputs import _stdin_pieces, _text_pieces, csv_options, load_pieces, make_processor, report_load, stream_inputs  # noqa: F401
from .memory import (  # noqa: F401
    TRAIN_BASE_BYTES,
    TRAIN_BYTES_PER_LATER_BYTE,
    TRAIN_BYTES_PER_TEXT_BYTE,
    TRAIN_STEEP_BYTES,
    check_memory,
    training_bytes,
    training_memory,
)
from .outputs import (  # noqa: F401
    _FORMULA_START,
    _QUOTED_FORMULAS,
    ResumableOutput,
    _csv_text,
    _scan_csv,
    _scan_jsonl,
    atomic_output,
    safe_cell,
    write_csv_rows,
)

"""The shared CLI helpers the commands use, from their focused modules (console, inputs,
outputs; the memory check runs inside ``load_pieces``): one import line per command."""

from __future__ import annotations

from .console import Format, err, out, progress_bars  # noqa: F401
from .inputs import csv_options, load_pieces, make_processor, report_load, stream_inputs  # noqa: F401
from .outputs import atomic_output  # noqa: F401

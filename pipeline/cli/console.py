"""The consoles (stdout for results, stderr for everything else), output formats and progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ._text import SafeConsole

# stdout carries data (tables, JSON, user text): no markup and no emoji codes are read in it.
# stderr messages use markup; the user's text in them goes through _text.esc.
out = SafeConsole(soft_wrap=True, markup=False, emoji=False, wide_when_piped=True)
err = SafeConsole(stderr=True, soft_wrap=True, emoji=False)


class Format(str, Enum):
    """Output formats of ``classify``."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


@contextmanager
def progress_bars(quiet: bool) -> Iterator[Callable[[str, int], Callable[[int], None]] | None]:
    """A factory ``start(stage, total) -> advance(n)`` drawing bars on stderr, or None when quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=err, transient=True)
    with bars:
        def start(stage: str, total: int) -> Callable[[int], None]:
            task = bars.add_task(stage, total=total)
            return lambda n=1: bars.advance(task, n)

        yield start

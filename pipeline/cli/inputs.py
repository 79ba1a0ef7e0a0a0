"""What commands read: corpora, files, folders and stdin, the spaCy processor, and the load report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import errors
from ..corpus import CsvOptions, LoadReport, Piece, read_corpus
from ..corpus.inputs import stream_inputs  # noqa: F401 (re-exported for the commands)
from ..nlp.cache import DocCache
from ._text import esc
from .console import err
from .memory import check_memory, target_text_bytes


def make_processor(model: str | None, cache_dir: Path | None, no_cache: bool, jobs: int) -> Processor:
    """The spaCy processor for a command, with the on-disk cache unless ``--no-cache``."""
    from ..nlp.processor import Processor  # here, not at start-up: it imports spaCy

    return Processor(model, cache=None if no_cache else DocCache(cache_dir), n_process=jobs)


def csv_options(mapping: list[str] | None, labels: list[str] | None) -> CsvOptions:
    """Parse ``--map field=column`` and ``--label COLUMN`` options."""
    columns = {}
    for item in mapping or []:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise errors.ConfigError.of(errors.BAD_COLUMN_MAP, item=item)
        columns[field.strip()] = column.strip()
    return CsvOptions(columns=columns, labels=tuple(labels) if labels else None)


def load_pieces(paths: list[Path], *, skip_invalid: bool, options: CsvOptions,
                folder_task: str | None = None, train_config: Config | None = None) -> tuple[list[Piece], LoadReport]:
    """Read a whole corpus (for training and evaluation), returning its load report too.

    The memory it will need is checked first (:func:`check_memory`), and, with ``train_config``
    (training with those settings), again once the pieces are read, counting the text with
    targets and the text that per-target weights will copy (:func:`target_text_bytes`).
    """
    files = [Path(p) for p in paths if Path(p).exists()]
    check_memory(files, warn=train_config is None)
    report = LoadReport()
    pieces = list(read_corpus(paths, skip_invalid=skip_invalid, csv_options=options,
                              folder_task=folder_task, report=report))
    if not pieces:
        raise errors.CorpusError(errors.EMPTY_CORPUS.format(
            path=", ".join(map(str, paths)), expected="JSONL/CSV records or .txt/.md files"))
    if train_config is not None:
        check_memory(files, target_text_bytes(pieces, train_config))
    return pieces, report


def report_load(report: LoadReport) -> None:
    """Tell the user (on stderr) about every skipped record and ignored file."""
    for where, reason in report.skipped:
        err.print(f"[yellow]skipped[/] {esc(where)}: {esc(reason)}", highlight=False)
    if report.skipped:
        err.print(f"[yellow]{len(report.skipped)} record(s) skipped[/] (listed above).")
    for path, reason in report.ignored:
        err.print(f"[dim]ignored {esc(path)}: {esc(reason)}[/]", highlight=False)


if TYPE_CHECKING:  # annotations only
    from ..config import Config
    from ..nlp.processor import Processor

"""Turning library errors and warnings into one-line messages and exit codes."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import typer

from .. import errors
from ._common import err
from ._text import esc

# The flag for each option a library message suggests (pipeline.errors.ARGUMENTS has the keys):
# the library names the Python argument, the CLI's output names the flag.
FLAGS = {
    "skip_invalid": "--skip-invalid",
    "allow_labels": "--allow-labels",
    "trust": "--trust",
    "column_map": "--map",
    "column_map_text": "--map text=COLUMN",
    "label_column": "--label COLUMN",
    "label_column_named": "--label {arg}",
    "folder_task": "--folder-task TASK",
    "config": "--config",
    "entity_stance_data": "--entity-stance-data",
    "dask": "--dask",
    "dask_local": "--dask local",
    "codebook": "--codebook",
    "model": "--model",
    "no_model": "--no-model",
    "no_zero_shot": "--no-zero-shot",
    "task": "--task",
    "label_set": "--label-set {task}=support,oppose,neutral",
    "label_sets": "--label-set",
    "port": "another --port",
    "resume": "--resume",
    "streaming_format": "--format jsonl or csv",
    "output_file": "an --output file",
    "html": "--html",
    "summary": "--summary FILE",
    "shard_size": "a smaller --shard-size",
    "parts_dir": "--parts-dir",
    "spacy_model": "--spacy-model",
    "train_to": "`framing train CORPUS --out {path}`",
    "export_import": "framing model export, then framing model import",
}


def message(exc: errors.FramingError) -> str:
    """The error's message as the CLI shows it: the options it suggests named by their flags."""
    return exc.render(FLAGS)


def handles_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``command``; print library warnings, and a library error as one line with its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", message=".*least populated class.*")
            try:
                return command(*args, **kwargs)
            except errors.FramingError as exc:
                err.print(f"[bold red]error:[/] {esc(message(exc))}", highlight=False)
                raise typer.Exit(code=exc.exit_code) from None
            except KeyboardInterrupt:
                err.print("[yellow]interrupted[/]: nothing half-written was left in place.")
                raise typer.Exit(code=130) from None
            except BrokenPipeError:
                # `framing classify ... | head`: the reader went away; not an error of ours.
                raise typer.Exit(code=141) from None
            except OSError as exc:
                if exc.filename is None:
                    raise
                # Disk full, permission denied, ...: one line naming the file, not a traceback.
                err.print(f"[bold red]error:[/] cannot access {esc(exc.filename)}: {esc(exc.strerror)}. "
                          "Nothing half-written was left in place of a previous file.", highlight=False)
                raise typer.Exit(code=1) from None
            finally:
                for warning in caught:
                    err.print(f"[yellow]warning:[/] {esc(warning.message)}", highlight=False)

    return wrapper

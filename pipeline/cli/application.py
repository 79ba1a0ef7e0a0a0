"""The typer app of ``framing``: every command, its options and the one-line usage errors.

``pipeline.cli.main`` answers ``framing``, ``framing --help`` and ``framing --version`` without
importing this module (typer and rich alone are 3.5x the interpreter's start-up); everything
else comes here. After changing the app's help or a command's first docstring line, rewrite the
shipped root help with ``python -m pipeline.cli.application`` (tests/cli/test_startup.py fails
until then).
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from ._usage import OneLineErrors

# Each command: the module that holds it and its function (a Typer app for a group of commands).
COMMANDS = {
    "train": ("train", "train_cli"),
    "classify": ("classify", "classify_cli"),
    "evaluate": ("evaluate", "evaluate_cli"),
    "inspect": ("inspect", "inspect_cli"),
    "split": ("split", "split_cli"),
    "suggest": ("suggest", "suggest_cli"),
    "annotate": ("annotate", "annotate_cli"),
    "agreement": ("agreement", "agreement_cli"),
    "corpus": ("corpus", "corpus_app"),
    "model": ("model", "model_app"),
}


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"framing {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Stance, frame and entities for every piece of news coverage of a story."""


def make_app(only: str | None = None) -> typer.Typer:
    """The typer app of ``framing``; ``only``: with just that command, so that running it imports
    no other command's module (``pipeline.cli.main`` passes the command it is given).

    Args:
        only: A name of :data:`COMMANDS`, or None for all of them.
    """
    app = typer.Typer(
        name="framing",
        help="Stance, frame and entities for every piece of news coverage of a story.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        cls=OneLineErrors,
        rich_markup_mode=None,  # plain help: rich panels and their markdown parser cost 0.3 s at every start
    )
    app.callback()(_root)
    for name, (module, attr) in COMMANDS.items():
        if only is not None and name != only:
            continue
        command = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
        if name == "corpus":
            from .merge_labels import merge_labels_cli

            if "merge-labels" not in {c.name for c in command.registered_commands}:
                command.command("merge-labels")(merge_labels_cli)
        if isinstance(command, typer.Typer):
            app.add_typer(command, name=name)
        else:
            app.command(name)(command)
    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # every command (PEP 562: built on first use)
        globals()["app"] = value = make_app()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_root_help(columns: int = 80) -> str:
    """What ``framing --help`` prints on a terminal ``columns`` wide (80 when piped).

    Args:
        columns: the terminal width typer would see (``shutil.get_terminal_size().columns``).

    Returns:
        The help text as the ``--help`` option renders it, with its final newline.
    """
    command = typer.main.get_command(make_app())
    # the width click's formatter takes from the terminal: min(columns, 80) - 2, at least 50
    ctx = command.context_class(command, info_name="framing", terminal_width=max(min(columns, 80) - 2, 50))
    return command.get_help(ctx) + "\n"


if __name__ == "__main__":
    from . import HELP_FILE

    with open(HELP_FILE, "w", encoding="utf-8", newline="") as file:
        file.write(render_root_help())
    print(f"wrote {HELP_FILE}")


__all__ = ["app", "render_root_help"]  # noqa: F822 (app is built on first use by __getattr__)

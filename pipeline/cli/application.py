"""The typer app of ``framing``: every command, its options and the one-line usage errors.

``pipeline.cli.main`` answers ``framing``, ``framing --help`` and ``framing --version`` without
importing this module (typer and rich alone are 3.5x the interpreter's start-up); everything
else comes here. After changing the app's help or a command's first docstring line, rewrite the
shipped root help with ``python -m pipeline.cli.application`` (tests/cli/test_startup.py fails
until then).
"""

from __future__ import annotations

from typing import Annotated

import typer

from ._usage import OneLineErrors
from .agreement import agreement_cli
from .annotate import annotate_cli
from .classify import classify_cli
from .corpus import corpus_app
from .evaluate import evaluate_cli
from .inspect import inspect_cli
from .merge_labels import merge_labels_cli
from .model import model_app
from .split import split_cli
from .suggest import suggest_cli
from .train import train_cli

app = typer.Typer(
    name="framing",
    help="Stance, frame and entities for every piece of news coverage of a story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=OneLineErrors,
    rich_markup_mode=None,  # plain help: rich panels and their markdown parser cost 0.3 s at every start
)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"framing {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Stance, frame and entities for every piece of news coverage of a story."""
app.command("train")(train_cli)
app.command("classify")(classify_cli)
app.command("evaluate")(evaluate_cli)
app.command("inspect")(inspect_cli)
app.command("split")(split_cli)
app.command("suggest")(suggest_cli)
app.command("annotate")(annotate_cli)
app.command("agreement")(agreement_cli)
corpus_app.command("merge-labels")(merge_labels_cli)
app.add_typer(corpus_app, name="corpus")
app.add_typer(model_app, name="model")


def render_root_help(columns: int = 80) -> str:
    """What ``framing --help`` prints on a terminal ``columns`` wide (80 when piped).

    Args:
        columns: the terminal width typer would see (``shutil.get_terminal_size().columns``).

    Returns:
        The help text as the ``--help`` option renders it, with its final newline.
    """
    command = typer.main.get_command(app)
    # the width click's formatter takes from the terminal: min(columns, 80) - 2, at least 50
    ctx = command.context_class(command, info_name="framing", terminal_width=max(min(columns, 80) - 2, 50))
    return command.get_help(ctx) + "\n"


if __name__ == "__main__":
    from . import HELP_FILE

    with open(HELP_FILE, "w", encoding="utf-8", newline="") as file:
        file.write(render_root_help())
    print(f"wrote {HELP_FILE}")


__all__ = ["app", "render_root_help"]

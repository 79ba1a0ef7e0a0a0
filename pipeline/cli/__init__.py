"""The ``framing`` command line: the only part of the package that prints, reads options or exits."""

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


def main() -> None:
    """Entry point of the ``framing`` command."""
    app()


__all__ = ["app", "main"]

"""``framing model export|import|upgrade``: move models between people in an auditable format, and
give a model saved by an earlier framing the array form that classify predicts from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import err, out
from ._errors import handles_errors
from ._text import esc

model_app = typer.Typer(help="Export and import models as auditable skops files; upgrade old ones.",
                        no_args_is_help=True)


@model_app.command("export")
@handles_errors
def export_cli(
    model: Annotated[Path, typer.Argument(help="Model folder to export.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The .zip file to write.")],
    trust: Annotated[bool, typer.Option(help="Export a model from outside the trusted folders (loading it can run code).")] = False,
) -> None:
    """Write MODEL as one skops .zip that `framing model import` can audit before loading."""
    from ..models.exchange import export_model
    from ..models.persist import load_model

    export_model(load_model(model, trust=trust), out_file)
    out.print(f"exported {model} to {out_file}")


@model_app.command("import")
@handles_errors
def import_cli(
    file: Annotated[Path, typer.Argument(help="A .zip written by `framing model export`.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Model folder to write, e.g. models/theirs.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list the types in the file; build nothing.")] = False,
) -> None:
    """List the types stored in FILE, refuse any that is not trusted, then save the model to --out.

    Trusted: classes of framing (pipeline.*), scikit-learn, NumPy and SciPy. Nothing in
    the file is built before every type has passed.
    """
    from ..models.exchange import audit_types, import_model

    def show(trusted: list[str], refused: list[str]) -> None:
        err.print(f"types in {esc(file)} beyond skops's built-in safe set:")
        for name in trusted:
            err.print(f"  [green]trusted[/]  {esc(name)}", highlight=False)
        for name in refused:
            err.print(f"  [red]refused[/]  {esc(name)}", highlight=False)

    if dry_run:
        show(*audit_types(file))
        return
    import_model(file, out_dir, on_types=show)
    out.print(f"imported {file} to {out_dir}")


@model_app.command("upgrade")
@handles_errors
def upgrade_cli(
    model: Annotated[Path, typer.Argument(help="Model folder saved by an earlier framing.")],
    trust: Annotated[bool, typer.Option(help="Upgrade a model from outside the trusted folders (loading it can run code).")] = False,
) -> None:
    """Write the array form of MODEL's tasks beside its pickles, so classify predicts with NumPy alone.

    Predictions stay the same (the arrays hold the pickles' weights); model.json gets the new
    files' checksums, and a signed model is signed again with your key.
    """
    from ..models.persist import add_arrays

    names = add_arrays(model, trust=trust)
    out.print(f"upgraded {esc(str(model))}: array form written for {', '.join(names) or 'nothing'}")

"""The ``framing`` command line: the only part of the package that prints, reads options or exits.

``main`` (the console script) answers ``framing --help``, ``framing`` (no arguments: the help on
stderr, status 2) and ``framing --version`` itself, with nothing imported but ``os`` and ``sys``:
importing typer and rich alone takes 3.5x the interpreter's own start-up. The help it prints is
the text typer renders (``help.txt``, written by ``python -m pipeline.cli.application``;
tests/cli/test_startup.py checks that it equals typer's rendering). Any other arguments, a
terminal narrower than 80 columns (typer wraps to it) or another program name go to the typer
app in ``application``, which ``from pipeline.cli import app`` loads on first use.
"""

from __future__ import annotations

import os
import sys

HELP_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "help.txt")
_HELP_WIDTH = 80  # typer wraps the help to min(terminal columns, 80) - 2: 80 and wider look the same


def main() -> None:
    """Entry point of the ``framing`` command."""
    answer = _fast_answer(sys.argv[1:])
    if answer is not None:
        text, stream, status = answer
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:  # `framing --help | head -1`: what click does, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
            status = 1
        raise SystemExit(status)
    from .application import COMMANDS, make_app

    # only the command asked for: its module alone is imported (an unknown name gets every
    # command, for click's usage error)
    first = sys.argv[1] if len(sys.argv) > 1 else None
    make_app(first if first in COMMANDS else None)()


def _fast_answer(args: list[str]) -> tuple[str, object, int] | None:
    """(text, stream, exit status) for the argument lists answered without typer, else None."""
    if args == ["--version"]:
        from ..version import __version__

        return f"framing {__version__}\n", sys.stdout, 0
    if args not in ([], ["--help"]) or _program_name() != "framing" or _columns() < _HELP_WIDTH:
        return None
    try:
        with open(HELP_FILE, encoding="utf-8") as file:
            text = file.read()
    except OSError:  # a tree without the generated file: typer renders it
        return None
    return (text, sys.stdout, 0) if args else (text, sys.stderr, 2)


def _program_name() -> str:
    """The name click puts after ``Usage:``: the script's file name unless run with ``python -m``."""
    if getattr(sys.modules.get("__main__"), "__package__", None) not in (None, ""):
        return ""  # python -m ...: click writes "python -m NAME"
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""


def _columns() -> int:
    """The terminal width as ``shutil.get_terminal_size`` (which click asks) sees it, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def __getattr__(name: str):
    if name == "app":  # the typer app, imported on first use (PEP 562)
        from .application import app

        return app
    raise AttributeError(f"module 'pipeline.cli' has no attribute {name!r}")


__all__ = ["app", "main"]

"""Usage errors as one line and the usage hint, instead of rich's boxed panels."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

from typer.core import TyperGroup

try:  # typer >= 0.20 carries its own copy of click, with Abort kept in typer.exceptions
    from typer._click import exceptions as click
    from typer.exceptions import Abort
except ImportError:  # pragma: no cover - older typer, on the click package
    from click import exceptions as click
    from click.exceptions import Abort

from ._text import visible

# its message is the whole help text (click >= 8.2; before, a no-arguments group printed its help itself)
NoArgsIsHelp = getattr(click, "NoArgsIsHelpError", ())


class OneLineErrors(TyperGroup):
    """The top-level command group: a usage error prints ``error: ...`` and the usage line.

    ``framing classify --bogus`` says::

        error: No such option: --bogus
        usage: framing classify [OPTIONS] INPUTS... (framing classify --help for every option)

    and exits with status 2, like every other usage error (a missing argument, a bad value).
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:  # noqa: D102 - click's own
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelp as exc:  # `framing` or `framing corpus` alone: the help, on stderr, status 2
            sys.stderr.write(exc.format_message() + "\n")
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            sys.stderr.write(usage_error(exc))
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            sys.stderr.write(f"error: {visible(exc.format_message())}\n")
            sys.exit(exc.exit_code)
        except Abort:
            sys.stderr.write("interrupted\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def usage_error(exc: Any) -> str:
    """``error: MESSAGE`` and ``usage: ...`` with the command's --help, as two lines."""
    message = " ".join(visible(exc.format_message()).split())
    if exc.ctx is None:
        return f"error: {message}\n"
    usage = exc.ctx.get_usage().replace("Usage: ", "", 1).strip()
    usage = re.sub(r"\{(\w+)\}", lambda m: m.group(1).upper(), " ".join(usage.split()))  # typer writes {inputs}
    return f"error: {message}\nusage: {usage} ({exc.ctx.command_path} --help for every option)\n"

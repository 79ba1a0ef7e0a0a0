"""User text on the terminal: never read as rich markup, control characters shown, not obeyed.

A piece of a web page can contain ``[/button]`` (rich markup, which crashed ``framing split``),
ANSI escapes or other control characters (which would recolour or clear the terminal). The
consoles render every string through :func:`visible`; the data console (stdout) parses no
markup at all, and messages on stderr that mix markup with user text pass the user's part
through :func:`esc`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rich.console import Console, ConsoleDimensions
from rich.text import Text

# C0 controls but tab and newline, DEL and the C1 controls (ESC [ ... is how ANSI codes start).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with each control character (but tab and newline) written as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


_JSON_RAW = re.compile(r"[\x7f-\x9f]")


def json_text(value: Any) -> str:
    """``value`` as one line of JSON (non-ASCII kept) with no raw control character in it.

    ``json.dumps`` escapes C0 controls but leaves DEL and the C1 controls (U+0080-U+009F, where
    U+009B starts an ANSI sequence on some terminals) raw; they are escaped as ``\\u00NN``,
    which reads back as the same string.
    """
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


# A bracket with any backslashes before it; the optional part is what rich reads as a tag.
_BRACKET = re.compile(r"(\\*)(\[(?:[a-z#/@][^[]*?\])?)")


def _escape_bracket(match: re.Match) -> str:
    backslashes, bracket = match.groups()
    if len(bracket) > 1:  # a tag: rich halves the backslashes before it, and one more escapes it
        return f"{backslashes}{backslashes}\\{bracket}"
    # A lone bracket: rich's renderer turns one backslash-bracket into a bracket.
    return f"{backslashes}\\{bracket}" if backslashes else bracket


def esc(value: Any) -> str:
    """``value`` as text for a markup string: its brackets escaped, its control characters visible.

    ``rich.markup.escape`` escapes only brackets that look like tags, but rich's renderer also
    drops the backslash of a backslash before any other bracket (``\\['`` shows as ``['``), so a
    user's backslash was lost; here every bracket renders as itself. A backslash at the very end
    that is followed by a tag in the surrounding markup is still read by rich as an escape.
    """
    return _BRACKET.sub(_escape_bracket, visible(str(value)))


def plain(value: Any, style: str = "") -> Text:
    """``value`` as a rich ``Text`` (never parsed as markup), control characters visible."""
    return Text(visible(str(value)), style=style)


PIPED_WIDTH = 100_000  # "no limit": a table written to a file or a pipe is never wrapped


class SafeConsole(Console):
    """A rich console that renders every string with its control characters made visible.

    With ``wide_when_piped``, output that goes to a file or a pipe (not a terminal) is as wide
    as its content (``$COLUMNS`` still sets a width), so that ``framing classify > out.txt``
    does not break ids over several lines at 80 columns.
    """

    def __init__(self, *args: Any, wide_when_piped: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wide_when_piped = wide_when_piped

    @property
    def size(self) -> ConsoleDimensions:  # noqa: D102 - Console's own
        size = super().size
        if self.wide_when_piped and self._width is None and not self.is_terminal and "COLUMNS" not in self._environ:
            return ConsoleDimensions(PIPED_WIDTH, size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)

    def render_str(self, text: str, **options: Any) -> Text:  # noqa: D102 - Console's own
        return super().render_str(visible(text), **options)

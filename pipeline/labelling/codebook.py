"""Label definitions read from a Markdown codebook, shown beside each label on the annotation page.

A codebook (like ``corpus/sample/CODEBOOK.md``) defines each label under a heading of its own
name, ``### support``; the definition is the text up to the next heading, examples included.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import errors

_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*#*\s*$")
MAX_CHARS = 600  # a definition longer than this is cut at a sentence end: the page shows it whole


def read_codebook(path: str | Path) -> dict[str, str]:
    """Label -> definition for every heading of ``path`` whose text looks like a label id.

    Raises:
        InputError: When the file cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise errors.InputError.of(errors.CODEBOOK_UNREADABLE, path=path, detail=exc.strerror) from None
    return parse_codebook(text)


def parse_codebook(text: str) -> dict[str, str]:
    """Label -> definition from Markdown text (see the module docstring)."""
    definitions: dict[str, str] = {}
    name: str | None = None
    body: list[str] = []

    def close() -> None:
        if name is not None:
            definition = " ".join(" ".join(body).replace("*", "").replace("`", "").split())
            if definition:
                definitions.setdefault(name, _shorten(definition))

    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            close()
            title = match.group(2).strip().strip("`")
            # Label ids are one token (support, fairness_and_equality): prose headings are not labels.
            name = title.casefold() if re.fullmatch(r"[\w.-]+", title) else None
            body = []
        elif name is not None:
            body.append(line.strip())
    close()
    return definitions


def _shorten(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind(". ", 0, MAX_CHARS)
    return text[: cut + 1] if cut > 0 else text[:MAX_CHARS] + "..."


def definitions_for(codebook: dict[str, str], labels: list[str]) -> dict[str, str]:
    """The definition of each of ``labels`` (matched without regard to case), "" when missing."""
    return {label: codebook.get(label.casefold(), "") for label in labels}

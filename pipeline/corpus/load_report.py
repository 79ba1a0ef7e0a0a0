"""What a corpus load skipped or ignored (:class:`LoadReport`), and the one place an invalid
record either stops the load or is recorded there (``skip_invalid``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import errors
from .piece import Piece

__all__ = ["LoadReport"]


@dataclass
class LoadReport:
    """What a load skipped or ignored, and why; filled in while the pieces stream."""

    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    loaded: int = 0
    _ids: dict[str, str] = field(default_factory=dict, repr=False)

    def to_record(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        return {
            "loaded": self.loaded,
            "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
            "ignored": [{"path": p, "reason": r} for p, r in self.ignored],
        }


def _build(record, where, default_id, skip_invalid, report) -> Piece | None:
    try:
        return Piece.from_record(record, where=where, default_id=default_id)
    except errors.CorpusError as exc:
        _fail(exc, where, skip_invalid, report)
        return None


def _fail(reason: str | errors.CorpusError, where: str | None, skip_invalid: bool, report: LoadReport) -> None:
    """Raise ``reason`` located at ``where``, or with ``skip_invalid`` report it and go on."""
    error = reason if isinstance(reason, errors.CorpusError) else errors.CorpusError(reason)
    if not skip_invalid:
        raise error.at(where)
    report.skipped.append((where or "?", error.reason))

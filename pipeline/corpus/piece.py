"""The ``Piece``: one article, outlet snippet or social post, with its labels."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import errors

KINDS = ("article", "snippet", "post")
_STR_FIELDS = ("title", "source", "date", "url", "story", "target")
FIELDS = ("id", "text", *_STR_FIELDS, "kind", "labels", "meta", "offsets")


@dataclass
class Piece:
    """One unit of coverage that gets its own stance, frame and entities.

    Attributes:
        id: Unique within a corpus.
        text: The body text (required, must contain a word).
        title: Headline, if any.
        source: The outlet, or the person for a social post (not the platform).
        kind: ``article``, ``snippet`` or ``post``.
        date: ISO date (``YYYY-MM-DD``) when known.
        url: Where the piece was published.
        story: The event or story the piece covers; used to group evaluation.
        target: What stance is about, e.g. "police use of facial recognition".
        labels: Task name to gold label, e.g. ``{"stance": "oppose", "frame": "morality"}``.
        meta: Anything else; carried through to outputs untouched.
        offsets: ``(start, end)`` character offsets into the document it was split from.
        origin: ``file:line`` it was read from (not serialised).
    """

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    kind: str = "article"
    date: str | None = None
    url: str | None = None
    story: str | None = None
    target: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    offsets: tuple[int, int] | None = None
    origin: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_record(cls, record: Any, *, where: str | None = None, default_id: str | None = None) -> Piece:
        """Validate a JSON-like record and build a piece from it.

        Args:
            record: A mapping with at least ``text``; see the attributes for the other keys.
            where: ``file:line`` used in error messages.
            default_id: The id to use when the record has none.

        Raises:
            CorpusError: When a field is missing, unknown or of the wrong type.
        """
        if not isinstance(record, dict):
            raise errors.CorpusError.of(errors.NOT_OBJECT, found=type(record).__name__, where=where)
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            raise errors.CorpusError(
                errors.UNKNOWN_FIELD.format(fields=unknown, known=", ".join(FIELDS)), where=where
            )
        text = record.get("text")
        if text is None:
            raise errors.CorpusError(errors.MISSING_FIELD.format(field="text"), where=where)
        _check_type("text", text, str, "a string", where)
        if not any(ch.isalnum() for ch in text):
            raise errors.CorpusError.of(errors.EMPTY_TEXT, where=where)
        pid = record.get("id", default_id)
        if pid is None or pid == "":
            raise errors.CorpusError(errors.MISSING_FIELD.format(field="id"), where=where)
        if isinstance(pid, bool) or not isinstance(pid, (str, int)):
            raise errors.CorpusError(
                errors.WRONG_TYPE.format(field="id", expected="a string or integer",
                                         found=type(pid).__name__, value=pid), where=where)
        values: dict[str, Any] = {}
        for name in _STR_FIELDS:
            value = record.get(name)
            if value is not None:
                _check_type(name, value, str, "a string", where)
                value = value.strip() or None
            values[name] = value
        kind = record.get("kind") or "article"
        if kind not in KINDS:
            raise errors.CorpusError(errors.BAD_KIND.format(allowed=", ".join(KINDS), found=kind), where=where)
        labels = record.get("labels") or {}
        _check_type("labels", labels, dict, "an object of task -> label", where)
        clean_labels: dict[str, str] = {}
        for task, label in labels.items():
            if label is None or label == "":
                continue  # unlabelled for this task; counted as such by corpus stats
            if isinstance(label, bool) or not isinstance(label, (str, int)):
                raise errors.CorpusError(
                    errors.WRONG_TYPE.format(field=f"labels.{task}", expected="a string",
                                             found=type(label).__name__, value=label), where=where)
            clean_labels[str(task)] = str(label).strip()
        meta = record.get("meta") or {}
        _check_type("meta", meta, dict, "an object", where)
        offsets = record.get("offsets")
        if offsets is not None:
            if (not isinstance(offsets, (list, tuple)) or len(offsets) != 2
                    or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
                raise errors.CorpusError(
                    errors.WRONG_TYPE.format(field="offsets", expected="[start, end] integers",
                                             found=type(offsets).__name__, value=offsets), where=where)
            offsets = (offsets[0], offsets[1])
        return cls(id=str(pid), text=text, kind=kind, labels=clean_labels, meta=dict(meta),
                   offsets=offsets, origin=where, **values)

    def to_record(self) -> dict[str, Any]:
        """Return the piece as a JSON-ready dict, leaving out empty optional fields."""
        record = asdict(self)
        del record["origin"]
        if self.offsets is not None:
            record["offsets"] = list(self.offsets)
        return {k: v for k, v in record.items() if v not in (None, {}, [])}


def normalise_text(text: str) -> str:
    """Lower-case and collapse white space: the form under which two texts are duplicates."""
    return " ".join(text.split()).casefold()  # split() breaks where regex \s+ matches


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the normalised text: the identity used for duplicate detection."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _check_type(name: str, value: Any, kind: type, expected: str, where: str | None) -> None:
    if not isinstance(value, kind):
        raise errors.CorpusError(
            errors.WRONG_TYPE.format(field=name, expected=expected, found=type(value).__name__, value=value),
            where=where,
        )

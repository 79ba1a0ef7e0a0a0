"""The ``Entity`` record: one entity a piece mentions, with how the piece treats it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Labels of spaCy's English NER that are values, not entities: hidden unless asked for.
VALUE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
ENTITY_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                           "WORK_OF_ART", "LAW", "LANGUAGE"})
ALL_LABELS = VALUE_LABELS | ENTITY_LABELS


@dataclass
class Entity:
    """One entity mentioned in a piece, its mentions merged.

    Attributes:
        id: Stable identifier: a slug of the canonical name and label (``brad-smith/person``);
            :func:`~pipeline.entities.link.link_entities` makes it shared across pieces.
        text: Canonical name: the longest full form the piece uses ("Brad Smith").
        label: spaCy NER label (``PERSON``, ``ORG``, ``GPE``, ...).
        count: How many mentions were merged into it.
        mentions: ``(start_char, end_char)`` offsets into the doc text, in order.
        aliases: Other surface forms seen ("Smith", "ACLU"), sorted, without the canonical name.
        role: A title or role found beside the name ("senator", "chief executive").
        quoted: True when the piece quotes the entity (said, told, according to, quotes).
        stance: ``positive``, ``neutral`` or ``negative`` toward it, once stance is attached.
        stance_proba: Label -> probability behind ``stance``.
        kind: ``mentioned`` (named in the text) or ``author`` (the piece's author, from its
            header: a post's "Sen. X on Twitter"); an author not named in the text has no
            mentions and a count of 0.
    """

    id: str
    text: str
    label: str
    count: int = 0
    mentions: list[tuple[int, int]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    quoted: bool = False
    stance: str | None = None
    stance_proba: dict[str, float] | None = None
    kind: str = "mentioned"

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Entity:
        """Rebuild an entity from :meth:`to_record` output (e.g. read back from JSON)."""
        return cls(id=record["id"], text=record["text"], label=record["label"],
                   count=record.get("count", 0), mentions=[(s, e) for s, e in record.get("mentions", [])],
                   aliases=list(record.get("aliases", [])), role=record.get("role"),
                   quoted=bool(record.get("quoted")), stance=record.get("stance"),
                   stance_proba=record.get("stance_proba"), kind=record.get("kind", "mentioned"))

    def to_record(self) -> dict[str, Any]:
        """Return the entity as a JSON-ready dict (offsets as lists, probabilities rounded)."""
        return {
            "id": self.id,
            "text": self.text,
            "label": self.label,
            "count": self.count,
            "mentions": [[s, e] for s, e in self.mentions],
            "aliases": list(self.aliases),
            "role": self.role,
            "quoted": self.quoted,
            "stance": self.stance,
            "stance_proba": (None if self.stance_proba is None
                             else {k: round(float(v), 4) for k, v in self.stance_proba.items()}),
            "kind": self.kind,
        }


_TEXT_KEY = "framing.text"


def doc_text(doc: Any) -> str:
    """``doc.text``, built once per doc: spaCy rebuilds it from every token on each access,
    which made entity extraction quadratic in the length of an article."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text

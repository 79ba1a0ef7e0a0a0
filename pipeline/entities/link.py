"""Linking entities across the pieces of a story or corpus: one stable id per entity.

Entities of different pieces are the same when their names are (same name key and label),
when one piece's alias is another's name ("ACLU" given beside "American Civil Liberties
Union"), when a lone surname matches exactly one full name ("Markey" -> "Ed Markey"), or
when an acronym spells exactly one long name. The id is a slug of the cluster's fullest
name and its label ("person:ed-markey"), so it does not depend on the order of the pieces.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .known_types import correct_types
from .merge import _ACRONYM_LABELS, _SURNAME_LABELS
from .names import acronym_candidates, as_acronym, entity_id, name_key, surname_key
from .types import Entity


@dataclass
class LinkedEntity:
    """One entity across pieces.

    Attributes:
        id: Stable id, also written into every member :class:`Entity`.
        text: Canonical name: the fullest form any piece uses.
        label: NER label.
        aliases: Every other form seen, sorted.
        count: Mentions over all pieces.
        pieces: Indexes (into ``per_piece``) of the pieces that mention it.
        quoted_in: Indexes of the pieces that quote it.
        stance_by_piece: Piece index -> stance toward it, where stance was attached.
    """

    id: str
    text: str
    label: str
    aliases: list[str] = field(default_factory=list)
    count: int = 0
    pieces: list[int] = field(default_factory=list)
    quoted_in: list[int] = field(default_factory=list)
    stance_by_piece: dict[int, str] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """Return a JSON-ready dict (piece indexes as given; stance keys as strings)."""
        return {"id": self.id, "text": self.text, "label": self.label,
                "aliases": list(self.aliases), "count": self.count, "pieces": list(self.pieces),
                "quoted_in": list(self.quoted_in),
                "stance_by_piece": {str(k): v for k, v in self.stance_by_piece.items()}}


class _Clusters:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for a in range(len(self.parent)):
            out.setdefault(self.find(a), []).append(a)
        return out


def link_entities(per_piece: list[list[Entity]], *, vote_types: bool = True) -> list[LinkedEntity]:
    """Give every entity one id across pieces, and summarise who is mentioned where.

    Args:
        per_piece: The entities of each piece (e.g. from
            :func:`~pipeline.entities.extract.extract_entities`), in piece order.
        vote_types: First give each name its majority type over all pieces
            (:func:`~pipeline.entities.known_types.correct_types`), so that "Leeds" typed a
            place in one piece and an organisation in three is one entity. The pieces'
            entities of one name and type are merged, in place.

    Returns:
        One :class:`LinkedEntity` per entity, most widely mentioned first. Each input
        entity's ``id`` is set, in place, to the id of its linked entity.
    """
    if vote_types:
        correct_types(per_piece)
    flat = [(p, e) for p, entities in enumerate(per_piece) for e in entities]
    clusters = _Clusters(len(flat))
    by_name: dict[tuple[str, str], int] = {}
    for a, (_, e) in enumerate(flat):
        for key in _strong_keys(e):
            b = by_name.setdefault((key, e.label), a)
            clusters.union(a, b)
    _link_by_rule(flat, clusters, _surname_of, _SURNAME_LABELS)
    _link_by_rule(flat, clusters, _acronym_of, _ACRONYM_LABELS)
    groups = list(clusters.groups().values())
    linked = [_summarise([flat[a] for a in members]) for members in groups]
    seen: Counter[str] = Counter()
    for item in sorted(linked, key=lambda x: (-len(x.pieces), -x.count, x.id)):
        seen[item.id] += 1
        if seen[item.id] > 1:
            item.id = f"{item.id}-{seen[item.id]}"
    for item, members in zip(linked, groups):
        for a in members:
            flat[a][1].id = item.id
    return sorted(linked, key=lambda x: (-len(x.pieces), -x.count, x.id))


def _strong_keys(e: Entity) -> set[str]:
    """Keys that name the entity on their own: its name, and aliases that are full names or
    acronyms (a bare surname alias could belong to anyone)."""
    keys = {name_key(e.text)}
    for alias in e.aliases:
        if as_acronym(alias) or len(name_key(alias).split()) >= 2:
            keys.add(name_key(alias))
    return keys - {""}


def _surname_of(e: Entity) -> set[str]:
    key = name_key(e.text)
    return {surname_key(key), key} if e.label == "PERSON" and len(key.split()) >= 2 else set()


def _acronym_of(e: Entity) -> set[str]:
    return acronym_candidates(e.text) if as_acronym(e.text) is None else set()


def _link_by_rule(flat: list[tuple[int, Entity]], clusters: _Clusters, long_keys: Any,
                  short_labels: frozenset[str]) -> None:
    """Link each short name to the one cluster whose long names yield it."""
    owners: dict[str, set[int]] = {}
    for a, (_, e) in enumerate(flat):
        for key in long_keys(e):
            owners.setdefault(key, set()).add(clusters.find(a))
    for a, (_, e) in enumerate(flat):
        if e.label not in short_labels or long_keys(e):
            continue
        short = as_acronym(e.text) if long_keys is _acronym_of else name_key(e.text)
        if not short:
            continue
        targets = {clusters.find(b) for b in owners.get(short, set())} - {clusters.find(a)}
        if len(targets) == 1:
            clusters.union(a, targets.pop())


def _summarise(members: list[tuple[int, Entity]]) -> LinkedEntity:
    pieces = Counter(p for p, _ in members)
    texts = Counter(e.text for _, e in members)
    text = max(texts, key=lambda t: (as_acronym(t) is None, len(name_key(t).split()), texts[t], t))
    labels = Counter(e.label for _, e in members if e.text == text)
    label = labels.most_common(1)[0][0]
    aliases = {t for _, e in members for t in (e.text, *e.aliases)} - {text}
    stance = {p: e.stance for p, e in members if e.stance is not None}
    return LinkedEntity(
        id=entity_id(text, label), text=text, label=label, aliases=sorted(aliases),
        count=sum(e.count for _, e in members), pieces=sorted(pieces),
        quoted_in=sorted({p for p, e in members if e.quoted}), stance_by_piece=stance)

"""The author of a piece as one of its entities: a post's "Sen. Ed Markey on Twitter".

The roundup reader puts the author's name alone in ``Piece.source`` and the title written
before it in ``meta["author_role"]`` (:func:`pipeline.corpus.roundup.split_roundup`).
:func:`add_author` lists that person among the piece's entities with kind ``author``: not a
mention (no offsets, no count) unless the text names them too, and quoted, since a post is
its author's own words.
"""

from __future__ import annotations

from .names import as_acronym, entity_id, name_key, split_title, surname_key
from .types import Entity


def add_author(entities: list[Entity], name: str | None, *, role: str | None = None) -> Entity | None:
    """Add (or mark) the author ``name`` among a piece's entities, in place.

    Args:
        entities: The piece's entities, e.g. from
            :func:`~pipeline.entities.extract.extract_entities`.
        name: The author as the header gives it ("Ed Markey"; a title in front is split off).
            A handle ("@jopark"), a name of one word or an acronym is not taken for a person.
        role: Their title or role, when the header gave one ("senator").

    Returns:
        The author's entity, or None when ``name`` is not a person's name.
    """
    if not name:
        return None
    name, title_role = split_title(name.strip())
    role = role or title_role
    key = name_key(name)
    if name.startswith("@") or len(key.split()) < 2 or as_acronym(name):
        return None
    for e in entities:
        same = name_key(e.text) == key or (e.label == "PERSON" and len(name_key(e.text).split()) == 1
                                             and name_key(e.text) == surname_key(key))
        if same and e.label in {"PERSON", "ORG"}:
            e.kind, e.label, e.quoted = "author", "PERSON", True
            if len(key.split()) > len(name_key(e.text).split()):
                e.aliases = sorted(set(e.aliases) | {e.text})
                e.text, e.id = name, entity_id(name, "PERSON")
            e.role = e.role or role
            return e
    author = Entity(id=entity_id(name, "PERSON"), text=name, label="PERSON", count=0, role=role,
                    quoted=True, kind="author")
    entities.insert(0, author)
    return author

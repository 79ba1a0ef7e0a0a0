"""Merging the cleaned mentions of one piece into entities.

Four links, in order: the same name key ("Amazon" / "Amazon's" / "AMAZON"); a person's
surname, or name without first name, to the one full name that ends with it ("Smith",
"Mr. Smith" -> "Brad Smith"); an acronym to the one long name whose initials it spells
("ACLU" -> "American Civil Liberties Union"); the start of an organisation's name to the one
full name it begins ("Northwind" -> "Northwind Energy"). A link is made only when it is unambiguous:
two full names ending in "Smith" leave "Smith" alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from .names import acronym_candidates, as_acronym, name_key, surname_key

# Labels a lone surname may carry when spaCy mislabels it ("Fauci" as ORG); places are left
# out on purpose: "Jordan" next to "Michael Jordan" may well be the country.
_SURNAME_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "FAC"})
_ACRONYM_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "LAW", "EVENT", "PRODUCT"})


@dataclass
class Mention:
    """One cleaned mention: its span in the doc text, surface form, label and role if any."""

    start: int
    end: int
    text: str
    label: str
    role: str | None = None


@dataclass
class Group:
    """Mentions found to be one entity."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The most common label of the canonical form's mentions, a person winning ties
        (spaCy mislabels a lone surname far more often than a full name)."""
        return self.label_of(self.canonical)

    def label_of(self, canonical: str) -> str:
        """:attr:`label`, given :attr:`canonical` already computed."""
        counts = Counter(m.label for m in self.mentions if m.text == canonical)
        best = max(counts.values())
        tied = [m.label for m in self.mentions if counts.get(m.label) == best]
        return "PERSON" if "PERSON" in tied else tied[0]

    @property
    def canonical(self) -> str:
        """The fullest form: most words, then an expansion over its acronym, then most used."""
        forms = Counter(m.text for m in self.mentions)
        first: dict[str, int] = {}
        for m in self.mentions:
            if m.text not in first or m.start < first[m.text]:
                first[m.text] = m.start
        return max(forms, key=lambda f: (as_acronym(f) is None, len(name_key(f).split()),
                                          forms[f], -first[f]))

    @property
    def role(self) -> str | None:
        """The most common role given beside the name, if any."""
        roles = Counter(m.role for m in self.mentions if m.role)
        return roles.most_common(1)[0][0] if roles else None


class _Named(NamedTuple):
    """A group with its canonical form, name key, key words and label, computed once per
    linking pass (groups only change between passes)."""

    group: Group
    canonical: str
    key: str
    words: list[str]
    label: str


def _named(groups: list[Group]) -> list[_Named]:
    out = []
    for g in groups:
        canonical = g.canonical
        key = name_key(canonical)
        out.append(_Named(g, canonical, key, key.split(), g.label_of(canonical)))
    return out


def merge_mentions(mentions: list[Mention]) -> list[Group]:
    """Group one piece's mentions into entities, ordered by first mention.

    Args:
        mentions: Cleaned mentions, in any order.

    Returns:
        Groups whose mentions are in text order.
    """
    by_key: dict[str, Group] = {}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        by_key.setdefault(name_key(m.text), Group()).mentions.append(m)
    groups = list(by_key.values())
    groups = _link_surnames(groups)
    groups = _link_acronyms(groups)
    groups = _link_short_org_names(groups)
    for g in groups:
        g.mentions.sort(key=lambda m: (m.start, m.end))
    return sorted(groups, key=lambda g: g.mentions[0].start)


def _absorb(groups: list[Group], pairs: list[tuple[Group, Group]]) -> list[Group]:
    gone = set()
    for short, full in pairs:
        full.mentions.extend(short.mentions)
        gone.add(id(short))
    return [g for g in groups if id(g) not in gone]


def _link_surnames(groups: list[Group]) -> list[Group]:
    named = _named(groups)
    full_names = [(f, surname_key(f.key)) for f in named if f.label == "PERSON" and len(f.words) >= 2]
    is_full = {id(f.group) for f, _ in full_names}
    pairs = []
    for g in named:
        if id(g.group) in is_full or not g.words or g.label not in _SURNAME_LABELS:
            continue
        matches = [f for f, surname in full_names if _ends_with(f.words, g.words) or surname == g.key]
        if len(matches) == 1:
            pairs.append((g.group, matches[0].group))
    return _absorb(groups, pairs)


def _ends_with(full: list[str], part: list[str]) -> bool:
    return len(part) < len(full) and full[-len(part):] == part


def _link_short_org_names(groups: list[Group]) -> list[Group]:
    """"Northwind" -> "Northwind Energy": the start of exactly one longer organisation name."""
    named = _named(groups)
    orgs = [f for f in named if f.label == "ORG" and len(f.words) >= 2]
    is_org = {id(f.group) for f in orgs}
    pairs = []
    for g in named:
        words = g.words
        if id(g.group) in is_org or not words or g.label not in _SURNAME_LABELS or as_acronym(g.canonical):
            continue
        matches = [f for f in orgs if f.words[:len(words)] == words]
        if len(matches) == 1:
            pairs.append((g.group, matches[0].group))
    return _absorb(groups, pairs)


def _link_acronyms(groups: list[Group]) -> list[Group]:
    named = _named(groups)
    # The initials each long name may be written as, for names that are not acronyms themselves.
    expansions = [(f, acronym_candidates(f.canonical)) for f in named
                  if f.label in _ACRONYM_LABELS and as_acronym(f.canonical) is None]
    pairs = []
    for g in named:
        letters = as_acronym(g.canonical)
        if letters is None:
            continue
        matches = [f for f, candidates in expansions if f.group is not g.group and letters in candidates]
        if len(matches) == 1:
            pairs.append((g.group, matches[0].group))
    return _absorb(groups, pairs)

"""Entities of one piece: spaCy's NER spans, cleaned of news-page noise, merged, attributed.

Clean-up, span by span: web tokens (URLs, e-mails, @handles, #hashtags) are never places or
people; "Jane Doe on Twitter" is cut before "on"; a platform (Twitter, X, Facebook, ...) is an
organisation, never a person; a verb glued to a name ("Follow Jane Doe") and a title glued
to it ("Massachusetts Sen. Ed Markey", "CEO Jane Doe") come off, the title kept as the
role; a leading "the", a possessive and edge punctuation come off. Then
:func:`~pipeline.entities.merge.merge_mentions` merges variants, surnames and acronyms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from .. import errors
from .attribution import is_quoted, pronoun_speakers
from .merge import Mention, merge_mentions
from .names import (ORG_SUFFIXES, PLATFORM_CUES, PLATFORMS, TITLE_SEQUENCES, TITLES, entity_id,
                    is_web_token, name_key, strip_edges)
from .recover import platform_context, recover_mentions
from .types import ALL_LABELS, VALUE_LABELS, Entity, doc_text

_GLUED_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "PRON", "SCONJ", "CCONJ", "INTJ", "PART", "DET"})
_PERSONAL = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Titles that make a span a person even when spaCy labelled it something else.
_PLACE_NOUNS = frozenset({"city", "town", "village", "county", "state", "province", "borough"})
_OWNERS = frozenset({"'s", "’s", "its", "their", "the", "our", "his", "her"})
_SURE_TITLES = frozenset({"ceo", "senator", "congressman", "congresswoman", "governor", "mayor"})


def extract_entities(doc: Doc, *, types: Iterable[str] | None = None) -> list[Entity]:
    """Return the entities a parsed doc mentions, cleaned, merged and attributed.

    Args:
        doc: A spaCy ``Doc`` processed with NER (a parse, when present, helps attribution).
        types: NER labels to keep. By default every label but the values (DATE, TIME,
            CARDINAL, ORDINAL, QUANTITY, PERCENT, MONEY).

    Returns:
        Entities in order of first mention, with ids unique within the piece.

    Raises:
        InputError: When the doc has no NER annotation, or ``types`` names unknown labels.
    """
    if not doc.has_annotation("ENT_IOB"):
        raise errors.InputError(errors.NO_NER)
    keep = _labels_to_keep(doc, types)
    mentions = [m for m in _clean_mentions(doc) if m.label in keep]
    mentions += recover_mentions(doc, mentions, keep)
    speakers = pronoun_speakers(doc)
    entities = []
    for group in merge_mentions(mentions):
        # A platform is where something was said, never who said it.
        quoted = (name_key(group.canonical) not in PLATFORMS
                  and any(is_quoted(doc, m.start, m.end) for m in group.mentions))
        entities.append(Entity(
            id=entity_id(group.canonical, group.label), text=group.canonical, label=group.label,
            count=len(group.mentions), mentions=[(m.start, m.end) for m in group.mentions],
            aliases=sorted({m.text for m in group.mentions} - {group.canonical}),
            role=group.role, quoted=quoted))
    _credit_pronoun_speakers(entities, speakers)
    _dedupe_ids(entities)
    return entities


def _labels_to_keep(doc: Doc, types: Iterable[str] | None) -> frozenset[str]:
    known = ALL_LABELS | {e.label_ for e in doc.ents}
    if types is None:
        return frozenset(known - VALUE_LABELS)
    wanted = frozenset(t.upper() for t in ([types] if isinstance(types, str) else types))
    unknown = sorted(wanted - known)
    if unknown:
        raise errors.InputError(errors.BAD_ENTITY_TYPES.format(found=unknown, known=", ".join(sorted(known))))
    return wanted


def _clean_mentions(doc: Doc) -> Iterator[Mention]:
    for ent in doc.ents:
        yield from _clean_span(doc, ent.start, ent.end, ent.label_)


def _clean_span(doc: Doc, i: int, j: int, label: str) -> Iterator[Mention]:
    if any(_is_web(doc, k) for k in range(i, j)):
        while i < j and (_is_web(doc, i) or doc[i].is_punct):
            i += 1
        while j > i and (_is_web(doc, j - 1) or doc[j - 1].is_punct):
            j -= 1
        if i == j or any(_is_web(doc, k) for k in range(i, j)):
            return
    # "Jane Doe on Twitter" tagged as one span: the platform is a separate organisation.
    for k in range(i + 1, j - 1):
        if doc[k].lower_ in PLATFORM_CUES and name_key(doc[k + 1:j].text) in PLATFORMS:
            yield from _clean_span(doc, k + 1, j, "ORG")
            j = k
            break
    label = _fix_label(doc, i, j, label)
    role = None
    if label in _PERSONAL and j - i > 1:
        i = _trim_glued(doc, i, j)
        i, role, is_person = _strip_title(doc, i, j, label)
        if is_person:
            label = "PERSON"
    if label in _PERSONAL and role is None:
        role = _title_before(doc, i) or _title_in_apposition(doc, j)
        if role and label != "PERSON":
            if all(t.text[:1].isupper() for t in doc[i:j]) and j - i <= 3:
                label = "PERSON"  # "CEO Jane Doe", "Smith, the chief executive," as ORG
            else:
                role = None
    start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    cut_left, cut_right = strip_edges(doc_text(doc)[start:end])
    start, end = start + cut_left, end - cut_right
    text = doc_text(doc)[start:end]
    if not any(ch.isalpha() for ch in text):
        return
    key = name_key(text)
    if key in PLATFORMS:
        if key == "x" and not platform_context(doc, i, j):
            return
        label = "ORG"
    elif len(key.replace(" ", "")) < 2:
        return
    yield Mention(start, end, text, label, role)


def _is_web(doc: Doc, k: int) -> bool:
    """A URL, e-mail, @handle or #hashtag token, also when the tokenizer split off "@"/"#"."""
    tok = doc[k]
    glued = tok.idx > 0 and doc_text(doc)[tok.idx - 1] in "@#"
    return glued or tok.like_url or tok.like_email or is_web_token(tok.text)


def _fix_label(doc: Doc, i: int, j: int, label: str) -> str:
    """Two common NER slips: a company taken for a person ("Atlas Pharma"), and a town for
    a person after "the city of"."""
    if label == "PERSON":
        if j - i > 1 and doc[j - 1].lower_ in {"'s", "’s"}:
            j -= 1
        if j - i > 1 and doc[j - 1].lower_.rstrip(".") in ORG_SUFFIXES:
            return "ORG"
        if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in _PLACE_NOUNS:
            return "GPE"
    return label


def _trim_glued(doc: Doc, i: int, j: int) -> int:
    """Drop a verb or function word spaCy glued before a name ("Follow Jane Doe")."""
    if not doc.has_annotation("POS"):
        return i
    while j - i > 1 and doc[i].pos_ in _GLUED_POS and doc[i].lower_ not in TITLES:
        i += 1
    return i


# Title sequences by their first word, longest first: only these can match at a token.
_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in TITLE_SEQUENCES:
    _TITLES_BY_FIRST.setdefault(_seq[0], []).append(_seq)


def _match_title(doc: Doc, k: int, j: int) -> tuple[int, str | None] | None:
    """The longest title starting at token ``k`` (before ``j``): (its length, role)."""
    for seq in _TITLES_BY_FIRST.get(doc[k].lower_, ()):
        n = len(seq)
        if k + n <= j and tuple(t.lower_ for t in doc[k:k + n]) == seq:
            return n, TITLES[" ".join(seq)]
    return None


def _strip_title(doc: Doc, i: int, j: int, label: str) -> tuple[int, str | None, bool]:
    """Strip qualifiers and a title glued to the front of a name: "Massachusetts Sen. Ed
    Markey" -> "Ed Markey", role "senator". Returns (new start, role, whether a title was
    found, which makes the span a person)."""
    role, found = None, False
    for k in range(i, min(j - 1, i + 4)):
        match = _match_title(doc, k, j - 1)
        if match is None:
            if not (doc[k].text[:1].isupper() or doc[k].lower_ in {"former", "the"}):
                break
            continue
        n, title_role = match
        if label != "PERSON" and not (doc[k + n - 1].text.endswith(".") or doc[k].lower_ in _SURE_TITLES):
            break  # "General Motors", "Justice Department": organisations, not titles
        # Words before the title must read as qualifiers ("Massachusetts", "former", "U.S.").
        if not all(t.text[:1].isupper() or t.lower_ in {"former", "the", "then"} for t in doc[i:k]):
            break
        found, i = True, k + n
        role = title_role or role
        while i < j - 1:  # "former President Joe Biden", "Rep. Sen."
            more = _match_title(doc, i, j - 1)
            if more is None:
                break
            role = more[1] or role
            i += more[0]
        break
    return i, role, found and doc[i].text[:1].isupper()


def _title_before(doc: Doc, i: int) -> str | None:
    """A title just before the span: "CEO Jane Doe", "Attorney General Merrick Garland",
    "its chief executive, Victor Lang"."""
    end = i
    if i >= 2 and doc[i - 1].text == ",":
        end = i - 1
    for n in (4, 3, 2, 1):
        k = end - n
        if k >= 0:
            match = _match_title(doc, k, end)
            if match is not None and match[0] == n and match[1]:
                # "its chief executive, X", "its football coach, X"
                if end == i or any(t.lower_ in _OWNERS for t in doc[max(0, k - 2):k]):
                    return match[1]
    return None


def _title_in_apposition(doc: Doc, j: int) -> str | None:
    """", the company's chief executive," right after the name."""
    if j >= len(doc) or doc[j].text != ",":
        return None
    for k in range(j + 1, min(len(doc), j + 7)):
        if doc[k].text in {",", ".", ";"}:
            return None
        match = _match_title(doc, k, len(doc))
        if match is not None and match[1]:
            after = k + match[0]
            if after >= len(doc) or doc[after].text in {",", ".", ";", "of", "at", "for"}:
                return match[1]
    return None


def _credit_pronoun_speakers(entities: list[Entity], speakers: list[int]) -> None:
    people = [(start, ent) for ent in entities if ent.label == "PERSON" for start, _ in ent.mentions]
    for offset in speakers:
        before = [(start, ent) for start, ent in people if start < offset]
        if before:
            max(before, key=lambda p: p[0])[1].quoted = True


def _dedupe_ids(entities: list[Entity]) -> None:
    seen: dict[str, int] = {}
    for e in entities:
        n = seen.get(e.id, 0)
        seen[e.id] = n + 1
        if n:
            e.id = f"{e.id}-{n + 1}"

"""Entities of one piece: spaCy's NER spans, cleaned of news-page noise, merged, attributed.

Clean-up, span by span: spaCy's spans are first cut where a name cannot run on and trimmed
of what cannot be its edge (:mod:`~pipeline.entities.spans`: line breaks, sentence ends,
brackets, numbers, trailing "and" / common nouns, "n’t"); a name cut in two at "and" is
joined again and "Black and Brown people" is no organisation
(:mod:`~pipeline.entities.coordination`); an office glued to its holder's name gives the
holder (:mod:`~pipeline.entities.offices`); names on all-capitals lines (headlines,
datelines) must be confirmed by the piece's ordinary text. Then: web tokens (URLs, e-mails, @handles, #hashtags) are never places or
people; "Jane Doe on Twitter" is cut before "on"; a platform (Twitter, X, Facebook, ...) is an
organisation, never a person; a verb glued to a name ("Follow Jane Doe") and a title glued
to it ("Massachusetts Sen. Ed Markey", "CEO Jane Doe") come off, the title kept as the
role; a leading "the", a possessive and edge punctuation come off. Then
:func:`~pipeline.entities.merge.merge_mentions` merges variants, surnames and acronyms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from .. import errors
from .attribution import is_quoted, person_gender, pronoun_speakers
from .coordination import is_modifier_pair, rejoin_coordinated
from .merge import Mention, merge_mentions
from .names import (
    ORG_SUFFIXES,
    PLATFORM_CUES,
    PLATFORMS,
    TITLES,
    entity_id,
    is_web_token,
    name_key,
    strip_edges,
)
from .offices import split_office
from .recover import platform_context, recover_mentions
from .spans import caps_lines, in_ranges, is_cased, split_span
from .titles import _strip_title, _title_before, _title_in_apposition
from .tokens import DocTokens, doc_tokens
from .types import ALL_LABELS, VALUE_LABELS, Entity

_GLUED_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "PRON", "SCONJ", "CCONJ", "INTJ", "PART", "DET"})
_PERSONAL = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PLACE_NOUNS = frozenset({"city", "town", "village", "county", "state", "province", "borough"})
_DESCRIPTION = re.compile(r"\b[Tt]he (company|firm|group|organi[sz]ation|agency|startup|coalition|"
                          r"nonprofit|charity|union|campaign|retailer|bank|network|newspaper)\b")


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
    tokens = doc_tokens(doc)
    cased = is_cased(tokens)
    mentions = [m for m in _clean_mentions(doc, tokens, cased) if m.label in keep]
    mentions = [m for m in mentions if not is_modifier_pair(tokens.text, m)]
    caps = _caps_lines(tokens, cased)
    if caps:
        mentions = _confirmed_in_caps(mentions, caps)
    mentions += recover_mentions(doc, mentions, keep, tokens=tokens, caps=caps)
    speakers = pronoun_speakers(doc, tokens=tokens)
    entities = []
    for group in merge_mentions(mentions):
        canonical = group.canonical
        label = group.label_of(canonical)
        # A platform is where something was said, never who said it.
        quoted = (name_key(canonical) not in PLATFORMS
                  and any(is_quoted(doc, m.start, m.end, tokens=tokens) for m in group.mentions))
        entities.append(Entity(
            id=entity_id(canonical, label), text=canonical, label=label,
            count=len(group.mentions), mentions=[(m.start, m.end) for m in group.mentions],
            aliases=sorted({m.text for m in group.mentions} - {canonical}),
            role=group.role, quoted=quoted))
    _credit_pronoun_speakers(entities, speakers, tokens.text)
    _credit_descriptions(doc, entities, tokens)
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


def _caps_lines(t: DocTokens, cased: bool) -> list[tuple[int, int]]:
    """The all-capitals lines of a piece whose other lines are in ordinary case."""
    if not cased:
        return []
    caps = caps_lines(t.text)
    return caps if sum(b - a for a, b in caps) < 0.5 * len(t.text) else []


def _confirmed_in_caps(mentions: list[Mention], caps: list[tuple[int, int]]) -> list[Mention]:
    """A name in an all-capitals line is kept only when the piece also names it in ordinary
    case: there spaCy finds mostly capitalised common words ("SOCCER", "CLUB FINED")."""
    outside = {name_key(m.text) for m in mentions if not in_ranges(caps, m.start)}
    return [m for m in mentions if not in_ranges(caps, m.start) or name_key(m.text) in outside]


def _clean_mentions(doc: Doc, t: DocTokens, cased: bool) -> Iterator[Mention]:
    for start, end, label in rejoin_coordinated(t, [(e.start, e.end, e.label_) for e in doc.ents]):
        for i, j in split_span(t, start, end, label, cased=cased):
            yield from _clean_span(doc, t, i, j, label)


def _clean_span(doc: Doc, t: DocTokens, i: int, j: int, label: str) -> Iterator[Mention]:
    if any(_is_web(t, k) for k in range(i, j)):
        while i < j and (_is_web(t, i) or t.is_punct[i]):
            i += 1
        while j > i and (_is_web(t, j - 1) or t.is_punct[j - 1]):
            j -= 1
        if i == j or any(_is_web(t, k) for k in range(i, j)):
            return
    # "Jane Doe on Twitter" tagged as one span: the platform is a separate organisation.
    for k in range(i + 1, j - 1):
        if t.lower[k] in PLATFORM_CUES and name_key(t.span_text(k + 1, j)) in PLATFORMS:
            yield from _clean_span(doc, t, k + 1, j, "ORG")
            j = k
            break
    label = _fix_label(t, i, j, label)
    role = None
    office = split_office(t, i, j, label)
    if office is not None:  # "Director of National Intelligence Richard Grenell"
        i, role = office
        label = "PERSON"
    if label in _PERSONAL and j - i > 1 and office is None:
        i = _trim_glued(t, i, j)
        i, role, is_person = _strip_title(t, i, j, label)
        if is_person:
            label = "PERSON"
    if label in _PERSONAL and role is None:
        role = _title_before(t, i) or _title_in_apposition(t, j)
        if role and label != "PERSON":
            if all(w[:1].isupper() for w in t.words[i:j]) and j - i <= 3:
                label = "PERSON"  # "CEO Jane Doe", "Smith, the chief executive," as ORG
            else:
                role = None
    start, end = t.idx[i], t.idx[j - 1] + len(t.words[j - 1])
    cut_left, cut_right = strip_edges(t.text[start:end])
    start, end = start + cut_left, end - cut_right
    text = t.text[start:end]
    if not any(ch.isalpha() for ch in text):
        return
    key = name_key(text)
    if key in PLATFORMS:
        if key == "x" and not platform_context(doc, i, j, tokens=t):
            return
        label = "ORG"
    elif len(key.replace(" ", "")) < 2:
        return
    yield Mention(start, end, text, label, role)


def _is_web(t: DocTokens, k: int) -> bool:
    """A URL, e-mail, @handle or #hashtag token, also when the tokenizer split off "@"/"#"."""
    glued = t.idx[k] > 0 and t.text[t.idx[k] - 1] in "@#"
    return glued or t.is_web[k] or is_web_token(t.words[k])


def _fix_label(t: DocTokens, i: int, j: int, label: str) -> str:
    """Two common NER slips: a company taken for a person ("Atlas Pharma"), and a town for
    a person after "the city of"."""
    if label == "PERSON":
        if j - i > 1 and t.lower[j - 1] in {"'s", "’s"}:
            j -= 1
        if j - i > 1 and t.lower[j - 1].rstrip(".") in ORG_SUFFIXES:
            return "ORG"
        if i >= 2 and t.lower[i - 1] == "of" and t.lower[i - 2] in _PLACE_NOUNS:
            return "GPE"
    return label


def _trim_glued(t: DocTokens, i: int, j: int) -> int:
    """Drop a verb or function word spaCy glued before a name ("Follow Jane Doe")."""
    if t.pos is None:
        return i
    while j - i > 1 and t.pos[i] in _GLUED_POS and t.lower[i] not in TITLES:
        i += 1
    return i


def _credit_pronoun_speakers(entities: list[Entity], speakers: list[int], text: str) -> None:
    """Credit each "“...,” she said" to the last person named before it whose gender the
    piece gives ("Mrs.", "Councilwoman") as the pronoun's, else to the last one whose gender
    it does not give."""
    people = [(start, ent, person_gender(text, start)) for ent in entities if ent.label == "PERSON"
              for start, _ in ent.mentions]
    for offset in speakers:
        pronoun = "f" if text[offset:offset + 3].lower() == "she" else "m"
        before = ([(start, ent) for start, ent, gender in people if start < offset and gender == pronoun]
                  or [(start, ent) for start, ent, gender in people if start < offset and gender is None])
        if before:
            max(before, key=lambda p: p[0])[1].quoted = True


def _credit_descriptions(doc: Doc, entities: list[Entity], t: DocTokens) -> None:
    """"The company said", "the group wrote": credit the last organisation named before it."""
    orgs = [(start, ent) for ent in entities if ent.label == "ORG" for start, _ in ent.mentions]
    if not orgs:
        return
    for hit in _DESCRIPTION.finditer(t.text):
        before = [(start, ent) for start, ent in orgs if start < hit.start()]
        if before and is_quoted(doc, hit.start(1), hit.end(1), tokens=t):
            max(before, key=lambda p: p[0])[1].quoted = True


def _dedupe_ids(entities: list[Entity]) -> None:
    seen: dict[str, int] = {}
    for e in entities:
        n = seen.get(e.id, 0)
        seen[e.id] = n + 1
        if n:
            e.id = f"{e.id}-{n + 1}"

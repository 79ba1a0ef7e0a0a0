"""Name tables and string helpers: titles and roles, platforms, keys, acronyms, slugs.

Everything here works on plain strings, so that extraction (one piece) and linking (many
pieces) compare names the same way.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..lexicon import EMAIL_TOKEN as _EMAIL
from ..lexicon import PLATFORMS  # noqa: F401  (read from here by extract, recover, attribution)
from ..lexicon import URL_TOKEN as _URL

# Title or role (as written, lower-cased, dots kept) -> the role recorded. None: an honorific
# that is stripped from the name but says nothing about the role.
TITLES: dict[str, str | None] = {
    "mr.": None, "mr": None, "mrs.": None, "mrs": None, "ms.": None, "ms": None, "mx.": None,
    "sir": None, "dame": None, "lady": None, "lord": None,
    "dr.": "doctor", "dr": "doctor", "prof.": "professor", "professor": "professor",
    "sen.": "senator", "senator": "senator", "rep.": "representative",
    "representative": "representative", "congressman": "representative",
    "congresswoman": "representative", "gov.": "governor", "governor": "governor",
    "lt. gov.": "lieutenant governor", "lieutenant governor": "lieutenant governor",
    "president": "president", "pres.": "president", "vice president": "vice president",
    "vice-president": "vice president", "prime minister": "prime minister", "pm": "prime minister",
    "premier": "premier", "chancellor": "chancellor", "minister": "minister",
    "secretary": "secretary", "secretary of state": "secretary of state",
    "attorney general": "attorney general", "atty. gen.": "attorney general",
    "deputy attorney general": "deputy attorney general", "ag": "attorney general",
    "mayor": "mayor", "judge": "judge", "justice": "justice", "chief justice": "chief justice",
    "speaker": "speaker", "sheriff": "sheriff", "commissioner": "commissioner",
    "chairman": "chair", "chairwoman": "chair", "chair": "chair", "chairperson": "chair",
    "ceo": "chief executive", "chief executive": "chief executive",
    "chief executive officer": "chief executive", "cfo": "chief financial officer",
    "coo": "chief operating officer", "cto": "chief technology officer",
    "founder": "founder", "co-founder": "founder", "director": "director",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "gen.": "general", "general": "general", "col.": "colonel", "lt.": "lieutenant",
    "sgt.": "sergeant", "adm.": "admiral", "capt.": "captain", "officer": "officer",
    "rev.": "reverend", "pope": "pope", "king": "king", "queen": "queen", "prince": "prince",
    "princess": "princess", "ambassador": "ambassador", "councilman": "council member",
    "councilwoman": "council member", "councilmember": "council member",
    "detective": "detective", "chief": "chief", "coach": "coach", "anchor": "anchor",
    "former": None, "then-president": "president", "ex-president": "president",
}
# Longest first, so that "chief executive officer" wins over "chief".
TITLE_SEQUENCES = sorted((tuple(t.split()) for t in TITLES), key=len, reverse=True)
NAME_SUFFIXES = frozenset({"jr.", "jr", "sr.", "sr", "ii", "iii", "iv", "phd", "md", "esq."})
_SUFFIX_WORDS = frozenset(s.rstrip(".") for s in NAME_SUFFIXES)

# Last words that make a name an organisation, whatever spaCy said ("Atlas Pharma").
ORG_SUFFIXES = frozenset({
    "inc", "corp", "co", "llc", "ltd", "plc", "group", "pharma", "pharmaceuticals", "bank",
    "capital", "foods", "energy", "motors", "airlines", "holdings", "technologies", "media",
    "university", "institute", "foundation", "association", "council", "committee", "agency",
    "department", "ministry", "party", "union", "coalition", "partners", "systems", "labs",
    "industries", "mining", "insurance", "news", "times", "post", "press", "network", "fund",
})

PLATFORM_CUES = frozenset({"on", "via", "to", "onto", "from", "across"})

_EDGE = "\"'“”‘’«»()[]{}<>,.;:!?*–—-_/\\|"
_STOP_INITIALS = frozenset({"of", "the", "and", "for", "&", "in", "on", "at", "to", "a", "an", "de"})


def is_web_token(text: str) -> bool:
    """True for a URL, an e-mail address, an @handle or a #hashtag."""
    return bool(text) and (text[0] in "@#" or bool(_URL.search(text)) or bool(_EMAIL.match(text)))


def strip_edges(text: str) -> tuple[int, int]:
    """Return ``(left, right)``: how many characters of edge punctuation, a leading "the"
    and a trailing possessive to cut from ``text``. A final dot is kept after an
    abbreviation ("U.S.", "Inc.")."""
    lo, hi = 0, len(text)
    while True:
        before = (lo, hi)
        while lo < hi and (text[lo].isspace() or text[lo] in _EDGE):
            lo += 1
        if text[lo:lo + 4].lower() == "the " and hi - lo > 4:
            lo += 4
        for poss in ("'s", "’s", "'", "’"):
            if text[lo:hi].endswith(poss) and hi - len(poss) > lo:
                hi -= len(poss)
                break
        while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in _EDGE):
            if text[hi - 1] == "." and _is_abbreviation(text[lo:hi]):
                break
            hi -= 1
        if (lo, hi) == before:
            return lo, len(text) - hi


def _is_abbreviation(text: str) -> bool:
    last = text.split()[-1] if text.split() else ""
    return bool(re.fullmatch(r"(?:[A-Za-z]\.){2,}|(?:Inc|Co|Corp|Ltd|Jr|Sr|St)\.", last))


# Merging compares every group's key with every other's: the same few hundred strings are keyed
# over and over, so the keys are remembered (a pure function of the string; bounded memory).
@functools.lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """The form under which two surface forms are the same name: case, dots, possessives,
    punctuation, accents and middle initials ignored ("Rod J. Rosenstein's" -> "rod rosenstein")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’]s\b", "", text).replace(".", "")
    words = re.sub(r"[^\w&]+", " ", text).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    if len(words) > 2:  # drop middle initials
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return " ".join(words)


def surname_key(key: str) -> str:
    """The last word of a name key, skipping suffixes ("martin luther king jr" -> "king")."""
    words = [w for w in key.split() if w not in _SUFFIX_WORDS]
    return words[-1] if words else key


def acronym_candidates(text: str) -> set[str]:
    """Acronyms a long name may be written as: initials of all words and of content words
    ("Department of Justice" -> {"DOJ", "DJ"})."""
    words = [w for w in re.split(r"[\s\-]+", text) if w and w[0].isalnum()]
    if words and words[0].lower() == "the":
        words = words[1:]
    if len(words) < 2:
        return set()
    every = "".join(w[0] for w in words).upper()
    content = "".join(w[0] for w in words if w.lower() not in _STOP_INITIALS).upper()
    return {every, content} - {""}


def as_acronym(text: str) -> str | None:
    """The letters of ``text`` when it is written as an acronym ("ACLU", "U.S."), else None."""
    letters = text.replace(".", "").replace("&", "")
    if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper():
        return letters
    return None


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Ocasio-Cortez, Alexandria" -> "ocasio-cortez-alexandria")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ").replace(".", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "entity"


def entity_id(text: str, label: str) -> str:
    """The id of an entity named ``text`` with NER label ``label`` ("person:brad-smith")."""
    return f"{label.lower()}:{slugify(name_key(text) or text)}"


def split_title(name: str) -> tuple[str, str | None]:
    """Split a title or role written before a name: ``"Sen. Ed Markey"`` -> ``("Ed Markey",
    "senator")``, ``"Councilwoman Ada Fox"`` -> ``("Ada Fox", "council member")``. A name
    without one comes back as it is, with role None; so does a title with no name after it.
    """
    words = name.split()
    lower = [w.lower() for w in words]
    k, role = 0, None
    while k < len(words) - 1:
        for seq in TITLE_SEQUENCES:
            n = len(seq)
            if k + n < len(words) and tuple(lower[k:k + n]) == seq:
                role = TITLES[" ".join(seq)] or role
                k += n
                break
        else:
            break
    rest = " ".join(words[k:])
    if not k or not rest[:1].isupper():
        return name, None
    return rest, role

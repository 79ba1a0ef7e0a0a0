"""Names joined by "and": one name spaCy cut in two, and two capitalised words that are no name.

- "the International Center for Missing and Exploited Children" comes out of spaCy's small
  model as "International Center for Missing" and "Exploited Children": a name with a
  prepositional part ("for", "of") followed by "and" and more capitalised words is one name,
  unless the piece names either half on its own elsewhere ("the Bank of America and Wells
  Fargo ... Wells Fargo said").
- "Black and Brown people", "Democratic and Republican voters": two single capitalised words
  joined by "and" / "or" and followed by a lower-case word describe that word; they are not
  an organisation.
"""

from __future__ import annotations

import re
from collections import Counter

from .merge import Mention
from .names import name_key
from .tokens import DocTokens

_JOINERS = frozenset({"and", "&"})
_INNER = frozenset({"for", "of"})
# Lower-case words after "X and Y" that make it the subject, not a modifier ("Marks and
# Spencer said", "Procter and Gamble has").
_AFTER_NAME = frozenset(
    "said says say told wrote added is are was were has have had will would could can may "
    "might must should did does do declined announced and or but to in on at for of with by "
    "from as that which who also".split())
_PAIR = re.compile(r"^([A-Z][\w'’.-]*) (?:and|or|&) ([A-Z][\w'’.-]*)$")


def rejoin_coordinated(t: DocTokens, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join "Name for X" + "and" + "Y Z" into one span (see the module docstring). Done on
    spaCy's spans before clean-up, which would otherwise take "Exploited" for a glued verb.

    Args:
        t: The doc's tokens.
        spans: NER spans as ``(first token, end token, label)``, in text order.

    Returns:
        The spans in text order, pairs joined.
    """
    keys = Counter(name_key(t.span_text(i, j)) for i, j, _ in spans)
    out: list[tuple[int, int, str]] = []
    k = 0
    while k < len(spans):
        i, j, label = spans[k]
        if k + 1 < len(spans):
            i2, j2, _ = spans[k + 1]
            if (i2 == j + 1 and t.lower[j] in _JOINERS and t.words[i2][:1].isupper()
                    and any(w in _INNER for w in t.lower[i + 1:j - 1])
                    and keys[name_key(t.span_text(i, j))] == 1 and keys[name_key(t.span_text(i2, j2))] == 1):
                out.append((i, j2, label))
                k += 2
                continue
        out.append((i, j, label))
        k += 1
    return out


def is_modifier_pair(text: str, m: Mention) -> bool:
    """Whether ``m`` is "Black and Brown" in "Black and Brown people": two capitalised words
    joined by "and" / "or", then a lower-case word that is not a verb or a function word."""
    if m.label == "PERSON" or not _PAIR.match(m.text):
        return False
    after = re.match(r"\s+([a-z][a-z'’-]*)", text[m.end:m.end + 40])
    return bool(after) and after.group(1) not in _AFTER_NAME

"""A sentiment lexicon for target-dependent features: VADER's word valences.

The VADER lexicon (MIT licence) ships as a data file inside the ``vaderSentiment`` package;
only that file is read, not VADER's rule engine. Valences range from -4 to +4; words are
looked up as written, then with a few English inflections stripped, so that "slams" and
"slammed" find "slam".
"""

from __future__ import annotations

import functools
from importlib import resources

from . import errors

# Why a short list of our own: VADER's NEGATE list is mostly contractions without apostrophes.
NEGATORS = frozenset(
    "not no never none nobody nothing neither nor without n't cannot cant dont doesnt didnt "
    "isnt wasnt arent werent wont wouldnt shouldnt couldnt hasnt havent hadnt lack lacks lacked "
    "fail fails failed refuse refused refuses deny denied denies".split()
)
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
             ("d", ""), ("es", ""), ("s", ""), ("ly", ""), ("er", ""), ("est", ""))


@functools.lru_cache(maxsize=1)
def vader_lexicon() -> dict[str, float]:
    """Return VADER's word -> valence table (about 7,500 entries).

    Raises:
        ModelError: When the ``vaderSentiment`` package is not installed.
    """
    try:
        text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(
            encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise errors.ModelError(errors.NO_LEXICON.format(detail=exc)) from exc
    table: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] and not parts[0][0].isdigit():
            try:
                table[parts[0].lower()] = float(parts[1])
            except ValueError:
                continue
    return table


@functools.lru_cache(maxsize=200_000)
def valence(word: str) -> float:
    """Return the valence of a lower-cased word, 0.0 when the lexicon does not know it."""
    table = vader_lexicon()
    if word in table:
        return table[word]
    if len(word) > 4:
        for suffix, repl in _SUFFIXES:
            if word.endswith(suffix):
                stem = word[: -len(suffix)] + repl
                if stem in table:
                    return table[stem]
                # "slammed" -> "slamm" -> "slam"
                if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in table:
                    return table[stem[:-1]]
    return 0.0

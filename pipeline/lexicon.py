"""Every word list and pattern that more than one part of the package reads, in one place.

Quote marks, speech verbs, negators, social platforms and URL patterns, and the sentiment
lexicon (VADER's word valences). Where two parts need different contents (a feature block that
a saved model was trained on, say), both lists are here, side by side, each saying who reads it
and why it differs.

The VADER lexicon (MIT licence) ships as a data file inside the ``vaderSentiment`` package;
only that file is read, not VADER's rule engine. Valences range from -4 to +4; words are
looked up as written, then with a few English inflections stripped, so that "slams" and
"slammed" find "slam".
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from . import errors

# Double quotation marks, straight and typographic, and guillemets: what opens or closes a quote.
QUOTE_MARKS = frozenset('"“”«»')

# Forms a speaker comes before ("Smith said") or after ("said Smith"): who said what
# (entities.attribution).
SPEECH_VERBS = frozenset(
    "said says say saying told tells tell wrote writes write added adds argued argues claimed "
    "claims stated states noted notes insisted insists tweeted tweets posted posts explained "
    "explains warned warns responded responds replied replies announced announces acknowledged "
    "acknowledges admitted admits testified testifies declared declares confirmed confirms "
    "denied denies complained complains suggested suggests asked asks "
    "predicted predicts answered answers countered counters cautioned "
    "cautions conceded concedes".split()
)
SPEECH_LEMMAS = frozenset(
    "say tell write add argue claim state note insist tweet post explain warn respond reply "
    "announce acknowledge admit testify declare confirm deny complain suggest ask "
    "predict answer counter caution concede".split()
)
# Speech cues beside a target mention, as the entity-stance features read them (features.mention):
# the commoner speech verbs plus "according". Kept as trained: widening it to SPEECH_VERBS
# changes those features, and saved entity-stance models would have to be retrained.
MENTION_SPEECH = frozenset(
    "said says say saying told tells wrote writes write added adds argued argues claimed claims "
    "stated states noted notes insisted insists tweeted tweets according asked asks explained "
    "explains warned warns responded responds replied replies".split()
)
# Negation inside a claim or headline (features.relation): the plain negators only. NEGATORS
# (below, for sentiment) adds verbs of failing and refusing and contractions without apostrophes.
NEGATION = frozenset("not n't no never nothing nobody none neither nor without".split())

# Social platforms, lower case: never a speaker or an organisation named in "on X", "via Threads".
PLATFORMS = frozenset({
    "twitter", "x", "facebook", "instagram", "youtube", "tiktok", "linkedin", "reddit",
    "snapchat", "whatsapp", "telegram", "threads", "bluesky", "mastodon", "truth social",
    "substack", "medium", "twitch", "pinterest", "tumblr", "weibo", "wechat", "discord",
    "signal", "parler", "gab", "rumble", "spotify",
})
# The platforms a roundup line names a post on ("Jo Bloggs, on Bluesky: ..."), with how they are
# written (corpus.roundup). Fewer than PLATFORMS: "via Signal" or "on Medium" in a roundup is more
# often a word than a post.
POST_PLATFORMS = {"twitter": "Twitter", "x": "X", "facebook": "Facebook", "instagram": "Instagram",
                  "bluesky": "Bluesky", "threads": "Threads", "mastodon": "Mastodon", "linkedin": "LinkedIn",
                  "tiktok": "TikTok", "youtube": "YouTube", "reddit": "Reddit", "truth social": "Truth Social"}

# URLs, e-mail addresses and handles inside running text, masked in the word features
# (features.samples; part of FEATURES_VERSION: changing them changes every model's input).
URL_IN_TEXT = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|gov|edu|co\.uk)(?:/\S*)?", re.I)
EMAIL_IN_TEXT = re.compile(r"\S+@\S+\.\w+")
HANDLE_IN_TEXT = re.compile(r"(?<!\w)@\w+")
# Cheap test for anything URL_IN_TEXT could match: most texts have no URL, and it is slow to rule out.
MAYBE_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|gov|edu|co\.uk)", re.I)
# Cheaper still: plain substring tests on the lower-cased text, true wherever MAYBE_URL matches
# (a third of the time MAYBE_URL took on AllSides articles).
URL_MARKERS = ("://", "www.", ".com", ".org", ".net", ".gov", ".edu", ".co.uk")
# A whole token that is a URL or an e-mail address, never a name (entities.names). More top-level
# domains than URL_IN_TEXT: a token is tested alone, so ".news" cannot match inside a word.
URL_TOKEN = re.compile(r"(?i)^(https?://|www\.)|\.(com|org|net|gov|edu|io|co|uk|news|info)(/|$)")
EMAIL_TOKEN = re.compile(r"^[\w.+-]+@[\w-]+\.[\w.-]+$")

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

"""The hand-written rules for page furniture: which lines, and which spans inside a kept line,
are credits, sign-ups, related links, paywalls, prompts or promotion.

:func:`line_reason` judges one line on its own; :func:`_mark_context` the rules that look at
neighbouring lines (slogans, "Related" blocks, buttons, box titles). The rules are
conservative: a whole line goes only when it matches a known kind of furniture (short, without
a reporting verb such as "said"); inside a line only paywall notices and a trailing
"Read more" link are cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line

__all__ = ["headline_like", "line_reason"]


_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w")
_LETTER = re.compile(r"[^\W\d_]")


# Rules -----------------------------------------------------------------------------------------
# Each pattern describes one kind of furniture as a whole line; guards keep prose out.
_I = re.IGNORECASE
_REPORTED = re.compile(r"\b(?:said|says|told|tells|according to|added|argued|noted|asked|urged|announced)\b", _I)
_QUOTE = re.compile(r"[\"“”]")
_LICENCE = re.compile(r"licen[cs]ed under (?:a |the )?(?:CC\b|Creative Commons)|creativecommons\.org/"
                      r"|to view a copy of this licen[cs]e|\bCC[ -]BY(?:-(?:SA|ND|NC)){0,2} \d\.\d", _I)
_SHARE_WORD = (r"(?:share(?: this(?: article| story| page| post)?| on \w+)?|tweet(?: this)?|e-?mail(?: this)?"
               r"|print(?: this)?(?: article| story| page)?|copy(?: the)? link|link copied|pin(?: it)?|whatsapp"
               r"|facebook|twitter|x|linkedin|reddit|pinterest|flipboard|messenger|telegram|bluesky|threads"
               r"|save(?: article| story| for later)?|gift(?: this)? (?:article|story)|\d+ (?:comments?|shares)"
               r"|comments?(?: \(\d+\))?|listen(?: to this (?:article|story))?(?: \(?\d+ min\)?)?"
               r"|\d+ min(?:ute)? read)")
_FOOTER_LINK = (r"(?:privacy(?: policy| notice)?|terms(?: of (?:use|service))?|terms and conditions|contact(?: us)?"
                r"|about(?: us)?|careers|advertise(?: with us)?|site ?map|accessibility|corrections|help|faq"
                r"|do not sell my (?:personal )?info(?:rmation)?|your privacy choices|ethics policy)")
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cookie", re.compile(
        r"\b(?:we|this (?:site|website)|our (?:site|website)) (?:uses?|stores?|sets?) (?:cookies|tracking technolog)"
        r"|\bwe and our (?:\d+ )?(?:partners|vendors)\b"
        r"|\bby (?:continuing|using|clicking|browsing|staying)\b[^.]{0,80}\bcookies?\b"
        r"|^(?:accept|reject|decline|allow|refuse|manage|customi[sz]e)(?: all| only)?(?: necessary| essential"
        r"| optional)? (?:cookies|preferences|settings|options|choices)$|^(?:cookie|privacy|consent) "
        r"(?:settings|preferences|policy|notice|choices)$", _I)),
    ("newsletter", re.compile(
        r"^(?:enter|type|add|submit|provide) (?:your |an |a valid |the )?e-?mail|delivered (?:straight |directly |"
        r"right )?to your inbox|^(?:[^.!?]{0,80}[.!?] )?(?-i:Sign up|Subscribe|Register|Join|Get|Want|Never miss|"
        r"Don't miss|Stay)\b[^.!?]{0,100}\b(?:newsletters?|briefings?|digest|inbox|mailing list|e-?mails?)\b"
        r"|^(?:by (?:signing up|subscribing|submitting|entering|clicking)|you (?:can|may) unsubscribe|"
        r"unsubscribe at any time|thanks? (?:you )?for (?:signing up|subscribing))"
        r"|^(?:your |enter (?:your )?)?e-?mail address\s*[:*]?$", _I)),
    ("image-credit", re.compile(
        r"^[(\[]?(?:(?:top|lead|header|featured|file|main|cover) )?(?:photo(?:graph)?|image|picture|illustration|"
        r"graphic|video|photo illustration)s?(?: credit)?\s*(?::|©|\bby (?-i:[A-Z@])|\bcourtesy\b|\bvia (?-i:[A-Z]))"
        r"|^(?:credits?|pictured)\s*:|(?:/ ?(?:Getty(?: Images)?|AP|AFP|Reuters|EPA(?:-EFE)?|Shutterstock|"
        r"iStock(?:photo)?|Alamy|Bloomberg|Unsplash|Pexels)|\bvia (?:Getty Images|Unsplash|Wikimedia Commons|Flickr)"
        r"|\(AP Photo\b[^)]*)\)?\.?$|\((?:photo|image|credit)s?\s*:[^)]*\)$|[.!?] (?:photo(?:graph)?|image|picture"
        r"|illustration|credit)s?\s*(?::|by (?-i:[A-Z]))[^.!?]{1,80}$", _I)),
    ("share-prompt", re.compile(
        rf"^(?:{_SHARE_WORD})(?:(?:\s*[:|•·,/]\s*|\s+)(?:{_SHARE_WORD}))*\s*[:|•·]?$|^click (?:here )?to "
        r"(?:share|e-?mail|print|tweet)\b|^(?:share your (?:thoughts|views|comments)|leave a comment|join the "
        r"(?:conversation|discussion))(?: below| in the comments(?: below)?| on \w+| now)?[.!]?$", _I)),
    ("promo", re.compile(
        r"^(?:advertisement|advertising|sponsored(?: content)?|paid (?:post|content|partner content)|ad)"
        r"(?:\s*[-–—:|]?\s*(?:continue reading below|scroll to continue(?: reading)?|story continues below))?$"
        r"|^(?:story|article|content) continues (?:below|after)(?: (?:this|the))?(?: advertisement| ad)?$"
        r"|^scroll (?:down )?to continue(?: reading)?$|^(?:©|(?:\(c\)|copyright)\s*(?:©\s*)?\d{4})"
        r"|\ball rights reserved\b"
        r"|^(?:[^.!?]{0,60}[.?!] )?(?:support|fund|power|back|help (?:fund|support)) (?:our|independent|quality|"
        r"local|nonprofit|non-profit|this|trusted)\b[^.]{0,40}\b(?:journalism|reporting|newsroom|work)\b"
        r"|^(?:become|join us as|join) (?:a |an )?(?:member|subscriber|supporter|patron|insider)s?\b"
        r"|^(?:donate|chip in)(?: now| today| to us)?[.!]?$|\bdownload (?:the|our) (?:free )?[^.]{0,30}\bapp\b"
        r"|^(?:follow|like|find) us (?:on|at)\b|^(?:get|try|start|enjoy) (?:unlimited|full|digital|premium|"
        r"ad-free) (?:digital )?access\b|^subscribe(?: now| today| and save)?\s*(?:for|from|at|to)\s+"
        r"(?:just |only )?[$£€]|^(?:limited[- ]time|special|introductory) offer\b|\bcancel (?:at )?any ?time\b"
        r"|^(?:plans? (?:start|from)|starting at|just|only)\b[^.]{0,30}[$£€]\s?\d", _I)),
    ("related-links", re.compile(
        rf"^{_FOOTER_LINK}(?:\s*[|•·/]\s*{_FOOTER_LINK})+$|^(?:privacy policy|terms of (?:use|service)|contact us"
        r"|about us|advertise with us|do not sell my (?:personal )?info(?:rmation)?|your privacy choices)$"
        r"|^(?:related|read more|read also|also read|see also|recommended|read next|more|watch|listen)\s*[:»|]\s*\S"
        r"|^(?:tags?|topics?|filed under|categories|more about)\s*:|^(?:read more|continue reading|keep reading|"
        r"read the full (?:story|article)|full story|view comments|see more|show more|load more)"
        r"\s*(?:»|›|>>|→|\.\.\.|…)?$", _I)),
)
_PAYWALL = (
    r"(?:subscribe|sign up|register|log ?in|sign in)(?: now| today| for free| free)?(?: or (?:subscribe|sign up|"
    r"register|log ?in|sign in))? (?:to|and) (?:continue|keep|finish|start) reading(?: (?:this|the) (?:article|"
    r"story))?|already have an account\??|continue reading with (?:a|your) "
    r"(?:subscription|membership|free account)|(?:to|and) (?:continue|keep) reading,? (?:please )?"
    r"(?:subscribe|sign in|log ?in|register|become a (?:subscriber|member))\b[^.!?\])]{0,60}|already (?:a|an "
    r"existing) (?:subscriber|member)\??(?: (?:log|sign) ?in(?: here)?)?|this (?:article|story|content|piece) is "
    r"(?:only )?(?:for|available (?:to|for)|reserved for|exclusive to) (?:paid |premium |digital |our )?"
    r"(?:subscribers|members)(?: only)?|you(?:'ve|’ve| have) (?:reached|hit|used up|read) (?:your|all (?:of )?"
    r"your|the) (?:monthly |free )?(?:limit|free articles|articles|stories)[^.!?\])]{0,40}|(?:subscribers?|"
    r"members?)[- ]only (?:content|article|story)|\d+ free (?:articles?|stories) (?:left|remaining)[^.!?\])]{0,30}"
    r"|(?:unlock|get) (?:this|the full|full|unlimited) (?:article|story|access)\b[^.!?\])]{0,40}|(?:subscribe|"
    r"sign up|register)(?: now| today)? (?:for|to get) (?:unlimited|full|digital) access")
_PAYWALL_RUN = re.compile(rf"[\[(]?(?:(?:{_PAYWALL})[.!?…]*\s*)+[\])]?", _I)
_READ_MORE = re.compile(r"(?<=[.!?…\"”’)])\s*(?P<cut>[\[(]?(?:Read more|Continue reading|Keep reading|Full story|"
                        r"Read the full (?:story|article|piece|report)(?: (?:at|on|from|in) [^.!?\[\]()]{1,40})?)"
                        r"\s*(?:»|›|>>|→|\.\.\.|…|\.)?[\])]?)$")
_RELATED_HEADING = re.compile(
    r"^(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|related(?: (?:articles?|stories|coverage|"
    r"content|reading|posts|links|news|topics))?|read (?:more|next|also)\s*:|more (?:from|on|about|in)\b[^.!?]{0,40}"
    r"|more (?:stories|coverage|news|headlines|to read|reading)|recommended(?: for you| reading| stories| articles)?"
    r"|(?:also|must) read|see also|further reading|trending(?: now| stories| topics)?|most (?:popular|read|viewed|"
    r"shared|emailed)|popular (?:now|stories|articles)|what to read next|editor'?s'? picks?|top stories|"
    r"latest (?:news|stories|headlines)|don'?t miss|up next|around the web|sponsored stories)"
    r"\s*[:»>›…\-–—]*$", _I)
_SLOGAN = re.compile(r"\b(?:you can trust|trusted (?:source|news|voice|journalism)|(?:independent|fearless|"
                     r"award[- ]winning|nonprofit|non-profit|local|fact-based|unbiased) (?:journalism|news|reporting|"
                     r"newsroom)|news (?:that|you) (?:matters?|need|can use)|since (?:1[6-9]|20)\d\d|stories that "
                     r"matter|(?:your|the) (?:source|home|destination|guide) for)\b", _I)
_SLOGAN_PERIOD_OK = re.compile(r"\b(?:you|your|our|we|us)\b|\bsince \d{4}\b|^[^:|–—]{2,40}[:|–—]", _I)
_BUTTON = re.compile(
    r"^(?:sign (?:me )?up|subscribe|submit|join|go|ok|okay|got it|i agree|agree|accept|i accept|reject|decline|"
    r"no,? thanks|not now|maybe later|close|dismiss|continue|learn more|more info(?:rmation)?|settings|"
    r"show purposes|vendor list|more options|(?:accept|reject) all|we (?:respect|value) your privacy|"
    r"manage (?:preferences|settings|options|choices)|log ?in|sign in|register|(?:enter )?(?:your )?e-?mail"
    r"(?: address)?|[\w.+-]+@[\w-]+\.[\w.]+|(?:visit )?https?://\S+)[.!:*]?$", _I)
_LONE_CALL = re.compile(r"^(?:subscribe|donate)(?: now| today)?[.!]?$", _I)
_NEWSLETTER_GUARD = re.compile(r"\b(?:our|your|free|weekly|daily|sign|subscrib\w*|e-?mail|newsletter)\b", _I)
_BULLET = re.compile(r"^(?:[-•*·▶►–—]|\d{1,2}[.)])\s*")
_TWO_SENTENCES = re.compile(r"[.!?] [A-Z]")


def line_reason(text: str) -> str | None:
    """The reason to remove ``text``, one stripped line, on its own; ``None`` to keep it."""
    words = len(text.split())
    if words > 80 or not _WORD.search(text):
        return None
    if _LICENCE.search(text):
        return "image-credit"
    if words > 40 or _REPORTED.search(text) or (words >= 12 and _QUOTE.search(text)):
        return None
    for reason, pattern in _RULES:
        if pattern.search(text) and (reason != "newsletter" or _NEWSLETTER_GUARD.search(text)):
            return reason
    return None


def headline_like(text: str, *, max_words: int = 20) -> bool:
    """Whether a line reads like a headline: short, capitalised, without a closing full stop."""
    text = _BULLET.sub("", text)
    return (0 < len(text.split()) <= max_words and len(text) <= 160 and (text[0].isupper() or text[0].isdigit())
            and not text.endswith((".", ",", ";", ":", "…")) and not _TWO_SENTENCES.search(text))


def _inline_cuts(text: str) -> list[tuple[int, int, str]]:
    """Spans to cut even from a line that is kept: paywall notices, a trailing "Read more"."""
    cuts = []
    for m in _PAYWALL_RUN.finditer(text):
        first = _LETTER.search(m.group())
        if first and (first.group().isupper() or m.start() == 0):  # prose says "subscribe to ..."
            cuts.append((m.start(), m.start() + len(m.group().rstrip()), "paywall"))
    m = _READ_MORE.search(text)
    if m and not any(s <= m.start("cut") < e for s, e, _ in cuts):
        cuts.append((m.start("cut"), m.end("cut"), "related-links"))
    return cuts


def _only_furniture(text: str, cuts: Sequence[tuple[int, int, str]]) -> bool:
    """Whether what is left of ``text`` outside ``cuts`` is nothing, or furniture too."""
    pos, rest = 0, []
    for start, end, _ in sorted(cuts):
        rest.append(text[pos:start])
        pos = max(pos, end)
    left = _SPACES.sub(" ", " ".join([*rest, text[pos:]])).strip()
    return not _WORD.search(left) or line_reason(left) is not None


def _mark_context(lines: Sequence[Line], reasons: list[str | None],
                  spans: list[list[tuple[int, int, str]]], protected: set[int]) -> None:
    """Rules that look at neighbouring lines: slogans, related blocks, buttons, box titles."""
    n = len(lines)

    def free(i: int) -> bool:
        return 0 <= i < n and reasons[i] is None and i not in protected and not lines[i].blank

    def edge(i: int) -> bool:  # a blank line, a removed line, or the end of the text
        return not 0 <= i < n or lines[i].blank or reasons[i] is not None

    for i in range(n):
        text = lines[i].text
        if free(i) and edge(i - 1) and edge(i + 1) and 3 <= len(text.split()) <= 12 and _SLOGAN.search(text) \
                and not _REPORTED.search(text) and (not text.endswith(".") or _SLOGAN_PERIOD_OK.search(text)):
            reasons[i] = "promo"
    for i in range(n):
        if free(i) and _RELATED_HEADING.match(lines[i].text):
            reasons[i] = "related-links"
            for j in _related_block(lines, i, reasons, protected):
                reasons[j] = "related-links"
    for _ in range(2):  # twice, so that a run of buttons takes the reason of its box
        for i in range(n):
            if (i not in protected and reasons[i] != "furniture" and not lines[i].blank
                    and _BUTTON.match(lines[i].text)):
                reasons[i] = _neighbour_reason(lines, reasons, i) or reasons[i]  # "Email": share or sign-up?
    for i in range(n):
        if (free(i) and edge(i - 1) and not spans[i] and headline_like(lines[i].text, max_words=8)
                and i + 1 < n and reasons[i + 1] in ("newsletter", "cookie")):
            reasons[i] = reasons[i + 1]  # the title of a sign-up or cookie box
        elif free(i) and _LONE_CALL.match(lines[i].text):
            reasons[i] = "promo"


def _neighbour_reason(lines: Sequence[Line], reasons: list[str | None], i: int) -> str | None:
    """The reason of the nearest removed line above or below, across at most one blank line."""
    for step in (-1, 1):
        j = i + step
        if 0 <= j < len(lines) and lines[j].blank:
            j += step
        if 0 <= j < len(lines) and reasons[j] is not None:
            return reasons[j]
    return None


def _related_block(lines: Sequence[Line], heading: int, reasons: list[str | None],
                   protected: set[int]) -> list[int]:
    """The headlines listed under a "Related" heading.

    Headlines right under the heading end at the first blank line; headlines set one per
    paragraph may run on across blank lines. A line followed directly by prose is a
    sub-heading of the article, not a link, and ends the block.
    """
    n, j = len(lines), heading + 1
    spaced = j < n and lines[j].blank
    while j < n and lines[j].blank:
        j += 1
    taken: list[int] = []
    while j < n and (spaced or not lines[j].blank):
        if not lines[j].blank:
            if j in protected or reasons[j] is not None or not headline_like(lines[j].text):
                break
            nxt = j + 1
            if nxt < n and not lines[nxt].blank and nxt not in protected and reasons[nxt] is None \
                    and not headline_like(lines[nxt].text):
                break
            taken.append(j)
        j += 1
    return taken

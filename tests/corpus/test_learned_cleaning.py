"""The learned cleaner inside read_page / split_roundup, on pages written for these tests.

Each page is long enough for the cleaner (it leaves passages of a few lines to the rules),
and each test names the behaviour the issue asked for: a notice dropped into a sentence is cut
and the sentence rejoined, a sign-up pitch after the last post is not glued to it, and the
headline at the top of a page is the title, not body text.
"""

from __future__ import annotations

from pipeline.corpus.boilerplate import MIN_LEARNED_LINES, clean_text
from pipeline.corpus.roundup import read_page, split_roundup

PAYWALL_PAGE = """Home | News | Sport | Opinion | Contact

Harbour council backs new ferry timetable

By Tamsin Reade
March 3, 2024

The harbour council voted on Monday to add two early ferry crossings on weekdays, after commuters from \
the island said the first boat left too late for shift workers.

Council members said the extra crossings would cost about 180,000 pounds a year and would be paid for \
from the port's reserve fund until fares are reviewed in the autumn.

The ferry operator said it would need three months to hire crews, and that the first of the new \
sailings could start

Want to keep reading? Create a free account or subscribe for full access.

The Island Courier has covered the harbour and its people since 1952, with reporters in every village \
on the coast.

in June, once safety checks on the second vessel are complete.

Islanders who spoke at the meeting welcomed the decision but asked the council to keep the late \
crossing on Fridays.

Share this story
Facebook
Twitter
Email

Related stories
Bridge repairs close coast road for a week
Island school wins music prize
"""

PITCH_PAGE = """Tideline News
Local | Coast | Weather

Ferry roundup: what the coast is saying

Harbour council backs early crossings – Island Courier – 3/4/2024
Two early weekday crossings will start in June, the council decided after a long meeting.

Commuters still worried about winter timetable – Coast Gazette – 3/5/2024
Night-shift workers told the paper they want the early boats kept through the winter months.

Ilse Moreau on X, March 4, 2024: The new early ferry is exactly what night-shift nurses on the island \
asked for.

Stories that keep the coast connected.
Every week, straight from our newsroom.

Type your email to get the Tideline letter
Sign me up
"""


class TestMidSentenceNotice:
    def test_the_notice_and_the_blurb_are_cut_and_the_sentence_rejoined(self):
        (piece,) = read_page(PAYWALL_PAGE, document_id="ferry").pieces
        assert ("the first of the new sailings could start in June, once safety checks on the second "
                "vessel are complete.") in piece.text
        assert "keep reading" not in piece.text and "since 1952" not in piece.text

    def test_the_removed_blocks_are_reported_with_the_cleaners_confidence(self):
        removed = {r.text: r for r in read_page(PAYWALL_PAGE).removed}
        notice = removed["Want to keep reading? Create a free account or subscribe for full access."]
        assert notice.reason in ("interruption", "furniture", "paywall")
        assert notice.confidence is None or 0.0 <= notice.confidence <= 1.0
        assert {"Share this story", "Related stories", "Island school wins music prize"} <= set(removed)
        assert all(r.confidence is not None for r in removed.values() if r.reason == "furniture")

    def test_every_article_sentence_is_kept(self):
        (piece,) = read_page(PAYWALL_PAGE).pieces
        for sentence in ("The harbour council voted on Monday", "Council members said the extra crossings",
                         "Islanders who spoke at the meeting welcomed the decision"):
            assert sentence in piece.text


class TestPageHeadline:
    def test_the_headline_is_the_title_and_not_body_text(self):
        (piece,) = read_page(PAYWALL_PAGE, document_id="ferry").pieces
        assert piece.id == "ferry"
        assert piece.title == "Harbour council backs new ferry timetable"
        assert piece.meta["byline"] == "Tamsin Reade" and piece.date == "2024-03-03"
        assert piece.text.startswith("The harbour council voted on Monday")
        assert "Home | News" not in piece.text

    def test_the_piece_offsets_still_cover_the_title(self):
        (piece,) = read_page(PAYWALL_PAGE).pieces
        start, end = piece.offsets
        assert PAYWALL_PAGE.index("Harbour council backs") >= start and end <= len(PAYWALL_PAGE)


class TestPitchAfterLastPost:
    def test_the_pitch_is_removed_not_glued_to_the_post(self):
        pieces = split_roundup(PITCH_PAGE).pieces
        assert [p.kind for p in pieces] == ["snippet", "snippet", "post"]
        assert pieces[-1].text == "The new early ferry is exactly what night-shift nurses on the island asked for."

    def test_snippets_keep_their_headers(self):
        first, second, _ = split_roundup(PITCH_PAGE).pieces
        assert (first.source, first.date, first.title) == ("Island Courier", "2024-03-04",
                                                           "Harbour council backs early crossings")
        assert second.text.startswith("Night-shift workers told the paper")

    def test_the_masthead_is_not_an_article(self):
        removed = {r.text for r in split_roundup(PITCH_PAGE).removed}
        assert {"Tideline News", "Stories that keep the coast connected.", "Sign me up"} <= removed


class TestRulesAlone:
    def test_cleaner_false_is_the_rules_alone(self):
        text, removed = clean_text(PAYWALL_PAGE, cleaner=False)
        assert "Harbour council backs new ferry timetable" in text  # the rules keep the headline
        assert all(r.confidence is None for r in removed)
        assert "furniture" not in {r.reason for r in removed}

    def test_short_passages_are_left_to_the_rules(self):
        text = "\n".join(["The vote passed on Tuesday."] * (MIN_LEARNED_LINES - 1))
        assert read_page(text).pieces[0].text.count("The vote passed") == MIN_LEARNED_LINES - 1

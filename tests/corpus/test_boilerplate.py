"""Tests for pipeline.corpus.boilerplate: each kind of furniture, prose that must stay, offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.corpus.boilerplate import (
    REASONS,
    assemble,
    clean_text,
    find_removals,
    headline_like,
    line_reason,
    split_lines,
)

FURNITURE = [
    ("image-credit", "Photo by Ellis Grant is licensed under CC BY-SA 2.0. To view a copy of this license, "
                     "visit https://creativecommons.org/licenses/by-sa/2.0/"),
    ("image-credit", "Image: Jo Park/Getty"),
    ("image-credit", "Photo: Ana Ruiz/Reuters"),
    ("image-credit", "Illustration by Sam Lee for the Courier"),
    ("image-credit", "Photo courtesy of the Port Alder Fire Department"),
    ("image-credit", "Credit: Tomas Reyes"),
    ("image-credit", "Demonstrators gather outside City Hall on Sunday. (AP Photo/Jane Roe)"),
    ("image-credit", "The bridge at dusk. Mira Holt/Getty Images"),
    ("image-credit", "Smoke over the valley on Sunday. Photo: Dev Anand / Valley Post"),
    ("newsletter", "Enter your email address below to get our weekly briefing."),
    ("newsletter", "Sign up for our Morning Brief newsletter"),
    ("newsletter", "Like this story? Subscribe to our free daily newsletter."),
    ("newsletter", "Get the best stories delivered to your inbox."),
    ("newsletter", "By signing up, you agree to our Terms of Service and Privacy Policy."),
    ("newsletter", "Email address:"),
    ("related-links", "Related: Council delays vote on license plate readers"),
    ("related-links", "READ MORE: Five things to know about the new privacy law"),
    ("related-links", "Tags: Elections, Stadium"),
    ("related-links", "Privacy Policy | Terms of Use | Contact Us"),
    ("related-links", "Read more »"),
    ("related-links", "Continue reading"),
    ("promo", "Advertisement"),
    ("promo", "Story continues below advertisement"),
    ("promo", "Advertisement - Continue Reading Below"),
    ("promo", "This article is free to read. Support local reporting by becoming a subscriber."),
    ("promo", "Support independent journalism. Donate today."),
    ("promo", "Become a member and get unlimited access."),
    ("promo", "Download the Courier app"),
    ("promo", "Follow us on Instagram"),
    ("promo", "Subscribe now for just $1 a week"),
    ("promo", "© 2020 The Commons Dispatch. All rights reserved."),
    ("promo", "Copyright 2023 Valley Courier Media"),
    ("paywall", "Subscribe to continue reading. Already a subscriber? Log in."),
    ("paywall", "This article is for subscribers only."),
    ("paywall", "You have reached your limit of free articles."),
    ("paywall", "To continue reading, please subscribe or log in."),
    ("paywall", "Continue reading with a subscription. Already a member? Sign in"),
    ("paywall", "Already have an account? Sign in to continue reading this story."),
    ("share-prompt", "Share this article"),
    ("share-prompt", "Share: Facebook | Twitter | Email"),
    ("share-prompt", "Facebook Twitter LinkedIn Email"),
    ("share-prompt", "Click to share on Reddit (Opens in new window)"),
    ("share-prompt", "Listen to this article (6 min)"),
    ("share-prompt", "Comments (14)"),
    ("share-prompt", "Share your thoughts in the comments below."),
    ("cookie", "We use cookies to give you the best experience on our website."),
    ("cookie", "By continuing to use this site, you consent to our use of cookies."),
    ("cookie", "This site uses cookies. Learn more"),
    ("cookie", "Accept all cookies"),
    ("cookie", "Cookie settings"),
    ("cookie", "We and our partners store and access information on a device, such as cookies."),
]

PROSE = [
    "Families who subscribe to the district's newsletter received a survey in May.",
    "More than two million people subscribe to the service, which costs $9 a month.",
    "Readers can sign up for the city's emergency alerts on its website.",
    "A photo of the first breakfast line was shared hundreds of times.",
    "Photographs by the agency showed crowds near the precinct.",
    "The photo by the river became a symbol of the protests.",
    "Share prices fell 3 percent on Thursday after the announcement.",
    "Browsers now block third-party cookies by default, a change advertisers dislike.",
    "Cookies and pastries are no longer on the menu.",
    "Related charges against two other officers were dropped in May.",
    "More than 200 people attended the hearing.",
    "Copyright lawyers expect the case to take years.",
    "Advertising revenue fell by a third last year.",
    "Subscribers to the service pay $9 a month, the company said.",
    "Join the discussion on zoning at Tuesday's council meeting, which starts at 6 p.m.",
    "The company said users could subscribe to continue reading the archive.",
    "Support for the measure fell to 41 percent among independent voters.",
    "Amazon said it would share more details with Congress.",
    "Getty Images and Reuters both sent photographers to the hearing.",
]


def _only(text: str):
    lines = split_lines(text)
    return find_removals(lines)


class TestLineRules:
    @pytest.mark.parametrize(("reason", "line"), FURNITURE)
    def test_furniture_is_found_with_its_reason(self, reason, line):
        removals = _only(line)
        assert [(r.text, r.reason) for r in removals] == [(line, reason)]

    @pytest.mark.parametrize("line", PROSE)
    def test_prose_mentioning_subscribe_photo_share_or_cookies_is_kept(self, line):
        assert line_reason(line) is None
        assert _only(line) == []
        assert clean_text(line)[0] == line

    def test_every_reason_is_in_the_vocabulary(self):
        assert {reason for reason, _ in FURNITURE} | {"section-heading", "furniture", "interruption"} == set(REASONS)

    def test_a_long_line_is_never_removed_whole(self):
        line = "Subscribe to our newsletter " + "and read about the council vote " * 12
        assert line_reason(line) is None

    def test_a_reporting_verb_keeps_a_line(self):
        assert line_reason("Sign up for our newsletter, the mayor said.") is None


class TestInlineNotices:
    def test_bracketed_paywall_notice_inside_a_sentence_is_cut(self):
        text = "Drivers would pay $2 per crossing [Subscribe now to keep reading] while bikes cross free."
        cleaned, removals = clean_text(text)
        assert cleaned == "Drivers would pay $2 per crossing while bikes cross free."
        assert [(r.text, r.reason) for r in removals] == [("[Subscribe now to keep reading]", "paywall")]

    def test_bare_paywall_notice_inside_a_sentence_is_cut(self):
        text = "The company would pause sales Subscribe to continue reading. to police for a year."
        assert clean_text(text)[0] == "The company would pause sales to police for a year."

    def test_paywall_notice_after_a_sentence_keeps_the_sentence(self):
        text = "Amazon will pause sales for a year. Subscribe to continue reading."
        cleaned, removals = clean_text(text)
        assert cleaned == "Amazon will pause sales for a year."
        assert removals[0].text == "Subscribe to continue reading."

    def test_trailing_read_more_is_cut(self):
        cleaned, removals = clean_text("The exit is symbolic. Read more »")
        assert cleaned == "The exit is symbolic."
        assert [(r.text, r.reason) for r in removals] == [("Read more »", "related-links")]

    def test_read_more_inside_prose_is_kept(self):
        text = "Readers can read more about the policy on the company's blog."
        assert clean_text(text) == (text, [])


class TestSplitSentences:
    def test_paywall_paragraph_inside_a_sentence_is_removed_and_halves_joined(self):
        text = ("The company said groups could keep\n\nSubscribe to continue reading. Already a subscriber? "
                "Log in.\n\ndoing so for now.\n\nNext paragraph.")
        cleaned, removals = clean_text(text)
        assert cleaned == "The company said groups could keep doing so for now.\n\nNext paragraph."
        assert [r.reason for r in removals] == ["paywall"]

    def test_halves_ending_in_a_function_word_are_joined_before_a_number(self):
        text = "The city set aside the money for\n\nThis story is for subscribers only.\n\n2,000 new buses."
        assert clean_text(text)[0] == "The city set aside the money for 2,000 new buses."

    def test_halves_are_joined_before_a_number_after_an_unfinished_sentence(self):
        text = "Ochoa said about\n\nAlready a member? Sign in\n\n400 families are waiting."
        assert clean_text(text)[0] == "Ochoa said about 400 families are waiting."

    def test_a_sub_heading_is_not_joined_to_a_number(self):
        text = "What happens next\n\nAdvertisement\n\n2,000 people signed."
        assert clean_text(text)[0] == "What happens next\n\n2,000 people signed."

    def test_paragraphs_around_furniture_stay_apart_when_the_first_is_complete(self):
        text = "The vote was 5-2.\n\nAdvertisement\n\nopponents plan an appeal."
        assert clean_text(text)[0] == "The vote was 5-2.\n\nopponents plan an appeal."

    def test_paragraphs_without_a_removal_between_stay_apart(self):
        text = "The council met\n\nlate into the night."
        assert clean_text(text)[0] == text


class TestContext:
    def test_cookie_box_buttons_take_the_box_reason(self):
        text = "We use cookies to improve our site.\nAccept\nManage settings\n\nThe council voted."
        removals = _only(text)
        assert [(r.text, r.reason) for r in removals] == [
            ("We use cookies to improve our site.", "cookie"), ("Accept", "cookie"), ("Manage settings", "cookie")]

    def test_a_lone_button_word_in_an_article_is_kept(self):
        assert _only("The council voted.\n\nContinue\n\nIt adjourned.") == []

    def test_newsletter_box_title_and_fields(self):
        text = "Never miss a story\nSign up for our free briefing, delivered to your inbox.\nEmail\nSign up"
        assert [r.reason for r in _only(text)] == ["newsletter"] * 4

    def test_related_block_under_a_heading(self):
        text = ("First paragraph.\n\nYou May Also Like\nCouncil delays vote\nWhy your doorbell talks to police\n\n"
                "The article goes on.")
        removals = _only(text)
        assert [r.text for r in removals] == ["You May Also Like", "Council delays vote",
                                              "Why your doorbell talks to police"]

    def test_numbered_most_read_list(self):
        text = "MOST READ\n1. Road work closes ramp\n2. Musical sells out\n\nThe story goes on."
        assert len(_only(text)) == 3

    def test_ambiguous_email_button_follows_its_box(self):
        share = _only("Share this:\nTwitter\nEmail")
        sign_up = _only("Sign up for our free newsletter.\nEmail\nSubmit")
        assert [r.reason for r in share] == ["share-prompt"] * 3
        assert [r.reason for r in sign_up] == ["newsletter"] * 3

    def test_consent_banner_title_and_buttons(self):
        text = ("We value your privacy\nWe and our partners store information on a device, such as cookies.\n"
                "I Accept\nShow Purposes\n\nThe story.")
        assert [r.reason for r in _only(text)] == ["cookie"] * 4

    def test_related_block_with_spaced_headlines(self):
        text = "Recommended\n\nHeat advisory extended\n\nPools to stay open late\n\nThe story goes on."
        assert len(_only(text)) == 3

    def test_related_block_stops_at_a_sub_heading_followed_by_prose(self):
        text = "Related\n\nHeat advisory extended\n\nWhat happens next\nThe board meets on Monday."
        assert [r.text for r in _only(text)] == ["Related", "Heat advisory extended"]

    def test_contiguous_related_block_stops_at_a_blank_line(self):
        text = "Trending\nHeat advisory extended\n\nWhat happens next"
        assert [r.text for r in _only(text)] == ["Trending", "Heat advisory extended"]

    @pytest.mark.parametrize("slogan", ["The Commons Dispatch — Independent journalism since 1998",
                                        "Journalism you can trust.", "Your trusted source for Port Alder news"])
    def test_a_standalone_slogan_is_promo(self, slogan):
        assert [(r.text, r.reason) for r in _only(f"Story.\n\n{slogan}\n\nMore.")] == [(slogan, "promo")]

    def test_slogan_words_inside_a_paragraph_are_kept(self):
        text = "The group funds independent journalism in several states."
        assert _only(f"Story.\n\n{text}\n\nMore.") == []

    def test_protected_lines_are_never_removed_whole(self):
        lines = split_lines("Advertisement")
        assert find_removals(lines, protected={0}) == []


class TestLayout:
    def test_offsets_point_into_the_original(self):
        text = "  Share this article  \r\nThe vote [Subscribe now to keep reading] passed.\r\n\r\nAdvertisement\n"
        for removal in find_removals(split_lines(text)):
            assert text[removal.start:removal.end] == removal.text

    def test_hard_wrapped_lines_are_joined_with_spaces(self):
        cleaned = clean_text("The board has\nhad the contract\nsince July.")[0]
        assert cleaned == "The board has had the contract since July."

    def test_title_and_byline_stay_on_their_own_lines(self):
        text = "Free breakfast for every school\nBy Imani Clarke\n\nThe board voted."
        assert clean_text(text)[0] == "Free breakfast for every school\nBy Imani Clarke\n\nThe board voted."

    def test_assemble_ignores_removals_outside_the_lines(self):
        lines = split_lines("One line.")
        assert assemble(lines, []) == "One line."

    @pytest.mark.parametrize(("text", "expected"), [("City council delays vote", True),
                                                    ("The council voted.", False), ("lower case start", False),
                                                    ("Mayor says tolls are needed", True)])
    def test_headline_like(self, text, expected):
        assert headline_like(text) is expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_never_fails_and_offsets_hold(text):
    cleaned, removals = clean_text(text)
    assert isinstance(cleaned, str)
    for removal in removals:
        assert 0 <= removal.start <= removal.end <= len(text)
        assert text[removal.start:removal.end] == removal.text
        assert removal.reason in REASONS

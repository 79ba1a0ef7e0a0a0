"""Tests for pipeline.corpus.furniture: each kind of furniture, prose that must stay, the rules
that look at neighbouring lines."""

from __future__ import annotations

import pytest

from pipeline.corpus.boilerplate import REASONS, clean_text, find_removals, line_reason, split_lines

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

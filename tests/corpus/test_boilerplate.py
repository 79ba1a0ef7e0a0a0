"""Tests for pipeline.corpus.boilerplate (and lines, assemble): sentences split by a notice, layout, offsets."""

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
    split_lines,
)


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

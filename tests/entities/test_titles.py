"""Tests for pipeline.entities.titles: a title glued to a name, before it or in apposition, and
names that only look like titles."""

from __future__ import annotations

from pipeline.entities import extract_entities


class TestTitles:
    def test_title_glued_to_name_becomes_role(self, make_doc):
        doc = make_doc("Massachusetts Sen. Ed Markey spoke.", ("Massachusetts Sen. Ed Markey", "PERSON"))
        (markey,) = extract_entities(doc)
        assert (markey.text, markey.role, markey.label) == ("Ed Markey", "senator", "PERSON")

    def test_title_before_the_span_becomes_role(self, make_doc):
        doc = make_doc("CEO Jane Doe resigned.", ("Jane Doe", "PERSON"))
        assert extract_entities(doc)[0].role == "chief executive"

    def test_role_in_apposition(self, make_doc):
        doc = make_doc("Jane Doe, the company's chief executive, resigned.", ("Jane Doe", "PERSON"))
        assert extract_entities(doc)[0].role == "chief executive"

    def test_organisation_named_like_a_title_is_kept(self, make_doc):
        doc = make_doc("General Motors and the Justice Department met.",
                       ("General Motors", "ORG"), ("the Justice Department", "ORG"))
        assert [e.text for e in extract_entities(doc)] == ["General Motors", "Justice Department"]

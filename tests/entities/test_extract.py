"""Extraction, clean-up, merging and attribution within one piece."""

from __future__ import annotations

import pytest

from pipeline import errors
from pipeline.entities import Entity, extract_entities


def by_text(entities: list[Entity]) -> dict[str, Entity]:
    return {e.text: e for e in entities}


class TestCleanUp:
    def test_platform_is_not_a_person(self, make_doc):
        doc = make_doc("Brad Smith on Twitter said the deal was done.",
                       ("Brad Smith", "PERSON"), ("Twitter", "PERSON"))
        found = by_text(extract_entities(doc))
        assert found["Twitter"].label == "ORG"
        assert found["Brad Smith"].label == "PERSON"
        assert found["Twitter"].quoted is False

    def test_name_on_platform_as_one_span_is_split(self, make_doc):
        doc = make_doc("Yesterday Jane Doe on Facebook posted a photo.", ("Jane Doe on Facebook", "PERSON"))
        found = by_text(extract_entities(doc))
        assert set(found) == {"Jane Doe", "Facebook"}
        assert found["Facebook"].label == "ORG"

    def test_x_is_a_platform_only_in_context(self, make_doc):
        doc = make_doc("She wrote on X that Plan X failed.", ("X", "PERSON"), ("X", "PERSON", 1))
        found = extract_entities(doc)
        assert [(e.text, e.label, e.count) for e in found] == [("X", "ORG", 1)]

    @pytest.mark.parametrize("token, label", [("www.example.com", "GPE"), ("press@example.org", "PERSON"),
                                              ("@janedoe", "ORG"), ("#StopTheDeal", "PERSON"),
                                              ("https://example.com/news", "GPE")])
    def test_web_tokens_are_not_entities(self, make_doc, token, label):
        doc = make_doc(f"Read more at {token} today.", (token, label))
        assert extract_entities(doc) == []

    def test_leading_the_possessive_and_punctuation_are_stripped(self, make_doc):
        doc = make_doc("The American Civil Liberties Union's lawyers met “Amazon”.",
                       ("The American Civil Liberties Union's", "ORG"), ("“Amazon”", "ORG"))
        found = extract_entities(doc)
        assert [e.text for e in found] == ["American Civil Liberties Union", "Amazon"]
        start, end = found[0].mentions[0]
        assert doc.text[start:end] == "American Civil Liberties Union"

    def test_abbreviation_dot_is_kept(self, make_doc):
        doc = make_doc("Officials in the U.S. agreed.", ("the U.S.", "GPE"))
        assert extract_entities(doc)[0].text == "U.S."

    def test_company_taken_for_a_person_is_an_org(self, make_doc):
        doc = make_doc("Shares of Atlas Pharma fell.", ("Atlas Pharma", "PERSON"))
        assert extract_entities(doc)[0].label == "ORG"


class TestTypes:
    def test_values_hidden_by_default(self, make_doc):
        doc = make_doc("Amazon paid $5 million on Tuesday.", ("Amazon", "ORG"),
                       ("$5 million", "MONEY"), ("Tuesday", "DATE"))
        assert [e.label for e in extract_entities(doc)] == ["ORG"]

    def test_types_chooses_labels(self, make_doc):
        doc = make_doc("Amazon paid $5 million on Tuesday.", ("Amazon", "ORG"),
                       ("$5 million", "MONEY"), ("Tuesday", "DATE"))
        assert [e.label for e in extract_entities(doc, types=["DATE", "money"])] == ["MONEY", "DATE"]

    def test_unknown_type_is_an_error(self, make_doc):
        doc = make_doc("Amazon paid.", ("Amazon", "ORG"))
        with pytest.raises(errors.InputError, match="PERSONS"):
            extract_entities(doc, types=["PERSONS"])

    def test_doc_without_ner_is_an_error(self, blank):
        with pytest.raises(errors.InputError, match="ner"):
            extract_entities(blank.make_doc("Amazon paid."))


class TestMerging:
    def test_possessive_variants_merge(self, make_doc):
        doc = make_doc("Amazon's plan and Amazon’s drones worried Amazon.",
                       ("Amazon's", "ORG"), ("Amazon’s", "ORG"), ("Amazon", "ORG", 2))
        (amazon,) = extract_entities(doc)
        assert (amazon.text, amazon.count, amazon.aliases) == ("Amazon", 3, [])

    def test_surname_links_to_full_name(self, make_doc):
        doc = make_doc("Brad Smith spoke. Later Smith left.", ("Brad Smith", "PERSON"), ("Smith", "ORG", 1))
        (smith,) = extract_entities(doc)
        assert (smith.text, smith.label, smith.count, smith.aliases) == ("Brad Smith", "PERSON", 2, ["Smith"])
        assert smith.id == "person:brad-smith"

    def test_honorific_surname_links(self, make_doc):
        doc = make_doc("Donald J. Trump spoke. Mr. Trump left.", ("Donald J. Trump", "PERSON"),
                       ("Mr. Trump", "PERSON"))
        (trump,) = extract_entities(doc)
        assert trump.count == 2 and trump.text == "Donald J. Trump"

    def test_ambiguous_surname_stays_apart(self, make_doc):
        doc = make_doc("Rachel Kim and Paul Kim spoke. Kim left.", ("Rachel Kim", "PERSON"),
                       ("Paul Kim", "PERSON"), ("Kim", "PERSON", 2))
        assert [e.text for e in extract_entities(doc)] == ["Rachel Kim", "Paul Kim", "Kim"]

    def test_surname_is_not_linked_to_a_place(self, make_doc):
        doc = make_doc("Michael Jordan visited Jordan.", ("Michael Jordan", "PERSON"), ("Jordan", "GPE", 1))
        assert len(extract_entities(doc)) == 2

    def test_acronym_links_to_expansion(self, make_doc):
        doc = make_doc("The American Civil Liberties Union sued. The ACLU won.",
                       ("The American Civil Liberties Union", "ORG"), ("ACLU", "ORG"))
        (aclu,) = extract_entities(doc)
        assert (aclu.text, aclu.aliases, aclu.count) == ("American Civil Liberties Union", ["ACLU"], 2)

    def test_parenthesised_acronym_recovered(self, make_doc):
        text = "The Coalition for Fair Housing (CFH) sued. Later CFH won."
        doc = make_doc(text, ("CFH", "ORG"))
        (cfh,) = extract_entities(doc)
        assert cfh.text == "Coalition for Fair Housing" and cfh.count == 3

    def test_acronym_with_stopword_initials_and_dots(self, make_doc):
        doc = make_doc("The Department of Justice (DOJ) and the United States met. The U.S. agreed.",
                       ("The Department of Justice", "ORG"), ("the United States", "GPE"), ("The U.S.", "GPE"))
        found = by_text(extract_entities(doc))
        assert found["Department of Justice"].count == 2
        assert found["United States"].aliases == ["U.S."]

    def test_short_org_name_links(self, make_doc):
        doc = make_doc("Northwind Energy grew. Northwind hired.", ("Northwind Energy", "ORG"), ("Northwind", "ORG", 1))
        assert len(extract_entities(doc)) == 1

    def test_untagged_surname_is_recovered(self, make_doc):
        doc = make_doc("Elena Ruiz cut her forecast. Ruiz wrote that demand fell.", ("Elena Ruiz", "PERSON"))
        (ruiz,) = extract_entities(doc)
        assert ruiz.count == 2 and ruiz.quoted

    def test_record_is_json_ready(self, make_doc):
        import json

        doc = make_doc("Brad Smith spoke.", ("Brad Smith", "PERSON"))
        record = extract_entities(doc)[0].to_record()
        assert json.loads(json.dumps(record)) == record
        assert record["mentions"] == [[0, 10]] and record["stance"] is None


class TestAttribution:
    @pytest.mark.parametrize("text, name", [
        ("Jane Doe said the plan failed.", "Jane Doe"),
        ("“It failed,” said Jane Doe.", "Jane Doe"),
        ("Jane Doe, the mayor, told reporters it failed.", "Jane Doe"),
        ("According to Jane Doe, it failed.", "Jane Doe"),
        ("Jane Doe wrote that it failed.", "Jane Doe"),
        ("Jane Doe: “It failed.”", "Jane Doe"),
        ("Jane Doe on Twitter: it failed.", "Jane Doe"),
    ])
    def test_quoted(self, make_doc, text, name):
        assert extract_entities(make_doc(text, (name, "PERSON")))[0].quoted is True

    @pytest.mark.parametrize("text, name", [
        ("Jane Doe lost the case.", "Jane Doe"),
        ("Critics told Jane Doe it failed.", "Jane Doe"),
        ("Jane Doe's lawyer said it failed.", "Jane Doe"),
        ("Critics of Jane Doe say it failed.", "Jane Doe"),
        ("“Jane Doe is wrong,” the critics said.", "Jane Doe"),
        ("The report said Jane Doe lied.", "Jane Doe"),
    ])
    def test_only_mentioned(self, make_doc, text, name):
        assert extract_entities(make_doc(text, (name, "PERSON")))[0].quoted is False

    def test_pronoun_speaker_credits_last_person(self, make_doc):
        doc = make_doc("Maria Lopez lost. “We will appeal,” she said.", ("Maria Lopez", "PERSON"))
        assert extract_entities(doc)[0].quoted is True


class TestRealModel:
    def test_news_page_traps(self, nlp):
        doc = nlp("Massachusetts Sen. Ed Markey criticized Amazon's plan on Twitter. Markey said "
                  "Amazon’s drones were unsafe. Follow him at www.example.com or @edmarkey.")
        found = by_text(extract_entities(doc))
        assert found["Ed Markey"].role == "senator"
        assert found["Ed Markey"].quoted is True
        assert found["Ed Markey"].count == 2
        assert found["Amazon"].count == 2
        assert "Twitter" not in found or found["Twitter"].label == "ORG"
        assert not any("example" in t or "@" in t for t in found)

    def test_acronym_in_parentheses(self, nlp):
        doc = nlp("CEO Jane Doe told reporters that the American Civil Liberties Union (ACLU) "
                  "would sue. The ACLU declined to comment.")
        found = by_text(extract_entities(doc))
        assert found["Jane Doe"].role == "chief executive" and found["Jane Doe"].quoted
        assert found["American Civil Liberties Union"].aliases == ["ACLU"]
        assert found["American Civil Liberties Union"].count == 3

    def test_mentions_point_into_text(self, nlp):
        doc = nlp("Dr. Anthony Fauci spoke. Fauci said the U.S. needed tests.")
        for entity in extract_entities(doc):
            for start, end in entity.mentions:
                assert doc.text[start:end] in {entity.text, *entity.aliases}

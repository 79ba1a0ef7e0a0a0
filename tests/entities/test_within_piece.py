"""Linking within a piece: acronyms without brackets, hyphenated names, "the company said"."""

from __future__ import annotations

from pipeline.entities import extract_entities


def test_an_acronym_used_later_joins_its_long_name(make_doc):
    text = "The Office for Safer Roads tested the cameras. OSR found the error rate high."
    doc = make_doc(text, ("Office for Safer Roads", "ORG"))
    [e] = extract_entities(doc)
    assert (e.text, e.aliases, e.count) == ("Office for Safer Roads", ["OSR"], 2)


def test_a_short_capitalised_word_is_not_taken_for_initials(make_doc):
    doc = make_doc("The Bay Area Transit board met. BAT said no.", ("Bay Area Transit", "ORG"))
    assert extract_entities(doc)[0].aliases == ["BAT"]  # three letters, in capitals: taken
    doc = make_doc("The Bay Area Transit board met. Bat said no.", ("Bay Area Transit", "ORG"))
    assert extract_entities(doc)[0].aliases == []


def test_a_hyphen_inside_a_name_does_not_split_it(make_doc):
    doc = make_doc("Its founder Lia Ton-Bak spoke.", ("Lia Ton-Bak", "PERSON"))
    assert [e.text for e in extract_entities(doc)] == ["Lia Ton-Bak"]


def test_the_company_said_credits_the_last_organisation(make_doc):
    text = "Veyra Labs sold the scanner to Ostrow. The company said it was accurate."
    doc = make_doc(text, ("Veyra Labs", "ORG"), ("Ostrow", "GPE"))
    quoted = {e.text: e.quoted for e in extract_entities(doc)}
    assert quoted == {"Veyra Labs": True, "Ostrow": False}


def test_the_companys_spokesman_is_not_the_company(make_doc):
    text = "Veyra Labs sold the scanner. The company's spokesman said it was accurate."
    doc = make_doc(text, ("Veyra Labs", "ORG"))
    assert [e.quoted for e in extract_entities(doc)] == [False]

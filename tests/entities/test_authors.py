"""A post's author as one of its entities (kind ``author``), the title kept as the role."""

from __future__ import annotations

from pipeline.entities import Entity, add_author, extract_entities


def test_an_author_not_named_in_the_text(make_doc):
    doc = make_doc("The county should drop the contract.", )
    entities = extract_entities(doc)
    author = add_author(entities, "Ada Quist", role="senator")
    assert entities == [author]
    assert (author.text, author.label, author.kind, author.role, author.count, author.mentions,
            author.quoted) == ("Ada Quist", "PERSON", "author", "senator", 0, [], True)
    assert author.to_record()["kind"] == "author"
    assert Entity.from_record(author.to_record()).kind == "author"


def test_an_author_named_in_the_text_keeps_the_mentions(make_doc):
    doc = make_doc("As Quist said last week, the county must act.", ("Quist", "PERSON"))
    entities = extract_entities(doc)
    author = add_author(entities, "Councilwoman Ada Quist")
    assert len(entities) == 1 and author is entities[0]
    assert (author.text, author.kind, author.role, author.count) == ("Ada Quist", "author", "council member", 1)
    assert "Quist" in author.aliases


def test_handles_and_groups_are_not_people():
    assert add_author([], "@adaquist") is None
    assert add_author([], "ACLU") is None
    assert add_author([], "Mayor") is None


def test_the_roundup_reader_splits_the_title_off():
    from pipeline.corpus.roundup import split_roundup

    [piece] = split_roundup("Sen. Ada Quist on Twitter: The county should drop the contract.").pieces
    assert (piece.source, piece.meta["author_role"]) == ("Ada Quist", "senator")

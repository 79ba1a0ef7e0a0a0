"""Linking entities across pieces."""

from __future__ import annotations

import json

from pipeline.entities import Entity, extract_entities, link_entities


def ent(text: str, label: str = "PERSON", aliases: tuple = (), quoted: bool = False,
        stance: str | None = None) -> Entity:
    return Entity(id="x", text=text, label=label, count=1, mentions=[(0, len(text))],
                  aliases=list(aliases), quoted=quoted, stance=stance)


class TestLinkEntities:
    def test_same_name_shares_an_id(self):
        a, b = ent("Brad Smith"), ent("Brad Smith")
        (linked,) = link_entities([[a], [b]])
        assert linked.id == a.id == b.id == "person:brad-smith"
        assert linked.pieces == [0, 1] and linked.count == 2

    def test_one_name_typed_apart_in_one_piece_gets_the_majority_type(self):
        pieces = [[ent("Granton", "ORG")], [ent("Granton", "ORG")], [ent("Granton", "ORG")], [ent("Granton", "GPE")]]
        (linked,) = link_entities(pieces)
        assert (linked.label, linked.id, linked.pieces) == ("ORG", "org:granton", [0, 1, 2, 3])
        assert pieces[3][0].label == "ORG"

    def test_without_the_vote_the_types_stay_apart(self):
        pieces = [[ent("Granton", "ORG")], [ent("Granton", "ORG")], [ent("Granton", "ORG")], [ent("Granton", "GPE")]]
        assert len(link_entities(pieces, vote_types=False)) == 2

    def test_surname_in_another_piece_links(self):
        full, short = ent("Brad Smith"), ent("Smith")
        (linked,) = link_entities([[full], [short]])
        assert short.id == full.id == linked.id == "person:brad-smith"
        assert linked.aliases == ["Smith"]

    def test_surname_before_full_name_links_too(self):
        (linked,) = link_entities([[ent("Smith")], [ent("Brad Smith")]])
        assert linked.text == "Brad Smith"

    def test_ambiguous_surname_does_not_link(self):
        linked = link_entities([[ent("Brad Smith")], [ent("Jane Smith")], [ent("Smith")]])
        assert len(linked) == 3

    def test_surname_alias_does_not_chain_two_people(self):
        linked = link_entities([[ent("Brad Smith", aliases=("Smith",))], [ent("Jane Smith", aliases=("Smith",))]])
        assert len(linked) == 2

    def test_acronym_across_pieces(self):
        long, short = ent("American Civil Liberties Union", "ORG"), ent("ACLU", "ORG")
        (linked,) = link_entities([[long], [short]])
        assert linked.text == "American Civil Liberties Union" and short.id == long.id

    def test_acronym_alias_links_pieces(self):
        a = ent("American Civil Liberties Union", "ORG", aliases=("ACLU",))
        b = ent("ACLU", "ORG")
        (linked,) = link_entities([[b], [a]])
        assert linked.id == "org:american-civil-liberties-union" and linked.pieces == [0, 1]

    def test_different_labels_stay_apart(self):
        assert len(link_entities([[ent("Jordan", "GPE")], [ent("Jordan", "PERSON")]])) == 2

    def test_summary_says_who_quotes_and_stance(self):
        a = ent("Brad Smith", quoted=True, stance="negative")
        b = ent("Smith", stance="positive")
        (linked,) = link_entities([[a], [], [b]])
        assert linked.quoted_in == [0]
        assert linked.stance_by_piece == {0: "negative", 2: "positive"}
        record = linked.to_record()
        assert json.loads(json.dumps(record)) == record

    def test_ids_do_not_depend_on_piece_order(self):
        def ids(order):
            pieces = [[ent("Brad Smith")], [ent("Smith"), ent("ACLU", "ORG")],
                      [ent("American Civil Liberties Union", "ORG")]]
            return sorted(x.id for x in link_entities([pieces[i] for i in order]))

        assert ids([0, 1, 2]) == ids([2, 1, 0]) == ids([1, 2, 0])

    def test_empty_input(self):
        assert link_entities([]) == [] and link_entities([[], []]) == []

    def test_with_real_model(self, nlp):
        texts = ["Sen. Ed Markey praised the American Civil Liberties Union (ACLU).",
                 "Markey said the ACLU was wrong.", "Amazon's drones worried Markey."]
        per_piece = [extract_entities(doc) for doc in nlp.pipe(texts)]
        linked = {x.text: x for x in link_entities(per_piece)}
        assert linked["Ed Markey"].pieces == [0, 1, 2]
        assert linked["American Civil Liberties Union"].pieces == [0, 1]

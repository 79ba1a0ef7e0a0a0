"""Tests for pipeline.nlp.lexical: Lexical records, and their encoding from spaCy docs."""

import pytest
from spacy.pipeline import Sentencizer

from pipeline.nlp import lexical
from pipeline.nlp.lexical import Lexical
from pipeline.nlp.loading import load_nlp


class TestLexical:
    @pytest.mark.parametrize("text", ["Two sentences. Here.", "", "   ", "odd \0 byte, then. More", "é 😀 ok.",
                                      ". . Yes", "  \n Hi.", 'He said "No." Then left!!  \n\n Why? (Unclear.) ok',
                                      "A.\n\n \nB"])
    def test_encoding_round_trips_with_the_sentencizers_starts(self, text):
        doc = Sentencizer()(load_nlp(None, "lexical")(text))
        lex = lexical._decode_lexical(lexical._encode_lexical([doc], [text]))
        words = [t for t in doc if not t.is_space]
        assert lex.tokens == " ".join(t.text for t in words)
        # spaCy's component, starts on space tokens moved to the next word
        expected = sorted({sum(1 for w in words if w.i < s.start) for s in doc.sents if any(not t.is_space for t in s)})
        assert list(lex.sent_starts) == expected

    def test_each_part_of_a_long_text_starts_a_sentence(self):
        texts = ["one two", "three. four"]
        docs = [load_nlp(None, "lexical")(t) for t in texts]
        lex = lexical._decode_lexical(lexical._encode_lexical(docs, texts))
        assert lex.tokens == "one two three . four" and lex.sent_starts == (0, 2, 4)

    def test_sentences_can_be_limited_to_the_first_tokens(self):
        lex = Lexical("A b . C d e . F .", (0, 3, 7))
        assert lex.sentences() == ["A b .", "C d e .", "F ."]
        assert lex.sentences(limit=5) == ["A b .", "C d"]
        assert lex.sentences(limit=3) == ["A b ."]


def test_lexical_sentences_of_empty_text():
    assert Lexical("", ()).sentences() == []

import pytest
from spacy.pipeline import Sentencizer

from pipeline.nlp import processor as nlp
from pipeline.nlp.cache import DocCache
from pipeline.nlp.processor import Lexical, Processor, resolve_model_name


@pytest.fixture()
def processor(tmp_path):
    return Processor(cache=DocCache(tmp_path), n_process=1)


class TestLexical:
    def test_tokens_and_sentences(self, processor):
        [lex] = processor.lexical(["The council voted.  It passed 5-2!\n\nCritics objected."])
        assert lex.tokens.split(" ")[:4] == ["The", "council", "voted", "."]
        assert lex.sentences()[0] == "The council voted ."
        assert len(lex.sentences()) == 3

    def test_order_is_kept_and_duplicates_are_fine(self, processor):
        texts = ["b text", "a text", "b text"]
        assert [lx.tokens for lx in processor.lexical(texts)] == texts

    def test_cache_means_nothing_is_parsed_twice(self, processor, monkeypatch):
        first = processor.lexical(["Parsed once.", "And only once."])
        monkeypatch.setattr(nlp, "_run", lambda *a, **k: pytest.fail("parsed again"))
        assert processor.lexical(["And only once.", "Parsed once."]) == first[::-1]

    def test_cache_key_depends_on_the_model(self, tmp_path):
        cache = DocCache(tmp_path)
        Processor(cache=cache, n_process=1).lexical(["x y"])
        assert len(cache) == 1
        assert nlp._key("lexical", "a==1", "x y") != nlp._key("lexical", "b==1", "x y")
        assert nlp._key("lexical", "a==1", "x y") != nlp._key("entities", "a==1", "x y")

    def test_two_processes_give_the_same_result(self, tmp_path):
        texts = [f"Piece number {i} says the plan is bad." for i in range(50)]
        one = Processor(n_process=1).lexical(texts)
        two = [nlp._decode_lexical(b) for b in nlp._run(resolve_model_name(), "lexical", texts, 8, 2)]
        assert two == one

    def test_the_worker_pool_is_started_once_and_kept_until_closed(self, monkeypatch):
        texts = [f"Piece number {i} says the plan is bad. Another sentence." for i in range(400)]
        with Processor(n_process=2) as processor:
            first = processor.lexical(texts)
            pool = processor._pool
            assert pool is not None
            assert processor.lexical(texts[::-1]) == first[::-1] and processor._pool is pool
        assert processor._pool is None
        assert first == Processor(n_process=1).lexical(texts)

    @pytest.mark.parametrize("text", ["Two sentences. Here.", "", "   ", "odd \0 byte, then. More", "é 😀 ok.",
                                      ". . Yes", "  \n Hi.", 'He said "No." Then left!!  \n\n Why? (Unclear.) ok',
                                      "A.\n\n \nB"])
    def test_encoding_round_trips_with_the_sentencizers_starts(self, text):
        doc = Sentencizer()(nlp.load_nlp(None, "lexical")(text))
        lex = nlp._decode_lexical(nlp._encode_lexical([doc], [text]))
        words = [t for t in doc if not t.is_space]
        assert lex.tokens == " ".join(t.text for t in words)
        # spaCy's component, starts on space tokens moved to the next word
        expected = sorted({sum(1 for w in words if w.i < s.start) for s in doc.sents if any(not t.is_space for t in s)})
        assert list(lex.sent_starts) == expected

    def test_each_part_of_a_long_text_starts_a_sentence(self):
        texts = ["one two", "three. four"]
        docs = [nlp.load_nlp(None, "lexical")(t) for t in texts]
        lex = nlp._decode_lexical(nlp._encode_lexical(docs, texts))
        assert lex.tokens == "one two three . four" and lex.sent_starts == (0, 2, 4)

    def test_sentences_can_be_limited_to_the_first_tokens(self):
        lex = Lexical("A b . C d e . F .", (0, 3, 7))
        assert lex.sentences() == ["A b .", "C d e .", "F ."]
        assert lex.sentences(limit=5) == ["A b .", "C d"]
        assert lex.sentences(limit=3) == ["A b ."]

    def test_long_text_is_chunked_not_truncated(self, processor, monkeypatch):
        monkeypatch.setattr(nlp, "CHUNK_CHARS", 200)
        text = " ".join(f"Sentence {i} is here." for i in range(100))
        [lex] = processor.lexical([text])
        assert lex.tokens.split(" ").count("Sentence") == 100
        assert lex.tokens.endswith("Sentence 99 is here .")


class TestEntities:
    def test_docs_have_entities_and_come_from_cache(self, processor, monkeypatch):
        text = "Microsoft said on Thursday that it would not sell the tool to police in Boston."
        [doc] = list(processor.docs([text]))
        assert doc.text == text
        assert ("Microsoft", "ORG") in {(e.text, e.label_) for e in doc.ents}
        monkeypatch.setattr(nlp, "_run", lambda *a, **k: pytest.fail("parsed again"))
        [again] = list(processor.docs([text]))
        assert [(e.text, e.label_) for e in again.ents] == [(e.text, e.label_) for e in doc.ents]


def test_lexical_sentences_of_empty_text():
    assert Lexical("", ()).sentences() == []

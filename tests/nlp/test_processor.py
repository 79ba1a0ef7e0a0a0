import pytest

from pipeline.nlp import processor as nlp
from pipeline.nlp.cache import DocCache
from pipeline.nlp.processor import Processor


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

    def test_the_worker_pool_is_started_once_and_kept_until_closed(self, monkeypatch):
        texts = [f"Piece number {i} says the plan is bad. Another sentence." for i in range(400)]
        with Processor(n_process=2) as processor:
            first = processor.lexical(texts)
            pool = processor._pool
            assert pool is not None
            assert processor.lexical(texts[::-1]) == first[::-1] and processor._pool is pool
        assert processor._pool is None
        assert first == Processor(n_process=1).lexical(texts)


class TestEntities:
    def test_docs_have_entities_and_come_from_cache(self, processor, monkeypatch):
        text = "Microsoft said on Thursday that it would not sell the tool to police in Boston."
        [doc] = list(processor.docs([text]))
        assert doc.text == text
        assert ("Microsoft", "ORG") in {(e.text, e.label_) for e in doc.ents}
        monkeypatch.setattr(nlp, "_run", lambda *a, **k: pytest.fail("parsed again"))
        [again] = list(processor.docs([text]))
        assert [(e.text, e.label_) for e in again.ents] == [(e.text, e.label_) for e in doc.ents]

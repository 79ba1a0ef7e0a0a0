"""Tests for pipeline.nlp.workers: worker processes give the same results, long texts go in chunks."""

import pytest

from pipeline.nlp import lexical, workers
from pipeline.nlp.cache import DocCache
from pipeline.nlp.loading import resolve_model_name
from pipeline.nlp.processor import Processor


@pytest.fixture()
def processor(tmp_path):
    return Processor(cache=DocCache(tmp_path), n_process=1)


class TestWorkers:
    def test_two_processes_give_the_same_result(self, tmp_path):
        texts = [f"Piece number {i} says the plan is bad." for i in range(50)]
        one = Processor(n_process=1).lexical(texts)
        two = [lexical._decode_lexical(b) for b in workers._run(resolve_model_name(), "lexical", texts, 8, 2)]
        assert two == one

    def test_long_text_is_chunked_not_truncated(self, processor, monkeypatch):
        monkeypatch.setattr(workers, "CHUNK_CHARS", 200)
        text = " ".join(f"Sentence {i} is here." for i in range(100))
        [lex] = processor.lexical([text])
        assert lex.tokens.split(" ").count("Sentence") == 100
        assert lex.tokens.endswith("Sentence 99 is here .")


"""Framer: the same records whether batches are scored here or on the worker processes."""

import numpy as np
import pytest

from pipeline.corpus import Piece
from pipeline.inference.framer import MIN_PARALLEL, Framer, batched
from pipeline.nlp.cache import DocCache
from pipeline.nlp.processor import Processor


@pytest.fixture(scope="module")
def pieces(sample_pieces):
    # Enough pieces for the worker path, in an order unlike the corpus's, some with targets.
    chosen = sample_pieces[1::2][: 2 * MIN_PARALLEL + 7][::-1]
    return [Piece(id=f"p{i}", text=p.text, title=p.title, target=p.target) for i, p in enumerate(chosen)]


def test_workers_give_the_same_probabilities_in_the_same_order(small_model, pieces):
    model, _ = small_model
    serial = Framer(model, n_process=1).probabilities(pieces)
    with Framer(model, n_process=2) as framer:
        parallel = framer.probabilities(pieces)
        assert framer._pool is not None  # the batch really went to the workers
        again = framer.probabilities(pieces[:MIN_PARALLEL + 1])
        pool = framer._pool
    assert framer._pool is None and pool is not None
    assert set(parallel) == {"stance", "frame"}
    for task in serial:
        np.testing.assert_allclose(parallel[task], serial[task], rtol=0, atol=1e-12)
        np.testing.assert_allclose(again[task], serial[task][: MIN_PARALLEL + 1], rtol=0, atol=1e-12)


def test_records_carry_ids_in_input_order_and_labels_of_the_model(small_model, pieces):
    model, _ = small_model
    with Framer(model, n_process=2) as framer:
        records = list(framer.classify(pieces, entities=False, batch_size=100))
    assert [r["id"] for r in records] == [p.id for p in pieces]
    for record in records[:5]:
        for task, prediction in record["predictions"].items():
            assert set(prediction["probabilities"]) == set(model.labels(task))
            assert prediction["label"] == max(prediction["probabilities"], key=prediction["probabilities"].get)
            assert abs(sum(prediction["probabilities"].values()) - 1) < 1e-3


def test_workers_fill_the_shared_doc_cache(small_model, pieces, tmp_path):
    model, _ = small_model
    with Framer(model, processor=Processor(cache=DocCache(tmp_path)), n_process=2) as framer:
        framer.probabilities(pieces)
    assert len(DocCache(tmp_path)) >= len({p.text for p in pieces})


def test_small_batches_stay_in_this_process(small_model, pieces):
    model, _ = small_model
    framer = Framer(model, n_process=2)
    framer.probabilities(pieces[: MIN_PARALLEL - 1])
    assert framer._pool is None


def test_batched_keeps_order_and_sizes():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched([], 3)) == []


def test_entities_from_the_workers_equal_those_found_here(small_model, pieces):
    from pipeline.inference.framer import MIN_PARALLEL_ENTITIES

    model, _ = small_model
    chosen = [p for p in pieces if any(c.isupper() for c in p.text[1:])][: MIN_PARALLEL_ENTITIES + 3]
    here = list(Framer(model, n_process=1).classify(chosen))
    with Framer(model, n_process=2) as framer:
        there = list(framer.classify(chosen))
        assert framer._pool is not None
    assert [r["entities"] for r in there] == [r["entities"] for r in here]
    assert sum(len(r["entities"]) for r in here) > 0


def test_models_with_sentence_embeddings_are_scored_in_this_process(small_model):
    from sklearn.pipeline import FeatureUnion

    from pipeline.features.embeddings import SentenceEmbeddings
    from pipeline.models.framing import FramingModel

    model, _ = small_model
    pipe = model.tasks["frame"]
    union = FeatureUnion([*pipe.named_steps["features"].transformer_list, ("embeddings", SentenceEmbeddings())])
    with_torch = FramingModel(tasks={"frame": type(pipe)([("features", union), ("clf", pipe.named_steps["clf"])])},
                              info=model.info)
    assert Framer(with_torch, n_process=2).n_process == 1
    assert Framer(model, n_process=2).n_process == 2


def test_a_posts_author_is_listed_as_its_author(small_model):
    from pipeline.corpus.roundup import split_roundup

    model, _ = small_model
    [post] = split_roundup("Councilwoman Bea Lorne wrote on Facebook: The county should drop the contract.").pieces
    post.id = "post-1"
    [record] = Framer(model, n_process=1).classify([post])
    assert record["source"] == "Bea Lorne"
    authors = [e for e in record["entities"] if e["kind"] == "author"]
    assert [(e["text"], e["label"], e["role"], e["count"]) for e in authors] == [
        ("Bea Lorne", "PERSON", "council member", 0)]

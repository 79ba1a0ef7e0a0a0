"""The entities profile is built on the lexical one (one read of the pipeline) and gives the
same documents as a pipeline loaded on its own with ``spacy.load``."""

import spacy

from pipeline.corpus import read_corpus
from pipeline.nlp import loading
from pipeline.nlp.loading import PROFILES, _components, load_nlp, resolve_model_name

from ..conftest import SAMPLE


def _loaded_on_its_own(name: str):
    """The entities pipeline as load_nlp built it before: a spacy.load of its own."""
    keep = PROFILES["entities"]
    nlp = spacy.load(name, exclude=[c for c in _components(name) if c not in keep])
    for pipe_name in list(nlp.component_names):
        if pipe_name not in keep:
            nlp.remove_pipe(pipe_name)
    nlp.add_pipe("sentencizer")
    return nlp


def test_entities_profile_shares_the_lexical_vocab_and_tokenizer():
    lexical, entities = load_nlp(None, "lexical"), load_nlp(None, "entities")
    assert entities.vocab is lexical.vocab and entities.tokenizer is lexical.tokenizer
    assert entities.pipe_names == ["tok2vec", "ner", "sentencizer"] and lexical.pipe_names == []
    assert type(entities) is type(lexical)


def test_entities_profile_gives_the_same_docs_as_its_own_spacy_load():
    texts = [p.text for p in read_corpus(SAMPLE)][:40]
    texts.append("Microsoft said on Thursday that it would not sell the tool to police in Boston.")
    reference = _loaded_on_its_own(resolve_model_name(None))
    ours = load_nlp(None, "entities")
    found = 0
    for a, b in zip(ours.pipe(texts), reference.pipe(texts), strict=True):
        assert a.to_bytes(exclude=["tensor", "user_data"]) == b.to_bytes(exclude=["tensor", "user_data"])
        assert [s.start for s in a.sents] == [s.start for s in b.sents]
        found += len(a.ents)
    assert found > 40  # the comparison saw entities, not empty docs


def test_a_pipeline_not_read_from_a_folder_is_loaded_the_usual_way():
    blank = spacy.blank("en")
    assert loading._add_components(blank, ("tok2vec", "ner")) is None

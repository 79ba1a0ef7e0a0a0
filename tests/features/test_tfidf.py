"""The n-gram-code fit of FastTfidfVectorizer: the same vocabulary, idf and matrix as scikit-learn's."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.features import ngram_codes
from pipeline.features.tfidf import FastTfidfVectorizer, SplitTokens


def _documents(n: int = 600, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(250)] + ["Ab", "aB", "x", "!", "é", "said", "U.S."]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(0, 50))) for _ in range(n)]


@pytest.mark.parametrize("params", [
    # the words block as pipeline.features.samples builds it
    dict(tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 2), min_df=2,
         max_features=3000, sublinear_tf=True, dtype=np.float32),
    # features.word_tokens_only
    dict(token_pattern=r"\S*\w\w\S*", lowercase=False, ngram_range=(1, 2), min_df=2, sublinear_tf=True),
    dict(ngram_range=(2, 2), min_df=0.002),
    dict(ngram_range=(1, 1), max_features=50),  # ties at the cut are broken as scikit-learn breaks them
    dict(ngram_range=(1, 2), max_df=0.05, min_df=3),
    dict(ngram_range=(1, 3), min_df=2),  # trigrams: scikit-learn's own counting
    dict(analyzer="char_wb", ngram_range=(2, 4), min_df=2),  # characters: likewise
])
def test_same_fit_as_scikit_learn(params, monkeypatch):
    monkeypatch.setattr(ngram_codes, "CHUNK", 128)  # several chunks whose codes must be merged
    docs = _documents()
    ours, theirs = FastTfidfVectorizer(**params), TfidfVectorizer(**params)
    X, expected = ours.fit_transform(docs), theirs.fit_transform(docs)
    assert ours.vocabulary_ == theirs.vocabulary_ and len(ours.vocabulary_) > 40
    np.testing.assert_array_equal(ours.idf_, theirs.idf_)
    assert X.dtype == expected.dtype and X.shape == expected.shape
    # the same entries; values equal up to the order in which a row's squares were summed
    assert abs(X - expected).max() < 1e-6 and (X != 0).sum() == (expected != 0).sum()
    unseen = _documents(300, seed=1) + ["", "w1", "Ab  aB\t x\n\n!"]
    np.testing.assert_array_equal(ours.transform(unseen).toarray(), theirs.transform(unseen).toarray())


@pytest.mark.parametrize("params", [dict(ngram_range=(1, 2)), dict(ngram_range=(2, 2)), dict(ngram_range=(1, 1)),
                                    dict(analyzer="char_wb", ngram_range=(2, 5)),
                                    dict(analyzer="char_wb", ngram_range=(1, 3), lowercase=False)])
def test_transform_with_a_given_vocabulary_counts_as_scikit_learn(params):
    docs = _documents(300)
    vocabulary = TfidfVectorizer(**params).fit(docs).vocabulary_
    terms = sorted(vocabulary)[::3]  # a vocabulary with gaps: most n-grams of a text are unknown
    ours = FastTfidfVectorizer(vocabulary=terms, **params).fit(docs)
    theirs = TfidfVectorizer(vocabulary=terms, **params).fit(docs)
    unseen = _documents(200, seed=2)
    np.testing.assert_array_equal(ours.transform(unseen).toarray(), theirs.transform(unseen).toarray())


def test_lookup_tables_are_not_saved_and_are_rebuilt():
    import pickle

    docs = _documents(200)
    for analyzer in ("word", "char_wb"):
        fitted = FastTfidfVectorizer(analyzer=analyzer, ngram_range=(1, 2)).fit(docs)
        before = fitted.transform(docs[:20])
        assert any(k.startswith("_lookup") for k in vars(fitted))
        restored = pickle.loads(pickle.dumps(fitted))
        assert not any(k.startswith("_lookup") for k in vars(restored))
        np.testing.assert_array_equal(restored.transform(docs[:20]).toarray(), before.toarray())


def test_refitting_forgets_the_former_vocabulary():
    vectorizer = FastTfidfVectorizer(ngram_range=(1, 2))
    vectorizer.fit(["alpha beta", "beta gamma"]).transform(["alpha beta"])
    vectorizer.fit(["delta epsilon", "epsilon zeta"])
    assert vectorizer.transform(["delta epsilon"]).nnz == 3


def test_fit_equals_fit_transform():
    docs = _documents(200)
    a = FastTfidfVectorizer(ngram_range=(1, 2), min_df=2).fit(docs)
    b = FastTfidfVectorizer(ngram_range=(1, 2), min_df=2)
    X = b.fit_transform(docs)
    assert a.vocabulary_ == b.vocabulary_
    np.testing.assert_allclose(a.transform(docs).toarray(), X.toarray(), atol=1e-12)


def test_tokens_with_spaces_are_counted_as_strings():
    # "a b" + "c" and "a" + "b c" are one bigram string to scikit-learn: codes would tell them apart
    docs = ["a b|c", "a|b c", "a b|c"]
    params = dict(tokenizer=lambda d: d.split("|"), token_pattern=None, ngram_range=(1, 2))
    ours, theirs = FastTfidfVectorizer(**params).fit(docs), TfidfVectorizer(**params).fit(docs)
    assert ours.vocabulary_ == theirs.vocabulary_


def test_nothing_to_count_is_scikit_learns_error():
    with pytest.raises(ValueError, match="empty vocabulary"):
        FastTfidfVectorizer(tokenizer=str.split, token_pattern=None).fit(["", " "])
    with pytest.raises(ValueError, match="no terms remain"):
        FastTfidfVectorizer(min_df=2).fit(["one text", "another piece"])


@pytest.mark.parametrize("ngram_range", [(1, 2), (2, 2), (1, 1)])
def test_split_tokens_counts_as_the_equivalent_token_pattern(ngram_range, monkeypatch):
    # "!" and "x" are left out, so "w1 ! w2" has the bigram "w1 w2" in fit and in transform
    monkeypatch.setattr(ngram_codes, "CHUNK", 128)
    docs = _documents()
    ours = FastTfidfVectorizer(tokenizer=SplitTokens(r"\w\w"), token_pattern=None, lowercase=False,
                               ngram_range=ngram_range, min_df=2)
    theirs = TfidfVectorizer(token_pattern=r"\S*\w\w\S*", lowercase=False, ngram_range=ngram_range, min_df=2)
    X, expected = ours.fit_transform(docs), theirs.fit_transform(docs)
    assert ours.vocabulary_ == theirs.vocabulary_ and "x" not in ours.vocabulary_
    assert abs(X - expected).max() < 1e-6
    unseen = _documents(300, seed=1) + ["w1 ! w2", "x ! é", ""]
    np.testing.assert_array_equal(ours.transform(unseen).toarray(), theirs.transform(unseen).toarray())
    assert SplitTokens(r"\w\w")("a b! cd ,, éé") == ["cd", "éé"]


def test_split_tokens_survives_pickling_and_cloning():
    import pickle

    from sklearn.base import clone

    fitted = FastTfidfVectorizer(tokenizer=SplitTokens(r"\w\w"), token_pattern=None).fit(_documents(100))
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.tokenizer == SplitTokens(r"\w\w") and repr(restored.tokenizer) == r"SplitTokens('\\w\\w')"
    assert clone(fitted).get_params()["tokenizer"] == fitted.tokenizer
    np.testing.assert_array_equal(restored.transform(["w1 ! w2 x"]).toarray(),
                                  fitted.transform(["w1 ! w2 x"]).toarray())

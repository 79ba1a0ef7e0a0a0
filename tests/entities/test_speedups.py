"""The shortcuts that keep entity post-processing fast give what the plain spaCy and Python
ways give: per-doc token tables, the doc text, memoised name keys, sentence look-up and the
stance feature matrix."""

from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.sparse as sp

from pipeline.entities import TargetFeaturizer
from pipeline.entities.attach import _sentence_bounds, _sentence_of
from pipeline.entities.merge import Group, Mention, merge_mentions
from pipeline.entities.names import name_key
from pipeline.entities.tokens import doc_tokens
from pipeline.entities.types import doc_text
from pipeline.features.mention import sample_features

TEXT = ("Sen. Ed Markey said on Twitter that the plan failed.  “It is a disgrace,” he said. "
        "Visit https://example.com or write to press@example.org!\n\nThe ACLU (American Civil "
        "Liberties Union) sued Atlas Pharma Inc. on Monday; X, formerly Twitter, said nothing")


def check_table(doc) -> None:
    t = doc_tokens(doc)
    assert t.text == doc.text
    assert t.words == [tok.text for tok in doc]
    assert t.lower == [tok.lower_ for tok in doc]
    assert t.text_lower == [tok.text.lower() for tok in doc]
    assert t.idx == [tok.idx for tok in doc]
    assert t.is_punct == [tok.is_punct for tok in doc]
    assert t.is_web == [tok.like_url or tok.like_email for tok in doc]
    assert t.in_entity == [bool(tok.ent_type_) for tok in doc]
    assert t.sent_start == [tok.is_sent_start is True for tok in doc]
    assert t.pos == ([tok.pos_ for tok in doc] if doc.has_annotation("POS") else None)
    assert t.has_dep == doc.has_annotation("DEP")
    for i in range(len(doc)):
        for j in range(i, len(doc) + 3):
            assert t.span_text(i, j) == doc[i:j].text
    if doc.has_annotation("SENT_START"):
        assert [t.sentence(i) for i in range(len(doc))] == [(tok.sent.start, tok.sent.end) for tok in doc]
    else:
        assert [t.sentence(i) for i in range(len(doc))] == [plain_sentence(doc, i) for i in range(len(doc))]


def plain_sentence(doc, i: int) -> tuple[int, int]:
    """The sentence rule for docs without boundaries, written with spaCy tokens."""
    lo = i
    while lo > 0 and doc[lo - 1].text not in {".", "!", "?"}:
        lo -= 1
    hi = i
    while hi < len(doc) and doc[hi].text not in {".", "!", "?"}:
        hi += 1
    return lo, min(len(doc), hi + 1)


class TestDocTokens:
    def test_matches_spacy_on_a_parsed_doc(self, nlp):
        check_table(nlp(TEXT))

    def test_matches_spacy_without_sentences_or_tags(self, make_doc):
        check_table(make_doc(TEXT, ("Ed Markey", "PERSON"), ("ACLU", "ORG")))

    def test_matches_spacy_with_set_sentences(self, blank):
        doc = blank("One two. Three four five. Six")
        for tok in doc:
            tok.is_sent_start = tok.i in (0, 3)
        check_table(doc)

    def test_empty_doc(self, blank):
        doc = blank("")
        check_table(doc)
        assert doc_tokens(doc).span_text(0, 2) == ""

    @pytest.mark.parametrize("text", [TEXT, "", "  lead and trail  ", "a\n\n\tb  c\u00a0d ’s"])
    def test_doc_text_is_spacy_text(self, blank, text):
        assert doc_text(blank(text)) == blank(text).text


class TestNameKey:
    @pytest.mark.parametrize("text", ["Rod J. Rosenstein's", "The ACLU", "José Álvarez", "AT&T", "", "  "])
    def test_memoised_key_is_the_computed_key(self, text):
        assert name_key(text) == name_key.__wrapped__(text)
        assert name_key(text) == name_key(text)

    def test_cache_is_bounded(self):
        assert name_key.cache_info().maxsize is not None


class TestGroup:
    def test_label_of_canonical_is_label(self):
        g = Group([Mention(0, 5, "Smith", "ORG"), Mention(10, 20, "Brad Smith", "PERSON"),
                   Mention(30, 40, "Brad Smith", "ORG")])
        assert g.canonical == "Brad Smith"
        assert g.label_of(g.canonical) == g.label == "PERSON"

    def test_canonical_breaks_ties_by_first_use(self):
        g = Group([Mention(50, 55, "AMAZON", "ORG"), Mention(0, 6, "Amazon", "ORG"),
                   Mention(20, 26, "Amazon", "ORG"), Mention(60, 66, "AMAZON", "ORG")])
        assert g.canonical == "Amazon"

    def test_merge_links_surnames_acronyms_and_short_names(self):
        mentions = [Mention(0, 10, "Brad Smith", "PERSON"), Mention(20, 25, "Smith", "ORG"),
                    Mention(30, 60, "American Civil Liberties Union", "ORG"), Mention(70, 74, "ACLU", "ORG"),
                    Mention(80, 96, "Northwind Energy", "ORG"), Mention(100, 109, "Northwind", "ORG")]
        groups = merge_mentions(mentions)
        assert [(g.canonical, len(g.mentions)) for g in groups] == [
            ("Brad Smith", 2), ("American Civil Liberties Union", 2), ("Northwind Energy", 2)]


class TestSentenceOf:
    def test_same_as_linear_search(self, nlp):
        doc = nlp(TEXT)
        bounds = _sentence_bounds(doc)
        starts = [a for a, _ in bounds]
        for offset in range(len(doc.text) + 2):
            expected = next(((a, b) for a, b in bounds if a <= offset < b), (0, len(doc.text)))
            assert _sentence_of(bounds, starts, offset, len(doc.text)) == expected


def row_by_row(featurizer: TargetFeaturizer, X) -> sp.csr_matrix:
    """The feature matrix built one sample at a time, the plain way."""
    vocab, offset = featurizer.vocabulary_, len(featurizer.vocabulary_)
    rows, cols, data = [], [], []
    for r, (text, start, end) in enumerate(X):
        feats, dense = sample_features(text, start, end, window=featurizer.window,
                                       mention_words=featurizer.mention_words)
        for name, value in feats.items():
            if name in vocab:
                rows.append(r)
                cols.append(vocab[name])
                data.append(value)
        if featurizer.lexicon_weight:
            for k, value in enumerate(dense):
                if value:
                    rows.append(r)
                    cols.append(offset + k)
                    data.append(value * featurizer.lexicon_weight)
    return sp.csr_matrix((np.asarray(data, dtype=np.float64), (rows, cols)),
                         shape=(len(X), featurizer.n_features_out_))


class TestFeatureMatrix:
    SENTENCES = ("Critics blamed Ana Ruiz, not Tom Berg, for the terrible failure.",
                 "Voters admire Lena Park and praise her honest work, said Omar Haddad.",
                 "“It is not a disgrace,” Tom Berg said of Ana Ruiz's great victory.")

    def samples(self):
        out = []
        for text in self.SENTENCES:
            for name in ("Ana Ruiz", "Tom Berg", "Lena Park", "Omar Haddad", "her"):
                if name in text:
                    start = text.index(name)
                    out.append((text, start, start + len(name)))
        random.Random(0).shuffle(out)
        return out

    @pytest.mark.parametrize("lexicon_weight", [1.0, 0.5, 0.0])
    def test_same_matrix_as_row_by_row(self, lexicon_weight):
        X = self.samples()
        featurizer = TargetFeaturizer(min_df=1, lexicon_weight=lexicon_weight).fit(X[:5])
        fast, plain = featurizer.transform(X), row_by_row(featurizer, X)
        assert fast.shape == plain.shape
        assert np.array_equal(fast.indptr, plain.indptr)
        assert np.array_equal(fast.indices, plain.indices)
        assert np.array_equal(fast.data, plain.data)

    def test_no_samples(self):
        featurizer = TargetFeaturizer(min_df=1).fit(self.samples())
        assert featurizer.transform([]).shape == (0, featurizer.n_features_out_)

    def test_shared_sentence_gives_each_mention_its_own_features(self):
        X = self.samples()
        featurizer = TargetFeaturizer(min_df=1).fit(X)
        extracted = featurizer._extract(X)
        assert extracted == [sample_features(t, s, e) for t, s, e in X]

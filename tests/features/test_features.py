"""Feature transformers: samples, outlet-fingerprint filtering, target similarity, the union."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.config import load_config
from pipeline.features.relation import RELATION_NAMES
from pipeline.features.samples import _DIGITS, Sample, make_sample, normalise_tokens
from pipeline.features.union import SourceSpread, build_features
from pipeline.nlp.processor import Lexical


def lex(text: str, starts=(0,)) -> Lexical:
    return Lexical(text, tuple(starts))


class TestMakeSample:
    def test_without_target(self):
        sample = make_sample(lex("Visit https://x.com in 2024 !"), lex("A Title"))
        assert sample.text == "a title visit <url> in 0000 !"
        assert sample.relation == (0.0,) * len(RELATION_NAMES)

    def test_target_relation_and_cues(self):
        body = lex("Police deny the report . It is a hoax . Weather is fine .", (0, 5, 10))
        sample = make_sample(body, None, lex("Police report aliens ?"))
        assert sample.near == "police deny the report ."
        values = dict(zip(RELATION_NAMES, sample.relation))
        assert len(sample.relation) == len(RELATION_NAMES)
        assert values["target_in_lead"] == 1.0 and values["refute_near"] > 0
        assert values["question_target"] == 1.0 and values["refute_target"] == 0.0

    def test_normalise_tokens(self):
        assert normalise_tokens("Mail a@b.org @Bob 42") == "mail <email> @user 00"

    @pytest.mark.parametrize("text", ["See WWW.Example.ORG now", "HTTPS://x.y/z", "x.CO.UK", "K.EDU/a",
                                      "plain words , 12", "dot.Com.", "e.g. U.S. 3.5", "a . com"])
    def test_substring_shortcut_masks_what_the_url_pattern_masks(self, text):
        from pipeline.features.samples import _URL

        expected = _DIGITS.sub("0", _URL.sub("<url>", text).lower())
        assert normalise_tokens(text) == expected


class TestSourceSpread:
    def test_drops_words_of_few_sources(self):
        X = [Sample("shared breitbart", group="a"), Sample("shared", group="b"), Sample("shared x", group="c")]
        spread = SourceSpread(2).fit(X)
        assert spread.dropped_ == {"breitbart", "x"}
        assert [s.text for s in spread.transform(X)] == ["shared", "shared", "shared"]

    def test_off_by_default_and_ungrouped_count_apart(self):
        X = [Sample("a b"), Sample("a")]
        assert SourceSpread().fit(X).transform(X) == X
        assert SourceSpread(2).fit(X).dropped_ == {"b"}


@pytest.mark.parametrize("use_target", [False, True])
def test_build_features_blocks(use_target):
    config = load_config(overrides={"features": {"min_sources": 2, "similarity": True}})
    union = build_features(config, use_target=use_target, n_samples=100)
    names = [name for name, _ in union.transformer_list]
    assert names[:2] == ["words", "chars"]
    assert ("similarity" in names) is use_target
    X = [replace(make_sample(lex(f"word{i % 7} common text here"), None, lex("common target")), group=f"s{i % 3}")
         for i in range(60)]
    matrix = union.fit_transform(X)
    assert matrix.shape[0] == 60 and np.isfinite(matrix.data).all()
    assert union.get_params()["words__tfidf__min_df"] == 2


def test_relation_features_of_models_saved_with_four():
    """A relation block fitted before the cue features existed still outputs 4 columns."""
    from pipeline.features.relation import RelationFeatures

    X = [Sample("a", relation=tuple(float(i) for i in range(len(RELATION_NAMES))))]
    assert RelationFeatures().fit(X).transform(X).shape == (1, len(RELATION_NAMES))
    old = RelationFeatures()  # as unpickled from an old model: no n_relation_
    assert old.transform(X).toarray().tolist() == [[0.0, 1.0, 2.0, 3.0]]
    assert RelationFeatures().transform([Sample("a", relation=(1.0, 2.0))]).shape == (1, 4)


def test_char_ngrams_read_only_the_lead():
    from pipeline.features.union import FieldSelector

    long = Sample("alpha beta gamma delta " * 10)
    [cut] = FieldSelector("text", max_chars=20).transform([long])
    assert cut == "alpha beta gamma "
    assert FieldSelector("text").transform([long]) == [long.text]
    assert load_config().features.char_max_chars == 1000


class TestReadingLimit:
    """A body is read up to ``max_tokens`` tokens, and only that much of it is tokenised."""

    def test_long_body_is_cut_before_tokenising(self):
        from pipeline.corpus import Piece
        from pipeline.features.samples import CHARS_PER_TOKEN, prepare_samples

        seen = []

        class Recorder:
            def lexical(self, texts, progress=None):
                seen.extend(texts)
                return [Lexical(" ".join(t.split()), (0,)) for t in texts]

        body = " ".join(f"w{i}" for i in range(5000))
        [sample] = prepare_samples([Piece(id="a", text=body, title="Head line")], Recorder(), max_tokens=100)
        assert len(sample.text.split()) == 2 + 100
        cut = [t for t in seen if t.startswith("w0 ")][0]
        assert len(cut) <= CHARS_PER_TOKEN * 100 and body.startswith(cut) and not cut.endswith(" ")
        assert len(cut.split()) >= 100  # the cut never removes a token that would have been read here

    def test_near_target_sentences_come_from_the_tokens_read(self):
        from pipeline.features.samples import make_sample

        body = Lexical("the plan is good . filler . the plan is bad .", (0, 5, 7))
        near = make_sample(body, target=Lexical("the plan", (0,)), max_tokens=7).near
        assert "good" in near and "bad" not in near

    def test_normalisation_masks_urls_emails_handles_and_digits(self):
        from pipeline.features.samples import normalise_tokens

        assert normalise_tokens("Mail a.b@x.org or see www.x.com/a and @Mayor_1 in 2024") == \
            "mail <email> or see <url> and @user in 0000"
        assert normalise_tokens("no links here, 3 words") == "no links here, 0 words"

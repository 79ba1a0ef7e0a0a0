"""Target-aware features: relation values read headline by body, and target similarity."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.features.relation import RELATION_NAMES, TargetSimilarity, relation_values
from pipeline.features.samples import Sample


def values(target: str, body: list[str]) -> dict[str, float]:
    sentences = [s.split() for s in body]
    return dict(zip(RELATION_NAMES, relation_values(target.split(), sentences, [w for s in sentences for w in s])))


class TestRelationValues:
    def test_one_value_per_name_in_unit_interval(self):
        out = relation_values("aliens land in mexico".split(), [["aliens", "landed", "."]], ["aliens", "landed", "."])
        assert len(out) == len(RELATION_NAMES)
        assert all(0.0 <= v <= 1.0 for v in out)

    def test_no_content_word_gives_zeros(self):
        assert relation_values("the of ?".split(), [["x"]], ["x"]) == (0.0,) * len(RELATION_NAMES)

    def test_best_sentence_lead_stems_and_bigrams(self):
        v = values("aliens land in mexico", ["weather is fine .", "filler text .", "more filler .",
                                             "aliens land in mexico city ."])
        assert v["best_sentence_coverage"] == 1.0
        assert v["lead_coverage"] == 0.0  # only the fourth sentence mentions it
        assert v["bigram_coverage"] == 1.0
        assert values("police arrests aliens", ["police arrested an alien ."])["stem_coverage"] == 1.0

    def test_cue_words_count_only_near_the_headline_terms(self):
        close = values("aliens land in mexico", ["the aliens hoax in mexico ."])
        far = values("aliens land in mexico",
                     ["aliens arrived in mexico today , officials say , and one two three four five six seven hoax ."])
        assert close["refute_window"] == 1.0
        assert far["refute_window"] < 1.0

    def test_negation_mismatch_with_the_closest_sentence(self):
        body = ["stocks fell .", "aliens did not land in mexico ."]
        assert values("aliens land in mexico", body)["negation_mismatch"] == 1.0
        assert values("aliens did not land in mexico", body)["negation_mismatch"] == 0.0
        assert values("aliens land in mexico", body)["negation_best"] == 1.0


class TestTargetSimilarityExtras:
    def test_lead_and_latent_columns(self):
        X = [Sample(f"aliens landed in mexico story {i}", target="aliens land in mexico") for i in range(5)]
        X += [Sample(f"the stock market fell sharply {i}", target="aliens land in mexico") for i in range(5)]
        sim = TargetSimilarity(lead_tokens=3, lsa_components=3).fit(X)
        names = sim.get_feature_names_out().tolist()
        assert names[:4] == ["sim_text", "sim_near", "sim_lead", "sim_latent"]
        matrix = sim.transform(X).toarray()
        assert matrix.shape == (10, len(names))
        latent = matrix[:, 3]
        assert latent[:5].min() > latent[5:].max()

    def test_defaults_add_no_columns(self):
        X = [Sample("a b c", target="a"), Sample("d e f", target="a")]
        assert TargetSimilarity().fit(X).get_feature_names_out().tolist()[:3] == ["sim_text", "sim_near", "sim_bin_0"]

    def test_fitted_before_the_extras_existed(self):
        X = [Sample("a b c", target="a"), Sample("d e f", target="a")]
        old = TargetSimilarity().fit(X)
        for attr in ("lead_tokens", "lsa_components", "svd_", "unseen_words", "unseen_idf_"):  # an older model
            delattr(old, attr)
        assert old.transform(X).shape == (2, 2 + len(old.bins) + 1)
        assert np.isfinite(old.transform(X).toarray()).all()


class TestUnseenWords:
    train = [Sample("the mayor opened a bridge in town", target="mayor opens bridge"),
             Sample("rain fell over the coast today", target="storm hits coast")]

    def test_a_new_story_shares_words_the_training_texts_never_held(self):
        new = [Sample("zorblax crater found by astronomers", target="zorblax crater discovered",
                      near="zorblax crater found by astronomers")]
        counted = TargetSimilarity().fit(self.train).transform(new).toarray()[0]
        dropped = TargetSimilarity(unseen_words=False).fit(self.train).transform(new).toarray()[0]
        assert dropped[:2].tolist() == [0.0, 0.0]
        # all five words unseen, so of one weight: 2 shared of 3 and of 4 ("by" is a stop word)
        assert counted[0] == pytest.approx(2 / np.sqrt(3 * 4), rel=1e-5)
        assert counted[1] == counted[0]

    def test_known_words_weigh_as_the_fitted_vectorizer(self):
        seen = [Sample("the mayor opened a bridge", target="mayor opens bridge", near="the mayor opened")]
        fitted = [TargetSimilarity(unseen_words=flag).fit(self.train) for flag in (True, False)]
        np.testing.assert_allclose(*(f.transform(seen + self.train).toarray() for f in fitted), rtol=1e-6)

    def test_a_weight_does_not_depend_on_the_rest_of_the_batch(self):
        sim = TargetSimilarity().fit(self.train)
        one = Sample("qux zed bridge", target="qux bridge", near="qux zed")
        others = [Sample("zed zed zed", target="zed qux"), Sample("nothing here", target="quux")]
        assert sim.transform([one]).toarray()[0].tolist() == pytest.approx(
            sim.transform([one, *others]).toarray()[0].tolist())

    def test_only_stop_words_give_zero_similarity(self):
        out = TargetSimilarity().fit(self.train).transform([Sample("the of a", target="the", near="")]).toarray()
        assert out[0, :2].tolist() == [0.0, 0.0]


class TestMention:
    def test_whole_target_first_then_its_first_content_word_found(self):
        from pipeline.features.relation import mention

        near = "the mayor praised sam lee , but the council mocked the plan ."
        assert mention(Sample("x", target="sam lee", near=near)) == (near, 18, 25)
        # "the" is a stop word; "budget" is absent; "council" is found
        assert mention(Sample("x", target="the budget council", near=near)) == (near, 36, 43)
        assert near[18:25] == "sam lee" and near[36:43] == "council"
        assert mention(Sample("x", target="nobody here", near=near)) is None
        assert mention(Sample("x", target="", near=near)) is None
        assert mention(Sample("x", target="sam", near="")) is None

    def test_matches_whole_tokens_only(self):
        from pipeline.features.relation import mention

        assert mention(Sample("x", target="lee", near="fleet of lee .")) == ("fleet of lee .", 9, 12)


class TestMentionContext:
    SENTENCE = "anna praised the plan , but ben mocked it ."

    def test_two_targets_of_one_sentence_get_different_rows(self):
        from pipeline.features.relation import MentionContext

        samples = [Sample("x", target=t, near=self.SENTENCE) for t in ("anna", "ben", "anna", "ben")]
        block = MentionContext(min_df=1).fit(samples)
        matrix = block.transform(samples + [Sample("x", target="zoe", near=self.SENTENCE)]).toarray()
        assert matrix.shape == (5, block.featurizer_.n_features_out_) == (5, len(block.get_feature_names_out()))
        assert not np.array_equal(matrix[0], matrix[1]) and np.array_equal(matrix[0], matrix[2])
        assert not matrix[4].any()  # target not in the sentence: an empty row
        names = block.get_feature_names_out()
        anna = {n for n, v in zip(names, matrix[0]) if v}
        assert any("praised" in n for n in anna) and not any("anna" in n for n in anna)  # no per-name prior

    def test_no_mention_anywhere(self):
        from pipeline.features.relation import MentionContext

        samples = [Sample("x"), Sample("y", target="zoe", near="nothing here .")]
        block = MentionContext().fit(samples)
        assert block.transform(samples).nnz == 0 and block.transform(samples).shape[0] == 2

    def test_init_only_stores_parameters(self):
        from sklearn.base import clone

        from pipeline.features.relation import MentionContext

        block = MentionContext(window=3, min_df=4)
        assert clone(block).get_params() == {"window": 3, "min_df": 4}
        assert not [k for k in vars(block) if k.endswith("_")]

    def test_the_task_model_tells_two_targets_of_one_sentence_apart(self):
        """Trained on some names, it labels others by what the sentence does to each; without
        the block both targets of a sentence get the same label."""
        from pipeline.config import load_config
        from pipeline.corpus import Piece
        from pipeline.features.samples import prepare_samples
        from pipeline.models.factory import fit_task
        from pipeline.nlp.processor import Processor

        templates = ["{a} praised the new plan , but {b} mocked it .",
                     "{b} attacked the deal while {a} welcomed it .",
                     "{a} won wide support for the bill , and {b} lost the vote ."]
        names = ["Anna", "Ben", "Carla", "Dev", "Ema", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lia"]

        def pieces(pairs):
            out = []
            for k, (a, b) in enumerate(pairs):
                text = templates[k % len(templates)].format(a=a, b=b)
                out += [Piece(id=f"{a}{k}", text=text, target=a, labels={"sentiment": "positive"}),
                        Piece(id=f"{b}{k}", text=text, target=b, labels={"sentiment": "negative"})]
            return out

        train = pieces([(a, b) for a in names[:6] for b in names[6:9] if a != b])
        test = pieces([(a, b) for a, b in zip(names[9:] + names[:3], names[3:6] + names[9:])])
        proc = Processor()
        x_train, x_test = prepare_samples(train, proc), prepare_samples(test, proc)
        gold = [p.labels["sentiment"] for p in test]
        accuracy = {}
        for on in (True, False):
            config = load_config(overrides={"features": {"mention_context": on, "char_ngrams": [0, 0]},
                                            "classifier": {"calibration_folds": 0}})
            model = fit_task(config, x_train, [p.labels["sentiment"] for p in train], use_target=True)
            assert ("mention" in model.named_steps["features"].named_transformers) == on
            accuracy[on] = np.mean(model.predict(x_test) == np.asarray(gold))
            if on:  # explanations read the mention features as phrases, not the featurizer's codes
                from pipeline.evaluation.explain import feature_names

                mentions = [n for n in feature_names(model) if n.startswith("target mention: ")]
                assert 'target mention: "praised" after it' in mentions
                assert not [n for n in mentions if "=" in n]
        assert accuracy[True] == 1.0 and accuracy[False] <= 0.5

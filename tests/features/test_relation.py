"""Target-aware features: relation values read headline by body, and the mention context."""

from __future__ import annotations

import numpy as np

from pipeline.features.relation import RELATION_NAMES, relation_values
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

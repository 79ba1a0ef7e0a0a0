"""Target-aware features: relation values read headline by body, and target similarity."""

from __future__ import annotations

import numpy as np

from pipeline.features import Sample
from pipeline.relation import RELATION_NAMES, TargetSimilarity, relation_values


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
        for attr in ("lead_tokens", "lsa_components", "svd_"):  # as unpickled from an older model
            delattr(old, attr)
        assert old.transform(X).shape == (2, 2 + len(old.bins) + 1)
        assert np.isfinite(old.transform(X).toarray()).all()

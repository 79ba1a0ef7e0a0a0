"""The target similarity block: TF-IDF cosines of target and text, bins, extras, unseen words."""

import numpy as np
import pytest

from pipeline.features.samples import Sample
from pipeline.features.similarity import TargetSimilarity


class TestTargetSimilarity:
    def test_related_scores_higher(self):
        X = [Sample("aliens landed in mexico", target="aliens land in mexico", near="aliens landed in mexico"),
             Sample("the stock market fell", target="aliens land in mexico")]
        sim = TargetSimilarity().fit(X)
        matrix = sim.transform(X).toarray()
        assert matrix.shape == (2, len(sim.get_feature_names_out()))
        assert matrix[0, 0] > 0.3 > matrix[1, 0] == 0.0
        assert matrix[:, 2:].sum(axis=1).tolist() == [1.0, 1.0]  # exactly one bin each


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

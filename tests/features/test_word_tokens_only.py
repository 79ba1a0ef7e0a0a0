"""`features.word_tokens_only`: word n-grams without punctuation and one-character tokens."""

from __future__ import annotations

from pipeline.config import load_config
from pipeline.features.samples import Sample
from pipeline.features.union import build_features


def test_word_ngrams_skip_punctuation_and_single_characters():
    config = load_config(overrides={"features": {"word_tokens_only": True, "char_ngrams": [0, 0]}})
    union = build_features(config, use_target=False, n_samples=4)
    union.fit([Sample("he said , “ a tax ” rose"), Sample("she said : tax fell")])
    names = {n.split("__", 1)[1] for n in union.get_feature_names_out()}
    assert {"said", "tax", "he said", "said tax", "tax rose"} <= names
    assert not {",", "“", "a", ":", "said ,"} & names


def test_off_by_default_keeps_every_token():
    config = load_config(overrides={"features": {"char_ngrams": [0, 0]}})
    union = build_features(config, use_target=False, n_samples=4)
    union.fit([Sample("he said , a tax")])
    assert "words__said ," in set(union.get_feature_names_out())

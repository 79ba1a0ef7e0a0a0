"""The entity-stance classifier, its features, the NewsMTSC reader and attach_stance.

The classifier takes (sentence, start, end) triples, not numeric arrays, so scikit-learn's
``parametrize_with_checks`` does not apply; the contract is tested here by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import f1_score

from pipeline import errors
from pipeline.entities import (
    EntityStanceClassifier,
    TargetFeaturizer,
    attach_stance,
    extract_entities,
    read_newsmtsc,
    train_entity_stance,
)
from pipeline.features.mention import sample_features

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "newsmtsc"

TEMPLATES = {
    "positive": ["{n} praised the brave volunteers.", "Voters admire {n} for her honest work.",
                 "{n} won a great victory and helped thousands.", "Everyone loves {n} and her kind heart."],
    "negative": ["{n} was accused of fraud and lies.", "Critics blamed {n} for the terrible failure.",
                 "{n} attacked reporters in an ugly rant.", "{n} was charged with corruption."],
    "neutral": ["{n} arrived in Boston on Monday.", "{n} will meet the committee next week.",
                "The report was sent to {n} on Friday.", "{n} lives in a small town near the coast."],
}
NAMES = ["Ana Ruiz", "Tom Berg", "Lena Park", "Omar Haddad"]


def mention(template: str, name: str) -> tuple[str, int, int]:
    text = template.format(n=name)
    start = text.index(name)
    return text, start, start + len(name)


@pytest.fixture(scope="module")
def small_data():
    X, y = [], []
    for label, templates in TEMPLATES.items():
        for template in templates:
            for name in NAMES:
                X.append(mention(template, name))
                y.append(label)
    return X, y


@pytest.fixture(scope="module")
def fitted(small_data):
    X, y = small_data
    return EntityStanceClassifier(min_df=1, C=10.0, cv=3).fit(X, y)


class TestEntityStanceClassifier:
    def test_init_only_stores_params(self):
        model = EntityStanceClassifier(C=2.0, window=3)
        assert model.get_params()["C"] == 2.0 and model.get_params()["window"] == 3
        assert not [k for k in vars(model) if k.endswith("_")]
        assert clone(model).get_params() == model.get_params()

    def test_fit_returns_self_and_learns(self, small_data):
        X, y = small_data
        model = EntityStanceClassifier(min_df=1, C=10.0, calibration=None)
        assert model.fit(X, y) is model
        assert list(model.classes_) == ["negative", "neutral", "positive"]
        assert (model.predict(X) == np.asarray(y)).mean() > 0.9

    def test_predict_proba(self, fitted, small_data):
        X, _ = small_data
        proba = fitted.predict_proba(X)
        assert proba.shape == (len(X), 3)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        assert fitted.predict_proba([]).shape == (0, 3)

    def test_unseen_sentences(self, fitted):
        pred = fitted.predict([mention("Critics blamed {n} for the ugly fraud.", "Mia Cole"),
                               mention("Voters admire {n} and her great work.", "Mia Cole")])
        assert list(pred) == ["negative", "positive"]

    def test_save_reload_same_predictions(self, fitted, small_data, tmp_path):
        X, _ = small_data
        path = tmp_path / "stance.joblib"
        joblib.dump(fitted, path)
        again = joblib.load(path)
        np.testing.assert_array_equal(again.predict(X), fitted.predict(X))
        np.testing.assert_allclose(again.predict_proba(X), fitted.predict_proba(X))

    def test_not_fitted(self):
        with pytest.raises(NotFittedError):
            EntityStanceClassifier().predict([("Ana spoke.", 0, 3)])

    @pytest.mark.parametrize("bad", [("Ana spoke.", 5, 3), ("Ana spoke.", 0, 99), ("Ana", "0", 3), "Ana"])
    def test_bad_samples(self, fitted, bad):
        with pytest.raises(errors.InputError):
            fitted.predict([bad])

    def test_one_class_is_a_training_error(self):
        with pytest.raises(errors.TrainingError):
            EntityStanceClassifier().fit([("Ana spoke.", 0, 3)] * 3, ["neutral"] * 3)

    def test_labels_must_match_samples(self):
        with pytest.raises(errors.TrainingError):
            EntityStanceClassifier().fit([("Ana spoke.", 0, 3)] * 3, ["neutral", "positive"])


class TestFeatures:
    def test_features_depend_on_the_mention(self):
        text = "Critics blamed Ana Ruiz, while voters praised Tom Berg."
        a, _ = sample_features(text, 15, 23)
        b, _ = sample_features(text, 46, 54)
        assert a != b
        assert "R1=," in a and "L1=praised" in b

    def test_mention_is_masked(self):
        feats, _ = sample_features("Ana Ruiz spoke.", 0, 8, mention_words=False)
        assert "u=<t>" in feats and "u=ana" not in feats

    def test_negation_flips_lexicon(self):
        _, plain = sample_features("Ana Ruiz is good.", 0, 8)
        _, negated = sample_features("Ana Ruiz is not good.", 0, 8)
        assert plain[0] > 0 and negated[1] > 0  # sent_pos, then sent_neg

    def test_quote_and_speaker_flags(self):
        feats, _ = sample_features("“Ana Ruiz is wrong,” Tom Berg said.", 21, 29)
        assert "speaker" in feats and "has_quote" in feats

    def test_featurizer_shapes(self, small_data):
        X, _ = small_data
        f = TargetFeaturizer(min_df=1).fit(X)
        matrix = f.transform(X[:5])
        assert matrix.shape == (5, len(f.get_feature_names_out()))


class TestNewsMTSCReader:
    def test_reads_targets(self, tmp_path):
        path = tmp_path / "mini.jsonl"
        rows = [{"sentence_normalized": "Ana Ruiz lied to Tom Berg.",
                 "targets": [{"from": 0, "to": 8, "mention": "Ana Ruiz", "polarity": 2.0},
                             {"from": 17, "to": 25, "mention": "Tom Berg", "polarity": 4.0}]}]
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        X, y = read_newsmtsc(path)
        assert X == [("Ana Ruiz lied to Tom Berg.", 0, 8), ("Ana Ruiz lied to Tom Berg.", 17, 25)]
        assert y == ["negative", "neutral"]

    def test_bad_record_names_the_line(self, tmp_path):
        path = tmp_path / "bad.jsonl"
        path.write_text('{"sentence_normalized": "Ana.", "targets": []}\n{"targets": []}\n', encoding="utf-8")
        with pytest.raises(errors.CorpusError, match=r"bad.jsonl:2"):
            read_newsmtsc(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(errors.InputError):
            read_newsmtsc(tmp_path / "nope.jsonl")

    @pytest.mark.skipif(not (DATA / "train.jsonl").is_file(), reason="NewsMTSC data is absent")
    def test_real_newsmtsc(self, tmp_path):
        lines = (DATA / "train.jsonl").read_text(encoding="utf-8").splitlines()[:2500]
        subset = tmp_path / "train_subset.jsonl"
        subset.write_text("\n".join(lines) + "\n", encoding="utf-8")
        model = train_entity_stance(subset, calibration=None)
        X, y = read_newsmtsc(DATA / "devtest_mt.jsonl")
        assert f1_score(y, model.predict(X), average="macro") > 0.5


class TestAttachStance:
    def test_fills_stance_from_each_mention(self, fitted, make_doc):
        doc = make_doc("Critics blamed Ana Ruiz for the terrible failure. Voters admire Tom Berg.",
                       ("Ana Ruiz", "PERSON"), ("Tom Berg", "PERSON"))
        entities = attach_stance(extract_entities(doc), doc, fitted)
        by = {e.text: e for e in entities}
        assert by["Ana Ruiz"].stance == "negative"
        assert set(by["Ana Ruiz"].stance_proba) == {"negative", "neutral", "positive"}
        assert abs(sum(by["Tom Berg"].stance_proba.values()) - 1) < 1e-6

    def test_with_real_sentences(self, fitted, nlp):
        doc = nlp("Critics blamed Senator Ana Ruiz for the terrible failure. Ruiz was charged with "
                  "corruption. Voters admire Tom Berg for his honest work.")
        by = {e.text: e for e in attach_stance(extract_entities(doc), doc, fitted)}
        assert by["Ana Ruiz"].count == 2 and by["Ana Ruiz"].stance == "negative"
        assert by["Tom Berg"].stance == "positive"

    def test_unfitted_model_is_an_error(self, make_doc):
        doc = make_doc("Ana Ruiz spoke.", ("Ana Ruiz", "PERSON"))
        with pytest.raises(errors.ModelError):
            attach_stance(extract_entities(doc), doc, EntityStanceClassifier())


class TestDescribeFeature:
    @pytest.mark.parametrize(("name", "phrase"), [
        ("Rn=mocked", '"mocked" after it'),
        ("Lo=mayor", '"mayor" before it, past another name'),
        ("L1=the", '"the" right before it'),
        ("R2=mocked", '"mocked" 2-3 words after it'),
        ("Lb=the new", '"the new" just before it'),
        ("b=<t> praised", '"[mention] praised" in the sentence'),
        ("c=budget", '"budget" in its clause'),
        ("xown+=praised", '"praised" (positive, aimed at the mention)'),
        ("xoth-", "negative words aimed at another name"),
        ("xL1+", "positive words right before it"),
        ("pos=1", "mention at 20-40% of the sentence"),
        ("speaker", "the mention is the speaker (said, according to)"),
        ("lex:clause_min", "most negative word in its clause"),
        ("near_pos", "positive words weighted by nearness"),
        ("not a code", "not a code"),
    ])
    def test_phrases(self, name, phrase):
        from pipeline.features.mention import describe_feature

        assert describe_feature(name) == phrase

    def test_every_feature_of_a_rich_sentence_is_described(self):
        from pipeline.features.mention import describe_feature

        text = 'Mayor Anna Berg said the plan was "a disaster", but Ben Hale never praised her good work.'
        start = text.index("Ben Hale")
        names = TargetFeaturizer(min_df=1).fit([(text, start, start + 8)]).get_feature_names_out().tolist()
        assert len(names) > 40 and "lex:clause_min" in names
        assert [n for n in names if describe_feature(n) == n] == []

"""Explanations: terms and sentences behind a prediction, in the piece's own words."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.corpus import Piece
from pipeline.evaluation.explain import explain, explain_pieces, misclassified, piece_sentences, top_features

TRAIN = [
    ("Critics say the cameras are dangerous and must be banned.", "oppose"),
    ("The dangerous system harms rights; ban it now.", "oppose"),
    ("Groups warn the tool is biased and dangerous.", "oppose"),
    ("Ban the dangerous cameras, residents demand.", "oppose"),
    ("Police praise the helpful cameras for solving crimes.", "support"),
    ("The helpful tool keeps streets safe, officials say.", "support"),
    ("Supporters call the cameras helpful and safe.", "support"),
    ("Officials say the helpful system saves lives.", "support"),
]


@pytest.fixture(scope="module")
def processor():
    from pipeline.nlp.processor import Processor

    return Processor(None)


@pytest.fixture(scope="module")
def model(processor):
    from pipeline.config import load_config, task_config
    from pipeline.features.samples import prepare_samples
    from pipeline.models.factory import fit_task
    from pipeline.models.framing import FramingModel

    config = load_config(overrides={"classifier": {"calibration_folds": 0}, "features": {"char_ngrams": [0, 0]}})
    pieces = [Piece(id=str(i), text=t) for i, (t, _) in enumerate(TRAIN)]
    samples = prepare_samples(pieces, processor)
    pipe = fit_task(task_config(config, "stance"), samples, [y for _, y in TRAIN], use_target=False)
    return FramingModel(tasks={"stance": pipe}, info={"config": config.to_dict()})


MIXED = Piece(id="m", title="In 2019, a VOTE on cameras",
              text="Officials say the helpful cameras keep streets safe. Critics call them dangerous and want a ban.")


class TestExplainPieces:
    def test_sentences_are_the_original_text_and_push_both_ways(self, model, processor):
        ex = explain_pieces(model, [MIXED], processor, k=20)[0]["stance"]
        texts = [s["text"] for s in ex["sentences"]]
        assert texts == ["In 2019, a VOTE on cameras", "Officials say the helpful cameras keep streets safe.",
                         "Critics call them dangerous and want a ban."]
        by_text = {s["text"]: s["contribution"] for s in ex["sentences"]}
        helpful, dangerous = by_text[texts[1]], by_text[texts[2]]
        assert (helpful > 0 > dangerous) if ex["explained_label"] == "support" else (dangerous > 0 > helpful)
        assert ex["toward_sentences"][0]["contribution"] == max(by_text.values())
        assert ex["against_sentences"][0]["contribution"] == min(by_text.values())
        body = ex["sentences"][1]
        assert MIXED.text[body["start"]:body["end"]] == body["text"] and body["field"] == "text"

    def test_sentence_contribution_is_the_sum_of_its_features(self, model, processor):
        ex = explain_pieces(model, [MIXED], processor, k=10_000)[0]["stance"]
        terms = {t["feature"]: t["contribution"] for t in ex["toward"] + ex["against"]}
        # unigrams and bigrams of the last sentence's normalised tokens that the model knows
        words = "critics call them dangerous and want a ban .".split()
        grams = {f"word: {w}" for w in words} | {f"word: {a} {b}" for a, b in zip(words, words[1:])}
        expected = sum(v for name, v in terms.items() if name in grams)
        assert ex["sentences"][2]["contribution"] == pytest.approx(expected, abs=1e-3)

    def test_contributions_add_up_to_the_score(self, model, processor):
        ex = explain_pieces(model, [MIXED], processor, k=10_000)[0]["stance"]
        total = sum(t["contribution"] for t in ex["toward"] + ex["against"]) + ex["bias"]
        p = ex["probabilities"]
        other = next(lab for lab in p if lab != ex["explained_label"])
        # two classes: score against the mean = half the log-odds
        assert total == pytest.approx(0.5 * np.log(p[ex["explained_label"]] / p[other]), abs=0.01)

    def test_terms_are_shown_as_the_piece_wrote_them(self, model, processor):
        piece = Piece(id="c", text="DANGEROUS Cameras. Helpful cameras.")
        ex = explain_pieces(model, [piece], processor, k=50)[0]["stance"]
        terms = {t["feature"]: t["term"] for t in ex["toward"] + ex["against"]}
        assert terms["word: dangerous"] == "DANGEROUS"
        assert terms["word: helpful"] == "Helpful"

    def test_below_min_confidence_the_label_is_uncertain(self, model, processor):
        ex = explain_pieces(model, [MIXED], processor, min_confidence=0.999)[0]["stance"]
        assert ex["label"] == "uncertain"
        assert ex["explained_label"] in ("support", "oppose")


def test_explain_without_sentences_keeps_the_term_lists(model, processor):
    from pipeline.features.samples import prepare_samples

    sample = prepare_samples([Piece(id="x", text="The dangerous cameras.")], processor)[0]
    ex = explain(model.tasks["stance"], sample, label="support")
    assert ex["explained_label"] == "support" and "sentences" not in ex
    assert any(t["term"] == "dangerous" for t in ex["against"])


def test_piece_sentences_skip_whitespace_and_keep_offsets(processor):
    text = "First  line here.\n\nSecond one!"
    lex = processor.lexical([text])[0]
    sents = piece_sentences(text, lex)
    assert [s["text"] for s in sents] == ["First  line here.", "Second one!"]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in sents)


def test_misclassified_lists_the_most_confident_errors_first(model, processor):
    pieces = [Piece(id="a", text="Helpful helpful cameras keep streets safe.", labels={"stance": "oppose"}),
              Piece(id="b", text="The cameras.", labels={"stance": "oppose"}),
              Piece(id="c", text="Dangerous cameras must be banned.", labels={"stance": "oppose"})]
    errors = misclassified(model, pieces, processor)
    ids = [e["piece"].id for e in errors]
    assert "c" not in ids and ids[0] == "a"
    assert [e["confidence"] for e in errors] == sorted((e["confidence"] for e in errors), reverse=True)
    assert errors[0]["gold"] == "oppose" and errors[0]["predicted"] == "support"
    assert errors[0]["explanation"]["explained_label"] == "support"


def test_top_features_point_the_right_way(model):
    top = top_features(model.tasks["stance"], k=5)
    assert "word: dangerous" in [name for name, _ in top["oppose"]]
    assert "word: helpful" in [name for name, _ in top["support"]]


def test_a_per_target_model_explains_with_the_weights_of_the_pieces_target(processor):
    """tests/data/per_target_model: the same words mean support for the tram line and opposition
    to the toll road, so the same term pushes toward a different label for each target."""
    from pipeline import load_model
    from pipeline.features.samples import prepare_samples

    from ..conftest import DATA, data_script

    save = data_script("per_target_model", "save")
    model = load_model(DATA / "per_target_model" / "model", trust=True)
    pipe = model.tasks["stance"]
    by_id = {p.id: p for p in save.pieces()}
    tram, toll = prepare_samples([by_id["tram-0-0"], by_id["toll-0-0"]], processor, max_tokens=model.max_tokens)
    towards = {}
    for name, sample in (("tram", tram), ("toll", toll)):
        result = explain(pipe, sample)
        towards[name] = result["label"], {t["term"] for t in result["toward"]}
    assert towards["tram"][0] == "support" and towards["toll"][0] == "oppose"
    assert "council" in towards["tram"][1] & towards["toll"][1]  # one word, toward opposite labels

"""Fit a boosted second stage on pieces written for the purpose and save its probabilities, so that
tests can show a later BoostedStage (columns found by name, not as "the last N") predicts the same.

Run from the repository root with the code to compare against:
    PYTHONPATH=. python tests/data/boosted_stage/make_expected.py tests/data/boosted_stage/expected.json
"""
import json
import sys

from pipeline.config import load_config
from pipeline.corpus import Piece
from pipeline.features.samples import prepare_samples
from pipeline.nlp.processor import Processor
from pipeline.training.train import train

BODIES = {
    "agree": ["Officials confirmed that {t} on Monday, witnesses said.",
              "Police said it was true that {t}, and showed photographs.",
              "The ministry announced that {t}, as first reported."],
    "disagree": ["Officials said the story that {t} is a hoax and never happened.",
                 "Experts denied claims that {t}; the video was fake.",
                 "Nothing suggests {t}, the agency said, calling it false."],
    "discuss": ["Some reports claim {t}, though nobody has confirmed it.",
                "It is unclear whether {t}, according to local radio.",
                "Rumours that {t} spread online on Tuesday."],
    "unrelated": ["The stock market fell sharply on Monday as oil prices rose.",
                  "A new bakery opened downtown, selling bread and cakes.",
                  "The football team won its third match in a row."],
}
TARGETS = ["aliens landed in Mexico", "the mayor resigned", "a bridge collapsed in Ohio", "the river flooded the town"]


def pieces() -> list[Piece]:
    out = []
    for label, bodies in BODIES.items():
        for i, body in enumerate(bodies):
            for j, target in enumerate(TARGETS):
                text = body.format(t=target) + f" Report {i}{j}."
                out.append(Piece(id=f"{label}-{i}-{j}", text=text, target=target.capitalize(),
                                 labels={"stance": label}))
    return out


def fit():
    config = load_config(overrides={
        # solver: the one expected.json was made with (before newton-cg became the default)
        "classifier": {"gate_label": "unrelated", "stage2": "boosted", "stage2_C": 0.25, "calibration_folds": 0,
                       "solver": "lbfgs"},
        "features": {"similarity": True, "mention_context": True}})
    data = pieces()
    model = train(data, config=config, evaluate=False).model
    samples = prepare_samples(data, Processor(), max_tokens=model.max_tokens)
    return model, data, samples


if __name__ == "__main__":
    model, data, samples = fit()
    proba = model.predict_proba(samples)["stance"]
    out = {"labels": model.labels("stance"), "ids": [p.id for p in data], "proba": proba.tolist()}
    with open(sys.argv[1], "w") as handle:
        json.dump(out, handle, indent=0)
        handle.write("\n")
    print("saved", proba.shape)

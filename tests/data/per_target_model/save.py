"""Save a tiny stance model with per-target weights (two targets with their own weights), plus the
probabilities it gives, so tests can show that a later TargetAugmentedClassifier (target column
found by name, not as "the last column") loads this pickle and predicts the same.

Saved with the code of commit 865c231 (position-based target column). Run from the repository root:
    PYTHONPATH=. python tests/data/per_target_model/save.py tests/data/per_target_model
"""
import json
import sys
from pathlib import Path

from pipeline.config import load_config
from pipeline.corpus import Piece
from pipeline.features.samples import prepare_samples
from pipeline.models.persist import save_model
from pipeline.nlp.processor import Processor
from pipeline.training.train import train

# The same words mean support for one target and opposition to the other.
PHRASES = ["wants more {t} now", "keeps talking about {t}", "will vote on {t} soon", "praised the {t} plan",
           "asked for the {t} budget", "signed a letter on {t}"]
TARGETS = {"the tram line": "support", "the toll road": "oppose"}
OTHER = {"support": "oppose", "oppose": "support"}


def pieces() -> list[Piece]:
    out = []
    for target, favour in TARGETS.items():
        for i, phrase in enumerate(PHRASES):
            for j, (who, label) in enumerate((("The council", favour), ("The residents' group", OTHER[favour]))):
                text = f"{who} {phrase.format(t=target)}. Meeting {i}{j} was long."
                out.append(Piece(id=f"{target.split()[-2]}-{i}-{j}", text=text, target=target,
                                 labels={"stance": label}))
    return out


def fit():
    config = load_config(overrides={
        # solver: the one the model was saved with (before newton-cg became the default)
        "classifier": {"calibration_folds": 0, "min_target_pieces": 4, "solver": "lbfgs"},
        "features": {"word_max_features": 500, "char_max_features": 500}})
    data = pieces()
    model = train(data, tasks=["stance"], config=config, evaluate=False).model
    return model, data


if __name__ == "__main__":
    out = Path(sys.argv[1])
    model, data = fit()
    model.info["name"] = "per_target_model"
    model.info["note"] = "Tiny per-target stance model saved at 865c231 (target column read by position)."
    save_model(model, out / "model")
    samples = prepare_samples(data, Processor(), max_tokens=model.max_tokens)
    proba = model.predict_proba(samples)["stance"]
    clf = model.tasks["stance"].named_steps["clf"]
    expected = {"labels": model.labels("stance"), "ids": [p.id for p in data], "n_targets": clf.n_targets_,
                "proba": proba.tolist()}
    (out / "expected.json").write_text(json.dumps(expected, indent=0) + "\n")
    print("saved", proba.shape, "targets with own weights:", clf.n_targets_)

"""Save a tiny model with the pre-regroup code (old module paths in its pickles), plus the
predictions it makes, so tests can prove that the renamed package still loads it."""
import json, sys
from pathlib import Path
from pipeline import read_corpus, train, save_model, load_config
from pipeline.features import prepare_samples
from pipeline.nlp import Processor
from pipeline.entities.stance import EntityStanceClassifier

out = Path(sys.argv[1])
pieces = list(read_corpus("corpus/sample"))
pieces = pieces[::8][:40]
cfg = load_config()
cfg["features"]["similarity"] = True
cfg["features"]["mention_context"] = True
cfg["features"]["word_max_features"] = 2000
cfg["features"]["char_max_features"] = 2000
cfg.setdefault("tasks", {}).setdefault("stance", {})["classifier"] = {"gate_label": "neutral", "stage2": "boosted"}
proc = Processor()
result = train(pieces, config=cfg, processor=proc, evaluate=False)
model = result.model
ent_samples = [
    ("Mayor Dana Reyes praised the new transit plan as a triumph.", 6, 16),
    ("Critics said Councillor Omar Pike botched the budget badly.", 23, 32),
    ("Governor Ana Lutz announced the hearing for Tuesday.", 9, 17),
    ("Residents cheered Dana Reyes for fixing the bridge quickly.", 18, 28),
    ("Officials blamed Omar Pike for the chaotic rollout.", 17, 26),
    ("Ana Lutz will speak at the meeting on Friday.", 0, 8),
    ("The union thanked Dana Reyes for her strong support.", 18, 28),
    ("Voters attacked Omar Pike over the failed scheme.", 16, 25),
    ("Ana Lutz visited the plant in the morning.", 0, 8),
]
ent_labels = ["positive", "negative", "neutral"] * 3
ent = EntityStanceClassifier(min_df=1).fit(ent_samples, ent_labels)
model.extras["entity_stance"] = ent
model.info["name"] = "pre_regroup_model"
model.info["note"] = "Tiny model saved by the pre-regroup code (commit 29949c5) to test loading old module paths."
save_model(model, out)
samples = prepare_samples(pieces, proc, max_tokens=model.max_tokens)
proba = model.predict_proba(samples)
expected = {
    "piece_ids": [p.id for p in pieces],
    "tasks": {t: {"labels": model.labels(t), "proba": p.tolist()} for t, p in proba.items()},
    "entity_stance": {"samples": [list(s) for s in ent_samples], "labels": [str(c) for c in ent.classes_],
                      "proba": ent.predict_proba(ent_samples).tolist()},
}
(out.parent / "pre_regroup_expected.json").write_text(json.dumps(expected, indent=1) + "\n")
print("ok", {t: p.shape for t, p in proba.items()})

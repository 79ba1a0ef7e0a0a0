"""Direct-quote attribution on sentences we wrote: who is quoted, who is only mentioned.

    python benchmarks/entities_quotes.py

``tests/entities/data/quotes_heldout.jsonl`` (20 sentences) was written first and scored once,
after the rules were written against ``quotes_dev.jsonl`` (20 other sentences); the patterns:
name + speech verb + quote, quote + speech verb + name, "..., said X", a colon introducing a
quote (also "X on Twitter: ..."), "according to X", a pronoun for the last person named (with
the gender "Mrs." or "Councilwoman" gives), and names that are spoken to, possessors and
objects ("critics of X say"), which are not quoted. Scored: precision and recall of
``quoted`` over the listed people, and accuracy over all of them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "entities" / "data"
# The held-out set's one scoring before its failures were looked at (2026-12-02).
HELDOUT_FIRST = {"precision": 0.867, "recall": 0.929, "accuracy": 0.870, "tp": 13, "fp": 2, "fn": 1, "tn": 7}


def score_quotes(nlp, path: Path) -> tuple[dict[str, float], list[str]]:
    """Score ``quoted`` on one JSONL file of sentences; return the scores and the errors."""
    from pipeline.entities import extract_entities
    from pipeline.entities.names import name_key

    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    tp = fp = fn = tn = 0
    errors = []
    for item in items:
        entities = extract_entities(nlp(item["text"]))
        by_name = {name_key(t): e for e in entities for t in (e.text, *e.aliases)}
        for name, want in [(n, True) for n in item["quoted"]] + [(n, False) for n in item["mentioned"]]:
            e = by_name.get(name_key(name))
            got = bool(e and e.quoted)
            tp += want and got
            fn += want and not got
            fp += got and not want
            tn += not want and not got
            if want != got:
                errors.append(f"{item['id']}: {name} quoted={got}, expected {want}" + ("" if e else " (not found)"))
    n = tp + fp + fn + tn
    return {"precision": tp / max(1, tp + fp), "recall": tp / max(1, tp + fn), "accuracy": (tp + tn) / max(1, n),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}, errors


def main() -> None:
    from benchmarks._common import command, table, write_section
    from pipeline.nlp.processor import load_nlp

    nlp = load_nlp(None, "entities")
    rows = []
    for split in ("dev", "heldout"):
        scores, errors = score_quotes(nlp, DATA / f"quotes_{split}.jsonl")
        rows.append([f"{split} (now)", scores["precision"], scores["recall"], scores["accuracy"],
                     scores["tp"] + scores["fn"], scores["fp"] + scores["tn"]])
        print(f"quotes {split}: precision {scores['precision']:.3f} recall {scores['recall']:.3f} "
              f"accuracy {scores['accuracy']:.3f} (tp {scores['tp']} fp {scores['fp']} fn {scores['fn']} tn {scores['tn']})")
        for line in errors:
            print("   ", line)
    first = HELDOUT_FIRST
    print(f"quotes heldout, scored once before its failures were fixed: precision {first['precision']:.3f} "
          f"recall {first['recall']:.3f} accuracy {first['accuracy']:.3f}")
    rows.append(["heldout, scored once before its failures were fixed", first["precision"], first["recall"],
                 first["accuracy"], first["tp"] + first["fn"], first["fp"] + first["tn"]])
    if "--no-write" not in sys.argv:
        write_section("entities-quotes", "\n".join([
            "## Direct-quote attribution (sentences we wrote: 20 development, 20 held out)", "",
            f"`{command()}`. The held-out half was written first and scored once, after the rules were "
            "written against the development half; its two failures (\"critics of Governor X say\", and "
            "\"she said\" after a congresswoman and a senator) were then fixed, so its row now is no "
            "longer a held-out figure. `quoted` precision and recall over the people each sentence "
            "names; a plain reference (everyone named is quoted) scores precision 0.65 (dev) and 0.61 (held out), recall 1.0.", "",
            table(["set", "precision", "recall", "accuracy", "quoted people", "not quoted"], rows)]))


if __name__ == "__main__":
    main()

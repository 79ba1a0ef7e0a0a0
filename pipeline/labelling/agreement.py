"""Agreement between annotators: Cohen's kappa for each pair, Krippendorff's alpha for all of them.

Krippendorff's alpha (nominal) follows Krippendorff (2011), "Computing Krippendorff's
Alpha-Reliability": the coincidence matrix counts, within each unit coded by ``m >= 2`` coders,
every ordered pair of values with weight ``1 / (m - 1)``; units coded once carry no pair and are
left out, which is how the coefficient allows missing data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from itertools import combinations, permutations
from typing import Any

from .store import LabelLog


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two annotators' labels for the same items (in the same order).

    Returns:
        ``(p_o - p_e) / (1 - p_e)``, or None when it is undefined (no items, or both annotators
        always gave one and the same label, so chance agreement is 1).

    Raises:
        ValueError: When the two sequences differ in length.
    """
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs two equally long label lists, got {len(a)} and {len(b)}.")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[label] * cb[label] for label in ca) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(units: Mapping[Hashable, Sequence[Hashable]] | Sequence[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal values, any number of coders, missing values allowed.

    Args:
        units: For each unit (piece), the values the coders who coded it gave (a coder who did not
            code it simply has no value there): a mapping unit -> values, or a list of value lists.

    Returns:
        ``1 - D_o / D_e``, or None when it is undefined (no unit coded twice, or a single value
        used throughout, so there is no expected disagreement).
    """
    values = units.values() if isinstance(units, Mapping) else units
    coincidence: Counter = Counter()
    for coded in values:
        m = len(coded)
        if m < 2:
            continue
        for c, k in permutations(coded, 2):
            coincidence[c, k] += 1.0 / (m - 1)
    totals: Counter = Counter()
    for (c, _), weight in coincidence.items():
        totals[c] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    disagreeing = sum(w for (c, k), w in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * disagreeing / expected


def task_units(log: LabelLog, task: str, annotators: Sequence[str] | None = None) -> dict[str, dict[str, str]]:
    """Piece id -> {annotator: label} for ``task``: each annotator's latest label in force."""
    keep = set(annotators) if annotators else None
    units: dict[str, dict[str, str]] = {}
    for (annotator, piece_id, t), label in log.current().items():
        if t == task and (keep is None or annotator in keep):
            units.setdefault(piece_id, {})[annotator] = label
    return units


def agreement_report(log: LabelLog, *, tasks: Sequence[str] | None = None,
                     annotators: Sequence[str] | None = None) -> dict[str, Any]:
    """Per task: alpha over every annotator, kappa and confusion for each pair, the disagreements.

    Args:
        log: The labels file, read with :func:`~pipeline.labelling.store.read_label_log`.
        tasks: Tasks to report (default: every task in the file).
        annotators: Annotators to compare (default: all; leave an adjudicator out this way).

    Returns:
        ``{task: {...}}`` with ``annotators``, ``labels``, ``pieces`` (labelled by anyone),
        ``pieces_compared`` (labelled by two or more), ``alpha``, ``observed_agreement``,
        ``pairs`` (each with ``annotators``, ``n``, ``kappa``, ``agreement`` and ``confusion``,
        rows the first annotator's labels, columns the second's), and ``disagreements``
        (``{"id", "labels": {annotator: label}}``, in file order).
    """
    report = {}
    for task in tasks or log.tasks():
        units = task_units(log, task, annotators)
        names = [a for a in log.annotators() if any(a in u for u in units.values())]
        labels = sorted({label for u in units.values() for label in u.values()})
        compared = {pid: u for pid, u in units.items() if len(u) >= 2}
        pairs = []
        for first, second in combinations(names, 2):
            common = [u for u in units.values() if first in u and second in u]
            a, b = [u[first] for u in common], [u[second] for u in common]
            confusion = {x: {y: 0 for y in labels} for x in labels}
            for x, y in zip(a, b):
                confusion[x][y] += 1
            pairs.append({"annotators": [first, second], "n": len(common), "kappa": cohen_kappa(a, b),
                          "agreement": (sum(x == y for x, y in zip(a, b)) / len(common)) if common else None,
                          "confusion": confusion})
        agreeing = sum(len(set(u.values())) == 1 for u in compared.values())
        report[task] = {
            "annotators": names,
            "labels": labels,
            "pieces": len(units),
            "pieces_compared": len(compared),
            "alpha": krippendorff_alpha([list(u.values()) for u in compared.values()]),
            "observed_agreement": agreeing / len(compared) if compared else None,
            "pairs": pairs,
            "disagreements": [{"id": pid, "labels": u} for pid, u in compared.items() if len(set(u.values())) > 1],
        }
    return report

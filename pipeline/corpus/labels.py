"""Checks of a corpus's labels before training: the mistakes that otherwise train a wrong model.

A label column spelt ``Stance`` is read as metadata, so the model silently lacks the task; a
typo (``opose``) or a capital (``Support``) silently becomes a class of its own. Each check
names what it found and the fix; ``allow_labels`` accepts the labels as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .. import errors
from .piece import Piece
from .readers import LABEL_COLUMNS

KNOWN_TASKS = tuple(c for c in LABEL_COLUMNS if c != "label") + ("label",)
MIN_TYPO_LENGTH = 4  # shorter labels (codes such as "A1", "pro", "con") are often one edit apart on purpose


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character inserted, deleted, replaced or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
    return short[i:] == long[i + 1:]


def _lookalike(a: str, b: str) -> str | None:
    """Why labels ``a`` and ``b`` look like one label spelt two ways, or None."""
    if a.casefold() == b.casefold():
        return "differ only in case"
    if min(len(a), len(b)) < MIN_TYPO_LENGTH or any(c.isdigit() for c in a + b):
        return None
    return "are one edit apart" if one_edit_apart(a.casefold(), b.casefold()) else None


def label_problems(pieces: Sequence[Piece], *, tasks: Iterable[str] | None = None) -> list[str]:
    """What looks wrong with the labels of ``pieces`` (empty when nothing does).

    Args:
        pieces: The corpus.
        tasks: The tasks to be trained (default: every task the pieces have labels for).

    Returns:
        One sentence per problem: a task or column named like a known task but for case, no
        task at all, or two labels of a task that differ only in case or by one edit.
    """
    return [errors.as_arguments(problem) for problem in problem_templates(pieces, tasks=tasks)]


def problem_templates(pieces: Sequence[Piece], *, tasks: Iterable[str] | None = None) -> list[str]:
    """:func:`label_problems` as message templates (:mod:`pipeline.errors`): options as ``{opt:KEY}``."""
    problems = []
    counts: dict[str, Counter] = {}
    meta_columns: Counter = Counter()
    for piece in pieces:
        for task, label in piece.labels.items():
            counts.setdefault(task, Counter())[str(label)] += 1
        meta_columns.update(k for k in piece.meta or {} if isinstance(k, str))
    wanted = list(tasks) if tasks else sorted(counts)
    for column in sorted(meta_columns):
        known = column.strip().casefold()
        if known in KNOWN_TASKS and column not in counts and known not in counts:
            template = errors.LABEL_COLUMN_AS_META
            if set("{}:") & set(column):  # cannot be an option's value in a template: the generic COLUMN
                template = template.replace("{opt:label_column_named:{column}}", "{opt:label_column}")
            problems.append(errors.partial(template, column=column, known=known))
    for task in wanted:
        known = task.casefold()
        if task != known and known in KNOWN_TASKS:
            problems.append(errors.partial(errors.LABEL_TASK_CASE, task=task, known=known))
        others = [t for t in counts if t != task and t.casefold() == known]
        if others and task < min(others):
            problems.append(errors.partial(errors.LABEL_TASKS_CASE, tasks=str(sorted([task, *others]))))
    if not wanted and not problems:
        problems.append(errors.partial(errors.LABEL_NO_TASK, columns=" / ".join(LABEL_COLUMNS)))
    for task in wanted:
        labels = sorted(counts.get(task, {}), key=lambda lab: (-counts[task][lab], lab))
        for i, common in enumerate(labels):
            for rare in labels[i + 1:]:
                why = _lookalike(common, rare)
                if why:
                    problems.append(errors.partial(errors.LABEL_LOOKALIKE, task=task, rare=rare, common=common,
                                                   n_rare=counts[task][rare], n_common=counts[task][common], why=why))
    return problems


def check_labels(pieces: Sequence[Piece], *, tasks: Iterable[str] | None = None, where: str = "the corpus") -> None:
    """Raise if the labels of ``pieces`` look wrong (see :func:`label_problems`).

    Args:
        pieces: The corpus.
        tasks: The tasks to be trained (default: every task with labels).
        where: The corpus's file name(s), for the message.

    Raises:
        LabelError: Naming ``where``, each problem and its fix, on one line.
    """
    problems = problem_templates(pieces, tasks=tasks)
    if problems:
        # With no task at all, accepting the labels as they are would not help.
        has_tasks = bool(tasks) or any(p.labels for p in pieces)
        end = f"; or {errors.LABELS_ALLOW}." if has_tasks else "."
        raise errors.LabelError.of(errors.literal(where) + ": " + "; ".join(problems) + end)

"""Reader for NewsMTSC (Hamborg & Donnay, EACL 2021): sentiment toward a target in a sentence.

Each line is a JSON object with ``sentence_normalized`` and ``targets``; each target has
``from``, ``to`` (character offsets), ``mention`` and ``polarity`` (2.0 negative, 4.0 neutral,
6.0 positive). The reader yields one ``(sentence, start, end)`` sample per target, the form
that :class:`~pipeline.entities.stance.EntityStanceClassifier` takes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ... import errors

# One target mention: (sentence, start, end), the form the entity-stance model reads.
Sample = tuple[str, int, int]

POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


def iter_newsmtsc(path: str | Path) -> Iterator[tuple[Sample, str, int]]:
    """Yield ``((sentence, start, end), label, line_number)`` for every target of a file.

    Args:
        path: A NewsMTSC ``.jsonl`` file (``train.jsonl``, ``devtest_mt.jsonl``, ...).

    Raises:
        InputError: When the file does not exist.
        CorpusError: When a line is not a NewsMTSC record; the error names ``file:line``.
    """
    path = Path(path)
    if not path.is_file():
        raise errors.InputError(errors.NO_SUCH_INPUT.format(path=path))
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                sentence = record["sentence_normalized"]
                targets = record["targets"]
                for target in targets:
                    start, end = int(target["from"]), int(target["to"])
                    label = POLARITY[float(target["polarity"])]
                    if not (isinstance(sentence, str) and 0 <= start < end <= len(sentence)):
                        raise ValueError(f"span {start}-{end} outside the sentence")
                    yield (sentence, start, end), label, number
            except json.JSONDecodeError as exc:
                raise errors.CorpusError.of(errors.NOT_JSON, detail=exc, where=where) from None
            except (KeyError, TypeError, ValueError) as exc:
                detail = f"{type(exc).__name__}: {exc}"
                raise errors.CorpusError(errors.NEWSMTSC_BAD_RECORD.format(detail=detail),
                                         where=where) from None


def read_newsmtsc(path: str | Path) -> tuple[list[Sample], list[str]]:
    """Read a NewsMTSC file into parallel lists of samples and labels.

    Args:
        path: A NewsMTSC ``.jsonl`` file.

    Returns:
        ``(samples, labels)``: ``(sentence, start, end)`` triples and ``negative`` /
        ``neutral`` / ``positive`` labels.
    """
    samples, labels = [], []
    for sample, label, _ in iter_newsmtsc(path):
        samples.append(sample)
        labels.append(label)
    return samples, labels

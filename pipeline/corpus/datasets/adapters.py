"""Public datasets as streams of :class:`Piece` records: AllSides, FNC-1, GVFC, NewsMTSC.

Each reader takes the dataset as distributed (a folder, or its main file) and yields pieces
one at a time, so ``framing corpus convert`` can write a corpus of any size in constant
memory (FNC-1 keeps only its article bodies, which the pairs refer to). A malformed record
raises :class:`~pipeline.errors.CorpusError` naming ``file:line``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ... import errors
from ..piece import Piece

__all__ = ["FORMATS", "convert", "read_allsides", "read_fnc1", "read_gvfc", "read_newsmtsc"]

FNC1_STANCES = ("agree", "disagree", "discuss", "unrelated")
NEWSMTSC_POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


def read_allsides(src: str | Path) -> Iterator[Piece]:
    """AllSides articles (Baly et al. 2020) with ``labels.lean`` and their benchmark splits.

    Args:
        src: The folder holding ``articles.jsonl(.gz)`` (and ``splits.tsv``), or the file itself.

    Yields:
        One piece per article: ``source`` is the outlet, ``story`` the AllSides topic, and
        ``meta.split`` maps each split in ``splits.tsv`` (``random``, ``outlet``) to train/test.
    """
    src = Path(src)
    folder = src if src.is_dir() else src.parent
    articles = src if src.is_file() else _first(folder, ("articles.jsonl.gz", "articles.jsonl"),
                                                "AllSides articles", "articles.jsonl(.gz)")
    splits = _allsides_splits(folder / "splits.tsv")
    with _open_text(articles) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{articles}:{number}"
            record = _json(line, where)
            missing = [k for k in ("id", "text", "lean") if not record.get(k)]
            if missing:
                raise errors.CorpusError(errors.DATASET_NO_COLUMN.format(missing=missing, found=sorted(record), fmt="AllSides"),
                                         where=where)
            meta: dict[str, Any] = {"dataset": "allsides"}
            if record.get("authors"):
                meta["authors"] = record["authors"]
            if record["id"] in splits:
                meta["split"] = splits[record["id"]]
            yield Piece.from_record({
                "id": str(record["id"]), "text": record["text"], "title": record.get("title") or None,
                "source": record.get("outlet") or record.get("source") or None,
                "story": record.get("topic") or None, "date": record.get("date") or None,
                "url": record.get("url") or None, "labels": {"lean": str(record["lean"])}, "meta": meta,
            }, where=where)


def _allsides_splits(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    with _open_text(path) as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise errors.CorpusError(errors.DATASET_NO_COLUMN.format(missing=["id"], found=reader.fieldnames, fmt="splits.tsv"),
                                     where=f"{path}:1")
        names = [n for n in reader.fieldnames if n != "id"]
        return {row["id"]: {n: row[n] for n in names if row.get(n)} for row in reader}


def read_fnc1(src: str | Path, *, splits: tuple[str, ...] = ("train", "test")) -> Iterator[Piece]:
    """FNC-1 headline-body pairs: ``target`` is the headline, ``text`` the body.

    Args:
        src: The folder with ``train_stances.csv``/``train_bodies.csv`` and
            ``competition_test_stances.csv``/``competition_test_bodies.csv``.
        splits: Which of ``train`` and ``test`` (the official competition test set) to read.

    Yields:
        One piece per pair with ``labels.stance`` (agree/disagree/discuss/unrelated),
        ``story`` = ``body-ID`` (pairs sharing a body stay on one side of a grouped split)
        and ``meta`` = ``{"split", "body_id"}``.
    """
    folder = Path(src)
    if not folder.is_dir():
        raise errors.CorpusError(errors.DATASET_NO_FILE.format(what="FNC-1 folder", path=folder,
                                                 expected="a folder with train_stances.csv, train_bodies.csv"))
    prefixes = {"train": "train", "test": "competition_test"}
    for split in splits:
        if split not in prefixes:
            raise errors.ConfigError(errors.DATASET_BAD_VALUE.format(field="FNC-1 split", value=split, allowed=sorted(prefixes)))
        stances, bodies = (folder / f"{prefixes[split]}_{kind}.csv" for kind in ("stances", "bodies"))
        for path in (stances, bodies):
            if not path.is_file():
                raise errors.CorpusError(errors.DATASET_NO_FILE.format(what=path.name, path=folder, expected=path.name))
        texts = {row["Body ID"]: (row["articleBody"], where)
                 for row, where in _csv_rows(bodies, ("Body ID", "articleBody"), "FNC-1 bodies")}
        for row, where in _csv_rows(stances, ("Headline", "Body ID", "Stance"), "FNC-1 stances"):
            body_id, stance = row["Body ID"].strip(), row["Stance"].strip().lower()
            if body_id not in texts:
                raise errors.CorpusError.of(errors.ADAPTERS_BODY_ID, body_id=body_id, name=bodies.name, where=where)
            if stance not in FNC1_STANCES:
                raise errors.CorpusError(errors.DATASET_BAD_VALUE.format(field="Stance", value=row["Stance"],
                                                           allowed=list(FNC1_STANCES)), where=where)
            yield Piece.from_record({
                "id": f"fnc1-{split}-{where.rsplit(':', 1)[1]}", "text": texts[body_id][0],
                "target": row["Headline"], "story": f"body-{split}-{body_id}", "labels": {"stance": stance},
                "meta": {"dataset": "fnc1", "split": split, "body_id": body_id},
            }, where=where)


def read_gvfc(src: str | Path) -> Iterator[Piece]:
    """Gun Violence Frame Corpus headlines (``Example, Category``) with ``labels.frame``.

    Args:
        src: ``headlines.csv``, or the folder holding it.
    """
    src = Path(src)
    path = src if src.is_file() else _first(src, ("headlines.csv",), "GVFC headlines", "headlines.csv")
    for row, where in _csv_rows(path, ("Example", "Category"), "GVFC"):
        number = where.rsplit(":", 1)[1]
        yield Piece.from_record({
            "id": f"gvfc-{number}", "text": row["Example"], "kind": "snippet",
            "labels": {"frame": row["Category"]}, "meta": {"dataset": "gvfc"},
        }, where=where)


def read_newsmtsc(src: str | Path) -> Iterator[Piece]:
    """NewsMTSC sentences, one piece per target mention, with ``labels.sentiment``.

    Args:
        src: A NewsMTSC ``.jsonl`` file, or a folder of them (``meta.split`` is the file's stem).

    Yields:
        Pieces whose ``text`` is the sentence, ``target`` the mention, ``meta.from``/``meta.to``
        its character span, and ``story`` the sentence's id (its targets stay together).
    """
    src = Path(src)
    files = [src] if src.is_file() else sorted(src.glob("*.jsonl"))
    if not files:
        raise errors.CorpusError(errors.DATASET_NO_FILE.format(what="NewsMTSC files", path=src, expected="*.jsonl"))
    for path in files:
        with _open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                yield from _newsmtsc_pieces(_json(line, where), path.stem, number, where)


def _newsmtsc_pieces(record: dict[str, Any], split: str, number: int, where: str) -> Iterator[Piece]:
    sentence, targets = record.get("sentence_normalized"), record.get("targets")
    if not isinstance(sentence, str) or not isinstance(targets, list):
        raise errors.CorpusError(errors.NEWSMTSC_BAD_RECORD.format(detail="no sentence_normalized or targets"),
                                 where=where)
    gid = str(record.get("primary_gid") or f"{split}-{number}")
    for k, target in enumerate(targets):
        try:
            start, end, polarity = int(target["from"]), int(target["to"]), float(target["polarity"])
        except (KeyError, TypeError, ValueError) as exc:
            raise errors.CorpusError(errors.NEWSMTSC_BAD_RECORD.format(detail=f"target {k}: {exc!r}"),
                                     where=where) from None
        if polarity not in NEWSMTSC_POLARITY or not 0 <= start < end <= len(sentence):
            raise errors.CorpusError(errors.NEWSMTSC_BAD_RECORD.format(
                detail=f"target {k}: polarity {polarity}, span ({start}, {end})"), where=where)
        yield Piece.from_record({
            "id": f"{split}:{gid}:{k}", "text": sentence, "target": target.get("mention") or sentence[start:end],
            "story": gid, "labels": {"sentiment": NEWSMTSC_POLARITY[polarity]},
            "meta": {"dataset": "newsmtsc", "split": split, "from": start, "to": end},
        }, where=where)


FORMATS: dict[str, Callable[[Path], Iterator[Piece]]] = {
    "allsides": read_allsides,
    "fnc1": read_fnc1,
    "gvfc": read_gvfc,
    "newsmtsc": read_newsmtsc,
}


def convert(fmt: str, src: str | Path) -> Iterator[Piece]:
    """Pieces of the dataset ``src`` in the public format ``fmt`` (a key of :data:`FORMATS`).

    Raises:
        ConfigError: When ``fmt`` is not a known format.
        CorpusError: When ``src`` is missing or a record is malformed (with ``file:line``).
    """
    if fmt not in FORMATS:
        raise errors.ConfigError(errors.DATASET_BAD_VALUE.format(field="format", value=fmt, allowed=sorted(FORMATS)))
    if not Path(src).exists():
        raise errors.CorpusError(errors.NO_SUCH_INPUT.format(path=src))
    return FORMATS[fmt](Path(src))


# Helpers -----------------------------------------------------------------------------------

@contextmanager
def _open_text(path: Path) -> Iterator[io.TextIOBase]:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            yield handle
    except UnicodeDecodeError as exc:
        raise errors.CorpusError(errors.UNREADABLE.format(detail=exc), where=str(path)) from None


def _first(folder: Path, names: tuple[str, ...], what: str, expected: str) -> Path:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise errors.CorpusError(errors.DATASET_NO_FILE.format(what=what, path=folder, expected=expected))


def _json(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise errors.CorpusError.of(errors.NOT_JSON, detail=exc, where=where) from None
    if not isinstance(record, dict):
        raise errors.CorpusError.of(errors.NOT_OBJECT, found=type(record).__name__, where=where)
    return record


def _csv_rows(path: Path, columns: tuple[str, ...], fmt: str) -> Iterator[tuple[dict[str, str], str]]:
    """Rows of a CSV file as dicts, each with the ``file:line`` where the row starts."""
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise errors.CorpusError(errors.DATASET_NO_COLUMN.format(missing=missing, found=header, fmt=fmt), where=f"{path}:1")
        start = reader.line_num + 1
        for row in reader:
            where = f"{path}:{start}"
            start = reader.line_num + 1
            if None in row or any(row.get(c) is None for c in columns):
                raise errors.CorpusError.of(errors.CSV_BAD_ROW, found=len(row) - (None in row), expected=len(header),
                                            where=where)
            yield row, where

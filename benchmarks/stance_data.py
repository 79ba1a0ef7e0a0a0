"""The shared multi-target stance datasets (``../shared/data``, see its STANCE.md) as pieces.

Each loader returns ``{split: [Piece, ...]}`` with the text, its ``target`` and the gold label
under ``labels["stance"]`` (the dataset's own label names), and the dataset's metric:

- ``favor_against``: mean of F1(FAVOR) and F1(AGAINST) (P-Stance's F_avg, COVID-19-Stance),
- ``macro``: macro-F1 over every label (PERSPECTRUM, IBM claim stance, VAST, ARC).

Nothing is copied: the files are read in place.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pipeline.corpus import Piece

T = TypeVar("T")

# dataset -> (metric, labels its metric averages over (None: all), published figure or None)
DATASETS: dict[str, dict[str, Any]] = {
    "covid19_stance": {"metric": "favor_against", "pos": ["FAVOR", "AGAINST"], "split": ("train", "test"),
                       "published": "none recorded in the data README (Glandt et al. 2021 report BERTweet per target)"},
    "pstance": {"metric": "favor_against", "pos": ["FAVOR", "AGAINST"], "split": ("train", "test"),
                "published": "BERTweet 80.53 F_avg (Li et al. 2021)"},
    "perspectrum": {"metric": "macro", "pos": None, "split": ("train", "test"),
                    "published": "none recorded in the data README (NAACL 2019 paper; STANCY)"},
    "ibm_claim_stance": {"metric": "macro", "pos": None, "split": ("train", "test"),
                         "published": "none recorded in the data README (Bar-Haim et al. 2017 report accuracy at coverage)"},
    "vast": {"metric": "macro", "pos": None, "split": ("train", "test"),
             "published": "TGA Net 65.7 macro-F1 (all test rows); TATA 77.1 F1 zero-shot"},
    "arc": {"metric": "macro", "pos": None, "split": ("train", "test"),
            "published": "none recorded in the data README (Hanselowski et al. 2018; Schiller et al. 2021)"},
}


def _piece(pid: str, text: str, target: str, stance: str, story: str | None = None) -> Piece:
    return Piece(id=pid, text=text, target=target, story=story or target, kind="post", labels={"stance": stance})


def load(name: str, root: Path) -> dict[str, list[Piece]]:
    """The splits of dataset ``name`` under ``root`` (``train`` and ``test``)."""
    folder = root / name
    out: dict[str, list[Piece]] = {"train": [], "test": []}
    if name in ("covid19_stance", "perspectrum", "ibm_claim_stance", "vast"):
        file = {"covid19_stance": "covid19_stance.jsonl", "perspectrum": "pairs.jsonl",
                "ibm_claim_stance": "claims.jsonl", "vast": "vast.jsonl"}[name]
        with open(folder / file, encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                split = row["split"]
                if split == "dev":  # PERSPECTRUM's dev: train data for us (claims are disjoint anyway)
                    split = "train"
                if split not in out or not str(row["text"]).strip():
                    continue
                story = str(row.get("ori_id") or row["target"]) if name == "vast" else None
                out[split].append(_piece(f"{name}-{row['id']}-{len(out[split])}", str(row["text"]),
                                         str(row["target"]), str(row["stance"]), story))
    elif name == "pstance":
        for split in ("train", "test"):
            for who in ("trump", "biden", "bernie"):
                with open(folder / f"raw_{split}_{who}.csv", encoding="utf-8", newline="") as handle:
                    for i, row in enumerate(csv.DictReader(handle)):
                        if row["Tweet"].strip():
                            out[split].append(_piece(f"pstance-{split}-{who}-{i}", row["Tweet"], row["Target"],
                                                     row["Stance"]))
    elif name == "arc":
        with open(folder / "arc_bodies.csv", encoding="utf-8", newline="") as handle:
            bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
        for split in ("train", "test"):
            with open(folder / f"arc_stances_{split}.csv", encoding="utf-8", newline="") as handle:
                for i, row in enumerate(csv.DictReader(handle)):
                    out[split].append(_piece(f"arc-{split}-{i}", bodies[row["Body ID"]], row["Headline"],
                                             row["Stance"], story=f"body{row['Body ID']}"))
    else:
        raise KeyError(f"unknown stance dataset {name!r}; known: {sorted(DATASETS)}")
    return out


def available(root: Path, datasets: Iterable[str] = DATASETS) -> list[str]:
    """The datasets of ``datasets`` (default :data:`DATASETS`) whose folders are under ``root``, in that order."""
    return [name for name in datasets if (root / name).is_dir()]


def chosen_or_skip(script: str, names: list[str], root: Path) -> list[str]:
    """The datasets named on the command line, else every one present under ``root``; when there
    are none, prints the benchmark's skip line and returns an empty list."""
    names = names or available(root)
    if not names:
        print(f"skipped {script}: no multi-target stance dataset under {root}. Set FRAMING_DATA to the "
              "folder holding the public datasets to run it.")
    return names


def subsample(pieces: list[T], n: int, seed: int = 13) -> list[T]:
    """At most ``n`` pieces (or any items: the any-target pairs), drawn at random with a fixed seed (the order kept)."""
    if len(pieces) <= n:
        return pieces
    keep = set(random.Random(seed).sample(range(len(pieces)), n))
    return [p for i, p in enumerate(pieces) if i in keep]


def score(gold: list[str], predicted: list[str], name: str) -> float:
    """The dataset's metric (see :data:`DATASETS`), as a fraction."""
    from sklearn.metrics import f1_score

    pos = DATASETS[name]["pos"]
    labels = pos if pos else sorted(set(gold))
    return float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0))


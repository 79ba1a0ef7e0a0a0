"""The union of the shared stance datasets as (target, text, label) pairs, labels mapped to one scheme.

Every dataset's labels are mapped to ``favor`` / ``against`` / ``none`` (see :data:`LABEL_MAP`):
agreeing with, supporting or being pro the target is ``favor``; disagreeing, undermining, con
is ``against``; FNC-1 and ARC's ``discuss`` and ``unrelated`` and VAST's / COVID-19-Stance's
neutral or none are ``none`` (the text takes no side toward this target). Datasets whose own
labels have no neutral class (IBM claim stance, PERSPECTRUM, P-Stance) are scored over favor and
against only (:data:`LABELS`), as their own metric is.

``group`` is what must not be split across a held-out fold: the target, except on FNC-1 where
paraphrased headlines about one claim share bodies (a story: headlines and bodies joined through
related pairs). Texts shared between datasets (ARC and VAST share comments; PERSPECTRUM reuses
perspectives) are handled by the caller: any training pair whose text is in the held-out fold is
dropped (:func:`text_key`).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from benchmarks import stance_data
from benchmarks.stance_data import load as load_multi_target

DATASETS = ("fnc1", "arc", "ibm_claim_stance", "perspectrum", "vast", "covid19_stance", "pstance")
LABEL_MAP = {
    "fnc1": {"agree": "favor", "disagree": "against", "discuss": "none", "unrelated": "none"},
    "arc": {"agree": "favor", "disagree": "against", "discuss": "none", "unrelated": "none"},
    "ibm_claim_stance": {"PRO": "favor", "CON": "against"},
    "perspectrum": {"SUPPORT": "favor", "UNDERMINE": "against"},
    "vast": {"pro": "favor", "con": "against", "neutral": "none"},
    "covid19_stance": {"FAVOR": "favor", "AGAINST": "against", "NONE": "none"},
    "pstance": {"FAVOR": "favor", "AGAINST": "against"},
}
# The mapped labels each dataset is scored over (and predictions are restricted to).
LABELS = {name: sorted(set(mapping.values())) for name, mapping in LABEL_MAP.items()}
# Metric: macro-F1 over LABELS, except F_avg (mean F1 of favor and against) where the dataset's own is.
FAVOR_AGAINST = {"covid19_stance", "pstance"}
LICENCES = {
    "fnc1": "FNC-1 (Fake News Challenge stage 1), research data (Emergent-derived, see the FNC-1 repository)",
    "arc": "ARC (Hanselowski et al. 2018), Apache-2.0 repository; comments belong to their authors, research data",
    "ibm_claim_stance": "IBM Debater Claim Stance (Bar-Haim et al. 2017), CC-BY-SA 3.0",
    "perspectrum": "PERSPECTRUM (Chen et al. 2019), CC BY-SA 4.0",
    "vast": "VAST (Allaway & McKeown 2020), no licence file; comments belong to their authors, research use",
    "covid19_stance": "COVID-19-Stance (Glandt et al. 2021), no licence; tweets under X/Twitter terms, research use",
    "pstance": "P-Stance (Li et al. 2021), MIT repository; tweets under X/Twitter terms, research use",
}


@dataclass(frozen=True)
class Pair:
    """One labelled (target, text) pair of one dataset's split."""

    dataset: str
    split: str
    target: str
    text: str
    label: str
    group: str


def text_key(text: str) -> str:
    """A key equal for texts equal up to case and white space (shared comments across datasets)."""
    return hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()


def _fnc1(root: Path) -> dict[str, list[Pair]]:
    out: dict[str, list[Pair]] = {}
    for split, stances, bodies in (("train", "train_stances.csv", "train_bodies.csv"),
                                   ("test", "competition_test_stances.csv", "competition_test_bodies.csv")):
        with open(root / "fnc1" / bodies, encoding="utf-8", newline="") as handle:
            body = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
        with open(root / "fnc1" / stances, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for row in rows:  # stories: headlines and bodies joined through their related pairs
            if row["Stance"] != "unrelated":
                parent[find("h" + row["Headline"])] = find("b" + row["Body ID"])
        out[split] = [Pair("fnc1", split, row["Headline"], body[row["Body ID"]],
                           LABEL_MAP["fnc1"][row["Stance"]], f"fnc1:{find('h' + row['Headline'])}")
                      for row in rows]
    return out


def load(name: str, root: Path) -> dict[str, list[Pair]]:
    """The ``train`` and ``test`` pairs of dataset ``name`` under ``root``, labels mapped."""
    if name == "fnc1":
        return _fnc1(root)
    mapping = LABEL_MAP[name]
    return {split: [Pair(name, split, p.target, p.text, mapping[p.labels["stance"]], f"{name}:{p.target.lower()}")
                    for p in pieces]
            for split, pieces in load_multi_target(name, root).items()}


def available(root: Path) -> list[str]:
    """The datasets of :data:`DATASETS` present under ``root``."""
    return stance_data.available(root, DATASETS)


# At most n pairs, drawn at random with a fixed seed (order kept): the multi-target benchmarks' draw.
cap = stance_data.subsample

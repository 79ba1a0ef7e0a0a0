"""The threshold for matching a new target to a training target by meaning (sentence embeddings).

    nice python benchmarks/target_matching.py [--no-write]

Pairs of targets from the shared stance datasets (``../shared/data``):

- *same target, other words*: FNC-1 headlines of one story (headlines and bodies joined through
  their related pairs: different outlets' wordings of one claim);
- *different targets*: every pair of distinct targets within COVID-19-Stance (4), P-Stance (3),
  IBM claim stance (55 motions) and PERSPECTRUM (a sample of claim pairs), and FNC-1 headlines of
  different stories. These are the hard negatives: related targets of one domain.

For each threshold: the share of different-target pairs that would match (false matches) and of
same-target pairs that would (recall), for all-MiniLM-L6-v2 cosines and, beside it, the
character n-gram TF-IDF cosine that ``pipeline/inference/targets.py`` already uses. The chosen
threshold is the lowest with at most 1% false matches overall and none among the named targets
of COVID-19-Stance, P-Stance and IBM claim stance (short targets like the ones a researcher
types: "Bernie Sanders" / "Donald Trump" is 0.62). Without the data it skips cleanly.
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import command, data_root, table, write_section  # noqa: E402
from benchmarks.stance_any_data import available, load  # noqa: E402
from benchmarks.stance_any_embed import EmbeddingCache  # noqa: E402

MAX_PAIRS = 3000
SEED = 13
THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


NAMED = ("covid19_stance", "pstance", "ibm_claim_stance")
# Invented pairs (ours), shown beside the chosen threshold.
EXAMPLES = [("Donald Trump", "Trump"), ("fauci", "Anthony Fauci"), ("school closures", "closing schools"),
            ("face masks", "wearing masks"), ("stay at home orders", "lockdowns"), ("face masks", "school closures"),
            ("police use of facial recognition", "facial recognition"),
            ("pausing sales of facial recognition technology to police", "pausing police use of facial recognition")]


def target_pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """(same-target pairs, different-target pairs, different named-target pairs) from the train
    and test splits' targets, at most :data:`MAX_PAIRS` each per source. Targets equal up to case
    and punctuation (PERSPECTRUM repeats some claims) count as one."""
    from pipeline.inference.targets import normalise

    rng = random.Random(SEED)
    root = data_root()
    same, different, named = [], [], []
    names = available(root)
    if "fnc1" in names:
        stories: dict[str, set[str]] = {}
        for p in load("fnc1", root)["train"]:
            stories.setdefault(p.group, set()).add(p.target)
        groups = [sorted(h) for h in stories.values()]
        for heads in groups:
            same += list(combinations(heads, 2))
        for _ in range(MAX_PAIRS):
            a, b = rng.sample(groups, 2)
            different.append((rng.choice(a), rng.choice(b)))
    for name in ("covid19_stance", "pstance", "ibm_claim_stance", "perspectrum"):
        if name in names:
            by_form = {normalise(p.target): p.target for split in load(name, root).values() for p in split}
            pairs = list(combinations(sorted(by_form.values()), 2))
            picked = rng.sample(pairs, min(len(pairs), MAX_PAIRS))
            different += picked
            if name in NAMED:
                named += picked
    same = rng.sample(same, min(len(same), MAX_PAIRS))
    return same, different, named


def cosines(pairs: list[tuple[str, str]], cache: EmbeddingCache) -> np.ndarray:
    """Embedding cosine of each pair."""
    a = cache([x for x, _ in pairs])
    b = cache([y for _, y in pairs])
    return np.sum(a * b, axis=1)


def tfidf_cosines(pairs: list[tuple[str, str]]) -> np.ndarray:
    """The character n-gram TF-IDF cosine of each pair, as TargetMatcher computes it."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pipeline.inference.targets import normalise

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    vec.fit([normalise(t) for pair in pairs for t in pair])
    a = vec.transform([normalise(x) for x, _ in pairs])
    b = vec.transform([normalise(y) for _, y in pairs])
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if not available(data_root()):
        print(f"skipped target_matching: no stance dataset under {data_root()}. Set FRAMING_DATA to run it.")
        return
    same, different, named = target_pairs()
    cache = EmbeddingCache()
    emb_same, emb_diff, emb_named = cosines(same, cache), cosines(different, cache), cosines(named, cache)
    tf_same, tf_diff = tfidf_cosines(same), tfidf_cosines(different)
    rows = [(t, f"{(emb_diff >= t).mean():.3f}", int((emb_named >= t).sum()), f"{(emb_same >= t).mean():.3f}",
             f"{(tf_diff >= t).mean():.3f}", f"{(tf_same >= t).mean():.3f}") for t in THRESHOLDS]
    chosen = min((t for t in THRESHOLDS if (emb_diff >= t).mean() <= 0.01 and not (emb_named >= t).any()),
                 default=None)
    examples = [(a, b, float(x)) for (a, b), x in zip(EXAMPLES, cosines(EXAMPLES, cache))]
    body = "\n".join([
        "## Matching targets by meaning",
        "",
        f"`{command()}`: {len(same)} pairs of one target in other words (FNC-1 headlines of one story) and "
        f"{len(different)} pairs of different targets of one dataset (COVID-19-Stance, P-Stance, IBM claim "
        "stance, PERSPECTRUM targets; FNC-1 headlines of different stories; targets only, no labels, from train and test splits). Share of pairs "
        "at or above each cosine: different targets (false matches) and same target (recall).",
        "",
        table(["threshold", "embedding: different", f"embedding: named targets matched (of {len(named)})",
               "embedding: same", "TF-IDF: different", "TF-IDF: same"], rows),
        "",
        f"Chosen: the lowest embedding threshold with at most 1% false matches and no two named targets "
        f"matched (closest named pair: {max(emb_named):.3f}): **{chosen}** "
        "(`MEANING_THRESHOLD` in pipeline/inference/targets.py). A target whose words differ from the matched "
        "one by a polarity word (not, pausing, ban, repeal, ...) is never matched, whatever its cosine. "
        "Invented pairs, for a feel:",
        "",
        table(["target", "training target", "cosine", "matched"],
              [(a, b, x, "yes" if chosen and x >= chosen else "no") for a, b, x in examples]),
    ])
    print(body)
    if not args.no_write:
        write_section("target-matching", body)


if __name__ == "__main__":
    main()

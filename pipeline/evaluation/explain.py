"""Why a linear model decided as it did: per-feature and per-sentence contributions.

A feature's contribution is its weight times its value, on the calibrated logit scale and
relative to the mean over labels, so that contributions plus the bias add up to the label's
score against the others. A sentence's contribution is the sum of the contributions of the
features found in it (a feature found in two sentences counts in both); text-level features
such as the target relation belong to no sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.pipeline import Pipeline
from spacy.lang.en.stop_words import STOP_WORDS

from .. import errors
from ..features.samples import Sample, normalise_tokens, prepare_samples
from ..nlp.processor import Lexical
from .evaluate import task_predictions

_BLOCK_NAMES = {"words": "word", "chars": "chars", "near": "near-target word", "mention": "target mention",
                "relation": "relation", "similarity": "target similarity"}


def feature_names(pipeline: Pipeline) -> list[str]:
    """Readable names of the pipeline's features, e.g. ``word: police`` or ``chars: 'lice'``.

    Raises:
        NotLinearError: When the task's model reads no features (a fine-tuned encoder).
    """
    names = []
    for raw in _features(pipeline).get_feature_names_out():
        block, _, name = str(raw).partition("__")
        kind = _BLOCK_NAMES.get(block, block)
        if block == "mention":  # the entity featurizer's codes (Rn=mocked) as phrases
            from ..features.mention import describe_feature

            name = describe_feature(name)
        names.append(f"{kind}: {name!r}" if block == "chars" else f"{kind}: {name}")
    return names


def _features(pipeline: Pipeline) -> Any:
    """The pipeline's feature union (a fine-tuned encoder has none: NotLinearError)."""
    if "features" not in pipeline.named_steps:
        raise errors.NotLinearError(errors.FINETUNE_NOT_LINEAR)
    return pipeline.named_steps["features"]


def top_features(pipeline: Pipeline, *, k: int = 15) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` features with the largest weights toward each label.

    Weights are relative to the mean over labels (as in :func:`explain`); with two labels the
    raw weights of the first are all zero, so this is what makes both lists meaningful.
    """
    clf = pipeline.named_steps["clf"]
    names = feature_names(pipeline)
    relative = clf.coef_ - clf.coef_.mean(axis=0)
    out = {}
    for row, label in enumerate(clf.classes_):
        weights = relative[row]
        order = np.argsort(-weights)[:k]
        out[str(label)] = [(names[i], round(float(weights[i]), 4)) for i in order]
    return out


def explain(pipeline: Pipeline, sample: Sample, *, label: str | None = None, k: int = 10,
            sentences: Sequence[dict[str, Any]] | None = None, min_confidence: float = 0.0,
            surface: dict[str, str] | None = None) -> dict[str, Any]:
    """The features (and sentences) of one sample that pushed toward and against a label.

    Args:
        pipeline: A fitted task pipeline (features, then a linear classifier).
        sample: The piece's sample.
        label: The label to explain (default: the most probable one).
        k: How many terms and sentences to list each way.
        sentences: The piece's sentences from :func:`piece_sentences`; adds ``sentences`` (all, in
            order, each with its ``contribution``) and ``toward_sentences``/``against_sentences``.
        min_confidence: Below it, ``label`` is reported as ``"uncertain"`` (``explained_label`` keeps the
            most probable label, which the contributions explain).
        surface: Normalised word -> how the piece wrote it, to show terms in its own words.

    Returns:
        ``label``, ``explained_label``, ``probability``, ``probabilities``, ``toward`` and ``against`` (lists
        of ``{"feature", "term", "contribution"}``), ``bias``, and the sentence lists when given.
    """
    clf = pipeline.named_steps["clf"]
    features = _features(pipeline)
    x = features.transform([sample]).tocsr()
    proba = clf.predict_proba(x)[0]
    classes = [str(c) for c in clf.classes_]
    best = classes[int(np.argmax(proba))]
    label = label or best
    row = classes.index(label)
    # per-target models: the weights this piece's target gets (shared plus its own)
    coef = clf.coef_for(int(clf.target_numbers(x)[0])) if hasattr(clf, "coef_for") else clf.coef_
    relative = coef[row] - coef.mean(axis=0)
    cols, values = x.indices, x.data
    contrib = values * relative[cols]
    names = feature_names(pipeline)
    order = np.argsort(-contrib)

    def term(i: int) -> dict[str, Any]:
        name = names[cols[i]]
        return {"feature": name, "term": _surface(name, surface or {}),
                "contribution": round(float(contrib[i]), 4)}

    result: dict[str, Any] = {
        "label": label if proba[row] >= min_confidence or label != best else "uncertain",
        "explained_label": label,
        "probability": round(float(proba[row]), 4),
        "probabilities": {c: round(float(p), 4) for c, p in zip(classes, proba)},
        "toward": [term(i) for i in order[:k] if contrib[i] > 0],
        "against": [term(i) for i in order[::-1][:k] if contrib[i] < 0],
        "bias": round(float(clf.intercept_[row] - clf.intercept_.mean()), 4),
    }
    if sentences:
        dense = np.zeros(x.shape[1])
        dense[cols] = contrib
        present = features.transform([s["sample"] for s in sentences]).tocsr()
        present.data = np.ones_like(present.data)
        scores = present @ dense
        scored = [{k_: v for k_, v in s.items() if k_ != "sample"} | {"contribution": round(float(c), 4)}
                  for s, c in zip(sentences, scores)]
        ranked = sorted(range(len(scored)), key=lambda i: -scores[i])
        result["sentences"] = scored
        result["toward_sentences"] = [scored[i] for i in ranked[:k] if scores[i] > 0]
        result["against_sentences"] = [scored[i] for i in ranked[::-1][:k] if scores[i] < 0]
    return result


def piece_sentences(text: str, body: Lexical, *, title: str | None = None, title_lex: Lexical | None = None,
                    target: str = "") -> list[dict[str, Any]]:
    """The piece's sentences in its own words, each with its character span and its own sample.

    Args:
        text: The piece's body text.
        body: Its tokenisation.
        title: The headline, which counts as one more sentence (``field`` ``"title"``).
        title_lex: The headline's tokenisation.
        target: The piece's normalised target tokens (``Sample.target``): sentences that mention
            it feed the near-target features too.

    Returns:
        Dicts with ``field`` (``"title"`` or ``"text"``), ``start``/``end`` offsets into that
        field, ``text`` (the original characters), and ``sample`` (what the features see of it).
    """
    content = {w for w in target.split() if w not in STOP_WORDS and any(c.isalnum() for c in w)}
    out = []
    for field, raw, lex in (("title", title, title_lex), ("text", text, body)):
        if not raw or lex is None:
            continue
        spans = _token_spans(raw, lex.tokens.split(" ") if lex.tokens else [])
        bounds = [*lex.sent_starts, len(spans)]
        for a, b in zip(bounds, bounds[1:]):
            if b <= a:
                continue
            start, end = spans[a][0], spans[b - 1][1]
            words = normalise_tokens(" ".join(lex.tokens.split(" ")[a:b]))
            near = words if content.intersection(words.split()) else ""
            out.append({"field": field, "start": start, "end": end, "text": raw[start:end],
                        "sample": Sample(words, target, near)})
    return out


def surface_forms(*lexicals: Lexical | None) -> dict[str, str]:
    """Normalised token -> its first spelling in the piece (``0000`` -> ``2019``)."""
    forms: dict[str, str] = {}
    for lex in lexicals:
        for token in (lex.tokens.split(" ") if lex is not None and lex.tokens else []):
            forms.setdefault(normalise_tokens(token), token)
    return forms


def explain_piece(model: Any, piece: Any, processor: Any, *, tasks: Sequence[str] | None = None,
                  k: int = 10, min_confidence: float = 0.0) -> dict[str, dict[str, Any]]:
    """Explain every task's prediction for one piece: terms and sentences, in its own words."""
    return explain_pieces(model, [piece], processor, tasks=tasks, k=k, min_confidence=min_confidence)[0]


def explain_pieces(model: Any, pieces: Sequence[Any], processor: Any, *, tasks: Sequence[str] | None = None,
                   k: int = 10, min_confidence: float = 0.0) -> list[dict[str, dict[str, Any]]]:
    """Task -> :func:`explain` result (with sentences) for each piece, in order."""
    strings = list(dict.fromkeys(s for p in pieces for s in (p.text, p.title) if s))
    lex = dict(zip(strings, processor.lexical(strings)))
    samples = prepare_samples(list(pieces), processor, max_tokens=model.max_tokens)
    out = []
    for piece, sample in zip(pieces, samples):
        title_lex = lex.get(piece.title) if piece.title else None
        sentences = piece_sentences(piece.text, lex[piece.text], title=piece.title, title_lex=title_lex,
                                    target=sample.target)
        forms = surface_forms(title_lex, lex[piece.text])
        out.append({t: explain(model.tasks[t], sample, k=k, sentences=sentences, surface=forms,
                               min_confidence=min_confidence) for t in (tasks or model.tasks)})
    return out


def misclassified(model: Any, pieces: Sequence[Any], processor: Any, *, tasks: Sequence[str] | None = None,
                  k: int = 10, limit: int | None = None) -> list[dict[str, Any]]:
    """Pieces whose most probable label differs from their gold label, most confident first.

    Returns:
        One record per (piece, task) error: ``piece`` (the :class:`Piece`), ``task``, ``gold``,
        ``predicted``, ``confidence`` and ``explanation`` (of the predicted label; the piece's
        other tasks are not included). At most ``limit`` records.
    """
    tasks = list(tasks or model.tasks)
    samples = prepare_samples(list(pieces), processor, max_tokens=model.max_tokens)
    found = []
    for task in tasks:
        rows, proba, predictions = task_predictions(model, pieces, samples, task)
        for i, pp, predicted in zip(rows, proba, predictions):
            if predicted != pieces[i].labels[task]:
                found.append({"piece": pieces[i], "task": task, "gold": pieces[i].labels[task],
                              "predicted": predicted, "confidence": round(float(pp.max()), 4)})
    found.sort(key=lambda e: -e["confidence"])
    found = found[:limit] if limit else found
    explained = explain_pieces(model, [e["piece"] for e in found], processor, tasks=tasks, k=k)
    for err, expl in zip(found, explained):
        err["explanation"] = expl[err["task"]]
    return found


def _token_spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``tokens`` in ``text`` (spaCy tokens are substrings, in order)."""
    spans, pos = [], 0
    for token in tokens:
        start = text.find(token, pos)
        if start < 0:  # should not happen; keep going without losing the rest
            start = pos
        spans.append((start, start + len(token)))
        pos = start + len(token)
    return spans


def _surface(name: str, forms: dict[str, str]) -> str:
    """A feature as the piece wrote it: ``Police``, ``Police (near target)``, ``'lice' (chars)``."""
    kind, _, value = name.partition(": ")
    if kind in ("word", "near-target word"):
        words = " ".join(forms.get(w, w) for w in value.split(" "))
        return words if kind == "word" else f"{words} (near target)"
    return f"{value} ({kind})"

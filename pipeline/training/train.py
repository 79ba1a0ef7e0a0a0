"""Training: corpus pieces in, a :class:`FramingModel` with cross-validated metrics out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .. import errors
from ..config import Config, Settings, as_config
from ..corpus import Piece, corpus_stats, text_hash
from ..corpus.labels import check_labels, problem_templates
from ..evaluation.metrics import shortcut_gaps
from ..features.samples import prepare_samples
from ..models.factory import fit_shared_blocks, fit_task, reads_target
from ..models.framing import FramingModel
from ..nlp.processor import Processor, model_id
from ..progress import ProgressFactory
from .cross_validation import cross_validate


@dataclass
class TrainResult:
    """A trained model, its cross-validated evaluation, and what the caller should be told."""

    model: FramingModel
    evaluation: dict[str, dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


def train(pieces: Iterable[Piece], *, tasks: list[str] | None = None, config: Config | None = None,
          processor: Processor | None = None, evaluate: bool = True,
          progress: ProgressFactory | None = None, allow_labels: bool = False,
          n_jobs: int | None = None) -> TrainResult:
    """Train one classifier per task on ``pieces`` and cross-validate each.

    Args:
        pieces: The labelled corpus.
        tasks: Tasks to train (default: every label column present).
        config: Configuration (default: :func:`pipeline.config.load_config`'s defaults; a plain
            dict is read as overrides of them).
        processor: The spaCy processor (default: the config's model, no cache).
        evaluate: Cross-validate before the final fit (grouped by source and story, and random).
        progress: Progress-bar factory.
        allow_labels: Train on labels that look mistaken (a task named ``Stance``, labels
            ``oppose`` and ``opose``) instead of raising :class:`~pipeline.errors.LabelError`.
        n_jobs: Fit the cross-validation folds, and then the tasks, side by side through joblib:
            on a Dask cluster inside ``joblib.parallel_config(backend="dask")`` (see
            :func:`pipeline.training.distributed.on_dask`). None: one after the other, here.
            The model is the same either way.

    Raises:
        TrainingError: When a task is absent from the corpus or cannot be trained.
        LabelError: When labels look mistaken (see :func:`pipeline.corpus.labels.label_problems`).
    """
    config = as_config(config)
    pieces = list(pieces)
    if not pieces:
        raise errors.TrainingError.of(errors.TRAIN_CORPUS_EMPTY_NOTHING)
    stats = corpus_stats(pieces)
    available = sorted(stats.labels)
    tasks = tasks or available
    if not tasks:
        raise errors.TrainingError.of(problem_templates(pieces)[-1] + ".")
    if not allow_labels:
        check_labels(pieces, tasks=tasks)
    missing = [t for t in tasks if t not in stats.labels]
    if missing:
        raise errors.TrainingError.of(errors.TRAIN_PIECE_LABEL_TASK, missing=missing, available=available)
    processor = processor or Processor(config.spacy.model or None)
    notes = []
    if stats.duplicates:
        notes.append(
            f"{len(stats.duplicates)} group(s) of duplicate texts (e.g. {stats.duplicates[0][:3]}); "
            "cross-validation keeps each group on one side, but consider removing them."
        )
    advance = progress("tokenising", len(pieces)) if progress else None
    samples = prepare_samples(pieces, processor, max_tokens=config.features.max_tokens,
                              progress=advance)
    text_group_of = {}  # copies, and pieces that share a text with other targets, stay on one side in CV
    for group in stats.shared_texts:
        for pid in group:
            text_group_of[pid] = group[0]
    linear = [t for t in tasks if config.task(t).classifier.kind == "linear"]
    shared = fit_shared_blocks(config, samples) if len(linear) > 1 else None
    fitted, evaluation, task_info, final_fits = {}, {}, {}, {}
    for task in tasks:
        rows = [i for i, p in enumerate(pieces) if task in p.labels]
        labels = [pieces[i].labels[task] for i in rows]
        use_target = any(pieces[i].target for i in rows)
        cfg = config.task(task)
        if len(rows) < len(pieces):
            notes.append(f"{task}: {len(pieces) - len(rows)} piece(s) have no {task} label and were not used for it.")
        try:
            if evaluate:
                evaluation[task] = _evaluate_task(cfg, [samples[i] for i in rows], labels,
                                                  [pieces[i] for i in rows], use_target, text_group_of,
                                                  progress, n_jobs)
            if n_jobs is not None:  # fitted below, side by side
                final_fits[task] = (cfg, [samples[i] for i in rows], labels, use_target)
            else:
                with _stage(progress, f"fitting {task} on {len(rows)} pieces"):
                    fitted[task] = fit_task(cfg, [samples[i] for i in rows], labels, use_target=use_target,
                                            shared=shared, progress=progress)
        except errors.TrainingError as exc:
            raise exc.prefixed(f"task {task!r}: ") from None
        task_info[task] = {"n": len(rows), "label_counts": dict(stats.labels[task].most_common()),
                           "use_target": use_target}
    if final_fits:
        from joblib import Parallel, delayed

        with _stage(progress, f"fitting {len(final_fits)} task(s) side by side"):
            fitted = dict(zip(final_fits, Parallel(n_jobs=n_jobs)(
                delayed(_fit_named)(task, *args, shared) for task, args in final_fits.items())))
    for task in tasks:  # what the model records of the targets it was trained toward
        rows = [i for i, p in enumerate(pieces) if task in p.labels]
        task_info[task]["reads_target"] = reads_target(config.task(task), task_info[task]["use_target"])
        if task_info[task]["reads_target"]:
            task_info[task].update(target_record([pieces[i].target for i in rows],
                                                 [samples[i].target for i in rows], fitted[task]))
    info = {
        "spacy_model": dict(zip(("name", "version"), model_id(processor.model).split("=="))),
        "config": config.to_dict(),
        "corpus": {"size": len(pieces), "hash": corpus_hash(pieces, stats.text_hashes), "stats": stats.to_record()},
        "tasks": task_info,
        "metrics": evaluation,
    }
    return TrainResult(FramingModel(tasks=fitted, info=info), evaluation, notes)


@contextmanager
def _stage(progress: ProgressFactory | None, name: str) -> Iterator[None]:
    """A one-step progress stage shown while the body runs and advanced when it completes."""
    done = progress(name, 1) if progress else None
    yield
    if done:
        done(1)


def corpus_hash(pieces: list[Piece], text_hashes: list[str] | None = None) -> str:
    """SHA-256 over every piece's id, normalised text, target and labels, in a stable order.

    ``text_hashes``: each piece's :func:`text_hash`, when already computed (as ``corpus_stats`` does).
    """
    hashes = text_hashes if text_hashes is not None else [text_hash(p.text) for p in pieces]
    digest = hashlib.sha256()
    for i in sorted(range(len(pieces)), key=lambda i: pieces[i].id):
        piece = pieces[i]
        digest.update(f"{piece.id}\0{hashes[i]}\0{piece.target}\0{sorted(piece.labels.items())}\n".encode())
    return digest.hexdigest()


def _fit_named(task: str, cfg: Settings, samples: list, labels: list[str], use_target: bool,
               shared: Any) -> Any:
    """One task's final fit (run by joblib, maybe on a Dask worker), its errors naming the task."""
    try:
        return fit_task(cfg, samples, labels, use_target=use_target, shared=shared)
    except errors.TrainingError as exc:
        raise exc.prefixed(f"task {task!r}: ") from None


def _evaluate_task(cfg, samples, labels, pieces, use_target, text_group_of, progress,
                   n_jobs=None) -> dict[str, Any]:
    """Cross-validated scores: grouped by source and by story where possible, and random.

    Grouped schemes also get ``shortcut_gap``: the random-split macro-F1 minus theirs. With
    ``n_jobs`` the folds are fitted side by side (their fits then draw no progress bars).
    """
    fit_progress = progress if n_jobs is None else None

    def fit(rows: list[int]):
        return fit_task(cfg, [samples[i] for i in rows], [labels[i] for i in rows], use_target=use_target,
                        progress=fit_progress)

    def predict(model, rows: list[int]):
        return model.classes_, model.predict_proba([samples[i] for i in rows])

    folds, seed = cfg.evaluation.folds, cfg.evaluation.seed
    ids = [text_group_of.get(p.id, p.id) for p in pieces]  # pieces that share a text stay together
    schemes = {
        "source": [p.source or "(none)" for p in pieces],
        "story": [p.story or "(none)" for p in pieces],
        "random": ids,
    }
    targets = [p.target for p in pieces] if use_target else None
    if targets and len(set(targets)) > 1 and not _same_partition(targets, schemes["story"]):
        # target-grouped: what a target never trained on gets (the shared weights)
        schemes = {"source": schemes["source"], "story": schemes["story"],
                   "target": [t or "(none)" for t in targets], "random": ids}
    result: dict[str, Any] = {}
    for name, groups in schemes.items():
        if name != "random" and len(set(groups)) < 2:
            continue
        stage = f"cross-validating by {name}" if name != "random" else "cross-validating (random folds)"
        with _stage(progress, stage):
            try:
                result[name] = cross_validate(fit, predict, labels, groups, folds=folds, seed=seed,
                                              grouping=None if name == "random" else name, n_jobs=n_jobs,
                                              targets=targets)
            except errors.TrainingError as exc:
                result[name] = {"error": str(exc)}
    for name, gap in shortcut_gaps(result).items():
        result[name]["shortcut_gap"] = gap
    return result


def _same_partition(a: list[Any], b: list[Any]) -> bool:
    """Whether two labellings of the same rows group them the same way."""
    pairs = set(zip(a, b))
    return len(pairs) == len(set(a)) == len(set(b))


def target_record(targets: list[str | None], keys: list[str], pipeline: Any) -> dict[str, Any]:
    """What ``model.json`` records of a task's training targets: each with its piece count, how
    many there are, and which of them got weights of their own (per-target learning).

    Args:
        targets: Each training piece's target, as the corpus wrote it.
        keys: The same targets normalised (the samples' ``target``), as the model keys them.
        pipeline: The fitted task pipeline.
    """
    from collections import Counter

    counts = Counter(t for t in targets if t)
    # every one, however many (VAST: 5,014; FNC-1: 1,648): a target left off would read as unseen
    listed = dict(counts.most_common())
    record: dict[str, Any] = {"targets": listed, "n_targets": len(counts),
                              "pieces_without_target": sum(1 for t in targets if not t)}
    index = getattr(pipeline, "named_steps", {}).get("features")
    block = dict(index.transformer_list).get("target_index") if index is not None else None
    if block is not None:
        own = set(block.targets_)  # keyed by normalised tokens: name them as the corpus wrote them
        record["per_target"] = sorted({t for t, k in zip(targets, keys) if t and k in own})
    return record


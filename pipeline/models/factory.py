"""One classifier per task: build, fit, predict; and the model that holds them all."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import joblib
import numpy as np
from sklearn.base import clone
from sklearn.pipeline import FeatureUnion, Pipeline

from .. import errors
from ..config import ClassifierSettings, Settings
from ..features.samples import Sample
from ..features.union import build_features
from ..progress import ProgressFactory
from .blend import WordBlendClassifier, choose_word_blend
from .linear import CalibratedLinearClassifier
from .per_target import TargetAugmentedClassifier, TargetIndex
from .two_stage import BoostedStage, TwoStageClassifier

# classifier.kind ("linear" reads the feature blocks, "finetune" the text itself) and classifier.stage2
# ("linear", "boosted") are checked when the config is loaded (pipeline/config/settings.py).
# Threads that fit a linear model's calibration folds and final fit side by side: both cores of
# the 2-core machines this is sized for. Each fold fit holds its own copy of the fold's rows.
FIT_THREADS = 2


def build_task_pipeline(config: Settings, *, use_target: bool, n_samples: int) -> Pipeline:
    """The scikit-learn pipeline of one task: features, then a calibrated linear classifier; or,
    with ``classifier.kind = "finetune"``, one fine-tuned encoder that reads the samples' text.

    Args:
        config: The task's configuration (``task_config``).
        use_target: Whether to add target-aware features.
        n_samples: Training set size (a tiny corpus relaxes ``min_df``).
    """
    clf = config.classifier
    if clf.kind == "finetune":
        if clf.gate_label:
            raise errors.ConfigError.of(errors.FACTORY_CLASSIFIER_GATE_LABEL)
        from .finetune import FineTunedClassifier

        tune = config.finetune
        return Pipeline([("clf", FineTunedClassifier(
            tune.model, epochs=tune.epochs, learning_rate=tune.learning_rate,
            batch_size=tune.batch_size, max_pieces=tune.max_pieces, weight_decay=tune.weight_decay,
            dropout=tune.dropout, class_weight=clf.class_weight or None,
            calibration_fraction=tune.calibration_fraction, use_target=use_target,
            random_state=config.evaluation.seed,
        ))])
    seed = config.evaluation.seed

    def linear(C: float) -> CalibratedLinearClassifier:
        return _linear(config, C)

    stage2 = clf.stage2
    if stage2 != "linear" and not clf.gate_label:
        raise errors.ConfigError.of(errors.FACTORY_CLASSIFIER_STAGE_SECOND, stage2=stage2)
    features = build_features(config, use_target=use_target, n_samples=n_samples)
    model: Any = linear(clf.C)
    if clf.gate_label:  # that label against the rest first, the other labels among the rest next
        second = linear(clf.stage2_C or clf.C)
        if stage2 == "boosted":
            second = BoostedStage(estimator=second, dense_blocks=dense_blocks(features), random_state=seed)
        model = TwoStageClassifier(gate_label=clf.gate_label, estimator=second, gate_estimator=model)
    elif use_target and per_target_on(clf):
        # The target's number is a column of its own (found by name); the classifier copies the features per target.
        features.transformer_list.append(("target_index", TargetIndex(min_pieces=clf.min_target_pieces)))
        model = TargetAugmentedClassifier(model, target_weight=clf.target_weight,
                                          copy_cap=clf.target_copy_cap)
    return Pipeline([("features", features), ("clf", model)])


def _linear(config: Settings, C: float) -> CalibratedLinearClassifier:
    clf = config.classifier
    return CalibratedLinearClassifier(C=C, class_weight=clf.class_weight or None, max_iter=clf.max_iter,
                                      calibration_folds=clf.calibration_folds, random_state=config.evaluation.seed,
                                      n_jobs=FIT_THREADS, solver=clf.solver,
                                      calibration_max_rows=clf.calibration_max_pieces)


def word_blend_candidate(config: Settings, samples: list[Sample], *, use_target: bool) -> bool:
    """Whether :func:`fit_task` tries blending the model with a plain word model
    (``classifier.word_blend = "auto"``): a linear single-stage model of a task that reads its
    targets (``features.target_features``), on a corpus where most pieces' targets have no
    weights of their own (fewer than ``min_target_pieces`` pieces each: many small targets, so
    targets met later are mostly new ones, which get the shared weights)."""
    clf = config.classifier
    if not (use_target and clf.word_blend == "auto" and clf.kind == "linear" and not clf.gate_label
            and config.features.target_features):
        return False
    if not per_target_active(config, samples):
        return True
    counts: dict[str, int] = {}
    for s in samples:
        counts[s.target] = counts.get(s.target, 0) + 1
    own = sum(n for t, n in counts.items() if t and n >= clf.min_target_pieces)
    return own < len(samples) / 2


def _blend_if_it_helps(config: Settings, clf: Any, union: FeatureUnion, X: Any, labels: list[str],
                       samples: list[Sample]) -> bool:
    """Swap ``clf``'s linear model for a :class:`WordBlendClassifier` when target-grouped CV on
    ``X`` (the matrix the linear model reads: with per-target weights, the augmented one, the
    shared block first) says the blend does better (:func:`pipeline.models.blend.choose_word_blend`).
    A held-out target's own columns get no training rows in its fold, so it is scored with the
    shared weights, as a new target would be."""
    names = [name for name, _ in union.transformer_list]
    if not names or names[0] != "words":
        return False
    word_columns = len(union.transformer_list[0][1].get_feature_names_out())
    settings = config.classifier
    if not word_columns or not choose_word_blend(
            X, labels, [s.target for s in samples], word_columns, C=settings.C, words_C=settings.word_blend_C,
            class_weight=settings.class_weight or None, folds=config.evaluation.folds, solver=settings.solver,
            n_jobs=FIT_THREADS, max_pieces=settings.word_blend_max_pieces, random_state=config.evaluation.seed):
        return False
    blend = WordBlendClassifier(_linear(config, settings.C), _linear(config, settings.word_blend_C),
                                word_columns=word_columns)
    clf.set_params(estimator=blend)
    return True


def per_target_active(config: Settings, samples: list[Sample]) -> bool:
    """Whether per-target weights will be learnt on ``samples``: ``per_target = "auto"``, a linear
    single-stage model, and at least two targets with ``min_target_pieces`` pieces each."""
    clf = config.classifier
    if clf.kind != "linear" or clf.gate_label or not per_target_on(clf):
        return False
    counts: dict[str, int] = {}
    for s in samples:
        if s.target:
            counts[s.target] = counts.get(s.target, 0) + 1
    return sum(n >= clf.min_target_pieces for n in counts.values()) >= 2


def per_target_on(clf: ClassifierSettings) -> bool:
    """Whether ``classifier.per_target`` asks for per-target weights (``"auto"``; ``"off"``: one set)."""
    return clf.per_target == "auto"


# The blocks of dense values (text-target relation, similarity) that a boosted second stage reads
# beside the linear model's probabilities; it finds their columns by name (relation__..., similarity__...).
DENSE_BLOCKS = ("relation", "similarity")


def dense_blocks(features: FeatureUnion) -> tuple[str, ...]:
    """The blocks of ``features`` whose columns :class:`~pipeline.models.two_stage.BoostedStage` reads directly."""
    return tuple(name for name, _ in features.transformer_list if name in DENSE_BLOCKS)


def _reads_feature_names(clf: Any) -> bool:
    """Whether ``clf`` (or its second stage) finds columns by name, so its ``fit`` takes ``feature_names``."""
    if isinstance(clf, TargetAugmentedClassifier):
        return True
    stage = clf.estimator if isinstance(clf, TwoStageClassifier) else clf
    return isinstance(stage, BoostedStage) and bool(stage.dense_blocks)


# Feature blocks that read neither labels nor targets. train() fits them once on every piece and
# gives them to each task whose settings for them agree, so that FramingModel.predict_proba
# counts a piece's words and characters once for all tasks (it was most of classifying's time).
SHARED_BLOCKS = ("words", "chars")


def fit_shared_blocks(config: Settings, samples: list[Sample]) -> dict[str, Any]:
    """Fit the label-free blocks (:data:`SHARED_BLOCKS`) of ``config`` once, on all ``samples``."""
    union = build_features(config, use_target=False, n_samples=len(samples))
    shared = {name: _slim(block.fit(samples)) for name, block in union.transformer_list if name in SHARED_BLOCKS}
    stamp = uuid.uuid4().hex
    for name, block in shared.items():
        block.shared_key_ = f"{name}:{stamp}"  # saved with each task's copy: lets predict_proba tell they are one
    return shared


def source_weights(samples: list[Sample], power: float = 1.0) -> np.ndarray:
    """Per-sample weights ``1 / n_source ** power``, scaled to mean 1.

    With ``power = 1`` every source (outlet) counts as much as any other in total, so the few
    outlets with thousands of pieces do not decide what the model learns; pieces without a
    source count as a source of their own.
    """
    groups = [s.group or f"\0{i}" for i, s in enumerate(samples)]
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    weights = counts[inverse].astype(np.float64) ** -power
    return weights / weights.mean()


def fit_task(config: Settings, samples: list[Sample], labels: list[str], *, use_target: bool,
             shared: dict[str, Any] | None = None, progress: ProgressFactory | None = None) -> Pipeline:
    """Build and fit one task's pipeline.

    Args:
        shared: Blocks from :func:`fit_shared_blocks`; each one whose settings equal this task's
            block of that name is used as it is instead of being fitted again.
        progress: Progress-bar factory ``progress(stage, total) -> advance(n)``, for the long
            fits (fine-tuning).

    Raises:
        TrainingError: When there are fewer than two labels or too few pieces.
    """
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2:
        raise errors.TrainingError.of(errors.ONE_CLASS, found=classes.tolist())
    if len(labels) < 4:
        raise errors.TrainingError.of(errors.FACTORY_NEEDS_LEAST_LABELLED, n_labels=len(labels))
    blend = word_blend_candidate(config, samples, use_target=use_target)  # before the text-target blocks go
    if use_target and per_target_active(config, samples):
        config = replace(config, features=replace(config.features,
                                                  target_features=config.features.per_target_target_features))
    pipeline = build_task_pipeline(config, use_target=use_target, n_samples=len(samples))
    power = config.classifier.source_weight
    if power and config.classifier.gate_label:
        raise errors.ConfigError.of(errors.FACTORY_CLASSIFIER_SOURCE_WEIGHT)
    weights = {"sample_weight": source_weights(samples, power)} if power else {}
    if "features" not in pipeline.named_steps:  # a fine-tuned encoder reads the samples themselves
        return pipeline.fit(samples, labels, clf__progress=progress, **{f"clf__{k}": v for k, v in weights.items()})
    union = pipeline.named_steps["features"]
    reuse = {name for name, block in union.transformer_list
             if shared and name in shared and joblib.hash(clone(shared[name])) == joblib.hash(block)}
    clf = pipeline.named_steps["clf"]
    by_name = _reads_feature_names(clf)
    # the blend needs the fitted union (its word columns) and an estimator= parameter to swap
    blend = blend and isinstance(clf, TargetAugmentedClassifier)
    if not reuse and not by_name and not blend:
        pipeline.fit(samples, labels, **{f"clf__{k}": v for k, v in weights.items()})
    else:
        if reuse:
            union.transformer_list = [(name, shared[name] if name in reuse else block.fit(samples, labels))
                                      for name, block in union.transformer_list]
            X = union.transform(samples)
        else:
            X = union.fit_transform(samples, labels)  # as Pipeline.fit does
        names = {"feature_names": union.get_feature_names_out()} if by_name else {}
        if blend:
            _blend_if_it_helps(config, clf, union, clf.training_matrix(X, names.get("feature_names")), labels, samples)
        clf.fit(X, labels, **weights, **names)
    for _, block in union.transformer_list:
        _slim(block)
    return pipeline


def _slim(block: Any) -> Any:
    """Drop a fitted vectoriser's ``stop_words_`` (every pruned term: only for introspection, and
    most of the model's size)."""
    vectorizer = getattr(block, "named_steps", {}).get("tfidf")
    if vectorizer is not None and hasattr(vectorizer, "stop_words_"):
        del vectorizer.stop_words_
    return block


def reads_target(cfg: Settings, use_target: bool) -> bool:
    """Whether a task's model reads its pieces' targets (target features, per-target weights, or a
    fine-tuned encoder reading the pair), so that its predictions are relative to a target."""
    if not use_target:
        return False
    clf = cfg.classifier
    return (clf.kind == "finetune" or cfg.features.target_features
            or (per_target_on(clf) and not clf.gate_label))

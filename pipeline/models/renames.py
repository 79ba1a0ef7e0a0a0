"""Where the classes of models saved before the regroup live now.

A pickle names each object's class by module path. Models saved before the package was
regrouped (framing 0.1.0 up to commit 29949c5) name the old flat modules (``pipeline.classifier``,
``pipeline.features``, ``pipeline.entities.features``, ...); :func:`renamed` maps such a name
to the class's new home, so :func:`pipeline.models.persist.load_model` still loads them.
Classes moved since then (``TargetSimilarity``, from ``pipeline.features.relation`` to
``pipeline.features.similarity``) are mapped the same way. A name that is not in the map is
returned unchanged, so new pickles are unaffected. :func:`_unpickle` is joblib's loader with
that mapping in its ``find_class``.
"""

from __future__ import annotations

import io
import pickle
from functools import lru_cache
from typing import Any

# Old module -> the module that holds its code now.
OLD_MODULES = {
    "pipeline.cache": "pipeline.nlp.cache",
    "pipeline.nlp": "pipeline.nlp.processor",
    "pipeline.features": "pipeline.features.samples",
    "pipeline.tfidf": "pipeline.features.tfidf",
    "pipeline.relation": "pipeline.features.relation",
    "pipeline.embeddings": "pipeline.features.embeddings",
    "pipeline.entities.features": "pipeline.features.mention",
    "pipeline.entities.lexicon": "pipeline.lexicon",
    "pipeline.entities.newsmtsc": "pipeline.corpus.datasets.newsmtsc",
    "pipeline.corpus.adapters": "pipeline.corpus.datasets.adapters",
    "pipeline.classifier": "pipeline.models.linear",
    "pipeline.two_stage": "pipeline.models.two_stage",
    "pipeline.finetune": "pipeline.models.finetune",
    "pipeline.models": "pipeline.models.factory",
    "pipeline.persist": "pipeline.models.persist",
    "pipeline.exchange": "pipeline.models.exchange",
    "pipeline.train": "pipeline.training.train",
    "pipeline.evaluate": "pipeline.evaluation.evaluate",
    "pipeline.explain": "pipeline.evaluation.explain",
    "pipeline.classify": "pipeline.inference.framer",
    "pipeline.summary": "pipeline.inference.summary",
}
# Names that a split sent to another module than the rest of their old module.
OLD_NAMES = {
    ("pipeline.features", "FieldSelector"): "pipeline.features.union",
    ("pipeline.features", "SourceSpread"): "pipeline.features.union",
    ("pipeline.features", "build_features"): "pipeline.features.union",
    ("pipeline.models", "FramingModel"): "pipeline.models.framing",
    ("pipeline.evaluate", "classification_metrics"): "pipeline.evaluation.metrics",
    ("pipeline.evaluate", "calibration_metrics"): "pipeline.evaluation.metrics",
    ("pipeline.evaluate", "shortcut_gaps"): "pipeline.evaluation.metrics",
    ("pipeline.evaluate", "cross_validate"): "pipeline.training.cross_validation",
    ("pipeline.classify", "piece_record"): "pipeline.inference.records",
    ("pipeline.classify", "to_dataframe"): "pipeline.inference.records",
    ("pipeline.train", "train_entity_stance_extra"): "pipeline.training.entity_stance",
    # The similarity block left the relation module after the regroup (its own module since 2026-12).
    ("pipeline.relation", "TargetSimilarity"): "pipeline.features.similarity",
    ("pipeline.features.relation", "TargetSimilarity"): "pipeline.features.similarity",
}


# Settings a saved model's config may lack, because it was saved before they existed: the value
# that gives the behaviour such models had (not the default, where the default changed it).
OLD_SETTINGS = {
    ("classifier", "kind"): "linear",  # before fine-tuning
    ("classifier", "solver"): "lbfgs",  # before the setting (the default is now newton-cg)
    ("classifier", "calibration_max_pieces"): 0,  # before it: calibration folds over every piece
    ("classifier", "gate_label"): "",  # before two stages
    ("classifier", "stage2"): "linear",
    ("classifier", "stage2_C"): 0.0,  # the first stage's C
    ("classifier", "per_target"): "off",  # before per-target weights (the default is now "auto")
    ("classifier", "min_target_pieces"): 50,
    ("classifier", "target_weight"): 1.0,
    ("classifier", "target_copy_cap"): 0.0,  # before the cap: a copy of every feature used
    ("classifier", "word_blend"): "off",  # before the blend with a plain word model
    ("classifier", "word_blend_C"): 1.0,
    ("classifier", "word_blend_max_pieces"): 0,  # before the check read a sample of the targets
    ("classifier", "source_weight"): 0.0,
    ("features", "char_max_chars"): 0,  # before the cut, character n-grams read the whole text
    ("features", "similarity"): False,
    ("features", "mention_context"): False,
    ("features", "per_target_target_features"): False,
    ("features", "word_tokens_only"): False,
    ("features", "min_sources"): 0,
    ("features", "embeddings"): "",
}


def renamed(module: str, name: str) -> tuple[str, str]:
    """The current ``(module, name)`` of the object a pre-regroup pickle names ``module.name``.

    Args:
        module: The module path stored in the pickle.
        name: The (qualified) name stored in the pickle.
    """
    top = name.split(".", 1)[0]
    if (module, top) in OLD_NAMES:
        return OLD_NAMES[(module, top)], name
    return OLD_MODULES.get(module, module), name


@lru_cache(maxsize=1)
def _renaming_unpickler() -> type:
    """joblib's unpickler, reading the classes of pre-regroup models from their new modules
    (made on first use: importing joblib is not needed to predict from a model's arrays)."""
    from joblib import numpy_pickle

    class _RenamingUnpickler(numpy_pickle.NumpyUnpickler):
        def find_class(self, module: str, name: str) -> Any:
            return super().find_class(*renamed(module, name))

    return _RenamingUnpickler


def __getattr__(name: str) -> Any:
    if name == "_RenamingUnpickler":
        return _renaming_unpickler()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _find_class(module: str, name: str) -> Any:
    """What ``pickle.Unpickler.find_class`` finds (imports ``module``, follows dotted ``name``)."""
    return pickle.Unpickler(io.BytesIO(b"")).find_class(module, name)


def _unpickle(data: bytes) -> Any:
    """Load one joblib file's bytes, mapping old module paths (:mod:`.renames`) to new ones.

    This is ``joblib.load`` on a file object (compressed or not), with :class:`_RenamingUnpickler`
    in place of joblib's own unpickler; read by the C unpickler where it can be
    (:mod:`.unpickling`, 0.4 s less for the default model), else by joblib's.
    """
    from joblib import numpy_pickle

    from .unpickling import load_fast

    try:
        return load_fast(data, lambda module, name: _find_class(*renamed(module, name)))
    except Exception:  # noqa: BLE001 - whatever the fast path cannot read, joblib's loader reads or explains
        pass
    with numpy_pickle._validate_fileobject_and_memmap(io.BytesIO(data), "", None) as (fobj, _):
        return _renaming_unpickler()("", fobj, ensure_native_byte_order=True, mmap_mode=None).load()

"""framing: stance, frame and entities for every piece of news coverage of a story.

The public API, for notebooks and scripts::

    from pipeline import Framer, read_corpus
    framer = Framer.load()                      # models/default, checksums verified
    records = list(framer.classify(read_corpus("corpus/roundups")))
"""

import os as _os

from . import _thinc
from .version import __version__  # noqa: E402

# Before any import: spaCy imports PyTorch when it is installed (the embeddings extra), and
# OpenMP reads this once, when it loads. Idle threads that wait passively instead of spinning
# keep fine-tuning from slowing 8x when another process is busy on the same 2 cores (measured:
# 7 s -> 62 s for the same fit). A value the user set is kept.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# spaCy's thinc imports PyTorch whenever it is installed; our spaCy pipelines never use it, and
# it is 1 s of every start that loads spaCy: thinc is loaded without it (see _thinc).
_thinc.install()

# The public API, imported on first use (PEP 562) so that ``import pipeline`` stays light:
# the CLI and the corpus tools need neither spaCy nor scikit-learn.
_API = {
    "Framer": "pipeline.inference.framer",
    "to_dataframe": "pipeline.inference.records",
    "load_config": "pipeline.config",
    "Piece": "pipeline.corpus",
    "corpus_stats": "pipeline.corpus",
    "read_corpus": "pipeline.corpus",
    "FramingError": "pipeline.errors",
    "evaluate_model": "pipeline.evaluation.evaluate",
    "load_model": "pipeline.models.persist",
    "save_model": "pipeline.models.persist",
    "train": "pipeline.training.train",
}


def __getattr__(name: str):
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value  # once imported, a plain attribute
        return value
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


__all__ = [
    "Framer",
    "FramingError",
    "Piece",
    "__version__",
    "corpus_stats",
    "evaluate_model",
    "load_config",
    "load_model",
    "read_corpus",
    "save_model",
    "to_dataframe",
    "train",
]

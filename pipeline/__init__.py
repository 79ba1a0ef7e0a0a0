"""framing: stance, frame and entities for every piece of news coverage of a story.

The public API, for notebooks and scripts::

    from pipeline import Framer, read_corpus
    framer = Framer.load()                      # models/default, checksums verified
    records = list(framer.classify(read_corpus("corpus/roundups")))
"""

import os as _os

__version__ = "0.1.0"

# Before any import: spaCy imports PyTorch when it is installed (the embeddings extra), and
# OpenMP reads this once, when it loads. Idle threads that wait passively instead of spinning
# keep fine-tuning from slowing 8x when another process is busy on the same 2 cores (measured:
# 7 s -> 62 s for the same fit). A value the user set is kept.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .classify import Framer, to_dataframe  # noqa: E402
from .config import load_config  # noqa: E402
from .corpus import Piece, corpus_stats, read_corpus  # noqa: E402
from .errors import FramingError  # noqa: E402
from .evaluate import evaluate_model  # noqa: E402
from .persist import load_model, save_model  # noqa: E402
from .train import train  # noqa: E402

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

"""spaCy without PyTorch where nothing needs it: thinc imports torch at start-up only to offer it.

``import spacy`` imports thinc, whose ``thinc.compat`` imports torch whenever it is installed
(the embeddings extra), for PyTorch-based spaCy components. framing's spaCy pipelines
(en_core_web_sm and the like) use none, and importing torch is 1.0 s of a 1.9 s
``spacy.load`` on a quiet machine (6-10 s of a one-sentence ``framing classify`` on a busy
one). So while ``thinc.compat`` runs, and only then, ``import torch`` fails, and thinc runs
without it. Afterwards torch imports as usual: the sentence-embedding features and the
fine-tuned classifier import it themselves and do not go through thinc.

Not done when torch is already imported, when a PyTorch-based spaCy package
(spacy-transformers, spacy-curated-transformers) is installed, or when
``FRAMING_THINC_TORCH=1``: then thinc imports torch as usual.
"""

from __future__ import annotations

import os
import sys

TORCH_PLUGINS = ("spacy_transformers", "spacy_curated_transformers")


class ThincWithoutTorch:
    """A ``sys.meta_path`` finder that loads ``thinc.compat`` with ``torch`` hidden, once."""

    @classmethod
    def find_spec(cls, fullname: str, path=None, target=None):  # noqa: ANN001 - the finder protocol
        if fullname != "thinc.compat":
            return None
        if cls in sys.meta_path:
            sys.meta_path.remove(cls)  # one look is enough: thinc.compat is imported once
        if not hide_torch():
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        run = spec.loader.exec_module

        def exec_without_torch(module) -> None:  # noqa: ANN001
            sys.modules["torch"] = None  # `import torch` raises ImportError: thinc takes it as absent
            try:
                run(module)
            finally:
                if "torch" in sys.modules and sys.modules["torch"] is None:
                    del sys.modules["torch"]

        spec.loader.exec_module = exec_without_torch
        return spec


def hide_torch() -> bool:
    """Whether thinc should be loaded without torch (see the module's docstring)."""
    if os.environ.get("FRAMING_THINC_TORCH") == "1" or "torch" in sys.modules:
        return False
    from importlib.util import find_spec

    return not any(find_spec(name) for name in TORCH_PLUGINS)


def install() -> None:
    """Put the finder first on ``sys.meta_path``, unless thinc is already imported."""
    if "thinc.compat" not in sys.modules and ThincWithoutTorch not in sys.meta_path:
        sys.meta_path.insert(0, ThincWithoutTorch)

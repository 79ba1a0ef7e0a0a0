"""The versions that made a model (recorded in ``model.json``), and a warning when a model is
loaded under others."""

from __future__ import annotations

import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import errors
from ..version import __version__


def _versions(spacy_model: str | None) -> dict[str, str | None]:
    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    return {
        "framing": __version__,
        "python": ".".join(map(str, __import__("sys").version_info[:3])),
        "spacy": version("spacy"),
        "scikit-learn": version("scikit-learn"),
        "joblib": version("joblib"),
        "numpy": version("numpy"),
        "spacy_model": version((spacy_model or "").replace("_", "-")) if spacy_model else None,
    }


def _warn_versions(info: dict[str, Any], path: Path) -> None:
    saved = info.get("versions", {})
    now = _versions(info.get("spacy_model", {}).get("name"))
    for name in ("scikit-learn", "spacy", "numpy", "spacy_model"):
        if saved.get(name) and now.get(name) and saved[name] != now[name]:
            warnings.warn(errors.VERSIONS_DIFFER.format(path=path, name=name, saved=saved[name], now=now[name]),
                          stacklevel=3)

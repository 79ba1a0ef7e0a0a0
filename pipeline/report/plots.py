"""Evaluation figures as embedded images: the confusion matrix and the reliability diagram.

matplotlib is imported only here and only when a figure is drawn (``pip install 'framing[report]'``).
Figures are returned as ``data:`` URIs (base64 PNG) so that a report opens without the network.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ImportError("HTML reports need matplotlib: pip install 'framing[report]'") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _data_uri(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    fig.clear()
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def confusion_png(labels: Sequence[str], confusion: Sequence[Sequence[int]], *, title: str = "") -> str:
    """The confusion matrix (rows gold, columns predicted) as a PNG ``data:`` URI."""
    import numpy as np

    plt = _pyplot()
    matrix = np.asarray(confusion, dtype=float)
    share = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = min(6.5, 2.0 + 0.35 * len(labels))
    fig, ax = plt.subplots(figsize=(size + 0.8, size))
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for (i, j), n in np.ndenumerate(matrix):
        ax.text(j, i, f"{int(n)}", ha="center", va="center", fontsize=9 if len(labels) < 8 else 7,
                color="white" if share[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(labels)), [lab[:14] for lab in labels], rotation=40, ha="right")
    ax.set_yticks(range(len(labels)), [lab[:14] for lab in labels])
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title or "Confusion matrix (shade: share of the gold row)", fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    try:
        return _data_uri(fig)
    finally:
        plt.close(fig)


def reliability_png(bins: Sequence[dict[str, Any]], *, ece: float | None = None, title: str = "") -> str:
    """The reliability diagram (accuracy against confidence per bin) as a PNG ``data:`` URI."""
    plt = _pyplot()
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(4.2, 4.6), sharex=True,
                                   gridspec_kw={"height_ratios": [3, 1]})
    filled = [b for b in bins if b["count"]]
    width = bins[0]["upper"] - bins[0]["lower"] if bins else 0.1
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    ax.bar([b["lower"] for b in filled], [b["accuracy"] for b in filled], width=width, align="edge",
           color="#4c78a8", edgecolor="white", label="accuracy in bin")
    ax.plot([b["confidence"] for b in filled], [b["accuracy"] for b in filled], "o", color="#e45756",
            ms=4, label="mean confidence")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("accuracy")
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    heading = title or "Reliability diagram"
    ax.set_title(f"{heading} (ECE {ece:.3f})" if ece is not None else heading, fontsize=10)
    hist.bar([b["lower"] for b in bins], [b["count"] for b in bins], width=width, align="edge",
             color="#9ecae9", edgecolor="white")
    hist.set_xlabel("confidence of the predicted label")
    hist.set_ylabel("pieces")
    try:
        return _data_uri(fig)
    finally:
        plt.close(fig)

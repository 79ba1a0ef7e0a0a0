"""Labelling your own coverage: what to label next, the labels file, agreement, merging, the page.

The page (:mod:`.server`) needs Flask and is imported only by ``framing annotate``.
"""

from .agreement import agreement_report, cohen_kappa, krippendorff_alpha
from .merge import MergeResult, merge_labels, resolve_votes
from .store import LabelLog, LabelWriter, read_label_log
from .suggest import Suggestion, select, suggest, uncertainty

__all__ = [
    "LabelLog",
    "LabelWriter",
    "MergeResult",
    "Suggestion",
    "agreement_report",
    "cohen_kappa",
    "krippendorff_alpha",
    "merge_labels",
    "read_label_log",
    "resolve_votes",
    "select",
    "suggest",
    "uncertainty",
]

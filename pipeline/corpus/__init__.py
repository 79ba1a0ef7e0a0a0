"""Reading corpora: the ``Piece`` record, loaders for each format, statistics."""

from .piece import KINDS, Piece, normalise_text, text_hash
from .readers import CsvOptions, LoadReport, read_corpus
from .stats import CorpusStats, corpus_stats

__all__ = [
    "KINDS",
    "CorpusStats",
    "CsvOptions",
    "LoadReport",
    "Piece",
    "corpus_stats",
    "normalise_text",
    "read_corpus",
    "text_hash",
]

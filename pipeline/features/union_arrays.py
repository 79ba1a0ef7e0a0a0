"""The array form of a task's feature union: each block's spec and arrays, and the joined matrix.

The blocks it reproduces are the TF-IDF blocks (:mod:`.tfidf_arrays`), the relation values
(:func:`~.target_relation.relation_matrix`) and the target number
(:class:`~pipeline.models.per_target.TargetIndex`); any other block (embeddings, similarity,
mention context, a weighted union) raises :class:`~.tfidf_arrays.Unsupported`. A block that
several tasks share (``shared_key_``, :func:`pipeline.models.factory.fit_shared_blocks`) keeps its
key, so that it is computed once per batch for all of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import rows as R
from .target_relation import relation_matrix
from .tfidf_arrays import TfidfArrays, Unsupported, export_tfidf


def export_union(union: Any) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    """The block specs (in column order) and arrays of a fitted ``FeatureUnion``.

    Raises:
        Unsupported: When a block is of a kind the array form does not reproduce.
    """
    if type(union).__name__ != "FeatureUnion" or union.transformer_weights is not None:
        raise Unsupported(f"features: {type(union).__name__} with weights {getattr(union, 'transformer_weights', None)}")
    specs, arrays = [], {}
    for i, (name, block) in enumerate(union.transformer_list):
        prefix = f"b{i}"
        kind = type(block).__name__
        if kind == "Pipeline":
            spec, own = export_tfidf(block, prefix)
            arrays.update(own)
        elif kind == "RelationFeatures":
            spec = {"kind": "relation", "n": int(getattr(block, "n_relation_", 4))}
        elif kind == "TargetIndex":
            spec = {"kind": "target_index", "targets": list(block.index_)}
            if list(block.index_.values()) != list(range(1, len(block.index_) + 1)):
                raise Unsupported("target_index: numbers are not 1..n")
        else:
            raise Unsupported(f"feature block {name}: {kind}")
        specs.append({**spec, "name": name, "shared": getattr(block, "shared_key_", None)})
    return specs, arrays


class UnionArrays:
    """A feature union read back from :func:`export_union`'s specs and arrays."""

    def __init__(self, specs: list[dict[str, Any]], arrays: Any) -> None:
        self.specs = specs
        self.blocks: list[Any] = []
        for i, spec in enumerate(specs):
            if spec["kind"] == "tfidf":
                self.blocks.append(TfidfArrays(spec, arrays, f"b{i}"))
            elif spec["kind"] == "relation":
                self.blocks.append(int(spec["n"]))
            elif spec["kind"] == "target_index":
                self.blocks.append({t: i + 1 for i, t in enumerate(spec["targets"])})
            else:
                raise Unsupported(f"feature block {spec.get('name')}: {spec['kind']}")

    @property
    def n_columns(self) -> int:
        """The joined matrix's width."""
        return sum(b.n_columns if isinstance(b, TfidfArrays) else b if isinstance(b, int) else 1 for b in self.blocks)

    def transform(self, samples: list[Any], done: dict[str, R.Rows] | None = None) -> R.Rows:
        """The joined matrix of ``samples`` (what the union's ``transform`` gives).

        Args:
            done: Blocks already computed for these samples, by shared key; shared blocks
                computed here are added to it.
        """
        done = {} if done is None else done
        parts = []
        for spec, block in zip(self.specs, self.blocks):
            key = spec.get("shared")
            if key and key in done:
                parts.append(done[key])
                continue
            if spec["kind"] == "tfidf":
                part = block.transform(samples)
            elif spec["kind"] == "relation":
                part = R.dense(relation_matrix(samples, block))
            else:  # the target's number as one float32 column, as TargetIndex.transform gives it
                part = R.dense(np.asarray([[block.get(s.target, 0)] for s in samples], dtype=np.float32).reshape(-1, 1))
            if key:
                done[key] = part
            parts.append(part)
        return R.hstack(parts)

"""Entities of a piece of coverage: who and what it mentions, whether it quotes them, and
its stance toward each.

    doc = nlp(piece.text)
    entities = extract_entities(doc)                  # cleaned, merged, attributed
    attach_stance(entities, doc, model)               # model = train_entity_stance(path)
    linked = link_entities([entities_a, entities_b])  # one id per entity across pieces

The names are imported on first use (PEP 562), so that the plain-string helpers
(:mod:`~pipeline.entities.names`) load without spaCy, e.g. for reading a roundup page.
"""

from __future__ import annotations

_API = {
    "extract_entities": "pipeline.entities.extract",
    "TargetFeaturizer": "pipeline.features.mention",
    "LinkedEntity": "pipeline.entities.link",
    "link_entities": "pipeline.entities.link",
    "read_newsmtsc": "pipeline.corpus.datasets.newsmtsc",
    "LABELS": "pipeline.entities.stance",
    "EntityStanceClassifier": "pipeline.entities.stance",
    "attach_stance": "pipeline.entities.attach",
    "train_entity_stance": "pipeline.entities.stance",
    "Entity": "pipeline.entities.types",
    "add_author": "pipeline.entities.authors",
}


def __getattr__(name: str):
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value  # once imported, a plain attribute
        return value
    raise AttributeError(f"module 'pipeline.entities' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


__all__ = sorted(_API)

"""Entities of a piece of coverage: who and what it mentions, whether it quotes them, and
its stance toward each.

    doc = nlp(piece.text)
    entities = extract_entities(doc)                  # cleaned, merged, attributed
    attach_stance(entities, doc, model)               # model = train_entity_stance(path)
    linked = link_entities([entities_a, entities_b])  # one id per entity across pieces
"""

from .extract import extract_entities
from ..features.mention import TargetFeaturizer
from .link import LinkedEntity, link_entities
from ..corpus.datasets.newsmtsc import read_newsmtsc
from .stance import LABELS, EntityStanceClassifier, attach_stance, train_entity_stance
from .types import Entity

__all__ = [
    "LABELS",
    "Entity",
    "EntityStanceClassifier",
    "LinkedEntity",
    "TargetFeaturizer",
    "attach_stance",
    "extract_entities",
    "link_entities",
    "read_newsmtsc",
    "train_entity_stance",
]

"""Tests for pipeline.labelling.spans: the mention spans the labelling page highlights."""

from __future__ import annotations

from pipeline.labelling.spans import entity_spans


def test_entity_spans_drop_overlaps_and_bad_offsets():
    entities = [{"text": "A B", "label": "PERSON", "mentions": [[0, 3], [10, 12]]},
                {"text": "B", "label": "ORG", "mentions": [[2, 3], [40, 50]]}]
    assert entity_spans(entities, 20) == [{"start": 0, "end": 3, "label": "PERSON", "name": "A B"},
                                          {"start": 10, "end": 12, "label": "PERSON", "name": "A B"}]

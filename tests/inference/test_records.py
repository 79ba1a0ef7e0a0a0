"""Flat records: every JSON field as a column, entity stance flattened; the DataFrame uses them."""

from __future__ import annotations

import json

from pipeline.inference.records import flat_columns, flatten_record, to_dataframe

RECORD = {"id": "p1", "kind": "article", "source": "Daily", "date": "2024-05-01", "title": "Tolls", "text": "Ana Ruiz spoke.",
          "story": "tolls", "target": "the toll", "target_seen": True, "target_match": {"target": "the toll", "score": 1.0},
          "predictions": {"stance": {"label": "oppose", "confidence": 0.7,
                                     "probabilities": {"oppose": 0.7, "support": 0.3}, "source": "stance-any",
                                     "zero_shot": True}},
          "entities": [{"id": "person:ana-ruiz", "text": "Ana Ruiz", "label": "PERSON", "count": 2, "mentions": [[0, 8]],
                        "quoted": True, "stance": "negative", "stance_proba": {"negative": 0.81, "neutral": 0.19}}],
          "gold": {"stance": "oppose"}, "offsets": [10, 25], "meta": {"byline": "N. K."}}


def test_every_field_is_flattened():
    row = flatten_record(RECORD)
    assert set(flat_columns({"stance": ["oppose", "support"]})) == set(row)
    assert row["entities"] == "Ana Ruiz (PERSON x2, quoted, -0.81)"
    assert json.loads(row["entities_json"]) == RECORD["entities"]
    assert row["target_match"] == "the toll" and row["target_match_score"] == 1.0 and row["target_seen"] is True
    assert row["stance_p_support"] == 0.3 and row["gold_stance"] == "oppose" and row["offsets"] == "10-25"
    assert row["stance_source"] == "stance-any"  # the model that gave the stance
    assert row["text"] == "Ana Ruiz spoke." and row["title"] == "Tolls" and json.loads(row["meta"]) == RECORD["meta"]


def test_dataframe_carries_text_title_and_entity_stance():
    df = to_dataframe([RECORD])
    assert df.loc[0, "text"] == "Ana Ruiz spoke." and df.loc[0, "title"] == "Tolls"
    assert df.loc[0, "entities"].endswith("-0.81)") and df.loc[0, "stance_confidence"] == 0.7

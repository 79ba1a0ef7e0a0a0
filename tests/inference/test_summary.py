from pipeline.inference.summary import entity_summary, story_summary


def record(source, stance, entities):
    return {"source": source, "predictions": {"stance": {"label": stance}}, "entities": entities}


def entity(text, label, start, *, quoted=False, stance=None):
    return {"id": f"{label.lower()}:{text.lower().replace(' ', '-')}", "text": text, "label": label, "count": 1,
            "mentions": [[start, start + len(text)]], "aliases": [], "role": None, "quoted": quoted,
            "stance": stance, "stance_proba": {stance: 0.8} if stance else None}


def test_story_summary_counts_labels_by_source():
    rows = [record("A", "oppose", []), record("A", "support", []), record("B", "oppose", [])]
    assert story_summary(rows) == {"stance": {"A": {"oppose": 1, "support": 1}, "B": {"oppose": 1}}}


def test_entity_summary_links_across_pieces_and_splits_by_source():
    rows = [
        record("Ledger", "oppose", [entity("Ed Markey", "PERSON", 0, quoted=True, stance="positive"),
                                    entity("Amazon", "ORG", 30, stance="negative")]),
        record("Courier", "support", [entity("Markey", "PERSON", 5, stance="negative")]),
        record("Ledger", "neutral", [entity("Amazon", "ORG", 0)]),
    ]
    summary = {row["text"]: row for row in entity_summary(rows)}
    markey = summary["Ed Markey"]
    assert markey["pieces"] == 2 and markey["quoted"] == 1
    assert markey["by_source"]["Ledger"] == {"pieces": 1, "quoted": 1, "stance": {"positive": 1}}
    assert markey["by_source"]["Courier"]["stance"] == {"negative": 1}
    assert summary["Amazon"]["by_source"]["Ledger"]["pieces"] == 2

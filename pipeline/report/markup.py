"""HTML fragments of one piece: entity highlighting (displaCy), shaded sentences, label colours."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d",
           "#ff9da6", "#bab0ac")


def label_colours(labels: Iterable[str]) -> dict[str, str]:
    """A stable colour per label (sorted order), for bars and legends; ``uncertain`` is grey."""
    colours = {lab: PALETTE[i % len(PALETTE)] for i, lab in enumerate(sorted(set(labels) - {"uncertain"}))}
    return colours | {"uncertain": "#999999"}


def entity_spans(text: str, entities: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """displaCy ``ents`` from entity records that carry character offsets under ``mentions``.

    A mention is ``{"start": s, "end": e}`` or ``[s, e]``. Records without mentions (text, label
    and count only) give no spans; offsets outside the text or overlapping an earlier span are
    dropped, since displaCy needs sorted, disjoint spans.
    """
    spans = []
    for ent in entities:
        for mention in ent.get("mentions") or []:
            if isinstance(mention, dict):
                start, end = mention.get("start"), mention.get("end")
            elif isinstance(mention, (list, tuple)) and len(mention) >= 2:
                start, end = mention[0], mention[1]
            else:
                continue
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                spans.append({"start": start, "end": end, "label": str(ent.get("label", "ENT"))})
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    disjoint, last_end = [], 0
    for span in spans:
        if span["start"] >= last_end:
            disjoint.append(span)
            last_end = span["end"]
    return disjoint


def entity_html(text: str, entities: Sequence[dict[str, Any]] | None) -> Markup:
    """The text with its entities highlighted by displaCy, or escaped plain text when no offsets."""
    spans = entity_spans(text, entities or [])
    if not spans:
        return Markup('<div class="plain">{}</div>').format(text)
    from spacy import displacy

    html = displacy.render([{"text": text, "ents": spans, "title": None}], style="ent", manual=True,
                           page=False, jupyter=False)
    return Markup(html)  # displaCy escapes the text itself


def shaded_sentences(text: str, sentences: Sequence[dict[str, Any]], *, field: str = "text",
                     scale: float | None = None) -> Markup:
    """``text`` with each sentence shaded by its contribution: green toward, red against.

    Args:
        text: The original field text (body or title).
        sentences: Explanation sentences (``field``, ``start``, ``end``, ``contribution``).
        field: Which field's sentences to shade.
        scale: The contribution that gets full colour (default: the largest in absolute value).
    """
    mine = sorted((s for s in sentences if s.get("field", "text") == field), key=lambda s: s["start"])
    if not mine:
        return Markup("{}").format(text)
    scale = scale or max(abs(s["contribution"]) for s in sentences) or 1.0
    parts, pos = [], 0
    for sent in mine:
        if sent["start"] < pos:
            continue
        parts.append(escape(text[pos:sent["start"]]))
        value = sent["contribution"]
        alpha = 0.06 + min(1.0, abs(value) / scale) * 0.5 if value else 0.0
        rgb = "46,160,67" if value > 0 else "214,39,40"
        parts.append(Markup('<span class="sent" style="background: rgba({}, {:.2f})" title="{:+.3f}" '
                            'data-contribution="{:.4f}">{}</span>').format(
            rgb, alpha, value, value, text[sent["start"]:sent["end"]]))
        pos = sent["end"]
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)

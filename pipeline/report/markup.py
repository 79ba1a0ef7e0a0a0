"""HTML fragments of one piece: entity chips, sentences shaded by contribution, label colours."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d",
           "#ff9da6", "#bab0ac")
# Chip colours per entity type (displaCy's, so reports look as spaCy users expect).
ENTITY_COLOURS = {"PERSON": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561",
                  "NORP": "#c887fb", "FAC": "#9cc9cc", "EVENT": "#ffeb80", "LAW": "#ff8197",
                  "PRODUCT": "#bfeeb7", "WORK_OF_ART": "#f0d0ff", "LANGUAGE": "#ff8197"}
STANCE_SIGNS = {"positive": "+", "neutral": "=", "negative": "\u2212"}
TOWARD, AGAINST = "46,160,67", "214,39,40"


def label_colours(labels: Iterable[str]) -> dict[str, str]:
    """A stable colour per label (sorted order), for bars and legends; ``uncertain`` is grey."""
    colours = {lab: PALETTE[i % len(PALETTE)] for i, lab in enumerate(sorted(set(labels) - {"uncertain"}))}
    return colours | {"uncertain": "#999999"}


def entity_spans(text: str, entities: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sorted, disjoint spans of the entities' mentions, each with the entity record under ``entity``.

    A mention is ``{"start": s, "end": e}`` or ``[s, e]``. Records without mentions (text, label
    and count only) give no spans; offsets outside the text or overlapping an earlier span are
    dropped, since a character can sit in one chip only.
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
                spans.append({"start": start, "end": end, "label": str(ent.get("label", "ENT")), "entity": ent})
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    disjoint, last_end = [], 0
    for span in spans:
        if span["start"] >= last_end:
            disjoint.append(span)
            last_end = span["end"]
    return disjoint


def entity_note(entity: dict[str, Any]) -> str:
    """``PERSON, 2 mentions, quoted, stance negative (0.79)``: what a chip's tooltip and the table say."""
    parts = [str(entity.get("label", "ENT"))]
    if (entity.get("count") or 1) > 1:
        parts.append(f"{entity['count']} mentions")
    if entity.get("quoted"):
        parts.append("quoted")
    stance = entity.get("stance")
    if stance:
        proba = (entity.get("stance_proba") or {}).get(stance)
        parts.append(f"stance {stance}" + (f" ({proba:.2f})" if proba is not None else ""))
    return ", ".join(parts)


def _chip(text: str, span: dict[str, Any], start: int, end: int) -> Markup:
    ent = span["entity"]
    stance = ent.get("stance")
    sign = Markup('<span class="ent-stance" data-stance="{}">{}</span>').format(
        stance, STANCE_SIGNS.get(stance, "?")) if stance else ""
    quoted = Markup('<span class="ent-quoted" title="quoted">\u201d</span>') if ent.get("quoted") else ""
    # No whitespace around the chip's tags: text after the chip (", its") must follow it directly.
    return Markup('<mark class="entity" data-label="{}" data-stance="{}" data-quoted="{}" title="{}" '
                  'style="background: {}">{}<span class="ent-label">{}</span>{}{}</mark>').format(
        span["label"], stance or "", "true" if ent.get("quoted") else "false", entity_note(ent),
        ENTITY_COLOURS.get(span["label"], "#ddd"), text[start:end], span["label"], sign, quoted)


def _marked(text: str, start: int, end: int, spans: Sequence[dict[str, Any]]) -> Markup:
    """``text[start:end]`` escaped, with chips for the spans inside it (clipped at its edges)."""
    parts, pos = [], start
    for span in spans:
        a, b = max(span["start"], start), min(span["end"], end)
        if a >= b or a < pos:
            continue
        parts.append(escape(text[pos:a]))
        parts.append(_chip(text, span, a, b))
        pos = b
    parts.append(escape(text[pos:end]))
    return Markup("").join(parts)


def sentence_shade(value: float, scale: float) -> str:
    """The CSS background of a sentence that contributed ``value`` (full colour at ``scale``)."""
    if not value:
        return "transparent"
    alpha = 0.06 + min(1.0, abs(value) / scale) * 0.5
    return f"rgba({TOWARD if value > 0 else AGAINST}, {alpha:.2f})"


def piece_html(text: str, entities: Sequence[dict[str, Any]] | None = None,
               sentences: Sequence[dict[str, Any]] | None = None, *, field: str = "text",
               scale: float | None = None) -> Markup:
    """``text`` escaped, its entities as chips and its sentences shaded by their contribution.

    Args:
        text: The original field text (body or title).
        entities: Entity records with ``mentions`` offsets (chips show type, stance and quoted).
        sentences: Explanation sentences (``field``, ``start``, ``end``, ``contribution``):
            green toward the explained label, red against it.
        field: Which field's sentences to shade.
        scale: The contribution that gets full colour (default: the largest in absolute value).
    """
    spans = entity_spans(text, entities or [])
    mine = sorted((s for s in sentences or [] if s.get("field", "text") == field), key=lambda s: s["start"])
    if mine:
        scale = scale or max(abs(s["contribution"]) for s in mine) or 1.0
    parts, pos = [], 0
    for sent in mine:
        start, end = sent["start"], min(sent["end"], len(text))
        if start < pos or start >= end:
            continue
        parts.append(_marked(text, pos, start, spans))
        value = sent["contribution"]
        parts.append(Markup('<span class="sent" style="background: {}" title="{:+.3f}" data-contribution="{:.4f}">'
                            '{}</span>').format(sentence_shade(value, scale), value, value,
                                                _marked(text, start, end, spans)))
        pos = end
    parts.append(_marked(text, pos, len(text), spans))
    return Markup("").join(parts)


def entity_html(text: str, entities: Sequence[dict[str, Any]] | None) -> Markup:
    """The text with its entities as chips (escaped plain text where no entity has offsets)."""
    return Markup('<div class="plain">{}</div>').format(piece_html(text, entities))


def shaded_sentences(text: str, sentences: Sequence[dict[str, Any]], *, field: str = "text",
                     scale: float | None = None) -> Markup:
    """``text`` with each sentence shaded by its contribution: green toward, red against."""
    return piece_html(text, None, sentences, field=field, scale=scale)

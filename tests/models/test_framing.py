"""FramingModel: the typed settings it reads from ``info["config"]``, built once."""

from __future__ import annotations

import pipeline.models.framing as framing
from pipeline.models.framing import FramingModel


def _model(max_tokens: int = 321) -> FramingModel:
    return FramingModel(tasks={}, info={"config": {"features": {"max_tokens": max_tokens}}})


def _count_builds(monkeypatch) -> list[int]:
    built: list[int] = []
    real = framing.saved_config

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(framing, "saved_config", counting)
    return built


def test_the_settings_are_built_once_for_every_batch(monkeypatch):
    built = _count_builds(monkeypatch)
    model = _model()
    assert [model.max_tokens for _ in range(50)] == [321] * 50
    assert model.config is model.config and len(built) == 1


def test_a_changed_config_is_read_again(monkeypatch):
    built = _count_builds(monkeypatch)
    model = _model()
    assert model.max_tokens == 321
    model.info["config"]["features"]["max_tokens"] = 64  # edited in place
    assert model.max_tokens == 64
    model.info["config"] = {"features": {"max_tokens": 7}}  # replaced
    assert model.max_tokens == 7
    del model.info["config"]  # none recorded: the defaults
    assert model.max_tokens == framing.saved_config(None).features.max_tokens
    assert len(built) == 4 + 1  # three changes after the first build, and the reference just above


def test_the_cache_is_not_part_of_the_model():
    a, b = _model(), _model()
    assert a.max_tokens == 321
    assert a == b and "_config" not in repr(a)  # equality and repr see the fields only

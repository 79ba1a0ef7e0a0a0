"""Checking configuration values against the settings' types, naming the file, the key and what is allowed."""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from typing import Any, Literal

from .. import errors
from .settings import SECTIONS


@functools.cache
def _hints(section: str) -> dict[str, Any]:
    cls = SECTIONS[section]
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def check_layer(layer: Any, *, where: str) -> None:
    """Check every section, key and value of one layer (a TOML file, overrides) where it was written.

    Raises:
        ConfigError: For an unknown section or key, a value that is not a table where one is
            expected, or a value of the wrong type.
    """
    if not isinstance(layer, Mapping):
        raise errors.ConfigError.of(errors.CONFIG_NOT_TABLE, file=where, name="the configuration")
    for section, values in layer.items():
        if section == "tasks":
            _check_tasks(values, where)
        else:
            _check_section(section, values, where, prefix="")


def _check_tasks(tasks: Any, where: str) -> None:
    if not isinstance(tasks, Mapping):
        raise errors.ConfigError.of(errors.CONFIG_NOT_TABLE, file=where, name="tasks")
    for task, sections in tasks.items():
        if not isinstance(sections, Mapping):
            raise errors.ConfigError.of(errors.CONFIG_NOT_TABLE, file=where, name=f"tasks.{task}")
        for section, values in sections.items():
            _check_section(section, values, where, prefix=f"tasks.{task}.")


def _check_section(section: str, values: Any, where: str, *, prefix: str) -> None:
    if section not in SECTIONS:
        known = ", ".join([*SECTIONS, "tasks"] if not prefix else SECTIONS)
        raise errors.ConfigError.of(errors.CONFIG_UNKNOWN, file=where, name=f"{prefix}{section}", known=known)
    if not isinstance(values, Mapping):
        raise errors.ConfigError.of(errors.CONFIG_NOT_TABLE, file=where, name=f"{prefix}{section}")
    hints = _hints(section)
    for key, value in values.items():
        name = f"{prefix}{section}.{key}"
        if key not in hints:
            raise errors.ConfigError.of(errors.CONFIG_UNKNOWN, file=where, name=name, known=", ".join(hints))
        checked(value, hints[key], name=name, where=where)


def section_values(section: str, values: Mapping[str, Any], *, where: str) -> Any:
    """The frozen settings of ``section`` from ``values`` (every setting given; checked)."""
    hints = _hints(section)
    missing = [k for k in hints if k not in values]
    if missing:
        raise errors.ConfigError.of(errors.CONFIG_MISSING_SETTING, file=where, section=section,
                                    names=", ".join(missing))
    return SECTIONS[section](**{k: checked(values[k], hint, name=f"{section}.{k}", where=where)
                                for k, hint in hints.items()})


def checked(value: Any, hint: Any, *, name: str, where: str) -> Any:
    """``value`` as the type ``hint`` describes (an int where a float is expected, a list as a tuple).

    Raises:
        ConfigError: Naming ``where``, the setting, what it allows and what was found.
    """
    origin = typing.get_origin(hint)
    if origin is Literal:
        allowed = typing.get_args(hint)
        if isinstance(value, str) and value in allowed:
            return value
        return _wrong(name, where, "one of " + ", ".join(repr(a) for a in allowed), value)
    if origin is tuple:
        args = typing.get_args(hint)
        if isinstance(value, (list, tuple)) and len(value) == len(args) and all(
                isinstance(v, int) and not isinstance(v, bool) for v in value):
            return tuple(value)
        return _wrong(name, where, f"a list of {len(args)} integers, e.g. [1, 2]", value)
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, str):
        return value
    expected = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}[hint]
    return _wrong(name, where, expected, value)


def _wrong(name: str, where: str, expected: str, value: Any) -> Any:
    raise errors.ConfigError.of(errors.CONFIG_WRONG_TYPE, file=where, name=name, expected=expected, found=value)

"""The one progress protocol: the library reports how far it is, the CLI draws the bars.

A long call takes ``progress``, a :data:`ProgressFactory`: it calls ``progress(stage, total)``
once per stage (``total`` None when unknown) and gets an :data:`Advance` back, which it calls
with the number of items done since the last call. The library never draws anything itself.
"""

from __future__ import annotations

from collections.abc import Callable

Advance = Callable[[int], None]
ProgressFactory = Callable[[str, "int | None"], Advance]

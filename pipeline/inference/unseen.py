"""Counting the records whose target the model was not trained on, for one warning line."""

from __future__ import annotations

from .records import Record


class UnseenTargets:
    """Records whose target the model was not trained on: those without one, and each unseen
    target with its closest training target."""

    def __init__(self) -> None:
        self.missing = 0
        self.unseen: dict[str, dict] = {}

    def add(self, records: list[Record]) -> None:
        """Count a batch of records."""
        for rec in records:
            if rec.get("target_seen") is False:
                if not rec.get("target"):
                    self.missing += 1
                else:
                    self.unseen.setdefault(rec["target"], rec.get("target_match") or {})

    def warning(self, training: list[str], *, hint: str = "give them a target") -> str | None:
        """One line naming what was unseen and what the stance is relative to, or None.

        Args:
            training: The model's training targets.
            hint: How to give pieces a target (the CLI names its flag).
        """
        if not self.missing and not self.unseen:
            return None
        known = ", ".join(repr(t) for t in training[:4]) + (f" and {len(training) - 4} more" if len(training) > 4 else "")
        parts = []
        if self.unseen:
            target, match = next(iter(self.unseen.items()))
            closest = f" (closest: {match['target']!r}, similarity {match['score']:.2f})" if match.get("target") else ""
            more = f" and {len(self.unseen) - 1} other target(s)" if len(self.unseen) > 1 else ""
            parts.append(f"target {target!r}{closest}{more} is not among the model's training targets")
        if self.missing:
            parts.append(f"{self.missing} piece(s) have no target ({hint})")
        return ("; ".join(parts) + f": their stance probabilities are relative to the training targets "
                f"({known or 'none recorded'}), not to the target named. Train on pieces labelled toward it.")

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
            if rec.get("predictions", {}).get("stance", {}).get("no_target"):
                self.missing += 1  # an any-target model, a piece without a target
            elif rec.get("target_seen") is False:
                if not rec.get("target"):
                    self.missing += 1
                else:
                    self.unseen.setdefault(rec["target"], rec.get("target_match") or {})

    def warning(self, training: list[str], *, hint: str = "give them a target") -> str | None:
        """One line naming the unseen targets and what their stance is relative to, or None.

        Args:
            training: The model's training targets.
            hint: How to give pieces a target (unused here: see :meth:`note`).
        """
        if not self.unseen:
            return None
        target, match = next(iter(self.unseen.items()))
        closest = f" (closest: {match['target']!r}, similarity {match['score']:.2f})" if match.get("target") else ""
        more = f" and {len(self.unseen) - 1} other target(s)" if len(self.unseen) > 1 else ""
        return (f"target {target!r}{closest}{more} is not among the model's training targets: their stance "
                f"probabilities are relative to the training targets ({_known(training)}), not to the target "
                "named. Train on pieces labelled toward it.")

    def note(self, training: list[str], *, hint: str = "give them a target", any_target: bool = False) -> str | None:
        """One short line for the pieces that carry no target (what their stance means, how to
        give one), or None.

        Args:
            training: The model's training targets.
            hint: How to give pieces a target (the CLI names its flag).
            any_target: The model reads any target (their stance is then 'uncertain').
        """
        if not self.missing:
            return None
        if any_target:
            return f"{self.missing} piece(s) have no target, so their stance is 'uncertain'; to say what it is about, {hint}."
        return (f"{self.missing} piece(s) have no target, so their stance is how they lean in the terms of the "
                f"model's training targets ({_known(training, 2)}); to say what it is about, {hint}.")


def _known(training: list[str], n: int = 4) -> str:
    """The first ``n`` training targets and how many more, for one line."""
    if not training:
        return "none recorded"
    return ", ".join(repr(t) for t in training[:n]) + (f" and {len(training) - n} more" if len(training) > n else "")

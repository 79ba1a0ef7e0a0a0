"""Counting the records whose target the model was not trained on, for one warning line (which
says whether their stance came from the zero-shot model or is relative to the training targets)."""

from __future__ import annotations

from .records import Record
from .zero_shot import describe


class UnseenTargets:
    """Records whose target the model was not trained on: those without one, and each unseen
    target with its closest training target; how many of them got the zero-shot model's stance."""

    def __init__(self) -> None:
        self.missing = 0
        self.unseen: dict[str, dict] = {}
        self.pieces = 0  # pieces with an unseen target
        self.zero_shot = 0  # of those, stance from the zero-shot model

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
                    self.pieces += 1
                    self.zero_shot += bool(rec.get("predictions", {}).get("stance", {}).get("zero_shot"))

    def warning(self, training: list[str], *, hint: str = "give them a target",
                zero_shot: dict | None = None) -> str | None:
        """One line naming the unseen targets and where their stance came from, or None.

        Args:
            training: The model's training targets.
            hint: How to give pieces a target (unused here: see :meth:`note`).
            zero_shot: :meth:`~.zero_shot.ZeroShot.status` of the zero-shot model asked for (None: none).
        """
        if not self.unseen:
            return None
        target, match = next(iter(self.unseen.items()))
        closest = f" (closest: {match['target']!r}, similarity {match['score']:.2f})" if match.get("target") else ""
        more = f" and {len(self.unseen) - 1} other target(s)" if len(self.unseen) > 1 else ""
        head = f"target {target!r}{closest}{more} is not among the model's training targets: "
        if zero_shot and self.zero_shot == self.pieces:
            mapped = describe(zero_shot.get("mapping"), zero_shot.get("left_out") or ())
            return (head + f"their stance comes from the zero-shot model {zero_shot['model']!r}, read toward the "
                    f"target named (labels {mapped}; stance_source {zero_shot['model']!r}). It is weaker than a "
                    "model trained on pieces labelled toward it.")
        why = ""
        if zero_shot and zero_shot.get("reason"):
            why = f" (the zero-shot model {zero_shot['model']!r} was not used: {zero_shot['reason']})"
        elif zero_shot and self.zero_shot:
            why = f" ({self.zero_shot} of {self.pieces} piece(s) got the zero-shot model {zero_shot['model']!r})"
        return (head + f"their stance probabilities are relative to the training targets ({_known(training)}), "
                f"not to the target named{why}. Train on pieces labelled toward it.")

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

"""Evaluation: metrics, scoring a model on held-out pieces, and per-prediction explanations."""

"""Classifiers and the model that holds them: the calibrated linear classifier, the two-stage
and fine-tuned ones, the per-task factory, FramingModel, saving/loading and the skops exchange."""

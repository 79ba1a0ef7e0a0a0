"""Training: the per-task fit with cross-validated evaluation, and the entity-stance extra."""

"""The spaCy layer: model choice, component profiles, batching on worker processes, the doc cache."""

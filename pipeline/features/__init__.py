"""Feature blocks: samples from processed pieces, TF-IDF, text-target relation, similarity,
mention context, sentence embeddings, and the union that joins them."""

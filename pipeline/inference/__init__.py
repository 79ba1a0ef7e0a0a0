"""Inference: classifying pieces with a trained model (the Framer, output records, summaries), on this
machine or on a Dask cluster."""

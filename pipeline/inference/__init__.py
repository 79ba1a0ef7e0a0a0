"""Inference: classifying pieces with a trained model, on this machine or on a Dask cluster."""

"""The version of framing, which saved models record (kept here so that no module imports the package root)."""

__version__ = "0.1.0"

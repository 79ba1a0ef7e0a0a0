"""framing: stance, frame and entities for every piece of news coverage of a story."""

__version__ = "0.1.0"

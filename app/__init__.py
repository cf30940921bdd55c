"""Commentary Archive: a searchable archive of Chinese-language market commentaries."""

__version__ = "0.1.0"

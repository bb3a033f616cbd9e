"""cleaner: clean and deduplicate English and French news text, explaining every change."""

__version__ = "0.1.0"
__all__ = ["__version__"]

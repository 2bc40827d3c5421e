"""sitrep: news in, sourced conflict events out."""
__version__ = "0.1.0"

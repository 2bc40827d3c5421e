"""Events from a parsed article: rules over spaCy's dependency parse.

    extractor  the walk over an article's sentences: triggers, arguments, status, claims
    lexicon    the words the rules look for
    draft      an event while it is being assembled
    syntax     what the dependency parse says (subjects, objects, clauses, negation)
    clauses    what a trigger's clause says of its event: an aim, background, a person taken, its date
    counts     how many, of whom
    where      which place mention is where an event happened
    kinds      which ACLED sub-event type a trigger is
    merging    reports of one event inside one article become one event

Callers need only ``EventExtractor``.
"""

from .extractor import EventExtractor

__all__ = ["EventExtractor"]

"""Events from a parsed article: rules over spaCy's dependency parse.

    extractor  the steps in order, over one article
    state      what is known of the article being read (passed explicitly from step to step)
    triggers   content sentences and the words in them that propose an event
    frame      the vetting rules: is a trigger an event report, and of what category
    fill       the argument fillers: status, claim, actors, place, date, counts and type
    updates    later confirmations, denials and responsibility claims of events told before
    gate       the learned detect and type steps applied to the drafts
    finish     ACLED's coding conventions, and the frozen Event
    countries  country names, codes, demonyms and the state a phrase names
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

"""One story told over several short paragraphs: a report that names no place of its own goes on
with the place and date of the report told just before it.

Wire copy and military press releases tell one operation a sentence per paragraph: "forces
detained two men in X district, Y province, yesterday" and then, two paragraphs on, "the men
were detained after a search". The later sentence names no place and no day because it need
not: it is the same story. A coder reads it so; the paragraph-level fill (``extractor``) cannot,
because the paragraph is a single sentence.
"""

from __future__ import annotations

import re

from ..taxonomy import TERRITORY_TYPES
from .draft import _Draft
from .lexicon import POLITICAL, STORY_SENTENCES, TAKEN
from .state import ArticleState
from .where import _not_where, can_be_scene


def continue_story(drafts: list[_Draft], state: ArticleState) -> None:
    """Fill the place (and, with it, the date) of drafts whose paragraph names no place from the
    nearest earlier draft, when no other place is named in between. A country named on its own
    ("in Syria") is narrowed to the story's town when that town lies in it."""
    for i, d in enumerate(drafts):
        if d.category in POLITICAL or d.unplaced_name or d.status != "happened":
            continue
        if d.sub_event_type in TERRITORY_TYPES or (d.category in TAKEN and d.sub_event_type is None):
            continue  # a change of control needs a place of its own
        if d.place is not None and not d.place.place.is_country:
            continue
        anchor = _story_before(d, drafts[:i], state)
        if anchor is None:
            continue
        country = anchor.place.place.country_code
        if d.place is not None and d.place.place.country_code != country:
            continue
        if d.place is None and _paragraph_names_place(d, state, country):
            continue  # the paragraph's own place comes first (``fill_from_paragraph``)
        d.place, d.place_direct = anchor.place, False
        if d.when is None and anchor.when is not None:
            d.when = anchor.when
        d.notes.append("place and date of the story told just before")


# "During the operation, ...", "in the course of the raid": the sentence goes on telling an operation told before
_DURING_IT = re.compile(r"\b(?:during|in the course of|throughout|at the end of|in|after)\s+(?:the|this|that)\s+"
                        r"(?:[a-z-]+\s+)?(?:operation|operations|raid|search|assault|offensive|patrol|engagement|"
                        r"mission|sweep)\b", re.I)


def during_the_operation(drafts: list[_Draft], state: ArticleState) -> None:
    """A report with no day of its own that says it happened during an operation told before
    ("A weapons cache was found during the clearing operation") takes that operation's day."""
    for i, d in enumerate(drafts):
        if d.when is not None or d.category in POLITICAL or d.status != "happened":
            continue
        sent = state.sents[d.sent_index]
        if not _DURING_IT.search(sent.text):
            continue
        anchor = next((o for o in reversed(drafts[:i]) if o.sent_index < d.sent_index
                       and d.sent_index - o.sent_index <= STORY_SENTENCES and o.when is not None
                       and not o.report_dated and o.status == "happened" and o.category not in POLITICAL), None)
        if anchor is not None:
            d.when = anchor.when
            d.notes.append("date of the operation told before")


def same_report_dated(drafts: list[_Draft], state: ArticleState) -> bool:
    """A report with no day of its own that tells again what an earlier, dated report of the
    article told (same sub-type, same acting side, the same country and no other province) takes
    its day: "US forces carried out air strikes in eastern Syria last week ... the forces responded
    with hours of strikes against the attackers" is one event, of last week. A day that is only the
    statement's ("the command said on Tuesday that ...") is no day of the event's own. True when
    a report took a day (the caller merges again)."""
    changed = False
    for i, d in enumerate(drafts):
        if (d.when is not None and not d.report_dated) or d.category in POLITICAL or d.status != "happened" or d.actor1 is None \
                or d.place is None or d.sub_event_type is None:
            continue
        for o in reversed(drafts[:i]):
            if o.sent_index >= d.sent_index or o.when is None or o.status != "happened" or o.place is None:
                continue
            if o.report_dated or (d.when is not None and o.when.date > d.when.date):
                continue
            if o.sub_event_type == d.sub_event_type and o.actor1 == d.actor1 and _same_area(o.place.place, d.place.place):
                d.when, d.report_dated, changed = o.when, False, True
                d.notes.append("date of the same report told before")
                break
    return changed


def _same_area(p, q) -> bool:
    """One place, or one inside the other (a town in its province or its country)."""
    if p.country_code != q.country_code:
        return False
    return p.is_country or q.is_country or p.geonameid == q.geonameid or bool(p.admin1 and p.admin1 == q.admin1)


def _story_before(d: _Draft, before: list[_Draft], state: ArticleState) -> _Draft | None:
    """The latest earlier draft, at most ``STORY_SENTENCES`` sentences back, that happened at a
    town or province, with no other town named between it and ``d``."""
    for o in reversed(before):
        if o.sent_index >= d.sent_index:
            continue
        if d.sent_index - o.sent_index > STORY_SENTENCES:
            return None
        if o.category in POLITICAL or o.status != "happened" or o.place is None:
            continue  # (a report that went on with the story carries it on in turn)
        if o.place.place.is_country:
            continue
        a = state.sents[o.sent_index].end_char
        b = state.sents[d.sent_index].start_char
        if any(a <= m.start < b and _elsewhere(m, o, state) for m in state.mentions):
            return None
        return o
    return None


def _elsewhere(m, anchor: _Draft, state: ArticleState) -> bool:
    """A town or province named between two reports that is not the first one's (or a name the
    gazetteer does not know): the story moved."""
    if m.place is None:
        return True
    if not can_be_scene(m) or m.place.is_country or _not_where(m, state.doc):
        return False
    p, q = m.place, anchor.place.place
    if p.geonameid == q.geonameid:
        return False
    # the province the town lies in, or a town of the province the story is in, is the same story
    return not (p.country_code == q.country_code and p.admin1 and p.admin1 == q.admin1)


def _paragraph_names_place(d: _Draft, state: ArticleState, country: str | None) -> bool:
    """The paragraph names a town or province (known to the gazetteer or not), or a country other
    than the story's."""
    a = state.para_starts[d.para]
    b = state.para_starts[d.para + 1] if d.para + 1 < len(state.para_starts) else len(state.doc.text)
    if any(a <= m.start < b and (m.place is None or can_be_scene(m) and not _not_where(m, state.doc) and
                                 (not m.place.is_country or m.place.country_code != country))
           for m in state.mentions):
        return True
    # a place the gazetteer does not know ("the road to X"): where the story went, unplaced
    known = [(m.start, m.end) for m in state.mentions]
    return any(a <= e.start_char < b and e.label_ in ("GPE", "LOC", "FAC") and
               not any(s <= e.start_char < t or e.start_char <= s < e.end_char for s, t in known)
               for e in state.doc.ents)


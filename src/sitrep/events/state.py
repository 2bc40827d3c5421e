"""What the event rules know of the article being read.

One ``ArticleState`` is made per article and passed explicitly from step to step;
the extractor itself keeps nothing between articles.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .. import actors as act
from ..model import PlaceMention
from .countries import Countries
from .lexicon import SAY_VERBS
from .syntax import _subject


@dataclass
class ArticleState:
    doc: object  # the spaCy Doc
    published: object  # dt.date | None
    mentions: list[PlaceMention]
    ctx: act.ActorContext
    countries: Countries
    para_starts: list[int] = field(default_factory=list)
    sents: list = field(default_factory=list)
    title: tuple[int, int] | None = None  # where the article's title sits in the text (its first paragraph)
    # what reading has found so far
    events_before: bool = False  # the article has told an event before the current trigger
    control_confirmed: set[str] = field(default_factory=set)  # states whose control a source confirmed
    _named_speakers: list | None = None  # (token index, country) of speakers who name a state

    @classmethod
    def read(cls, doc, published, mentions: list[PlaceMention], ctx: act.ActorContext,
             countries: Countries, title: tuple[int, int] | None = None) -> "ArticleState":
        para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", doc.text)]
        return cls(doc, published, mentions, ctx, countries, para_starts, list(doc.sents), title)

    def is_title(self, sent) -> bool:
        """Whether a sentence is (part of) the article's title: a headline is read, not skipped as a heading."""
        return self.title is not None and self.title[0] <= sent.start_char < self.title[1]

    def para_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def last_named_speaker(self, speaker) -> str | None:
        """The country of the last speaker before ``speaker`` who named one ("Russia said ...")."""
        if self._named_speakers is None:
            self._named_speakers = [(sp.i, cc) for t in self.doc if t.lower_ in SAY_VERBS
                                    for sp in [_subject(t)] if sp is not None
                                    for cc in [self.countries.named(sp)] if cc]
        return next((cc for i, cc in reversed(self._named_speakers) if i < speaker.i), None)

    def previous_subject_place(self, tok) -> PlaceMention | None:
        """'Lyman had been held since May. Its recapture ...': the place the sentence before is about."""
        if tok.sent.start == 0:
            return None
        prev = self.doc[tok.sent.start - 1].sent
        subjects = [t for t in prev if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
        for m in self.mentions:
            if m.place is None or m.place.is_country or not (prev.start_char <= m.start < prev.end_char):
                continue
            if any(t.left_edge.idx <= m.start <= t.idx for t in subjects):
                return m
        return None


def actor_context(doc, mentions: list[PlaceMention], countries: Countries) -> act.ActorContext:
    """The article's main country (most place mentions) and armed groups, for naming actors."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.place and m.place.country_code:
            counts[m.place.country_code] = counts.get(m.place.country_code, 0) + 1
    country = max(counts, key=counts.get) if counts else None
    groups = act.find_groups(doc.text)
    distinct = set(groups)
    by_count = tuple(sorted(distinct, key=lambda g: (-groups.count(g), groups.index(g))))
    # one group is the article's main one when it is named at least twice as often as any other
    main_group = None
    if len(by_count) == 1:
        main_group = by_count[0]
    elif by_count and groups.count(by_count[0]) >= 2 * groups.count(by_count[1]):
        main_group = by_count[0]
    return act.ActorContext(country=country, main_group=main_group, country_name=countries.name,
                            demonym=countries.demonym, country_code=countries.code, groups=by_count)

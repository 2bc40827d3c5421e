"""Events from a parsed article: the steps in order.

1. For every content sentence (page chrome and headings are skipped) each trigger
   word proposes an event (``triggers``); the vetting rules (``frame.vet``) keep
   the triggers that report one and settle its category.
2. The argument fillers (``fill``) read its status, claim, actors, place, date and
   counts from the parse; history and conditions are dropped there.
3. Confirmations and denials in later sentences update earlier claims
   (``updates``), and a place named only earlier in a paragraph fills in.
4. The learned gate (``gate``) keeps the drafts whose sentence reports an event
   that happened, types them and scores them (a cheap screen first rules out,
   from the words alone, sentences that surely report none).
5. A report that names no place goes on with the story told just before (``story``).
6. Reports of one event inside the article are merged (``merging``) and the
   drafts become frozen ``model.Event`` objects (``finish``).

Per-article state lives in one ``ArticleState`` passed from step to step; the
extractor keeps only what does not change between articles (gazetteer, models).
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from .. import actors as act
from ..model import Article, Event, PlaceMention
from ..statistics import extract_statistics
from ..taxonomy import ACLED_SUB_TYPES, PLOVER_OF_SUB
from . import fill, gate
from .countries import Countries
from .counts import _kind_of
from .draft import _Draft
from .finish import finish
from .frame import vet
from .kinds import _protest_kind
from .lexicon import LEAD_SPAN, LEAD_STEP, POLITICAL, REGION_NOUNS, TAKEN
from .merging import _merge
from .state import ArticleState, actor_context
from .story import continue_story, during_the_operation, same_report_dated
from .triggers import is_content, triggers
from .updates import apply_updates, responsibility_claims
from .where import _nearest_place, _not_where, can_be_scene

class EventExtractor:
    """Finds events in one parsed article. ``geo`` is the Gazetteer (country names, demonyms)."""

    def __init__(self, geo, detector=None, typer=None, screen=None):
        from ..classify import get_step

        self.countries = Countries(geo)
        self.detector = detector or get_step("detect")
        self.typer = typer or get_step("type")
        self.screen = screen or get_step("screen")

    def extract(self, doc, article: Article, mentions: list[PlaceMention]) -> tuple[list[Event], list]:
        """Events and statistics of one parsed article."""
        ctx = actor_context(doc, mentions, self.countries)
        title = None
        if article.title and article.title_offset is not None:
            title = (article.title_offset, article.title_offset + len(article.title))
        state = ArticleState.read(doc, article.published, mentions, ctx, self.countries, title)
        drafts, stats = read_sentences(state)
        drafts = gate.apply(drafts, state, self.detector, self.typer, self.screen)
        continue_story(drafts, state)
        during_the_operation(drafts, state)
        drafts = _merge(title_drafts_told_again(drafts, state))
        settle(drafts, state)
        if same_report_dated(drafts, state):
            drafts = _merge(drafts)
        return headline_told_again([finish(d, article, state) for d in drafts], state.title), stats


def title_drafts_told_again(drafts: list[_Draft], state: ArticleState) -> list[_Draft]:
    """The drafts without the title's that a body draft of the same kind tells (see
    ``headline_told_again``), dropped before merging so that the body's report is the one kept."""
    def in_title(d: _Draft) -> bool:
        return state.is_title(state.sents[d.sent_index])

    told = {k for d in drafts if not in_title(d) for k in (d.category, d.sub_event_type) if k}
    return [d for d in drafts if not in_title(d) or not {d.category, d.sub_event_type} & told]


def headline_told_again(events: list[Event], title: tuple[int, int] | None) -> list[Event]:
    """The events without those of the title that the body tells again: a headline ("Rebels take
    the port") is the short form of a report the body gives with its date, place and toll. A title
    event of a kind the body does not report stays: sometimes the headline is the only report."""
    def in_title(e: Event) -> bool:
        return title is not None and bool(e.evidence) and title[0] <= e.evidence[0].start < title[1]

    told = {k for e in events if not in_title(e) for k in (e.event_type, e.sub_event_type)}
    return [e for e in events if not in_title(e) or not {e.event_type, e.sub_event_type} & told]


def read_sentences(state: ArticleState) -> tuple[list[_Draft], list]:
    """Rule drafts and statistics, sentence by sentence, in the article's order."""
    drafts: list[_Draft] = []
    stats = []
    last_place: dict[int, PlaceMention] = {}  # per paragraph: its last town (or place), its last region
    last_region: dict[int, PlaceMention] = {}
    starts = [m.start for m in state.mentions]
    for si, sent in enumerate(state.sents):
        para = state.para_of(sent.start_char)
        sent_mentions = sorted(_mentions_in(state.mentions, starts, sent.start_char, sent.end_char)
                               + capitals(sent, state), key=lambda m: m.start)
        if not is_content(sent) and not state.is_title(sent):
            continue
        reported = apply_updates(sent, drafts, state)
        sent_stats, used = extract_statistics(sent, state.published, _kind_of, sent_mentions)
        stats.extend(sent_stats)
        for tok, category in triggers(sent):
            if tok.i in used or tok.i in reported:
                continue
            state.events_before = any(x.category not in POLITICAL for x in drafts)
            f = vet(tok, category, sent, sent_mentions, state)
            d = fill.draft(f, si, para, state) if f is not None else None
            if d is None:
                continue
            if d.place is None and para in last_place and category not in POLITICAL and \
                    not d.unplaced_name and (d.category not in TAKEN or d.refers_back):
                d.place = _place_told_before(d, drafts, last_place[para], last_region.get(para))
            drafts.append(d)
            for m in d.more_places:
                drafts.append(replace(d, place=m, evidence=list(d.evidence), notes=list(d.notes),
                                      counts=dict(d.counts), more_places=[]))
            d.more_places = []
        cities = [m for m in sent_mentions if can_be_scene(m) and not m.place.is_country and not _not_where(m, state.doc)]
        if cities:
            # "Lysychansk, the last big city in Luhansk region": a later "the city" is the town,
            # a later "the region" the region
            towns = [m for m in cities if (m.place.feature_code or "").startswith("PPL")]
            last_place[para] = (towns or cities)[-1]
            regions = [m for m in cities if m.place.is_region]
            if regions:
                last_region[para] = regions[-1]
    return drafts, stats


SAME_KIND_REACH = 3  # sentences


def _place_told_before(d: _Draft, drafts: list[_Draft], last_place: PlaceMention,
                       last_region: PlaceMention | None) -> PlaceMention:
    """'the region' is the paragraph's last region; else where its last event of the same kind was
    ("missiles hit port infrastructure" after "missiles struck the port of Odesa"), else its last place."""
    if d.ref_noun in REGION_NOUNS and last_region is not None:
        return last_region
    kind = ACLED_SUB_TYPES.get(d.sub_event_type or "")
    # only a few sentences back: a page without paragraph breaks is one long "paragraph"
    prior = next((o.place for o in reversed(drafts) if o.para == d.para and o.place is not None
                  and d.sent_index - o.sent_index <= SAME_KIND_REACH
                  and not o.place.place.is_country and ACLED_SUB_TYPES.get(o.sub_event_type or "") == kind), None)
    return prior or last_place


def settle(drafts: list[_Draft], state: ArticleState) -> None:
    """What the whole article says about its kept events: confirmed control, what the police or the
    crowd did at a protest, responsibility claims, places named only in the paragraph, and the lead."""
    for d in drafts:  # a side's control, confirmed anywhere in the article, confirms its gains
        st = act.state_name(d.actor1)
        if d.category in ("capture", "recapture") and st and d.claim in ("claimed", "reported") and \
                state.countries.code(st) in state.control_confirmed:
            d.claim = "confirmed"
    sents = state.sents
    for d in drafts:
        if d.category == "protest" and d.status == "happened":
            # what the police or the crowd did is often told in the next sentences
            window = [s for s in sents[d.sent_index: d.sent_index + 4]
                      if state.para_of(s.start_char) == d.para or s is sents[d.sent_index]]
            d.sub_event_type = _protest_kind(window)
            d.plover = PLOVER_OF_SUB.get(d.sub_event_type, d.plover)
    responsibility_claims(drafts, state)
    where = [m for m in state.mentions if m.place is None or not _not_where(m, state.doc)]
    fill_from_paragraph(drafts, where, state)
    # the lead tells the main event: later reports rank a little lower (ties go to the first)
    order = sorted({d.sent_index for d in drafts})
    for d in drafts:
        d.confidence = min(d.confidence, 0.95) - LEAD_STEP * min(order.index(d.sent_index), LEAD_SPAN)


def fill_from_paragraph(drafts: list[_Draft], mentions: list[PlaceMention], state: ArticleState) -> None:
    """An event with no place in its sentence takes the nearest place of its paragraph.

    A political act (an offer, a call, a deployment) looks only next to its own sentences:
    a town in one of them or in the sentence after, then in the sentence before, then a country."""
    para_starts, text = state.para_starts, state.doc.text
    for d in drafts:
        if d.place is not None or d.unplaced_name:
            continue
        a = para_starts[d.para]
        b = para_starts[d.para + 1] if d.para + 1 < len(para_starts) else len(text)
        if d.category in TAKEN:
            # a change of control needs its own place: "the town" points back to one named before
            if d.refers_back:
                d.place = _nearest_place(mentions, a, d.trigger.idx, d.trigger.idx, countries=False)
            continue
        if d.category not in POLITICAL:
            d.place = _nearest_place(mentions, a, b, d.trigger.idx, countries=True)
            continue
        d.place = _political_place(d, mentions, a)


def _political_place(d: _Draft, mentions: list[PlaceMention], para_start: int) -> PlaceMention | None:
    doc = d.trigger.doc
    own_next, before = [], []
    for sent in d.evidence:
        nxt = doc[min(sent.end, len(doc) - 1)].sent
        prev = doc[max(sent.start - 1, 0)].sent
        own_next.append((sent.start_char, max(sent.end_char, nxt.end_char), sent.start_char))
        before.append((prev.start_char, sent.start_char, sent.start_char))
    for windows, countries in ((own_next, False), (before, False), (own_next + before, True)):
        for a2, b2, anchor in windows:
            found = _nearest_place(mentions, max(para_start, a2) if not countries else a2, b2, anchor, countries)
            if found is not None:
                return found
    return None


def capitals(sent, state: ArticleState) -> list[PlaceMention]:
    """'the Afghan capital' / 'the capital' name the capital city of a country."""
    out = []
    countries = state.countries
    for tok in sent:
        if tok.lower_ != "capital" or tok.pos_ != "NOUN":
            continue
        if any(c.dep_ == "prep" for c in tok.children) or tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].pos_ == "PROPN":
            continue  # "the capital of X", "the capital Kabul": X is named itself
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss")]
        cc = next((countries.demonym(c.text) or countries.code(c.text) for c in mods
                   if countries.demonym(c.text) or countries.code(c.text)), None)
        if cc is None and not mods and any(c.lower_ == "the" for c in tok.children):
            cc = state.ctx.country
        cap = countries.capital(cc) if cc else None
        if cap is not None:
            start = tok.left_edge.idx
            out.append(PlaceMention(start, tok.idx + len(tok), tok.doc.text[start: tok.idx + len(tok)], cap, 0.6))
    return out


def _mentions_in(mentions, starts, a, b):
    """The placed mentions that start in text[a:b] (``starts``: the mentions' sorted starts)."""
    i = bisect.bisect_left(starts, a)
    out = []
    while i < len(mentions) and mentions[i].start < b:
        if mentions[i].place is not None:
            out.append(mentions[i])
        i += 1
    return out

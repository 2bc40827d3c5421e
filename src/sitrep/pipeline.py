"""The pipeline: an article in, an ArticleResult out.

    read (sources) -> parse (nlp) -> places (geoparse) -> events + statistics (events)

``Pipeline`` holds the loaded model and gazetteer; callers (the CLI, the API,
batch workers) build one per process and feed it articles. Nothing here reaches
into a stage: each stage is a module with one entry point.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import casing
from . import nlp as _nlp
from .dates import implausible_published
from .errors import InputError, could_not_process
from .events import EventExtractor
from .model import Article, ArticleResult, Event, Span
from .worker import Worker


DEFAULT_MAX_CHARS = 100_000
# The CLI's default per-document budget. A 10,000-character article takes about 1.5 s and one
# of 100,000 (the default --max-chars) several seconds on a busy core; the budget leaves room
# for that on a loaded machine, and stops a pathological document well before it stalls a run.
DEFAULT_MAX_SECONDS = 30.0
# In all-caps copy a gazetteer name keeps its capitals when it names a country, a province or a
# town at least this big, and is not a common word (a town called "Reading", "Split" or "Of").
NAME_POPULATION = 50_000
# line and paragraph separators that end a line as "\n" does (one character for one: offsets hold)
LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\x0b": "\n", "\x0c": "\n"})


@dataclass(frozen=True)
class Options:
    """What a pipeline is built from. Every field has a sensible default."""

    model: str | None = None  # spaCy model name or path (default: SITREP_MODEL or the pinned model)
    gazetteer: Path | None = None  # compiled place index (default: built on first use)
    batch_size: int = 32
    # Longer texts are cut for analysis (at a paragraph or sentence end when there is one
    # near the limit); the whole text is still stored and output, the result is flagged
    # ``truncated``, and offsets stay valid. News articles are rarely over 30,000.
    max_chars: int = DEFAULT_MAX_CHARS
    # Per-document time budget: each document is analysed in a worker process that is
    # killed when the budget is spent (the document is reported, the next one goes on).
    # None analyses in this process, without a limit.
    max_seconds: float | None = None


class Pipeline:
    def __init__(self, options: Options | None = None):
        from .gazetteer import Gazetteer
        from .geoparse import Geoparser

        self.options = options or Options()
        self.nlp = _nlp.load(self.options.model)
        self.gazetteer = Gazetteer.open(self.options.gazetteer)
        self.geoparser = Geoparser(self.gazetteer)
        self.events = EventExtractor(self.gazetteer)

    def with_budget(self, max_chars: int, max_seconds: float | None) -> Pipeline:
        """This pipeline (the same loaded model and gazetteer) with other per-document limits."""
        other = copy.copy(self)
        other.options = replace(self.options, max_chars=max_chars, max_seconds=max_seconds)
        return other

    def process(self, article: Article) -> ArticleResult:
        return next(self.process_many([article]))

    def process_many(self, articles: Iterable[Article], *,
                     on_error: Callable[[Article, Exception], None] | None = None) -> Iterator[ArticleResult]:
        """Process articles in input order, one document at a time.

        A document that makes a stage fail (or, with ``Options.max_seconds``, runs out of
        time) is passed to ``on_error`` with an ``InputError`` saying why, and skipped, so
        one bad document never ends a batch; without ``on_error`` the error is raised.
        """
        worker = Worker(self.analyse, self.options.max_seconds) if self.options.max_seconds else None
        try:
            for article in articles:
                try:
                    yield self._checked(article) if worker is None else worker.run(self._checked_article(article))
                except Exception as exc:  # noqa: BLE001 - reported per document, the batch goes on
                    if on_error is None:
                        raise
                    on_error(article, exc if isinstance(exc, InputError) else could_not_process(
                        article.origin or article.id, exc))
        finally:
            if worker is not None:
                worker.close()

    def _checked_article(self, article: Article) -> Article:
        """The article, when its publication date is one news can carry (InputError otherwise)."""
        if article.published is not None and (why := implausible_published(article.published)):
            raise InputError(article.origin or article.id, f"{why}; the document is skipped, fix its date")
        return article

    def _checked(self, article: Article) -> ArticleResult:
        return self.analyse(self._checked_article(article))

    def analyse(self, article: Article) -> ArticleResult:
        """Parse and annotate one article, its text cut at ``Options.max_chars``."""
        text = cut_text(article.text, self.options.max_chars)
        # what the parser reads: the same characters at the same offsets, but for line separators
        # (U+2028 in pasted press releases) read as line breaks and all-caps wire copy in ordinary case
        seen = text.translate(LINE_BREAKS)
        if casing.is_shouting(seen):
            seen = casing.restore_case(seen, self._is_name)
        result = self.annotate(self.nlp(seen), article)
        if seen != text:
            result = with_text(result, text)
        return replace(result, truncated=True) if len(text) < len(article.text) else result

    def _is_name(self, phrase: str) -> bool:
        """A phrase the gazetteer knows as the main name of a country, a province or a sizeable town."""
        words = phrase.split()
        if len(phrase) < 4 or words[0] in _COMMON or words[-1] in _COMMON:
            return False
        return any(kind == 0 and (p.is_country or p.feature_code in ("ADM1", "CONT", "RGN")
                                  or p.population >= NAME_POPULATION)
                   for p, kind in self.gazetteer.lookup(phrase)[:5])

    def geoparse_many(self, articles: Iterable[Article], *, ner: bool = True
                      ) -> Iterator[tuple[Article, list]]:
        """Place mentions only. With ``ner`` the spaCy NER pass proposes names (better
        recall); without it the geoparser works from the gazetteer and context alone
        (many times faster)."""
        if not ner:
            for article in articles:
                yield article, self.geoparser.parse(article.text)
            return
        keep = [p for p in ("tok2vec", "ner") if p in self.nlp.pipe_names]
        pairs = ((cut_text(a.text, self.options.max_chars), a) for a in articles)
        with self.nlp.select_pipes(enable=keep):
            for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.options.batch_size):
                ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
                yield article, self.geoparser.parse(article.text, ents)

    def annotate(self, doc, article: Article) -> ArticleResult:
        """Everything after the parse: places, events, statistics."""
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        mentions = self.geoparser.parse(doc.text, ents)
        events, statistics = self.events.extract(doc, article, mentions)
        return ArticleResult(article=article, events=tuple(e for e in events if e.sub_event_type),
                             places=tuple(mentions), statistics=tuple(statistics),
                             political=tuple(e for e in events if not e.sub_event_type))


def with_text(result: ArticleResult, text: str) -> ArticleResult:
    """``result`` with every span's text read from ``text`` (the offsets are unchanged)."""
    def span(s: Span) -> Span:
        return replace(s, text=text[s.start: s.end])

    def event(e: Event) -> Event:
        return replace(e, evidence=tuple(span(s) for s in e.evidence))

    return replace(
        result,
        events=tuple(event(e) for e in result.events),
        political=tuple(event(e) for e in result.political),
        places=tuple(replace(m, text=text[m.start: m.end]) for m in result.places),
        statistics=tuple(replace(s, evidence=tuple(span(x) for x in s.evidence)) for s in result.statistics),
    )


def cut_text(text: str, limit: int) -> str:
    """``text`` itself when it is at most ``limit`` characters; else its start, ended at the
    last paragraph break, line break or sentence end in the final tenth before the limit
    (at the limit itself when there is none), so no sentence is analysed half-read."""
    if len(text) <= limit:
        return text
    floor = limit - limit // 10
    for sep in ("\n\n", "\n", ". "):
        at = text.rfind(sep, floor, limit)
        if at >= 0:
            return text[: at + len(sep)]
    return text[:limit]


def extract(text: str, *, published=None, title: str | None = None, options: Options | None = None) -> ArticleResult:
    """One-call convenience: ``extract("...", published=date(2021, 8, 13))``."""
    return _default(options).process(Article(text=text, title=title, published=published))


_PIPELINES: dict[Options, Pipeline] = {}


def _default(options: Options | None) -> Pipeline:
    key = options or Options()
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(key)
    return _PIPELINES[key]


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _common_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    from .events import lexicon
    from .taxonomy import TRIGGER_INDEX
    words = (set(STOP_WORDS) | set(TRIGGER_INDEX) | lexicon.PERSON_NOUNS | lexicon.CROWD_WORDS
             | lexicon.DIRECTION_WORDS | {"eastern", "western", "northern", "southern", "central"})
    return frozenset(w.lower() for w in words)


_COMMON = _common_words()

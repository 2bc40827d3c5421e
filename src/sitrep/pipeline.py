"""The pipeline: an article in, an ArticleResult out.

    read (sources) -> parse (nlp) -> places (geoparse) -> events + statistics (events)

``Pipeline`` holds the loaded model and gazetteer; callers (the CLI, the API,
batch workers) build one per process and feed it articles. Nothing here reaches
into a stage: each stage is a module with one entry point.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import nlp as _nlp
from .events import EventExtractor
from .model import Article, ArticleResult


@dataclass(frozen=True)
class Options:
    """What a pipeline is built from. Every field has a sensible default."""

    model: str | None = None  # spaCy model name or path (default: SITREP_MODEL or the pinned model)
    gazetteer: Path | None = None  # compiled place index (default: built on first use)
    batch_size: int = 32
    max_chars: int = 1_000_000  # longer texts are cut for parsing (their offsets stay valid)


class Pipeline:
    def __init__(self, options: Options | None = None):
        from .gazetteer import Gazetteer
        from .geoparse import Geoparser

        self.options = options or Options()
        self.nlp = _nlp.load(self.options.model)
        self.gazetteer = Gazetteer.open(self.options.gazetteer)
        self.geoparser = Geoparser(self.gazetteer)
        self.events = EventExtractor(self.gazetteer)

    def process(self, article: Article) -> ArticleResult:
        return next(self.process_many([article]))

    def process_many(self, articles: Iterable[Article], *,
                     on_error: Callable[[Article, Exception], None] | None = None) -> Iterator[ArticleResult]:
        """Process articles in input order, parsing them in batches.

        A document that makes a stage fail is passed to ``on_error`` and skipped, so
        one bad document never ends a batch; without ``on_error`` the error is raised.
        """
        pairs = ((a.text[: self.options.max_chars], a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.options.batch_size):
            try:
                yield self.annotate(doc, article)
            except Exception as exc:  # noqa: BLE001 - reported per document, the batch goes on
                if on_error is None:
                    raise
                on_error(article, exc)

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
        pairs = ((a.text[: self.options.max_chars], a) for a in articles)
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

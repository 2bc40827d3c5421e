"""``sitrep bench``: pipeline throughput against a bare spaCy pass, same texts, same run.

The bare pass is ``nlp.pipe`` of the same spaCy model with the same pipes and
batch size the pipeline uses; the ratio (pipeline seconds / bare seconds) is
what sitrep's own work costs on top of the parse. The last line printed is one
JSON object with ``articles_per_s``, ``bare_spacy_articles_per_s``, ``ratio``
and ``peak_rss_mb``.
"""

from __future__ import annotations

import csv
import json
import resource
import sys
import time
from pathlib import Path
from typing import TextIO

from .errors import UsageError
from .model import Article


def load_guardian(data: Path, limit: int | None = None) -> list[Article]:
    path = data if data.is_file() else data / "Guardian_SDF_sample.csv"
    if not path.exists():
        raise UsageError(f"{path} not found: pass --data the guardian-sdf folder or its CSV")
    import datetime as dt

    csv.field_size_limit(sys.maxsize)
    articles = []
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            try:
                published = dt.date.fromisoformat(row["date"][:10])
            except (KeyError, ValueError):
                published = None
            articles.append(Article(text=row["text"], published=published, source=row.get("source"),
                                    origin=f"{path}:{i + 2}"))
            if limit and len(articles) >= limit:
                break
    return articles


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(data: Path, *, limit: int | None, model: str | None, gazetteer, out: TextIO) -> dict:
    from .pipeline import Options, Pipeline

    articles = load_guardian(data, limit)
    words = sum(len(a.text.split()) for a in articles)
    pipeline = Pipeline(Options(model=model, gazetteer=Path(gazetteer) if gazetteer else None))
    nlp, batch = pipeline.nlp, pipeline.options.batch_size
    texts = [a.text for a in articles]
    list(nlp.pipe(texts[:4], batch_size=batch))  # warm up both paths once
    list(pipeline.process_many(articles[:4]))

    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch):
        pass
    bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_events = n_places = 0
    for result in pipeline.process_many(articles):
        n_events += len(result.events)
        n_places += len(result.places)
    full = time.perf_counter() - t0

    figures = {
        "articles": len(articles),
        "words": words,
        "events": n_events,
        "place_mentions": n_places,
        "model": pipeline.nlp.meta.get("name"),
        "pipes": pipeline.nlp.pipe_names,
        "articles_per_s": round(len(articles) / full, 2),
        "bare_spacy_articles_per_s": round(len(articles) / bare, 2),
        "ratio": round(full / bare, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    out.write(f"{len(articles)} articles, {words} words\n")
    out.write(f"bare spaCy: {bare:.1f} s ({figures['bare_spacy_articles_per_s']} articles/s)\n")
    out.write(f"pipeline:   {full:.1f} s ({figures['articles_per_s']} articles/s), "
              f"{n_events} events, {n_places} place mentions\n")
    out.write(f"ratio {figures['ratio']} (target <= 1.5), peak RSS {figures['peak_rss_mb']} MB (target < 1536)\n")
    out.write(json.dumps({k: figures[k] for k in ("articles_per_s", "bare_spacy_articles_per_s", "ratio",
                                                   "peak_rss_mb")}) + "\n")
    return figures

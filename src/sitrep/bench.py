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

    stages = _time_stages(pipeline)
    t0 = time.perf_counter()
    n_events = n_places = 0
    for result in pipeline.process_many(articles):
        n_events += len(result.events)
        n_places += len(result.places)
    full = time.perf_counter() - t0
    rules = stages["events"] - stages["detect"] - stages["type"] - stages["encode"]
    per_stage = {"parse (spaCy)": full - stages["geoparse"] - stages["events"], "geoparse": stages["geoparse"],
                 "event rules": rules, "sentence encoder": stages["encode"], "detect (learned)": stages["detect"],
                 "type (learned)": stages["type"]}

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
    for name, sec in per_stage.items():
        out.write(f"  {name:18s} {sec:7.1f} s  {1000 * sec / max(1, len(articles)):7.1f} ms/article\n")
    figures["stages_s"] = {k: round(v, 2) for k, v in per_stage.items()}
    out.write(f"ratio {figures['ratio']} (target <= 1.5), peak RSS {figures['peak_rss_mb']} MB (target < 1536)\n")
    out.write(json.dumps({k: figures[k] for k in ("articles_per_s", "bare_spacy_articles_per_s", "ratio",
                                                   "peak_rss_mb", "stages_s")}) + "\n")
    return figures


def _time_stages(pipeline) -> dict[str, float]:
    """Wrap the stages of ``pipeline`` (this instance only) so their run time adds up in the dict returned."""
    from .classify.features import encoder

    spent = {"geoparse": 0.0, "events": 0.0, "detect": 0.0, "type": 0.0, "encode": 0.0}

    def timed(obj, attr, key):
        fn = getattr(obj, attr)

        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[key] += time.perf_counter() - t
        setattr(obj, attr, wrapper)

    timed(pipeline.geoparser, "parse", "geoparse")
    timed(pipeline.events, "extract", "events")
    timed(pipeline.events.detector, "detect", "detect")
    timed(pipeline.events.typer, "type", "type")
    timed(encoder(), "encode", "encode")
    return spent


def _synthetic_places(n: int = 3000) -> list:
    """One made-up gazetteer for every synthetic corpus: like the real one, it gives a geonameid
    the same coordinates whichever corpus mentions it (merging takes one geonameid for one place)."""
    import random

    from .model import Place

    rng = random.Random(0)
    return [Place(f"Town {i}", 9_000_000 + i, 30 + rng.random() * 20, 20 + rng.random() * 40, "XX",
                  f"Region {i % 40}", None, "PPL", 1000) for i in range(n)]


def _synthetic_results(n_articles: int, events_per_article: int, seed: int, id_prefix: str):
    """Extraction results shaped like real ones (places, dates, kinds), without NLP."""
    import datetime as dt
    import random

    from .model import ArticleResult, Event, Span

    rng = random.Random(seed)
    kinds = [("Battles", "Armed clash", "FIGHT"), ("Explosions/Remote violence", "Air/drone strike", "FIGHT"),
             ("Explosions/Remote violence", "Shelling/artillery/missile attack", "FIGHT"),
             ("Violence against civilians", "Attack", "ASSAULT"), ("Protests", "Peaceful protest", "PROTEST"),
             ("Battles", "Non-state actor overtakes territory", "FIGHT"), (None, None, "MOBILIZE")]
    places = _synthetic_places()
    start = dt.date(2020, 1, 1)
    for a in range(n_articles):
        day = start + dt.timedelta(days=rng.randrange(730))
        text = f"Synthetic dispatch {id_prefix}{a} about fighting on {day}."
        article = Article(text=text, id=f"{id_prefix}{a}", published=day, source=f"Outlet {a % 25}",
                          url=f"https://example.org/{id_prefix}{a}")
        events = []
        for k in range(events_per_article):
            etype, sub, plover = rng.choice(kinds)
            events.append(Event(
                id=f"{id_prefix}{a}-{k}", event_type=etype, sub_event_type=sub, plover=plover,
                actor1=rng.choice(["Military Forces of X", "Rebels", None]), actor2=None,
                place=rng.choice(places), precision=1,
                date=(day - dt.timedelta(days=rng.randrange(3))).isoformat(), date_precision=1,
                fatalities=rng.choice([0, 0, 1, 3, 12]), counts={}, status="happened", claim="reported",
                evidence=(Span(0, 9, "Synthetic"),), confidence=0.7))
        yield ArticleResult(article=article, events=tuple(events))


def _time_storing(store, results) -> float:
    """Seconds to save ``results`` and close the store: closing runs the last WAL checkpoint,
    which belongs to the cost of storing however the checkpoints are spaced."""
    t0 = time.perf_counter()
    store.save(results)
    store.close()
    return time.perf_counter() - t0


def store_scaling(*, existing_events: int = 100_000, articles: int = 1000, events_per_article: int = 5,
                  out: TextIO) -> dict:
    """Time storing ``articles`` (with merging) into an empty database and into one already
    holding ``existing_events`` events. Only the store's work is timed: parsing costs the same
    whatever the database holds."""
    import tempfile

    from .store import Store

    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "empty.db") as store:
            empty = _time_storing(store, _synthetic_results(articles, events_per_article, 1, "new"))
        with Store.open(Path(tmp) / "full.db") as store:
            t0 = time.perf_counter()
            store.save(_synthetic_results(existing_events // events_per_article, events_per_article, 2, "old"))
            fill = time.perf_counter() - t0
            held = store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            # start from a checkpointed file, as the empty one does: the filling's last writes
            # are not part of storing the new articles
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            full = _time_storing(store, _synthetic_results(articles, events_per_article, 1, "new"))
    figures = {"articles": articles, "existing_events": held, "empty_db_s": round(empty, 2),
               "full_db_s": round(full, 2), "store_ratio": round(full / empty, 3),
               "fill_s": round(fill, 1)}
    out.write(f"storing {articles} articles ({articles * events_per_article} events, merged as they come), "
              f"then closing:\n"
              f"  into an empty database:              {empty:.2f} s\n"
              f"  into one holding {held} events: {full:.2f} s\n"
              f"  ratio {figures['store_ratio']} (target <= 1.2); filling the big one took {fill:.0f} s\n")
    out.write(json.dumps(figures) + "\n")
    return figures


SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000)


def _news_text(size: int) -> str:
    """About ``size`` characters of real news: the bundled sample dispatches, repeated."""
    from .sources import iter_articles

    sample = Path(__file__).resolve().parents[2] / "samples" / "ukraine-2022"
    texts = [a.text for a in iter_articles([str(sample)]) if isinstance(a, Article)]
    if not texts:
        raise UsageError(f"{sample} not found: --sizes needs the bundled sample")
    body, k = [], 0
    while sum(map(len, body)) < size:
        body.append(texts[k % len(texts)])
        k += 1
    return "\n\n".join(body)[:size]


def _measure(article: Article, pipeline) -> tuple[float, float, bool]:
    t0 = time.perf_counter()
    result = pipeline.analyse(article)
    return time.perf_counter() - t0, peak_rss_mb(), result.truncated


def size_scaling(*, sizes=SIZES, max_chars: int | None = None, model=None, gazetteer=None, out: TextIO) -> dict:
    """Time and peak RSS of analysing one document of each size (10 KB to 1 MB), each in a
    fresh worker process forked from one loaded pipeline, so each peak is that size's own."""
    import datetime as dt
    import functools

    from .pipeline import Options, Pipeline
    from .worker import Worker

    pipeline = Pipeline(Options(model=model, gazetteer=Path(gazetteer) if gazetteer else None))
    if max_chars:
        pipeline = pipeline.with_budget(max_chars, None)
    list(pipeline.process_many([Article(text=_news_text(2000), published=dt.date(2022, 6, 1))]))  # warm up
    base = peak_rss_mb()
    rows = []
    out.write(f"one document per size, analysed with --max-chars {pipeline.options.max_chars:,} "
              f"(loaded pipeline: {base:.0f} MB)\n  {'chars':>9}  {'seconds':>8}  {'peak RSS MB':>11}  truncated\n")
    for size in sizes:
        worker = Worker(functools.partial(_measure, pipeline=pipeline), seconds=3600)
        try:
            seconds, rss, truncated = worker.run(Article(text=_news_text(size), published=dt.date(2022, 6, 1)))
        finally:
            worker.close()
        rows.append({"chars": size, "seconds": round(seconds, 2), "peak_rss_mb": round(rss, 1),
                     "truncated": truncated})
        out.write(f"  {size:>9,}  {seconds:>8.2f}  {rss:>11.0f}  {'yes' if truncated else 'no'}\n")
        out.flush()
    figures = {"max_chars": pipeline.options.max_chars, "sizes": rows}
    out.write(json.dumps(figures) + "\n")
    return figures

"""The Parquet tables of a batch run: explicit schemas, rows from ``ArticleResult``, and back.

One partition of a run is one file in each table::

    DIR/articles/part-00000.parquet     one row per article (the whole text, as stored)
    DIR/events/part-00000.parquet       one row per event report, political acts included
    DIR/places/part-00000.parquet       one row per place mention
    DIR/statistics/part-00000.parquet   one row per aggregate figure

Every derived fact keeps its offsets into ``articles.text`` as columns: ``places.start``/``end``,
and on events and statistics ``evidence`` (a list of ``{start, end, text}``) with
``evidence_start``/``evidence_end`` (the first and last character of all evidence) for
queries that want plain integers. Child rows carry ``article_id`` and ``article_row`` (the
article's row in its partition's articles file: an id read twice, e.g. one URL in two feed
dumps, stays two articles, as the input had it) and ``seq``, the fact's order in its article.

The tables hold every field of the objects (``read_results`` rebuilds equal ``ArticleResult``
objects from them), so nothing needs a second copy as JSON. Files are written under a
hidden temporary name (``.part-00000.parquet.tmp-PID``; Parquet readers skip names starting
with ``.`` or ``_``), synced, then renamed into place.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .model import Article, ArticleResult, Event, Place, PlaceMention, Span, Statistic

TABLES = ("articles", "events", "places", "statistics")
#: The ``Article`` fields, each a column of the articles table of the same name.
ARTICLE_FIELDS = ("id", "title", "title_offset", "url", "published", "source", "feed", "language", "origin", "text")

_SPAN = pa.struct([pa.field("start", pa.int32(), nullable=False), pa.field("end", pa.int32(), nullable=False),
                   pa.field("text", pa.string(), nullable=False)])
_EVIDENCE = [pa.field("evidence", pa.list_(_SPAN), nullable=False),
             pa.field("evidence_start", pa.int32()), pa.field("evidence_end", pa.int32())]
_PARENT = [pa.field("article_id", pa.string(), nullable=False), pa.field("article_row", pa.int32(), nullable=False),
           pa.field("seq", pa.int32(), nullable=False)]
# Place's fields, prefixed by what holds them (an event's place, a mention's resolved place)
_PLACE = [("name", pa.string()), ("geonameid", pa.int64()), ("latitude", pa.float64()),
          ("longitude", pa.float64()), ("country_code", pa.string()), ("admin1", pa.string()),
          ("admin2", pa.string()), ("feature_code", pa.string()), ("population", pa.int64())]


def _place_fields(prefix: str) -> list[pa.Field]:
    return [pa.field(f"{prefix}{name}", kind) for name, kind in _PLACE]


SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        pa.field("id", pa.string(), nullable=False), pa.field("row", pa.int32(), nullable=False),
        pa.field("title", pa.string()), pa.field("title_offset", pa.int32()),  # where the title starts in text
        pa.field("url", pa.string()), pa.field("published", pa.date32()),
        pa.field("source", pa.string()), pa.field("feed", pa.string()), pa.field("language", pa.string()),
        pa.field("origin", pa.string(), nullable=False), pa.field("text", pa.large_string(), nullable=False),
        pa.field("truncated", pa.bool_(), nullable=False),
        pa.field("n_events", pa.int32(), nullable=False), pa.field("n_political", pa.int32(), nullable=False),
        pa.field("n_places", pa.int32(), nullable=False), pa.field("n_statistics", pa.int32(), nullable=False),
    ], metadata={"sitrep": "one row per article; its facts are in events/, places/, statistics/"}),
    "events": pa.schema(_PARENT + [
        pa.field("id", pa.string(), nullable=False),
        pa.field("political", pa.bool_(), nullable=False),  # a PLOVER-only political act (no ACLED sub-type)
        pa.field("event_type", pa.string()), pa.field("sub_event_type", pa.string()),
        pa.field("plover", pa.string()), pa.field("actor1", pa.string()), pa.field("actor2", pa.string()),
        *_place_fields("place_"),
        pa.field("geo_precision", pa.int8()), pa.field("date", pa.string()),  # YYYY-MM-DD, as the model has it
        pa.field("time_precision", pa.int8()), pa.field("fatalities", pa.int32()),
        pa.field("counts", pa.map_(pa.string(), pa.int64()), nullable=False),
        pa.field("status", pa.string(), nullable=False), pa.field("claim", pa.string(), nullable=False),
        pa.field("claimed_by", pa.string()), *_EVIDENCE,
        pa.field("confidence", pa.float64(), nullable=False), pa.field("notes", pa.string(), nullable=False),
    ], metadata={"sitrep": "one row per event report; evidence offsets index articles.text"}),
    "places": pa.schema(_PARENT + [
        pa.field("start", pa.int32(), nullable=False), pa.field("end", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False), *_place_fields(""),
        pa.field("score", pa.float64(), nullable=False),
    ], metadata={"sitrep": "one row per place mention; start/end index articles.text; name null: unresolved"}),
    "statistics": pa.schema(_PARENT + [
        pa.field("what", pa.string(), nullable=False), pa.field("value", pa.int64(), nullable=False),
        pa.field("qualifier", pa.string(), nullable=False), pa.field("period", pa.string()),
        pa.field("places", pa.list_(pa.string()), nullable=False), pa.field("attributed_to", pa.string()),
        *_EVIDENCE,
    ], metadata={"sitrep": "one row per aggregate figure; evidence offsets index articles.text"}),
}


# ---------------------------------------------------------------- rows out


def _place_row(place: Place | None, prefix: str) -> dict[str, Any]:
    return {f"{prefix}{name}": getattr(place, name) if place is not None else None for name, _ in _PLACE}


def _evidence(spans: tuple[Span, ...]) -> dict[str, Any]:
    return {"evidence": [{"start": s.start, "end": s.end, "text": s.text} for s in spans],
            "evidence_start": min(s.start for s in spans) if spans else None,
            "evidence_end": max(s.end for s in spans) if spans else None}


def _event_row(e: Event) -> dict[str, Any]:
    return {"id": e.id, "political": not e.sub_event_type, "event_type": e.event_type,
            "sub_event_type": e.sub_event_type, "plover": e.plover, "actor1": e.actor1, "actor2": e.actor2,
            **_place_row(e.place, "place_"), "geo_precision": e.precision, "date": e.date,
            "time_precision": e.date_precision, "fatalities": e.fatalities, "counts": list(dict(e.counts).items()),
            "status": e.status, "claim": e.claim, "claimed_by": e.claimed_by, **_evidence(e.evidence),
            "confidence": e.confidence, "notes": e.notes}


def rows(results: Iterable[ArticleResult]) -> dict[str, list[dict[str, Any]]]:
    """The rows of the four tables for one partition's results, in order."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for row, r in enumerate(results):
        a = r.article
        out["articles"].append({
            **{name: getattr(a, name) for name in ARTICLE_FIELDS}, "row": row, "truncated": r.truncated,
            "n_events": len(r.events), "n_political": len(r.political), "n_places": len(r.places),
            "n_statistics": len(r.statistics)})
        parent = {"article_id": a.id, "article_row": row}
        # one sequence over events then political acts, the order the store numbers them in
        for seq, e in enumerate(r.events + r.political):
            out["events"].append(parent | {"seq": seq} | _event_row(e))
        for seq, m in enumerate(r.places):
            out["places"].append(parent | {"seq": seq, "start": m.start, "end": m.end, "text": m.text,
                                           **_place_row(m.place, ""), "score": m.score})
        for seq, s in enumerate(r.statistics):
            out["statistics"].append(parent | {"seq": seq, "what": s.what, "value": s.value,
                                               "qualifier": s.qualifier, "period": s.period,
                                               "places": list(s.places), "attributed_to": s.attributed_to,
                                               **_evidence(s.evidence)})
    return out


def write_atomic(path: Path, write) -> None:
    """``write(file)`` into a hidden temporary beside ``path``, synced, then renamed onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def tables(results: Iterable[ArticleResult]) -> dict[str, pa.Table]:
    """The four tables of one partition's results (raises when a value does not fit its column)."""
    return {table: pa.Table.from_pylist(table_rows, schema=SCHEMAS[table])
            for table, table_rows in rows(results).items()}


def write_tables(out: Path, name: str, data: dict[str, pa.Table]) -> dict[str, int]:
    """Write partition ``name`` (``part-00000``) of every table; the row count of each."""
    for table, t in data.items():
        write_atomic(out / table / f"{name}.parquet", lambda f, t=t: pq.write_table(t, f, compression="zstd"))
    return {table: t.num_rows for table, t in data.items()}


# ---------------------------------------------------------------- results back


def _place(row: dict[str, Any], prefix: str) -> Place | None:
    if row[f"{prefix}name"] is None:
        return None
    return Place(**{name: row[f"{prefix}{name}"] for name, _ in _PLACE})


def _spans(items: list[dict[str, Any]]) -> tuple[Span, ...]:
    return tuple(Span(s["start"], s["end"], s["text"]) for s in items)


def _event(r: dict[str, Any]) -> Event:
    return Event(id=r["id"], event_type=r["event_type"], sub_event_type=r["sub_event_type"], plover=r["plover"],
                 actor1=r["actor1"], actor2=r["actor2"], place=_place(r, "place_"), precision=r["geo_precision"],
                 date=r["date"], date_precision=r["time_precision"], fatalities=r["fatalities"],
                 counts=dict(r["counts"]), status=r["status"], claim=r["claim"], claimed_by=r["claimed_by"],
                 evidence=_spans(r["evidence"]), confidence=r["confidence"], notes=r["notes"])


def _by_row(path: Path) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in pq.read_table(path).to_pylist():
        grouped[r["article_row"]].append(r)
    for children in grouped.values():
        children.sort(key=lambda r: r["seq"])
    return grouped


def read_partition(out: Path, name: str) -> Iterator[ArticleResult]:
    """The ``ArticleResult`` objects of one written partition, in input order."""
    events, places, stats = (_by_row(out / t / f"{name}.parquet") for t in ("events", "places", "statistics"))
    for a in sorted(pq.read_table(out / "articles" / f"{name}.parquet").to_pylist(), key=lambda r: r["row"]):
        article = Article(**{name: a[name] for name in ARTICLE_FIELDS})
        evs = [_event(r) for r in events.get(a["row"], ())]
        yield ArticleResult(
            article=article, events=tuple(e for e in evs if e.sub_event_type),
            political=tuple(e for e in evs if not e.sub_event_type),
            places=tuple(PlaceMention(start=r["start"], end=r["end"], text=r["text"], place=_place(r, ""),
                                      score=r["score"]) for r in places.get(a["row"], ())),
            statistics=tuple(Statistic(what=r["what"], value=r["value"], qualifier=r["qualifier"],
                                       period=r["period"], places=tuple(r["places"]),
                                       attributed_to=r["attributed_to"], evidence=_spans(r["evidence"]))
                             for r in stats.get(a["row"], ())),
            truncated=a["truncated"])

"""Score the geoparser on real geoparsing corpora, read exactly as published.

Corpora (in ``--data``, each optional but at least one required):

- ``GeoVirus.xml``: ``<article>`` elements with ``<text>`` and ``<locations>``;
  each ``<location>`` has ``<name>``, ``<start>``, ``<end>``, ``<lat>``, ``<lon>``.
  The published offsets are one character off (1-based); each gold span is
  placed where its name actually is in the text, nearest to the published
  offset (a span whose name is nowhere near is kept at the published offsets).
- ``TUD-Loc2013.zip``: texts in ``*/0-all/textN.txt`` with inline tags
  (``<CITY>Paris</CITY>``, ``<COUNTRY role="main">…</COUNTRY>``) and
  ``*/0-all/coordinates.csv`` (``docId;idx;offset;latitude;longitude;sourceId``,
  offsets into the untagged text, empty coordinates for places without any).
  The tags are removed to give the plain text and the gold spans; coordinates
  are matched to spans by offset. Every tagged type counts as a gold toponym
  (CONTINENT … STREETNR, ZIP), as published; recall per type is printed.

Scores per corpus (prefix ``geovirus_`` / ``tudloc_``):

- ``precision``: predicted mentions that overlap a gold span / predicted mentions;
  ``recall``: gold spans overlapped by a predicted mention / gold spans; ``f1``.
- ``acc161``: gold toponyms with valid coordinates whose prediction (the
  overlapping mention with the largest overlap) lies within 161 km; a missing
  mention or a mention without coordinates counts as wrong.
  ``acc161_recognised``: the same over the gold toponyms that were recognised
  (overlapped by a mention), unresolved ones still counting as wrong.
- ``median_km`` / ``mean_km``: error over recognised and resolved gold toponyms.
- ``docs_per_s``: documents per second through ``pipeline.geoparse_many``.
- ``gold_out_of_range``: gold coordinates outside [-90, 90] x [-180, 180]
  (reported, left out of the distance scores; the toponym still counts for F1).

Trivial baseline (``acc161_baseline``): every gold toponym placed at the
corpus's most frequent gold point (coordinates rounded to 2 decimals), recognition
taken as perfect: the share of gold toponyms with coordinates within 161 km of it.
Recognition P/R/F1 and the distances have no constant baseline and get none.

When a ``guardian-sdf`` folder sits beside ``--data`` (``data.parent``), the
Guardian speed measure (:func:`speed`) runs too.
"""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
import time
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TextIO

from ..errors import UsageError
from ..gazetteer import km
from ..model import Article

GEOVIRUS = "GeoVirus.xml"
TUDLOC = "TUD-Loc2013.zip"
KM = 161.0
HALF_EARTH_KM = 20037.5
_TAG = re.compile(r"<([A-Z]+)((?:\s+[a-z]+=\"[^\"]*\")*)\s*>(.*?)</([A-Z]+)\s*>", re.S)
_TEXT_NO = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    kind: str = ""


@dataclass
class Corpus:
    name: str
    articles: list[Article]
    golds: list[list[Gold]]
    out_of_range: int = 0
    unmatched: int = 0  # coordinate rows without a tagged span, or spans placed by published offset


def valid_coords(lat, lon) -> tuple[float, float] | None:
    """(lat, lon) as floats when both are finite and in range, else None."""
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(la) and math.isfinite(lo)) or abs(la) > 90 or abs(lo) > 180:
        return None
    return la, lo


def _has_coords(lat, lon) -> bool:
    return lat not in (None, "") and lon not in (None, "") and str(lat).strip() != "" and str(lon).strip() != ""


def _place_span(text: str, name: str, start: int, end: int, window: int = 20) -> tuple[int, int, bool]:
    """Where ``name`` really is near the published offsets (nearest first); found flag."""
    if text[start:end] == name:
        return start, end, True
    for d in sorted(range(-window, window + 1), key=abs):
        s = start + d
        if 0 <= s and text[s:s + len(name)] == name:
            return s, s + len(name), True
    return start, end, False


# ----------------------------------------------------------------------------- readers

def load_geovirus(path: Path, limit: int | None = None) -> Corpus:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise UsageError(f"{path}: cannot read GeoVirus XML ({exc})") from exc
    corpus = Corpus("geovirus", [], [])
    for i, art in enumerate(root.iter("article")):
        if limit and i >= limit:
            break
        text = art.findtext("text") or ""
        golds = []
        for loc in art.iter("location"):
            name = loc.findtext("name") or ""
            try:
                s, e = int(loc.findtext("start")), int(loc.findtext("end"))
            except (TypeError, ValueError):
                corpus.unmatched += 1
                continue
            s, e, found = _place_span(text, name, s, e)
            corpus.unmatched += not found
            lat, lon = loc.findtext("lat"), loc.findtext("lon")
            c = valid_coords(lat, lon)
            if c is None and _has_coords(lat, lon):
                corpus.out_of_range += 1
            golds.append(Gold(s, e, name, *(c or (None, None))))
        corpus.articles.append(Article(text=text, id=f"geovirus-{i}", url=art.findtext("source"),
                                       origin=f"{path}#{i}"))
        corpus.golds.append(sorted(golds, key=lambda g: g.start))
    return corpus


def strip_tags(tagged: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Plain text and (start, end, TYPE, surface) spans from inline-tagged text."""
    out, spans, pos, last = [], [], 0, 0
    for m in _TAG.finditer(tagged):
        out.append(tagged[last:m.start()])
        pos += m.start() - last
        inner = re.sub(r"</?[A-Z]+[^>]*>", "", m.group(3))
        spans.append((pos, pos + len(inner), m.group(1), inner))
        out.append(inner)
        pos += len(inner)
        last = m.end()
    out.append(tagged[last:])
    return "".join(out), spans


def _tud_docs(source: Path) -> tuple[dict[str, str], str | None, str | None]:
    """{file name: tagged text}, coordinates.csv text, index.csv text from the zip (or a folder)."""
    texts: dict[str, str] = {}
    coords = index = None
    if source.is_dir():
        items = [(str(p.relative_to(source)), p.read_bytes) for p in source.rglob("*") if p.is_file()]
    else:
        try:
            zf = zipfile.ZipFile(source)
        except (OSError, zipfile.BadZipFile) as exc:
            raise UsageError(f"{source}: cannot read the TUD-Loc zip ({exc})") from exc
        items = [(n, (lambda n=n: zf.read(n))) for n in zf.namelist() if not n.endswith("/")]
    for name, read in items:
        parts = name.replace("\\", "/").split("/")
        if len(parts) >= 2 and parts[-2] == "0-all":
            if parts[-1] == "coordinates.csv":
                coords = read().decode("utf-8-sig")
            elif re.fullmatch(r"text\d+\.txt", parts[-1]):
                texts[parts[-1]] = read().decode("utf-8-sig")
        elif parts[-1] == "index.csv":
            index = read().decode("utf-8-sig")
    return texts, coords, index


def load_tudloc(path: Path, limit: int | None = None) -> Corpus:
    texts, coords_csv, index_csv = _tud_docs(path)
    if not texts or coords_csv is None:
        raise UsageError(f"{path}: no 0-all/textN.txt files or 0-all/coordinates.csv inside")
    rows: dict[str, dict[int, tuple]] = {}
    for r in csv.reader(io.StringIO(coords_csv), delimiter=";"):
        if len(r) < 5 or r[0] == "docId":
            continue
        try:
            rows.setdefault(r[0], {})[int(r[2])] = (r[3], r[4])
        except ValueError:
            continue
    urls = {}
    for r in csv.reader(io.StringIO(index_csv or ""), delimiter=";"):
        if len(r) >= 2:
            urls[r[0]] = r[1]
    corpus = Corpus("tudloc", [], [])
    names = sorted(texts, key=lambda n: int(_TEXT_NO.search(n).group(1)))
    for n in names[:limit] if limit else names:
        text, spans = strip_tags(texts[n])
        by_offset = rows.get(n, {})
        golds = []
        for s, e, kind, surface in spans:
            lat, lon = by_offset.pop(s, (None, None))
            c = valid_coords(lat, lon)
            if c is None and _has_coords(lat, lon):
                corpus.out_of_range += 1
            golds.append(Gold(s, e, surface, *(c or (None, None)), kind=kind))
        corpus.unmatched += len(by_offset)
        corpus.articles.append(Article(text=text, id=f"tudloc-{n}", url=urls.get(n), origin=f"{path}:{n}"))
        corpus.golds.append(golds)
    return corpus


# ----------------------------------------------------------------------------- scoring

def _overlap(a0, a1, b0, b1) -> int:
    return min(a1, b1) - max(a0, b0)


def match(golds: list[Gold], mentions: list) -> tuple[list[bool], list]:
    """Per mention: overlaps a gold span; per gold: the best-overlapping mention or None."""
    hit = [False] * len(mentions)
    best: list = [None] * len(golds)
    for gi, g in enumerate(golds):
        top = 0
        for mi, m in enumerate(mentions):
            ov = _overlap(g.start, g.end, m.start, m.end)
            if ov > 0:
                hit[mi] = True
                if ov > top:
                    top, best[gi] = ov, m
    return hit, best


def score(golds_per_doc: list[list[Gold]], mentions_per_doc: list[list], prefix: str = "",
          examples: list | None = None) -> dict:
    n_pred = n_pred_ok = n_gold = n_gold_found = 0
    n_geo = ok_all = n_geo_rec = 0
    errors: list[float] = []
    for golds, mentions in zip(golds_per_doc, mentions_per_doc, strict=True):
        mentions = list(mentions)
        hit, best = match(golds, mentions)
        n_pred += len(mentions)
        n_pred_ok += sum(hit)
        n_gold += len(golds)
        n_gold_found += sum(b is not None for b in best)
        for g, m in zip(golds, best):
            if g.lat is None:
                continue
            n_geo += 1
            if m is None:
                continue
            n_geo_rec += 1
            p = m.place
            if p is None or p.latitude is None:
                if examples is not None:
                    examples.append((math.inf, g, m))
                continue
            d = km(g.lat, g.lon, p.latitude, p.longitude)
            errors.append(d)
            ok_all += d <= KM
            if examples is not None and d > KM:
                examples.append((d, g, m))
    p = n_pred_ok / n_pred if n_pred else 0.0
    r = n_gold_found / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    scores = {
        "gold": n_gold, "predicted": n_pred, "gold_with_coords": n_geo,
        "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
        "acc161": round(ok_all / n_geo, 4) if n_geo else None,
        "acc161_recognised": round(ok_all / n_geo_rec, 4) if n_geo_rec else None,
        "median_km": round(statistics.median(errors), 1) if errors else None,
        "mean_km": round(statistics.fmean(errors), 1) if errors else None,
    }
    return {prefix + k: v for k, v in scores.items()}


def acc161_baseline(golds_per_doc: list[list[Gold]]) -> tuple[float | None, str]:
    """(accuracy within 161 km, rule) of placing every gold toponym at the most frequent gold point."""
    from . import majority

    points = [(g.lat, g.lon) for gs in golds_per_doc for g in gs if g.lat is not None]
    if not points:
        return None, ""
    (lat, lon), _ = majority((round(a, 2), round(b, 2)) for a, b in points)
    near = sum(km(lat, lon, a, b) <= KM for a, b in points)
    return round(near / len(points), 4), f"every toponym at the most frequent gold point ({lat}, {lon})"


def _geoparse(pipeline, articles: list[Article], ner: bool, out: TextIO) -> tuple[list[list], float, int]:
    """Mentions per article (in order), seconds, failures. A failing document is retried
    alone and, if it fails again, scored as having no mentions."""
    t0 = time.perf_counter()
    try:
        mentions = [list(ms) for _, ms in pipeline.geoparse_many(articles, ner=ner)]
        return mentions, time.perf_counter() - t0, 0
    except Exception:  # noqa: BLE001 - redone one by one below
        pass
    mentions, errors = [], 0
    for a in articles:
        try:
            mentions.append([list(ms) for _, ms in pipeline.geoparse_many([a], ner=ner)][0])
        except Exception as exc:  # noqa: BLE001 - reported and scored as missing
            errors += 1
            out.write(f"  geoparser error on {a.origin or a.id}: {type(exc).__name__}: {exc}\n")
            mentions.append([])
    return mentions, time.perf_counter() - t0, errors


def evaluate_corpus(corpus: Corpus, pipeline, out: TextIO, *, ner: bool = True, show: int = 12) -> dict:
    mentions, seconds, errors = _geoparse(pipeline, corpus.articles, ner, out)
    examples: list = []
    s = score(corpus.golds, mentions, prefix=corpus.name + "_", examples=examples)
    n = len(corpus.articles)
    s[f"{corpus.name}_docs"] = n
    s[f"{corpus.name}_docs_per_s"] = round(n / seconds, 1) if seconds > 0 else None
    s[f"{corpus.name}_gold_out_of_range"] = corpus.out_of_range
    s[f"{corpus.name}_errors"] = errors
    p = corpus.name + "_"
    out.write(f"{corpus.name}: {n} documents, {s[p + 'gold']} gold toponyms ({s[p + 'gold_with_coords']} with "
              f"coordinates, {corpus.out_of_range} out of range, {corpus.unmatched} unmatched), "
              f"{s[p + 'predicted']} predicted, {s[p + 'docs_per_s']} docs/s\n")
    out.write(f"  toponyms  P {s[p + 'precision']:.3f}  R {s[p + 'recall']:.3f}  F1 {s[p + 'f1']:.3f}\n")
    out.write(f"  geocoding acc@161km {s[p + 'acc161']} (over recognised {s[p + 'acc161_recognised']}), "
              f"median {s[p + 'median_km']} km, mean {s[p + 'mean_km']} km\n")
    base, rule = acc161_baseline(corpus.golds)
    s[p + "acc161_baseline"] = base
    out.write(f"  {'score':20s} {'sitrep':>8} {'baseline':>9}  baseline rule\n"
              f"  {'acc161':20s} {s[p + 'acc161']!s:>8} {base!s:>9}  {rule}\n")
    kinds = Counter(g.kind for gs in corpus.golds for g in gs if g.kind)
    if kinds:
        found: Counter = Counter()
        for gs, ms in zip(corpus.golds, mentions):
            _, best = match(gs, ms)
            found.update(g.kind for g, b in zip(gs, best) if b is not None)
        out.write("  recall by type: " + ", ".join(
            f"{k} {found[k] / v:.2f} ({v})" for k, v in kinds.most_common()) + "\n")
    if show and examples:
        wrong = sorted((x for x in examples if not math.isinf(x[0])), key=lambda x: -x[0])
        unresolved = [x for x in examples if math.isinf(x[0])]
        out.write(f"  recognised but beyond {KM:.0f} km: {len(wrong)}, recognised but unresolved: "
                  f"{len(unresolved)}; largest errors:\n")
        for d, g, m in wrong[:show]:
            pl = m.place
            out.write(f"    {g.name!r} -> {pl.name} ({pl.country_code}, {pl.feature_code}) {d:.0f} km\n")
        if unresolved:
            names = Counter(g.name for _, g, _ in unresolved).most_common(show)
            out.write("  unresolved: " + ", ".join(f"{n!r} x{k}" if k > 1 else repr(n) for n, k in names) + "\n")
    return s


def speed(guardian: Path, pipeline, out: TextIO, limit: int | None = None) -> dict:
    """Articles/s on the Guardian articles: geoparse without NER, with NER, and a bare spaCy
    NER pass (tok2vec + ner, same batch size) in the same run; the NER ratio compares the two."""
    from ..bench import load_guardian

    articles = load_guardian(guardian, limit)
    if not articles:
        return {}
    nlp = pipeline.nlp
    batch = getattr(getattr(pipeline, "options", None), "batch_size", 32)
    keep = [p for p in ("tok2vec", "ner") if p in nlp.pipe_names]
    texts = [a.text for a in articles]
    list(pipeline.geoparse_many(articles[:4], ner=True))  # warm up caches and the model once

    def timed(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return max(time.perf_counter() - t0, 1e-9)

    def bare():
        with nlp.select_pipes(enable=keep):
            for _ in nlp.pipe(texts, batch_size=batch):
                pass

    t_geo = timed(lambda: [None for _ in pipeline.geoparse_many(articles, ner=False)])
    t_bare = timed(bare)
    t_ner = timed(lambda: [None for _ in pipeline.geoparse_many(articles, ner=True)])
    n = len(articles)
    s = {
        "guardian_articles": n,
        "guardian_geoparse_articles_per_s": round(n / t_geo, 1),
        "guardian_geoparse_ner_articles_per_s": round(n / t_ner, 1),
        "guardian_bare_ner_articles_per_s": round(n / t_bare, 1),
        "guardian_ner_ratio": round(t_ner / t_bare, 3),
        "guardian_geoparser_ms_per_article": round(1000 * t_geo / n, 2),
    }
    out.write(f"guardian speed ({n} articles, {sum(len(t.split()) for t in texts)} words, one process): "
              f"geoparse {s['guardian_geoparse_articles_per_s']}/s without NER "
              f"({s['guardian_geoparser_ms_per_article']} ms/article), "
              f"{s['guardian_geoparse_ner_articles_per_s']}/s with NER; bare spaCy "
              f"{'+'.join(keep)} {s['guardian_bare_ner_articles_per_s']}/s; ratio with NER / bare "
              f"{s['guardian_ner_ratio']}\n")
    return s


def run(data: Path, pipeline, out: TextIO, *, ner: bool = True, limit: int | None = None,
        corpora: Iterable[str] = ("geovirus", "tudloc")) -> dict:
    data = Path(data)
    if data.is_file():
        data = data.parent
    loaders = {"geovirus": (GEOVIRUS, load_geovirus), "tudloc": (TUDLOC, load_tudloc)}
    scores: dict = {}
    found = False
    for name in corpora:
        fname, loader = loaders[name]
        path = data / fname
        if not path.exists():
            out.write(f"{name}: {path} not found, skipped\n")
            continue
        found = True
        corpus = loader(path, limit)
        scores.update(evaluate_corpus(corpus, pipeline, out, ner=ner))
    if not found:
        raise UsageError(f"{data}: neither {GEOVIRUS} nor {TUDLOC} found: pass --data the geoparsing folder")
    guardian = data.parent / "guardian-sdf"
    if guardian.is_dir() and (guardian / "Guardian_SDF_sample.csv").exists():
        out.write(f"{guardian} exists: measuring speed on its articles\n")
        scores.update(speed(guardian, pipeline, out, limit=limit))
    return scores

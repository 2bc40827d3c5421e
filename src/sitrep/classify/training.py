"""``sitrep train``: fit the detector and the typer from the project's own labelled sentences.

The sentences live in ``src/sitrep/data/training/*.jsonl``, one JSON object a
line: ``text``, ``detect`` (one of DETECT_CLASSES), ``sub_event_type`` (an ACLED
sub-type or null), ``published``, ``style``, ``region``. They were written for
this project, in its own words; no evaluation record is among them.

The run is reproducible: texts are de-duplicated (case and spacing folded),
split 80/20 by a hash of the text (so the split never changes when lines are
added elsewhere), the regularisation is chosen on the dev part, a temperature
is fitted on it for calibrated probabilities, and the final model is refitted on
everything. ``--acled EXPORT.csv`` adds a licensed ACLED export's notes (house
style stripped) to the typer's training data.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from ..acled_notes import clean_note
from ..errors import InputError, UsageError
from ..taxonomy import ACLED_SUB_TYPES
from .features import DIM, SentenceContext, encoder, featurize, hashed, token_tags
from .linear import LinearModel
from .steps import DETECT_CLASSES, models_dir

C_GRID = (1.0, 4.0, 16.0)
# The screen (hashed words and tags only) must let through this share of the dev split's
# "happened" sentences; its floor on p(happened) is set so, and a sentence below it is never encoded.
SCREEN_KEEP = 0.995
T_GRID = tuple(round(0.1 * 1.08 ** i, 3) for i in range(50))  # 0.1 .. 4.3


@dataclass(frozen=True)
class Example:
    text: str
    detect: str
    sub_event_type: str | None
    published: dt.date | None
    origin: str


def training_dir() -> Path:
    return models_dir().parent / "training"


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def load_examples(folder: Path | None = None) -> tuple[list[Example], int]:
    """Every labelled sentence, de-duplicated; and how many duplicates were dropped."""
    folder = folder or training_dir()
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise UsageError(f"no *.jsonl training files in {folder}")
    seen: set[str] = set()
    out, dups = [], 0
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                text, label, sub = r["text"].strip(), r["detect"], r.get("sub_event_type")
                pub = dt.date.fromisoformat(r["published"]) if r.get("published") else None
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise InputError(str(path), f"not a training record ({exc}): fix the line", n) from exc
            if label not in DETECT_CLASSES or (sub is not None and sub not in ACLED_SUB_TYPES):
                raise InputError(str(path), f"unknown label {label!r} / {sub!r}: use DETECT_CLASSES and "
                                            f"ACLED's sub-event types", n)
            key = _norm(text)
            if key in seen:
                dups += 1
                continue
            seen.add(key)
            out.append(Example(text, label, sub, pub, f"{path.name}:{n}"))
    return out, dups


def load_acled(path: Path) -> list[Example]:
    """Typed examples from an ACLED export's ``notes`` and ``sub_event_type`` columns."""
    csv.field_size_limit(sys.maxsize)
    out = []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or not {"notes", "sub_event_type"} <= set(reader.fieldnames):
                raise UsageError(f"{path}: not an ACLED export (needs the columns notes and sub_event_type)")
            for r in reader:
                note = clean_note(r.get("notes") or "")
                if note and r["sub_event_type"] in ACLED_SUB_TYPES:
                    out.append(Example(note, "happened", r["sub_event_type"], None, str(path)))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    return out


def _embed(texts: list[str], use_encoder: bool, out: TextIO) -> np.ndarray | None:
    if not use_encoder:
        return None
    t0 = time.perf_counter()
    enc = encoder()
    cache = _EmbeddingCache(enc.name)
    todo = [t for t in dict.fromkeys(texts) if t not in cache.rows]
    for i in range(0, len(todo), 256):
        for t, v in zip(todo[i:i + 256], enc.encode(todo[i:i + 256])):
            cache.rows[t] = v
    if todo:
        cache.save()
    out.write(f"  encoded {len(todo)} sentences with {enc.name} in {time.perf_counter() - t0:.0f} s "
              f"({len(texts) - len(todo)} from the cache {cache.path})\n")
    return np.vstack([cache.rows[t] for t in texts])


class _EmbeddingCache:
    """Embeddings of training sentences already encoded, so a re-run only encodes new lines."""

    def __init__(self, encoder_name: str):
        from ..gazetteer import default_path

        key = hashlib.sha1(encoder_name.encode()).hexdigest()[:10]
        self.path = default_path().parent / f"train-embeddings-{key}.npz"
        self.rows: dict[str, np.ndarray] = {}
        try:
            with np.load(self.path, allow_pickle=False) as z:
                self.rows = dict(zip((str(t) for t in z["texts"]), z["vectors"]))
        except (OSError, KeyError, ValueError):
            pass

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, texts=np.array(list(self.rows)), vectors=np.vstack(list(self.rows.values())))
        tmp.replace(self.path)


_TIME_WORDS = re.compile(
    r",?\s*\b(?:(?:on|late on|early on|by) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?: (?:morning|afternoon|evening|night))?|(?:on )?\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*|yesterday|overnight|earlier today|this (?:morning|afternoon|evening|week)|last (?:night|week))\b",
    re.I)


def undated_variants(examples: list[Example]) -> list[tuple[int, Example]]:
    """A third of the sentences again, as an undated source tells them: no publication date and, for an
    event, without its day ("on Tuesday", "yesterday"). ACLED notes, feed blurbs and many pages carry
    neither; without these the detector would read a missing day as a sign of something else. Each comes
    with the index of the sentence it was made from (it goes to the same side of the dev split)."""
    out = []
    for i, e in enumerate(examples):
        if int(hashlib.sha1(("undated" + e.text).encode()).hexdigest(), 16) % 3:
            continue
        text = _TIME_WORDS.sub("", e.text) if e.detect == "happened" else e.text
        text = " ".join(text.replace(" ,", ",").split())
        out.append((i, Example(text, e.detect, e.sub_event_type, None, e.origin + " (undated)")))
    return out


def _is_dev(ex: Example) -> bool:
    return int(hashlib.sha1(_norm(ex.text).encode()).hexdigest(), 16) % 5 == 0


def _tags(texts: list[str], nlp) -> list[list[tuple[str, str]] | None]:
    if nlp is None:
        return [None] * len(texts)
    return [token_tags(doc) for doc in nlp.pipe(texts, batch_size=256)]


def _matrix(rows: list[list[str]], dense: np.ndarray | None = None):
    from scipy.sparse import csr_matrix, hstack

    data, indices, indptr = [], [], [0]
    for feats in rows:
        idx, vals = hashed(feats, DIM)
        indices += idx
        data += vals
        indptr.append(len(indices))
    x = csr_matrix((np.array(data, dtype=np.float32), np.array(indices), np.array(indptr)), shape=(len(rows), DIM))
    return x if dense is None else hstack([csr_matrix(dense), x], format="csr")


def _fit(x, y, c: float, seed: int = 0):
    from sklearn.linear_model import LogisticRegression

    # classes weighted to balance: the training mix has more events than real news has
    return LogisticRegression(C=c, max_iter=3000, random_state=seed, class_weight="balanced").fit(x, y)


def _margins(model, x) -> np.ndarray:
    z = model.decision_function(x)
    if z.ndim == 1:  # two classes: sklearn gives one margin, the softmax of (-z/2, z/2) is its sigmoid
        z = np.column_stack([-z / 2, z / 2])
    return z


def _proba(model, x, t: float) -> np.ndarray:
    s = _margins(model, x) / t
    s = np.exp(s - s.max(axis=1, keepdims=True))
    return s / s.sum(axis=1, keepdims=True)


def _floor(model, x, y, t: float, label: str) -> float:
    """The p(label) that SCREEN_KEEP of the sentences labelled ``label`` reach (rounded down)."""
    p = _proba(model, x, t)[:, list(model.classes_).index(label)][y == label]
    return round(float(np.floor(np.quantile(p, 1 - SCREEN_KEEP) * 1000)) / 1000, 3) if len(p) else 0.0


def _temperature(model, x, y) -> float:
    z = _margins(model, x)
    classes = list(model.classes_)
    yi = np.array([classes.index(v) for v in y])
    best, best_nll = 1.0, None
    for t in T_GRID:
        s = z / t
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        nll = -logp[np.arange(len(yi)), yi].mean()
        if best_nll is None or nll < best_nll:
            best, best_nll = t, nll
    return best


def _macro_f1(y, pred) -> float:
    from sklearn.metrics import f1_score

    return round(float(f1_score(y, pred, average="macro")), 3)


def _train_one(name: str, feats: list[list[str]], labels: list[str], dev: list[bool], out: TextIO,
               dense: np.ndarray | None = None, floor_of: str | None = None) -> LinearModel:
    """A model fitted as the module says; with ``floor_of`` its meta also holds the ``floor`` on
    p(floor_of) that lets SCREEN_KEEP of the dev split's sentences of that label through."""
    tr = [i for i, d in enumerate(dev) if not d]
    dv = [i for i, d in enumerate(dev) if d]
    x = _matrix(feats, dense)
    y = np.array(labels)
    best_c, best_f1 = C_GRID[0], -1.0
    for c in C_GRID:
        f1 = _macro_f1(y[dv], _fit(x[tr], y[tr], c).predict(x[dv]))
        out.write(f"  {name}: C={c:<5} dev macro-F1 {f1}\n")
        if f1 > best_f1:
            best_c, best_f1 = c, f1
    dev_model = _fit(x[tr], y[tr], best_c)
    temp = _temperature(dev_model, x[dv], y[dv])
    pred = dev_model.predict(x[dv])
    acc = round(float((pred == y[dv]).mean()), 3)
    majority = str(Counter(y[tr]).most_common(1)[0][0])
    base = round(float((y[dv] == majority).mean()), 3)
    out.write(f"  {name}: chose C={best_c}; dev accuracy {acc} (majority class {majority!r}: {base}), "
              f"macro-F1 {best_f1}, temperature {temp}\n")
    from sklearn.metrics import classification_report

    out.write(classification_report(y[dv], pred, zero_division=0, digits=3))
    final = _fit(x, y, best_c)
    meta = {"C": best_c, "dev_accuracy": acc, "dev_macro_f1": best_f1, "dev_majority_baseline": base,
            "n_train": len(tr), "n_dev": len(dv), "labels": dict(Counter(labels)),
            "encoder": encoder().name if dense is not None else None}
    if floor_of is not None:
        meta["floor"] = _floor(dev_model, x[dv], y[dv], temp, floor_of)
        out.write(f"  {name}: floor p({floor_of}) {meta['floor']} lets {SCREEN_KEEP:.1%} of the dev split's "
                  f"{floor_of!r} sentences through\n")
    coef, bias = final.coef_, final.intercept_
    if coef.shape[0] == 1:  # two classes, as in _temperature
        coef, bias = np.vstack([-coef / 2, coef / 2]), np.concatenate([-bias / 2, bias / 2])
    return LinearModel(tuple(str(c) for c in final.classes_), coef.astype(np.float32), bias.astype(np.float32),
                       temp, meta, 0 if dense is None else dense.shape[1])


def train(out_dir: Path | None = None, *, data: Path | None = None, acled: Path | None = None,
          nlp=None, out: TextIO = sys.stdout, use_encoder: bool = True) -> dict:
    """Fit detect.npz, type.npz and screen.npz; returns the dev figures."""
    t0 = time.perf_counter()
    out_dir = out_dir or models_dir()
    examples, dups = load_examples(data)
    out.write(f"{len(examples)} training sentences ({dups} duplicates dropped) from {data or training_dir()}\n")
    out.write("  by class: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(e.detect for e in examples).items()))
              + "\n")
    base = len(examples)
    variants = undated_variants(examples)
    dev = [_is_dev(e) for e in examples]
    dev += [dev[i] for i, _ in variants]
    examples = examples + [v for _, v in variants]
    out.write(f"  + {len(variants)} undated variants (no publication date, events without their day)\n")
    tags = _tags([e.text for e in examples], nlp)
    feats = [featurize(e.text, SentenceContext(published=e.published, paragraph=3), t)
             for e, t in zip(examples, tags)]
    emb = _embed([e.text for e in examples], use_encoder, out)
    detector = _train_one("detect", feats, [e.detect for e in examples], dev, out, emb)
    # the screen: the detector's question from the words alone, so that a sentence it rules out is never encoded
    screen = _train_one("screen", feats, [e.detect for e in examples], dev, out, None, floor_of="happened")
    typed = [i for i, e in enumerate(examples[:base]) if e.sub_event_type]
    t_examples = [examples[i] for i in typed]
    t_tags = [tags[i] for i in typed]
    t_dev = [dev[i] for i in typed]
    if acled is not None:
        extra = load_acled(acled)
        out.write(f"  + {len(extra)} typed notes from {acled} (typer only; house style stripped)\n")
        t_examples += extra
        t_tags += _tags([e.text for e in extra], nlp)
        t_dev += [_is_dev(e) for e in extra]
    t_feats = [featurize(e.text, SentenceContext(), t) for e, t in zip(t_examples, t_tags)]
    t_emb = None if emb is None else np.vstack([emb[typed]] + (
        [_embed([e.text for e in t_examples[len(typed):]], True, out)] if len(t_examples) > len(typed) else []))
    typer = _train_one("type", t_feats, [e.sub_event_type for e in t_examples], t_dev, out, t_emb)
    detector.save(out_dir / "detect.npz")
    typer.save(out_dir / "type.npz")
    screen.save(out_dir / "screen.npz")
    report = {"detect": detector.meta, "type": typer.meta, "screen": screen.meta,
              "seconds": round(time.perf_counter() - t0, 1)}
    files = ("detect.npz", "type.npz", "screen.npz")
    size = sum((out_dir / f).stat().st_size for f in files)
    out.write(f"wrote {', '.join(files)} to {out_dir} ({size / 1e6:.1f} MB) in {report['seconds']} s\n")
    return report

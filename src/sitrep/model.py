"""The core objects: an article and the facts derived from it.

Every derived fact keeps character offsets into ``Article.text`` so that its
provenance is never lost. All objects are frozen; ``to_dict`` gives the JSON
shape of the output contract (``sitrep.article/1``, see ``schema/``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping

SCHEMA = "sitrep.article/1"


@dataclass(frozen=True)
class Article:
    """One news document as read: its main text and what we know about it."""

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None
    language: str | None = None
    origin: str = ""  # where it was read, "path" or "path:line"
    title_offset: int | None = None  # where ``title`` starts in ``text`` (read as its first paragraph), if it is there
    feed: str | None = None  # the feed (URL or file) an item came from; ``source`` is the outlet

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.make_id(self.url, self.text))

    @staticmethod
    def make_id(url: str | None, text: str) -> str:
        """A stable id: the same URL or, without one, the same text gives the same id."""
        basis = url.strip() if url and url.strip() else " ".join(text.split())
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


UNLISTED = "UNL"  # feature code of a place the gazetteer lacks, located by what contains it


@dataclass(frozen=True)
class Place:
    """A gazetteer entry (GeoNames where it has an id)."""

    name: str
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature_code: str | None = None  # PPL*, ADM1, ADM2, PCLI ...
    population: int = 0

    @property
    def is_country(self) -> bool:
        return bool(self.feature_code and self.feature_code.startswith("PCL"))

    @property
    def is_region(self) -> bool:
        return bool(self.feature_code and self.feature_code.startswith("ADM"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "geonameid": self.geonameid,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "country_code": self.country_code,
            "admin1": self.admin1,
            "admin2": self.admin2,
        }


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text, resolved to a gazetteer entry (or not)."""

    start: int
    end: int
    text: str
    place: Place | None
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        p = self.place
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "geonameid": p.geonameid if p else None,
            "name": p.name if p else None,
            "latitude": p.latitude if p else None,
            "longitude": p.longitude if p else None,
            "country_code": p.country_code if p else None,
            "admin1": p.admin1 if p else None,
            "admin2": p.admin2 if p else None,
            "feature_code": p.feature_code if p else None,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class Event:
    """Who did what to whom, where and when, with the sentence that says so."""

    id: str
    event_type: str | None
    sub_event_type: str | None
    plover: str | None
    actor1: str | None
    actor2: str | None
    place: Place | None
    precision: int | None  # ACLED geo_precision 1-3
    date: str | None  # YYYY-MM-DD
    date_precision: int | None  # ACLED time_precision 1-3
    fatalities: int | None
    counts: Mapping[str, int] = field(default_factory=dict)
    status: str = "happened"  # happened | planned | threatened | attempted
    claim: str = "reported"  # reported | claimed | confirmed | denied | disputed
    claimed_by: str | None = None
    evidence: tuple[Span, ...] = ()
    confidence: float = 0.5
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        place = None
        if self.place is not None:
            place = self.place.to_dict() | {"precision": self.precision}
        return {
            "id": self.id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "plover": self.plover,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "place": place,
            "date": self.date,
            "date_precision": self.date_precision,
            "fatalities": self.fatalities,
            "counts": dict(self.counts),
            "status": self.status,
            "claim": self.claim,
            "claimed_by": self.claimed_by,
            "evidence": [s.to_dict() for s in self.evidence],
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Statistic:
    """An aggregate figure that is not a single event ("at least 183 killed in a month")."""

    what: str
    value: int
    qualifier: str  # at least | about | more than | exactly | up to
    period: str | None
    places: tuple[str, ...]
    attributed_to: str | None
    evidence: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "value": self.value,
            "qualifier": self.qualifier,
            "period": self.period,
            "places": list(self.places),
            "attributed_to": self.attributed_to,
            "evidence": [s.to_dict() for s in self.evidence],
        }


@dataclass(frozen=True)
class ArticleResult:
    """An article with everything extracted from it."""

    article: Article
    events: tuple[Event, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    statistics: tuple[Statistic, ...] = ()
    political: tuple[Event, ...] = ()  # PLOVER-only political acts (offers, calls, deployments): a view of their own
    truncated: bool = False  # only the text's start was analysed (``Options.max_chars``)

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "schema": SCHEMA,
            "id": a.id,
            "title": a.title,
            "title_offset": a.title_offset,
            "url": a.url,
            "published": a.published.isoformat() if a.published else None,
            "source": a.source,
            "feed": a.feed,
            "language": a.language,
            "text": a.text,
            "truncated": self.truncated,
            "events": [e.to_dict() for e in self.events],
            "places": [m.to_dict() for m in self.places],
            "statistics": [s.to_dict() for s in self.statistics],
            "political": [e.to_dict() for e in self.political],
        }

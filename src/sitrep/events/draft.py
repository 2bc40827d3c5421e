"""An event while it is being assembled from a sentence (mutable; frozen into model.Event at the end)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dates import When
from ..model import PlaceMention


@dataclass
class _Draft:
    category: str
    sub_event_type: str | None
    plover: str | None
    trigger: object  # spaCy Token
    sent_index: int
    para: int
    actor1: str | None = None
    actor2: str | None = None
    place: PlaceMention | None = None
    place_direct: bool = False
    when: When | None = None
    counts: dict = field(default_factory=dict)
    status: str = "happened"
    claim: str = "reported"
    claimed_by: str | None = None
    evidence: list = field(default_factory=list)
    confidence: float = 0.6
    notes: list = field(default_factory=list)
    crowd_actor: bool = False  # the one acting is a crowd of ordinary people, not an armed force
    more_places: list = field(default_factory=list)  # further places of one territory report
    refers_back: bool = False  # the place is named by a noun ("the town") that points to an earlier one
    ref_noun: str | None = None  # that noun
    report_dated: bool = False  # its only date is the statement's ("said on Tuesday that ...")
    unplaced_name: bool = False  # the place is named, but not one the gazetteer knows

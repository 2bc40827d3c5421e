"""Screen, Detector and Typer: the learned decisions, registered by name so each can be replaced.

``screen.passes(sentence, context)`` rules out, from the words alone, the
sentences that surely report no event, before anything is encoded.
``detect(sentence, context)`` says whether a sentence reports a specific event
that happened, or is background (over 30 days old), future or planned,
hypothetical, a statement, an opinion, an aggregate, a general description of
a situation, or not about events at all. ``type(sentence)`` ranks ACLED's 25
sub-event types. Both take the sentence as text plus, when a parse is at hand,
its (word, tag) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

from .features import SentenceContext, encoder, featurize, hashed
from .linear import LinearModel

DETECT_CLASSES = ("happened", "background", "future", "hypothetical", "statement", "opinion", "aggregate",
                  "general", "other")


def models_dir() -> Path:
    return Path(str(resources.files("sitrep") / "data" / "models"))


@dataclass(frozen=True)
class Detection:
    """What a sentence does: its class, that class's probability, and p(happened)."""

    label: str
    p: float
    happened: float

    @property
    def is_event(self) -> bool:
        return self.label == "happened"


def _ranked(model: LinearModel, sentence: str, context: SentenceContext,
            tags: Sequence[tuple[str, str]] | None) -> list[tuple[str, float]]:
    """The model's labels for a sentence, most probable first: hashed features plus, if it has one, the embedding."""
    embedding = encoder().encode([sentence])[0] if model.dense else None
    return model.ranked(*hashed(featurize(sentence, context, tags), model.dim), embedding)


class Detector:
    """Does this sentence report an event that happened? A linear head over sentence features."""

    name = "linear-detect"

    def __init__(self, model: LinearModel):
        self.model = model

    @classmethod
    def load(cls, path: Path | None = None) -> "Detector":
        return cls(LinearModel.load(path or models_dir() / "detect.npz"))

    def detect(self, sentence: str, context: SentenceContext,
               tags: Sequence[tuple[str, str]] | None = None) -> Detection:
        ranked = _ranked(self.model, sentence, context, tags)
        probs = dict(ranked)
        label, p = ranked[0]
        return Detection(label, p, probs.get("happened", 0.0))


class Typer:
    """Which ACLED sub-event type is this sentence? A linear head over sentence features."""

    name = "linear-type"

    def __init__(self, model: LinearModel):
        self.model = model

    @classmethod
    def load(cls, path: Path | None = None) -> "Typer":
        return cls(LinearModel.load(path or models_dir() / "type.npz"))

    def type(self, sentence: str, tags: Sequence[tuple[str, str]] | None = None) -> list[tuple[str, float]]:
        # the type of an event does not depend on when it was reported
        return _ranked(self.model, sentence, SentenceContext(), tags)


class Screen:
    """A first, cheap look at a sentence before the detector: the detector's question asked of the words
    and tags alone, without the sentence encoder (which costs most of the engine's time). A sentence the
    screen gives less than its ``floor`` of p(happened) is not an event and is never encoded; the floor is
    set at training so that 99.5% of the dev split's "happened" sentences pass."""

    name = "linear-screen"

    def __init__(self, model: LinearModel):
        if model.dense:
            raise ValueError("a screen reads words only: train it without the encoder")
        self.model = model
        self.floor = float((model.meta or {}).get("floor", 0.0))

    @classmethod
    def load(cls, path: Path | None = None) -> "Screen":
        return cls(LinearModel.load(path or models_dir() / "screen.npz"))

    def passes(self, sentence: str, context: SentenceContext,
               tags: Sequence[tuple[str, str]] | None = None) -> bool:
        """Might this sentence report an event that happened? (False: it surely does not.)"""
        return dict(_ranked(self.model, sentence, context, tags)).get("happened", 0.0) >= self.floor


_STEPS: dict[str, Callable[[], object]] = {"detect": Detector.load, "type": Typer.load, "screen": Screen.load}


def register(name: str, factory: Callable[[], object]) -> None:
    """Replace or add a step: ``register("detect", MyDetector)``; the factory takes no arguments."""
    _STEPS[name] = factory


_LOADED: dict[str, object] = {}


def get_step(name: str):
    """The step registered under ``name``, loaded once per process."""
    if name not in _LOADED:
        _LOADED[name] = _STEPS[name]()
    return _LOADED[name]

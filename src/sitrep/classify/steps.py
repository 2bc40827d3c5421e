"""Detector and Typer: the two learned decisions, registered by name so either can be replaced.

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


_STEPS: dict[str, Callable[[], object]] = {"detect": Detector.load, "type": Typer.load}


def register(name: str, factory: Callable[[], object]) -> None:
    """Replace or add a step: ``register("detect", MyDetector)``; the factory takes no arguments."""
    _STEPS[name] = factory


_LOADED: dict[str, object] = {}


def get_step(name: str):
    """The step registered under ``name``, loaded once per process."""
    if name not in _LOADED:
        _LOADED[name] = _STEPS[name]()
    return _LOADED[name]

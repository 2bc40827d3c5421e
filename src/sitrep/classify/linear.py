"""A trained linear classifier over hashed features, run with numpy alone.

Training (``sitrep train``) fits it with scikit-learn and writes the weights
to a compressed ``.npz`` file; inference needs only numpy, so no training
framework is loaded at run time. A temperature, fitted on held-out data, makes
the probabilities calibrated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError


@dataclass(frozen=True)
class LinearModel:
    labels: tuple[str, ...]
    weights: np.ndarray  # (n_labels, dense + hashed dims) float32: the sentence embedding's, then the hashed features'
    bias: np.ndarray  # (n_labels,)
    temperature: float = 1.0
    meta: dict | None = None
    dense: int = 0  # how many leading columns take the sentence embedding

    @property
    def dim(self) -> int:
        """Width of the hashed part."""
        return self.weights.shape[1] - self.dense

    def proba(self, idx: list[int], vals: list[float], embedding: np.ndarray | None = None) -> np.ndarray:
        z = self.bias.copy()
        if idx:
            z += self.weights[:, [self.dense + i for i in idx]] @ np.asarray(vals, dtype=np.float32)
        if self.dense:
            z += self.weights[:, :self.dense] @ embedding
        z = z / self.temperature
        z = np.exp(z - z.max())
        return z / z.sum()

    def ranked(self, idx: list[int], vals: list[float], embedding: np.ndarray | None = None) -> list[tuple[str, float]]:
        p = self.proba(idx, vals, embedding)
        order = np.argsort(-p)
        return [(self.labels[i], float(p[i])) for i in order]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias.astype(np.float32),
                            labels=np.array(self.labels), temperature=np.array(self.temperature), dense=np.array(self.dense),
                            meta=np.array(json.dumps(self.meta or {}, sort_keys=True)))

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        try:
            with np.load(path, allow_pickle=False) as z:
                return cls(tuple(str(x) for x in z["labels"]), z["weights"].astype(np.float32),
                           z["bias"].astype(np.float32), float(z["temperature"]), json.loads(str(z["meta"])),
                           int(z["dense"]))
        except FileNotFoundError as exc:
            raise ModelError(f"{path} not found: run `sitrep train` to build the models") from exc
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{path} is not a sitrep model file ({exc}): run `sitrep train` again") from exc

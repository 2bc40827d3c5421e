"""The learned steps of the event engine, each behind one small interface.

    screen.passes(sentence, context) -> bool    might it report one? (words only: nothing is encoded)
    detect(sentence, context) -> Detection     does the sentence report an event that happened?
    type(sentence) -> [(label, p), ...]         which ACLED sub-event type it is

    features   sentence -> hashed features (words, tense, time against the publication date)
    linear     the trained weights, run with numpy alone
    steps      Screen, Detector and Typer, registered by name
    training   ``sitrep train``: fit all three from the labelled sentences in data/training/

The models are small linear heads trained on sentences the project wrote
itself (src/sitrep/data/training/); ``sitrep train`` rebuilds them.
"""

from .steps import DETECT_CLASSES, Detection, Detector, Screen, Typer, get_step, register

__all__ = ["DETECT_CLASSES", "Detection", "Detector", "Screen", "Typer", "get_step", "register"]

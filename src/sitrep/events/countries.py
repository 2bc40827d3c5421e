"""Country lookups the event rules need, over the gazetteer (no per-article state)."""

from __future__ import annotations

from .. import actors as act
from .lexicon import CLAIM_VERBS, DENY_VERBS, SAY_VERBS
from .syntax import _subject


class Countries:
    """Names, codes and demonyms of countries, and the state a phrase names."""

    def __init__(self, geo):
        self.geo = geo

    def name(self, cc: str) -> str | None:
        p = self.geo.country(cc)
        return p.name if p else cc

    def demonym(self, word: str) -> str | None:
        return self.geo.demonym(word)

    def code(self, name: str) -> str | None:
        for p in self.geo.candidates(name)[:3]:
            if p.is_country:
                return p.country_code
        return None

    def capital(self, cc: str):
        return self.geo.capital(cc)

    def named(self, tok) -> str | None:
        """The state a phrase names ("Russia's defence ministry", "Ukrainian officials"), if any."""
        for t in tok.subtree:
            cc = act.STATE_ABBREVIATIONS.get(t.lower_) or self.geo.demonym(t.text) or (
                self.code(t.text) if t.pos_ == "PROPN" else None)
            if cc:
                return cc
        return None

    def possessor(self, tok) -> str | None:
        """'its forces' in 'Russia's defence ministry said its forces took X': the speaker's state."""
        if tok is None or not any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in tok.children):
            return None
        for a in tok.ancestors:
            if a.lower_ in SAY_VERBS or a.lower_ in CLAIM_VERBS or a.lower_ in DENY_VERBS:
                speaker = _subject(a)
                if speaker is None:
                    return None
                return self.named(speaker)
        return None

    def foreign(self, actor: str, cc: str | None) -> bool:
        """``actor`` is not of the country ``cc`` (a known country) names."""
        home = self.name(cc) if cc else None
        return bool(home) and home not in actor

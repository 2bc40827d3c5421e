"""Merging across articles reads the evidence sentences too (the real sentence encoder).

Where two reports are not told at the very same place - one names a town, the other only
the country - they merge only when their sentences do not tell different events. The
sentences are written for this test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.merge import SIM_APART, Merger
from sitrep.model import Article, ArticleResult, Event, Place, Span
from sitrep.store import Store

pytestmark = pytest.mark.slow

CITY = Place("Kramatorsk", 704508, 48.72, 37.56, "UA", "Donetska oblast", None, "PPL", 150000)
COUNTRY = Place("Ukraine", 690791, 49.0, 32.0, "UA", None, None, "PCLI", 44000000)
SHELLING = "Shelling/artillery/missile attack"

TOWN_REPORT = "Russian missiles struck an apartment block in Kramatorsk on Saturday, killing at least 12 people."
SAME_EVENT = "At least a dozen people died when a Russian rocket hit a residential building at the weekend, officials said."
OTHER_EVENT = "A Russian missile hit a power station on Saturday, causing blackouts but no casualties, the grid operator said."


def _result(aid: str, place: Place, precision: int, text: str) -> ArticleResult:
    article = Article(text=text, id=aid, published=dt.date(2023, 3, 5), source=f"Outlet {aid}",
                      url=f"https://example.org/{aid}")
    event = Event(id=f"{aid}-0", event_type="Explosions/Remote violence", sub_event_type=SHELLING,
                  plover="ASSAULT", actor1="Military Forces of Russia", actor2=None, place=place,
                  precision=precision, date="2023-03-04", date_precision=1, fatalities=None, counts={},
                  status="happened", claim="reported", claimed_by=None,
                  evidence=(Span(0, len(text), text),), confidence=0.9)
    return ArticleResult(article=article, events=(event,))


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "sim.db") as s:
        yield s


def test_a_country_level_report_of_the_same_event_joins_the_town_one(store):
    store.save([_result("a", CITY, 1, TOWN_REPORT), _result("b", COUNTRY, 3, SAME_EVENT)])
    [merged] = store.canonical_events()
    assert merged["n_reports"] == 2 and merged["place_name"] == "Kramatorsk"


def test_a_country_level_report_of_another_event_stays_apart(store):
    store.save([_result("a", CITY, 1, TOWN_REPORT), _result("c", COUNTRY, 3, OTHER_EVENT)])
    assert sorted(r["n_reports"] for r in store.canonical_events()) == [1, 1]


def test_reports_at_the_very_same_place_merge_whatever_their_wording(store):
    # ACLED codes one event per type, place and day: the wording does not split them
    store.save([_result("a", CITY, 1, TOWN_REPORT), _result("c", CITY, 1, OTHER_EVENT)])
    [merged] = store.canonical_events()
    assert merged["n_reports"] == 2


def test_the_threshold_sits_between_one_event_retold_and_two_events():
    from sitrep.classify.features import encoder

    sim = Merger(None, embed=encoder().encode)
    v = sim._vectors_of([TOWN_REPORT, SAME_EVENT, OTHER_EVENT])
    assert float(v[TOWN_REPORT] @ v[SAME_EVENT]) >= SIM_APART > float(v[TOWN_REPORT] @ v[OTHER_EVENT])

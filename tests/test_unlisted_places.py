"""Places the gazetteer lacks, and who says a place changed hands.

Small villages and islands are often where a front line moves, and no package
ships them. sitrep keeps such a place under the name the text gives, located by
the place named as containing it, so its change of control is not lost. The
village names below are invented, so no gazetteer can hold them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep import control
from sitrep.geoparse import UNLISTED, Geoparser, precision_of
from sitrep.model import Article, Event, Place
from sitrep.model import ArticleResult
from sitrep.store import Store

from test_gazetteer import shared_gazetteer
from test_geoparse import by_text, ents_for


@pytest.fixture(scope="module")
def gp(tmp_path_factory) -> Geoparser:
    return Geoparser(shared_gazetteer(tmp_path_factory))


def test_a_village_named_with_its_province_is_placed_in_that_province(gp):
    text = "Troops entered the village of Zorvanka in Kharkiv region on Monday."
    m = by_text(gp.parse(text, ents_for(text, ("Kharkiv", "GPE"))))["Zorvanka"]
    assert m.place is not None and m.place.feature_code == UNLISTED
    assert m.place.name == "Zorvanka" and m.place.geonameid is None
    assert m.place.country_code == "UA" and m.place.admin1 and "Kharkiv" in m.place.admin1
    kharkiv = by_text(gp.parse(text, ents_for(text, ("Kharkiv", "GPE"))))["Kharkiv"].place
    assert (m.place.latitude, m.place.longitude) == (kharkiv.latitude, kharkiv.longitude)
    assert precision_of(m.place) == 3  # located only by its province


def test_a_demonym_gives_the_country_of_an_unlisted_village(gp):
    text = "A blast killed two farmers in the Polish village of Wolnica Dolna, near the border with Ukraine."
    m = by_text(gp.parse(text, ents_for(text, ("Polish", "NORP"), ("Ukraine", "GPE"))))["Wolnica Dolna"]
    assert m.place.feature_code == UNLISTED and m.place.country_code == "PL"
    assert m.place.latitude is None  # a country is no position


def test_a_name_only_ner_calls_a_place_needs_its_container(gp):
    text = "The president said they would be honoured as Heroes of the Nation."
    mentions = by_text(gp.parse(text, ents_for(text, ("Heroes", "GPE"))))
    assert "Heroes" not in mentions or mentions["Heroes"].place is None


def test_an_island_missing_from_the_gazetteer_is_kept(gp):
    text = "Marines landed on Gorlan Island, off the coast of Odesa region, on Friday."
    m = by_text(gp.parse(text, ents_for(text, ("Gorlan Island", "LOC"), ("Odesa", "GPE"))))["Gorlan Island"]
    assert m.place.feature_code == UNLISTED and m.place.country_code == "UA"


def _unlisted(name: str, lat: float | None = 49.6, lon: float | None = 36.3, cc: str | None = "UA") -> Place:
    return Place(name, None, lat, lon, cc, "Kharkiv", None, UNLISTED, 0)


def _taken(aid: str, day: str, place: Place, actor: str, claim: str = "reported") -> ArticleResult:
    article = Article(text=f"Report {aid}.", id=aid, published=dt.date.fromisoformat(day), source=aid,
                      url=f"https://example.org/{aid}")
    event = Event(id=f"{aid}-0", event_type="Battles", sub_event_type="Non-state actor overtakes territory",
                  plover="SEIZE", actor1=actor, actor2=None, place=place, precision=3, date=day, date_precision=1,
                  fatalities=None, counts={}, status="happened", claim=claim)
    return ArticleResult(article=article, events=(event,))


def test_unlisted_villages_merge_by_name_never_by_their_shared_position(tmp_path):
    with Store.open(tmp_path / "u.db") as store:
        store.save([_taken("a1", "2022-05-02", _unlisted("Zorvanka"), "Military Forces of Russia"),
                    _taken("a2", "2022-05-02", _unlisted("Zorvanka"), "Military Forces of Russia"),
                    _taken("a3", "2022-05-02", _unlisted("Pidlisne"), "Military Forces of Russia")])
        rows = sorted((r["place_name"], r["n_reports"]) for r in store.canonical_events())
        assert rows == [("Pidlisne", 1), ("Zorvanka", 2)]


def test_a_control_period_of_an_unlisted_place_takes_its_best_located_report(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        store.save([_taken("b1", "2022-05-02", _unlisted("Zorvanka", None, None, "RU"), "Military Forces of Russia"),
                    _taken("b2", "2022-05-09", _unlisted("Zorvanka"), "Military Forces of Ukraine")])
        periods = [p.to_dict() for p in control.timeline(store)]
    assert [(p["place"]["name"], p["controller"], p["since"]) for p in periods] == [
        ("Zorvanka", "Russia", "2022-05-02"), ("Zorvanka", "Ukraine", "2022-05-09")]
    assert {p["place"]["country_code"] for p in periods} == {"UA"}  # the report with coordinates decides


def test_a_province_is_labelled_as_a_region():
    assert control.place_label("Kyiv", "ADM1") == "Kyiv region"
    assert control.place_label("Kyiv", "PPLC") == "Kyiv"
    assert control.place_label("Nadir Shah Kot", "ADM2") == "Nadir Shah Kot district"


def test_a_side_telling_its_own_gain_only_claims_it(pipeline):
    text = ("Russia's defence ministry said on Friday that its forces had taken control of Kupiansk. "
            "Ukrainian forces recaptured Balakliia on Saturday, the outlet's correspondent saw.")
    result = pipeline.process(Article(text=text, published=dt.date(2022, 9, 11)))
    claims = {e.place.name: (e.actor1, e.claim) for e in result.events if e.place is not None}
    assert claims["Kupyansk"] == ("Military Forces of Russia", "claimed")
    assert claims["Balakliya"][1] != "claimed"


def test_the_control_claim_is_three_valued():
    assert [control.control_claim(c) for c in ("reported", "claimed", "confirmed", "denied", "disputed")] == [
        "confirmed", "claimed", "confirmed", "disputed", "disputed"]

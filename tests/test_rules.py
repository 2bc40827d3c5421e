"""Event rules on short articles, through the real pipeline (spaCy + gazetteer).

Each fixture under fixtures/articles is a few sentences of plain newswire
English about one situation; its publication date is in conftest.PUBLISHED.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ARTICLES, PUBLISHED
from sitrep.model import Article
from sitrep.sources import iter_articles

pytestmark = pytest.mark.slow

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
TERRITORY = {"Non-state actor overtakes territory", "Government regains territory",
             "Non-violent transfer of territory"}


def one(items, what, result):
    """The single item of ``items``; the failure shows what the article gave instead."""
    got = [(e.get("sub_event_type") or e.get("plover"), e.get("actor1"), (e.get("place") or {}).get("name"),
            e.get("date"), e.get("claim"), [s["text"].strip()[:70] for s in e["evidence"]]) for e in result["events"]]
    assert len(items) == 1, f"expected one {what}, got {len(items)}; all events: {got}"
    return items[0]


def territory_events(result):
    return [e for e in result["events"] if e["sub_event_type"] in TERRITORY]


# ---- territory ---------------------------------------------------------------------------

def test_named_group_captures_town_on_a_weekday(extract_fixture):
    result = extract_fixture("djibo_capture.txt")
    event = one(territory_events(result), "territory event", result)
    assert event["sub_event_type"] == "Non-state actor overtakes territory"
    assert event["event_type"] == "Battles"
    assert event["plover"] == "FIGHT"
    assert event["actor1"] == "JNIM"
    place = event["place"]
    assert (place["name"], place["geonameid"], place["country_code"]) == ("Djibo", 2361177, "BF")
    assert place["precision"] == 1
    # published Thursday 18 May 2023: "on Tuesday" is the 16th
    assert (event["date"], event["date_precision"]) == ("2023-05-16", 1)
    assert (event["status"], event["claim"]) == ("happened", "reported")
    span = event["evidence"][0]  # "raised their flag over the prefecture" may join it as evidence
    assert span["text"].startswith("Fighters of JNIM captured the town of Djibo")
    assert span["start"] == result["text"].index("Fighters of JNIM")


def test_the_insurgents_is_the_one_group_the_article_names(extract_fixture):
    result = extract_fixture("dori_insurgents.txt")
    event = one([e for e in result["events"] if e["event_type"] in VIOLENT], "violent event", result)
    assert event["actor1"] == "JNIM"  # named only once, two sentences later
    assert event["place"]["name"] == "Dori" and event["place"]["country_code"] == "BF"
    assert (event["date"], event["date_precision"]) == ("2023-05-15", 1)
    assert event["evidence"][0]["text"].startswith("The insurgents attacked an army post outside Dori")


# ---- status: negated, planned -------------------------------------------------------------

def test_negated_attack_is_no_violent_event(extract_fixture):
    result = extract_fixture("kadugli_no_attack.txt")
    assert [e for e in result["events"] if e["event_type"] in VIOLENT] == []
    assert [e for e in result["events"] if e["status"] == "happened" and e["fatalities"]] == []


def test_planned_deployment_with_troops_in_digits(extract_fixture):
    result = extract_fixture("kenya_deploy_digits.txt")
    event = one([e for e in result["political"] if e["plover"] == "MOBILIZE"], "MOBILIZE event", result)
    assert event["status"] == "planned"
    assert event["counts"] == {"troops": 1000}
    assert event["actor1"] == "Military Forces of Kenya"
    assert event["place"]["country_code"] == "HT"
    assert event["date"] <= PUBLISHED["kenya_deploy_digits.txt"].isoformat()
    assert event["fatalities"] is None


def test_planned_deployment_with_troops_in_words(extract_fixture):
    result = extract_fixture("chad_deploy_words.txt")
    event = one([e for e in result["political"] if e["plover"] == "MOBILIZE"], "MOBILIZE event", result)
    assert event["status"] == "planned"
    assert event["counts"]["troops"] == 2000
    assert "Chad" in event["actor1"]
    assert event["evidence"][0]["text"].startswith("The government of Chad will deploy two thousand soldiers")


# ---- claims ------------------------------------------------------------------------------------

def test_claim_keeps_who_claims_it(extract_fixture):
    result = extract_fixture("kombolcha_claim.txt")
    event = one(territory_events(result), "territory event", result)
    assert event["sub_event_type"] == "Non-state actor overtakes territory"
    assert event["claim"] == "claimed"
    assert event["claimed_by"] == "TPLF: Tigray People's Liberation Front"
    assert event["actor1"] == "TPLF: Tigray People's Liberation Front"
    assert (event["place"]["name"], event["place"]["country_code"]) == ("Kombolcha", "ET")
    assert (event["date"], event["date_precision"]) == ("2021-12-04", 1)  # Saturday before Monday 6 Dec


def test_later_confirmation_updates_the_claim(extract_fixture):
    result = extract_fixture("lalibela_confirmed.txt")
    event = one(territory_events(result), "territory event", result)
    assert event["claim"] == "confirmed"
    assert event["claimed_by"] == "Fano Militia"
    assert event["actor1"] == "Fano Militia"
    assert (event["place"]["name"], event["place"]["geonameid"]) == ("Lalibela", 332288)
    assert event["date"] == "2021-12-04"
    texts = [s["text"] for s in event["evidence"]]
    assert texts[0].startswith("Fano militiamen claimed to have captured Lalibela")
    assert texts[1].startswith("A resident confirmed the capture")


def test_dated_confirmation_is_not_a_second_capture(extract_fixture):
    """'On Sunday a resident confirmed the capture': the capture is Saturday's, reported twice."""
    result = extract_fixture("lalibela_confirmed_dated.txt")
    event = one(territory_events(result), "territory event", result)
    assert event["claim"] == "confirmed"
    assert event["date"] == "2021-12-04"


# ---- what is not an event ----------------------------------------------------------------------

def test_event_twenty_years_before_publication_is_history(extract_fixture):
    result = extract_fixture("nyala_history.txt")
    assert result["events"] == []


def test_page_chrome_gives_no_events_or_statistics(extract_fixture, pipeline):
    result = extract_fixture("kyaukme_chrome.txt")
    chrome_start = result["text"].index("Leave a Reply")
    for event in result["events"]:
        assert all(s["end"] <= chrome_start for s in event["evidence"]), event
    assert result["statistics"] == []
    event = one(result["events"], "event", result)
    assert (event["sub_event_type"], event["actor1"], event["actor2"]) == \
        ("Armed clash", "Military Forces of Myanmar", "Arakan Army")
    assert (event["place"]["name"], event["date"]) == ("Kyaukme", "2023-11-04")
    # the same article without its chrome gives the same events
    body = result["text"][:chrome_start]
    bare = pipeline.process(Article(text=body, published=PUBLISHED["kyaukme_chrome.txt"])).to_dict()
    strip = lambda events: [{k: v for k, v in e.items() if k != "id"} for e in events]  # noqa: E731
    assert strip(bare["events"]) == strip(result["events"])


def test_aggregate_figure_is_a_statistic_not_an_event(extract_fixture):
    result = extract_fixture("zamfara_statistic.txt")
    [stat] = [s for s in result["statistics"] if s["value"] == 50]
    assert stat["qualifier"] == "at least"
    assert stat["attributed_to"] == "UN"
    assert "January" in stat["period"]
    assert "civilians" in stat["what"]
    assert stat["evidence"][0]["text"].startswith("At least 50 civilians have been killed")
    for event in result["events"]:
        assert event["fatalities"] != 50 and event["counts"].get("killed") != 50, event


# ---- counting and merging ---------------------------------------------------------------------

def test_dozens_killed_counts_twelve(extract_fixture):
    result = extract_fixture("gusau_dozens.txt")
    event = one([e for e in result["events"] if e["counts"].get("killed")], "event with a death toll", result)
    assert event["counts"]["killed"] == 12
    assert event["fatalities"] == 12
    assert event["event_type"] in VIOLENT
    assert (event["place"]["name"], event["place"]["country_code"]) == ("Gusau", "NG")
    assert event["date"] == "2023-05-26"  # the Friday before Thursday 1 June


def test_event_reported_twice_in_one_article_is_one_event(extract_fixture):
    result = extract_fixture("bunia_repeat.txt")
    event = one(result["events"], "event", result)
    assert (event["fatalities"], event["counts"]) == (7, {"killed": 7})
    assert (event["place"]["name"], event["date"]) == ("Bunia", "2023-03-01")
    assert len(event["evidence"]) == 2
    assert [result["text"][s["start"]:s["end"]].count("killed seven villagers") for s in event["evidence"]] == [1, 1]


# ---- invariants over every fixture --------------------------------------------------------------

def _all_fixture_articles():
    txt = sorted(p.name for p in ARTICLES.glob("*.txt"))
    assert set(txt) == set(PUBLISHED), "every .txt fixture needs a publication date in conftest.PUBLISHED"
    out = [Article(text=(ARTICLES / n).read_text("utf-8"), published=PUBLISHED[n], origin=n) for n in txt]
    others = [str(p) for p in sorted(ARTICLES.iterdir()) if p.suffix in (".html", ".jsonl", ".rss")]
    for item in iter_articles(others):
        assert isinstance(item, Article), item
        out.append(item)
    return out


@pytest.fixture(scope="module")
def all_results(pipeline):
    return [pipeline.process(a).to_dict() for a in _all_fixture_articles()]


def test_fixture_set_covers_every_input_kind(all_results):
    assert len(all_results) == len(PUBLISHED) + 1 + 2 + 2  # .txt + page + 2 JSON lines + 2 feed items


def test_every_output_validates_against_the_schema(all_results, schema_validator):
    for result in all_results:
        errors = sorted(schema_validator.iter_errors(result), key=str)
        assert errors == [], (result["id"], [e.message for e in errors])


def test_every_evidence_span_is_its_text(all_results):
    n = 0
    for result in all_results:
        text = result["text"]
        spans = [s for e in result["events"] for s in e["evidence"]] + \
                [s for st in result["statistics"] for s in st["evidence"]]
        for s in spans:
            assert 0 <= s["start"] < s["end"] <= len(text)
            assert text[s["start"]:s["end"]] == s["text"]
            n += 1
    assert n > 15


def test_every_place_mention_offset_is_its_text(all_results):
    n = 0
    for result in all_results:
        for m in result["places"]:
            assert result["text"][m["start"]:m["end"]] == m["text"]
            n += 1
    assert n > 20


def test_no_happened_event_is_dated_after_publication(all_results):
    for result in all_results:
        published = dt.date.fromisoformat(result["published"])
        for e in result["events"]:
            if e["status"] == "happened":
                assert e["date"] is not None and dt.date.fromisoformat(e["date"]) <= published, e


def test_event_ids_are_unique(all_results):
    ids = [e["id"] for r in all_results for e in r["events"]]
    assert len(ids) == len(set(ids))

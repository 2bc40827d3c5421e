"""The CSV loads where ACLED's export loads: its columns, in its order, each value of its type.

Built from a real store of hand-made reports (tests/test_query.py's), read back with the
csv module (pandas is not a dependency) and checked against ACLED's codebook types.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest

from sitrep.export import (ACLED_COLUMNS, CSV_COLUMNS, SITREP_COLUMNS, acled_admin1, disorder_type, inter_code,
                           interaction, outlet, region, write_csv)
from sitrep.query import EventQuery, run
from sitrep.store import Store
from sitrep.taxonomy import ACLED_SUB_TYPES
from test_query import sample_results

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "acled"

# ACLED's current export (codebook order); typed here so the test needs nothing outside the project
EXPECTED_ACLED = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 assoc_actor_1 "
    "inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country admin1 admin2 admin3 "
    "location latitude longitude geo_precision source source_scale notes fatalities tags timestamp").split()
INTS = ("year", "time_precision", "inter1", "inter2", "interaction", "fatalities", "timestamp", "iso")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    path = tmp_path_factory.mktemp("acled") / "e.db"
    started = int(time.time())
    with Store.open(path) as store:
        store.save(sample_results())
        rows = run(store, EventQuery(min_confidence=0))
    out = io.StringIO()
    assert write_csv(rows, out) == len(rows) == 5
    reader = csv.DictReader(io.StringIO(out.getvalue()))
    return reader.fieldnames, {r["event_id_cnty"]: r for r in reader}, started


def test_columns_are_acleds_in_order_then_sitreps(records):
    header, _, _ = records
    assert tuple(header[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS == tuple(EXPECTED_ACLED)
    assert tuple(header) == CSV_COLUMNS == ACLED_COLUMNS + SITREP_COLUMNS
    assert {"canonical_id", "n_reports", "confidence", "status", "claim", "plover"} <= set(SITREP_COLUMNS)


def test_values_parse_as_the_codebook_types(records):
    _, recs, _ = records
    for r in recs.values():
        for c in INTS:
            if c == "iso" and not r["country"] or c in ("year", "time_precision") and not r["event_date"]:
                assert r[c] == ""  # an event with no place or no date (ACLED has none such)
                continue
            int(r[c])
        if r["event_date"]:
            assert dt.date.fromisoformat(r["event_date"]).year == int(r["year"])
            assert 1 <= int(r["time_precision"]) <= 3
        if r["latitude"]:
            assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
            assert 1 <= int(r["geo_precision"]) <= 3
        assert 1 <= int(r["inter1"]) <= 8 and 0 <= int(r["inter2"]) <= 8
        assert int(r["fatalities"]) >= 0


def test_merged_strike_row(records):
    _, recs, started = records
    strike = recs["a1-e0"]
    assert (strike["disorder_type"], strike["event_type"], strike["sub_event_type"]) == \
        ("Political violence", "Explosions/Remote violence", "Air/drone strike")
    # Russia's forces outside Russia are external forces (8); civilians 7
    assert (strike["inter1"], strike["inter2"], strike["interaction"]) == ("8", "7", "78")
    assert strike["civilian_targeting"] == "Civilian targeting"
    assert (strike["country"], strike["iso"], strike["region"]) == ("Syria", "760", "Middle East")
    assert (strike["admin1"], strike["stored_admin1"], strike["location"]) == ("Aleppo", "Halab", "Aleppo")
    assert (strike["source"], strike["source_url"]) == ("Reuters", "https://example.org/a2")  # the best report
    assert (strike["canonical_id"], strike["n_reports"], strike["n_sources"]) == ("a1-e0", "2", "2")
    assert strike["fatalities"] == strike["fatalities_reported"] == "4"
    assert started - 5 <= int(strike["timestamp"]) <= time.time() + 5
    assert strike["notes"].startswith("An air strike on an Aleppo market")


def test_other_rows(records):
    _, recs, _ = records
    clash, protest, attack, arrest = recs["a3-e0"], recs["a4-e0"], recs["a6-e0"], recs["a7-e0"]
    assert (clash["inter1"], clash["inter2"], clash["interaction"], clash["civilian_targeting"]) == ("2", "1", "12", "")
    assert (clash["region"], clash["admin1"], clash["claim"]) == ("Caucasus and Central Asia", "Helmand", "claimed")
    assert (clash["fatalities"], clash["fatalities_reported"]) == ("0", "")  # no number given: ACLED's 0
    assert (protest["disorder_type"], protest["inter1"], protest["inter2"], protest["interaction"]) == \
        ("Demonstrations", "6", "0", "60")
    assert (protest["region"], protest["admin1"], protest["actor2"]) == ("Europe", "Kyiv City", "")
    assert (attack["inter1"], attack["interaction"], attack["confidence"]) == ("3", "37", "0.3")
    assert (arrest["disorder_type"], arrest["inter1"], arrest["interaction"]) == ("Strategic developments", "1", "17")
    assert arrest["event_date"] == arrest["latitude"] == arrest["country"] == ""


def test_every_sub_type_has_a_disorder_type():
    assert {disorder_type(s) for s in ACLED_SUB_TYPES} == {
        "Political violence", "Demonstrations", "Political violence; Demonstrations", "Strategic developments"}
    assert disorder_type("Excessive force against protesters") == "Political violence; Demonstrations"
    assert disorder_type("Mob violence") == "Political violence"
    assert disorder_type(None) == ""


@pytest.mark.parametrize("actor, cc, code", [
    ("Military Forces of Afghanistan", "AF", 1), ("Police Forces of Ukraine", "UA", 1),
    ("Government of Ukraine", "UA", 1),
    ("Military Forces of Russia", "UA", 8), ("Military Forces of the United States", "IQ", 8),
    ("Military Forces of the United States", "US", 1), ("Military Forces", None, 1),
    ("Taliban", "AF", 2), ("Islamic State", "SY", 2), ("Unidentified Armed Group (Nigeria)", "NG", 3),
    ("Fano Militia", "ET", 4), ("Rioters (Kenya)", "KE", 5), ("Protesters", "FR", 6), ("Civilians (Mali)", "ML", 7),
    ("United Nations", "SS", 8), ("Wagner Group", "ML", 8), (None, "ML", 0), ("Someone new", "ML", 0),
])
def test_inter_codes(actor, cc, code):
    assert inter_code(actor, cc) == code


def test_interaction_smaller_code_first():
    assert (interaction(1, 2), interaction(7, 1), interaction(6, 0), interaction(0, 0), interaction(8, 8)) == \
        (12, 17, 60, 0, 88)


@pytest.mark.parametrize("source, url, name", [
    ("Example Wire", "https://x.org/1", "Example Wire"),
    (None, "https://www.aljazeera.com/news/1", "Al Jazeera"),
    ("https://www.reuters.com/world/2", None, "Reuters"),
    ("www.bbc.co.uk", None, "BBC News"),
    ("edition.cnn.com", None, "CNN"),
    (None, "https://www.local-paper.example/a", "local-paper.example"),
    (None, None, ""),
])
def test_source_is_the_outlet(source, url, name):
    assert outlet(source, url) == name


def test_regions_and_admin1_spellings():
    assert [region(c) for c in ("sy", "IQ", "YE", "UA", "SO", "NG", "CD", "PK", "MM", "CO", "US", "ZZ", None)] == [
        "Middle East", "Middle East", "Middle East", "Europe", "Eastern Africa", "Western Africa", "Middle Africa",
        "South Asia", "Southeast Asia", "South America", "North America", "", ""]
    assert [acled_admin1("SY", n) for n in ("Halab", "Hims", "Dayr az Zawr", "Rif Dimashq", "Tartus")] == [
        "Aleppo", "Homs", "Deir ez Zor", "Rural Damascus", "Tartous"]
    assert acled_admin1("UA", "Kharkivska oblast") == "Kharkiv"
    assert acled_admin1("YE", "Ta'izz") == "Taizz"
    assert acled_admin1("AF", "Kandahar") == "Kandahar"  # already ACLED's: as stored
    assert acled_admin1("FR", "Bretagne") == "Bretagne" and acled_admin1("SY", None) == ""


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data/acled (ACLED's own files)")
def test_matches_acleds_own_export_header_and_categories():
    with (SHARED / "acled_world_2022h1.csv").open(encoding="utf-8") as fh:
        assert tuple(next(csv.reader(fh))) == ACLED_COLUMNS
    with (SHARED / "acled_event_categories.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            violent, demo = float(row["political_violence"]) == 1, float(row["demonstrations"]) == 1
            expected = "; ".join(x for x, on in (("Political violence", violent), ("Demonstrations", demo)) if on)
            assert disorder_type(row["sub_event_type"]) == (expected or "Strategic developments")
            assert ACLED_SUB_TYPES[row["sub_event_type"]] == row["event_type"]

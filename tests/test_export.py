"""Export: CSV columns, GeoJSON shape, JSON Lines and the text tables."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from sitrep.export import (CSV_COLUMNS, country, write_articles_jsonl, write_articles_table,
                           write_csv, write_geojson, write_jsonl, write_table)
from sitrep.store import Store
from test_store import GAZA, make_result

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp,canonical_id,n_reports,n_sources,confidence,status,claim,claimed_by,plover,counts,"
    "fatalities_reported,source_url,article_id,published,stored_admin1"
)


@pytest.fixture
def rows():
    with Store.open(":memory:") as store:
        store.save([
            make_result(1, date="2024-03-01"),
            make_result(2, date="2024-03-05", place=GAZA, fatalities=None),
            make_result(3, date="2024-03-07", place=None),
        ])
        return store.events()


def test_csv_header_is_exact(rows):
    out = io.StringIO()
    assert write_csv(rows, out) == 3
    assert out.getvalue().splitlines()[0] == ACLED_HEADER
    assert ",".join(CSV_COLUMNS) == ACLED_HEADER


def test_csv_values(rows):
    out = io.StringIO()
    write_csv(rows, out)
    recs = list(csv.DictReader(io.StringIO(out.getvalue())))
    first, gaza, nowhere = recs
    assert first["event_id_cnty"] == "a1-e0"
    assert (first["event_date"], first["year"], first["time_precision"]) == ("2024-03-01", "2024", "1")
    assert (first["country"], first["iso"]) == ("Ukraine", "804")
    assert (first["location"], first["admin1"]) == ("Kyiv", "Kyiv City")
    assert (first["latitude"], first["longitude"], first["geo_precision"]) == ("50.45466", "30.5238", "1")
    assert (first["source"], first["source_url"]) == ("Example News", "https://ex.org/1")
    assert first["notes"] == rows[0]["evidence"][0]["text"].strip()  # whitespace normalised
    assert first["fatalities"] == "2"
    assert json.loads(first["counts"]) == {"killed": 2, "injured": 5}
    assert (first["plover"], first["status"], first["claim"], first["article_id"]) == \
        ("AIRSTRIKE", "happened", "reported", "a1")
    assert first["confidence"] == "0.75"
    # unknown fatalities: ACLED's 0, and empty in sitrep's own column; ACLED country spelling
    assert (gaza["fatalities"], gaza["fatalities_reported"], first["fatalities_reported"]) == ("0", "", "2")
    assert gaza["country"] == "Palestine" and gaza["iso"] == "275"
    assert nowhere["country"] == nowhere["location"] == nowhere["latitude"] == ""


def test_country_names():
    assert country("ua") == ("Ukraine", "804")
    assert country("SY") == ("Syria", "760")
    assert country("CD")[0] == "Democratic Republic of Congo"
    assert country("XK") == ("Kosovo", "")
    assert country(None) == ("", "")
    assert country("ZZ") == ("ZZ", "")


def test_geojson_points_lon_lat(rows):
    out = io.StringIO()
    assert write_geojson(rows, out) == 1  # the event without a place
    doc = json.loads(out.getvalue())
    assert doc["type"] == "FeatureCollection"
    assert [f["id"] for f in doc["features"]] == ["a1-e0", "a2-e0", "a3-e0"]
    located, nowhere = doc["features"][:2], doc["features"][2]
    for f in located:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert (lat, lon) == (f["properties"]["latitude"], f["properties"]["longitude"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180
        assert "evidence" not in f["properties"]
        assert f["properties"]["url"].startswith("https://")
    assert doc["features"][0]["geometry"]["coordinates"] == [30.5238, 50.45466]
    assert nowhere["geometry"] is None and nowhere["properties"]["id"] == "a3-e0"  # kept, without a point


def test_geojson_bad_coordinates_get_no_point():
    row = {"id": "x", "latitude": 95.0, "longitude": 10.0}
    out = io.StringIO()
    assert write_geojson([row, dict(row, latitude=float("nan"))], out) == 2
    assert [f["geometry"] for f in json.loads(out.getvalue())["features"]] == [None, None]


def test_jsonl_one_object_per_line(rows):
    out = io.StringIO()
    assert write_jsonl(rows, out) == 3
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_table_truncates_to_width(rows):
    long = dict(rows[0], actor1="Military Forces of Russia (2000-) Air Force " * 3)
    out = io.StringIO()
    assert write_table([long] + rows[1:], out, width=80) == 3
    assert all(len(line) <= 80 for line in out.getvalue().splitlines())
    out = io.StringIO()
    write_table([long] + rows[1:], out, width=100)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["date", "type", "actors", "location", "dead", "claim"]
    assert all(len(line) <= 100 for line in lines)
    assert "Military Forces of Russia (2000-) Air Force Military" not in lines[2]
    assert "…" in lines[2]
    assert lines[2].startswith("2024-03-01  Air/drone strike")
    assert lines[2].rstrip().endswith("2  reported")
    assert "Gaza, PS" in lines[3]


def test_table_empty():
    out = io.StringIO()
    assert write_table([], out, width=60) == 0
    assert out.getvalue().splitlines()[-1] == "(no events)"


def test_articles_jsonl():
    results = [make_result(1), make_result(2)]
    out = io.StringIO()
    assert write_articles_jsonl(results, out) == 2
    docs = [json.loads(line) for line in out.getvalue().splitlines()]
    assert docs[0]["schema"] == "sitrep.article/1" and docs[1]["id"] == "a2"
    assert docs[0] == results[0].to_dict()


def test_articles_table():
    r = make_result(1)
    claimed = dataclasses.replace(r.events[0], claim="claimed", claimed_by="Ukrainian Air Force",
                                  status="attempted")
    results = [dataclasses.replace(r, events=(claimed,)), make_result(2, events=0)]
    out = io.StringIO()
    assert write_articles_table(results, out) == 2
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0] == "== Title 1 (Example News, 2024-03-02)  [a1]"
    assert lines[1] == ("  2024-03-01  Air/drone strike  Military Forces of Russia vs "
                        "Civilians (Ukraine)  @ Kyiv, UA  [dead 2; injured 5, killed 2]  "
                        "attempted, claimed by Ukrainian Air Force")
    assert lines[2] == "  stat: at least 183 killed in March in Kyiv, Kharkiv (per UN)"
    assert "== Title 2" in text and "  (no events)" in text

"""The JSON API, served for real (uvicorn on loopback) over a database built from the sample corpus."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import httpx
import pytest

from live import sample_db as build_sample_db, serving
from sitrep.store import Store

pytestmark = pytest.mark.slow

TOKEN = "s3cret-for-tests"


@pytest.fixture(scope="module")
def sample_db(pipeline, tmp_path_factory) -> Path:
    return build_sample_db(pipeline, tmp_path_factory.mktemp("api") / "sample.db")


@pytest.fixture(scope="module")
def api(sample_db, pipeline):
    with serving(sample_db, token=TOKEN, pipeline=pipeline) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            yield client


def test_events_are_merged_by_default_and_page(api):
    body = api.get("/api/events", params={"limit": 5}).json()
    assert body["total"] > 20 and len(body["events"]) == 5 and body["offset"] == 0
    assert all(e["canonical_id"] and e["n_reports"] >= 1 for e in body["events"])
    more = api.get("/api/events", params={"limit": 5, "offset": 5}).json()["events"]
    assert not {e["canonical_id"] for e in more} & {e["canonical_id"] for e in body["events"]}
    reports = api.get("/api/events", params={"reports": "true", "limit": 5000}).json()
    assert reports["total"] >= body["total"]


def test_a_wrong_type_is_refused_with_the_closest_one_and_the_right_one_filters(api):
    r = api.get("/api/events", params={"type": "Airstrike"})
    assert r.status_code == 400 and "Air/drone strike" in r.json()["error"]
    rows = api.get("/api/events", params={"type": "Shelling/artillery/missile attack", "limit": 5000}).json()["events"]
    assert rows and {e["sub_event_type"] for e in rows} == {"Shelling/artillery/missile attack"}


def test_country_by_name_and_formats(api):
    by_name = api.get("/api/events", params={"country": "Ukraine", "limit": 5000}).json()
    by_code = api.get("/api/events", params={"country": "ua", "limit": 5000}).json()
    assert by_name["total"] == by_code["total"] > 0
    text = api.get("/api/events", params={"country": "Ukraine", "format": "csv", "limit": 5000}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == by_name["total"] and rows[0]["country"] == "Ukraine"
    geo = api.get("/api/events", params={"format": "geojson", "limit": 5000}).json()
    everything = api.get("/api/events", params={"limit": 5000}).json()["total"]
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == everything


def test_an_event_comes_with_its_reports_and_each_evidence_span(api):
    merged = max(api.get("/api/events", params={"limit": 5000}).json()["events"], key=lambda e: e["n_reports"])
    assert merged["n_reports"] >= 2  # the sample tells some events more than once
    body = api.get(f"/api/events/{merged['canonical_id']}").json()
    assert body["event"]["id"] == merged["canonical_id"] and len(body["reports"]) == merged["n_reports"]
    for report in body["reports"]:
        article = api.get(f"/api/articles/{report['article_id']}").json()
        for span in report["evidence"]:
            assert article["text"][span["start"]: span["end"]] == span["text"]
    # a report's own id leads to its merged event too
    assert api.get(f"/api/events/{body['reports'][0]['id']}").json()["event"]["id"] == merged["canonical_id"]


def test_bad_parameters_get_a_400_in_the_one_error_shape_and_good_ones_an_answer(api):
    for path, params in (("/api/control", {"min_confidence": "lots"}), ("/api/events", {"limit": "-3"}),
                         ("/api/events", {"since": "yesterday"}), ("/api/events", {"colour": "red"}),
                         ("/api/events", {"format": "xml"}), ("/api/report", {"since": "2022-01-01"})):
        r = api.get(path, params=params)
        assert r.status_code == 400 and set(r.json()) == {"error"}, (path, params, r.text)
    assert api.get("/api/nowhere").json() == {"error": "Not Found"}
    assert api.get("/api/control", params={"min_confidence": "0.6"}).status_code == 200
    assert api.get("/api/events", params={"since": "2022-03-01", "limit": "3"}).status_code == 200


def test_an_oversized_body_is_refused_before_it_is_read(api):
    import socket
    from urllib.parse import urlsplit

    host = urlsplit(str(api.base_url))
    with socket.create_connection((host.hostname, host.port), timeout=10) as conn:
        conn.sendall(f"POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: 30000000\r\n\r\n[".encode())
        answer = ""
        while "}" not in answer:  # the headers, then the JSON body
            chunk = conn.recv(4096).decode()
            if not chunk:
                break
            answer += chunk
    assert answer.startswith("HTTP/1.1 413") and "fewer articles" in answer
    small = api.post("/api/articles", json=[], headers={"Authorization": f"Bearer {TOKEN}"})
    assert small.status_code == 200 and small.json()["articles"] == 0


def test_there_is_no_cors_by_default(api):
    r = api.get("/api/events", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers


def test_an_unknown_event_or_article_is_a_404_that_says_where_ids_come_from(api):
    r = api.get("/api/events/no-such-event")
    assert r.status_code == 404 and "/api/events" in r.json()["error"]
    assert api.get("/api/articles/no-such-article").status_code == 404


def test_an_article_marks_its_event_and_place_spans(api):
    event = api.get("/api/events", params={"limit": 1}).json()["events"][0]
    article = api.get(f"/api/articles/{event['article_id']}").json()
    kinds = {s["kind"] for s in article["spans"]}
    assert kinds == {"event", "place"}
    for s in article["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(article["text"])
    assert any(s["kind"] == "event" and s["event_id"] == event["id"] for s in article["spans"])


def test_the_article_view_marks_each_evidence_sentence_with_an_anchor(api):
    event = api.get("/api/events", params={"limit": 1, "reports": "true"}).json()["events"][0]
    page = api.get(f"/articles/{event['article_id']}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sentence = event["evidence"][0]["text"]
    assert f'id="event-{event["id"]}"' in page.text and html.escape(sentence) in page.text
    assert api.get("/articles/nope").status_code == 404


def test_control_as_of_a_day_and_a_place_whole_history(api):
    history = api.get("/api/control").json()["periods"]
    by_place: dict[str, list] = {}
    for p in history:
        by_place.setdefault(p["place"]["name"], []).append(p)
    name, periods = max(by_place.items(), key=lambda kv: len(kv[1]))
    assert len(periods) >= 2  # a place lost and retaken
    whole = api.get("/api/control", params={"place": name}).json()["periods"]
    assert [p["since"] for p in whole] == [p["since"] for p in periods]
    first = periods[0]
    held = api.get("/api/control", params={"as_of": first["since"]}).json()["periods"]
    assert any(p["place"]["name"] == name and p["controller"] == first["controller"] for p in held)
    assert all(p["since"] <= first["since"] for p in held)


def test_report_statistics_and_openapi(api):
    md = api.get("/api/report", params={"since": "2022-02-01", "until": "2022-12-31"})
    assert md.status_code == 200 and md.text.startswith("# Situation report")
    page = api.get("/api/report", params={"since": "2022-02-01", "until": "2022-12-31", "format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "<h1>" in page.text
    assert '<svg class="map"' in page.text and '<svg class="chart"' in page.text
    assert 'href="/articles/' in page.text and 'href="#' not in page.text  # sources open the article view
    bad = api.get("/api/report", params={"since": "2022-12-31", "until": "2022-02-01"})
    assert bad.status_code == 400 and "after" in bad.json()["error"]
    assert isinstance(api.get("/api/statistics").json()["statistics"], list)
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/control", "/api/report",
            "/api/statistics", "/api/articles"} <= set(paths)


def test_posting_needs_the_token_and_a_bad_line_is_reported_while_the_good_one_is_stored(api, sample_db):
    line = {"id": "posted-1", "published": "2023-03-09",
            "text": "Police arrested eleven protesters outside the parliament in Tbilisi on Thursday, "
                    "the interior ministry said."}
    body = json.dumps(line) + "\n" + "{not json\n"
    assert api.post("/api/articles", content=body).status_code == 401
    assert api.post("/api/articles", content=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    before = Store.open(sample_db, read_only=True).article_count()
    r = api.post("/api/articles", content=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["inserted"] == 1 and out["ids"] == ["posted-1"]
    assert len(out["errors"]) == 1 and ":2:" in out["errors"][0] and "not valid JSON" in out["errors"][0]
    with Store.open(sample_db, read_only=True) as store:
        assert store.article_count() == before + 1
    rows = api.get("/api/events", params={"text": "parliament", "country": "GE"}).json()["events"]
    assert [e["sub_event_type"] for e in rows] == ["Arrests"]


def test_a_pretty_printed_article_or_an_array_is_accepted_and_a_bad_array_refused(api):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    one = {"id": "posted-2", "published": "2023-03-10",
           "text": "Soldiers and rebels fought for hours near the border town of Kidal on Friday, the army said."}
    r = api.post("/api/articles", content=json.dumps(one, indent=2), headers=auth)
    assert r.status_code == 200 and r.json()["ids"] == ["posted-2"] and not r.json()["errors"]
    r = api.post("/api/articles", json=[one, {"id": "x", "text": 5}], headers=auth)
    assert r.json()["unchanged"] == 1 and ":2:" in r.json()["errors"][0] and "must be a string" in r.json()["errors"][0]
    bad = api.post("/api/articles", content="[{oops", headers=auth)
    assert bad.status_code == 400 and "not JSON" in bad.json()["error"]


def test_without_a_token_the_service_is_read_only(sample_db):
    with serving(sample_db) as base:
        r = httpx.post(f"{base}/api/articles", json=[{"text": "x"}])
        assert r.status_code == 403 and "read-only" in r.json()["error"]
        assert httpx.get(f"{base}/api/events").status_code == 200

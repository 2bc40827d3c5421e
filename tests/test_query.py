"""The query layer (sitrep.query) and `sitrep events` on a store of hand-made reports.

Every row comes from real ``Store.save`` calls; merged events are built by the store's own
merging (two outlets reporting one strike at one place on one day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from sitrep import merge as merge_module
from sitrep import store as store_module
from sitrep.cli import cli
from sitrep.errors import UsageError
from sitrep.model import Article, ArticleResult, Event, Place, Span
from sitrep.query import ROW_FIELDS, EventQuery, count, run
from sitrep.store import Store

# Made-up places (real names, stored the GeoNames way the gazetteer gives them)
ALEPPO = Place("Aleppo", 170063, 36.20, 37.16, "SY", "Halab", "Jabal Sim'an", "PPLA")
LASHKAR = Place("Lashkar Gah", 1146051, 31.59, 64.37, "AF", "Helmand", "Lashkar Gah", "PPLA")
KYIV = Place("Kyiv", 703448, 50.45, 30.52, "UA", "Kyiv City", None, "PPLC")


def report(aid: str, sub: str | None, place: Place | None, text: str, *, day: str = "2024-03-01",
           event_type: str | None = None, actor1: str = "Military Forces of Russia",
           actor2: str | None = "Civilians (Syria)", fatalities: int | None = None, confidence: float = 0.8,
           claim: str = "reported", status: str = "happened", plover: str | None = None,
           source: str | None = "Example Wire", url: str | None = None,
           published: dt.date = dt.date(2024, 3, 2)) -> ArticleResult:
    """One article carrying one event whose evidence is the whole text."""
    from sitrep.taxonomy import ACLED_SUB_TYPES, PLOVER_OF_SUB

    article = Article(text=text, id=aid, title=f"Title {aid}", url=url or f"https://example.org/{aid}",
                      published=published, source=source)
    event = Event(id=f"{aid}-e0", event_type=event_type or ACLED_SUB_TYPES.get(sub), sub_event_type=sub,
                  plover=plover or PLOVER_OF_SUB.get(sub), actor1=actor1, actor2=actor2, place=place,
                  precision=1 if place else None, date=day, date_precision=1, fatalities=fatalities,
                  counts={"killed": fatalities} if fatalities else {}, status=status, claim=claim,
                  claimed_by="Taliban" if claim == "claimed" else None,
                  evidence=(Span(0, len(text), text),), confidence=confidence, notes="")
    if sub is None:
        return ArticleResult(article, (), political=(event,))
    return ArticleResult(article, (event,))


def sample_results() -> list[ArticleResult]:
    return [
        report("a1", "Air/drone strike", ALEPPO, "Warplanes struck a crowded market in Aleppo, killing four.",
               fatalities=4, confidence=0.7, source=None, url="https://www.aljazeera.com/news/a1"),
        report("a2", "Air/drone strike", ALEPPO, "An air strike on an Aleppo market killed six civilians.",
               fatalities=6, confidence=0.9, source="Reuters", published=dt.date(2024, 3, 3)),
        report("a3", "Armed clash", LASHKAR, "Taliban fighters clashed with Afghan soldiers near Lashkar Gah.",
               day="2024-03-05", actor1="Taliban", actor2="Military Forces of Afghanistan", claim="claimed"),
        report("a4", "Peaceful protest", KYIV, "Hundreds of people protested in Kyiv against the new law.",
               day="2024-03-07", actor1="Protesters (Ukraine)", actor2=None),
        report("a5", None, None, "The minister threatened to retaliate.", day="2024-03-08",
               actor1="Government of Ukraine", actor2=None, plover="THREATEN"),
        report("a6", "Attack", KYIV, "A man was reportedly attacked in Kyiv.", day="2024-03-09",
               actor1="Unidentified Armed Group (Ukraine)", actor2="Civilians (Ukraine)", confidence=0.3),
        report("a7", "Arrests", None, "Police arrested a smuggler, officials said.", day=None,
               actor1="Police Forces of Ukraine", actor2="Civilians (Ukraine)", status="happened"),
    ]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "q.db") as s:
        s.save(sample_results())
        yield s


def ids(rows):
    return [r["id"] for r in rows]


# -- merged rows and reports ----------------------------------------------------------

def test_merged_rows_carry_canonical_id_reports_and_the_best_report(store):
    rows = run(store, EventQuery())
    assert ids(rows) == ["a1-e0", "a3-e0", "a4-e0", "a7-e0"]  # by date, undated last; a5 political, a6 weak
    strike = rows[0]
    assert set(strike) == set(ROW_FIELDS)
    assert (strike["canonical_id"], strike["n_reports"], strike["n_sources"]) == ("a1-e0", 2, 2)
    assert strike["fatalities"] == 4  # the lowest credible toll
    # the most confident report gives evidence, confidence and the article
    assert (strike["article_id"], strike["confidence"], strike["source"]) == ("a2", 0.9, "Reuters")
    assert strike["title"] == "Title a2" and strike["url"] == "https://example.org/a2"
    assert strike["evidence"][0]["text"].startswith("An air strike on an Aleppo market")
    assert strike["ingested_at"] and isinstance(strike["counts"], dict)


def test_reports_give_one_row_per_report_with_its_canonical_id(store):
    rows = run(store, EventQuery(reports=True))
    assert ids(rows) == ["a1-e0", "a2-e0", "a3-e0", "a4-e0", "a7-e0"]
    assert [r["canonical_id"] for r in rows[:2]] == ["a1-e0", "a1-e0"]
    assert [r["n_reports"] for r in rows[:3]] == [2, 2, 1]
    assert rows[0]["fatalities"] == 4 and rows[1]["fatalities"] == 6


def test_count_and_pages(store):
    q = EventQuery(limit=2)
    assert count(store, q) == 4 and count(store, EventQuery(reports=True)) == 5
    assert ids(run(store, q)) == ["a1-e0", "a3-e0"]
    assert ids(run(store, dataclasses.replace(q, offset=2))) == ["a4-e0", "a7-e0"]
    assert ids(run(store, EventQuery(offset=3))) == ["a7-e0"]
    assert run(store, EventQuery(limit=0)) == []


# -- country, place, admin1 -------------------------------------------------------------

@pytest.mark.parametrize("given", ["sy", "SY", "Syria", "syria", "SYR", "Syrian Arab Republic"])
def test_country_by_code_or_name(store, given):
    assert ids(run(store, EventQuery(country=given))) == ["a1-e0"]


def test_unknown_country_suggests_the_closest():
    with pytest.raises(UsageError, match=r"unknown country 'Afganistan': did you mean 'Afghanistan'\?"):
        EventQuery(country="Afganistan")
    with pytest.raises(UsageError, match="unknown country 'ZZ'. Give an ISO 3166 code"):
        EventQuery(country="ZZ")


def test_afghanistan_by_name_finds_its_event(store):
    assert ids(run(store, EventQuery(country="Afghanistan"))) == ["a3-e0"]


@pytest.mark.parametrize("given", ["Aleppo", "aleppo", "Halab"])
def test_admin1_as_stored_or_as_acled_spells_it(store, given):
    assert ids(run(store, EventQuery(admin1=given))) == ["a1-e0"]
    assert ids(run(store, EventQuery(admin1=given, country="SY"))) == ["a1-e0"]


def test_admin1_elsewhere_finds_nothing(store):
    assert run(store, EventQuery(admin1="Aleppo", country="AF")) == []
    assert run(store, EventQuery(admin1="Idlib")) == []


def test_place_case_insensitive(store):
    assert ids(run(store, EventQuery(place="lashkar gah"))) == ["a3-e0"]
    assert run(store, EventQuery(place="Lashkar")) == []  # a whole name, not part of one


# -- types ----------------------------------------------------------------------------------

def test_wrong_event_type_suggests_the_closest():
    with pytest.raises(UsageError, match=r"unknown event type 'Airstrike': did you mean 'Air/drone strike'\?"):
        EventQuery(event_type="Airstrike")
    with pytest.raises(UsageError, match=r"unknown sub-event type 'Armed clashes': did you mean 'Armed clash'\?"):
        EventQuery(sub_event_type="Armed clashes")


@pytest.mark.parametrize("given, expected", [
    ("Air/drone strike", ["a1-e0"]), ("air/drone STRIKE", ["a1-e0"]),
    ("Explosions/Remote violence", ["a1-e0"]), ("battles", ["a3-e0"]), ("FIGHT", ["a1-e0", "a3-e0"]),
    ("protest", ["a4-e0"]),  # PLOVER's PROTEST
])
def test_event_type_sub_type_or_plover(store, given, expected):
    assert ids(run(store, EventQuery(event_type=given))) == expected


def test_sub_event_type(store):
    q = EventQuery(sub_event_type="peaceful protest")
    assert q.sub_event_type == "Peaceful protest"
    assert ids(run(store, q)) == ["a4-e0"]


# -- actors, claims, numbers ------------------------------------------------------------------

def test_actor_substring_of_either_actor(store):
    assert ids(run(store, EventQuery(actor="taliban"))) == ["a3-e0"]
    assert ids(run(store, EventQuery(actor="Forces of Afghanistan"))) == ["a3-e0"]
    assert ids(run(store, EventQuery(actor="civilians (syria)", reports=True))) == ["a1-e0", "a2-e0"]
    assert run(store, EventQuery(actor="Hezbollah")) == []
    assert run(store, EventQuery(actor="100%")) == []  # LIKE wildcards are matched as text


def test_claim_status_and_fatalities(store):
    assert ids(run(store, EventQuery(claim="claimed"))) == ["a3-e0"]
    assert ids(run(store, EventQuery(status="happened", min_fatalities=5, reports=True))) == ["a2-e0"]
    assert ids(run(store, EventQuery(min_fatalities=4))) == ["a1-e0"]
    with pytest.raises(UsageError, match=r"unknown claim 'claim': did you mean 'claimed'\?"):
        EventQuery(claim="claim")


def test_confidence_and_political(store):
    assert "a6-e0" not in ids(run(store, EventQuery()))
    assert "a6-e0" in ids(run(store, EventQuery(min_confidence=0)))
    assert ids(run(store, EventQuery(political=True, since="2024-03-08", until="2024-03-08"))) == ["a5-e0"]
    assert run(store, EventQuery(since="2024-03-08", until="2024-03-08")) == []


def test_dates(store):
    assert ids(run(store, EventQuery(since=dt.date(2024, 3, 5), until="2024-03-07"))) == ["a3-e0", "a4-e0"]
    with pytest.raises(UsageError, match="is after until"):
        EventQuery(since="2024-03-07", until="2024-03-05")


# -- full-text search -------------------------------------------------------------------------

def test_search_evidence(store):
    assert ids(run(store, EventQuery(text="market"))) == ["a1-e0"]
    assert ids(run(store, EventQuery(text="market six", reports=True))) == ["a2-e0"]  # every word
    assert ids(run(store, EventQuery(text="protests"))) == ["a4-e0"]  # stemmed: "protested"
    assert run(store, EventQuery(text="market Kyiv")) == []


def test_search_follows_a_replaced_article(store):
    first = sample_results()[2]
    ev = dataclasses.replace(first.events[0], evidence=(Span(0, 20, "Gunfire near a bazaar"),))
    store.save([dataclasses.replace(first, events=(ev,))])
    assert run(store, EventQuery(text="clashed")) == []
    assert ids(run(store, EventQuery(text="bazaar"))) == ["a3-e0"]


def test_search_quotes_and_operators_are_words(store):
    assert run(store, EventQuery(text='"NEAR( OR market')) == []
    assert ids(run(store, EventQuery(text='"market"'))) == ["a1-e0"]
    with pytest.raises(UsageError, match="at least one word"):
        run(store, EventQuery(text='"'))


def test_search_without_the_index_falls_back_to_like(store):
    store.conn.execute("DROP TABLE evidence_text")
    store.conn.execute("DROP TABLE evidence_rows")
    store._evidence_indexed = None
    assert ids(run(store, EventQuery(text="MARKET"))) == ["a1-e0"]
    assert run(store, EventQuery(text="bazaar")) == []
    store.save([report("a8", "Grenade", ALEPPO, "A grenade hit a bazaar.", day="2024-03-11")])
    assert ids(run(store, EventQuery(text="bazaar"))) == ["a8-e0"]


def test_migration_indexes_events_stored_before_it(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    names = [m.__name__ for m in store_module.MIGRATIONS]
    before = store_module.MIGRATIONS[:names.index("m005_evidence_text")]  # the schema before full-text search
    monkeypatch.setattr(store_module, "MIGRATIONS", before)
    monkeypatch.setattr(merge_module, "CANONICAL_COLUMNS",  # nor did the merger keep a confidence then
                        tuple(c for c in merge_module.CANONICAL_COLUMNS if c != "confidence"))
    with Store.open(path) as old:
        old.save(sample_results())
        assert not store_module.EvidenceText.present(old.conn)
    monkeypatch.undo()
    with Store.open(path) as new:
        assert new.schema_version() == len(store_module.MIGRATIONS)
        assert ids(run(new, EventQuery(text="market"))) == ["a1-e0"]


def test_reading_a_database_of_an_earlier_version_says_to_upgrade_it_and_upgrading_lets_it_be_read(
        tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    names = [m.__name__ for m in store_module.MIGRATIONS]
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:names.index("m006_query_indexes")])
    monkeypatch.setattr(merge_module, "CANONICAL_COLUMNS",
                        tuple(c for c in merge_module.CANONICAL_COLUMNS if c != "confidence"))
    with Store.open(path) as old:
        old.save(sample_results())
    monkeypatch.undo()
    before = path.read_bytes()
    with pytest.raises(UsageError, match=r"lacks m006_query_indexes, m007_titles_and_feeds; read commands never write, so run "
                                         r"`sitrep upgrade --db .*old.db` once"):
        Store.open(path, read_only=True)
    out = CliRunner().invoke(cli, ["events", "--db", str(path)])
    assert out.exit_code == 2 and "sitrep upgrade" in out.output
    assert path.read_bytes() == before  # reading wrote nothing
    assert CliRunner().invoke(cli, ["upgrade", "--db", str(path)]).exit_code == 0
    with Store.open(path, read_only=True) as new:
        assert "a1-e0" in ids(run(new, EventQuery()))  # the merged strike, filtered by its confidence
        assert new.conn.execute("SELECT COUNT(*) FROM canonical_events WHERE confidence IS NULL").fetchone()[0] == 0
        assert new.schema_version() == len(store_module.MIGRATIONS)


# -- fields and parameters ------------------------------------------------------------------------

def test_fields_keep_only_those(store):
    rows = run(store, EventQuery(fields=("id", "n_reports", "source")))
    assert rows[0] == {"id": "a1-e0", "n_reports": 2, "source": "Reuters"}
    with pytest.raises(UsageError, match="unknown field.*'colour'.*valid fields: id, article_id"):
        EventQuery(fields=("id", "colour"))


def test_from_params_builds_the_same_query(store):
    q = EventQuery.from_params({"country": "Syria", "type": "air/drone strike", "min-fatalities": "4",
                                "reports": "true", "limit": "1", "offset": "1", "fields": "id,canonical_id",
                                "since": "2024-03-01", "min_confidence": ""})
    assert q == EventQuery(country="SY", event_type="Air/drone strike", min_fatalities=4, reports=True,
                           limit=1, offset=1, fields=("id", "canonical_id"), since="2024-03-01")
    assert run(store, q) == [{"id": "a2-e0", "canonical_id": "a1-e0"}]


@pytest.mark.parametrize("params, message", [
    ({"since": "yesterday"}, "since: 'yesterday' is not a date; use YYYY-MM-DD"),
    ({"limit": "ten"}, "limit: 'ten' is not a whole number"),
    ({"min_confidence": "high"}, "min_confidence: 'high' is not a number"),
    ({"min_confidence": "2"}, "min_confidence must be from 0 to 1"),
    ({"offset": "-1"}, "offset must be 0 or more"),
    ({"reports": "maybe"}, "reports: 'maybe' is not true or false"),
    ({"colour": "red"}, "unknown parameter 'colour'; valid: "),
])
def test_from_params_bad_values(params, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        EventQuery.from_params(params)


# -- the events command ------------------------------------------------------------------------------

@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    with Store.open(path) as s:
        s.save(sample_results())
    return path


def events(db, *args):
    return CliRunner().invoke(cli, ["events", "--db", str(db), *map(str, args)], catch_exceptions=False)


def test_cli_wrong_type_is_a_usage_error_with_a_suggestion(db):
    result = events(db, "--type", "Airstrike")
    assert result.exit_code == 2
    assert "unknown event type 'Airstrike': did you mean 'Air/drone strike'?" in result.stderr


def test_cli_type_and_country_by_name(db):
    result = events(db, "--type", "Air/drone strike", "--country", "Syria", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["id"], row["n_reports"]) == ("a1-e0", 2)
    result = events(db, "--country", "Afghanistan", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a3-e0"]


def test_cli_reports_search_fields(db):
    result = events(db, "--reports", "--search", "market", "--fields", "id,canonical_id", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"id": "a1-e0", "canonical_id": "a1-e0"}, {"id": "a2-e0", "canonical_id": "a1-e0"}]
    result = events(db, "--fields", "id,bogus")
    assert result.exit_code == 2 and "unknown field(s) 'bogus'" in result.stderr


def test_cli_csv_fields_are_csv_columns(db):
    result = events(db, "--format", "csv", "--fields", "event_id_cnty,admin1,n_reports", "--limit", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["event_id_cnty,admin1,n_reports", "a1-e0,Aleppo,2"]
    result = events(db, "--format", "csv", "--fields", "id")
    assert result.exit_code == 2 and "unknown CSV column(s) 'id'; valid: event_id_cnty," in result.stderr


def test_cli_geojson_keeps_unplaced_events(db):
    result = events(db, "--format", "geojson")
    assert result.exit_code == 0
    features = json.loads(result.stdout)["features"]
    assert [f["id"] for f in features] == ["a1-e0", "a3-e0", "a4-e0", "a7-e0"]
    assert features[-1]["geometry"] is None and features[0]["geometry"]["type"] == "Point"
    assert "1 of 4 events have no coordinates: written with a null geometry" in result.stderr


def test_cli_paging_and_filters(db):
    result = events(db, "--offset", "1", "--limit", "2", "--min-fatalities", "0", "--format", "jsonl",
                    "--min-confidence", "0", "--actor", "ukraine")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a6-e0", "a7-e0"]
    result = events(db, "--claim", "claimed", "--status", "happened", "--place", "Lashkar Gah",
                    "--admin1", "Helmand", "--since", "2024-03-01", "--until", "2024-03-31", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a3-e0"]

"""Store: round trip, upsert, transactional batches, filters, refusing foreign files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from sitrep.errors import StoreError, UsageError
from sitrep.model import Article, ArticleResult, Event, Place, PlaceMention, Span, Statistic
from sitrep.store import MIGRATIONS, ROW_KEYS, SaveReport, Store

KYIV = Place("Kyiv", 703448, 50.45466, 30.5238, "UA", "Kyiv City", None, "PPLC")
GAZA = Place("Gaza", 281133, 31.50161, 34.46672, "PS", "Gaza Strip", "Gaza", "PPLA")


def make_result(n: int, *, date: str = "2024-03-01", place: Place | None = KYIV,
                event_type: str = "Explosions/Remote violence",
                sub: str = "Air/drone strike", fatalities: int | None = 2,
                events: int = 1, text: str | None = None) -> ArticleResult:
    text = text or f"Article {n}. A drone strike hit the city, killing {fatalities} people."
    article = Article(text=text, id=f"a{n}", title=f"Title {n}", url=f"https://ex.org/{n}",
                      published=dt.date(2024, 3, 2), source="Example News",
                      language="en", origin=f"feed.jsonl:{n}")
    ev = tuple(Event(
        id=f"a{n}-e{i}", event_type=event_type, sub_event_type=sub, plover="AIRSTRIKE",
        actor1="Military Forces of Russia", actor2="Civilians (Ukraine)", place=place,
        precision=1, date=date, date_precision=1, fatalities=fatalities,
        counts={"killed": 2, "injured": 5}, status="happened", claim="reported",
        claimed_by=None, evidence=(Span(12, 40, text[12:40]),), confidence=0.75,
        notes="test") for i in range(events))
    mention = PlaceMention(start=0, end=7, text=text[:7], place=place, score=0.912)
    stat = Statistic(what="killed", value=183, qualifier="at least", period="in March",
                     places=("Kyiv", "Kharkiv"), attributed_to="UN",
                     evidence=(Span(0, 9, text[0:9]),))
    return ArticleResult(article, ev, (mention, PlaceMention(1, 3, text[1:3], None)), (stat,))


def count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.fixture
def store():
    with Store.open(":memory:") as s:
        yield s


def test_round_trip_all_fields(store):
    result = make_result(1, events=2)
    assert store.save([result]) == SaveReport(inserted=1, events=2)
    assert store.get_article("a1") == result
    assert store.get_article("nope") is None
    assert store.article_count() == 1


def test_round_trip_keeps_where_the_title_is_and_the_feed(store):
    base = make_result(3)
    text = f"Title 3\n\n{base.article.text}"
    article = dataclasses.replace(base.article, text=text, title_offset=0, feed="https://ex.org/world.rss")
    titled = dataclasses.replace(base, article=article)
    store.save([titled])
    got = store.get_article("a3").article
    assert (got.title_offset, got.feed, got.text[:7]) == (0, "https://ex.org/world.rss", "Title 3")
    assert store.save([titled]) == SaveReport(unchanged=1)
    # without a title in the text, both stay unset
    store.save([make_result(4)])
    assert (store.get_article("a4").article.title_offset, store.get_article("a4").article.feed) == (None, None)


def test_round_trip_without_place_or_numbers(store):
    base = make_result(2, place=None, fatalities=None)
    event = dataclasses.replace(base.events[0], date=None, date_precision=None,
                                precision=None, counts={}, evidence=(), claim="claimed",
                                claimed_by="Hamas", status="threatened", plover=None)
    result = dataclasses.replace(base, events=(event,), statistics=())
    store.save([result])
    assert store.get_article("a2") == result
    row = store.events()[0]
    assert row["place_name"] is None and row["latitude"] is None
    assert row["counts"] == {} and row["evidence"] == []


def test_event_rows_carry_article_fields(store):
    result = make_result(1)
    store.save([result])
    (row,) = store.events()
    assert tuple(row) == ROW_KEYS
    assert row["id"] == "a1-e0" and row["article_id"] == "a1"
    assert row["title"] == "Title 1" and row["url"] == "https://ex.org/1"
    assert row["source"] == "Example News" and row["published"] == "2024-03-02"
    assert row["latitude"] == 50.45466 and row["geonameid"] == 703448
    assert row["counts"] == {"injured": 5, "killed": 2}
    assert row["evidence"] == [result.events[0].evidence[0].to_dict()]
    assert row["evidence"][0]["text"] == result.article.text[12:40]


def test_resave_replaces_without_duplicates(store):
    store.save([make_result(1, events=3), make_result(2)])
    assert (count(store, "events"), count(store, "place_mentions"), count(store, "statistics")) == (4, 4, 2)
    report = store.save([make_result(1, events=1, fatalities=7), make_result(2)])
    assert report == SaveReport(inserted=0, updated=1, unchanged=1, events=1)
    assert count(store, "articles") == 2
    assert (count(store, "events"), count(store, "place_mentions"), count(store, "statistics")) == (2, 4, 2)
    assert [r["fatalities"] for r in store.events() if r["article_id"] == "a1"] == [7]


def test_unchanged_ignores_origin_but_not_metadata(store):
    r = make_result(1)
    store.save([r])
    moved = dataclasses.replace(r, article=dataclasses.replace(r.article, origin="other.html"))
    assert store.save([moved]).unchanged == 1
    retitled = dataclasses.replace(r, article=dataclasses.replace(r.article, title="New"))
    assert store.save([retitled]).updated == 1
    assert store.get_article("a1").article.title == "New"
    renoted = dataclasses.replace(r, events=(dataclasses.replace(r.events[0], notes="x"),))
    assert store.save([renoted]).updated == 1


def test_same_article_twice_in_one_batch(store):
    report = store.save([make_result(1), make_result(1, fatalities=9)])
    assert (report.inserted, report.updated, count(store, "events")) == (1, 1, 1)


def test_interrupted_batch_is_rolled_back(store):
    def feed(exc: BaseException):
        for n in range(1, 6):
            if n == 4:
                raise exc
            yield make_result(n)

    with pytest.raises(RuntimeError) as info:
        store.save(feed(RuntimeError("feed broke")), batch_size=2)
    # batch [1, 2] committed; batch [3, <boom>] rolled back
    assert store.article_count() == 2
    assert count(store, "events") == 2 and count(store, "statistics") == 2
    assert any("rolled back" in note for note in info.value.__notes__)
    with pytest.raises(KeyboardInterrupt):
        store.save(feed(KeyboardInterrupt()), batch_size=10)
    assert store.article_count() == 2
    assert not store.conn.in_transaction
    # the store is still usable afterwards
    assert store.save([make_result(3)]).inserted == 1


def test_interrupted_on_disk_is_consistent_after_reopen(tmp_path):
    path = tmp_path / "s.db"

    def feed():
        yield from (make_result(n) for n in range(3))
        raise KeyboardInterrupt

    with Store.open(path) as s, pytest.raises(KeyboardInterrupt):
        s.save(feed(), batch_size=2)
    with Store.open(path) as s:
        assert s.article_count() == 2
        assert count(s, "events") == 2
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_event_id_clash_between_articles_is_a_store_error(store):
    other = make_result(2)
    clash = dataclasses.replace(other, events=(dataclasses.replace(other.events[0], id="a1-e0"),))
    store.save([make_result(1)])
    with pytest.raises(StoreError, match="unique across articles"):
        store.save([clash])
    assert store.article_count() == 1


def test_cascade_delete(store):
    store.save([make_result(1, events=2)])
    store.conn.execute("DELETE FROM articles WHERE id = 'a1'")
    assert count(store, "events") == count(store, "place_mentions") == count(store, "statistics") == 0


@pytest.fixture
def filled(store):
    store.save([
        make_result(1, date="2024-03-01"),
        make_result(2, date="2024-03-05", place=GAZA, event_type="Battles",
                    sub="Armed clash", fatalities=None),
        make_result(3, date="2024-03-10", sub="Shelling/artillery/missile attack"),
        make_result(4, date="2024-03-05", event_type="Strategic developments",
                    sub="Non-state actor overtakes territory", fatalities=0),
        make_result(5, date=None),
    ])
    return store


def test_order_by_date_then_article_then_id(filled):
    assert [r["id"] for r in filled.events()] == ["a1-e0", "a2-e0", "a4-e0", "a3-e0", "a5-e0"]


def test_date_filters_are_inclusive(filled):
    assert [r["id"] for r in filled.events(since="2024-03-05", until="2024-03-05")] == ["a2-e0", "a4-e0"]
    assert [r["id"] for r in filled.events(since=dt.date(2024, 3, 6))] == ["a3-e0"]
    assert [r["id"] for r in filled.events(until="2024-03-01")] == ["a1-e0"]
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        filled.events(since="last week")


def test_country_and_type_filters_are_case_insensitive(filled):
    assert [r["id"] for r in filled.events(country="ps")] == ["a2-e0"]
    assert len(filled.events(country="UA")) == 4
    assert [r["id"] for r in filled.events(event_type="battles")] == ["a2-e0"]
    assert [r["id"] for r in filled.events(event_type="ARMED CLASH")] == ["a2-e0"]
    assert len(filled.events(event_type="airstrike")) == 5  # PLOVER
    assert [r["id"] for r in filled.events(event_type="air/drone strike", country="ua",
                                           since="2024-03-02")] == []
    assert len(filled.events(limit=2)) == 2


def test_counts_latest_territory(filled):
    counts = filled.counts_by_type()
    assert counts[0] == {"event_type": "Explosions/Remote violence",
                         "sub_event_type": "Air/drone strike", "events": 2, "fatalities": 4}
    assert sum(c["events"] for c in counts) == 5
    assert {c["sub_event_type"]: c["events"] for c in filled.counts_by_type(country="ps")} == {"Armed clash": 1}
    assert [r["id"] for r in filled.latest(10)] == ["a3-e0", "a2-e0", "a4-e0", "a1-e0", "a5-e0"]
    assert filled.latest(1)[0]["url"] == "https://ex.org/3"
    assert [r["id"] for r in filled.territory_changes()] == ["a4-e0"]
    assert filled.territory_changes(country="PS") == []
    assert filled.territory_changes(since="2024-03-06") == []


def test_non_sitrep_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a sitrep database.*customers.*--db"):
        Store.open(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    with pytest.raises(StoreError, match="not a SQLite file"):
        Store.open(path)
    assert path.read_text() == "just some notes\n"


def test_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.db"
    Store.open(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="upgrade sitrep"):
        Store.open(path)


def test_migrations_idempotent_on_reopen(tmp_path):
    path = tmp_path / "s.db"
    assert not path.exists()
    with Store.open(path) as s:
        names = [r[0] for r in s.conn.execute("SELECT name FROM _migrations ORDER BY name")]
        assert names == [fn.__name__ for fn in MIGRATIONS]
        assert s.schema_version() == len(MIGRATIONS)
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        s.save([make_result(1)])
    for _ in range(2):
        with Store.open(path) as s:
            assert s.migrate() == []
            assert count(s, "_migrations") == len(MIGRATIONS)
            assert s.article_count() == 1
    meta = dict(sqlite3.connect(path).execute("SELECT key, value FROM meta").fetchall())
    assert meta == {"application": "sitrep", "schema_version": str(len(MIGRATIONS))}


def test_empty_file_becomes_a_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(path) as s:
        assert s.article_count() == 0


def test_indexes_exist(store):
    """The indexes the queries use, and none that only cost writes."""
    idx = {r[0] for r in store.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    text = " ".join(idx)
    for cols in ("events (date)", "events (country_code, date)", "events (article_id, seq)",
                 "events (canonical_id)", "canonical_events (kind, date, latitude)"):
        assert cols in text
    for unused in ("events (event_type)", "events (geonameid)", "place_mentions (geonameid)"):
        assert unused not in text


def test_bad_batch_size(store):
    with pytest.raises(UsageError):
        store.save([], batch_size=0)
    assert store.save([]) == SaveReport()


def test_queries_leave_out_unconfident_events_and_political_acts_by_default(store):
    base = make_result(1, events=2)
    weak = dataclasses.replace(base.events[1], id="a1-weak", confidence=0.3)
    offer = dataclasses.replace(base.events[0], id="a1-offer", event_type=None, sub_event_type=None, plover="AGREE")
    store.save([dataclasses.replace(base, events=(base.events[0], weak), political=(offer,))])
    assert [r["id"] for r in store.events()] == ["a1-e0"]
    assert {r["id"] for r in store.events(min_confidence=0)} == {"a1-e0", "a1-weak"}
    assert {r["id"] for r in store.events(political=True)} == {"a1-e0", "a1-offer"}
    # the political act is kept, and read back apart from the events
    back = store.get_article("a1")
    assert [e.id for e in back.political] == ["a1-offer"] and len(back.events) == 2

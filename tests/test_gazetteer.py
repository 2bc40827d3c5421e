"""The offline gazetteer: folding, build, lookups, errors."""

from __future__ import annotations

import math
import pickle
import sqlite3
import threading
from pathlib import Path

import pytest

from sitrep.errors import GazetteerError
from sitrep.gazetteer import (FORMAT_VERSION, Gazetteer, build, default_path, distance_km, fold,
                              loose, strip_type)
from sitrep.model import Place


def shared_gazetteer(tmp_path_factory) -> Gazetteer:
    """Build once per test session (the same path is reused by test_geoparse.py)."""
    path = tmp_path_factory.getbasetemp() / "gazetteer" / "gazetteer.sqlite"
    if not path.exists():
        build(path)
    return Gazetteer.open(path, build_if_missing=False)


@pytest.fixture(scope="session")
def gaz(tmp_path_factory) -> Gazetteer:
    return shared_gazetteer(tmp_path_factory)


def near(place: Place, lat: float, lon: float, km: float) -> bool:
    return distance_km(place, Place("x", latitude=lat, longitude=lon)) <= km


# ------------------------------------------------------------------ folding


def test_fold_strips_diacritics_case_and_punctuation():
    assert fold("Mazār-e Sharīf") == "mazar e sharif"
    assert fold("Mūsá Qal‘ah") == "musa qalah"
    assert fold("  São  Tomé ") == "sao tome"
    assert fold("Łódź") == "lodz"
    assert fold("St. John's") == "st johns"


def test_loose_key_joins_transliteration_variants():
    assert loose("Mazar-i-Sharif") == loose("Mazar-e Sharif") == loose("Mazar i Sharif")
    assert loose("al-Raqqa") == loose("Raqqah") == loose("Ar Rakka")
    assert loose("Lashkargah") == loose("Lashkar Gah")
    assert loose("Konduz") == loose("Kunduz")
    assert loose("Hilmand") == loose("Helmand")
    assert loose("Kabul") != loose("Kandahar")


def test_strip_type_words():
    assert strip_type("Herat Province") == "herat"
    assert strip_type("Province of Kandahar") == "kandahar"
    assert strip_type("Northern Region") == ""  # nothing specific left


# ------------------------------------------------------------------ build and lookups


def test_build_is_small_and_complete(gaz):
    meta = gaz.meta()
    assert meta["version"] == FORMAT_VERSION
    assert meta["places"] > 280_000
    assert gaz.path.stat().st_size < 80 * 1024 * 1024


def test_city_with_transliteration_variants(gaz):
    for name in ("Mazar-i-Sharif", "Mazar-e Sharif", "Mazar i Sharif", "Mazār-e Sharīf"):
        top = gaz.candidates(name)[0]
        assert top.geonameid == 1133616, name
        assert top.admin1 == "Balkh" and top.country_code == "AF"
        assert near(top, 36.709, 67.111, 3)


def test_province_and_district_are_places(gaz):
    herat = {p.feature_code: p for p in gaz.candidates("Herat") if p.country_code == "AF"}
    assert herat["ADM1"].geonameid == 1140025 and herat["ADM1"].admin1 == "Herat"
    assert herat["PPL"].geonameid == 1140026 and near(herat["PPL"], 34.348, 62.200, 3)
    assert herat["ADM2"].admin1 == "Herat"
    # a province centre lies inside the province (~150 km of its capital), not at 0,0
    assert near(herat["ADM1"], 34.35, 62.20, 200)
    andar = [p for p in gaz.candidates("Andar") if p.feature_code == "ADM2"]
    assert andar and andar[0].geonameid == 7052953 and andar[0].admin1 == "Ghazni"
    assert near(andar[0], 33.4, 68.4, 150)


def test_type_word_forms_are_names(gaz):
    assert any(p.geonameid == 1140043 for p in gaz.candidates("Helmand Province"))
    assert any(p.geonameid == 1140043 for p in gaz.candidates("Hilmand"))  # loose key


def test_countries_with_coordinates_and_aliases(gaz):
    af = gaz.country("AF")
    assert af.geonameid == 1149361 and af.feature_code == "PCLI" and af.is_country
    assert 29 < af.latitude < 39 and 60 < af.longitude < 75
    assert gaz.candidates("Britain")[0].country_code == "GB"
    assert gaz.candidates("United States")[0].country_code == "US"
    assert gaz.candidates("Netherlands")[0].country_code == "NL"
    assert gaz.candidates("Syria")[0].feature_code == "PCLI"
    assert gaz.country("ZZ") is None


def test_demonyms_are_context_not_names(gaz):
    assert gaz.demonym("Afghan") == "AF"
    assert gaz.demonym("Afghans") == "AF"
    assert gaz.demonym("British") == "GB"
    assert gaz.demonym("Ukrainians") == "UA"
    assert gaz.demonym("Saudi") == "SA"
    assert gaz.demonym("Kabul") is None
    assert gaz.demonym("Philippines") is None  # a country, not a plural demonym


def test_is_name(gaz):
    assert gaz.is_name("kabul") and gaz.is_name("Kabul")
    assert not gaz.is_name("xqzzyv")
    assert gaz.is_name("Lashkargah", True)


def test_candidates_ranked_by_population(gaz):
    pops = [p.population for p in gaz.candidates("Springfield") if not p.is_region]
    assert pops == sorted(pops, reverse=True)
    assert gaz.candidates("") == [] and gaz.candidates("!!") == []


def test_threads_and_pickle(gaz):
    errors, results = [], []

    def work():
        try:
            results.append(gaz.candidates("Kandahar")[0].country_code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == ["AF"] * 8
    clone = pickle.loads(pickle.dumps(gaz))
    assert clone.country("QA").name == "Qatar"


# ------------------------------------------------------------------ paths and errors


def test_default_path_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SITREP_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert default_path() == tmp_path / "g.sqlite"
    monkeypatch.delenv("SITREP_GAZETTEER")
    assert default_path().name == f"gazetteer-{FORMAT_VERSION}.sqlite"


def test_missing_file_without_build(tmp_path):
    with pytest.raises(GazetteerError, match="sitrep gazetteer build"):
        Gazetteer.open(tmp_path / "none.sqlite", build_if_missing=False)


def test_corrupt_file_says_how_to_rebuild(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(GazetteerError) as err:
        Gazetteer.open(bad)
    assert "sitrep gazetteer build" in str(err.value) and "delete" in str(err.value)


def test_missing_tables_and_wrong_version(tmp_path):
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).execute("CREATE TABLE x(a)").connection.commit()
    with pytest.raises(GazetteerError, match="lacks tables"):
        Gazetteer.open(empty)
    old = tmp_path / "old.sqlite"
    con = sqlite3.connect(old)
    for t in ("meta(version)", "places(a)", "names(a)", "demonyms(a)", "neighbours(a)"):
        con.execute(f"CREATE TABLE {t}")
    con.execute("INSERT INTO meta VALUES (0)")
    con.commit()
    con.close()
    with pytest.raises(GazetteerError, match="format 0"):
        Gazetteer.open(old)


def test_distance_km():
    a = Place("a", latitude=0.0, longitude=0.0)
    b = Place("b", latitude=0.0, longitude=1.0)
    assert math.isclose(distance_km(a, b), 111.2, rel_tol=0.01)
    assert distance_km(a, Place("c")) == math.inf


def test_fixture_dir_exists():
    assert (Path(__file__).parent / "fixtures" / "geo" / "report.txt").exists()

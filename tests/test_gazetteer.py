"""The offline gazetteer: folding, build, lookups, errors."""

from __future__ import annotations

import math
import pickle
import sqlite3
import threading
from pathlib import Path

import pytest

from sitrep.errors import GazetteerError
from sitrep.gazetteer import (_CENTRES, FORMAT_VERSION, Gazetteer, _area_centre, build, default_path,
                              distance_km, fold, loose, strip_type)
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


def test_loose_key_drops_a_glued_arabic_article():
    assert loose("Deir ez-Zor") == loose("Deir Ezzor") == loose("Dayr az Zawr") == loose("Deir al-Zour")
    assert loose("Tell Abyad") != loose("Tell Arrafa")
    assert loose("Assam") == "asam"  # only after the first word


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


# ------------------------------------------------------------------ representative points and regions


def test_country_point_is_its_geographic_centre_not_where_people_live(gaz):
    us, ca, ru = gaz.country("US"), gaz.country("CA"), gaz.country("RU")
    assert near(us, 38, -97, 100)  # Kansas, not the populous east
    assert ca.latitude >= 55 and near(ru, 60, 100, 300)
    assert near(gaz.country("FR"), 46.5, 2.5, 150)


def test_every_listed_country_centre_lies_near_its_own_towns(gaz):
    towns: dict[str, list] = {}
    for cc, lat, lon in gaz._conn().execute("SELECT country_code, lat, lon FROM places WHERE feature_code LIKE 'PPL%'"):
        towns.setdefault(cc, []).append(Place("t", latitude=lat, longitude=lon))
    for item in _CENTRES.replace("\n", "").split(";"):
        cc, lat, lon = item.split()
        centre = Place(cc, latitude=float(lat), longitude=float(lon))
        assert -90 <= centre.latitude <= 90 and -180 <= centre.longitude <= 180, cc
        if towns.get(cc):  # a typo (a sign, a swapped pair) would put it far from all of them
            assert min(distance_km(centre, t) for t in towns[cc]) < 500, cc


def test_area_centre_ignores_where_towns_crowd_and_far_islands():
    sparse = [(40.0 + i, 0.0 + 2 * j) for i in range(6) for j in range(6)]  # 40-45 N, 0-10 E
    dense_east = [(40 + i * 0.01, 9.5 + j * 0.01) for i in range(30) for j in range(30)]
    island = [(10.0, 60.0)]
    lat, lon = _area_centre(dense_east + sparse + island)
    assert abs(lon - 5.25) < 0.5 and abs(lat - 42.75) < 0.5  # the mean of the towns: near 9 E, 40.5 N
    assert _area_centre([(34.3, 62.2), (34.4, 62.3)]) == (34.35, 62.25)
    assert _area_centre([]) is None
    # across the antimeridian
    lat, lon = _area_centre([(60.0, 178.0 + k * 0.5) for k in range(8)] + [(62.0, -178.0)])
    assert lon > 175 or lon < -175


def test_regions_made_of_countries(gaz):
    me = gaz.candidates("Middle East")[0]
    assert me.feature_code == "RGN" and me.country_code is None and near(me, 29, 45, 800)
    assert gaz.candidates("West Africa")[0].name == "Western Africa"
    assert gaz.candidates("Latin America")[0].feature_code == "RGN"
    assert gaz.candidates("Scandinavia")[0].feature_code == "RGN"
    # a compass variant never hides a country
    assert gaz.candidates("South Africa")[0].feature_code == "PCLI"
    assert gaz.candidates("Europe")[0].feature_code == "CONT"


def test_regions_named_by_their_subdivisions(gaz):
    darfur = gaz.candidates("Darfur")[0]
    assert (darfur.feature_code, darfur.country_code) == ("RGN", "SD") and near(darfur, 13, 24.5, 300)
    java = gaz.candidates("Java")[0]
    assert (java.feature_code, java.country_code) == ("RGN", "ID") and near(java, -7.3, 110, 300)
    assert gaz.candidates("Kivu")[0].country_code == "CD"
    # not when a big city or the country itself already has the name
    assert gaz.candidates("Baton Rouge")[0].feature_code.startswith("PPL")
    assert gaz.candidates("Sudan")[0].feature_code == "PCLI"


def test_subdivisions_take_their_english_name_when_the_local_one_carries_a_local_type_word():
    from sitrep.gazetteer import english_name

    assert english_name("Donetska oblast", ["Donetsk", "Donetsk Oblast"]) == "Donetsk"
    assert english_name("Stockholms län", ["Stockholm County"]) == "Stockholm"
    # already how English copy writes it: kept, even when an English alternate exists
    assert english_name("Wardak", ["Maidan Wardak Province"]) == "Wardak"
    assert english_name("Herāt", ["Herat Province"]) == "Herat"
    # no English alternate: the local name, in ASCII
    assert english_name("Jihočeský kraj", []) == "Jihocesky kraj"


def test_an_initial_ayn_apostrophe_is_left_out_of_display_names():
    from sitrep.gazetteer import _plain
    assert _plain("'Afrin") == "Afrin" and _plain("‘Amran") == "Amran"
    assert _plain("Ma'arrat an Nu'man") == "Ma'arrat an Nu'man"  # only an initial mark goes
    assert _plain("'s") == "'s" and _plain(None) is None

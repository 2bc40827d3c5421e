"""``sitrep eval geoparse``: reading both corpus formats and the scoring numbers.

The fixtures under fixtures/geo/ are tiny hand-written files in the published formats:
``GeoVirus.xml`` (character offsets, lat/lon; the first document carries the real file's
1-based offsets) and a TUD-Loc2013 tree (inline tags + coordinates.csv) that the tests
zip the way it is published. Predictions come from a fake pipeline, so every figure is
known in advance; only the test marked slow runs the real pipeline.
"""

from __future__ import annotations

import io
import math
import statistics
import zipfile
from pathlib import Path

import pytest

from sitrep.errors import UsageError
from sitrep.evaluation import geoparse as geo
from sitrep.model import Place, PlaceMention

FIX = Path(__file__).parent / "fixtures" / "geo"
TUD_TREE = FIX / "tudloc"


def tud_zip(folder: Path) -> Path:
    """Zip fixtures/geo/tudloc/ like the published TUD-Loc2013.zip (one top folder)."""
    path = folder / geo.TUDLOC
    with zipfile.ZipFile(path, "w") as zf:
        for p in sorted(TUD_TREE.rglob("*")):
            zf.write(p, p.relative_to(TUD_TREE).as_posix())
    return path


@pytest.fixture
def data(tmp_path) -> Path:
    (tmp_path / geo.GEOVIRUS).write_bytes((FIX / geo.GEOVIRUS).read_bytes())
    tud_zip(tmp_path)
    return tmp_path


def at(lat, lon, name="x") -> Place:
    return Place(name, latitude=lat, longitude=lon, feature_code="PPL")


class FakePipeline:
    """Predicts a mention for every occurrence of each surface string; ``None`` = unresolved."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.calls = []

    def geoparse_many(self, articles, *, ner=True):
        self.calls.append(ner)
        for a in articles:
            ms = []
            for surface, place in self.answers.items():
                start = a.text.find(surface)
                while start >= 0:
                    ms.append(PlaceMention(start, start + len(surface), surface, place))
                    start = a.text.find(surface, start + 1)
            yield a, sorted(ms, key=lambda m: m.start)


ANSWERS = {
    # GeoVirus: Lyon right, Portugal unresolved, Nakuru far off, "Doctors" is no place,
    # Marseille and Kenya (its gold latitude is out of range) are missed
    "Lyon": at(45.75, 4.85), "Portugal": None, "Nakuru": at(0.0, 0.0), "Doctors": None,
    # TUD-Loc: Porto, the Douro (wider span), Lisbon, Chile right; Santiago in Spain; the POI missed
    "Porto": at(41.15, -8.61), "the Douro": at(41.14, -8.61), "Lisbon": at(38.72, -9.14),
    "Chile": at(-30.0, -71.0), "Santiago": at(42.88, -8.54),
}


# ---------------------------------------------------------------------- readers

def test_geovirus_reader_places_spans_where_the_names_are():
    c = geo.load_geovirus(FIX / geo.GEOVIRUS)
    assert [a.text[:7] for a in c.articles] == ["Doctors", "Farmers"]
    assert c.articles[0].url == "https://example.org/news/one"
    for a, golds in zip(c.articles, c.golds):
        for g in golds:
            assert a.text[g.start:g.end] == g.name  # the published +1 offsets are corrected
    assert [g.name for g in c.golds[0]] == ["Lyon", "Marseille", "Portugal"]
    kenya = c.golds[1][1]
    assert kenya.name == "Kenya" and kenya.lat is None and c.out_of_range == 1
    assert c.unmatched == 0
    assert len(geo.load_geovirus(FIX / geo.GEOVIRUS, limit=1).articles) == 1


def test_tudloc_reader_strips_tags_and_matches_coordinates_by_offset(tmp_path):
    for source in (tud_zip(tmp_path), TUD_TREE):  # the zip as published, or its unpacked tree
        c = geo.load_tudloc(source)
        assert [a.id for a in c.articles] == ["tudloc-text1.txt", "tudloc-text2.txt"]
        text = c.articles[0].text
        assert "<" not in text and text.startswith("Porto by the river\n\nWe walked")
        golds = c.golds[0]
        assert [(g.name, g.kind) for g in golds] == [("Porto", "CITY"), ("Ribeira Square", "POI"),
                                                     ("Douro", "LANDMARK"), ("Lisbon", "CITY")]
        assert all(text[g.start:g.end] == g.name for g in golds)
        assert golds[1].lat is None and (golds[3].lat, golds[3].lon) == (38.72, -9.14)
        assert c.unmatched == 1  # a coordinate row with no tag at its offset
        assert c.articles[1].url == "https://example.org/chile"


def test_strip_tags_keeps_offsets():
    text, spans = geo.strip_tags('In <CITY role="main">Ghent</CITY>, by the <LANDMARK>Leie</LANDMARK>.')
    assert text == "In Ghent, by the Leie."
    assert [(text[s:e], k) for s, e, k, _ in spans] == [("Ghent", "CITY"), ("Leie", "LANDMARK")]


def test_valid_coords():
    assert geo.valid_coords("45.5", "-73.6") == (45.5, -73.6)
    for lat, lon in (("95", "10"), ("10", "190"), ("nan", "1"), ("", "1"), (None, None), ("x", "1")):
        assert geo.valid_coords(lat, lon) is None


def test_bad_inputs_say_what_is_wrong(tmp_path):
    bad = tmp_path / geo.GEOVIRUS
    bad.write_text("<articles><article>")
    with pytest.raises(UsageError, match="GeoVirus"):
        geo.load_geovirus(bad)
    (tmp_path / geo.TUDLOC).write_bytes(b"not a zip")
    with pytest.raises(UsageError, match="TUD-Loc"):
        geo.load_tudloc(tmp_path / geo.TUDLOC)
    with pytest.raises(UsageError, match="neither"):
        geo.run(tmp_path / "nothing-here", FakePipeline({}), io.StringIO())


# ---------------------------------------------------------------------- scores

def test_scores_on_both_corpora(data):
    out = io.StringIO()
    pipe = FakePipeline(ANSWERS)
    s = geo.run(data, pipe, out, ner=False)
    assert pipe.calls == [False, False]

    # GeoVirus: 5 gold (4 with valid coordinates), 4 predicted, 3 of them on gold spans
    assert (s["geovirus_gold"], s["geovirus_gold_with_coords"], s["geovirus_predicted"]) == (5, 4, 4)
    assert s["geovirus_gold_out_of_range"] == 1
    assert s["geovirus_precision"] == 0.75 and s["geovirus_recall"] == 0.6
    assert s["geovirus_f1"] == round(2 * 0.75 * 0.6 / 1.35, 4)
    assert s["geovirus_acc161"] == 0.25  # Lyon only; Marseille missed, Portugal unresolved, Nakuru far
    assert s["geovirus_acc161_recognised"] == round(1 / 3, 4)
    errors = [geo.km(45.76, 4.84, 45.75, 4.85), geo.km(-0.30, 36.07, 0.0, 0.0)]
    assert s["geovirus_median_km"] == round(statistics.median(errors), 1)
    assert s["geovirus_mean_km"] == round(statistics.fmean(errors), 1)

    # TUD-Loc: 6 gold (5 with coordinates), 5 predicted, all on gold spans
    assert (s["tudloc_gold"], s["tudloc_gold_with_coords"], s["tudloc_predicted"]) == (6, 5, 5)
    assert s["tudloc_precision"] == 1.0 and s["tudloc_recall"] == round(5 / 6, 4)
    assert s["tudloc_acc161"] == 0.8 and s["tudloc_acc161_recognised"] == 0.8
    assert s["tudloc_docs"] == 2 and s["tudloc_docs_per_s"] > 0
    assert "guardian_geoparse_articles_per_s" not in s  # no guardian-sdf beside the data

    text = out.getvalue()
    assert "geovirus: 2 documents, 5 gold toponyms (4 with coordinates, 1 out of range" in text
    assert "recall by type: CITY 1.00 (3)" in text and "POI 0.00 (1)" in text
    assert "'Nakuru' -> x" in text and "unresolved: 'Portugal'" in text


def test_limit_and_one_corpus_only(tmp_path):
    (tmp_path / geo.GEOVIRUS).write_bytes((FIX / geo.GEOVIRUS).read_bytes())
    out = io.StringIO()
    s = geo.run(tmp_path, FakePipeline(ANSWERS), out, limit=1)
    assert s["geovirus_docs"] == 1 and s["geovirus_gold"] == 3
    assert not any(k.startswith("tudloc_") for k in s)
    assert "TUD-Loc2013.zip not found, skipped" in out.getvalue()


def test_overlap_matching_prefers_the_largest_overlap():
    golds = [geo.Gold(10, 20, "Gulf of Aden", 12.0, 48.0)]
    near = PlaceMention(10, 14, "Gulf", None)
    wide = PlaceMention(8, 20, "a Gulf of Aden", at(12.0, 48.0))
    hit, best = geo.match(golds, [near, wide])
    assert hit == [True, True] and best == [wide]
    assert geo.score([golds], [[]])["acc161"] == 0.0  # a missed toponym counts as wrong
    assert geo.score([[]], [[]])["acc161"] is None


def test_a_failing_document_is_scored_as_missing(data):
    class Brittle(FakePipeline):
        def geoparse_many(self, articles, *, ner=True):
            for a, ms in super().geoparse_many(articles, ner=ner):
                if "Nakuru" in a.text:
                    raise RuntimeError("boom")
                yield a, ms

    out = io.StringIO()
    s = geo.run(data, Brittle(ANSWERS), out, corpora=("geovirus",))
    assert s["geovirus_errors"] == 1 and s["geovirus_predicted"] == 3
    assert "geoparser error on" in out.getvalue()


class FakeNLP:
    pipe_names = ["tok2vec", "tagger", "ner"]

    def __init__(self):
        self.enabled = []

    def select_pipes(self, enable):
        self.enabled.append(list(enable))
        import contextlib
        return contextlib.nullcontext()

    def pipe(self, texts, batch_size=32):
        return iter(list(texts))


def test_guardian_speed_when_the_folder_is_beside_the_data(tmp_path):
    geodir = tmp_path / "geoparsing"
    geodir.mkdir()
    (geodir / geo.GEOVIRUS).write_bytes((FIX / geo.GEOVIRUS).read_bytes())
    guardian = tmp_path / "guardian-sdf"
    guardian.mkdir()
    (guardian / "Guardian_SDF_sample.csv").write_text(
        'date,text,source\n2018-01-02,"Fighting near Manbij.",x\n2018-01-03,"Talks in Geneva.",x\n')
    pipe = FakePipeline({"Manbij": at(36.5, 37.95)})
    pipe.nlp = FakeNLP()
    out = io.StringIO()
    s = geo.run(geodir, pipe, out)
    assert s["guardian_articles"] == 2
    for key in ("guardian_geoparse_articles_per_s", "guardian_geoparse_ner_articles_per_s",
                "guardian_bare_ner_articles_per_s", "guardian_ner_ratio"):
        assert s[key] > 0 and math.isfinite(s[key])
    assert s["guardian_geoparser_ms_per_article"] >= 0
    assert pipe.nlp.enabled == [["tok2vec", "ner"]]
    assert "guardian-sdf exists" in out.getvalue()


@pytest.mark.slow
def test_real_pipeline_on_the_fixtures(pipeline, data):
    out = io.StringIO()
    s = geo.run(data, pipeline, out, ner=False)
    # without NER a lone name opening a headline ("Porto by the river") is not taken
    assert s["geovirus_recall"] >= 0.8 and s["tudloc_recall"] >= 0.5
    assert s["geovirus_acc161"] >= 0.75 and s["tudloc_acc161"] >= 0.6
    s = geo.run(data, pipeline, out, ner=True)
    assert s["geovirus_f1"] >= 0.8 and s["tudloc_f1"] >= 0.4

"""The learned steps: features, the numpy-only linear head, training, and the shipped models."""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pytest

from sitrep.classify import DETECT_CLASSES, Detector, Screen, Typer, get_step, register
from sitrep.classify import training
from sitrep.classify.features import SentenceContext, encoder, featurize, hashed, words
from sitrep.classify.linear import LinearModel
from sitrep.errors import InputError, ModelError

PUB = dt.date(2019, 6, 14)


def test_years_and_months_read_against_the_publication_date():
    assert "<year:old>" in words("The town fell in 2014.", PUB)
    assert "<year:this>" in words("The town fell in 2019.", PUB)
    assert "<month:old>" in words("It fell in February.", PUB)
    assert "<month:recent>" in words("It fell in June.", PUB)
    # without a publication date a year is only a year
    assert "<year>" in words("The town fell in 2014.", None)


def test_tense_cues_come_from_the_parse_tags():
    had = featurize("they had taken it", SentenceContext(), [("they", "PRP"), ("had", "VBD"), ("taken", "VBN"),
                                                               ("it", "PRP")])
    took = featurize("they took it", SentenceContext(), [("they", "PRP"), ("took", "VBD"), ("it", "PRP")])
    assert "pluperfect" in had and "pluperfect" not in took


def test_non_lexical_features_keep_only_shapes_and_cue_words():
    feats = featurize("Rebels will storm Kidal in 2030", SentenceContext(published=PUB), lexical=False)
    assert "w=will" in feats and "w=<year:future>" in feats
    assert not any(f in feats for f in ("w=rebels", "w=kidal"))


def test_hashing_is_stable_and_normalised():
    idx, vals = hashed(["w=a", "w=b", "w=a"])
    assert idx == hashed(["w=b", "w=a"])[0] and len(idx) == 2
    assert abs(sum(v * v for v in vals) - 1.0) < 1e-6


def test_linear_model_round_trips_and_names_a_bad_file(tmp_path):
    m = LinearModel(("a", "b"), np.array([[1.0, 0, 0, 2.0], [0, 1.0, 0, 0]], np.float32),
                    np.zeros(2, np.float32), 1.0, {"x": 1}, dense=2)
    m.save(tmp_path / "m.npz")
    back = LinearModel.load(tmp_path / "m.npz")
    assert back.labels == ("a", "b") and back.dense == 2 and back.dim == 2 and back.meta == {"x": 1}
    p = back.proba([1], [1.0], np.array([0.0, 0.0], np.float32))
    assert p[0] > p[1] and abs(p.sum() - 1) < 1e-6
    (tmp_path / "bad.npz").write_text("not a model")
    with pytest.raises(ModelError, match="run `sitrep train`"):
        LinearModel.load(tmp_path / "bad.npz")
    with pytest.raises(ModelError, match="not found"):
        LinearModel.load(tmp_path / "missing.npz")


def test_encoder_gives_unit_vectors_and_similar_sentences_are_close():
    v = encoder().encode(["Troops shelled the village at dawn.", "Artillery hit the village early in the morning.",
                          "The central bank raised interest rates."])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_the_shipped_detector_tells_events_from_the_rest():
    det = get_step("detect")
    ctx = SentenceContext(published=PUB, index=0)
    assert det.detect("Gunmen shot dead three farmers in a village near Jos on Wednesday, police said.", ctx).is_event
    for text in ("Analysts fear the army could launch a new offensive on the city if talks collapse.",
                 "The group vowed to keep fighting until the last foreign soldier leaves.",
                 "More than 12,000 people have been killed in the region since 2011.",
                 "Sign up to our newsletter for the latest updates."):
        d = det.detect(text, ctx)
        assert not d.is_event, (text, d)
    assert set(det.model.labels) == set(DETECT_CLASSES)


def test_the_shipped_screen_lets_events_through_and_rules_out_what_surely_is_none():
    screen = get_step("screen")
    ctx = SentenceContext(published=PUB, index=2, paragraph=1)
    assert 0 < screen.floor < 0.5 and not screen.model.dense  # words only: nothing to encode
    for text in ("Gunmen shot dead three farmers in a village near Jos on Wednesday, police said.",
                 "Police fired tear gas at students who blocked the main road in Dhaka on Thursday.",
                 "An air strike hit a fuel depot outside the port city overnight, the army said."):
        assert screen.passes(text, ctx), text
    for text in ("Sign up to our newsletter for the latest updates on the conflict.",
                 "Opinion: the world looks away while the bombing of hospitals becomes routine.",
                 "Should the ceasefire collapse, aid groups say, a new wave of attacks would follow."):
        assert not screen.passes(text, ctx), text


def test_a_screen_with_an_encoder_is_refused(tmp_path):
    detector = get_step("detect")
    assert detector.model.dense  # the detector reads the embedding, so it cannot be a screen
    with pytest.raises(ValueError, match="words only"):
        Screen(detector.model)


def test_the_shipped_typer_ranks_sub_types():
    typer = get_step("type")
    assert typer.type("A drone strike hit a car on the highway, killing two commanders.")[0][0] == "Air/drone strike"
    assert typer.type("Thousands marched peacefully through the capital to demand higher wages.")[0][0] == \
        "Peaceful protest"
    ranked = typer.type("Police detained four journalists at their office.")
    assert ranked[0][0] == "Arrests" and abs(sum(p for _, p in ranked) - 1) < 1e-4


def test_a_step_can_be_replaced_by_name():
    from sitrep.classify import steps

    class Always:
        def detect(self, sentence, context, tags=None):
            return steps.Detection("happened", 1.0, 1.0)

    old = steps._STEPS["detect"], steps._LOADED.pop("detect", None)
    try:
        register("detect", Always)
        assert isinstance(get_step("detect"), Always)
    finally:
        steps._STEPS["detect"] = old[0]
        steps._LOADED.pop("detect", None)
        if old[1] is not None:
            steps._LOADED["detect"] = old[1]


def _write(folder, rows):
    folder.mkdir(exist_ok=True)
    (folder / "mine.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def _row(text, detect, sub=None):
    return {"text": text, "detect": detect, "sub_event_type": sub, "published": "2020-05-01", "style": "wire",
            "region": "Mali"}


def test_train_fits_both_models_from_a_folder(tmp_path):
    rows = []
    for i in range(12):
        rows.append(_row(f"Soldiers and rebels exchanged fire near village number {i} on Sunday.", "happened",
                         "Armed clash"))
        rows.append(_row(f"A jet bombed a depot in district {i} on Monday.", "happened", "Air/drone strike"))
        rows.append(_row(f"Officials warned that fighting could spread to province {i} next year.", "future"))
    rows.append(dict(rows[0]))  # a duplicate is dropped
    _write(tmp_path / "data", rows)
    out = io.StringIO()
    report = training.train(tmp_path / "models", data=tmp_path / "data", out=out)
    assert "1 duplicates dropped" in out.getvalue()
    # 36 sentences, and a third of them again as undated variants
    assert 36 < report["detect"]["n_train"] + report["detect"]["n_dev"] < 60
    det = Detector.load(tmp_path / "models" / "detect.npz")
    typer = Typer.load(tmp_path / "models" / "type.npz")
    screen = Screen.load(tmp_path / "models" / "screen.npz")
    assert set(det.model.labels) == set(screen.model.labels) == {"happened", "future"}
    assert 0 <= report["screen"]["floor"] == screen.floor < 1
    assert screen.passes("A jet bombed a depot in district 40 on Monday.", SentenceContext(published=PUB))
    assert typer.type("A jet bombed a depot in district 40 on Monday.")[0][0] == "Air/drone strike"


def test_training_refuses_a_bad_line_naming_file_and_line(tmp_path):
    _write(tmp_path, [_row("Rebels took the town.", "happened", "Armed clash"), _row("x", "rumour")])
    with pytest.raises(InputError, match=r"mine.jsonl:2: unknown label 'rumour'"):
        training.load_examples(tmp_path)
    _write(tmp_path, [_row("Rebels took the town.", "happened", "Armed clash")])
    assert len(training.load_examples(tmp_path)[0]) == 1


def test_acled_training_notes_lose_the_house_style_as_the_eval_does(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("event_id_cnty,sub_event_type,notes\n"
                    'BFA1,Attack,"On 3 March 2022, militants attacked a police post in Dori. [size=no report] '
                    '2 fatalities."\n', encoding="utf-8")
    [ex] = training.load_acled(path)
    assert ex.text == "Militants attacked a police post in Dori." and ex.sub_event_type == "Attack"


@pytest.mark.slow
def test_only_sentences_that_report_a_happened_event_keep_their_events(pipeline):
    from sitrep.model import Article

    def events(text):
        return pipeline.process(Article(text=text, published=PUB)).events

    assert [e.sub_event_type for e in events(
        "Militants attacked an army post near Mopti on Tuesday, killing four soldiers, officials said.")]
    assert events("Officials fear militants could attack army posts near Mopti if the rains end early.") == ()
    assert events("Militants have killed more than 3,000 soldiers in central Mali since 2015.") == ()


@pytest.mark.slow
def test_political_acts_are_their_own_view(pipeline):
    from sitrep.model import Article

    r = pipeline.process(Article(text="The government offered talks to the rebels on Tuesday.", published=PUB))
    assert all(e.sub_event_type for e in r.events)
    assert [e.plover for e in r.political] and all(e.sub_event_type is None for e in r.political)
    assert "political" in r.to_dict()

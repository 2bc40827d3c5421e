"""The dashboard in a real headless Chromium (Debian's chromium + chromium-driver, through Selenium),
served by the real service over a database built from the sample corpus.

``scripts/test.sh`` installs the browser; set SITREP_SKIP_BROWSER=1 to leave these tests out on a
machine without one. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import time

import httpx
import pytest

from live import SHOTS, sample_db, serving, wait

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(pipeline, tmp_path_factory):
    from sitrep import web

    assert web.ready(), web.NOT_READY
    db = sample_db(pipeline, tmp_path_factory.mktemp("dash") / "sample.db")
    with serving(db) as base:
        yield base


@pytest.fixture(scope="module")
def page(browser, site):
    browser.get(site + "/")
    wait(lambda: browser.execute_script("return document.body.dataset.ready === '1'"), what="the dashboard to load")
    return browser


def test_the_map_shows_a_marker_for_every_placed_event(page, site):
    events = httpx.get(f"{site}/api/events", params={"limit": 5000}).json()["events"]
    placed = [e for e in events if e["latitude"] is not None]
    assert len(placed) > 20
    assert page.execute_script("return window.sitrep.markers.size") == len(placed)
    # on the page: markers drawn one by one plus those counted inside clusters
    alone = page.execute_script("return document.querySelectorAll('.event-marker').length")
    clustered = page.execute_script(
        "return [...document.querySelectorAll('.marker-cluster span')].reduce((n, s) => n + Number(s.textContent), 0)")
    assert alone + clustered == len(placed)
    assert page.execute_script("return document.querySelectorAll('#chart rect.bar').length") > 5
    assert page.execute_script("return document.querySelectorAll('#events tbody tr').length") == len(events)
    page.save_screenshot(str(SHOTS / "dashboard.png"))


def _changed_place(site: str) -> tuple[str, dict, dict]:
    """A place the sample corpus shows changing hands, with its first two periods."""
    periods = httpx.get(f"{site}/api/control").json()["periods"]
    by_place: dict[str, list] = {}
    for p in periods:
        if p["place"]["latitude"] is not None:
            by_place.setdefault(p["place"]["name"], []).append(p)
    for name, ps in sorted(by_place.items()):
        ps.sort(key=lambda p: p["since"])
        for a, b in zip(ps, ps[1:]):
            if a["controller"] != b["controller"] and a["since"] < b["since"]:
                return name, a, b
    raise AssertionError("no place changes hands in the sample corpus")


def _move_slider(page, day: str) -> None:
    index = page.execute_script("return window.sitrep.days.indexOf(arguments[0])", day)
    assert index >= 0, day
    page.execute_script("const s = document.getElementById('slider'); s.value = arguments[0];"
                        "s.dispatchEvent(new Event('input'))", index)
    wait(lambda: page.find_element("id", "day").text == day, what=f"the slider to reach {day}")


def _held_by(page, name: str):
    return page.execute_script(
        "const m = [...document.querySelectorAll('.control-marker')].find(x => x.dataset.place === arguments[0]);"
        "return m ? [m.dataset.controller, m.style.backgroundColor] : null", name)


def test_moving_the_slider_changes_who_holds_a_town(page, site):
    name, before, after = _changed_place(site)
    _move_slider(page, before["since"])
    held = wait(lambda: (_held_by(page, name) or [None])[0] == before["controller"] and _held_by(page, name),
                what=f"{name} held by {before['controller']}")
    _move_slider(page, after["since"])
    now = wait(lambda: (_held_by(page, name) or [None])[0] == after["controller"] and _held_by(page, name),
               what=f"{name} held by {after['controller']}")
    assert now[1] != held[1]  # another side, another colour
    page.save_screenshot(str(SHOTS / "slider.png"))
    # back to the last day: every event is on the map again
    last = page.execute_script("return window.sitrep.days[window.sitrep.days.length - 1]")
    _move_slider(page, last)


def test_clicking_an_event_shows_its_sentence_in_the_article(page, site):
    row = page.find_element("css selector", "#events tbody tr")
    event_id = row.get_attribute("data-id")
    row.click()
    mark = wait(lambda: page.find_elements("css selector", "#detail mark.evidence"), what="the evidence sentence")
    detail = httpx.get(f"{site}/api/events/{event_id}").json()
    sentences = {s["text"] for r in detail["reports"] for s in r["evidence"]}
    assert mark[0].text.strip() in {s.strip() for s in sentences}
    assert "selected" in row.get_attribute("class")
    # the screenshot shows the whole map beside the sources (the click zoomed in on the event)
    page.execute_script("map.fitBounds(L.latLngBounds([...window.sitrep.markers.values()].map(m => m.getLatLng()))"
                        ".pad(0.05), {animate: false})")
    time.sleep(0.5)
    page.save_screenshot(str(SHOTS / "event.png"))


def test_clicking_a_marker_on_the_map_opens_its_sources(page, site):
    page.execute_script("document.getElementById('detail').innerHTML = ''")
    event_id = page.execute_script("return [...window.sitrep.markers.keys()][0]")
    # zoomed in past the clustering zoom, as a user would, every event is a marker of its own
    page.execute_script("map.setView(window.sitrep.markers.get(arguments[0]).getLatLng(), 12, {animate: false})",
                        event_id)
    wait(lambda: page.find_elements("css selector", f'.event-marker[data-id="{event_id}"]'), what="the marker")
    time.sleep(0.3)
    # several events at one town share a spot: the one drawn on top is the one a click reaches
    on_top = page.execute_script(
        "const r = document.querySelector(`.event-marker[data-id='${arguments[0]}']`).getBoundingClientRect();"
        "return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2).closest('.event-marker')"
        ".dataset.id", event_id)
    page.find_element("css selector", f'.event-marker[data-id="{on_top}"]').click()
    mark = wait(lambda: page.find_elements("css selector", "#detail mark.evidence"), what="the clicked event's sentence")
    detail = httpx.get(f"{site}/api/events/{on_top}").json()
    assert mark[0].text.strip() in {s["text"].strip() for r in detail["reports"] for s in r["evidence"]}


def test_filters_and_sorting_work_on_the_page(page, site):
    page.execute_script("map.setZoom(5)")
    box = page.find_element("css selector", "select[name=event_type]")
    from selenium.webdriver.support.ui import Select

    Select(box).select_by_visible_text("Battles")
    page.find_element("css selector", "#filters button").click()
    battles = httpx.get(f"{site}/api/events", params={"type": "Battles", "limit": 5000}).json()["total"]
    wait(lambda: page.execute_script("return window.sitrep.events.length") == battles, what="the filtered events")
    kinds = page.execute_script("return [...new Set(window.sitrep.events.map(e => e.event_type))]")
    assert kinds == ["Battles"]
    Select(box).select_by_visible_text("all")
    page.find_element("css selector", "input[name=min_fatalities]").send_keys("1")
    page.find_element("css selector", "#filters button").click()
    deadly = httpx.get(f"{site}/api/events", params={"min_fatalities": 1, "limit": 5000}).json()["total"]
    assert 0 < deadly < httpx.get(f"{site}/api/events", params={"limit": 5000}).json()["total"]
    wait(lambda: page.execute_script("return window.sitrep.events.length") == deadly, what="the deadly events")
    page.find_element("css selector", "th[data-key=fatalities]").click()
    cells = [c.text for c in page.find_elements("css selector", "#events tbody tr td:nth-child(8)")]
    numbers = [int(c) if c else 0 for c in cells]
    assert numbers == sorted(numbers)

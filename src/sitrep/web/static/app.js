// sitrep dashboard: map, control of places, time slider, weekly chart, table and sources.
// Everything comes from the JSON API of the same server; nothing from the internet.
"use strict";

let TYPE_COLOURS = {};  // by ACLED event type, from /api/types (the report's SVG figures use the same)
const SIDE_COLOURS = ["#e03131", "#1971c2", "#2f9e44", "#f08c00", "#9c36b5", "#0c8599", "#5c940d", "#c2255c"];
const DAY_MS = 86400000;

const state = {
  events: [], days: [], markers: new Map(), controlMarkers: new Map(), sideColours: new Map(),
  sortKey: "date", sortDir: -1, selected: null, timer: null, controlRequest: 0,
};
window.sitrep = state;  // for the browser tests: what is loaded and drawn

// no tile layer (offline): the zoom range is set here, the outlines come from world-atlas
const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 13 }).setView([30, 30], 3);
const cluster = L.markerClusterGroup({ disableClusteringAtZoom: 9, maxClusterRadius: 40 });
const controlLayer = L.layerGroup();
// who holds a place is drawn as a square under the event markers, so both stay visible and clickable
map.createPane("control").style.zIndex = 590;
map.addLayer(cluster);
map.addLayer(controlLayer);

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function safeHref(url) {
  // only web links are followed: javascript:, data: and the like stay text
  try {
    const u = new URL(String(url ?? ""), window.location.href);
    return (u.protocol === "http:" || u.protocol === "https:") && /^https?:/i.test(String(url).trim()) ? u.href : null;
  } catch (err) { return null; }
}

async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(document.getElementById("filters"))) {
    if (String(v).trim() !== "") params.set(k, String(v).trim());
  }
  return params;
}

function showError(err) {
  document.getElementById("detail").innerHTML = `<p class="error">${esc(err.message || err)}</p>`;
}

async function loadOutlines() {
  const topo = await getJSON("/vendor/world-atlas/countries-50m.json");
  const land = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(land, { style: { color: "#8a8a8a", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false })
    .addTo(map).bringToBack();
}

async function loadTypes() {
  const types = await getJSON("/api/types");
  TYPE_COLOURS = types.colours;
  const select = document.querySelector("select[name=event_type]");
  for (const t of types.event_types) select.insertAdjacentHTML("beforeend", `<option>${esc(t)}</option>`);
  const subs = document.querySelector("select[name=sub_event_type]");
  for (const t of Object.keys(types.sub_event_types)) subs.insertAdjacentHTML("beforeend", `<option>${esc(t)}</option>`);
}

function sideColour(side) {
  if (!state.sideColours.has(side)) state.sideColours.set(side, SIDE_COLOURS[state.sideColours.size % SIDE_COLOURS.length]);
  return state.sideColours.get(side);
}

function eventIcon(e) {
  const size = Math.round(8 + 4 * Math.sqrt(Math.min(e.fatalities || 0, 400)));
  const colour = TYPE_COLOURS[e.event_type] || "#555";
  return L.divIcon({
    className: "", iconSize: [size, size],
    html: `<div class="event-marker" data-id="${esc(e.canonical_id || e.id)}" style="width:${size}px;height:${size}px;` +
          `border-radius:50%;background:${colour};opacity:.8;border:1px solid #333"></div>`,
  });
}

// what the map, the table and the chart need of an event (the API sends only these)
const FIELDS = "id,canonical_id,date,event_type,sub_event_type,actor1,actor2,place_name,admin1,latitude,longitude," +
               "fatalities,n_reports,confidence";
const PAGE = 5000, MAX_EVENTS = 200000, TABLE_ROWS = 500;

async function loadEvents() {
  const params = filterParams();
  const started = performance.now();
  const events = [];
  let total = 0;
  do {  // page through the API: a big database is read in pieces of 5,000
    const page = new URLSearchParams(params);
    page.set("fields", FIELDS); page.set("limit", PAGE); page.set("offset", events.length);
    const body = await getJSON(`/api/events?${page}`);
    total = body.total;
    events.push(...body.events);
    if (!body.events.length) break;
  } while (events.length < Math.min(total, MAX_EVENTS));
  state.events = events;
  state.total = total;
  state.fetchMs = performance.now() - started;
  buildMarkers();
  buildSlider();
  drawTable();
  await Promise.all([drawChart(params), showDay()]);
  state.drawMs = performance.now() - started;
}

function buildMarkers() {
  // one marker per placed event, made once; the slider only chooses which are on the map
  state.allMarkers = [];
  for (const e of state.events) {
    if (e.latitude == null || e.longitude == null) continue;
    const d = e.date ? e.date.slice(0, 10) : null;
    const m = L.marker([e.latitude, e.longitude], { icon: eventIcon(e), title: `${d || "undated"} ${e.sub_event_type} ${e.place_name || ""}` });
    m.on("click", () => select(eventKey(e)));
    state.allMarkers.push({ key: eventKey(e), day: d, marker: m });
  }
}

function eventKey(e) { return e.canonical_id || e.id; }

function buildSlider() {
  const dated = state.events.filter(e => e.date).map(e => Date.parse(e.date.slice(0, 10)));
  const slider = document.getElementById("slider");
  state.days = [];
  if (dated.length) {
    const first = Math.min(...dated), last = Math.max(...dated);
    for (let t = first; t <= last; t += DAY_MS) state.days.push(new Date(t).toISOString().slice(0, 10));
  }
  slider.max = Math.max(0, state.days.length - 1);
  slider.value = slider.max;
}

function currentDay() {
  return state.days[Number(document.getElementById("slider").value)] || null;
}

async function showDay() {
  const day = currentDay();
  document.getElementById("day").textContent = day || "no dated events";
  const all = document.getElementById("window-all").checked;
  const from = day && !all ? new Date(Date.parse(day) - 6 * DAY_MS).toISOString().slice(0, 10) : null;
  cluster.clearLayers();
  state.markers.clear();
  const layers = [];
  for (const { key, day: d, marker } of state.allMarkers) {
    if (day && d && (d > day || (from && d < from))) continue;
    state.markers.set(key, marker);
    layers.push(marker);
  }
  cluster.addLayers(layers);
  await drawControl(day);
  drawLegend();
}

async function drawControl(day) {
  const ticket = ++state.controlRequest;
  const params = new URLSearchParams();
  if (day) params.set("as_of", day);
  const country = filterParams().get("country");
  if (country) params.set("country", country);
  const body = await getJSON(`/api/control?${params}`);
  if (ticket !== state.controlRequest) return;  // a later move of the slider has asked again
  controlLayer.clearLayers();
  state.controlMarkers.clear();
  for (const p of body.periods) {
    const place = p.place;
    if (place.latitude == null) continue;
    const colour = sideColour(p.controller);
    const icon = L.divIcon({
      className: "", iconSize: [18, 18],
      html: `<div class="control-marker" data-place="${esc(place.name)}" data-controller="${esc(p.controller)}" ` +
            `style="width:18px;height:18px;background:${colour};border:2px solid #fff;outline:1px solid #333"></div>`,
    });
    const m = L.marker([place.latitude, place.longitude], { icon, pane: "control" })
      .bindTooltip(`${esc(place.name)}: held by ${esc(p.controller)} since ${esc(p.since)} (${esc(p.claim)})`);
    controlLayer.addLayer(m);
    state.controlMarkers.set(place.name, { marker: m, controller: p.controller, colour });
  }
}

function drawLegend() {
  const types = [...new Set(state.events.map(e => e.event_type))].filter(Boolean);
  let html = types.map(t => `<div><i style="background:${TYPE_COLOURS[t] || "#555"}"></i>${esc(t)}</div>`).join("");
  const sides = [...new Set([...state.controlMarkers.values()].map(c => c.controller))];
  if (sides.length) html += "<div><b>held by</b></div>" + sides.map(s => `<div><i class="held" style="background:${sideColour(s)}"></i>${esc(s)}</div>`).join("");
  document.getElementById("legend").innerHTML = html || "no events";
}

async function drawChart(params) {
  const body = await getJSON(`/api/weekly?${params}`);
  const svg = document.getElementById("chart");
  const width = svg.clientWidth || 800, height = 180, pad = 30;
  const weeks = [...new Set(body.weeks.map(w => w.week))].sort();
  if (!weeks.length) { svg.innerHTML = `<text x="10" y="20">no dated events</text>`; return; }
  const byWeek = new Map(weeks.map(w => [w, { total: 0, fatalities: 0, parts: [] }]));
  for (const c of body.weeks) {
    const w = byWeek.get(c.week);
    w.parts.push(c); w.total += c.events; w.fatalities += c.fatalities;
  }
  const maxEvents = Math.max(...[...byWeek.values()].map(w => w.total), 1);
  const maxDead = Math.max(...[...byWeek.values()].map(w => w.fatalities), 1);
  const bw = (width - 2 * pad) / weeks.length;
  let out = "", line = [];
  weeks.forEach((week, i) => {
    const w = byWeek.get(week);
    let y = height - pad;
    for (const part of w.parts) {
      const h = (height - 2 * pad) * part.events / maxEvents;
      y -= h;
      out += `<rect class="bar" x="${pad + i * bw + 1}" y="${y}" width="${Math.max(bw - 2, 1)}" height="${h}" ` +
             `fill="${TYPE_COLOURS[part.event_type] || "#555"}"><title>${esc(week)} ${esc(part.event_type)}: ${part.events} events, ${part.fatalities} killed</title></rect>`;
    }
    line.push(`${pad + (i + 0.5) * bw},${height - pad - (height - 2 * pad) * w.fatalities / maxDead}`);
  });
  out += `<polyline points="${line.join(" ")}" fill="none" stroke="#000" stroke-width="1.5" stroke-dasharray="4 2"/>`;
  out += `<text x="${pad}" y="14" font-size="11">bars: events (max ${maxEvents}/week); dashed: fatalities (max ${maxDead}/week)</text>`;
  out += `<text x="${pad}" y="${height - 8}" font-size="11">${esc(weeks[0])}</text>`;
  out += `<text x="${width - pad}" y="${height - 8}" font-size="11" text-anchor="end">${esc(weeks[weeks.length - 1])}</text>`;
  svg.innerHTML = out;
}

function drawTable() {
  const sorted = [...state.events].sort((a, b) => {
    const x = a[state.sortKey] ?? "", y = b[state.sortKey] ?? "";
    return (x < y ? -1 : x > y ? 1 : 0) * state.sortDir;
  });
  const rows = sorted.slice(0, TABLE_ROWS);  // the table shows the first rows in the chosen order
  document.getElementById("count").textContent = state.total > rows.length
    ? `${rows.length} shown (sort to see others) of ${state.total}` : rows.length;
  document.querySelectorAll("#events th").forEach(th => {
    th.className = th.dataset.key === state.sortKey ? (state.sortDir > 0 ? "sorted-asc" : "sorted-desc") : "";
  });
  document.querySelector("#events tbody").innerHTML = rows.map(e => `<tr data-id="${esc(eventKey(e))}">` +
    [e.date, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.place_name, e.admin1, e.fatalities,
     e.n_reports, e.confidence == null ? "" : Number(e.confidence).toFixed(2)].map(v => `<td>${esc(v)}</td>`).join("") + "</tr>").join("");
}

function marked(text, spans, eventIds) {
  // the article with its evidence spans (of this event) and place names marked; spans do not overlap in output
  const chosen = spans.filter(s => (s.kind === "event" && eventIds.has(s.event_id)) || s.kind === "place")
    .sort((a, b) => a.start - b.start || (a.kind === "event" ? -1 : 1));
  let out = "", at = 0;
  for (const s of chosen) {
    if (s.start < at) continue;
    out += esc(text.slice(at, s.start));
    const cls = s.kind === "event" ? "evidence" : "place";
    out += `<mark class="${cls}">${esc(text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return out + esc(text.slice(at));
}

async function select(id) {
  state.selected = id;
  document.querySelectorAll("#events tr.selected").forEach(tr => tr.classList.remove("selected"));
  const row = document.querySelector(`#events tr[data-id="${CSS.escape(id)}"]`);
  if (row) row.classList.add("selected");
  const detail = document.getElementById("detail");
  detail.innerHTML = "<p class='hint'>loading ...</p>";
  try {
    const body = await getJSON(`/api/events/${encodeURIComponent(id)}`);
    const e = body.event;
    let html = `<h2>${esc(e.sub_event_type || e.kind || "")}</h2><p>${esc(e.date || "undated")} &middot; ${esc(e.place_name || "no place")}` +
               ` &middot; ${body.reports.length} report(s)</p>`;
    const byArticle = new Map();
    for (const r of body.reports) {
      if (!byArticle.has(r.article_id)) byArticle.set(r.article_id, { report: r, ids: new Set() });
      byArticle.get(r.article_id).ids.add(r.id);
    }
    for (const [aid, { report, ids }] of byArticle) {
      const a = await getJSON(`/api/articles/${encodeURIComponent(aid)}`);
      const href = safeHref(a.url);
      const link = href ? `<a href="${esc(href)}" target="_blank" rel="noopener noreferrer">${esc(a.title || a.url)}</a>`
                        : esc(a.title || aid);
      html += `<div class="source"><b>${esc(a.source || "")}</b> ${link} <small>${esc(a.published || "")}</small> ` +
              `<a class="article-view" href="/articles/${encodeURIComponent(aid)}#event-${esc([...ids][0])}">article view</a>` +
              `<div>${esc(report.actor1 || "")}${report.actor2 ? " vs " + esc(report.actor2) : ""}; status ${esc(report.status)}, ${esc(report.claim)}</div>` +
              `<div class="article">${marked(a.text, a.spans, ids)}</div></div>`;
    }
    detail.innerHTML = html;
    const first = detail.querySelector("mark.evidence");
    if (first) first.scrollIntoView({ block: "center" });
  } catch (err) { showError(err); }
}

function play() {
  const slider = document.getElementById("slider");
  const button = document.getElementById("play");
  if (state.timer) { clearInterval(state.timer); state.timer = null; button.innerHTML = "&#9654;"; return; }
  if (Number(slider.value) >= Number(slider.max)) slider.value = 0;
  const step = Math.max(1, Math.round(Number(slider.max) / 120));
  button.innerHTML = "&#10074;&#10074;";
  state.timer = setInterval(() => {
    slider.value = Math.min(Number(slider.max), Number(slider.value) + step);
    showDay();
    if (Number(slider.value) >= Number(slider.max)) play();
  }, 250);
}

document.getElementById("filters").addEventListener("submit", ev => { ev.preventDefault(); loadEvents().catch(showError); });
document.getElementById("slider").addEventListener("input", () => showDay().catch(showError));
document.getElementById("window-all").addEventListener("change", () => showDay().catch(showError));
document.getElementById("play").addEventListener("click", play);
document.querySelector("#events thead").addEventListener("click", ev => {
  const key = ev.target.dataset.key;
  if (!key) return;
  state.sortDir = key === state.sortKey ? -state.sortDir : 1;
  state.sortKey = key;
  drawTable();
});
document.querySelector("#events tbody").addEventListener("click", ev => {
  const tr = ev.target.closest("tr");
  if (!tr) return;
  const m = state.markers.get(tr.dataset.id);
  if (m) cluster.zoomToShowLayer(m, () => {});
  select(tr.dataset.id);
});

(async () => {
  try {
    await Promise.all([loadOutlines(), loadTypes()]);
    await loadEvents();
    const placed = state.events.filter(e => e.latitude != null);
    if (placed.length) map.fitBounds(L.latLngBounds(placed.map(e => [e.latitude, e.longitude])).pad(0.2));
    state.ready = true;
    document.body.dataset.ready = "1";
  } catch (err) { showError(err); }
})();

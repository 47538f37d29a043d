// The page: opens scenarios, hands them to the worker (hopsim.wasm), and
// paints the pictures the worker's scene model draws. Every layout and
// labelling rule is in the model; this file only paints items, keeps the
// clock and turns keys and clicks into the view the model draws.
"use strict";

const $ = (id) => document.getElementById(id);
const canvas = $("picture");
const ctx = canvas.getContext("2d");
// The picture is laid out for the size it is shown at (the model places every
// label for that size), in CSS pixels, and painted at the screen's density.
const size = {w: 1280, h: 720};
function fit() {
  const top = canvas.getBoundingClientRect().top + window.scrollY;
  size.w = Math.max(640, Math.floor($("stage").clientWidth - 18));
  size.h = Math.max(400, Math.floor(window.innerHeight - top - $("controls").offsetHeight - 24));
  const dpr = window.devicePixelRatio || 1;
  canvas.style.width = `${size.w}px`;
  canvas.style.height = `${size.h}px`;
  canvas.width = Math.round(size.w * dpr);
  canvas.height = Math.round(size.h * dpr);
  redraw();
}
window.addEventListener("resize", fit);

// ---- talking to the worker ----

const worker = new Worker("worker.js");
let nextId = 1;
const pending = new Map();
worker.onmessage = (e) => {
  const m = e.data;
  if (m.kind === "progress") {
    const pct = m.until > 0 ? Math.min(100, (100 * m.now) / m.until) : 0;
    status(`simulating${m.pane ? " the second scenario" : ""}: ${formatTime(m.now)} of ${formatTime(m.until)} (${pct.toFixed(0)}%)`);
    return;
  }
  const p = pending.get(m.id);
  pending.delete(m.id);
  if (m.error !== undefined) p.reject(new Error(m.error));
  else p.resolve(m.result);
};
window.hopsimCall = (cmd, args) => call(cmd, args);  // bench/web_bench drives the worker through it
function call(cmd, args = {}) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, {resolve, reject});
    worker.postMessage({id, cmd, ...args});
  });
}

// ---- state ----

const protos = [null, "ARP", "ICMP", "UDP", "TCP", "raw"];
const state = {
  loaded: false, playing: false, t: 0, end: 0, speed: 1e6, natural: 1e6,
  view: {panel: true, ports: false, addresses: false, diff: false, hover: -1, focus: 0, tables: [],
         sel: {event: -1, field: -1, filter: "", search: "", list_scroll: 0, hex_scroll: 0}},
  hits: [], panes: 1, summaries: [], busy: false, last: 0, dirty: true, files: [], links: [], names: ["", ""],
};

function status(text, bad = false) {
  $("status").textContent = text;
  $("status").classList.toggle("bad", bad);
}

function formatTime(ns) {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(3)}s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)}ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(3)}us`;
  return `${Math.round(ns)}ns`;
}

// ---- painting the model's items ----

function rgba(n) {
  return `rgba(${(n >>> 24) & 255},${(n >>> 16) & 255},${(n >>> 8) & 255},${(n & 255) / 255})`;
}
const faces = ['"DejaVu Sans"', '"DejaVu Sans Mono"', 'bold "DejaVu Sans"'];

function polygonPath(x, y, w, sides, grow) {
  const cx = x + w / 2, cy = y + w / 2, r = w / 2 + grow;
  ctx.beginPath();
  for (let k = 0; k <= sides; ++k) {
    const a = (2 * Math.PI * k) / sides - Math.PI / 2;
    const px = cx + r * Math.cos(a), py = cy + r * Math.sin(a);
    if (k === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

function paint(items) {
  const dpr = canvas.width / size.w;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.w, size.h);
  ctx.textBaseline = "alphabetic";
  for (const it of items) {
    switch (it[0]) {
      case "r": {
        const [, x, y, w, h, fill, stroke, width] = it;
        if (fill & 255) { ctx.fillStyle = rgba(fill); ctx.fillRect(x, y, w, h); }
        if ((stroke & 255) && width > 0) {  // outside the rectangle, as the window draws it
          ctx.strokeStyle = rgba(stroke); ctx.lineWidth = width;
          ctx.strokeRect(x - width / 2, y - width / 2, w + width, h + width);
        }
        break;
      }
      case "p": {
        const [, x, y, w, , sides, fill, stroke, width] = it;
        if (fill & 255) { polygonPath(x, y, w, sides, 0); ctx.fillStyle = rgba(fill); ctx.fill(); }
        if ((stroke & 255) && width > 0) { polygonPath(x, y, w, sides, width / 2); ctx.strokeStyle = rgba(stroke); ctx.lineWidth = width; ctx.stroke(); }
        break;
      }
      case "v": {
        const [, ax, ay, bx, by, cx, cy, fill] = it;
        ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.lineTo(cx, cy); ctx.closePath();
        ctx.fillStyle = rgba(fill); ctx.fill();
        break;
      }
      case "l": {
        const [, ax, ay, bx, by, colour, width] = it;
        ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by);
        ctx.strokeStyle = rgba(colour); ctx.lineWidth = Math.max(1, width); ctx.stroke();
        break;
      }
      case "t": {
        const [, text, x, y, size, face, colour, backdrop, w, h] = it;
        if (backdrop) { ctx.fillStyle = "rgba(255,255,255,0.88)"; ctx.fillRect(x, y, w, h); }
        ctx.font = `${size}px ${faces[face]}`;
        ctx.fillStyle = rgba(colour);
        ctx.fillText(text, x + 2, y + size);  // the text's top at y, its baseline a size below, as the window places it
        break;
      }
    }
  }
}

// ---- the clock ----

function viewNow() {
  const v = structuredClone(state.view);
  v.t = state.t;
  v.recent = Math.floor(state.speed / 2);
  v.status = `${state.playing ? "playing" : "paused"}  x${formatTime(state.speed)}/s  [h] keys`;
  return v;
}

async function tick(now) {
  requestAnimationFrame(tick);
  if (!state.loaded || state.busy) return;
  const dt = state.last ? Math.min(0.1, (now - state.last) / 1000) : 0;
  state.last = now;
  if (!state.playing && !state.dirty) return;
  state.busy = true;
  state.dirty = false;
  try {
    const f = await call("tick", {view: viewNow(), playing: state.playing, step: Math.max(1, Math.round(state.speed * dt)),
                                   end: state.end, width: size.w, height: size.h});
    if (state.playing && f.t >= state.end) state.playing = false;
    state.t = f.t;
    state.hits = f.hits;
    paint(f.items);
    window.hopsimLastItems = f.items;  // what tests read the picture from (texts and shapes, not pixels)
    if (!document.body.dataset.firstFrame) document.body.dataset.firstFrame = performance.now().toFixed(0);  // bench/web_bench reads it
    $("scrub").value = state.end ? Math.round((1000 * state.t) / state.end) : 0;
    $("play").textContent = state.playing ? "❚❚" : "▶";
    $("speed").textContent = `${formatTime(state.speed)}/s`;
  } finally {
    state.busy = false;
  }
}
requestAnimationFrame(tick);

function redraw() { state.dirty = true; }

async function select(event, keepTime = false) {
  state.view.sel.event = event;
  state.view.sel.field = -1;
  state.view.sel.hex_scroll = 0;
  if (event >= 0 && !keepTime) state.t = await call("eventTime", {pane: state.view.focus, event});
  if (state.view.diff && !(await call("hasPacket", {pane: state.view.focus, event}))) state.view.diff = $("diff").checked = false;
  state.playing = false;
  redraw();
}

// ---- opening and running scenarios ----

async function runTexts(name1, text1, name2, text2) {
  state.loaded = false;
  document.body.dataset.state = "running";
  $("problems").textContent = "";
  status("reading the scenario…");
  const load = await call("load", {name1, text1, name2, text2});
  if (!load.ok) {
    for (const f of load.problems) for (const p of f.problems) {
      const li = document.createElement("li");
      li.textContent = `${f.file}: ${p}`;
      $("problems").appendChild(li);
    }
    $("editor").hidden = false;
    status(`${load.problems.reduce((n, f) => n + f.problems.length, 0)} problem(s) in the scenario: see the list under the text`, true);
    document.body.dataset.state = "error";
    return;
  }
  const started = performance.now();
  const r = await call("run");
  state.end = r.end_ns;
  state.natural = state.speed = r.speed_ns;
  state.t = 0;
  state.panes = r.summaries.length;
  state.files = r.trace_files;
  state.links = r.links;
  state.names = [name1, name2];
  state.view.focus = 0;
  state.view.panel = $("panel").checked = state.panes === 1;
  state.view.sel = {event: -1, field: -1, filter: "", search: "", list_scroll: 0, hex_scroll: 0};
  state.view.diff = $("diff").checked = false;
  state.view.tables = [];
  tableKind = 0;
  state.summaries = r.summaries;
  $("summary").textContent = r.summaries[0];
  status(`ran in ${((performance.now() - started) / 1000).toFixed(2)} s (${r.events.join(" + ")} events); space plays`);
  fillDownloads();
  state.loaded = true;
  state.playing = false;
  redraw();
  await showExpectations();
  await showQuiz();
  document.body.dataset.state = "done";
}

async function showExpectations() {
  const results = await call("expectations", {pane: 0});
  $("checks").hidden = results.length === 0;
  $("expect").textContent = "";
  for (const r of results) {
    const li = document.createElement("li");
    li.className = r.pass ? "pass" : "fail";
    li.innerHTML = "<span></span> <span class=evidence></span>";
    li.children[0].textContent = r.expected;
    li.children[1].textContent = `(${r.evidence})`;
    $("expect").appendChild(li);
  }
}

async function showQuiz() {
  const questions = await call("quiz");
  $("quiz-box").hidden = questions.length === 0;
  const box = $("quiz");
  box.textContent = "";
  questions.forEach((q, n) => {
    const div = document.createElement("div");
    const p = document.createElement("p");
    p.textContent = `${n + 1}. ${q.prompt}`;
    const go = document.createElement("button");
    go.textContent = "show that moment";
    go.onclick = () => { state.t = q.t; state.playing = false; redraw(); };
    p.append(" ", go);
    div.appendChild(p);
    const why = document.createElement("p");
    q.choices.forEach((c, k) => {
      const b = document.createElement("button");
      b.className = "choice";
      b.textContent = `${k + 1}. ${c}`;
      b.onclick = () => {
        why.className = k === q.answer ? "right" : "wrong";
        why.textContent = `${k === q.answer ? "Right." : `No: it is ${q.answer + 1}.`} ${q.why}`;
        state.t = Math.min(q.t + state.speed, state.end); state.playing = false; redraw();
      };
      div.appendChild(b);
    });
    div.appendChild(why);
    box.appendChild(div);
  });
}

function download(name, data, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([data], {type}));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function fillDownloads() {
  const list = $("download-list");
  list.textContent = "";
  const add = (label, fn) => {
    const a = document.createElement("a");
    a.href = "#";
    a.textContent = label;
    a.onclick = (e) => { e.preventDefault(); fn(); };
    list.appendChild(a);
  };
  const base = (i) => (state.names[i] || "scenario").replace(/\.json$/, "").replace(/.*\//, "");
  for (let i = 0; i < state.panes; ++i) {
    add(`${base(i)}: summary.json`, async () => download(`${base(i)}-summary.json`, state.summaries[i], "application/json"));
    add(`${base(i)}: trace.jsonl`, async () => download(`${base(i)}-trace.jsonl`, await call("textFile", {path: state.files[i]}), "application/x-ndjson"));
    for (const [link, path] of state.links[i])
      add(`${base(i)}: ${link}.pcap (Wireshark)`, async () => download(path.replace(/.*\//, ""), await call("file", {path}), "application/vnd.tcpdump.pcap"));
  }
  add("a link that reopens this scenario", () => {
    const text = $("text").value;
    const url = `${location.origin}${location.pathname}#text=${encodeURIComponent(btoa(unescape(encodeURIComponent(text))))}`;
    navigator.clipboard?.writeText(url).catch(() => {});
    prompt("The link (copied if the browser allows):", url);
  });
}

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status} ${r.statusText}`);
  return r.text();
}

async function openLesson() {
  try {
    const a = $("lesson").value, b = $("lesson2").value;
    const text1 = await fetchText(a), text2 = b ? await fetchText(b) : "";
    $("text").value = text1;
    await runTexts(a, text1, b, text2);
  } catch (e) {
    status(String(e.message || e), true);
    document.body.dataset.state = "error";
  }
}

async function openText(name, text) {
  $("text").value = text;
  $("lesson2").value = "";
  await runTexts(name, text, "", "");
}

$("lesson").onchange = openLesson;
$("lesson2").onchange = openLesson;
$("run").onclick = () => runTexts("editor", $("text").value, "", "");
$("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && e.ctrlKey) $("run").click(); });

// Hints while editing: the scenario schema's description of the key at the cursor.
let schemaHints = null;
fetchText("scenarios/scenario.schema.json").then((t) => {
  schemaHints = new Map();
  const walk = (node) => {
    if (!node || typeof node !== "object") return;
    if (node.properties)
      for (const [k, v] of Object.entries(node.properties))
        if (v && v.description && !schemaHints.has(k)) schemaHints.set(k, v.description);
    for (const v of Object.values(node)) walk(v);
  };
  walk(JSON.parse(t));
}).catch(() => {});
function showHint() {
  if (!schemaHints) return;
  const before = $("text").value.slice(0, $("text").selectionStart);
  const keys = [...before.matchAll(/"([A-Za-z_]+)"\s*:/g)];
  const key = keys.length ? keys[keys.length - 1][1] : "";
  $("hint").textContent = schemaHints.has(key) ? `${key}: ${schemaHints.get(key)}` : "";
}
$("text").addEventListener("keyup", showHint);
$("text").addEventListener("click", showHint);
$("toggle-editor").onclick = () => { $("editor").hidden = !$("editor").hidden; fit(); };
$("file").onchange = async () => {
  const f = $("file").files[0];
  if (f) await openText(f.name, await f.text());
};
document.addEventListener("dragover", (e) => e.preventDefault());
document.addEventListener("drop", async (e) => {
  e.preventDefault();
  const f = e.dataTransfer.files[0];
  if (f) await openText(f.name, await f.text());
});

// ---- controls ----

$("play").onclick = () => { state.playing = !state.playing; if (state.t >= state.end) state.t = 0; redraw(); };
$("next").onclick = async () => { state.t = await call("next", {t: state.t}); state.playing = false; redraw(); };
$("prev").onclick = async () => { state.t = await call("prev", {t: state.t}); state.playing = false; redraw(); };
$("faster").onclick = () => { state.speed *= 2; redraw(); };
$("slower").onclick = () => { state.speed = Math.max(10, Math.floor(state.speed / 2)); redraw(); };
$("scrub").oninput = () => { state.t = Math.round((state.end * $("scrub").value) / 1000); state.playing = false; redraw(); };
for (const k of ["panel", "ports", "addresses"]) $(k).onchange = () => { state.view[k] = $(k).checked; redraw(); };
$("diff").onchange = async () => {
  const ok = await call("hasPacket", {pane: state.view.focus, event: state.view.sel.event});
  state.view.diff = $("diff").checked = $("diff").checked && ok;
  if (!ok) status("the hop-by-hop table is about a packet: click a frame or an event with one first");
  redraw();
};
$("search").oninput = () => { state.view.sel.search = $("search").value; state.view.sel.list_scroll = 0; state.view.panel = $("panel").checked = true; redraw(); };
$("search").onkeydown = (e) => { if (e.key === "Enter" || e.key === "Escape") canvas.focus(); };
$("help-button").onclick = () => { $("help").hidden = !$("help").hidden; };

function canvasPoint(e) {
  const r = canvas.getBoundingClientRect();
  return [((e.clientX - r.left) * size.w) / r.width, ((e.clientY - r.top) * size.h) / r.height];
}
function hitAt(x, y, parts) {
  return state.hits.find((h) => parts.includes(h[0]) && x >= h[1] && x < h[1] + h[3] && y >= h[2] && y < h[2] + h[4]);
}

canvas.onclick = async (e) => {
  if (!state.loaded) return;
  canvas.focus();
  const [x, y] = canvasPoint(e);
  const hit = hitAt(x, y, [0, 1]);  // a list row or a field
  if (hit) {
    if (hit[5] >= 0) await select(hit[5]);
    if (hit[6] >= 0) { state.view.sel.field = hit[6]; redraw(); }
    return;
  }
  const at = await call("at", {x, y, width: size.w, height: size.h, view: viewNow()});
  if (at.event >= 0) {
    state.view.focus = at.pane;
    await select(at.event, true);  // the frame stays where it was clicked
  }
};
let hovering = false;
canvas.onmousemove = async (e) => {
  if (!state.loaded || hovering) return;
  hovering = true;
  const [x, y] = canvasPoint(e);
  const at = await call("at", {x, y, width: size.w, height: size.h, view: viewNow()});
  const hover = at.pane === state.view.focus ? at.node : -1;
  if (hover !== state.view.hover) { state.view.hover = hover; redraw(); }
  hovering = false;
};
canvas.addEventListener("wheel", (e) => {
  const [x, y] = canvasPoint(e);
  const hit = hitAt(x, y, [2, 3]);
  if (!hit) return;
  e.preventDefault();
  const steps = Math.sign(e.deltaY);
  if (hit[0] === 2) state.view.sel.list_scroll -= 3 * steps;
  else state.view.sel.hex_scroll += 2 * steps;
  redraw();
}, {passive: false});

canvas.addEventListener("keydown", async (e) => {
  if (!state.loaded) return;
  const sel = state.view.sel, pane = state.view.focus;
  switch (e.key) {
    case " ": $("play").click(); break;
    case "ArrowRight": $("next").click(); break;
    case "ArrowLeft": $("prev").click(); break;
    case "ArrowUp": $("faster").click(); break;
    case "ArrowDown": $("slower").click(); break;
    case "Home": state.t = 0; redraw(); break;
    case "h": $("help-button").click(); break;
    case "i": $("panel").click(); break;
    case "p": $("ports").click(); break;
    case "t": await nextTables(); break;
    case "a": $("addresses").click(); break;
    case "d": $("diff").checked = !$("diff").checked; $("diff").onchange(); break;
    case "/": $("search").focus(); break;
    case "f": sel.filter = protos[(protos.indexOf(sel.filter || null) + 1) % protos.length] || ""; redraw(); break;
    case "[": case "]":
      await select(await call("stepList", {pane, event: sel.event, t: state.t, dir: e.key === "[" ? -1 : 1, filter: sel.filter, search: sel.search}));
      break;
    case ",": sel.field = Math.max(sel.field - 1, 0); redraw(); break;
    case ".": sel.field = Math.min(sel.field + 1, (await call("fieldCount", {pane, event: sel.event})) - 1); redraw(); break;
    case "Tab":
      state.view.focus = (state.view.focus + 1) % state.panes;
      sel.event = sel.field = -1;
      redraw();
      break;
    default: return;
  }
  e.preventDefault();
});

// t: the tables shown cycle through as many as fit, then only the routes,
// only the MAC tables, only the ARP caches; a kind the scenario lacks is skipped.
const tableKinds = ["", ".routes", ".mac", ".arp"];
let tableKind = 0;
async function nextTables() {
  const names = await call("tables", {pane: state.view.focus});
  for (let k = 0; k < tableKinds.length; ++k) {
    tableKind = (tableKind + 1) % tableKinds.length;
    const chosen = tableKind ? names.filter((n) => n.endsWith(tableKinds[tableKind])) : [];
    if (tableKind === 0 || chosen.length) {
      state.view.tables = chosen;
      status(tableKind ? `showing every ${tableKinds[tableKind].slice(1)} table (t: next)` : "showing as many tables as fit (t: next)");
      break;
    }
  }
  redraw();
}

// ---- start: the bundled lessons, or what the address asks for ----

(async () => {
  try {
    const index = JSON.parse(await fetchText("scenarios/index.json"));
    for (const sel of [$("lesson"), $("lesson2")])
      for (const f of index) sel.add(new Option(f.replace(/\.json$/, ""), `scenarios/${f}`));
    const params = new URLSearchParams(location.search);
    const hash = new URLSearchParams(location.hash.slice(1));
    fit();
    await document.fonts.load('12px "DejaVu Sans"');
    await document.fonts.load('12px "DejaVu Sans Mono"');
    if (hash.get("text")) {
      await openText("link", decodeURIComponent(escape(atob(hash.get("text")))));
    } else {
      if (params.get("scenario")) {
        const s = params.get("scenario");
        if (![...$("lesson").options].some((o) => o.value === s)) $("lesson").add(new Option(s, s));
        $("lesson").value = s;
      }
      if (params.get("with")) {
        const s = params.get("with");
        if (![...$("lesson2").options].some((o) => o.value === s)) $("lesson2").add(new Option(s, s));
        $("lesson2").value = s;
      }
      await openLesson();
    }
  } catch (e) {
    status(String(e.message || e), true);
    document.body.dataset.state = "error";
  }
})();

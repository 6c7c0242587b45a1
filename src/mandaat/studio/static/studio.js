// mandaat studio: the page's own script. Plain JavaScript, nothing loaded from elsewhere.
// It keeps the draft (the facts as the page shows them), sends it to the server on every change
// (debounced), and puts the server's answer on the page. Every text it shows goes in as text, never as
// markup; the verdict panel is an HTML fragment the server rendered with autoescaping. A call that a
// newer one of its kind makes stale is aborted, so that the server stops working on it. Indicators are
// shown by their labels in the page's language; their identifiers are what files and the server use.
"use strict";

const DATA = JSON.parse(document.getElementById("studio-data").textContent);
const TOKEN = document.querySelector('meta[name="mandaat-token"]').content;
const W = DATA.words;
const DRAFT = DATA.draft;
let sequence = 0;
let previousReasons = null;
let evaluateTimer = null;
let marksTimer = null;
let added = 0;
const pending = {};  // the call of each kind in flight, to abort when a newer one starts
const ABORTABLE = new Set(["/api/evaluate", "/api/marks", "/api/grid"]);  // never a save or an export

function $(id) { return document.getElementById(id); }

function make(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function option(select, value, text, selected) {
  const node = make("option", { value: value }, text);
  if (selected) node.selected = true;
  select.appendChild(node);
}

async function call(path, body) {
  let mine = null;
  if (ABORTABLE.has(path)) {
    if (pending[path]) pending[path].abort();
    mine = pending[path] = new AbortController();
  }
  const aborted = () => mine !== null && mine.signal.aborted;
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Mandaat-Token": TOKEN },
      body: JSON.stringify(body),
      credentials: "omit",
      signal: mine ? mine.signal : undefined,
    });
    try { return await response.json(); } catch (e) {
      return aborted() ? { aborted: true } : { error: W.no_answer + " (" + response.status + ")" };
    }
  } catch (e) {
    return aborted() ? { aborted: true } : { error: W.no_answer };
  } finally {
    if (mine !== null && pending[path] === mine) delete pending[path];
  }
}

function label(name) { return DATA.indicators[name] ? DATA.indicators[name].label : name; }

function say(text, kind) {
  const box = $("message");
  box.textContent = text;
  box.className = "message " + (kind || "");
}

// ---- the facts ----

function isNumeric(ind) { return ind.type === "number" || ind.type === "integer"; }

function sliderTop(fact, ticks) {
  let top = Math.max(10, 2 * Number(fact.value || 0));
  for (const tick of ticks || []) top = Math.max(top, Math.ceil(tick.at * 1.25));
  const ind = DATA.indicators[fact.indicator];
  return ind.maximum !== null ? Math.min(top, ind.maximum) : top;
}

function valueControl(fact, ind, cell) {
  const id = "value-" + fact.id;
  if (ind.type === "boolean") {
    const box = make("input", { type: "checkbox", role: "switch", id: id, "aria-label": ind.label });
    box.checked = fact.value === true;
    box.addEventListener("change", () => { fact.value = box.checked; changed(0); });
    const label = make("label", { class: "switch", for: id });
    label.append(box, make("span", { class: "switch-text" }, box.checked ? W.yes : W.no));
    box.addEventListener("change", () => { label.lastChild.textContent = box.checked ? W.yes : W.no; });
    cell.appendChild(label);
  } else if (ind.type === "enum") {
    const select = make("select", { id: id, "aria-label": ind.label });
    for (const [value, text] of Object.entries(ind.values)) option(select, value, text, value === fact.value);
    select.addEventListener("change", () => { fact.value = select.value; changed(0); });
    cell.appendChild(select);
  } else {
    const low = ind.minimum === null ? 0 : ind.minimum;
    const wrap = make("div", { class: "slider" });
    const range = make("input", { type: "range", id: id, min: low, max: sliderTop(fact), step: 1,
      "aria-label": ind.label, "data-indicator": fact.indicator });
    range.value = fact.value;
    const number = make("input", { type: "number", id: "number-" + fact.id, min: low,
      step: ind.type === "integer" ? 1 : "any", "aria-label": ind.label });
    if (ind.maximum !== null) number.max = ind.maximum;
    number.value = fact.value;
    range.addEventListener("input", () => { number.value = range.value; fact.value = Number(range.value); changed(150); });
    number.addEventListener("input", () => {
      if (number.value === "" || !number.checkValidity()) return;
      fact.value = Number(number.value);
      if (fact.value > Number(range.max)) range.max = sliderTop(fact);
      range.value = fact.value;
      changed(150);
    });
    wrap.append(range, make("div", { class: "ticks", id: "ticks-" + fact.id }));
    cell.append(wrap, number, make("span", { class: "unit" }, ind.unit));
  }
}

function factRow(fact) {
  const ind = DATA.indicators[fact.indicator];
  const row = make("div", { class: "fact", id: "fact-" + fact.id, "data-indicator": fact.indicator });
  const name = make("div", { class: "fact-name", title: ind.description });
  name.append(make("strong", { class: "fact-label" }, ind.label), make("span", { class: "fact-id" }, fact.id));
  const control = make("div", { class: "fact-value" });
  valueControl(fact, ind, control);
  const grade = make("select", { id: "grade-" + fact.id, "aria-label": W.grade, title: W.grade });
  for (const g of DATA.grades) option(grade, g, g, g === fact.grade);
  grade.addEventListener("change", () => { fact.grade = grade.value; changed(0); });
  const date = make("input", { type: "date", id: "date-" + fact.id, "aria-label": W.date, title: W.date });
  date.value = fact.date;
  date.addEventListener("change", () => { if (date.value) { fact.date = date.value; changed(0); } });
  const remove = make("button", { type: "button", class: "remove", id: "remove-" + fact.id, title: W.remove }, "×");
  remove.addEventListener("click", () => {
    DRAFT.observations = DRAFT.observations.filter((f) => f !== fact);
    row.remove();
    changed(0);
  });
  row.append(name, control, grade, date, remove);
  return row;
}

function drawFacts() {
  const list = $("observations");
  list.replaceChildren(...DRAFT.observations.map(factRow));
  $("assessed-on").value = DRAFT.assessed_on;
  const theory = $("theory");
  theory.replaceChildren();
  for (const [name, title] of Object.entries(DATA.theories)) option(theory, name, title, name === DRAFT.theory);
  const judged = $("proportionality");
  judged.replaceChildren();
  const now = DRAFT.proportionality === null ? "none" : String(DRAFT.proportionality);
  for (const [value, text] of [["true", W.judged_holds], ["false", W.judged_fails], ["none", W.judged_none]]) {
    option(judged, value, text, value === now);
  }
  const add = $("add-indicator");
  add.replaceChildren();
  for (const [name, ind] of Object.entries(DATA.indicators)) option(add, name, ind.label);
}

function setupFacts() {
  $("assessed-on").addEventListener("change", (e) => { if (e.target.value) { DRAFT.assessed_on = e.target.value; changed(0); } });
  $("theory").addEventListener("change", (e) => { DRAFT.theory = e.target.value; changed(0); });
  $("proportionality").addEventListener("change", (e) => {
    DRAFT.proportionality = e.target.value === "none" ? null : e.target.value === "true";
    changed(0);
  });
  $("add-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const ind = DATA.indicators[$("add-indicator").value];
    const ids = new Set(DRAFT.observations.map((f) => f.id));
    let id;
    do { added += 1; id = "studio-" + added; } while (ids.has(id));
    const value = ind.type === "boolean" ? false : ind.type === "enum" ? Object.keys(ind.values)[0] : (ind.minimum || 0);
    const fact = { id: id, indicator: ind.name, value: value, grade: "A1", date: DRAFT.assessed_on };
    DRAFT.observations.push(fact);
    $("observations").appendChild(factRow(fact));
    changed(0);
  });
}

// ---- the verdict ----

function changed(delay) {
  clearTimeout(evaluateTimer);
  evaluateTimer = setTimeout(evaluate, delay);
}

async function evaluate() {
  const mine = ++sequence;
  const answer = await call("/api/evaluate", DRAFT);
  if (mine !== sequence || answer.aborted) return;
  if (answer.error) { say(answer.error, "error"); $("studio").dataset.state = "error"; return; }
  say("", "");
  const panel = $("panel");
  panel.innerHTML = answer.panel;
  const reasons = new Set();
  for (const node of panel.querySelectorAll("[data-reason]")) {
    reasons.add(node.dataset.reason);
    if (previousReasons && !previousReasons.has(node.dataset.reason)) {
      node.classList.add("changed");
      const details = node.closest("details");
      if (details) details.open = true;
    }
  }
  previousReasons = reasons;
  $("timing").textContent = W.answered_in.replace("{ms}", answer.ms);
  $("studio").dataset.state = "ready";
  $("studio").dataset.sequence = String(mine);
  clearTimeout(marksTimer);
  marksTimer = setTimeout(() => drawMarks(mine), 300);
}

async function drawMarks(mine) {
  $("marks-state").textContent = W.marks_busy;
  const answer = await call("/api/marks", DRAFT);
  if (answer.aborted) return;  // a newer call is on its way
  $("marks-state").textContent = "";
  if (mine !== sequence || answer.error) return;
  for (const fact of DRAFT.observations) {
    const box = $("ticks-" + fact.id);
    if (!box) continue;
    const range = $("value-" + fact.id);
    const ticks = answer.marks[fact.indicator] || [];
    range.max = Math.max(Number(range.max), sliderTop(fact, ticks));
    const low = Number(range.min), span = Math.max(Number(range.max) - low, 1);
    box.replaceChildren(...ticks.map((tick) => {
      const mark = make("span", { class: "tick " + tick.direction, title: tick.text + " (" + tick.at + ")",
        "data-at": tick.at, "data-target": tick.target });
      mark.style.left = (100 * (tick.at - low) / span) + "%";
      return mark;
    }));
  }
  $("studio").dataset.marks = String(mine);
}

// ---- the map ----

function setupMap() {
  // The map opens on the two indicators that decide the verdict, as the server names them.
  for (const [id, index] of [["map-x", 0], ["map-y", 1]]) {
    for (const name of DATA.numeric) option($(id), name, label(name), name === DATA.map_axes[index]);
  }
  for (const [name, text] of Object.entries(DATA.bases)) option($("map-basis"), name, text);
  $("map-form").addEventListener("submit", (e) => { e.preventDefault(); drawMap(); });
  $("map-basis").addEventListener("change", drawMap);
  const legend = $("legend");
  for (const [name, text] of Object.entries(DATA.verdicts)) legend.appendChild(make("span", { class: "o-" + name }, text));
}

async function drawMap() {
  say(W.map_busy, "busy");
  const answer = await call("/api/grid", { draft: DRAFT, x: $("map-x").value, y: $("map-y").value });
  if (answer.aborted) return;
  if (answer.error) { say(answer.error, "error"); return; }
  say(W.answered_in.replace("{ms}", answer.ms), "");
  const basis = $("map-basis").value;
  const table = make("table", { class: "grid", id: "grid-table" });
  const head = make("tr");
  const xLabel = label(answer.x.indicator), yLabel = label(answer.y.indicator);
  head.appendChild(make("th", { class: "axis" }, yLabel + " \\ " + xLabel));
  for (const x of answer.x.values) head.appendChild(make("th", { scope: "col" }, String(x)));
  table.appendChild(head);
  const byRow = new Map();
  for (const cell of answer.cells) {
    if (!byRow.has(cell.y)) byRow.set(cell.y, []);
    byRow.get(cell.y).push(cell);
  }
  for (const y of [...answer.y.values].reverse()) {
    const row = make("tr");
    row.appendChild(make("th", { scope: "row" }, String(y)));
    for (const cell of byRow.get(y)) {
      const verdict = cell.verdicts[basis];
      const current = cell.x === answer.current.x && cell.y === answer.current.y;
      const td = make("td", { class: "cell o-" + verdict + (current ? " current" : ""), "data-verdict": verdict,
        title: xLabel + " " + cell.x + ", " + yLabel + " " + cell.y + ": " + DATA.verdicts[verdict] });
      td.textContent = current ? "●" : "";
      td.addEventListener("click", () => moveTo(answer.x.indicator, cell.x, answer.y.indicator, cell.y));
      row.appendChild(td);
    }
    table.appendChild(row);
  }
  $("grid").replaceChildren(table);
}

function moveTo(xName, x, yName, y) {
  for (const [name, value] of [[xName, x], [yName, y]]) {
    const facts = DRAFT.observations.filter((f) => f.indicator === name);
    if (facts.length === 0) {
      $("add-indicator").value = name;
      $("add-form").requestSubmit();
      facts.push(DRAFT.observations[DRAFT.observations.length - 1]);
    }
    for (const fact of facts) fact.value = value;
  }
  drawFacts();
  clearTimeout(evaluateTimer);
  evaluate().then(drawMap);
}

// ---- the actions ----

function setupActions() {
  for (const name of DATA.scenarios) option($("open-file"), name, name, DRAFT && name === DRAFT.file);
  $("open-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const query = new URLSearchParams({ token: TOKEN, file: $("open-file").value });
    window.location.assign("/?" + query.toString());
  });
  for (const name of DATA.exports) option($("export-format"), name, name);
  $("save-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const answer = await call("/api/save", { draft: DRAFT, name: $("save-name").value });
    if (answer.error) { say(answer.error, "error"); return; }
    say(W.saved.replace("{file}", answer.file), "done");
    if (!DATA.scenarios.includes(answer.file)) option($("open-file"), answer.file, answer.file, false);
  });
  $("export-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const answer = await call("/api/export", { draft: DRAFT, format: $("export-format").value });
    say(answer.error || W.exported.replace("{file}", answer.file), answer.error ? "error" : "done");
  });
}

setupActions();
if (DRAFT) {
  drawFacts();
  setupFacts();
  setupMap();
  evaluate();
} else {
  $("studio").hidden = true;
  say(W.choose_scenario, "");
}
if (DATA.problem) say(DATA.problem, "error");

// escalate workshop page. Hand-written, no libraries: it reads the
// scenario, turns the controls into the command line's --set, --event,
// --shock and --disable values, runs the what-if and draws the aggregates
// the server streams.
'use strict';

const STAGE = { latent: '#009e73', escalating: '#e69f00', war: '#d55e00' };
const token = new URLSearchParams(location.search).get('token');
const client = Math.random().toString(36).slice(2);
const $ = (id) => document.getElementById(id);

let desc = null;        // the scenario as /api/scenario describes it
let pasted = '';        // the pasted source, when not a shipped scenario
let events = [];        // --event values
let shocks = [];        // --shock values
let running = null;     // AbortController of the what-if in flight
let history = { baseline: 0, entries: [] };
let shown = 0;          // the history entry shown
let side = false;
let debounce = 0;
let started = 0;        // performance.now() when the what-if was sent
let firstShown = false; // whether its first picture is drawn

function api(path) {
  return token ? path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : path;
}

async function post(path, body) {
  const r = await fetch(api(path), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const data = await r.json().catch(() => ({ error: 'the server sent no JSON (status ' + r.status + ')' }));
  return { ok: r.ok, status: r.status, data };
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function pct(x, d = 1) { return (100 * x).toFixed(d) + '%'; }
function money(x) {
  if (Math.abs(x) >= 1e6) return '$' + (x / 1e6).toFixed(1) + 'M';
  if (Math.abs(x) >= 1e3) return '$' + (x / 1e3).toFixed(0) + 'k';
  return '$' + x.toFixed(0);
}
function signed(x, f) { return (x > 0 ? '+' : x < 0 ? '−' : '±') + f(Math.abs(x)); }
function points(x) { return (100 * x).toFixed(1); }

// ---- scenario and controls ----

async function loadScenario(body) {
  clearErrors();
  const r = await post('/api/scenario', body);
  if (!r.ok) { showProblems(r.data); return false; }
  desc = r.data; events = []; shocks = [];
  $('title').textContent = desc.title;
  $('description').textContent = desc.description.split('\n\n')[0];
  $('runs').value = desc.runs;
  const strat = $('strategy');
  strat.replaceChildren(el('option', { value: '', text: 'as written in the file' }));
  for (const s of desc.strategies) strat.append(el('option', { value: s.id, text: s.name + ' (' + s.id + ')' }));
  const hist = desc.strategies.find((s) => s.id === 'historical');
  strat.value = hist ? 'historical' : '';
  for (const id of ['event-country', 'shock-country']) {
    $(id).replaceChildren(...desc.countries.map((c) => el('option', { value: c.id, text: c.name })));
  }
  $('event-month').max = desc.horizon_months;
  renderControls();
  renderChanges();
  return true;
}

// strategyValues are the values the controls start from: the chosen
// strategy's, or the file's.
function strategyValues() {
  const s = desc.strategies.find((x) => x.id === $('strategy').value);
  return s ? { missions: s.missions, off: s.off } : { missions: desc.missions, off: [] };
}

const MISSION_FIELDS = [
  ['staff', 'staff', 1, 1],
  ['startup_delay_months', 'delay (months)', 1, 1],
  ['consent', 'consent %', 5, 100],
  ['expertise', 'expertise %', 5, 100],
];

function renderControls() {
  const sv = strategyValues();
  const box = $('missions');
  box.replaceChildren();
  for (const m of sv.missions) {
    const on = !sv.off.includes(m.id);
    const check = el('input', { type: 'checkbox', 'data-mission': m.id, 'aria-label': m.name + ' on' });
    check.checked = on;
    if (!on) {
      // A strategy's disable cannot be undone by a flag: choose the file
      // as written (or another strategy) to use this mission.
      check.disabled = true;
      check.title = 'switched off by this strategy';
    }
    const card = el('div', { class: 'mission' + (on ? '' : ' off'), 'data-id': m.id },
      el('label', { class: 'head' }, check, m.name),
      el('div', { class: 'words', text: on ? m.words : 'Switched off by this strategy. ' + m.words }));
    const grid = el('div', { class: 'grid' });
    for (const [key, label, step, scale] of MISSION_FIELDS) {
      const input = el('input', { type: 'number', step: String(step), min: '0', 'data-key': 'intervention.' + m.id + '.' + key, 'data-scale': String(scale), 'data-base': String(m[key]) });
      input.value = String(+(m[key] * scale).toFixed(6));
      grid.append(el('label', {}, label + ' ', input));
    }
    const launch = el('select', { 'data-launch': m.id, 'data-base': m.trigger, 'aria-label': m.name + ' launch' });
    launch.append(el('option', { value: 'none', text: 'in month' }));
    for (const st of ['escalating', 'war']) launch.append(el('option', { value: st, text: 'when ' + st }));
    launch.value = m.trigger === 'latent' ? 'none' : m.trigger;
    const month = el('input', { type: 'number', min: '0', step: '1', 'data-key': 'intervention.' + m.id + '.start_month', 'data-scale': '1', 'data-base': String(m.start_month) });
    month.value = String(m.start_month);
    month.disabled = m.trigger !== 'none';
    launch.addEventListener('change', () => { month.disabled = launch.value !== 'none'; run(); });
    grid.append(el('label', {}, 'launch ', launch), el('label', {}, 'month ', month));
    card.append(grid, el('div', { class: 'err', 'data-err': 'intervention.' + m.id }));
    check.addEventListener('change', () => { card.classList.toggle('off', !check.checked); run(); });
    box.append(card);
  }
  const cbox = $('countries');
  cbox.replaceChildren();
  const cfields = [['initial_tension', 'initial tension'], ['structural_pressure', 'structural pressure'], ['volatility', 'volatility'], ['reversion', 'reversion']];
  for (const c of desc.countries) {
    const grid = el('div', { class: 'grid' });
    for (const [key, label] of cfields) {
      const input = el('input', { type: 'number', step: '0.01', 'data-key': 'country.' + c.id + '.' + key, 'data-scale': '1', 'data-base': String(c[key]) });
      input.value = String(c[key]);
      grid.append(el('label', {}, label + ' ', input));
    }
    cbox.append(el('div', { class: 'country' }, el('strong', { text: c.name }), grid, el('div', { class: 'err', 'data-err': 'country.' + c.id })));
  }
  // Typing waits for a pause; a spinner click, Enter or leaving the field
  // runs at once (the first picture is then a few tens of ms away).
  for (const input of document.querySelectorAll('#controls input[data-key]')) {
    input.addEventListener('input', changed);
    input.addEventListener('change', run);
  }
}

function renderChanges() {
  const list = (ul, items, kind) => {
    $(ul).replaceChildren(...items.map((s, i) => {
      const rm = el('button', { type: 'button', text: 'remove', 'aria-label': 'remove ' + s });
      rm.addEventListener('click', () => { items.splice(i, 1); renderChanges(); run(); });
      return el('li', { 'data-index': String(i) }, s, rm, el('div', { class: 'err', 'data-err': kind + ':' + i }));
    }));
  };
  list('events', events, 'event');
  list('shocks', shocks, 'shock');
}

// state turns the controls into the request: every value that differs
// from the strategy's is a --set.
function state() {
  const st = { sets: [], events: events.slice(), shocks: shocks.slice(), disable: [] };
  if (pasted) st.source = pasted; else st.scenario = $('scenario').value;
  if ($('strategy').value) st.strategy = $('strategy').value;
  const runs = parseInt($('runs').value, 10);
  st.runs = Number.isFinite(runs) ? runs : -1;
  const sv = strategyValues();
  for (const check of document.querySelectorAll('input[data-mission]')) {
    if (!check.checked && !sv.off.includes(check.dataset.mission)) st.disable.push(check.dataset.mission);
  }
  for (const sel of document.querySelectorAll('select[data-launch]')) {
    const id = sel.dataset.launch;
    if (sel.value !== sel.dataset.base && !(sel.value === 'none' && sel.dataset.base === 'latent')) {
      st.sets.push('intervention.' + id + '.trigger=' + JSON.stringify(sel.value));
    }
  }
  for (const input of document.querySelectorAll('#controls input[data-key]')) {
    if (input.disabled) continue;
    const id = input.dataset.key.split('.')[1];
    if (input.dataset.key.startsWith('intervention.') && st.disable.includes(id)) continue;
    if (input.dataset.key.startsWith('intervention.') && sv.off.includes(id)) continue;
    const raw = input.value.trim();
    const base = parseFloat(input.dataset.base);
    const launchChanged = input.dataset.key.endsWith('.start_month') &&
      document.querySelector('select[data-launch="' + id + '"]').dataset.base !== 'none';
    if (raw === '') { st.sets.push(input.dataset.key + '=' + '""'); continue; }
    const v = parseFloat(raw) / parseFloat(input.dataset.scale);
    if (!Number.isFinite(v)) { st.sets.push(input.dataset.key + '=' + raw); continue; }
    if (Math.abs(v - base) > 1e-9 || launchChanged) st.sets.push(input.dataset.key + '=' + String(+v.toPrecision(12)));
  }
  return st;
}

function changed() {
  clearTimeout(debounce);
  debounce = setTimeout(run, 400);
}

// ---- errors ----

function clearErrors() {
  for (const e of document.querySelectorAll('.err')) e.textContent = '';
  for (const e of document.querySelectorAll('.bad')) e.classList.remove('bad');
}

function showProblems(data) {
  const problems = data.problems || [{ control: '', message: data.error || 'unknown error' }];
  for (const p of problems) {
    let box = null;
    if (p.control === 'set' && p.key) {
      const input = document.querySelector('[data-key="' + p.key + '"]');
      if (input) input.classList.add('bad');
      const parts = p.key.split('.');
      box = document.querySelector('[data-err="' + parts[0] + '.' + parts[1] + '"]');
    } else if (p.control === 'event' || p.control === 'shock') {
      box = document.querySelector('[data-err="' + p.control + ':' + p.index + '"]');
    } else if (p.control === 'disable') {
      box = document.querySelector('[data-err="intervention.' + (state().disable[p.index] || '') + '"]');
    } else if (p.control === 'runs') {
      $('runs').classList.add('bad');
    } else if (p.control === 'source') {
      annotate(pasted || $('paste-text').value, problems.filter((q) => q.control === 'source'));
      if (!$('paste').open) $('paste').showModal();
    }
    (box || $('global-error')).textContent += (box && box.textContent ? '\n' : '') + p.message;
  }
  $('status').textContent = 'Not run: see the message in red. The figures shown are the last good what-if.';
  $('results').classList.add('stale');
}

// annotate shows the pasted file with each error under the line it names.
function annotate(text, problems) {
  const pre = $('paste-errors');
  pre.replaceChildren();
  const byLine = new Map();
  for (const p of problems) {
    const k = p.line || 0;
    byLine.set(k, (byLine.get(k) || []).concat(p.message));
  }
  for (const m of byLine.get(0) || []) pre.append(el('div', { class: 'msg', text: m }));
  text.split('\n').forEach((line, i) => {
    const msgs = byLine.get(i + 1);
    pre.append(el('div', { class: msgs ? 'errline' : '', text: String(i + 1).padStart(4) + '  ' + line }));
    for (const m of msgs || []) pre.append(el('div', { class: 'msg', text: '      ^ ' + m }));
  });
}

// ---- running ----

async function run() {
  clearTimeout(debounce);
  if (!desc) return;
  if (running) running.abort();
  const ctl = new AbortController();
  running = ctl;
  // Click-to-picture times, read by the browser test's measurement.
  started = performance.now();
  firstShown = false;
  clearErrors();
  $('status').textContent = 'Running…';
  $('status').dataset.done = '0';
  $('progress-bar').style.width = '0';
  let r;
  try {
    r = await fetch(api('/api/run'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state: state(), client }), signal: ctl.signal });
  } catch (e) {
    if (ctl.signal.aborted) return;
    $('global-error').textContent = 'The server cannot be reached: ' + e.message;
    return;
  }
  if (!r.ok) {
    showProblems(await r.json().catch(() => ({ error: 'status ' + r.status })));
    if (running === ctl) running = null;
    return;
  }
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block);
        const data = /^data: (.*)$/m.exec(block);
        if (ev && data) onEvent(ev[1], JSON.parse(data[1]));
      }
    }
  } catch (e) {
    if (!ctl.signal.aborted) $('global-error').textContent = 'The connection broke: ' + e.message;
  }
  if (running === ctl) running = null;
}

function onEvent(kind, v) {
  if (kind === 'queued') { $('status').textContent = v.message; return; }
  if (kind === 'problem') { $('global-error').textContent = v.error; $('status').textContent = 'Stopped.'; return; }
  showView(v, kind === 'done');
  // The finished what-if is the one shown at once (B pins it), before
  // the history's fetch returns.
  if (kind === 'done') { shown = v.entry; refreshHistory(v.entry); }
}

function showView(v, done) {
  $('results').classList.remove('stale');
  const o = v.outcome;
  $('headline-label').textContent = 'P(' + v.headline + ')';
  const big = $('pwar');
  big.textContent = pct(o.p_war);
  big.dataset.pwar = String(o.p_war);
  big.dataset.done = String(v.done);
  $('pwar-ci').textContent = '95% interval ' + pct(o.p_war_ci95[0]) + ' to ' + pct(o.p_war_ci95[1]);
  $('war-months').textContent = o.war_months_mean.toFixed(2);
  $('war-months').dataset.value = String(o.war_months_mean);
  $('cost').textContent = money(o.cost_mean);
  $('cost').dataset.value = String(o.cost_mean);
  $('ttw').textContent = o.median_time_to_war == null ? 'none (most runs stay out of war)' : o.median_time_to_war + ' months';
  $('progress-bar').style.width = (100 * v.done / v.runs).toFixed(1) + '%';
  $('status').textContent = (done ? 'Done: ' : 'Running: ') + v.done.toLocaleString('en') + ' of ' + v.runs.toLocaleString('en') + ' runs · ' + v.changes;
  $('status').dataset.done = done ? '1' : '0';
  $('command').textContent = v.command;
  const b = v.baseline;
  if (b) {
    const vs = b.vs;
    $('vs').textContent = 'vs baseline #' + b.entry + ' (' + pct(b.outcome.p_war) + '): ' + signed(vs.p_war_diff, points) + ' points (' +
      points(vs.p_war_diff_ci95[0]) + ' to ' + points(vs.p_war_diff_ci95[1]) + '), months at war ' + signed(vs.war_months_diff, (x) => x.toFixed(2)) +
      ', cost ' + signed(vs.cost_diff, money) + (vs.cost_per_war_averted != null ? ', ' + money(vs.cost_per_war_averted) + ' per war averted' : '') + (vs.dominant ? ', fewer wars for less' : '');
  } else {
    $('vs').textContent = v.baseline_note || '';
  }
  warChart($('chart-war'), v.war_by_month, b ? b.war_by_month : null);
  occChart($('chart-occ'), v.occupancy);
  $('occ-caption').textContent = 'Stage by month, ' + v.country;
  if (started && !firstShown) { firstShown = true; document.body.dataset.firstMs = (performance.now() - started).toFixed(1); }
  if (started && done) { document.body.dataset.fullMs = (performance.now() - started).toFixed(1); started = 0; }
}

// ---- charts (SVG from the aggregates) ----

const W = 640, H = 380, M = { l: 84, r: 24, t: 16, b: 74 };
const SVGNS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

function axes(g, n, ymax) {
  const x = (m) => M.l + (W - M.l - M.r) * m / Math.max(n, 1);
  const y = (v) => H - M.b - (H - M.t - M.b) * v / ymax;
  const step = n <= 24 ? 6 : n <= 60 ? 12 : Math.ceil(n / 60) * 12;
  for (let m = 0; m <= n; m += step) {
    g.append(svg('line', { x1: x(m), x2: x(m), y1: y(0), y2: y(0) + 6, stroke: '#000', 'stroke-width': 2 }));
    g.append(svg('text', { x: x(m), y: y(0) + 34, 'text-anchor': 'middle', 'font-size': 28 }, String(m)));
  }
  for (let i = 0; i <= 4; i++) {
    const v = ymax * i / 4;
    g.append(svg('line', { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v), stroke: '#ccc', 'stroke-width': 1 }));
    g.append(svg('text', { x: M.l - 8, y: y(v) + 10, 'text-anchor': 'end', 'font-size': 28 }, Math.round(100 * v) + '%'));
  }
  g.append(svg('line', { x1: M.l, x2: W - M.r, y1: y(0), y2: y(0), stroke: '#000', 'stroke-width': 2 }));
  g.append(svg('line', { x1: M.l, x2: M.l, y1: y(0), y2: M.t, stroke: '#000', 'stroke-width': 2 }));
  g.append(svg('text', { x: (M.l + W - M.r) / 2, y: H - 8, 'text-anchor': 'middle', 'font-size': 28 }, 'month'));
  return { x, y };
}

function path(xs, ys) { return xs.map((x, i) => (i ? 'L' : 'M') + x.toFixed(1) + ',' + ys[i].toFixed(1)).join(''); }

function warChart(root, series, base) {
  root.replaceChildren();
  const n = series.length - 1;
  const top = Math.max(...series, ...(base || [0]));
  const ymax = Math.min(1, Math.max(0.2, Math.ceil(top * 5) / 5));
  const { x, y } = axes(root, n, ymax);
  const line = (s, attrs) => root.append(svg('path', Object.assign({ d: path(s.map((_, m) => x(m)), s.map((v) => y(v))), fill: 'none' }, attrs)));
  if (base) line(base, { stroke: '#000', 'stroke-width': 4, 'stroke-dasharray': '10 7' });
  line(series, { stroke: STAGE.war, 'stroke-width': 6 });
  const lx = M.l + 14;
  root.append(svg('line', { x1: lx, x2: lx + 36, y1: M.t + 14, y2: M.t + 14, stroke: STAGE.war, 'stroke-width': 6 }));
  root.append(svg('text', { x: lx + 44, y: M.t + 24, 'font-size': 28 }, 'what-if'));
  if (base) {
    root.append(svg('line', { x1: lx, x2: lx + 36, y1: M.t + 48, y2: M.t + 48, stroke: '#000', 'stroke-width': 4, 'stroke-dasharray': '10 7' }));
    root.append(svg('text', { x: lx + 44, y: M.t + 58, 'font-size': 28 }, 'baseline'));
  }
}

function occChart(root, occ) {
  root.replaceChildren();
  const n = occ.war.length - 1;
  const { x, y } = axes(root, n, 1);
  const xs = occ.war.map((_, m) => x(m));
  let lower = occ.war.map(() => 0);
  for (const st of ['war', 'escalating', 'latent']) {
    const upper = occ[st].map((v, m) => lower[m] + v);
    const d = path(xs, upper.map(y)) + path(xs.slice().reverse(), lower.slice().reverse().map(y)).replace('M', 'L') + 'Z';
    root.append(svg('path', { d, fill: STAGE[st], stroke: 'none' }));
    lower = upper;
  }
  const labels = [['latent', 'Latent'], ['escalating', 'Escalating'], ['war', 'War']];
  labels.forEach(([st, name], i) => {
    const lx = M.l + 4 + i * 190;
    root.append(svg('rect', { x: lx, y: H - M.b + 44, width: 26, height: 26, fill: STAGE[st], stroke: '#000' }));
    root.append(svg('text', { x: lx + 32, y: H - M.b + 66, 'font-size': 28 }, name));
  });
  root.querySelector('text[y="' + (H - 8) + '"]').remove(); // the month label makes way for the legend
}

// ---- history ----

async function refreshHistory(select) {
  const r = await fetch(api('/api/history'));
  if (!r.ok) return;
  history = await r.json();
  if (select) shown = select;
  renderHistory();
}

function renderHistory() {
  const tbody = $('history').querySelector('tbody');
  tbody.replaceChildren();
  for (const e of history.entries.slice().reverse()) {
    const o = e.outcome;
    const pin = el('button', { type: 'button', text: e.id === history.baseline ? 'unpin' : 'pin baseline', 'data-pin': String(e.id) });
    pin.addEventListener('click', (ev) => { ev.stopPropagation(); pinBaseline(e.id === history.baseline ? 0 : e.id); });
    const vs = e.baseline ? signed(e.baseline.vs.p_war_diff, points) + ' pts vs #' + e.baseline.entry : '';
    const tr = el('tr', { class: (e.id === shown ? 'current ' : '') + (e.id === history.baseline ? 'baseline' : ''), 'data-entry': String(e.id) },
      el('td', { text: String(e.id) }), el('td', { text: e.changes }), el('td', { class: 'num', text: pct(o.p_war) }),
      el('td', { class: 'num', text: pct(o.p_war_ci95[0]) + '–' + pct(o.p_war_ci95[1]) }),
      el('td', { class: 'num', text: o.war_months_mean.toFixed(2) }), el('td', { class: 'num', text: money(o.cost_mean) }),
      el('td', { text: vs }), el('td', {}, pin));
    tr.addEventListener('click', () => showEntry(e.id));
    tbody.append(tr);
  }
  renderSide();
}

async function pinBaseline(id) {
  const r = await post('/api/baseline', { entry: id });
  if (!r.ok) { $('global-error').textContent = r.data.error; return; }
  await refreshHistory();
  if (id) run(); // the shown what-if, now against the baseline
}

function step(d) {
  const ids = history.entries.map((e) => e.id);
  if (!ids.length) return;
  let i = ids.indexOf(shown);
  i = i < 0 ? ids.length - 1 : Math.min(ids.length - 1, Math.max(0, i + d));
  showEntry(ids[i]);
}

// showEntry shows what-if id from the history again.
async function showEntry(id) {
  shown = id;
  renderHistory();
  const r = await fetch(api('/api/entry/' + id));
  const v = await r.json();
  if (!r.ok) { $('status').textContent = v.error; return; }
  if (running) { running.abort(); running = null; }
  showView(v, true);
  $('status').textContent = 'What-if #' + id + ': ' + v.changes;
}

// renderSide shows the shown what-if and the one before it (or the
// baseline) side by side.
function renderSide() {
  const box = $('side');
  box.replaceChildren();
  if (!side || history.entries.length < 2) return;
  const cur = history.entries.find((e) => e.id === shown) || history.entries[history.entries.length - 1];
  const other = history.entries.find((e) => e.id === history.baseline && e.id !== cur.id) ||
    history.entries[Math.max(0, history.entries.indexOf(cur) - 1)];
  for (const e of [other, cur]) {
    const o = e.outcome;
    box.append(el('div', {}, el('h2', { text: '#' + e.id + ': ' + e.changes }),
      el('div', { class: 'big', text: pct(o.p_war) }),
      el('div', { text: '95% interval ' + pct(o.p_war_ci95[0]) + ' to ' + pct(o.p_war_ci95[1]) }),
      el('div', { text: 'months at war ' + o.war_months_mean.toFixed(2) + ' · cost ' + money(o.cost_mean) })));
  }
}

// ---- wiring ----

function download(what) {
  const q = shown ? '?entry=' + shown : '';
  const a = el('a', { href: api('/api/download/' + what + q), download: '' });
  document.body.append(a); a.click(); a.remove();
}

// createExercise opens an exercise on the scenario shown (shipped or
// pasted) and goes to its facilitator screen.
async function createExercise() {
  const worldText = $('exercise-world').value.trim();
  const world = worldText === '' ? -1 : Number(worldText);
  if ($('exercise-world').validity.badInput || !Number.isInteger(world) || world < 0) {
    $('exercise-error').textContent = 'The world must be a whole number (a run index from 0), or blank for a random one.';
    return;
  }
  $('exercise-error').textContent = '';
  const body = { round_months: parseInt($('exercise-months').value, 10), world };
  if (pasted) body.source = pasted; else body.scenario = $('scenario').value;
  $('exercise-create').disabled = true;
  const r = await post('/api/exercise', body);
  $('exercise-create').disabled = false;
  if (!r.ok) { $('exercise-error').textContent = r.data.error || 'The exercise could not be created.'; return; }
  location.href = r.data.facilitator_url;
}

// loadExercise opens a saved exercise file: to replay its debrief, or
// (fresh) to play the same world and events with a new group.
async function loadExercise() {
  const f = $('exercise-file').files[0];
  if (!f) { $('exercise-error').textContent = 'Choose the exercise file first (the one the facilitator screen saves).'; return; }
  const path = '/api/exercise/load' + ($('exercise-fresh').checked ? '?fresh=1' : '');
  const r = await fetch(api(path), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: await f.text() });
  const data = await r.json().catch(() => ({ error: 'the server sent no JSON (status ' + r.status + ')' }));
  if (!r.ok) { $('exercise-error').textContent = f.name + ': ' + (data.error || 'not loaded'); return; }
  location.href = data.facilitator_url;
}

async function init() {
  const r = await fetch(api('/api/scenarios'));
  const list = await r.json();
  if (!r.ok) { $('global-error').textContent = list.error; return; }
  const sel = $('scenario');
  for (const s of list.scenarios) sel.append(el('option', { value: s.name, text: s.title + ' (' + s.name + ')' }));
  sel.value = list.initial;
  sel.addEventListener('change', async () => { pasted = ''; if (await loadScenario({ scenario: sel.value })) run(); });
  $('strategy').addEventListener('change', () => { renderControls(); run(); });
  $('runs').addEventListener('change', run);
  $('run').addEventListener('click', run);
  $('projector').addEventListener('click', () => document.documentElement.classList.toggle('projector'));
  $('help-open').addEventListener('click', () => $('help').showModal());
  $('exercise-open').addEventListener('click', () => {
    $('exercise-scenario').textContent = desc ? desc.title : 'this scenario';
    $('exercise-error').textContent = '';
    $('exercise').showModal();
  });
  $('exercise-create').addEventListener('click', createExercise);
  $('exercise-load').addEventListener('click', loadExercise);
  $('paste-open').addEventListener('click', () => $('paste').showModal());
  $('paste-file').addEventListener('change', async (e) => { const f = e.target.files[0]; if (f) $('paste-text').value = await f.text(); });
  $('paste-load').addEventListener('click', async () => {
    const text = $('paste-text').value;
    const r = await post('/api/scenario', { source: text });
    if (!r.ok) { annotate(text, r.data.problems || [{ message: r.data.error }]); return; }
    pasted = text;
    $('paste').close();
    await loadScenario({ source: text });
    run();
  });
  $('event-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const label = $('event-label').value.trim();
    events.push([$('event-country').value, $('event-month').value.trim(), $('event-size').value.trim()].concat(label ? [label] : []).join(':'));
    renderChanges(); run();
  });
  $('shock-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('shock-name').value.trim();
    shocks.push([$('shock-country').value, $('shock-rate').value.trim(), $('shock-mean').value.trim()].concat(name ? [name] : []).join(':'));
    renderChanges(); run();
  });
  for (const a of document.querySelectorAll('[data-dl]')) a.addEventListener('click', () => download(a.dataset.dl));
  document.addEventListener('keydown', (e) => {
    if (e.target.matches('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k === 'r') run();
    else if (k === 'n') step(e.shiftKey ? -1 : 1);
    else if (k === 'b') { if (shown) pinBaseline(shown); }
    else if (k === 's') { side = !side; renderSide(); }
    else if (k === 'p') document.documentElement.classList.toggle('projector');
    else if (e.key === '?') $('help').showModal();
    else return;
    e.preventDefault();
  });
  if (list.initial_source) {
    pasted = list.initial_source;
    $('paste-text').value = pasted;
  }
  if (await loadScenario(pasted ? { source: pasted } : { scenario: sel.value })) run();
  refreshHistory();
}

init();

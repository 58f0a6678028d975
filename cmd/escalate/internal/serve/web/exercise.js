// escalate exercise pages: the facilitator's projector screen and the
// teams' screens. Hand-written, no libraries. Every figure comes from the
// server (GET /api/exercise/ID/state, long-polled); the page keeps nothing
// the server does not also have, except a team's token (in the URL and in
// localStorage, so that a closed tab rejoins its team) and a draft of its
// decision that it has not submitted yet.
'use strict';

const STAGE = { latent: '#009e73', escalating: '#e69f00', war: '#d55e00' };   // plots/palette.go
const BAND = { latent: '#e3f4ee', escalating: '#fcefd4', war: '#f9e0d4' };     // the same, pale
const STAGES = ['latent', 'escalating', 'war'];
// Team colours: the Okabe-Ito palette (safe for the common colour-blindnesses)
// without the stage colours, each with its own dash pattern, so that two
// teams never differ by colour alone.
const TEAM_COLOURS = ['#0072b2', '#cc79a7', '#000000', '#56b4e9', '#8c6d00', '#7b3294', '#1b7837', '#b2182b', '#4d4d4d', '#2166ac'];
const DASHES = ['', '14 7', '4 5', '18 5 4 5', '8 8', '2 7', '22 6', '10 4 2 4 2 4', '6 3', '16 4 4 4 4 4'];
const REFERENCE = {
  none: { colour: '#777777', dash: '3 6', width: 4 },
  historical: { colour: '#333333', dash: '12 5 3 5', width: 4 },
};

const $ = (id) => document.getElementById(id);
const role = document.body.dataset.role; // "facilitator" or "team"
const pathParts = location.pathname.split('/').filter(Boolean); // exercise, ID, page
const exID = pathParts[0] === 'exercise' ? pathParts[1] : new URLSearchParams(location.search).get('id');
const pageKind = pathParts[2] || role;
const params = new URLSearchParams(location.search);
let token = params.get('token') || '';
const storeKey = 'escalate-exercise:' + exID;

let current = null;     // the last state, normalised
let debriefShown = false;
let formKey = '';       // round and status the team's form was built for
let submitted = null;   // JSON of the actions the server holds for this round

// ---------- small helpers ----------

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
}

const SVGNS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

function pct(x, d = 1) { return (100 * x).toFixed(d) + '%'; }
function points(x) { return (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(100 * x).toFixed(1); }
function signed(x, d) { return (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(d); }
function money(x) {
  if (x == null || !Number.isFinite(x)) return '–';
  const s = x < 0 ? '−' : '';
  const a = Math.abs(x);
  if (a >= 1e9) return s + '$' + (a / 1e9).toFixed(2) + 'bn';
  if (a >= 1e6) return s + '$' + (a / 1e6).toFixed(1) + 'M';
  if (a >= 1e3) return s + '$' + (a / 1e3).toFixed(0) + 'k';
  return s + '$' + a.toFixed(0);
}
function staffText(x) { return String(+Number(x).toFixed(2)); }
function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// apiURL is the exercise's endpoint with this page's token.
function apiURL(what, extra) {
  const q = new URLSearchParams(extra || {});
  if (token) q.set('token', token);
  const s = q.toString();
  return '/api/exercise/' + encodeURIComponent(exID) + '/' + what + (s ? '?' + s : '');
}

async function call(method, url, body) {
  let r;
  try {
    r = await fetch(url, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, data: { error: 'The server cannot be reached (' + e.message + '). Check the connection and try again.' } };
  }
  const data = await r.json().catch(() => ({ error: 'The server answered with status ' + r.status + ' and no message.' }));
  return { ok: r.ok, status: r.status, data };
}

// ---------- the server's state, normalised ----------

function stageName(s) {
  if (typeof s === 'number') return STAGES[s] || 'latent';
  return String(s || 'latent').toLowerCase();
}

function asList(x, keyName) {
  if (!x) return [];
  if (Array.isArray(x)) return x;
  return Object.entries(x).map(([k, v]) => Object.assign({ [keyName]: k }, v));
}

// normStory turns one world's story, as the server sends it, into
// {countries: [{id, name, tension, stage, shocks, events}], missions: [...]}.
function normStory(st) {
  if (!st) return null;
  const countries = asList(st.countries, 'id').map((c) => {
    let stage = c.stage || c.stages || [];
    // Go encodes a []sim.Stage (bytes) as base64.
    if (typeof stage === 'string') stage = Array.from(atob(stage), (ch) => ch.charCodeAt(0));
    let events = asList(c.events, 'name').map((e) => ({ month: e.month, name: e.name || e.label || 'event', size: e.size, injected: !!e.injected }));
    if (!c.events && Array.isArray(c.event)) {
      events = [];
      c.event.forEach((v, m) => { if (v) events.push({ month: m, name: 'event', size: v }); });
    }
    return { id: c.id, name: c.name || c.id, tension: c.tension || null, stage: stage.map(stageName), shocks: c.shocks || c.shock || [], events };
  });
  const missions = asList(st.missions || st.interventions, 'id').map((m) => ({
    id: m.id, name: m.name || m.id, country: m.country,
    consented: m.consented ?? m.consent ?? null,
    launched: !!m.launched, launch: m.launch_month ?? m.launch ?? null,
    from: m.from ?? m.acting_from ?? null, to: m.to ?? m.acting_to ?? null,
    staff: m.staff || m.staff_by_month || [],
  }));
  return { countries, missions };
}

function norm(s) {
  const n = Object.assign({}, s);
  n.horizon = s.horizon ?? s.horizon_months;
  const th = s.thresholds || s.model || {};
  n.escalation = th.escalation ?? th.escalation_threshold ?? s.escalation_threshold ?? null;
  n.war = th.war ?? th.war_threshold ?? s.war_threshold ?? null;
  n.title = s.title || (s.scenario && (s.scenario.title || s.scenario.name)) || 'escalate exercise';
  n.description = s.description || (s.scenario && s.scenario.description) || '';
  n.teams = asList(s.teams, 'name');
  n.events = asList(s.events, 'name');
  n.missions = asList(s.missions, 'id');
  n.story = normStory(s.story);
  // The facilitator sees every world: none, historical and each team's.
  n.worlds = [];
  if (s.stories) {
    for (const w of asList(s.stories, 'key')) {
      const key = w.key || w.strategy || w.name;
      n.worlds.push({ key, label: w.label || w.title || key, story: normStory(w.story || w) });
    }
  } else {
    if (s.none) n.worlds.push({ key: 'none', label: 'no mission', story: normStory(s.none) });
    if (s.historical) n.worlds.push({ key: 'historical', label: 'as planned', story: normStory(s.historical) });
    for (const t of n.teams) if (t.story) n.worlds.push({ key: 'team_' + (t.slug || t.name), label: t.name, story: normStory(t.story) });
  }
  return n;
}

// teamStyle is a team's colour and dash, by join order.
function teamStyle(i) {
  return { colour: TEAM_COLOURS[i % TEAM_COLOURS.length], dash: DASHES[(i + Math.floor(i / TEAM_COLOURS.length)) % DASHES.length], width: 5 };
}

// worldStyle is the line style of a world: references by name, teams by
// their place in the join order.
function worldStyle(w, teams) {
  if (REFERENCE[w.key]) return REFERENCE[w.key];
  let i = teams.findIndex((t) => ('team_' + (t.slug || '')) === w.key || t.name === w.label || t.strategy === w.key);
  if (i < 0) i = 0;
  return teamStyle(i);
}

function teamIndexByStrategy(name, teams, comparison) {
  let i = teams.findIndex((t) => t.strategy === name || ('team_' + (t.slug || '')) === name);
  if (i >= 0) return i;
  const teamNames = comparison.strategies.map((s) => s.name).filter((x) => !REFERENCE[x]);
  return teamNames.indexOf(name);
}

function swatch(style) {
  const s = svg('svg', { class: 'swatch', viewBox: '0 0 40 20', 'aria-hidden': 'true' });
  s.append(svg('line', { x1: 0, x2: 40, y1: 10, y2: 10, stroke: style.colour, 'stroke-width': 6, 'stroke-dasharray': style.dash || null }));
  return s;
}

// ---------- the clock ----------

function renderClock(s) {
  $('title').textContent = s.title;
  const clock = 'Month ' + s.month + ' of ' + s.horizon + ' · ' + (s.status === 'ended' ? 'ended' : 'round ' + s.round);
  $('clock').textContent = clock;
  $('clock').dataset.month = String(s.month);
  $('clock').dataset.round = String(s.round);
  $('clock').dataset.status = s.status;
  document.title = clock + ' · escalate exercise';
  let line = '';
  if (s.status !== 'ended') {
    const to = Math.min(s.month + s.round_months, s.horizon);
    line = 'deciding for months ' + (s.month + 1) + (to > s.month + 1 ? '–' + to : '');
  }
  $('status-line').textContent = line;
  tick();
}

// tick shows the time left before the round's deadline, if the
// facilitator set one (by this browser's clock against the server's time).
function tick() {
  const s = current;
  const box = $('countdown');
  if (!s || !s.deadline || s.status === 'ended') { box.textContent = ''; return; }
  const left = Math.round((new Date(s.deadline).getTime() - Date.now()) / 1000);
  box.textContent = left > 0 ? '· ' + Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0') + ' left' : '· time is up';
  box.classList.toggle('late', left <= 30);
}
setInterval(tick, 1000);

async function setTimer(seconds) {
  $('reveal-error').textContent = '';
  const r = await call('POST', apiURL('deadline'), { seconds });
  if (!r.ok) { $('reveal-error').textContent = r.data.error; return; }
  refresh();
}

// ---------- the story chart ----------

// CHART_W is the charts' width in SVG units; on a phone's narrow screen
// they are drawn narrower, so that their text is larger on it.
const CHART_W = 960;

// storyChart draws one country's tension paths (one per world) from month
// 0 to the clock, on an axis that runs to the horizon, with the stage
// thresholds as bands, events as markers, and (for a team) its missions'
// acting months as lanes underneath.
function storyChart(s, countryIndex, worlds, opts) {
  const lanes = opts.missions || [];
  const legend = opts.legend ? worlds : [];
  const font = 24;
  const legendW = legend.length ? Math.min(260, 40 + 14 * Math.max(...legend.map((w) => w.label.length))) : 0;
  const narrow = opts.box && opts.box.clientWidth > 0 && opts.box.clientWidth < 640;
  const CW = narrow ? 600 : CHART_W;
  const M = { l: lanes.length ? (narrow ? 170 : 200) : 78, r: 20 + legendW, t: 40, b: 64 };
  const n = Math.max(s.horizon, 1);
  const x = (m) => M.l + (CW - M.l - M.r) * m / n;
  // Event labels above the plot, in as many rows as it takes for them not
  // to overlap.
  const story0 = worlds[0] && worlds[0].story;
  const c0 = story0 && story0.countries[countryIndex];
  const labels = [];
  if (c0) {
    const rows = [];
    const seen = new Set();
    // Injected events still to come are in the state, not yet in the story.
    const upcoming = (s.events || []).filter((e) => e.country === c0.id && e.month > s.month).map((e) => ({ month: e.month, name: e.name, size: e.size, injected: true }));
    for (const e of c0.events.concat(upcoming).sort((a, b) => a.month - b.month)) {
      const key = e.month + ':' + e.name;
      if (e.month > s.horizon || seen.has(key)) continue;
      seen.add(key);
      const text = '▼ ' + e.name;
      const w = 0.58 * (font - 2) * text.length;
      const left = Math.max(0, x(e.month) - w / 2);
      let row = rows.findIndex((end) => end + 10 < left);
      if (row < 0) { row = rows.length; rows.push(0); }
      rows[row] = left + w;
      labels.push({ e, text, row });
    }
    M.t += 28 * Math.max(0, rows.length - 1);
  }
  const fixedH = M.t + M.b + (opts.stageStrip ? 30 : 0) + lanes.length * 34 + (lanes.length ? 14 : 0);
  // The plot fills the screen's height left under the box, so that the
  // chart is as large as the projector allows at any resolution.
  let plotH = opts.height || 380;
  if (opts.box && opts.box.clientWidth > 0) {
    // On a phone the decisions come after the chart: keep it short there.
    const avail = narrow ? 0.5 * window.innerHeight : window.innerHeight - opts.box.getBoundingClientRect().top - 28;
    plotH = Math.round(Math.min(640, Math.max(opts.height || 260, CW * avail / opts.box.clientWidth - fixedH)));
  }
  const laneH = 34;
  let stripH = 30;
  if (!opts.stageStrip) stripH = 0;
  const H = M.t + plotH + M.b + stripH + lanes.length * laneH + (lanes.length ? 14 : 0);
  const root = svg('svg', { class: 'chart', viewBox: '0 0 ' + CW + ' ' + H, role: 'img', 'aria-label': opts.label });
  const markov = !c0 || !c0.tension;
  let ymax = 1;
  if (!markov) {
    for (const w of worlds) for (const v of w.story.countries[countryIndex].tension) if (v > ymax) ymax = Math.ceil(v * 5) / 5;
  }
  const y0 = M.t + plotH;
  const y = markov ? (st) => y0 - plotH * (st + 0.5) / 3 : (v) => y0 - plotH * Math.max(0, v) / ymax;
  // Stage bands: the tension levels at which a country enters each stage.
  if (!markov && s.escalation != null && s.war != null) {
    const bands = [['latent', 0, s.escalation], ['escalating', s.escalation, s.war], ['war', s.war, ymax]];
    for (const [st, lo, hi] of bands) {
      root.append(svg('rect', { x: M.l, width: CW - M.l - M.r, y: y(hi), height: y(lo) - y(hi), fill: BAND[st] }));
    }
  }
  // The months still to come, paler.
  if (s.month < s.horizon) {
    root.append(svg('rect', { x: x(s.month), width: x(s.horizon) - x(s.month), y: M.t, height: plotH, fill: '#ffffff', opacity: 0.55 }));
  }
  if (!markov && s.escalation != null && s.war != null) {
    for (const [v, name, st] of [[s.escalation, 'escalation', 'escalating'], [s.war, 'war', 'war']]) {
      root.append(svg('line', { x1: M.l, x2: CW - M.r, y1: y(v), y2: y(v), stroke: STAGE[st], 'stroke-width': 3, 'stroke-dasharray': '12 6' }));
      root.append(svg('text', { x: CW - M.r - 8, y: y(v) - 8, 'text-anchor': 'end', 'font-size': font - 2, 'font-weight': 'bold' }, name + ' ' + v.toFixed(2)));
    }
  }
  if (s.month < s.horizon) {
    if (s.status !== 'ended') {
      const to = Math.min(s.month + s.round_months, s.horizon);
      root.append(svg('rect', { x: x(s.month), width: x(to) - x(s.month), y: M.t, height: plotH, fill: 'none', stroke: '#0072b2', 'stroke-width': 3, 'stroke-dasharray': '6 4' }));
      root.append(svg('text', { x: x(s.month) + 6, y: M.t + plotH - 10, 'font-size': font - 4, 'font-weight': 'bold', fill: '#0072b2' }, 'next'));
    }
  }
  // Axes.
  const step = n <= 24 ? 3 : n <= 60 ? 6 : 12;
  for (let m = 0; m <= n; m += step) {
    root.append(svg('line', { x1: x(m), x2: x(m), y1: y0, y2: y0 + 8, stroke: '#000', 'stroke-width': 2 }));
    root.append(svg('text', { x: x(m), y: y0 + 32, 'text-anchor': 'middle', 'font-size': font }, String(m)));
  }
  root.append(svg('text', { x: (M.l + CW - M.r) / 2, y: y0 + 60, 'text-anchor': 'middle', 'font-size': font }, 'month'));
  if (markov) {
    STAGES.forEach((st, i) => root.append(svg('text', { x: M.l - 8, y: y(i) + 8, 'text-anchor': 'end', 'font-size': font - 4 }, st)));
  } else {
    for (let v = 0; v <= ymax + 1e-9; v += 0.25) {
      root.append(svg('text', { x: M.l - 8, y: y(v) + 8, 'text-anchor': 'end', 'font-size': font }, v.toFixed(2)));
    }
    const tx = M.l - 62;
    root.append(svg('text', { x: tx, y: M.t + plotH / 2, 'font-size': font, 'text-anchor': 'middle', transform: 'rotate(-90 ' + tx + ' ' + (M.t + plotH / 2) + ')' }, 'tension'));
  }
  root.append(svg('line', { x1: M.l, x2: CW - M.r, y1: y0, y2: y0, stroke: '#000', 'stroke-width': 2 }));
  root.append(svg('line', { x1: M.l, x2: M.l, y1: y0, y2: M.t, stroke: '#000', 'stroke-width': 2 }));
  // Events (scheduled and injected) and shocks, from the first world:
  // every world has the same random numbers, and injected events apply to
  // all of them.
  if (c0) {
    for (const { e, text, row } of labels) {
      // Events still to come are known (scheduled in the file, or injected
      // for the next month): drawn in grey.
      const ink = e.month > s.month ? '#555' : '#000';
      root.append(svg('line', { x1: x(e.month), x2: x(e.month), y1: M.t - 28 * row, y2: y0, stroke: ink, 'stroke-width': 2, 'stroke-dasharray': '2 4' }));
      root.append(svg('text', { x: x(e.month), y: M.t - 10 - 28 * row, 'font-size': font - 2, 'text-anchor': 'middle', 'font-weight': 'bold', fill: ink }, text));
    }
    (c0.shocks || []).forEach((v, m) => {
      if (!v || m > s.month) return;
      root.append(svg('path', { d: 'M' + x(m).toFixed(1) + ',' + (y0 - 18) + ' l-8,14 l16,0 Z', fill: '#000' }));
    });
  }
  // The worlds' paths, references first so that the teams' lines lie on top.
  const ordered = worlds.slice().sort((a, b) => (REFERENCE[b.key] ? 1 : 0) - (REFERENCE[a.key] ? 1 : 0));
  for (const w of ordered) {
    const c = w.story.countries[countryIndex];
    const ys = markov ? c.stage.map((st) => STAGES.indexOf(st)) : c.tension;
    const last = Math.min(s.month, ys.length - 1);
    if (last < 0) continue;
    let d = '';
    for (let m = 0; m <= last; m++) d += (m ? 'L' : 'M') + x(m).toFixed(1) + ',' + y(ys[m]).toFixed(1);
    const st = opts.style(w);
    root.append(svg('path', { d, fill: 'none', stroke: st.colour, 'stroke-width': st.width, 'stroke-dasharray': st.dash || null, 'stroke-linejoin': 'round', 'data-world': w.key }));
    // A dot where the path stands now (the only mark at month 0).
    root.append(svg('circle', { cx: x(last).toFixed(1), cy: y(ys[last]).toFixed(1), r: st.width + 2, fill: st.colour }));
  }
  // The stage each month, under the axis labels: the stage has hysteresis,
  // so it is not read off the tension alone.
  const ys = y0 + M.b;
  if (c0 && opts.stageStrip) {
    const stW = (CW - M.l - M.r) / n;
    root.append(svg('text', { x: M.l - 8, y: ys + 22, 'text-anchor': 'end', 'font-size': font - 4 }, 'stage'));
    for (let m = 0; m <= Math.min(s.month, c0.stage.length - 1); m++) {
      const st = c0.stage[m];
      root.append(svg('rect', { x: x(m) - (m ? stW / 2 : 0), y: ys, width: m ? stW : stW / 2, height: stripH - 4, fill: STAGE[st] }));
    }
    if (opts.stageLegend) {
      let lx = x(Math.min(s.month, n)) + 12;
      if (lx > CW - M.r - 330) lx = Math.max(M.l + 4, CW - M.r - 330);
      if (s.month < n * 0.1) lx = x(s.month) + 12;
      STAGES.forEach((st, i) => {
        root.append(svg('rect', { x: lx + i * 120, y: ys + 2, width: 20, height: 20, fill: STAGE[st], stroke: '#000' }));
        root.append(svg('text', { x: lx + i * 120 + 26, y: ys + 20, 'font-size': font - 6 }, st));
      });
    }
  }
  // Missions: one lane each, shaded in the months it acts, outlined from
  // its launch until it starts acting; the staff written where it changes.
  lanes.forEach((mi, i) => {
    const ly = ys + stripH + 14 + i * laneH;
    root.append(svg('text', { x: M.l - 8, y: ly + 22, 'text-anchor': 'end', 'font-size': font - 6 }, shortName(mi.name, 15)));
    root.append(svg('line', { x1: M.l, x2: CW - M.r, y1: ly + laneH - 4, y2: ly + laneH - 4, stroke: '#ccc' }));
    if (mi.launched && mi.launch != null && mi.launch >= 0 && mi.launch <= s.month && (mi.from == null || mi.from > mi.launch)) {
      const end = Math.min(mi.from != null && mi.from <= mi.to ? mi.from : s.month, s.month);
      if (end > mi.launch) root.append(svg('rect', { x: x(mi.launch), y: ly + 4, width: x(end) - x(mi.launch), height: laneH - 12, fill: 'none', stroke: '#0072b2', 'stroke-width': 2, 'stroke-dasharray': '5 4' }));
    }
    let prev = -1;
    for (let m = 0; m <= Math.min(s.month, mi.staff.length - 1); m++) {
      const v = mi.staff[m] || 0;
      if (v > 0) {
        root.append(svg('rect', { x: x(m) - (CW - M.l - M.r) / n / 2, y: ly + 4, width: (CW - M.l - M.r) / n, height: laneH - 12, fill: '#0072b2' }));
        if (v !== prev) root.append(svg('text', { x: x(m) - (CW - M.l - M.r) / n / 2 + 3, y: ly - 1, 'font-size': font - 8, 'font-weight': 'bold' }, staffText(v)));
      }
      prev = v;
    }
    if (mi.consented === false) root.append(svg('text', { x: x(mi.launch ?? 0) + 4, y: ly + 22, 'font-size': font - 6, fill: '#b00020', 'font-weight': 'bold' }, 'no consent: it cannot act'));
  });
  // Legend: a sample of each line with its name, in the right margin.
  if (legend.length) {
    const lf = Math.max(14, Math.min(font, Math.floor(plotH / legend.length) - 4));
    const lx = CW - legendW + 6;
    legend.forEach((w, i) => {
      const ly = M.t + 8 + i * (lf + 6);
      const st = opts.style(w);
      root.append(svg('line', { x1: lx, x2: lx + 44, y1: ly + lf / 2 - 3, y2: ly + lf / 2 - 3, stroke: st.colour, 'stroke-width': st.width, 'stroke-dasharray': st.dash || null }));
      root.append(svg('text', { x: lx + 52, y: ly + lf - 4, 'font-size': lf, 'font-weight': REFERENCE[w.key] ? null : 'bold' }, w.label));
    });
  }
  return root;
}

function shortName(s, n = 14) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

// ---------- facilitator ----------

function renderFacilitator(s) {
  const joinURL = s.join_url ? new URL(s.join_url, location.href).href : '';
  $('join-url').textContent = joinURL || '–';
  // A short code is read out and typed; a long one (a token) only
  // matters inside the link: shown smaller, in groups of four.
  const code = s.join_code || '–';
  $('join-code').textContent = code;
  $('join-code').dataset.code = code;
  $('join-code-line').hidden = code.length > 10;
  const teams = s.teams;
  const decided = teams.filter((t) => t.decided).length;
  $('tiles-head').textContent = 'Teams: ' + decided + ' of ' + teams.length + ' decided';
  $('tiles').classList.toggle('many', teams.length > 8);
  $('tiles').replaceChildren(...teams.map((t, i) => el('div', { class: 'tile ' + (t.decided ? 'decided' : 'waiting'), 'data-team': t.name, 'data-decided': t.decided ? '1' : '0' },
    swatch(teamStyle(i)), el('span', { class: 'name', text: t.name }), el('span', { class: 'mark' }, t.decided ? '✓' : '…', el('span', { class: 'word', text: t.decided ? ' decided' : ' waiting' })))));
  const ended = s.status === 'ended';
  const to = Math.min(s.month + s.round_months, s.horizon);
  const reveal = $('reveal');
  reveal.textContent = 'Reveal round ' + s.round + ' → month ' + to;
  reveal.disabled = ended;
  reveal.dataset.round = String(s.round);
  $('event-month').textContent = String(s.month + 1);
  const sel = $('event-country');
  const countries = (s.worlds[0] && s.worlds[0].story.countries) || [];
  if (sel.options.length !== countries.length) {
    sel.replaceChildren(...countries.map((c) => el('option', { value: c.id, text: c.name })));
  }
  const cname = (id) => ((s.countries || []).find((c) => c.id === id) || { name: id }).name;
  $('events').replaceChildren(...s.events.map((e) => el('li', { text: 'month ' + e.month + ': ' + (e.name || e.label) + ' in ' + cname(e.country) + ', size ' + signed(Number(e.size), 2) })));
  $('dl-file').href = apiURL('file');
  $('dl-file').setAttribute('download', 'exercise-' + exID + '.json');
  drawWorlds(s, $('charts'));
}

function drawWorlds(s, box) {
  const worlds = s.worlds.filter((w) => w.story);
  box.replaceChildren();
  if (!worlds.length) return;
  const style = (w) => worldStyle(w, s.teams);
  const span = s.month ? 'month 0 to ' + s.month : 'at the start';
  $('chart-caption').textContent = worlds.length > 2
    ? 'Tension, ' + span + ': each team\'s world (same random numbers), no mission and the plan as written; ▼ events, ▲ clashes'
    : 'Tension, ' + span + ': no mission and the plan as written (teams appear once they join); ▼ events, ▲ clashes';
  worlds[0].story.countries.forEach((c, i) => {
    if (worlds[0].story.countries.length > 1) box.append(el('div', { class: 'small', text: c.name }));
    box.append(storyChart(s, i, worlds, { legend: true, style, height: 300, box: worlds[0].story.countries.length === 1 ? box : null,
      label: 'Tension in ' + c.name + ' by month, one line per team and for no mission and the plan as written' }));
  });
}

async function reveal() {
  const s = current;
  if (!s) return;
  $('reveal-error').textContent = '';
  $('reveal').disabled = true;
  const r = await call('POST', apiURL('advance'), { round: s.round });
  if (!r.ok) { $('reveal-error').textContent = r.data.error; $('reveal').disabled = false; return; }
  refresh();
}

let endArmed = 0;
async function endExercise() {
  if (!endArmed) {
    // Two clicks, so that a stray one does not end the session.
    $('end').textContent = 'Click again to end now';
    endArmed = setTimeout(() => { endArmed = 0; $('end').textContent = 'End the exercise'; }, 5000);
    return;
  }
  clearTimeout(endArmed);
  endArmed = 0;
  $('end').textContent = 'End the exercise';
  const r = await call('POST', apiURL('end'), {});
  if (!r.ok) { $('reveal-error').textContent = r.data.error; return; }
  refresh();
}

async function injectEvent(e) {
  e.preventDefault();
  $('event-error').textContent = '';
  const size = parseFloat($('event-size').value);
  const name = $('event-name').value.trim();
  if (!Number.isFinite(size)) { $('event-error').textContent = 'The size must be a number, e.g. 0.15 (tension added) or -0.1.'; $('event-size').classList.add('bad'); return; }
  $('event-size').classList.remove('bad');
  const r = await call('POST', apiURL('event'), { country: $('event-country').value, size, name });
  if (!r.ok) { $('event-error').textContent = r.data.error; return; }
  $('event-name').value = '';
  refresh();
}

// ---------- team ----------

function myDecisions(s) {
  // [{round, actions}] whether the server sends a list or a map by round.
  const d = s.my_decisions || [];
  if (Array.isArray(d)) return d.map((x, i) => (Array.isArray(x) ? { round: i + 1, actions: x } : x));
  return Object.entries(d).map(([k, v]) => ({ round: +k, actions: Array.isArray(v) ? v : v.actions }));
}

function missionStory(s, id) {
  return s.story ? s.story.missions.find((m) => m.id === id) : null;
}

function stateWords(m, ms, s) {
  const st = m.state;
  if (st === 'available') return 'not launched';
  if (st === 'ended') return 'ended' + (ms && ms.to != null && ms.to >= 0 ? ' (last acted in month ' + ms.to + ')' : '');
  if (st === 'refused' || (ms && ms.consented === false)) return 'refused: launched' + (m.launch_month != null ? ' in month ' + m.launch_month : '') + ', but the government refused consent; it cannot act';
  const launch = m.launch_month ?? (ms && ms.launch);
  const first = m.first_month ?? (ms && ms.from);
  if (st === 'launched') return 'launched' + (launch != null ? ' in month ' + launch : '') + (first != null ? ', acts from month ' + first : '');
  return 'acting with ' + staffText(m.staff_now ?? m.staff) + ' staff' + (first != null ? ' since month ' + first : '');
}

function staffInput(m, id, value) {
  const min = m.staff_min ?? 0;
  const max = m.staff_max;
  return el('input', { type: 'number', id, min: String(min), max: max != null ? String(max) : null, step: 'any', value: String(value), 'data-min': String(min), 'data-max': max != null ? String(max) : '', inputmode: 'decimal' });
}

function buildMenu(s) {
  const box = $('menu');
  box.replaceChildren();
  const ended = s.status === 'ended';
  for (const m of s.missions) {
    const ms = missionStory(s, m.id);
    const id = 'm-' + m.id;
    const range = ' (' + staffText(m.staff_min ?? 0) + '–' + (m.staff_max != null ? staffText(m.staff_max) : '…') + ')';
    const card = el('div', { class: 'mission', 'data-mission': m.id, 'data-state': m.state },
      el('div', { class: 'head' }, el('span', { class: 'name', text: m.name }), el('span', { class: 'state ' + m.state, text: stateWords(m, ms, s) })),
      el('div', { class: 'facts', text: [(m.kind || '').replace(/_/g, ' '), (m.countries || []).join(', '),
        m.state === 'available' ? 'launched now, it first acts in month ' + (s.month + (m.startup_delay_months ?? 0) + 1) : null,
        m.duration_months ? 'acts for ' + m.duration_months + ' months' : null,
        money(m.cost_per_staff_month) + ' per staff-month'].filter(Boolean).join(' · ') }));
    const fs = el('fieldset', { 'data-for': m.id }, el('legend', { text: 'Decision on ' + m.name }));
    if (m.state === 'available') {
      const cb = el('input', { type: 'checkbox', id: id + '-launch', 'data-action': 'launch' });
      fs.append(el('label', { for: id + '-launch' }, cb, 'Launch'),
        el('label', { for: id + '-staff' }, 'with staff', staffInput(m, id + '-staff', m.staff), el('span', { class: 'muted small', text: range })));
    } else if (m.state === 'launched' || m.state === 'acting') {
      const radio = (v, text) => el('label', { for: id + '-' + v }, el('input', { type: 'radio', name: id + '-act', id: id + '-' + v, value: v, checked: v === 'keep' }), text);
      fs.append(radio('keep', 'Keep'), radio('resize', 'Resize to'),
        el('label', { for: id + '-staff', class: 'staff' }, staffInput(m, id + '-staff', m.staff_now || m.staff), el('span', { class: 'muted small', text: 'staff' + range })),
        radio('end', 'End'));
      fs.querySelector('input[type=number]').setAttribute('aria-label', 'Resize ' + m.name + ' to staff');
    }
    if (fs.children.length > 1 && !ended) card.append(fs);
    card.append(el('div', { class: 'err', 'data-err': m.id }));
    box.append(card);
  }
  for (const input of box.querySelectorAll('input')) {
    input.addEventListener('input', formChanged);
    input.addEventListener('change', formChanged);
  }
  // Typing a staff figure selects "resize" or "launch" for you.
  for (const input of box.querySelectorAll('input[type=number]')) {
    input.addEventListener('input', () => {
      const mid = input.id.slice(2, -6);
      const launch = $('m-' + mid + '-launch');
      const resize = $('m-' + mid + '-resize');
      if (launch) launch.checked = true;
      if (resize) resize.checked = true;
      formChanged();
    });
  }
}

function actionsFromForm() {
  const out = [];
  for (const card of $('menu').querySelectorAll('.mission')) {
    const id = card.dataset.mission;
    const staff = $('m-' + id + '-staff');
    const launch = $('m-' + id + '-launch');
    const act = card.querySelector('input[name="m-' + id + '-act"]:checked');
    if (launch && launch.checked) out.push({ mission: id, action: 'launch', staff: parseFloat(staff.value) });
    else if (act && act.value === 'resize') out.push({ mission: id, action: 'resize', staff: parseFloat(staff.value) });
    else if (act && act.value === 'end') out.push({ mission: id, action: 'end' });
  }
  return out;
}

function applyActions(actions) {
  for (const card of $('menu').querySelectorAll('.mission')) {
    const id = card.dataset.mission;
    const a = (actions || []).find((x) => x.mission === id);
    const launch = $('m-' + id + '-launch');
    if (launch) launch.checked = !!a && a.action === 'launch';
    const keep = $('m-' + id + '-keep');
    if (keep) {
      const v = a && (a.action === 'resize' || a.action === 'end') ? a.action : 'keep';
      $('m-' + id + '-' + v).checked = true;
    }
    if (a && a.staff != null && $('m-' + id + '-staff')) $('m-' + id + '-staff').value = String(a.staff);
  }
}

function draftKey(s) { return storeKey + ':draft:' + s.round; }

function formChanged() {
  const s = current;
  if (!s) return;
  const now = JSON.stringify(actionsFromForm());
  try { localStorage.setItem(draftKey(s), now); } catch (e) { /* private mode: no draft */ }
  for (const card of $('menu').querySelectorAll('.mission')) {
    card.classList.toggle('chosen', actionsFromForm().some((a) => a.mission === card.dataset.mission));
  }
  $('dirty').textContent = submitted === null ? '' : now !== submitted ? 'Changed: submit again to keep these changes.' : '';
  if (submitted === null && now !== '[]') $('dirty').textContent = 'Not submitted yet.';
}

// checkForm marks staff figures outside the mission's bounds before
// sending (the server checks them again).
function checkForm() {
  let ok = true;
  for (const e of $('menu').querySelectorAll('.err')) e.textContent = '';
  for (const e of $('menu').querySelectorAll('.bad')) e.classList.remove('bad');
  for (const a of actionsFromForm()) {
    if (a.action === 'end') continue;
    const input = $('m-' + a.mission + '-staff');
    const min = parseFloat(input.dataset.min);
    const max = input.dataset.max === '' ? Infinity : parseFloat(input.dataset.max);
    if (!Number.isFinite(a.staff) || a.staff < min || a.staff > max) {
      ok = false;
      input.classList.add('bad');
      document.querySelector('[data-err="' + a.mission + '"]').textContent = 'Staff must be a number from ' + staffText(min) + ' to ' + (max === Infinity ? 'any' : staffText(max)) + '.';
    }
  }
  return ok;
}

async function submitDecision(e) {
  e.preventDefault();
  const s = current;
  if (!s || s.status === 'ended') return;
  $('decide-error').textContent = '';
  if (!checkForm()) { $('decide-error').textContent = 'Not sent: correct the figures marked in red.'; return; }
  const actions = actionsFromForm();
  $('submit').disabled = true;
  const r = await call('POST', apiURL('decide'), { round: s.round, actions });
  $('submit').disabled = false;
  if (!r.ok) {
    $('decide-error').textContent = r.data.error || 'The decision was not accepted.';
    refresh();
    return;
  }
  submitted = JSON.stringify(actions);
  formChanged();
  refresh();
}

function describeAction(a, s) {
  const m = s.missions.find((x) => x.id === a.mission);
  const name = m ? m.name : a.mission;
  if (a.action === 'launch') return 'launch ' + name + ' with ' + staffText(a.staff) + ' staff';
  if (a.action === 'resize') return 'resize ' + name + ' to ' + staffText(a.staff) + ' staff';
  if (a.action === 'end') return 'end ' + name;
  return a.action + ' ' + name;
}

function renderTeam(s) {
  $('description').textContent = (s.description || '').split('\n\n')[0];
  $('title').textContent = (s.team ? 'Team ' + s.team + ' · ' : '') + s.title;
  if (s.team) remember(s.team, token, location.pathname + location.search);
  const ended = s.status === 'ended';
  const decisions = myDecisions(s);
  const mine = decisions.find((d) => d.round === s.round);
  const key = s.round + ':' + s.status;
  if (key !== formKey) {
    formKey = key;
    buildMenu(s);
    submitted = s.decided && mine ? JSON.stringify(mine.actions || []) : null;
    let draft = null;
    try { draft = localStorage.getItem(draftKey(s)); } catch (e) { /* none */ }
    applyActions(draft ? JSON.parse(draft) : mine ? mine.actions : []);
    formChanged();
    $('decide-error').textContent = '';
  } else if (s.decided && mine) {
    submitted = JSON.stringify(mine.actions || []);
    formChanged();
  }
  const banner = $('banner');
  if (ended) {
    banner.className = 'banner ended';
    banner.textContent = 'The exercise has ended: the debrief is below.';
  } else if (s.decided) {
    banner.className = 'banner decided';
    banner.textContent = 'Decided: waiting for the facilitator. You can change your decision and submit again until the round is revealed.';
  } else {
    const to = Math.min(s.month + s.round_months, s.horizon);
    banner.className = 'banner deciding';
    banner.textContent = 'Round ' + s.round + ': decide for months ' + (s.month + 1) + (to > s.month + 1 ? '–' + to : '') + ', then submit. Submitting nothing means: change nothing.';
  }
  banner.dataset.decided = s.decided ? '1' : '0';
  $('decide-form').hidden = ended;
  $('submit').textContent = s.decided ? 'Submit again' : 'Submit';
  $('decisions').replaceChildren(...decisions.filter((d) => d.round < s.round || (d.round === s.round && s.decided)).map((d) =>
    el('li', { text: 'Round ' + d.round + ': ' + ((d.actions || []).length ? d.actions.map((a) => describeAction(a, s)).join('; ') : 'no change') })));
  const box = $('charts');
  box.replaceChildren();
  if (s.story) {
    const world = { key: 'mine', label: s.team || 'your world', story: s.story };
    $('chart-caption').textContent = 'Your world, ' + (s.month ? 'month 0 to ' + s.month : 'at the start') + ': tension, stage, events (▼), clashes (▲), missions acting (blue)';
    s.story.countries.forEach((c, i) => {
      if (s.story.countries.length > 1) box.append(el('div', { class: 'small', text: c.name }));
      box.append(storyChart(s, i, [world], { style: () => ({ colour: '#000', width: 5 }), stageStrip: true, stageLegend: true, height: 280, box: s.story.countries.length === 1 ? box : null,
        missions: s.story.missions.filter((m) => !m.country || m.country === c.id || s.story.countries.length === 1),
        label: 'Tension in ' + c.name + ' by month in your world, with thresholds, events and your missions' }));
    });
  }
}

// ---------- debrief ----------

async function showDebrief(s) {
  if (debriefShown) return;
  debriefShown = true;
  const box = $('debrief');
  box.hidden = false;
  if (role === 'facilitator') $('play').hidden = true;
  box.replaceChildren(el('p', { class: 'lead', text: 'Computing the debrief: every strategy on ' + (s.debrief_runs || 'all the') + ' runs with the same random numbers…' }));
  const r = await call('GET', apiURL('debrief'));
  if (!r.ok) {
    const again = el('button', { type: 'button', text: 'Try again' });
    again.addEventListener('click', () => { debriefShown = false; showDebrief(current); });
    box.replaceChildren(el('p', { class: 'err', text: r.data.error || 'The debrief failed.' }), again);
    return;
  }
  renderDebrief(s, r.data, box);
}

function strategyLabel(st, s) {
  if (st.name === 'none') return 'No mission';
  if (st.name === 'historical') return 'As planned';
  const t = s.teams.find((x) => x.strategy === st.name || ('team_' + (x.slug || '')) === st.name);
  return t ? 'Team ' + t.name : (st.title || st.name);
}

function strategyStyle(name, s, comparison) {
  if (REFERENCE[name]) return REFERENCE[name];
  return teamStyle(Math.max(0, teamIndexByStrategy(name, s.teams, comparison)));
}

function share(p) { return p > 0 && p < 0.01 ? (100 * p).toFixed(1) + '%' : Math.round(100 * p) + '%'; }

// rankWords says where the played world lies among all the debrief's runs
// of one strategy, by months at war in the headline country.
function rankWords(r) {
  if (!r) return '';
  const bad = r.share_at_least_as_bad;
  const good = r.share_at_least_as_good;
  if (!r.war || !r.war_months) {
    return 'no war' + (r.war && r.first_war >= 0 ? ' at the end of a month (war broke out in month ' + r.first_war + ')' : '') +
      (good != null ? ': as good as it gets, which ' + share(good) + ' of runs achieved' : '');
  }
  let s = 'war from month ' + r.first_war + ', ' + r.war_months + ' month' + (r.war_months === 1 ? '' : 's') + ' at war';
  if (bad == null) return s;
  if (bad <= 0.5) return s + ': your world was among the ' + share(bad) + ' worst';
  return s + ': ' + share(1 - bad) + ' of runs were worse, ' + share(bad) + ' as bad or better';
}

function worldRanks(d) {
  const w = d.world || {};
  const rank = w.rank || w.ranks || {};
  const map = {};
  for (const r of asList(rank, 'strategy')) map[r.strategy || r.name] = r;
  return map;
}

function renderDebrief(s, d, box) {
  const cmp = d.comparison;
  const base = cmp.baseline || 'none';
  const ranks = worldRanks(d);
  const head = el('h1', { text: 'Debrief: ' + cmp.runs.toLocaleString('en') + ' runs of ' + (cmp.title || cmp.scenario) });
  const lead = el('p', { class: 'lead', text: 'Each strategy is played on the same ' + cmp.runs.toLocaleString('en') +
    ' worlds (common random numbers); the differences are paired against "no mission", with 95% intervals (for costs, from the runs\' paired costs: escalate compare prints the means). Headline country: ' + (cmp.headline ? cmp.headline.name : '') + '.' });
  const table = el('table', { class: 'results', id: 'debrief-table' });
  table.append(el('thead', {}, el('tr', {},
    el('th', { text: 'Strategy' }), el('th', { text: 'P(war), 95% interval' }), el('th', { text: 'vs no mission, points' }),
    el('th', { text: 'months at war' }), el('th', { text: 'vs no mission' }), el('th', { text: 'mission cost' }),
    el('th', { text: 'cost per war averted' }))));
  const tbody = el('tbody');
  // Paired cost intervals come from the debrief (escalate compare gives
  // the means only).
  const costs = {};
  for (const c of d.costs || []) costs[c.strategy] = c;
  for (const st of cmp.strategies) {
    const v = st.vs_baseline || {};
    const cc = costs[st.name] || {};
    const isBase = st.name === base;
    const num = (k, value, text, ci) => el('td', { class: 'num', 'data-k': k, 'data-value': value == null ? 'null' : String(value) }, text, ci ? el('span', { class: 'ci', text: ci }) : null);
    const cpwa = v.cost_per_war_averted;
    tbody.append(el('tr', { class: isBase ? 'base' : null, 'data-strategy': st.name },
      el('td', { class: 'who' }, swatch(strategyStyle(st.name, s, cmp)), ' ', el('strong', { text: strategyLabel(st, s) })),
      num('p_war', st.p_war, pct(st.p_war), pct(st.p_war_ci95[0]) + '–' + pct(st.p_war_ci95[1])),
      isBase ? el('td', { class: 'num', text: 'baseline' }) : num('p_war_diff', v.p_war_diff, points(v.p_war_diff), points(v.p_war_diff_ci95[0]) + ' to ' + points(v.p_war_diff_ci95[1])),
      num('war_months', st.war_months_mean, st.war_months_mean.toFixed(2)),
      isBase ? el('td', { class: 'num', text: 'baseline' }) : num('war_months_diff', v.war_months_diff, signed(v.war_months_diff, 2), signed(v.war_months_diff_ci95[0], 2) + ' to ' + signed(v.war_months_diff_ci95[1], 2)),
      num('cost', st.cost_mean, money(st.cost_mean), isBase || !cc.cost_diff_ci95 ? null : 'extra ' + money(cc.cost_diff_ci95[0]) + ' to ' + money(cc.cost_diff_ci95[1])),
      isBase ? el('td', { class: 'num', text: '–' }) : num('cost_per_war_averted', cpwa, cpwa == null ? (v.dominant ? 'fewer wars for less' : 'no war averted') : money(cpwa),
        cpwa != null && cc.cost_per_war_averted_ci95 ? money(cc.cost_per_war_averted_ci95[0]) + '–' + money(cc.cost_per_war_averted_ci95[1]) : null)));
  }
  table.append(tbody);
  const bars = el('div', { class: 'bars' },
    barChart('P(war), with 95% interval', cmp, s, (st) => st.p_war, (st) => st.p_war_ci95, (v) => pct(v, 0), 1),
    barChart('Months at war, mean per run', cmp, s, (st) => st.war_months_mean, null, (v) => v.toFixed(1)),
    barChart('Mission cost, mean per run', cmp, s, (st) => st.cost_mean, null, money),
    barChart('Cost per war averted (vs no mission)', cmp, s, (st) => st.name === base ? null : (st.vs_baseline || {}).cost_per_war_averted, null, money));
  const world = d.world || {};
  const rankList = el('ul', { class: 'ranks' });
  for (const st of cmp.strategies) {
    if (!ranks[st.name]) continue;
    rankList.append(el('li', { 'data-strategy': st.name }, el('strong', { text: strategyLabel(st, s) + ': ' }), rankWords(ranks[st.name])));
  }
  const dl = el('div', { class: 'downloads' }, 'Take it home: ',
    el('a', { href: apiURL('export.toml'), download: 'exercise-' + exID + '.toml', id: 'dl-export' }, 'export.toml (escalate compare reproduces this table)'),
    role === 'facilitator' ? el('a', { href: apiURL('file'), download: 'exercise-' + exID + '.json', id: 'dl-file-end' }, 'the exercise file (to replay it or play it again with a new group)') : null);
  box.replaceChildren(head, lead, table,
    el('h2', { text: 'The world you played' + (world.run != null ? ' (run ' + world.run + ' of ' + cmp.runs.toLocaleString('en') + ')' : '') }), rankList,
    dl, bars, el('p', { class: 'command', id: 'debrief-command', text: d.command || '' }));
  // The story of the played world under the debrief, for the discussion.
  if (role === 'facilitator' && s.worlds.length) {
    const fig = el('div', { class: 'chart-box' }, el('h2', { text: 'Tension in the world you played, every strategy' }));
    drawWorlds(s, fig);
    box.append(fig);
  }
  box.dataset.ready = '1';
}

// barChart draws one measure for every strategy as horizontal bars (the
// team names are long), with an interval when there is one.
function barChart(title, cmp, s, value, ci, fmt, fixedMax) {
  const rows = cmp.strategies;
  const font = 24;
  const rowH = 42;
  const M = { l: 170, r: 100, t: 48, b: 12 };
  const W = 640;
  const H = M.t + rows.length * rowH + M.b;
  const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
  root.append(svg('text', { x: 4, y: 28, 'font-size': font + 2, 'font-weight': 'bold' }, title));
  let max = fixedMax || 0;
  if (!fixedMax) for (const st of rows) { const v = value(st); if (v != null && v > max) max = v; }
  if (max <= 0) max = 1;
  const x = (v) => M.l + (W - M.l - M.r) * Math.max(0, v) / max;
  root.append(svg('line', { x1: M.l, x2: M.l, y1: M.t - 4, y2: H - M.b, stroke: '#000', 'stroke-width': 2 }));
  rows.forEach((st, i) => {
    const y = M.t + i * rowH;
    const st0 = strategyStyle(st.name, s, cmp);
    root.append(svg('text', { x: M.l - 8, y: y + rowH / 2 + 7, 'text-anchor': 'end', 'font-size': font }, shortName(strategyLabel(st, s).replace(/^Team /, ''))));
    const v = value(st);
    if (v == null) {
      root.append(svg('text', { x: M.l + 8, y: y + rowH / 2 + 7, 'font-size': font - 2, fill: '#333' }, st.name === (cmp.baseline || 'none') ? 'baseline' : 'no war averted'));
      return;
    }
    root.append(svg('rect', { x: M.l, y: y + 6, width: Math.max(1, x(v) - M.l), height: rowH - 12, fill: st0.colour, opacity: REFERENCE[st.name] ? 0.55 : 0.9 }));
    let end = x(v);
    if (ci) {
      const [lo, hi] = ci(st);
      root.append(svg('line', { x1: x(lo), x2: x(hi), y1: y + rowH / 2, y2: y + rowH / 2, stroke: '#000', 'stroke-width': 3 }));
      for (const b of [lo, hi]) root.append(svg('line', { x1: x(b), x2: x(b), y1: y + 10, y2: y + rowH - 10, stroke: '#000', 'stroke-width': 3 }));
      end = Math.max(end, x(hi));
    }
    root.append(svg('text', { x: end + 6, y: y + rowH / 2 + 7, 'font-size': font - 2, 'font-weight': 'bold' }, fmt(v)));
  });
  return root;
}

// ---------- state loop ----------

let version = null;

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (current) render(current.raw); }, 200);
});

function render(raw) {
  const s = norm(raw);
  s.raw = raw;
  current = s;
  renderClock(s);
  if (role === 'facilitator') renderFacilitator(s); else renderTeam(s);
  document.body.dataset.version = String(raw.version);
  if (s.status === 'ended') showDebrief(s);
}

// refresh fetches the state now (after this page changed it), without
// waiting for the long poll.
async function refresh() {
  const r = await call('GET', apiURL('state'));
  if (r.ok && (version == null || r.data.version > version)) { version = r.data.version; render(r.data); }
  else if (!r.ok) $('global-error').textContent = r.data.error;
}

async function poll() {
  let failures = 0;
  for (;;) {
    const r = await call('GET', apiURL('state', version == null ? {} : { since: String(version) }));
    if (r.ok) {
      failures = 0;
      $('conn').textContent = '';
      if (version == null || r.data.version > version) { version = r.data.version; render(r.data); }
      continue;
    }
    if (r.status === 403 || r.status === 404 || r.status === 400) {
      // A wrong token or a removed exercise: retrying will not help.
      $('global-error').textContent = r.data.error;
      return;
    }
    failures++;
    $('conn').textContent = 'Connection lost: retrying…';
    await sleep(Math.min(10000, 1000 * failures));
  }
}

// ---------- team identity ----------

function remembered() {
  try { return JSON.parse(localStorage.getItem(storeKey) || 'null'); } catch (e) { return null; }
}
function remember(team, tok, url) {
  try { localStorage.setItem(storeKey, JSON.stringify({ team, token: tok, url })); } catch (e) { /* private mode */ }
}

function showJoin() {
  $('clock').textContent = '';
  $('join-form').hidden = false;
  $('play').hidden = true;
  const code = params.get('code') || '';
  const mine = remembered();
  if (mine && mine.token) {
    const p = $('join-resume');
    p.hidden = false;
    p.replaceChildren('This browser already plays as team ', el('strong', { text: mine.team }), ': ',
      el('a', { href: mine.url || ('/exercise/' + exID + '/team?token=' + mine.token) }, 'continue as ' + mine.team), '. Or join as a new team:');
  }
  $('team-name').focus();
  $('join-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('join-error').textContent = '';
    const name = $('team-name').value.trim();
    if (!name) { $('join-error').textContent = 'Give your team a name (1 to 24 characters).'; return; }
    const r = await call('POST', '/api/exercise/' + encodeURIComponent(exID) + '/join?code=' + encodeURIComponent(code), { team: name });
    if (!r.ok) { $('join-error').textContent = r.data.error; return; }
    const url = r.data.team_url || ('/exercise/' + exID + '/team?token=' + r.data.team_token);
    remember(r.data.team, r.data.team_token, url);
    location.replace(url);
  });
}

// ---------- start ----------

function init() {
  if (!exID) { $('global-error').textContent = 'This address names no exercise.'; return; }
  if (role === 'facilitator') {
    $('reveal').addEventListener('click', reveal);
    $('end').addEventListener('click', endExercise);
    $('event-form').addEventListener('submit', injectEvent);
    for (const b of document.querySelectorAll('#timer button')) b.addEventListener('click', () => setTimer(parseInt(b.dataset.seconds, 10)));
    if (!token) { $('global-error').textContent = 'This address has no facilitator token: open the address the exercise was created with.'; return; }
    poll();
    return;
  }
  if (pageKind === 'join') { showJoin(); return; }
  if (!token) {
    const mine = remembered();
    if (mine && mine.token) {
      token = mine.token;
      history.replaceState(null, '', location.pathname + '?token=' + encodeURIComponent(token));
    }
  }
  if (!token) { $('global-error').textContent = 'This address has no team token: open the join link again.'; return; }
  const mine = remembered();
  if (!mine || mine.token !== token) remember(mine && mine.token === token ? mine.team : '', token, location.pathname + location.search);
  $('play').hidden = false;
  $('decide-form').addEventListener('submit', submitDecision);
  poll();
}

init();

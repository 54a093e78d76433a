// Molt's dashboard: reads the open routes, follows /molt/events, and sends controls with the
// credentials the user signed in with (kept in sessionStorage, sent as HTTP basic). No framework,
// nothing fetched from elsewhere; every value from the server goes into the page as text.
'use strict';

const API = '..'; // the page is /molt/ui/: the API is /molt/...
const FINAL = new Set(['completed', 'rolled-back', 'failed', 'aborted']);
const IN_FLIGHT = new Set(['distributing', 'rolling']);
const DONE = new Set(['installed', 'unchanged', 'rolled-back']);
const EVENT_TYPES = ['started', 'phase', 'batch-started', 'install-finished', 'rollback-finished', 'finished', 'missed'];
// Which controls fit which phase; the server stays the judge (409 naming the phase).
const CONTROLS = {
  promote: p => p === 'paused',
  resume: p => p === 'paused',
  pause: p => IN_FLIGHT.has(p),
  abort: p => !FINAL.has(p),
  rollback: p => p !== 'rolling-back' && p !== 'rolled-back' && p !== 'aborted',
};
// A safety net for what no event announces (a node joining) and events lost while the singleton moves.
const POLL_MILLIS = 15000;
const RETRIES_ON_503 = 5;
const STORE_KEY = 'molt.credentials';

const $ = id => document.getElementById(id);
let shown = null; // the rollout on screen (the newest)

// ---- elements, always as text ----

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => { if (v !== undefined && v !== null) e.setAttribute(k, v); });
  children.forEach(c => e.append(c instanceof Node ? c : String(c ?? '')));
  return e;
}

function badge(text, kind) {
  return el('span', { class: 'badge ' + (kind || text) }, text);
}

function fill(tbody, rows, columns) {
  tbody.replaceChildren(...rows);
  if (rows.length === 0) tbody.append(el('tr', {}, el('td', { colspan: columns, class: 'muted' }, 'none')));
}

function release(r) {
  if (r && typeof r === 'object') return r.name + '-' + r.version;
  return typeof r === 'string' ? r : 'none';
}

function millis(ms) {
  if (ms < 1000) return ms + ' ms';
  return ms < 600000 ? (ms / 1000).toFixed(1) + ' s' : Math.floor(ms / 60000) + ' m ' + Math.floor(ms / 1000) % 60 + ' s';
}

// ---- messages: every failure is shown, with the server's error and detail ----

let messageFrom = null;

function show(text, kind, from) {
  const m = $('message');
  m.textContent = text;
  m.className = kind;
  m.hidden = false;
  messageFrom = from || null;
}

function clearFrom(from) {
  if (messageFrom === from) $('message').hidden = true;
}

async function problemText(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && body.error) return response.status + ' ' + body.error + ': ' + (body.detail || '');
  } catch (notJson) { /* shown as it came */ }
  return response.status + ' ' + (text.trim() || response.statusText);
}

// ---- credentials ----

function credentials() {
  const stored = sessionStorage.getItem(STORE_KEY);
  return stored ? JSON.parse(stored) : null;
}

function basic(c) {
  const bytes = new TextEncoder().encode(c.user + ':' + c.password);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

function showSignedIn() {
  const c = credentials();
  $('sign-in').hidden = !!c;
  $('signed-in').hidden = !c;
  $('signed-user').textContent = c ? c.user : '';
}

// ---- HTTP ----

async function read(path) {
  // credentials 'omit': a 401 never opens the browser's own password dialog. Signed in, reads carry
  // the credentials too, so the page also works where molt.http.open-reads = off (reads need viewer).
  const c = credentials();
  const headers = c ? { Accept: 'application/json', Authorization: basic(c) } : { Accept: 'application/json' };
  const response = await fetch(API + path, { credentials: 'omit', headers });
  if (!response.ok) throw new Error(await problemText(response));
  clearFrom(path);
  return response.json();
}

function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'ui-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/** A start or control: sent with an Idempotency-Key, so a 503 (the singleton moving) is retried safely. */
async function send(what, path, body) {
  const c = credentials();
  if (!c) {
    show(what + ': sign in first (the same user and password as moltctl)', 'error');
    return null;
  }
  const headers = { Authorization: basic(c), 'Idempotency-Key': idempotencyKey(), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await fetch(API + path, { method: 'POST', credentials: 'omit', headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (network) {
      show(what + ' not sent: ' + network.message, 'error');
      return null;
    }
    if (response.ok) return response.json();
    const problem = await problemText(response);
    if (response.status !== 503 || attempt > RETRIES_ON_503) {
      show(what + ' refused: ' + problem, 'error');
      return null;
    }
    show(what + ': ' + problem + ' (retry ' + attempt + '/' + RETRIES_ON_503 + ')', 'warn');
    await new Promise(done => setTimeout(done, 2000 * attempt));
  }
}

// ---- reading and drawing ----

async function load(path, draw) {
  try {
    draw(await read(path));
  } catch (failure) {
    show('reading ' + path + ': ' + failure.message, 'error', path);
  }
}

function drawCluster(view) {
  const members = (view.members || []).slice().sort((a, b) => a.node.localeCompare(b.node));
  fill($('nodes').tBodies[0], members.map(m => el('tr', { 'data-node': m.node },
    el('td', {}, m.node),
    el('td', { class: 'running' }, m.running || 'none'),
    el('td', {}, m.permanent || 'none'),
    el('td', { class: 'num' }, m.actors),
    el('td', {}, m.degraded ? badge('degraded', 'failed') : m.installing ? badge('installing', 'rolling')
      : m.ready ? badge('ready', 'completed') : badge('not ready', 'failed')),
    el('td', { class: 'muted' }, !m.licence ? '' : m.licence.keySet ? 'licence key set' : (m.licence.stopsAt || '')))), 6);
  const unreachable = view.unreachable || [];
  $('nodes-count').textContent = members.length + (unreachable.length ? ', unreachable: ' + unreachable.join(', ') : '');
}

function drawReleases(body) {
  const releases = body.releases || [];
  const nodes = [...new Set(releases.flatMap(r => Object.keys(r.nodes || {})))].sort();
  $('releases').tHead.replaceChildren(el('tr', {}, el('th', {}, 'release'), el('th', {}, 'sha256'), ...nodes.map(n => el('th', {}, n))));
  fill($('releases').tBodies[0], releases.map(r => el('tr', { 'data-release': r.name + '-' + r.version },
    el('td', {}, r.name + '-' + r.version),
    el('td', { class: 'muted mono', title: r.sha256 || '' }, (r.sha256 || '').slice(0, 12)),
    ...nodes.map(n => el('td', {}, r.nodes[n] ? badge(r.nodes[n], 'release-' + r.nodes[n]) : '')))), 2 + nodes.length);
  $('versions').replaceChildren(...releases.map(r => el('option', { value: r.version }, r.name + '-' + r.version)));
}

function drawRollouts(body) {
  const rollouts = (body.rollouts || []).slice().sort((a, b) => b.startedAtMillis - a.startedAtMillis);
  drawRollout(rollouts[0] || null);
  fill($('history').tBodies[0], rollouts.map(r => el('tr', {},
    el('td', { class: 'mono' }, r.id),
    el('td', {}, release(r.spec && r.spec.target)),
    el('td', {}, badge(r.phase)),
    el('td', {}, new Date(r.startedAtMillis).toLocaleString()),
    el('td', { class: 'num' }, r.finishedAtMillis > 0 ? millis(r.finishedAtMillis - r.startedAtMillis) : ''),
    el('td', { class: 'num' }, Object.keys(r.nodes || {}).length),
    el('td', { class: 'error' }, r.error || ''))), 7);
}

function drawRollout(r) {
  shown = r;
  const phase = r ? r.phase : 'none';
  const badgeEl = $('rollout-phase');
  badgeEl.textContent = phase;
  badgeEl.className = 'badge ' + phase;
  badgeEl.dataset.phase = phase;
  document.querySelectorAll('#controls button').forEach(b => { b.disabled = !r || !CONTROLS[b.dataset.action](phase); });
  if (!r) return;
  const spec = r.spec || {};
  const batches = r.batches || [];
  $('rollout-title').textContent = r.id + ' → ' + release(spec.target);
  // "batch" is the batch in flight, or the next one once a batch ended.
  const batch = Math.min(r.batch, batches.length);
  $('rollout-batch').textContent = batches.length === 0 ? '' : IN_FLIGHT.has(phase)
    ? 'batch ' + (batch + 1) + '/' + batches.length : batch + '/' + batches.length + ' batches done';
  $('rollout-spec').textContent = 'batch size ' + (spec.batchSize || 1) + ', ' + (spec.mode || 'barrier')
    + (spec.canary ? ', canary' : '') + (spec.pauseBetweenBatchesMillis > 0 ? ', pause between ' + millis(spec.pauseBetweenBatchesMillis) : '')
    + (spec.autoRollback === false ? ', no auto-rollback' : ', auto-rollback');
  $('rollout-took').textContent = r.finishedAtMillis > 0 ? 'took ' + millis(r.finishedAtMillis - r.startedAtMillis) : '';
  $('rollout-reason').textContent = phase === 'paused' ? 'waiting for promote or resume' : '';
  const names = batches.flatMap((b, i) => b.map(n => [n, i + 1]));
  const done = names.filter(([n]) => r.nodes[n] && DONE.has(r.nodes[n].status)).length;
  const bar = $('progress');
  bar.dataset.done = done;
  bar.dataset.total = names.length;
  $('progress-done').style.width = (names.length ? 100 * done / names.length : 0) + '%';
  $('progress-done').className = phase;
  $('progress-text').textContent = done + '/' + names.length + ' nodes done';
  fill($('rollout-nodes').tBodies[0], names.map(([n, b]) => nodeRow(r, n, b)), 9);
  $('rollout-error').hidden = !r.error;
  $('rollout-error').textContent = r.error ? 'error: ' + r.error : '';
}

function nodeRow(r, name, batch) {
  const o = r.nodes[name];
  if (!o) {
    return el('tr', { 'data-node': name }, el('td', {}, name), el('td', { class: 'num' }, batch),
      el('td', {}, release(r.previous && r.previous[name]) + ' → ' + release(r.spec.target)),
      el('td', { colspan: 6, class: 'muted' }, 'waiting'));
  }
  return el('tr', { 'data-node': name },
    el('td', {}, name), el('td', { class: 'num' }, batch),
    el('td', {}, release(o.from) + ' → ' + release(o.to)),
    el('td', {}, o.step),
    el('td', {}, badge(o.status, 'node-' + o.status)),
    el('td', { class: 'num' }, o.actors),
    el('td', { class: 'num' }, millis(o.tookMillis)),
    el('td', { class: 'num' }, (o.pauseMaxMicros / 1000).toFixed(1) + ' ms'),
    el('td', { class: 'error' }, o.error || ''));
}

// One refresh at a time; events that arrive meanwhile ask for one more.
let refreshing = false;
let again = false;

async function refresh() {
  if (refreshing) { again = true; return; }
  refreshing = true;
  try {
    do {
      again = false;
      await Promise.all([load('/rollouts', drawRollouts), load('/cluster', drawCluster), load('/releases', drawReleases)]);
    } while (again);
  } finally {
    refreshing = false;
  }
}

// ---- the event stream, reconnected with backoff ----

let backoff = 1000;

function setStream(state) {
  $('stream').textContent = state;
  $('stream').className = 'badge stream-' + state;
}

function follow() {
  setStream(backoff > 1000 ? 'reconnecting' : 'connecting');
  const source = new EventSource(API + '/events');
  source.onopen = () => { backoff = 1000; setStream('live'); refresh(); };
  source.onerror = () => {
    // Our own backoff instead of EventSource's fixed retry; a read after reconnecting catches up.
    source.close();
    setStream('reconnecting');
    setTimeout(follow, backoff);
    backoff = Math.min(backoff * 2, 30000);
  };
  EVENT_TYPES.forEach(type => source.addEventListener(type, event => {
    const data = JSON.parse(event.data);
    $('last-event').textContent = 'event ' + (event.lastEventId || '-') + ': ' + type
      + (data.phase ? ' ' + data.phase : '') + (data.node ? ' ' + data.node : '');
    $('last-event').dataset.type = type;
    refresh();
  }));
}

// ---- the user's actions ----

function wire() {
  $('sign-in').addEventListener('submit', e => {
    e.preventDefault();
    sessionStorage.setItem(STORE_KEY, JSON.stringify({ user: $('user').value, password: $('password').value }));
    $('password').value = '';
    showSignedIn();
  });
  $('sign-out').addEventListener('click', () => { sessionStorage.removeItem(STORE_KEY); showSignedIn(); });
  $('start').addEventListener('submit', async e => {
    e.preventDefault();
    const batch = $('start-batch').value.trim();
    const spec = { target: $('start-target').value.trim(), batchSize: /^\d+$/.test(batch) ? Number(batch) : batch,
      canary: $('start-canary').checked, mode: $('start-mode').value };
    const started = await send('start of ' + spec.target, '/rollouts', spec);
    if (started) show('rollout ' + started.id + ' started', 'info');
    refresh();
  });
  document.querySelectorAll('#controls button').forEach(b => b.addEventListener('click', async () => {
    if (!shown) return;
    const action = b.dataset.action;
    const now = await send(action + ' of ' + shown.id, '/rollouts/' + encodeURIComponent(shown.id) + '/' + action);
    if (now) show(action + ' of ' + now.id + ' accepted: ' + now.phase, 'info');
    refresh();
  }));
}

showSignedIn();
wire();
follow();
setInterval(refresh, POLL_MILLIS);

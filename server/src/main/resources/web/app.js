// The Rapidfire dashboard. Reads /admin/* and /metrics every 2 s and draws them; acts (flush, clear, replay,
// purge, policies, the doctor) through the same admin routes, which check the token. Nothing here is trusted
// by the server: a missing or wrong token is refused there, and the page shows the refusal.
'use strict';
const POLL_MS = 2000;
const KEEP = 150; // samples kept for the rate charts: five minutes
const state = { token: sessionStorage.getItem('rapidfire-token') || '', canAct: false, numbersShown: false, page: 0,
  samples: [], last: null };
// Acting on a conversation needs its whole key: the masked view's keys name nobody (the server refuses them).
const onConversation = () => (state.canAct && state.numbersShown ? '' : ' disabled title="sign in with the admin token to act on a conversation"');
const $ = (id) => document.getElementById(id);
// Redraw a table only when its content changed, so a row being clicked is not replaced under the pointer.
function fill(id, html) {
  const el = $(id);
  if (el.innerHTML !== html && el.dataset.html !== html) {
    el.innerHTML = html;
    el.dataset.html = html;
  }
}

function show(text, ok) {
  const m = $('message');
  m.textContent = text || '';
  m.className = text ? (ok ? 'ok' : 'error') : '';
}

async function api(path, options) {
  const o = Object.assign({ headers: {} }, options || {});
  if (state.token) o.headers.Authorization = 'Bearer ' + state.token;
  const r = await fetch(path, o);
  const text = await r.text();
  let body;
  try { body = JSON.parse(text); } catch (e) { body = { text }; }
  if (!r.ok) {
    const err = new Error((body && body.error) || (r.status + ' ' + r.statusText));
    err.status = r.status;
    throw err;
  }
  return body;
}

function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/);
    if (!m) continue;
    const labels = {};
    (m[3] || '').replace(/(\w+)="((?:[^"\\]|\\.)*)"/g, (_, k, v) => { labels[k] = v; return ''; });
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}
const sum = (ms, name) => ms.filter((m) => m.name === name).reduce((a, m) => a + m.value, 0);
function buckets(ms, name) {
  const b = ms.filter((m) => m.name === name && m.labels.le !== '+Inf')
    .map((m) => ({ le: Number(m.labels.le), n: m.value })).sort((a, c) => a.le - c.le);
  const total = sum(ms.filter((m) => m.labels.le === '+Inf'), name);
  return { b, total };
}

const fmtMs = (ms) => (ms == null ? '–' : Math.abs(ms) < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(1) + ' s');
const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const charts = {};
function lineChart(id, series, data) {
  const el = $(id);
  const width = Math.max(280, el.clientWidth || 320);
  if (!charts[id]) {
    charts[id] = new uPlot({ width, height: 160, series: [{}].concat(series), axes: [{}, { size: 40 }],
      legend: { show: true } }, data, el);
  } else {
    charts[id].setData(data);
  }
}
function histogram(id, h, unit) {
  // Buckets as bars: x = bucket index, label shows the upper bound; counts per bucket (not cumulative).
  const counts = h.b.map((x, i) => x.n - (i ? h.b[i - 1].n : 0));
  counts.push(Math.max(0, h.total - (h.b.length ? h.b[h.b.length - 1].n : 0)));
  const xs = counts.map((_, i) => i);
  // Each bar is labelled with its bucket's upper bound, compactly (1ms, 500ms, 5s).
  const compact = (le) => (le < 1 ? Math.round(le * 1000) + 'ms' : le + 's');
  const labels = h.b.map((x) => (unit === 's' ? compact(x.le) : String(x.le))).concat(['more']);
  const el = $(id);
  const data = [xs, counts];
  if (!charts[id]) {
    charts[id] = new uPlot({ width: Math.max(280, el.clientWidth || 320), height: 160,
      series: [{}, { label: 'batches', fill: '#4c7bd988', stroke: '#4c7bd9', paths: uPlot.paths.bars({ size: [0.8] }) }],
      scales: { x: { time: false } },
      axes: [{ splits: (u) => u.data[0], values: (u, v) => v.map((i) => (u.bucketLabels || [])[i] || '') },
        { size: 40 }] }, data, el);
  } else {
    charts[id].setData(data);
  }
  charts[id].bucketLabels = labels;
}

async function refresh() {
  let overview;
  try {
    overview = await api('/admin/overview');
  } catch (e) {
    $('access').textContent = e.status === 401 || e.status === 403 ? 'no access: ' + e.message : 'unreachable';
    if (e.status === 401 && state.token) {
      // A wrong or rotated token is not sent again every 2 s: each try is a failed attempt, and ten throttle this
      // address. Forget it; the person signs in again. Why stays on the page until then (the next refreshes, now
      // without a token, would otherwise replace it with "needs a token").
      state.token = '';
      sessionStorage.removeItem('rapidfire-token');
      state.signedOut = e.message + ' (signed out: sign in again)';
    }
    show(e.status === 401 && state.signedOut ? state.signedOut : e.message, false);
    return;
  }
  state.canAct = overview.canAct;
  state.numbersShown = overview.numbersShown;
  $('access').textContent = overview.canAct ? (overview.numbersShown ? 'signed in: actions enabled, numbers shown'
    : 'no admin token is set: this trusted address may act; numbers masked')
    : 'read-only: numbers masked' + (state.token ? ' (a read-only token)' : '; sign in with the admin token to act');
  document.querySelectorAll('button.act').forEach((b) => { b.disabled = !state.canAct; });
  $('pending').textContent = overview.pending;
  $('inflight').textContent = overview.inflight;
  $('dead').textContent = overview.deadLetters;

  const metrics = parseMetrics(await (await fetch('/metrics')).text());
  const now = Date.now() / 1000;
  const sample = { t: now, in: sum(metrics, 'rapidfire_messages_received_total'),
    out: sum(metrics, 'rapidfire_batches_released_total'), pending: overview.pending, inflight: overview.inflight,
    dead: overview.deadLetters, superseded: sum(metrics, 'rapidfire_batches_superseded_total') };
  if (state.last) {
    const dt = Math.max(0.001, sample.t - state.last.t);
    sample.inRate = Math.max(0, (sample.in - state.last.in) / dt);
    sample.outRate = Math.max(0, (sample.out - state.last.out) / dt);
    $('in-rate').textContent = sample.inRate.toFixed(1);
    $('out-rate').textContent = sample.outRate.toFixed(1);
    $('superseded-rate').textContent = (Math.max(0, (sample.superseded - state.last.superseded) / dt) * 60).toFixed(1);
    state.samples.push(sample);
    if (state.samples.length > KEEP) state.samples.shift();
  }
  state.last = sample;
  const s = state.samples;
  lineChart('chart-rates', [{ label: 'in /s', stroke: '#4c7bd9' }, { label: 'out /s', stroke: '#d9824c' }],
    [s.map((x) => x.t), s.map((x) => x.inRate), s.map((x) => x.outRate)]);
  lineChart('chart-queue', [{ label: 'open', stroke: '#4c7bd9' }, { label: 'in flight', stroke: '#3aa35b' },
    { label: 'dead', stroke: '#c0392b' }], [s.map((x) => x.t), s.map((x) => x.pending), s.map((x) => x.inflight),
    s.map((x) => x.dead)]);
  histogram('chart-sizes', buckets(metrics, 'rapidfire_batch_size_bucket'), '');
  histogram('chart-lateness', buckets(metrics, 'rapidfire_release_lateness_seconds_bucket'), 's');
  histogram('chart-delay', buckets(metrics, 'rapidfire_added_delay_seconds_bucket'), 's');
  $('reasons').tBodies[0].innerHTML = metrics.filter((m) => m.name === 'rapidfire_batches_released_total')
    .map((m) => '<tr><td>' + esc(m.labels.reason) + '</td><td>' + m.value + '</td></tr>').join('')
    || '<tr><td class="muted">no batch released by this process yet</td></tr>';

  await Promise.all([conversations(), handovers(), deadLetters(), processes(), policies()].map((p) => p.catch((e) => show(e.message))));
}

async function conversations() {
  const r = await api('/admin/conversations?limit=50&page=' + state.page);
  $('conv-total').textContent = r.total + ' open' + (r.numbersShown ? '' : ', numbers masked');
  $('conv-page').textContent = 'page ' + (r.page + 1);
  $('conv-prev').disabled = r.page === 0;
  $('conv-next').disabled = (r.page + 1) * r.limit >= Math.min(r.total, 10000);
  fill('conv-rows', r.conversations.map((c) => '<tr data-key="' + esc(c.key) + '"><td>' + esc(c.key)
    + '</td><td class="messages">' + c.messages + '</td><td>' + fmtMs(c.ageMs) + '</td><td>' + fmtMs(c.quietForMs)
    + '</td><td>' + fmtMs(c.dueInMs) + '</td><td>' + esc(c.rule) + '</td><td class="typing">'
    + (c.typing === true ? 'typing…' : c.typing === false ? 'stopped' : '–') + '</td><td><button class="act flush"'
    + onConversation() + '>Flush</button> <button class="act clear"' + onConversation()
    + '>Clear</button> <button class="act handover"' + onConversation()
    + ' title="Hand to a human for 30 minutes">Human</button></td></tr>').join('') || '<tr><td class="muted" colspan="8">no open conversation</td></tr>');
}

async function handovers() {
  const r = await api('/admin/handovers?limit=100');
  fill('ho-rows', r.handovers.map((h) => '<tr data-key="' + esc(h.key) + '"><td>' + esc(h.key) + '</td><td>'
    + esc(h.startedBy) + '</td><td>' + (h.forever ? 'never (bot off)' : fmtMs(h.endsInMs)) + '</td><td><button class="act handback"'
    + onConversation() + '>Hand back to the bot</button></td></tr>').join('')
    || '<tr><td class="muted" colspan="4">the bot answers every conversation</td></tr>');
  fill('ho-changes', (r.recent || []).map((c) => '<li>' + esc(new Date(c.atMs).toISOString().substring(11, 19)) + ' '
    + esc(c.key) + ': ' + (c.handover === 'started' ? 'to a human' : 'back to the bot') + ' (' + esc(c.by) + ')</li>')
    .join(''));
}

async function search(q) {
  const r = await api('/admin/search?q=' + encodeURIComponent(q));
  const rows = r.conversations.map((c) => '<tr data-key="' + esc(c.key) + '"><td>' + esc(c.key) + '</td><td>'
    + (c.inFlight ? 'with the bot: ' + esc(c.batchId) + ' <span class="muted trace">trace ' + esc(c.traceId)
      + '</span>' : 'open') + '</td><td><button class="act handover"'
    + onConversation() + '>Human</button></td></tr>')
    .concat(r.deadLetters.map((d) => '<tr data-id="' + esc(d.batchId) + '"><td>' + esc(d.conversation)
      + '</td><td>dead letter ' + esc(d.batchId) + ' <span class="muted trace">trace ' + esc(d.traceId) + '</span>: '
      + esc(d.reason) + '</td><td><button class="act replay"'
      + (state.canAct ? '' : ' disabled') + '>Replay</button></td></tr>'));
  fill('search-rows', rows.join('') || '<tr><td class="muted">nothing open, in flight or dead matches "' + esc(q)
    + '"</td></tr>');
}

async function deadLetters() {
  const r = await api('/admin/dead-letters?limit=50');
  fill('dl-rows', r.deadLetters.map((d) => '<tr data-id="' + esc(d.batchId) + '"><td>' + esc(d.batchId)
    + '<br><span class="muted trace" title="this batch\'s trace id (docs/operations.md#traces)">trace ' + esc(d.traceId)
    + '</span></td><td>' + esc(d.conversation) + '</td><td>' + d.messages + '</td><td>' + esc(d.reason)
    + '</td><td><button class="show">Show</button> <button class="act replay"' + (state.canAct ? '' : ' disabled')
    + '>Replay</button> <button class="act purge"' + (state.canAct ? '' : ' disabled') + '>Purge</button></td></tr>')
    .join('') || '<tr><td class="muted" colspan="5">no dead letters</td></tr>');
}

async function processes() {
  const r = await api('/admin/processes');
  fill('proc-rows', r.processes.map((p) => '<tr><td>' + esc(p.role) + '</td><td>' + esc(p.host) + '</td><td>'
    + p.pid + '</td><td>' + esc(p.version) + '</td><td>' + fmtMs(p.heartbeatAgoMs) + ' ago</td><td>' + p.inFlight
    + '</td><td>' + esc(p.lastError) + '</td></tr>').join(''));
}

async function policies() {
  const r = await api('/admin/policies');
  const tenants = Object.keys(r.inForce);
  Object.keys(r.overrides).forEach((t) => { if (!tenants.includes(t)) tenants.push(t); });
  fill('policy-rows', tenants.map((t) => '<tr data-tenant="' + esc(t) + '"><td>' + esc(t) + '</td><td>'
    + esc(r.inForce[t] || '') + '</td><td>' + esc(r.overrides[t] || '') + '</td><td>' + (r.overrides[t]
      ? '<button class="act reset"' + (state.canAct ? '' : ' disabled') + '>Reset</button>' : '') + '</td></tr>')
    .concat((r.conversations || []).map((c) => '<tr data-key="' + esc(c.key) + '"><td>' + esc(c.key) + '</td><td>'
      + esc(c.inForce) + '</td><td>' + esc(c.spec) + (c.untilMs ? ' (until ' + new Date(c.untilMs).toISOString()
      + ')' : '') + '</td><td><button class="act reset-conv"' + onConversation()
      + '>Reset</button></td></tr>')).join(''));
}

async function act(what, path, method) {
  try {
    await api(path, { method });
    show(what + ': done', true);
  } catch (e) {
    show(what + ' refused: ' + e.message, false);
  }
  refresh();
}

$('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  search($('search-q').value.trim()).catch((e) => show('Find refused: ' + e.message, false));
});

$('dl-replay-all').addEventListener('click', () => {
  // A bulk action: the person confirms it, and the server asks for confirm=true too.
  if (window.confirm('Put every dead letter back to be delivered again?')) {
    act('Replay all', '/admin/dead-letters/replay?confirm=true', 'POST');
  }
});

document.addEventListener('click', async (ev) => {
  const b = ev.target;
  if (!(b instanceof HTMLButtonElement)) return;
  const row = b.closest('tr');
  if (b.classList.contains('flush')) act('Flush', '/admin/conversations/' + encodeURIComponent(row.dataset.key) + '/flush', 'POST');
  if (b.classList.contains('clear')) act('Clear', '/admin/conversations/' + encodeURIComponent(row.dataset.key), 'DELETE');
  if (b.classList.contains('handover')) act('Hand to a human', '/admin/conversations/' + encodeURIComponent(row.dataset.key) + '/handover?for=30m', 'POST');
  if (b.classList.contains('handback')) act('Hand back', '/admin/conversations/' + encodeURIComponent(row.dataset.key) + '/handover', 'DELETE');
  if (b.classList.contains('replay')) act('Replay', '/admin/dead-letters/' + encodeURIComponent(row.dataset.id) + '/replay', 'POST');
  if (b.classList.contains('purge')) act('Purge', '/admin/dead-letters/' + encodeURIComponent(row.dataset.id), 'DELETE');
  if (b.classList.contains('reset-conv')) act('Reset conversation rules', '/admin/conversations/' + encodeURIComponent(row.dataset.key) + '/policy', 'DELETE');
  if (b.classList.contains('reset')) act('Reset policy', '/admin/policies/' + encodeURIComponent(row.dataset.tenant), 'DELETE');
  if (b.classList.contains('show')) {
    try {
      const r = await api('/admin/dead-letters/' + encodeURIComponent(row.dataset.id));
      const doc = $('dl-document');
      doc.hidden = false;
      doc.textContent = JSON.stringify(JSON.parse(r.document), null, 2);
    } catch (e) { show(e.message, false); }
  }
});
$('conv-prev').onclick = () => { state.page = Math.max(0, state.page - 1); conversations().catch((e) => show(e.message)); };
$('conv-next').onclick = () => { state.page += 1; conversations().catch((e) => show(e.message)); };
$('doctor-run').onclick = async () => {
  $('doctor-results').innerHTML = '<li class="muted">running…</li>';
  try {
    const r = await api('/admin/doctor', { method: 'POST' });
    $('doctor-results').innerHTML = r.checks.map((c) => '<li class="' + esc(c.status.toLowerCase()) + '"><b>'
      + esc(c.status) + '</b> ' + esc(c.check) + ': ' + esc(c.evidence) + (c.fix ? '<span class="fix">→ ' + esc(c.fix)
      + '</span>' : '') + '</li>').join('');
  } catch (e) {
    $('doctor-results').innerHTML = '';
    show('Doctor refused: ' + e.message, false);
  }
};
$('policy-form').onsubmit = async (ev) => {
  ev.preventDefault();
  const t = $('policy-tenant').value.trim() || '*';
  // A conversation key (tenant:channel:conversation) gets rules of its own on top of its tenant's.
  const path = t.includes(':') ? '/admin/conversations/' + encodeURIComponent(t) + '/policy'
    : '/admin/policies/' + encodeURIComponent(t);
  try {
    await api(path, { method: 'PUT', body: $('policy-spec').value.trim() });
    show('Policy of ' + t + ' set; in force within a second', true);
  } catch (e) { show('Policy refused: ' + e.message, false); }
  refresh();
};
$('sign-in-form').onsubmit = (ev) => {
  ev.preventDefault();
  state.token = $('token').value.trim();
  state.signedOut = '';
  sessionStorage.setItem('rapidfire-token', state.token);
  $('token').value = '';
  show('', true);
  refresh();
};
$('sign-out').onclick = () => { state.token = ''; sessionStorage.removeItem('rapidfire-token'); refresh(); };

refresh();
setInterval(refresh, POLL_MS);

import { t, code, when, language, setLanguage } from './i18n.js';
import { get, stream, token, setToken, ApiError } from './api.js';
import { timeline, circleGraph } from './svg.js';
import { weeklyCharts } from './charts.js';

const main = document.getElementById('main');
const state = { me: null, alerts: new Map(), stopStream: null, filters: {}, streamState: 'offline' };

// ---------- small DOM helpers ----------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
const sev = (s) => h('span', { class: `sev sev-${s}` }, code(s));
function announce(msg) { document.getElementById('status').textContent = msg; }
function title(key, vars) { const el = h('h2', { tabindex: '-1' }, t(key, vars)); return el; }
function show(...nodes) { main.replaceChildren(...nodes); const h2 = main.querySelector('h2'); if (h2) h2.focus(); }
function errorBox(e) {
  const status = e instanceof ApiError ? e.status : 0;
  const key = { 401: 'error.401', 403: 'error.403', 404: 'error.404' }[status] || 'error.other';
  return h('p', { class: 'error', role: 'alert', 'data-status': status }, t(key, { status }));
}
async function load(render) {
  show(h('p', {}, t('loading')));
  try { await render(); } catch (e) {
    if (e instanceof ApiError && e.status === 401) { signOut(); return; }
    show(errorBox(e));
  }
}

// ---------- sign-in ----------
function signInView(failed) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  const form = h('form', { class: 'card signin', onsubmit: async (ev) => {
    ev.preventDefault();
    setToken(input.value.trim());
    try { await whoAmI(); location.hash = '#/alerts'; route(); } catch (e) { setToken(null); signInView(true); }
  } },
  title('signin.title'),
  h('label', { for: 'token' }, t('signin.token')), input,
  h('p', { id: 'token-help', class: 'help' }, t('signin.help')),
  failed ? h('p', { class: 'error', role: 'alert' }, t('signin.bad')) : null,
  h('button', { type: 'submit' }, t('signin.submit')));
  chrome();
  show(form);
  input.focus();
}

async function whoAmI() {
  state.me = await get('api/v1/me');
  chrome();
}

function signOut() {
  setToken(null);
  state.me = null;
  if (state.stopStream) state.stopStream();
  state.stopStream = null;
  state.alerts.clear();
  location.hash = '#/';
  signInView(false);
}

/** Header: navigation for what this role may open, who is signed in. */
function chrome() {
  const me = state.me;
  document.getElementById('nav').hidden = !me;
  document.getElementById('signout').hidden = !me;
  document.getElementById('who').textContent = me ? `${t('role.' + me.role)}${me.lender_id ? ' · ' + me.lender_id : ''}` : '';
  if (me) {
    document.querySelector('[data-view=blocklist]').hidden = me.role === 'LENDER';
    const lenders = document.querySelector('[data-view=lenders]');
    lenders.hidden = me.role === 'TELECOM';
    lenders.setAttribute('href', me.role === 'LENDER' ? `#/lender/${encodeURIComponent(me.lender_id)}` : '#/lenders');
  }
  const view = (location.hash.split('/')[1] || '');
  document.querySelectorAll('#nav a').forEach((a) => {
    const on = a.dataset.view === view || (a.dataset.view === 'lenders' && view === 'lender');
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
}

// ---------- live alerts ----------
const SEVERITY_RANK = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

function ingest(alert) {
  const prev = state.alerts.get(alert.alert_id);
  const rev = (a) => a.revision ?? 0;
  if (prev && rev(prev) > rev(alert)) return false;
  alert._escalated = !!prev && ((SEVERITY_RANK[alert.severity] || 0) > (SEVERITY_RANK[prev.severity] || 0) || prev._escalated);
  alert._fresh = Date.now();
  state.alerts.set(alert.alert_id, alert);
  return true;
}

function ensureStream() {
  if (state.stopStream) return;
  state.stopStream = stream('api/v1/alerts/stream', (event, data) => {
    if (event !== 'alert') return;
    if (ingest(data) && location.hash.startsWith('#/alerts')) {
      renderAlertRows();
      announce(`${code(data.type)} ${code(data.severity)}`);
    }
  }, (s) => {
    state.streamState = s;
    const badge = document.getElementById('live');
    if (badge) { badge.textContent = t(s === 'live' ? 'alerts.live' : 'alerts.offline'); badge.dataset.state = s; }
  });
}

function options(values) { return [h('option', { value: '' }, t('filter.all')), ...[...values].sort().map((v) => h('option', { value: v }, code(v)))]; }

function alertsView() {
  ensureStream();
  const f = state.filters;
  const filterSelect = (key, id) => {
    const sel = h('select', { id, onchange: (e) => { f[key] = e.target.value; renderAlertRows(); } });
    sel.dataset.filter = key;
    return h('div', { class: 'field' }, h('label', { for: id }, t(`filter.${key}`)), sel);
  };
  show(
    h('div', { class: 'row' }, title('alerts.title'), h('span', { id: 'live', class: 'live', 'data-state': state.streamState }, t(state.streamState === 'live' ? 'alerts.live' : 'alerts.offline'))),
    h('form', { class: 'filters', 'aria-label': t('alerts.title'), onsubmit: (e) => e.preventDefault() },
      filterSelect('type', 'f-type'), filterSelect('severity', 'f-severity'), filterSelect('jurisdiction', 'f-jurisdiction'), filterSelect('lender', 'f-lender')),
    h('p', { id: 'alert-count', class: 'help' }),
    h('div', { class: 'scroll' }, h('table', { id: 'alerts' },
      h('thead', {}, h('tr', {}, ...['severity', 'type', 'subject', 'victim', 'lender', 'jurisdiction', 'revision', 'detected', 'explanation'].map((c) => h('th', { scope: 'col' }, t(`col.${c}`))))),
      h('tbody', {}))));
  renderAlertRows();
}

function renderAlertRows() {
  const tbody = document.querySelector('#alerts tbody');
  if (!tbody) return;
  const all = [...state.alerts.values()];
  const f = state.filters;
  const field = { type: (a) => a.type, severity: (a) => a.severity, jurisdiction: (a) => a.jurisdiction, lender: (a) => a.lender_id };
  for (const [key, get] of Object.entries(field)) {
    const sel = document.querySelector(`select[data-filter=${key}]`);
    if (!sel) continue;
    const values = new Set(all.map(get).filter((v) => v != null));
    if (f[key]) values.add(f[key]);
    const current = [...sel.options].map((o) => o.value).slice(1).join('|');
    if (!sel.options.length || current !== [...values].sort().join('|')) { sel.replaceChildren(...options(values)); sel.value = f[key] || ''; }
  }
  const rows = all
    .filter((a) => Object.entries(field).every(([k, g]) => !f[k] || g(a) === f[k]))
    .sort((a, b) => (b.detected_at_ms ?? Date.parse(b.detected_at)) - (a.detected_at_ms ?? Date.parse(a.detected_at)));
  document.getElementById('alert-count').textContent = t('alerts.count', { n: rows.length });
  if (!rows.length) { tbody.replaceChildren(h('tr', {}, h('td', { colspan: 9, class: 'empty' }, t('alerts.none')))); return; }
  tbody.replaceChildren(...rows.slice(0, 500).map((a) => h('tr', { 'data-alert-id': a.alert_id, class: [a._escalated ? 'escalated' : '', Date.now() - a._fresh < 4000 ? 'fresh' : ''].join(' ') },
    h('td', {}, sev(a.severity), a._escalated ? h('span', { class: 'esc', title: t('escalated') }, ' ▲ ', t('escalated')) : null),
    h('td', {}, h('a', { href: `#/incident/${encodeURIComponent(a.alert_id)}` }, code(a.type))),
    h('td', { class: 'mono' }, a.subject ? `${a.subject.kind}: ${a.subject.id}` : ''),
    h('td', { class: 'mono' }, a.victim ?? ''),
    h('td', {}, a.lender_id ? h('a', { href: `#/lender/${encodeURIComponent(a.lender_id)}` }, a.lender_id) : '', a.agency_id ? ` / ${a.agency_id}` : ''),
    h('td', {}, a.jurisdiction ?? ''),
    h('td', { class: 'num' }, a.revision ?? 1),
    h('td', { class: 'nowrap' }, when(a.detected_at)),
    h('td', { class: 'expl' }, a.explanation ?? ''))));
}

// ---------- incident ----------
function latestOf(inc) {
  const revs = inc.revisions || [];
  return inc.latest || revs[revs.length - 1];
}

async function incidentView(id) {
  // an alert reaches the live table from the topic a moment before the app's incident store has it
  let inc;
  for (let attempt = 0; ; attempt++) {
    try { inc = await get(`api/v1/incidents/${encodeURIComponent(id)}`); break; } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 503)) || attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
  const a = latestOf(inc);
  const revisions = (inc.revisions && inc.revisions.length) ? inc.revisions : [a];
  const rule = inc.rule || {};
  const dl = (pairs) => h('dl', { class: 'pairs' }, ...pairs.filter(([, v]) => v != null && v !== '').flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', { class: 'mono' }, v)]));
  const subject = a.subject ? `${a.subject.kind}: ${a.subject.id}` : null;
  const metrics = Object.entries(a.metrics || {});
  // a fan-out incident's circle carries each person reached with the time and event of first contact
  const circle = a.type === 'CONTACT_FAN_OUT' ? await get(`api/v1/incidents/${encodeURIComponent(id)}/circle`).catch(() => null) : null;
  const events = circle ? circle.reached.map((r) => ({ id: r.event_id, at: ms(r.first_time), from: circle.source, to: r.number, kind: r.declared ? t('legend.declared') : t('legend.undeclared'), declared: r.declared })) : evidenceEvents(inc);
  const parts = [
    h('p', {}, h('a', { href: '#/alerts' }, '← ', t('back'))),
    h('div', { class: 'row' }, title('incident.title'), sev(a.severity), h('span', { class: 'badge' }, code(a.type))),
    h('p', { class: 'mono small' }, a.alert_id),
    h('p', { class: 'lead' }, a.explanation || ''),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'h-rule' },
        h('h3', { id: 'h-rule' }, t('incident.rule')),
        h('p', {}, h('span', { class: 'mono', id: 'rule-id' }, rule.rule_id || a.rule_id), ` · ${t('incident.version')} ${rule.rule_version ?? a.rule_version}`),
        rule.legal_text ? h('blockquote', { id: 'legal-text', 'aria-label': t('incident.legal') }, rule.legal_text) : null),
      h('section', { class: 'card', 'aria-labelledby': 'h-who' },
        h('h3', { id: 'h-who' }, t('incident.parties')),
        dl([['incident.subject', subject], ['incident.victim', a.victim], ['incident.lender', a.lender_id], ['incident.agency', a.agency_id], ['incident.loan', a.loan_id], ['col.jurisdiction', a.jurisdiction]]))),
    h('section', { class: 'card', 'aria-labelledby': 'h-time' },
      h('h3', { id: 'h-time' }, t('incident.timeline')),
      events.length ? null : h('p', { class: 'help' }, t('incident.timeline.none')),
      timeline({ start: ms(a.window_start), end: ms(a.window_end), events, revisions: revisions.map((r) => ({ n: r.revision ?? 1, at: ms(r.triggered_at ?? r.detected_at), severity: r.severity })), t, when }),
      h('h4', {}, t('incident.revisions')),
      h('ol', { class: 'revisions' }, ...revisions.map((r) => h('li', {}, sev(r.severity), ` ${t('incident.revision', { n: r.revision ?? 1 })} · ${when(r.triggered_at ?? r.detected_at)} · `, r.explanation || '')))),
  ];
  if (metrics.length) {
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'h-met' }, h('h3', { id: 'h-met' }, t('incident.metrics')),
      h('dl', { class: 'pairs' }, ...metrics.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'num' }, Number.isInteger(v) ? v : Number(v).toFixed(2))]))));
  }
  if (a.type === 'CONTACT_FAN_OUT') {
    const drawn = circleOf(circle, a, events);
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'h-graph' }, h('h3', { id: 'h-graph' }, t('incident.graph')),
      h('p', { class: 'help' }, t('incident.graph.help')),
      drawn.reached.length ? circleGraph(drawn, t) : h('p', { class: 'help' }, t('incident.graph.none')),
      circle ? h('p', { class: 'help' }, `${t('legend.collector')}: ${circle.source_kind === 'LENDER' ? t('incident.lender') + ' ' : ''}${circle.source}${circle.agency_id ? ' / ' + circle.agency_id : ''}`) : null));
  }
  const ids = (a.evidence && a.evidence.event_ids) || [];
  parts.push(h('section', { class: 'card', 'aria-labelledby': 'h-ev' }, h('h3', { id: 'h-ev' }, t('incident.evidence')),
    h('p', { class: 'help' }, t('incident.total', { n: a.evidence ? a.evidence.total : ids.length })),
    h('ul', { class: 'mono small evidence' }, ...ids.map((e) => h('li', {}, e)))));
  show(...parts);
}

function ms(v) { return v == null ? null : (typeof v === 'number' ? v : Date.parse(v)); }

/**
 * Evidence events with their event time. The query API gives an incident's event ids without
 * times (the calls and messages themselves are not kept in the app's state), so outside fan-out
 * the timeline shows the window and the revisions.
 */
function evidenceEvents() {
  return [];
}

/** The borrower's circle: who the collector numbers reached, which of them were declared contacts. */
function circleOf(circle, a, events) {
  const declared = new Set();
  const edges = events.map((e) => ({ from: e.from, to: e.to, declared: e.declared })).filter((e) => e.from && e.to);
  edges.forEach((e) => { if (e.declared) declared.add(e.to); });
  const borrower = (circle && circle.borrower) || a.victim || null;
  const reached = [...new Set(edges.map((e) => e.to))].filter((n) => n !== borrower);
  const collectors = [...new Set(edges.map((e) => e.from))];
  return { borrower, reached, collectors, declared, edges };
}

// ---------- lenders ----------
async function lendersView() {
  const list = await get('api/v1/scorecards');
  const ids = (list.lenders || []).filter((id) => !id.includes('/'));
  const cards = await Promise.all(ids.map(async (id) => ({ id, card: await get(`api/v1/scorecards/${encodeURIComponent(id)}`).catch(() => null) })));
  const ranked = cards.map(({ id, card }) => {
    const weeks = weeksOf(card);
    const incidents = weeks.reduce((s, w) => s + (w.incidents || 0), 0);
    const contacts = weeks.reduce((s, w) => s + (w.contacts_judged || 0), 0);
    return { id, incidents, rate: contacts ? (1000 * incidents) / contacts : null };
  }).sort((x, y) => y.incidents - x.incidents || (y.rate ?? 0) - (x.rate ?? 0));
  show(title('lenders.title'),
    h('section', { class: 'card', 'aria-labelledby': 'h-rank' }, h('h3', { id: 'h-rank' }, t('lenders.ranking')),
      h('div', { class: 'scroll' }, h('table', { id: 'ranking' },
        h('thead', {}, h('tr', {}, ...['rank', 'lender', 'incidents', 'rate'].map((c) => h('th', { scope: 'col' }, t(`col.${c}`))))),
        h('tbody', {}, ...ranked.map((r, i) => h('tr', {},
          h('td', { class: 'num' }, i + 1),
          h('td', {}, h('a', { href: `#/lender/${encodeURIComponent(r.id)}` }, r.id)),
          h('td', { class: 'num' }, r.incidents),
          h('td', { class: 'num' }, r.rate == null ? '–' : r.rate.toFixed(2)))))))));
}

function weeksOf(card) {
  if (!card) return [];
  const weeks = card.weeks || (card.periods || []).filter((p) => /W\d+$/.test(p.period));
  return weeks.filter((w) => !w.agency_id).sort((a, b) => String(a.period).localeCompare(String(b.period)));
}

async function lenderView(id) {
  const card = await get(`api/v1/scorecards/${encodeURIComponent(id)}`);
  const weeks = weeksOf(card);
  const worst = [...new Set(weeks.flatMap((w) => w.worst_incident_ids || []))].slice(0, 10);
  const agencies = [...new Set((card.weeks || card.periods || []).map((w) => w.agency_id).filter(Boolean))].sort();
  const charts = h('div', { class: 'grid2' },
    h('section', { class: 'card', 'aria-labelledby': 'h-weekly' }, h('h3', { id: 'h-weekly' }, t('lender.weekly')), h('div', { class: 'chart', id: 'chart-weekly' })),
    h('section', { class: 'card', 'aria-labelledby': 'h-rate' }, h('h3', { id: 'h-rate' }, t('lender.rate')), h('div', { class: 'chart', id: 'chart-rate' })));
  show(title('lender.title', { id }),
    weeks.length ? charts : h('p', {}, t('lender.none')),
    weeks.length ? h('div', { class: 'scroll' }, h('table', { id: 'weeks' },
      h('thead', {}, h('tr', {}, ...['period', 'incidents', 'rate'].map((c) => h('th', { scope: 'col' }, t(`col.${c}`))))),
      h('tbody', {}, ...weeks.map((w) => h('tr', {}, h('td', {}, w.period), h('td', { class: 'num' }, w.incidents),
        h('td', { class: 'num' }, w.breaches_per_1000_contacts == null ? '–' : Number(w.breaches_per_1000_contacts).toFixed(2))))))) : null,
    h('section', { class: 'card', 'aria-labelledby': 'h-worst' }, h('h3', { id: 'h-worst' }, t('lender.worst')),
      h('ol', { id: 'worst' }, ...worst.map((w) => h('li', {}, h('a', { class: 'mono', href: `#/incident/${encodeURIComponent(w)}` }, w))))),
    agencies.length ? h('section', { class: 'card' }, h('h3', {}, t('lender.agencies')), h('p', { class: 'mono' }, agencies.join(', '))) : null);
  if (weeks.length) weeklyCharts(weeks, document.getElementById('chart-weekly'), document.getElementById('chart-rate'), code);
}

// ---------- blocklist ----------
async function blocklistView() {
  const list = await get('api/v1/blocklist');
  const entries = list.entries || [];
  show(title('blocklist.title'),
    entries.length ? h('div', { class: 'scroll' }, h('table', { id: 'blocklist' },
      h('thead', {}, h('tr', {}, ...['number', 'action', 'severity', 'reason', 'since', 'until', 'alerts'].map((c) => h('th', { scope: 'col' }, t(`col.${c}`))))),
      h('tbody', {}, ...entries.map((e) => h('tr', {},
        h('td', { class: 'mono' }, e.number),
        h('td', {}, h('span', { class: `act act-${e.action}` }, code(e.action))),
        h('td', {}, sev(e.severity)),
        h('td', { class: 'expl' }, e.reason),
        h('td', { class: 'nowrap' }, when(e.since)),
        h('td', { class: 'nowrap' }, when(e.expires_at)),
        h('td', {}, ...(e.alert_ids || []).map((id) => h('a', { class: 'mono small block', href: `#/incident/${encodeURIComponent(id)}` }, id.slice(0, 12))))))))) : h('p', {}, t('blocklist.none')));
}

// ---------- routing ----------
async function route() {
  if (!token()) { signInView(false); return; }
  if (!state.me) {
    try { await whoAmI(); } catch (e) { setToken(null); signInView(e instanceof ApiError && e.status !== 401); return; }
  }
  chrome();
  const [, view, arg] = location.hash.split('/').map(decodeURIComponent);
  switch (view) {
    case 'incident': return load(() => incidentView(arg));
    case 'lender': return load(() => lenderView(arg));
    case 'lenders': return load(() => (state.me.role === 'LENDER' ? lenderView(state.me.lender_id) : lendersView()));
    case 'blocklist': return load(blocklistView);
    default: return alertsView();
  }
}

const langSelect = document.getElementById('lang');
langSelect.value = language();
setLanguage(language());
langSelect.addEventListener('change', () => { setLanguage(langSelect.value); route(); });
document.getElementById('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
route();

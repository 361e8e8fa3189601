// Drawn here rather than with a graph library: two small pictures, no dependency to vet.
const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, v);
  for (const c of children) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
const SEV = { LOW: '#2f6f3e', MEDIUM: '#8a5a00', HIGH: '#b3261e', CRITICAL: '#6d0f8a' };

/** Evidence events at their event time on one axis, revisions as marked lines. */
export function timeline({ start, end, events, revisions, t, when }) {
  const times = [start, end, ...events.map((e) => e.at), ...revisions.map((r) => r.at)].filter((x) => x != null && !Number.isNaN(x));
  const lo = Math.min(...times);
  const hi = Math.max(...times, lo + 1);
  const W = 900; const H = 150; const L = 20; const R = 20;
  const x = (v) => L + ((v - lo) / (hi - lo)) * (W - L - R);
  const kinds = [...new Set(events.map((e) => e.kind || 'event'))];
  const row = (k) => 40 + (kinds.indexOf(k || 'event') % 3) * 22;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'timeline', role: 'img', 'aria-label': `${t('incident.timeline')}: ${when(lo)} – ${when(hi)}` },
    s('title', {}, t('incident.timeline')),
    s('line', { x1: L, x2: W - R, y1: 110, y2: 110, class: 'axis' }));
  if (start != null && end != null) svg.append(s('rect', { x: x(start), y: 30, width: Math.max(2, x(end) - x(start)), height: 80, class: 'window' }));
  for (const e of events) {
    svg.append(s('circle', { cx: x(e.at), cy: row(e.kind), r: 4, class: `ev${e.declared ? ' declared' : ''}`, 'data-event-id': e.id }, s('title', {}, `${e.kind || t('incident.event')} ${e.id || ''} · ${when(e.at)}${e.from ? ` · ${e.from} → ${e.to}` : ''}`)));
  }
  for (const r of revisions) {
    if (r.at == null || Number.isNaN(r.at)) continue;
    svg.append(s('line', { x1: x(r.at), x2: x(r.at), y1: 18, y2: 115, stroke: SEV[r.severity] || '#333', 'stroke-width': 2, 'stroke-dasharray': '4 3', class: 'rev' }),
      s('text', { x: x(r.at) + 3, y: 14, class: 'revlabel' }, `r${r.n}`), s('title', {}, `${t('incident.revision', { n: r.n })} · ${when(r.at)}`));
  }
  svg.append(s('text', { x: L, y: 135, class: 'tick' }, when(lo)), s('text', { x: W - R, y: 135, class: 'tick', 'text-anchor': 'end' }, when(hi)));
  return svg;
}

/**
 * The borrower in the middle, everyone the collector numbers reached around them (declared
 * contacts filled, the rest hollow), the collector numbers outside with an edge to each person
 * they reached.
 */
export function circleGraph({ borrower, reached, collectors, declared, edges }, t) {
  const W = 640; const H = 460; const cx = W / 2; const cy = H / 2 + 10;
  const pos = new Map();
  if (borrower) pos.set(borrower, [cx, cy]);
  reached.forEach((n, i) => { const a = (2 * Math.PI * i) / reached.length - Math.PI / 2; pos.set(n, [cx + 130 * Math.cos(a), cy + 130 * Math.sin(a)]); });
  collectors.forEach((n, i) => { const a = (2 * Math.PI * (i + 0.5)) / collectors.length - Math.PI / 2; if (!pos.has(n)) pos.set(n, [cx + 200 * Math.cos(a), cy + 190 * Math.sin(a)]); });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + 40}`, class: 'graph', role: 'img', id: 'circle-graph',
    'aria-label': `${t('incident.graph')}: ${reached.length} · ${reached.filter((n) => declared.has(n)).length} ${t('legend.declared')} · ${collectors.length} ${t('legend.collector')}` },
  s('title', {}, t('incident.graph')));
  if (borrower) reached.forEach((n) => { const [x, y] = pos.get(n); svg.append(s('line', { x1: cx, y1: cy, x2: x, y2: y, class: 'tie' })); });
  for (const e of edges) {
    const a = pos.get(e.from); const b = pos.get(e.to);
    if (a && b) svg.append(s('line', { x1: a[0], y1: a[1], x2: b[0], y2: b[1], class: 'reach' }));
  }
  const label = (n) => (n.length > 14 ? `${n.slice(0, 12)}…` : n);
  if (borrower) svg.append(s('g', { class: 'node borrower' }, s('circle', { cx, cy, r: 16 }), s('text', { x: cx, y: cy + 32, 'text-anchor': 'middle' }, label(borrower)), s('title', {}, `${t('legend.borrower')}: ${borrower}`)));
  reached.forEach((n) => {
    const [x, y] = pos.get(n); const d = declared.has(n);
    svg.append(s('g', { class: `node ${d ? 'declared' : 'undeclared'}`, 'data-number': n }, s('circle', { cx: x, cy: y, r: 9 }),
      d ? s('text', { x, y: y + 4, 'text-anchor': 'middle', class: 'mark' }, '✓') : null,
      s('text', { x, y: y - 13, 'text-anchor': 'middle' }, label(n)), s('title', {}, `${d ? t('legend.declared') : t('legend.undeclared')}: ${n}`)));
  });
  collectors.forEach((n) => {
    const [x, y] = pos.get(n);
    svg.append(s('g', { class: 'node collector', 'data-number': n }, s('rect', { x: x - 8, y: y - 8, width: 16, height: 16 }),
      s('text', { x, y: y + 22, 'text-anchor': 'middle' }, label(n)), s('title', {}, `${t('legend.collector')}: ${n}`)));
  });
  const legend = [['borrower', 'legend.borrower'], ['declared', 'legend.declared'], ['undeclared', 'legend.undeclared'], ['collector', 'legend.collector']];
  legend.forEach(([cls, key], i) => {
    const x = 20 + i * 155;
    svg.append(s('g', { class: `node ${cls}` }, cls === 'collector' ? s('rect', { x, y: H + 14, width: 12, height: 12 }) : s('circle', { cx: x + 6, cy: H + 20, r: 6 }),
      s('text', { x: x + 18, y: H + 25 }, t(key))));
  });
  return svg;
}

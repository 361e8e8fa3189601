import uPlot from './lib/uplot/uPlot.esm.js';

const PALETTE = ['#1f5fa8', '#b3261e', '#2f6f3e', '#8a5a00', '#6d0f8a', '#00696e', '#5c4b00', '#8c1d5a', '#3b3b98', '#444'];

function size(el) { return { width: Math.max(280, el.clientWidth - 8), height: 220 }; }

/** Two uPlot charts over ISO weeks: incidents per alert type, and breaches per 1,000 contacts. */
export function weeklyCharts(weeks, typeEl, rateEl, label) {
  const xs = weeks.map((w, i) => i);
  const types = [...new Set(weeks.flatMap((w) => Object.keys(w.incidents_by_type || {})))].sort();
  const axisX = { values: (u, splits) => splits.map((i) => (Number.isInteger(i) && weeks[i] ? weeks[i].period : '')), space: 60 };
  const bars = uPlot.paths.bars({ size: [0.8, 40] });
  const typeSeries = types.map((ty, i) => ({ label: label(ty), stroke: PALETTE[i % PALETTE.length], fill: PALETTE[i % PALETTE.length] + '55', width: 2, paths: weeks.length < 3 ? bars : undefined, points: { show: true } }));
  const charts = [
    new uPlot({ ...size(typeEl), scales: { x: { time: false } }, axes: [axisX, {}], series: [{ label: 'week' }, ...typeSeries] },
      [xs, ...types.map((ty) => weeks.map((w) => (w.incidents_by_type || {})[ty] || 0))], typeEl),
    new uPlot({ ...size(rateEl), scales: { x: { time: false } }, axes: [axisX, {}], series: [{ label: 'week' }, { label: '‰', stroke: '#b3261e', width: 2, points: { show: true } }] },
      [xs, weeks.map((w) => w.breaches_per_1000_contacts ?? null)], rateEl),
  ];
  typeEl.setAttribute('role', 'img');
  typeEl.setAttribute('aria-label', weeks.map((w) => `${w.period}: ${w.incidents}`).join('; '));
  rateEl.setAttribute('role', 'img');
  rateEl.setAttribute('aria-label', weeks.map((w) => `${w.period}: ${w.breaches_per_1000_contacts ?? '–'}`).join('; '));
  return charts;
}

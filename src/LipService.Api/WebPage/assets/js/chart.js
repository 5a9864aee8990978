// Line charts as inline SVG. Few series, at most a few hundred points each: a chart library would
// add a dependency for little; this draws axes with round ticks, the series and a legend, and
// describes the chart in words for screen readers.
const Svg = 'http://www.w3.org/2000/svg';
const Width = 360;
const Height = 190;
const Margin = { left: 44, right: 10, top: 10, bottom: 30 };

function node(tag, attributes = {}, text) {
  const n = document.createElementNS(Svg, tag);
  for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

/** Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten. */
export function ticks(low, high, count = 4) {
  if (!(high > low)) high = low + 1;
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const values = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + step * 1e-9; v += step) values.push(Number(v.toFixed(12)));
  return { values, step };
}

const format = (v, step) => {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(decimals, 4));
};

/**
 * Draws into a <figure>: { title, xLabel, series: [{ label, color, dashed, points: [[x, y], …] }],
 * yDomain: [low, high] (optional, widened to the data), xDomain (optional), yPercent (fractions shown as %) }.
 */
export function lineChart(figure, { title, xLabel, series, yDomain, xDomain, yPercent }) {
  figure.replaceChildren();
  const caption = document.createElement('figcaption');
  caption.append(title);
  for (const s of series) {
    const legend = document.createElement('span');
    legend.className = 'legend';
    const swatch = document.createElement('span');
    swatch.className = s.dashed ? 'swatch dashed' : 'swatch';
    swatch.style.background = s.color;
    swatch.style.color = s.color;
    legend.append(swatch, s.label);
    caption.append(legend);
  }

  const all = series.flatMap((s) => s.points);
  const svg = node('svg', { viewBox: `0 0 ${Width} ${Height}`, role: 'img', 'aria-label': describe(title, series, xLabel) });
  const plotW = Width - Margin.left - Margin.right;
  const plotH = Height - Margin.top - Margin.bottom;
  if (all.length === 0) {
    svg.append(node('text', { x: Width / 2, y: Height / 2, 'text-anchor': 'middle', class: 'empty-chart' }, 'waiting for the first epoch…'));
    figure.append(caption, svg);
    return;
  }

  let [x0, x1] = xDomain ?? [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  if (x1 <= x0) x1 = x0 + 1;
  let y0 = Math.min(...all.map((p) => p[1]));
  let y1 = Math.max(...all.map((p) => p[1]));
  if (yDomain) { y0 = Math.min(y0, yDomain[0]); y1 = Math.max(y1, yDomain[1]); }
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const yt = ticks(y0, y1);
  y0 = Math.min(y0, yt.values[0]);
  y1 = Math.max(y1, yt.values[yt.values.length - 1]);
  const xt = ticks(x0, x1, Math.min(6, Math.max(1, Math.round(x1 - x0))));
  const sx = (x) => Margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y) => Margin.top + (1 - (y - y0) / (y1 - y0)) * plotH;

  for (const v of yt.values) {
    svg.append(node('line', { x1: Margin.left, x2: Width - Margin.right, y1: sy(v), y2: sy(v), class: 'grid-line' }));
    svg.append(node('text', { x: Margin.left - 6, y: sy(v) + 3.5, 'text-anchor': 'end', class: 'axis-text' }, yPercent ? `${format(100 * v, 100 * yt.step)}%` : format(v, yt.step)));
  }
  for (const v of xt.values) {
    if (v < x0 - 1e-9 || v > x1 + 1e-9) continue;
    svg.append(node('text', { x: sx(v), y: Height - Margin.bottom + 14, 'text-anchor': 'middle', class: 'axis-text' }, format(v, xt.step)));
  }
  svg.append(node('text', { x: Margin.left + plotW / 2, y: Height - 3, 'text-anchor': 'middle', class: 'axis-text' }, xLabel));

  for (const s of series) {
    if (s.points.length === 0) continue;
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    svg.append(node('path', { d, class: 'series', style: `stroke:${s.color}`, 'stroke-dasharray': s.dashed ? '5 4' : 'none' }));
    if (s.points.length <= 60) {
      for (const p of s.points) {
        const dot = node('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 3, class: 'dot', style: `fill:${s.color}` });
        dot.append(node('title', {}, `${s.label}: ${p[1].toPrecision(4)} at ${xLabel} ${p[0]}`));
        svg.append(dot);
      }
    }
  }
  figure.append(caption, svg);
}

function describe(title, series, xLabel) {
  const parts = series.filter((s) => s.points.length).map((s) => {
    const last = s.points[s.points.length - 1];
    return `${s.label} ${last[1].toPrecision(4)} at ${xLabel} ${last[0]}`;
  });
  return parts.length ? `${title}: ${parts.join('; ')}` : `${title}: no data yet`;
}

/*
 * Minimal SVG charts for the AlignLoop dashboard: no dependencies, works offline.
 * Every data point is an element with its data in attributes (circle.point[data-x][data-y],
 * rect.bar[data-count]), so tests and curious users can read the numbers from the DOM.
 */
'use strict';
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 600, DEFAULT_H = 230, M = {left: 52, right: 14, top: 12, bottom: 30};
  const COLORS = ['#4fb3ff', '#f5b942', '#3ecf8e', '#ff6b6b', '#c08cff', '#5fd3d3', '#ff9f5a', '#a3b1c2'];

  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** About five round tick values covering [lo, hi]. */
  function ticks(lo, hi, n = 5) {
    if (!(hi > lo)) { hi = lo + 1; }
    const raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(s => s * mag).find(s => s >= raw) || raw;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  function fmt(v) {
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1);
    return +v.toPrecision(4) + '';
  }

  function frame(container, xs, ys, opts) {
    const H = opts.height || DEFAULT_H;
    container.replaceChildren();
    const svg = el('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img'});
    container.appendChild(svg);
    let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    if (opts.yMin !== undefined) y0 = Math.min(y0, opts.yMin);
    if (opts.yMax !== undefined) y1 = Math.max(y1, opts.yMax);
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    if (y1 === y0) { y0 -= Math.abs(y0) * 0.1 || 1; y1 += Math.abs(y1) * 0.1 || 1; }
    const pad = (y1 - y0) * 0.05; y0 -= opts.yMin !== undefined ? 0 : pad; y1 += opts.yMax !== undefined ? 0 : pad;
    const sx = x => M.left + (x - x0) / (x1 - x0) * (W - M.left - M.right);
    const sy = y => H - M.bottom - (y - y0) / (y1 - y0) * (H - M.top - M.bottom);
    for (const t of ticks(y0, y1)) {
      svg.appendChild(el('line', {class: 'axis', x1: M.left, x2: W - M.right, y1: sy(t), y2: sy(t)}));
      svg.appendChild(el('text', {x: M.left - 6, y: sy(t) + 4, 'text-anchor': 'end'}, fmt(t)));
    }
    for (const t of opts.xTicks ? opts.xTicks : ticks(x0, x1)) {
      const x = typeof t === 'object' ? t.x : t, label = typeof t === 'object' ? t.label : fmt(t);
      svg.appendChild(el('text', {x: sx(x), y: H - 10, 'text-anchor': 'middle'}, label));
    }
    if (opts.xLabel) svg.appendChild(el('text', {x: W - M.right, y: H - 1, 'text-anchor': 'end'}, opts.xLabel));
    return {svg, sx, sy, H};
  }

  function empty(container, message) {
    container.replaceChildren();
    const svg = el('svg', {viewBox: `0 0 ${W} 60`});
    svg.appendChild(el('text', {class: 'empty', x: W / 2, y: 34, 'text-anchor': 'middle'}, message || 'no data yet'));
    container.appendChild(svg);
  }

  function legend(container, series) {
    if (series.length < 2) return;
    const div = document.createElement('div');
    div.className = 'legend';
    series.forEach((s, i) => {
      const span = document.createElement('span'), sw = document.createElement('i');
      sw.style.background = s.color || COLORS[i % COLORS.length];
      span.append(sw, s.name);
      div.appendChild(span);
    });
    container.appendChild(div);
  }

  /**
   * Line chart. series: [{name, points: [{x, y, label}], color?, dots?, line?, band?: [{x, lo, hi}]}].
   * opts: {yMin, yMax, refY, xLabel, xTicks, height}.
   */
  function line(container, series, opts = {}) {
    series = series.filter(s => s.points && s.points.length);
    if (!series.length) return empty(container, opts.emptyText);
    const xs = series.flatMap(s => s.points.map(p => p.x));
    const ys = series.flatMap(s => s.points.map(p => p.y).concat((s.band || []).flatMap(b => [b.lo, b.hi])));
    if (opts.refY !== undefined) ys.push(opts.refY);
    const {svg, sx, sy} = frame(container, xs, ys, opts);
    if (opts.refY !== undefined) {
      svg.appendChild(el('line', {class: 'axis', x1: M.left, x2: W - M.right, y1: sy(opts.refY), y2: sy(opts.refY),
        'stroke-dasharray': '4 3', stroke: '#7d8a99'}));
    }
    series.forEach((s, i) => {
      const color = s.color || COLORS[i % COLORS.length];
      for (const b of s.band || []) {
        svg.appendChild(el('line', {x1: sx(b.x), x2: sx(b.x), y1: sy(b.lo), y2: sy(b.hi), stroke: color,
          'stroke-width': 2, opacity: 0.5}));
      }
      if (s.line !== false && s.points.length > 1) {
        const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('');
        svg.appendChild(el('path', {class: 'series', d, fill: 'none', stroke: color, 'stroke-width': 2,
          'data-series': s.name, 'data-points': s.points.length}));
      }
      if (s.dots !== false) {
        for (const p of s.points) {
          const c = el('circle', {class: 'point', cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1),
            r: s.radius || 3, fill: color, 'data-series': s.name, 'data-x': p.x, 'data-y': p.y});
          c.appendChild(el('title', {}, `${s.name}${p.label ? ' ' + p.label : ''}: x=${fmt(p.x)} y=${fmt(p.y)}`));
          svg.appendChild(c);
        }
      }
    });
    legend(container, series);
  }

  /** Histogram: edges (n+1) and counts (n). */
  function histogram(container, edges, counts, opts = {}) {
    if (!counts || !counts.length) return empty(container, opts.emptyText);
    const {svg, sx, sy} = frame(container, [edges[0], edges[edges.length - 1]], [0, Math.max(...counts)],
      {yMin: 0, xLabel: opts.xLabel, height: opts.height});
    counts.forEach((c, i) => {
      const x = sx(edges[i]), w = Math.max(1, sx(edges[i + 1]) - x - 1);
      const r = el('rect', {class: 'bar', x, y: sy(c), width: w, height: sy(0) - sy(c), fill: opts.color || COLORS[0],
        'data-lo': edges[i], 'data-hi': edges[i + 1], 'data-count': c});
      r.appendChild(el('title', {}, `${fmt(edges[i])}–${fmt(edges[i + 1])}: ${c}`));
      svg.appendChild(r);
    });
  }

  return {line, histogram, empty, fmt, COLORS};
})();

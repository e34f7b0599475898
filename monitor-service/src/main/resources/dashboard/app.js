/*
 * AlignLoop dashboard: renders /api/* into the page and keeps it live. Live ticks arrive as
 * Server-Sent Events from /api/stream; each tick carries the topic table plus a version per
 * section, and only sections whose version changed are re-fetched. If no tick arrives for a
 * while (proxy that buffers SSE, stream dropped), the page polls /api/live every 2 s instead.
 * All data goes into the DOM via textContent/attributes, never innerHTML.
 */
'use strict';
(() => {
  const POLL_MS = 2000, STALE_MS = 5000;
  const versions = {};
  let lastTick = 0, source = null, mode = 'connecting';

  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const $ = sel => document.querySelector(sel);
  const num = (v, digits = 2) => (v === null || v === undefined) ? '–' : Number(v).toFixed(digits);
  const time = ms => ms ? new Date(ms).toLocaleTimeString() : '–';
  function bytes(v) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
  }
  function fill(tbody, rows) { $(tbody).replaceChildren(...rows); }
  const badge = s => h('span', {class: `badge badge-${s}`}, s);

  async function getJson(path) {
    const r = await fetch(path, {cache: 'no-store'});
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  }

  // ---- sections ------------------------------------------------------------------------------

  function renderTopics(t) {
    const b = $('#broker');
    b.textContent = t.broker.state;
    b.className = `badge badge-${t.broker.state}`;
    b.title = t.broker.error || `since ${time(t.broker.sinceMs)}`;
    fill('#topics tbody', t.topics.map(r => h('tr', {'data-topic': r.topic, 'data-rate': r.messagesPerSecond},
      h('td', {}, r.topic), h('td', {class: 'num'}, r.partitions), h('td', {class: 'num'}, r.endOffsets),
      h('td', {class: 'num rate'}, num(r.messagesPerSecond)), h('td', {class: 'num'}, bytes(r.bytesPerSecond)),
      h('td', {class: 'num'}, r.messagesSeen), h('td', {class: 'num'}, r.undecodable),
      h('td', {}, Object.entries(r.lagByGroup || {}).map(([g, l]) =>
        h('div', {'data-group': g, 'data-lag': l}, `${g}: ${l}`))))));
    fill('#groups tbody', t.groups.map(g => h('tr', {'data-group': g.group, 'data-lag': g.lag},
      h('td', {}, g.group), h('td', {}, g.state), h('td', {}, g.topic), h('td', {class: 'num'}, g.partition),
      h('td', {class: 'num'}, g.committed), h('td', {class: 'num'}, g.endOffset), h('td', {class: 'num'}, g.lag))));
  }

  function renderCurves(c) {
    document.querySelectorAll('.chart[data-match]').forEach(div => {
      const re = new RegExp(div.dataset.match, 'i');
      const series = Object.entries(c.training).filter(([name]) => re.test(name))
        .map(([name, points]) => ({name, points}));
      Charts.line(div, series, {xLabel: 'step', emptyText: `no ${div.dataset.match} metrics in checkpoints yet`});
    });
    const m = c.margins;
    $('#margin-summary').textContent = m.count ? `${m.count} labels, mean ${num(m.mean, 3)}` : '';
    Charts.line($('#chart-margin'), [
      {name: 'margin', points: m.recent, line: false, radius: 2},
      {name: 'rolling mean (20)', points: m.rollingMean, dots: false},
    ], {xLabel: 'label #', yMin: 0, emptyText: 'no labels yet'});
    Charts.histogram($('#chart-margin-hist'), m.histogram.edges, m.histogram.counts,
      {xLabel: 'margin', emptyText: 'no labels yet', height: 150});
  }

  function renderCheckpoints(list) {
    fill('#lineage tbody', list.slice().reverse().map(c => h('tr', {'data-version': c.version, 'data-status': c.status},
      h('td', {}, c.version), h('td', {class: 'dim'}, c.parentVersion || 'base'), h('td', {class: 'num'}, c.step),
      h('td', {}, badge(c.status)), h('td', {class: 'num'}, c.evalWinRate == null ? '–' : num(c.evalWinRate)),
      h('td', {class: 'dim'}, Object.entries(c.metrics || {}).slice(0, 4).map(([k, v]) => `${k}=${Charts.fmt(v)}`)
        .join(' ')))));
  }

  function renderEvals(list) {
    const points = list.map((e, i) => ({x: i + 1, y: e.winRate, label: e.checkpointVersion}));
    Charts.line($('#chart-winrate'), [{
      name: 'win rate', points,
      band: list.map((e, i) => ({x: i + 1, lo: e.winRateLow, hi: e.winRateHigh})),
    }], {yMin: 0, yMax: 1, refY: 0.5, emptyText: 'no evals yet',
      xTicks: list.length <= 12 ? list.map((e, i) => ({x: i + 1, label: e.checkpointVersion})) : undefined});
  }

  function renderDlq(d) {
    $('#dlq-total').textContent = `${d.total} total`;
    $('#dlq-reasons').replaceChildren(...Object.entries(d.byReason || {}).sort((a, b) => b[1] - a[1])
      .map(([k, v]) => h('span', {class: 'badge', 'data-reason': k, 'data-count': v}, `${k}: ${v}`)));
    fill('#dlq tbody', d.entries.map(e => h('tr', {'data-source': `${e.sourceTopic}-${e.partition}@${e.offset}`},
      h('td', {}, time(e.failedAtMs)), h('td', {}, e.service), h('td', {}, `${e.sourceTopic}-${e.partition}@${e.offset}`),
      h('td', {}, badge(e.reasonKind)), h('td', {class: 'reason', title: e.errorClass}, e.reason),
      h('td', {}, e.key), h('td', {class: 'num'}, e.payloadBytes < 0 ? '–' : bytes(e.payloadBytes)))));
  }

  function renderPairs(list) {
    const figure = (img, side, p) => {
      const score = side === 'A' ? p.scoreA : p.scoreB;
      return h('figure', {class: p.winner === side ? 'winner' : null, 'data-side': side},
        h('img', {src: img.url, alt: `${side}: ${p.prompt}`, width: img.width, height: img.height, loading: 'eager'}),
        h('figcaption', {}, `${side} · ${score == null ? 'unscored' : num(score, 3)}`));
    };
    $('#gallery').replaceChildren(...list.map(p => h('div', {class: 'pair', 'data-pair': p.pairId,
      'data-winner': p.winner},
      h('div', {class: 'prompt'}, p.prompt),
      h('div', {class: 'images'}, figure(p.imageA, 'A', p), figure(p.imageB, 'B', p)),
      h('div', {class: 'meta'}, `${p.policyVersion} · ${p.sampler}` +
        (p.margin == null ? ' · awaiting label' : ` · margin ${num(p.margin, 3)}`)))));
  }

  const sections = {curves: renderCurves, checkpoints: renderCheckpoints, evals: renderEvals, dlq: renderDlq,
    pairs: renderPairs};

  // ---- live updates --------------------------------------------------------------------------

  async function refresh(name) {
    try {
      sections[name](await getJson(`/api/${name}`));
    } catch (e) {
      console.warn(e);
      delete versions[name]; // retry on the next tick
    }
  }

  function apply(update) {
    lastTick = Date.now();
    renderTopics(update.topics);
    $('#updated').textContent = `updated ${time(update.atMs)}`;
    return Promise.all(Object.entries(update.versions).filter(([k, v]) => versions[k] !== v).map(([k, v]) => {
      versions[k] = v;
      return refresh(k);
    }));
  }

  function setMode(m) {
    mode = m;
    $('#live-mode').textContent = m === 'sse' ? 'live (stream)' : m === 'poll' ? 'live (polling)' : m;
  }

  function connect() {
    if (!window.EventSource) return setMode('poll');
    source = new EventSource('/api/stream');
    source.addEventListener('update', ev => { setMode('sse'); apply(JSON.parse(ev.data)); });
    source.onerror = () => { if (mode === 'sse') setMode('reconnecting'); };
  }

  async function poll() {
    if (Date.now() - lastTick < STALE_MS && mode === 'sse') return;
    try {
      if (mode !== 'sse') setMode('poll');
      await apply(await getJson('/api/live'));
    } catch (e) {
      setMode('offline');
    }
  }

  async function start() {
    await poll();
    const params = new URLSearchParams(location.search);
    if (params.get('live') !== 'poll') connect();
    setInterval(poll, POLL_MS);
  }

  start();
})();

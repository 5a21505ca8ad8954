// GreenTrain's charts: plain SVG drawn here, no library (docs/ui.md says why). Every chart is a <figure> whose
// <svg role="img"> carries a title and a text description, followed by its data as a table for screen readers
// and for anyone who wants the numbers. Shaded intervals are <rect class="band band-KIND" data-start data-end>.
'use strict';

const GtChart = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 720, H = 280, M = { l: 60, r: 60, t: 22, b: 42 };
  let counter = 0;

  function svg(tag, attrs = {}, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function linear(d0, d1, r0, r1) {
    const span = d1 - d0 || 1;
    return v => r0 + (v - d0) / span * (r1 - r0);
  }

  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map(m => m * p).find(m => m >= v * (1 - 1e-12)) ?? v;
  }

  const timeLabel = ms => new Date(ms).toISOString().slice(11, 16);
  const fullTime = ms => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

  /** The figure, the svg and the scales every chart shares. */
  function frame(o, xDomain, yLeft, yRight) {
    const id = `chart-${++counter}`;
    const figure = Gt.el('figure', { class: 'chart', id: o.id ?? id });
    figure.append(Gt.el('figcaption', { id: `${id}-caption` }, o.title));
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-desc`, focusable: 'false' });
    root.append(svg('title', { id: `${id}-title` }, o.title), svg('desc', { id: `${id}-desc` }, o.description ?? ''));
    const x = linear(xDomain[0], xDomain[1], M.l, W - M.r);
    const y0 = o.yMin ?? 0;
    const yl = linear(y0, yLeft, H - M.b, M.t);
    const yr = yRight ? linear(0, yRight, H - M.b, M.t) : null;
    const axes = svg('g', { class: 'axes', 'aria-hidden': 'true' });
    axes.append(svg('line', { x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b, class: 'axis' }));
    // Enough decimals that neighbouring ticks differ (0.9915 and 0.992 are two ticks, not two 0.992s).
    const digits = span => Math.max(0, Math.ceil(-Math.log10(span / 4)) + 1);
    for (let i = 0; i <= 4; i++) {
      const v = y0 + (yLeft - y0) * i / 4, y = yl(v);
      axes.append(svg('line', { x1: M.l, x2: W - M.r, y1: y, y2: y, class: 'grid' }));
      axes.append(svg('text', { x: M.l - 6, y: y + 4, 'text-anchor': 'end' }, Gt.num(v, digits(yLeft - y0))));
      if (yr) axes.append(svg('text', { x: W - M.r + 6, y: y + 4 }, Gt.num(yRight * i / 4, digits(yRight))));
    }
    axes.append(svg('text', { x: 4, y: 12, class: 'unit' }, o.leftLabel ?? ''));
    if (yr) axes.append(svg('text', { x: W - 4, y: 12, class: 'unit', 'text-anchor': 'end' }, o.rightLabel ?? ''));
    root.append(axes);
    return { figure, root, x, yl, yr, axes };
  }

  function xTicks(f, domain, format) {
    for (let i = 0; i <= 5; i++) {
      const v = domain[0] + (domain[1] - domain[0]) * i / 5;
      f.axes.append(svg('text', { x: f.x(v), y: H - M.b + 16, 'text-anchor': 'middle' }, format(v)));
    }
  }

  function legend(items) {
    return Gt.el('ul', { class: 'legend' }, items.map(i => Gt.el('li', {}, Gt.el('span', { class: `swatch ${i.cls}`, 'aria-hidden': 'true' }), i.name)));
  }

  function table(caption, head, rows) {
    const limited = rows.slice(0, 1000);
    return Gt.el('details', { class: 'data-table' },
      Gt.el('summary', {}, `Data table: ${caption}`),
      Gt.el('table', {},
        Gt.el('caption', {}, caption + (rows.length > limited.length ? ` (first ${limited.length} of ${rows.length} rows)` : '')),
        Gt.el('thead', {}, Gt.el('tr', {}, head.map(h => Gt.el('th', { scope: 'col' }, h)))),
        Gt.el('tbody', {}, limited.map(r => Gt.el('tr', {}, r.map(c => Gt.el('td', {}, c)))))));
  }

  /**
   * Values over wall time. series: [{ name, cls, axis: 'left'|'right', spans: [[startMs, endMs, value]] }] drawn as
   * steps; bands: [{ kind, start, end, label }] shaded behind; planned: [{ start, end, label }] as a strip on top.
   */
  function time(o) {
    const all = o.series.flatMap(s => s.spans.flatMap(p => [p[0], p[1]]))
      .concat((o.bands ?? []).flatMap(b => [b.start, b.end]), (o.planned ?? []).flatMap(p => [p.start, p.end]));
    if (all.length === 0) return Gt.el('p', { class: 'empty' }, `${o.title}: nothing measured yet.`);
    const domain = [Math.min(...all), Math.max(...all)];
    const max = axis => niceMax(Math.max(0, ...o.series.filter(s => (s.axis ?? 'left') === axis).flatMap(s => s.spans.map(p => p[2]))) * 1.05);
    const hasRight = o.series.some(s => s.axis === 'right');
    const f = frame(o, domain, max('left'), hasRight ? max('right') : null);
    const bands = svg('g', { class: 'bands' });
    for (const b of o.bands ?? []) {
      const r = svg('rect', { x: f.x(b.start), width: Math.max(1, f.x(b.end) - f.x(b.start)), y: M.t, height: H - M.b - M.t,
        class: `band band-${b.kind}`, 'data-kind': b.kind, 'data-start': new Date(b.start).toISOString(), 'data-end': new Date(b.end).toISOString() });
      r.append(svg('title', {}, `${b.label}: ${fullTime(b.start)} to ${fullTime(b.end)}`));
      bands.append(r);
    }
    for (const p of o.planned ?? []) {
      const r = svg('rect', { x: f.x(p.start), width: Math.max(1, f.x(p.end) - f.x(p.start)), y: 4, height: 12, class: 'band band-planned',
        'data-kind': 'planned', 'data-start': new Date(p.start).toISOString(), 'data-end': new Date(p.end).toISOString() });
      r.append(svg('title', {}, `${p.label}: ${fullTime(p.start)} to ${fullTime(p.end)}`));
      bands.append(r);
    }
    f.root.insertBefore(bands, f.axes);
    for (const s of o.series) {
      const y = s.axis === 'right' ? f.yr : f.yl;
      let d = '', lastEnd = null;
      for (const [a, b, v] of s.spans) {
        d += (lastEnd !== null && Math.abs(a - lastEnd) < 1500 ? `L${f.x(a)},${y(v)}` : `M${f.x(a)},${y(v)}`) + `H${f.x(b)}`;
        lastEnd = b;
      }
      f.root.append(svg('path', { d, class: `line ${s.cls}`, 'data-series': s.name }));
    }
    xTicks(f, domain, timeLabel);
    f.axes.append(svg('text', { x: W / 2, y: H - 6, 'text-anchor': 'middle', class: 'unit' }, 'time (UTC)'));
    const bandItems = [...new Set((o.bands ?? []).map(b => b.kind))].map(k => ({ cls: `band-${k}`, name: k === 'run' ? 'ran' : k === 'pause' ? 'paused' : 'moved' }));
    f.figure.append(f.root, legend([...o.series.map(s => ({ cls: s.cls, name: s.name })),
      ...(o.planned?.length ? [{ cls: 'band-planned', name: 'planned window' }] : []), ...bandItems]));
    f.figure.append(table(o.title, ['from (UTC)', 'to (UTC)', 'what', 'value'], [
      ...(o.planned ?? []).map(p => [fullTime(p.start), fullTime(p.end), p.label, '']),
      ...(o.bands ?? []).map(b => [fullTime(b.start), fullTime(b.end), b.label, '']),
      ...o.series.flatMap(s => s.spans.map(([a, b, v]) => [fullTime(a), fullTime(b), s.name, Gt.num(v, 3)])),
    ]));
    return f.figure;
  }

  /** Lines over a numeric x (steps): series [{ name, cls, axis, points: [[x, y]] }]. */
  function lines(o) {
    const xs = o.series.flatMap(s => s.points.map(p => p[0]));
    if (xs.length === 0) return Gt.el('p', { class: 'empty' }, `${o.title}: no evaluations yet.`);
    const domain = [Math.min(...xs), Math.max(...xs)];
    const max = axis => niceMax(Math.max(0, ...o.series.filter(s => (s.axis ?? 'left') === axis).flatMap(s => s.points.map(p => p[1]))) * 1.05);
    const hasRight = o.series.some(s => s.axis === 'right');
    const f = frame(o, domain, max('left'), hasRight ? max('right') : null);
    for (const s of o.series) {
      const y = s.axis === 'right' ? f.yr : f.yl;
      f.root.append(svg('path', { d: s.points.map((p, i) => `${i ? 'L' : 'M'}${f.x(p[0])},${y(p[1])}`).join(''), class: `line ${s.cls}`, 'data-series': s.name }));
      for (const p of s.points) f.root.append(svg('circle', { cx: f.x(p[0]), cy: y(p[1]), r: 3, class: `dot ${s.cls}` }));
    }
    xTicks(f, domain, v => Gt.num(v, 0));
    f.axes.append(svg('text', { x: W / 2, y: H - 6, 'text-anchor': 'middle', class: 'unit' }, o.xLabel ?? ''));
    f.figure.append(f.root, legend(o.series.map(s => ({ cls: s.cls, name: s.name }))));
    const steps = [...new Set(xs)].sort((a, b) => a - b);
    f.figure.append(table(o.title, [o.xLabel ?? 'x', ...o.series.map(s => s.name)],
      steps.map(x => [Gt.num(x, 0), ...o.series.map(s => Gt.num(s.points.find(p => p[0] === x)?.[1], 4))])));
    return f.figure;
  }

  /** Points that link to their runs, with the frontier joined: points [{ x, y, label, href, frontier }]. */
  function scatter(o) {
    if (o.points.length === 0) return Gt.el('p', { class: 'empty' }, `${o.title}: no measured experiments with a metric yet.`);
    const maxX = niceMax(Math.max(...o.points.map(p => p.x)) * 1.1);
    const ys = o.points.map(p => p.y);
    const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
    const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.05 || 1;
    const f = frame({ ...o, yMin: Math.max(0, lo - pad) }, [0, maxX], hi + pad);
    const frontier = o.points.filter(p => p.frontier).sort((a, b) => a.x - b.x);
    f.root.append(svg('path', { d: frontier.map((p, i) => `${i ? 'L' : 'M'}${f.x(p.x)},${f.yl(p.y)}`).join(''), class: 'line frontier' }));
    for (const p of o.points) {
      const a = svg('a', { href: p.href, tabindex: 0, class: 'point-link', 'aria-label': `${p.label}: ${o.yName} ${Gt.num(p.y, 4)}, ${o.xName} ${Gt.num(p.x, 6)}${p.frontier ? ', on the frontier' : ''}` });
      a.append(svg('circle', { cx: f.x(p.x), cy: f.yl(p.y), r: 7, class: p.frontier ? 'point on-frontier' : 'point', 'data-id': p.id }));
      a.append(svg('text', { x: f.x(p.x) + 10, y: f.yl(p.y) - 8, class: 'point-label' }, p.label));
      f.root.append(a);
    }
    xTicks(f, [0, maxX], v => Gt.num(v, 4));
    f.axes.append(svg('text', { x: W / 2, y: H - 6, 'text-anchor': 'middle', class: 'unit' }, o.xLabel));
    f.figure.append(f.root, legend([{ cls: 'on-frontier', name: 'on the frontier' }, { cls: 'point', name: 'dominated' }]));
    f.figure.append(table(o.title, ['experiment', o.yName, o.xLabel, 'on the frontier'],
      o.points.map(p => [Gt.el('a', { href: p.href }, p.label), Gt.num(p.y, 4), Gt.num(p.x, 6), p.frontier ? 'yes' : 'no'])));
    return f.figure;
  }

  return { time, lines, scatter, fullTime };
})();

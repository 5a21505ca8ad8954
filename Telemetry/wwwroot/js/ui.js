// Shared helpers of the GreenTrain pages: fetching the JSON APIs, formatting figures, building elements.
'use strict';

const Gt = {
  /** GETs a JSON API; throws with the problem details' title and detail on an error status. */
  async json(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      let text = `${response.status} ${response.statusText}`;
      try { const p = await response.json(); text = [p.title, p.detail].filter(Boolean).join(': ') || text; } catch { /* not JSON */ }
      throw new Error(text);
    }
    return response.json();
  },

  /** An element with attributes (on* keys become listeners) and children (strings become text). */
  el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  },

  num(v, digits = 2) { return v === null || v === undefined ? '—' : Number(v).toLocaleString('en', { maximumFractionDigits: digits }); },
  pct(v) { return v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`; },
  grams(v) { return v === null || v === undefined ? '—' : `${Gt.num(v, v < 1 ? 4 : 2)} g`; },
  wh(kwh) { return kwh === null || kwh === undefined ? '—' : `${Gt.num(kwh * 1000, kwh < 0.001 ? 4 : 2)} Wh`; },
  time(iso) { return iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'UTC' }) + ' UTC' : '—'; },
  metric(row) { return row.metric === null || row.metric === undefined ? '—' : `${Gt.num(row.metric, 4)} ${row.metricName ?? ''}`.trim(); },

  /** Shows an error in the page's status line (role=status, so screen readers hear it). */
  status(message, isError = false) {
    const s = document.getElementById('status');
    if (!s) return;
    s.textContent = message;
    s.classList.toggle('error', isError);
  },

  experimentHref(id) { return `experiment.html?id=${encodeURIComponent(id)}`; },
};

// The experiments table: every experiment in the store, polled every two seconds so running ones move live.
// Sort by any column (its header is a button; aria-sort says the order), filter by text and state.
'use strict';

(() => {
  const POLL_MS = 2000;
  const columns = [
    { key: 'name', label: 'Experiment', cell: r => Gt.el('a', { href: Gt.experimentHref(r.id) }, r.name === r.id ? r.id : `${r.name} (${r.id})`) },
    { key: 'state', label: 'State', cell: r => Gt.el('span', { class: `state state-${r.state}` }, r.state) },
    { key: 'region', label: 'Region', cell: r => r.region ?? '—' },
    { key: 'progress', label: 'Progress', num: true, cell: r => [Gt.el('progress', { max: 1, value: r.progress, 'aria-hidden': 'true' }), ' ', Gt.pct(r.progress),
      r.totalSteps ? Gt.el('span', { class: 'hide-narrow' }, ` (${r.step}/${r.totalSteps})`) : null] },
    { key: 'deadline', label: 'Deadline', cell: r => Gt.time(r.deadline), narrow: true },
    { key: 'metric', label: 'Best metric', num: true, cell: r => Gt.metric(r) },
    { key: 'energyKwh', label: 'Energy', num: true, cell: r => Gt.wh(r.energyKwh) },
    { key: 'emissionsGrams', label: 'Emissions (CO2eq)', num: true, cell: r => Gt.grams(r.emissionsGrams) },
    { key: 'savedGrams', label: 'Saved vs running at once', num: true,
      cell: r => r.savedGrams === null ? '—' : `${Gt.grams(r.savedGrams)} ${r.savedBasis === 'planned' ? '(planned)' : ''}`.trim() },
    { key: 'updatedAt', label: 'Updated', cell: r => Gt.time(r.updatedAt), narrow: true },
  ];
  let rows = [];
  let sort = { key: 'updatedAt', dir: -1 };
  const table = document.getElementById('experiments');
  const filter = document.getElementById('filter');
  const stateFilter = document.getElementById('state-filter');

  const headRow = table.tHead.rows[0];
  for (const c of columns) {
    const th = Gt.el('th', { scope: 'col', class: [c.num ? 'num' : '', c.narrow ? 'hide-narrow' : ''].join(' ').trim() || null, 'data-key': c.key },
      Gt.el('button', { type: 'button', onclick: () => { sort = { key: c.key, dir: sort.key === c.key ? -sort.dir : 1 }; render(); } }, c.label));
    headRow.append(th);
  }
  filter.addEventListener('input', render);
  stateFilter.addEventListener('change', render);

  function compare(a, b) {
    const x = a[sort.key], y = b[sort.key];
    if (x === y) return a.id.localeCompare(b.id);
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === 'number' ? x - y : String(x).localeCompare(String(y))) * sort.dir;
  }

  function render() {
    for (const th of headRow.cells) th.setAttribute('aria-sort', th.dataset.key === sort.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    const text = filter.value.trim().toLowerCase();
    const shown = rows.filter(r => (!stateFilter.value || r.state === stateFilter.value)
      && (!text || [r.id, r.name, r.region, r.state].some(v => (v ?? '').toLowerCase().includes(text)))).sort(compare);
    const body = table.tBodies[0];
    const existing = new Map([...body.rows].map(tr => [tr.dataset.id, tr]));
    shown.forEach((r, i) => {
      let tr = existing.get(r.id);
      if (!tr) tr = Gt.el('tr', { 'data-id': r.id }, columns.map((c, j) => Gt.el(j === 0 ? 'th' : 'td', j === 0 ? { scope: 'row' } : {})));
      columns.forEach((c, j) => {
        const cell = tr.cells[j];
        cell.className = [c.num ? 'num' : '', c.narrow ? 'hide-narrow' : ''].join(' ').trim();
        cell.dataset.key = c.key;
        const fresh = Gt.el('div', {}, c.cell(r));
        if (cell.innerHTML !== fresh.innerHTML) cell.replaceChildren(...fresh.childNodes);
      });
      if (body.rows[i] !== tr) body.insertBefore(tr, body.rows[i] ?? null);
      existing.delete(r.id);
    });
    for (const tr of existing.values()) tr.remove();
    Gt.status(`${shown.length} of ${rows.length} experiments, updated live`);
  }

  async function poll() {
    try {
      rows = await Gt.json('api/experiments');
      render();
    } catch (e) {
      Gt.status(`Could not load the experiments: ${e.message}`, true);
    }
    setTimeout(poll, POLL_MS);
  }
  poll();
})();

// One experiment's page: its summary, power and grid intensity over wall time with the planned windows and the
// actual run, pause and move intervals shaded, its metric and loss over steps, every plan, its energy by phase and
// device, methods, carbon label and files. Refreshed every three seconds until the run has finished.
'use strict';

(() => {
  const POLL_MS = 3000;
  const id = new URLSearchParams(location.search).get('id');
  const finished = ['completed', 'failed', 'cancelled'];
  const ms = iso => Date.parse(iso);
  const $ = sel => document.getElementById(sel);

  function facts(d) {
    const s = d.summary, r = d.report;
    const items = [
      ['Id', s.id], ['State', Gt.el('span', { class: `state state-${s.state}` }, s.state)], ['Region', s.region ?? '—'],
      ['Progress', `${Gt.pct(s.progress)}${s.totalSteps ? ` (step ${s.step} of ${s.totalSteps})` : ''}`],
      ['Deadline', Gt.time(s.deadline)], ['Best metric', Gt.metric(s)],
      ['Energy (IT)', Gt.wh(s.energyKwh)], ['Emissions', `${Gt.grams(s.emissionsGrams)} CO2eq`],
      ['Saved vs running at once', s.savedGrams === null ? '—' : `${Gt.grams(s.savedGrams)}${s.savedBasis === 'planned' ? ' (planned)' : r?.runAtOnce ? ` (${Gt.num(r.runAtOnce.savedPercent, 1)}%)` : ''}`],
    ];
    if (r) {
      items.push(['Mean intensity charged', `${Gt.num(r.intensity.meanGramsPerKwh, 1)} g/kWh (${r.intensity.basis}${r.intensity.seriesSource ? `, ${r.intensity.seriesSource}` : ''})`],
        ['PUE', `${Gt.num(r.pue, 2)} (${r.pueSource})`], ['Wall / active time', `${Gt.num(r.wallSeconds, 0)} s / ${Gt.num(r.activeSeconds, 0)} s`],
        ['Paused energy (not billed)', Gt.wh(r.unbilledPausedKwh)]);
    }
    $('summary').replaceChildren(...items.flatMap(([k, v]) => [Gt.el('dt', {}, k), Gt.el('dd', {}, v)]));
  }

  function timeline(d) {
    const kinds = [...new Set(d.power.map(p => p.kind))];
    const series = kinds.map(k => ({ name: `${k} power (W)`, cls: k, axis: 'left',
      spans: d.power.filter(p => p.kind === k).map(p => [ms(p.start), ms(p.end), p.watts]) }));
    if (d.intensity.length) {
      series.push({ name: `grid intensity (g/kWh)${d.intensitySource ? `, ${d.intensitySource}` : ''}`, cls: 'intensity', axis: 'right',
        spans: d.intensity.map(i => [ms(i.start), ms(i.end), i.gramsPerKwh]) });
    }
    const latest = d.plans.at(-1);
    const label = { run: 'ran', pause: 'paused', move: 'moved' };
    const bands = d.actual.map(a => ({ kind: a.kind, start: ms(a.start), end: ms(a.end), label: `${label[a.kind]}${a.region ? ` in ${a.region}` : ''}` }));
    const pauses = d.actual.filter(a => a.kind !== 'run').map(a => `${label[a.kind]} ${GtChart.fullTime(ms(a.start))} to ${GtChart.fullTime(ms(a.end))}`);
    $('timeline').replaceChildren(GtChart.time({
      id: 'timeline-chart', title: 'Power per device kind and grid intensity', leftLabel: 'W', rightLabel: 'g/kWh',
      description: `${d.actual.filter(a => a.kind === 'run').length} run intervals; ${pauses.length ? pauses.join('; ') : 'no pause'}.`,
      series, bands, planned: (latest?.intervals ?? []).map(i => ({ start: ms(i.start), end: ms(i.end), label: `planned in ${i.region}` })),
    }));
  }

  function metrics(d) {
    const e = d.evaluations;
    const series = [{ name: 'validation loss', cls: 'loss', axis: 'left', points: e.map(p => [p.step, p.loss]) }];
    if (e.some(p => p.trainLoss !== null)) series.push({ name: 'training loss', cls: 'train-loss', axis: 'left', points: e.filter(p => p.trainLoss !== null).map(p => [p.step, p.trainLoss]) });
    if (e.some(p => p.accuracy !== null)) series.push({ name: 'validation accuracy', cls: 'metric', axis: 'right', points: e.filter(p => p.accuracy !== null).map(p => [p.step, p.accuracy]) });
    $('metrics').replaceChildren(GtChart.lines({ id: 'metrics-chart', title: 'Metric and loss over optimizer steps', xLabel: 'step', leftLabel: 'loss', rightLabel: 'accuracy',
      description: e.length ? `${e.length} evaluations from step ${e[0].step} to ${e.at(-1).step}.` : 'No evaluations yet.', series }));
  }

  function plans(d) {
    const items = d.plans.map((p, i) => Gt.el('li', {},
      Gt.el('strong', {}, i === 0 ? 'First plan' : `Replan ${i}`), ` at ${Gt.time(p.plannedAt)}: `,
      p.intervals.map(x => `${x.region} ${Gt.time(x.start)} to ${Gt.time(x.end)}`).join(', ') || 'no interval',
      `; expects ${Gt.grams(p.expectedGrams)} against ${Gt.grams(p.runNowGrams)} running at once; ${p.pauses} pauses, ${p.migrations} moves`,
      p.meetsDeadline ? '' : '; misses the deadline', p.reason ? ` (${p.reason})` : ''));
    $('plans').replaceChildren(...(items.length ? items : [Gt.el('li', { class: 'empty' }, 'No plan: the Scheduler has not planned this experiment.')]));
  }

  function subtotals(target, rows, what) {
    $(target).replaceChildren(rows?.length ? Gt.el('div', { class: 'table-wrap' }, Gt.el('table', {},
      Gt.el('caption', { class: 'visually-hidden' }, `Energy and emissions by ${what}`),
      Gt.el('thead', {}, Gt.el('tr', {}, Gt.el('th', { scope: 'col' }, what), Gt.el('th', { scope: 'col', class: 'num' }, 'energy'), Gt.el('th', { scope: 'col', class: 'num' }, 'emissions'))),
      Gt.el('tbody', {}, rows.map(r => Gt.el('tr', {}, Gt.el('th', { scope: 'row' }, r.key), Gt.el('td', { class: 'num' }, Gt.wh(r.energyKwh)), Gt.el('td', { class: 'num' }, Gt.grams(r.emissionsGrams)))))))
      : Gt.el('p', { class: 'empty' }, 'No energy measured yet.'));
  }

  function methods(d) {
    const items = d.methods.map(m => Gt.el('li', {}, m));
    for (const [kind, how] of Object.entries(d.report?.methodsByKind ?? {})) items.push(Gt.el('li', {}, `${kind} energy measured by ${how}`));
    const removed = d.spec?.dataset?.dedup ?? d.spec?.dataset?.removed ?? d.report?.dataRemoved;
    items.push(Gt.el('li', {}, removed ? `data removed: ${JSON.stringify(removed)}` : 'data removed: none (no data selection in this spec)'));
    $('methods').replaceChildren(...items);
  }

  function files(d) {
    const l = d.links, r = d.report;
    $('label').replaceChildren(l.label
      ? Gt.el('img', { class: 'label-svg', src: l.label, alt: `Carbon label: ${Gt.grams(r?.emissionsGrams)} CO2eq, ${Gt.wh(r?.energyKwh)} in ${r?.region ?? 'unknown region'}` })
      : Gt.el('p', { class: 'empty' }, 'No label until the run has measured energy.'));
    const links = [['report.json', l.report], ['emissions.csv', l.emissionsCsv], ['model card block (YAML)', l.modelCard], ['carbon label (SVG)', l.label], ['model file (fp32 weights)', l.model]];
    $('files').replaceChildren(...links.map(([name, href]) => Gt.el('li', {}, href ? Gt.el('a', { href, download: name.startsWith('model file') ? '' : null }, name) : `${name}: not yet`)));
  }

  async function load() {
    if (!id) { Gt.status('No experiment id in the address (experiment.html?id=...).', true); return; }
    try {
      const d = await Gt.json(`api/experiments/${encodeURIComponent(id)}`);
      document.title = `${d.summary.name} · GreenTrain`;
      $('title').textContent = `Experiment ${d.summary.name}`;
      facts(d); timeline(d); metrics(d); plans(d);
      subtotals('by-phase', d.report?.byPhase, 'phase'); subtotals('by-device', d.report?.byDevice, 'device');
      methods(d); files(d);
      Gt.status(finished.includes(d.summary.state) ? `Finished (${d.summary.state}).` : 'Live: refreshed every few seconds.');
      if (!finished.includes(d.summary.state)) setTimeout(load, POLL_MS);
    } catch (e) {
      Gt.status(`Could not load experiment ${id}: ${e.message}`, true);
      setTimeout(load, POLL_MS * 3);
    }
  }
  load();
})();

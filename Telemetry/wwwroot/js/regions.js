// The regions page: each region's cached intensity forecast (its provider and when it was fetched) and the actual
// values where Telemetry has them, with the forecast's error against them.
'use strict';

(async () => {
  const ms = iso => Date.parse(iso);
  try {
    const regions = await Gt.json('api/regions');
    const sections = regions.map(r => {
      const series = [];
      if (r.forecast.length) series.push({ name: `forecast (${r.origin})`, cls: 'intensity', axis: 'left', spans: r.forecast.map(i => [ms(i.start), ms(i.end), i.gramsPerKwh]) });
      if (r.actual.length) series.push({ name: `actual (${r.actualSource})`, cls: 'actual', axis: 'left', spans: r.actual.map(i => [ms(i.start), ms(i.end), i.gramsPerKwh]) });
      const error = r.meanAbsoluteErrorGrams === null ? 'no actuals to compare the forecast with'
        : `forecast error against the actuals: ${Gt.num(r.meanAbsoluteErrorGrams, 1)} g/kWh mean absolute (${Gt.num(r.meanAbsolutePercentError, 1)}%)`;
      return Gt.el('section', { 'aria-labelledby': `region-${r.region}`, class: 'region', 'data-region': r.region },
        Gt.el('h2', { id: `region-${r.region}` }, r.region),
        Gt.el('p', {}, r.origin ? `Forecast from ${r.origin} (${r.signal} intensity), fetched ${Gt.time(r.fetchedAt)}; ${error}.` : 'No forecast cached for this region.'),
        series.length ? GtChart.time({ title: `${r.region} grid intensity`, leftLabel: 'g/kWh', description: `${r.forecast.length} forecast intervals, ${r.actual.length} actual values; ${error}.`, series })
          : Gt.el('p', { class: 'empty' }, 'Nothing to chart.'));
    });
    document.getElementById('regions').replaceChildren(...(sections.length ? sections : [Gt.el('p', { class: 'empty' }, 'No region known yet.')]));
    Gt.status(`${regions.length} regions.`);
  } catch (e) {
    Gt.status(`Could not load the regions: ${e.message}`, true);
  }
})();

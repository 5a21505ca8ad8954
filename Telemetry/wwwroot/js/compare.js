// The compare page: each measured experiment's best metric against its energy and its emissions, with the Pareto
// frontier of each; every point links to its run.
'use strict';

(async () => {
  try {
    const points = await Gt.json('api/compare');
    const metric = points[0]?.metricName ?? 'metric';
    const chart = (id, cost, frontier, xLabel, xName) => GtChart.scatter({
      id, title: `${metric} against ${xName}`, xLabel, xName, yName: metric, leftLabel: metric,
      description: `${points.length} experiments; on the frontier: ${points.filter(p => p[frontier]).map(p => p.name).join(', ') || 'none'}.`,
      points: points.map(p => ({ id: p.id, x: cost(p), y: p.metric, label: p.name, href: Gt.experimentHref(p.id), frontier: p[frontier] })),
    });
    document.getElementById('energy-chart').replaceChildren(chart('energy-frontier', p => p.energyKwh * 1000, 'onEnergyFrontier', 'energy (Wh)', 'energy'));
    document.getElementById('emissions-chart').replaceChildren(chart('emissions-frontier', p => p.emissionsGrams, 'onEmissionsFrontier', 'emissions (g CO2eq)', 'emissions'));
    Gt.status(`${points.length} measured experiments compared by ${metric} (${metric === 'loss' ? 'lower' : 'higher'} is better).`);
  } catch (e) {
    Gt.status(`Could not load the comparison: ${e.message}`, true);
  }
})();

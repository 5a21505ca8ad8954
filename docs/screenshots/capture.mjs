// Screenshots of the Aspire dashboard during a real `dotnet run --project AppHost`, for the README.
// Usage: node capture.mjs <dashboard login URL> <output folder>   (capture.sh starts the AppHost and calls this)
// puppeteer-core drives the system Chromium (Debian's `chromium` package); nothing is downloaded.
import puppeteer from 'puppeteer-core';

const [loginUrl, outDir = '.'] = process.argv.slice(2);
if (!loginUrl) {
  console.error('usage: node capture.mjs <dashboard login URL> <output folder>');
  process.exit(2);
}
const origin = new URL(loginUrl).origin;
// Telemetry and the Scheduler listen on their launch profiles' ports under the AppHost (Telemetry/Properties, Scheduler/Properties).
const telemetry = process.env.TELEMETRY_URL ?? 'http://localhost:5103';
const scheduler = process.env.SCHEDULER_URL ?? 'http://localhost:5101';
const minutes = (n) => n * 60_000;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  protocolTimeout: minutes(15), // the waits below last minutes; puppeteer's default would cut them at 3
  defaultViewport: { width: 1600, height: 900 },
});
try {
  const page = await browser.newPage();
  await page.goto(loginUrl, { waitUntil: 'domcontentloaded' });

  // The story so far, in the Scheduler's own words: wait until it has paused and resumed the demo.
  await page.goto(`${origin}/consolelogs/resource/scheduler`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /resumed/i, minutes(12), 'the Scheduler to pause and resume the demo experiment');
  await page.screenshot({ path: `${outDir}/dashboard-scheduler-log.png` });

  await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /trainer-fr[\s\S]*Running|Running[\s\S]*trainer-fr/, minutes(1), 'the resources grid');
  await page.screenshot({ path: `${outDir}/dashboard-resources.png` });

  // Telemetry's own words for the end: measured emissions against running at once.
  await page.goto(`${origin}/consolelogs/resource/telemetry`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /demo-digits finished: [\d.]+ g CO2eq/, minutes(6), 'Telemetry to report the finished demo');
  await page.screenshot({ path: `${outDir}/dashboard-telemetry-log.png` });

  // The energy metric: pick the instrument in the tree, then wait for its chart.
  await page.goto(`${origin}/metrics/resource/telemetry`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /hw\.energy/, minutes(1), 'the energy metric in the instrument tree');
  const instrument = await page.waitForSelector('xpath/.//*[normalize-space(text())="hw.energy"]', { timeout: minutes(1) });
  await instrument.click();
  await waitForText(page, /Energy consumed by the component/, minutes(1), 'the hw.energy chart');
  await page.waitForSelector('svg.main-svg, canvas', { timeout: minutes(1) });
  await page.screenshot({ path: `${outDir}/dashboard-energy-metric.png` });

  await captureWebUi();
  console.log(`screenshots written to ${outDir}`);
} finally {
  await browser.close();
}

// A smaller model after the demo (one trainer per region: beside it, it would hold the demo up), so the compare page
// has two runs to set against each other; waits until Telemetry lists it completed.
async function submitSecondExperiment(ui) {
  const spec = {
    name: 'digits-narrow',
    dataset: { kind: 'digits', validationFraction: 0.1, testFraction: 0.2 },
    model: { kind: 'mlp', width: 128, depth: 2 },
    training: { epochs: 300, batchSize: 64, evalEverySteps: 500, optimizer: { kind: 'adamw', learningRate: 0.003 } },
    checkpoint: { everySeconds: 10, keepLast: 2 },
    carbon: { pausable: true, allowedRegions: ['DE', 'FR'] },
  };
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const response = await fetch(`${scheduler}/experiments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(spec) });
      if (response.ok) break;
    } catch { /* the Scheduler is still starting */ }
    await new Promise(r => setTimeout(r, 1000));
  }
  await ui.goto(`${telemetry}/`, { waitUntil: 'domcontentloaded' });
  await ui.waitForFunction(() => [...document.querySelectorAll('#experiments tbody tr')]
    .some(tr => tr.textContent.includes('digits-narrow') && tr.textContent.includes('completed')), { timeout: minutes(10), polling: 1000 });
}

// GreenTrain's own pages, served by Telemetry: the table, the demo's page (laptop and phone), compare, regions.
async function captureWebUi() {
  const ui = await browser.newPage();
  await submitSecondExperiment(ui);
  await ui.goto(`${telemetry}/`, { waitUntil: 'networkidle0' });
  await ui.waitForSelector('tr[data-id="demo-digits"]', { timeout: minutes(1) });
  await ui.screenshot({ path: `${outDir}/ui-experiments.png` });
  await ui.goto(`${telemetry}/experiment.html?id=demo-digits`, { waitUntil: 'networkidle0' });
  await ui.waitForSelector('#timeline-chart svg', { timeout: minutes(1) });
  await ui.screenshot({ path: `${outDir}/ui-experiment.png`, fullPage: true });
  await ui.setViewport({ width: 390, height: 844, deviceScaleFactor: 2 });
  await ui.screenshot({ path: `${outDir}/ui-experiment-phone.png` });
  await ui.setViewport({ width: 1600, height: 900 });
  await ui.goto(`${telemetry}/compare.html`, { waitUntil: 'networkidle0' });
  await ui.screenshot({ path: `${outDir}/ui-compare.png` });
  await ui.goto(`${telemetry}/regions.html`, { waitUntil: 'networkidle0' });
  await ui.screenshot({ path: `${outDir}/ui-regions.png`, fullPage: true });
  await ui.close();
}

async function waitForText(page, pattern, timeout, what) {
  try {
    await page.waitForFunction((source, flags) => new RegExp(source, flags).test(document.body?.innerText ?? ''),
      { timeout, polling: 1000 }, pattern.source, pattern.flags);
  } catch (error) {
    await page.screenshot({ path: `${outDir}/timed-out.png` });
    throw new Error(`gave up waiting for ${what} (see ${outDir}/timed-out.png): ${error.message}`);
  }
}

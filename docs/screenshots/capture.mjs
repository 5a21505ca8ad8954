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
const minutes = (n) => n * 60_000;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
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
  await waitForText(page, /finished: [\d.]+ g CO2eq/, minutes(6), 'Telemetry to report the finished demo');
  await page.screenshot({ path: `${outDir}/dashboard-telemetry-log.png` });

  // The energy metric: pick the instrument in the tree, then wait for its chart.
  await page.goto(`${origin}/metrics/resource/telemetry`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /hw\.energy/, minutes(1), 'the energy metric in the instrument tree');
  const instrument = await page.waitForSelector('xpath/.//*[normalize-space(text())="hw.energy"]', { timeout: minutes(1) });
  await instrument.click();
  await waitForText(page, /Energy consumed by the component/, minutes(1), 'the hw.energy chart');
  await page.waitForSelector('svg.main-svg, canvas', { timeout: minutes(1) });
  await page.screenshot({ path: `${outDir}/dashboard-energy-metric.png` });
  console.log(`screenshots written to ${outDir}`);
} finally {
  await browser.close();
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
